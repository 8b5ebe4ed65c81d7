/**
 * The table format, for people at a terminal: one aligned row per hit (time when events have one, level in its colour,
 * rule title, where the event is, the field values that made it match), cut to the terminal's width, then the rules
 * that matched with their authors (the SigmaHQ Detection Rule License asks for attribution).
 *
 * Column widths come from the first rows: up to `BUFFER_ROWS` hits are held back (or until `flush()` / `end()`), then
 * the widths are fixed and later rows stream out at once, cut to those widths.
 */
import { displayWidth, padEnd, painter, sanitize, truncate, truncateLeft, type Painter } from './ansi.js';
import { correlationText, StreamWriter, type Output, type OutputHit, type OutputOptions, type OutputStream } from './types.js';

export const BUFFER_ROWS = 64;
const SEP = '  ';
const MAX_TIME = 30;
const MAX_LEVEL = 8;
const MAX_WHERE = 36;
const MIN_TITLE = 16;
const MIN_DETAILS = 12;

interface Row {
  time: string;
  level: string;
  levelKey: string | undefined;
  title: string;
  where: string;
  details: string;
}

interface Layout {
  time: number;
  level: number;
  title: number;
  where: number;
  /** 0: no details column. */
  details: number;
  /** Whether the details column is the last and unbounded. */
  unbounded: boolean;
}

function levelLabel(level: string | undefined): string {
  if (level === undefined) return '-';
  return level === 'informational' ? 'info' : level;
}

function where(h: OutputHit): string {
  if (h.file !== undefined) return `${h.file}${h.line !== undefined ? `:${h.line}` : `#${h.event}`}`;
  return h.line !== undefined ? `#${h.event} line ${h.line}` : `#${h.event}`;
}

function details(h: OutputHit): string {
  if (h.correlation) return correlationText(h.correlation);
  if (h.fields && h.fields.length > 0) return h.fields.map((f) => `${f.field}=${f.value}`).join('  ');
  if (h.detections && h.detections.length > 0) return `[${h.detections.join(', ')}]`;
  return '';
}

function toRow(h: OutputHit): Row {
  return {
    time: sanitize(h.time ?? ''),
    level: levelLabel(h.rule.level),
    levelKey: h.rule.level,
    title: sanitize(h.rule.title),
    where: sanitize(where(h)),
    details: sanitize(details(h)),
  };
}

function layout(rows: readonly Row[], width: number): Layout {
  const max = (f: (r: Row) => string, cap = Infinity): number => Math.min(cap, Math.max(0, ...rows.map((r) => displayWidth(f(r)))));
  const time = rows.some((r) => r.time !== '') ? Math.max(4, max((r) => r.time, MAX_TIME)) : 0;
  const level = Math.max(5, max((r) => r.level, MAX_LEVEL));
  const whereW = Math.max(5, max((r) => r.where, MAX_WHERE));
  const titleMax = Math.max(4, max((r) => r.title));
  const hasDetails = rows.some((r) => r.details !== '');
  const bounded = Number.isFinite(width) && width > 0;
  if (!bounded) return { time, level, title: titleMax, where: whereW, details: hasDetails ? Infinity : 0, unbounded: true };
  const fixed = (time > 0 ? time + SEP.length : 0) + level + SEP.length + whereW + SEP.length;
  let remaining = width - fixed;
  if (!hasDetails) return { time, level, title: Math.max(4, Math.min(titleMax, remaining)), where: whereW, details: 0, unbounded: false };
  remaining -= SEP.length; // between title and details
  let title = Math.min(titleMax, Math.max(MIN_TITLE, Math.floor(remaining * 0.4)));
  let detailsW = remaining - title;
  if (detailsW < MIN_DETAILS) {
    title = Math.max(4, remaining + SEP.length);
    detailsW = 0;
  }
  return { time, level, title, where: whereW, details: detailsW, unbounded: false };
}

function cells(row: Row, l: Layout, p: Painter, width: number, header = false): string {
  const parts: string[] = [];
  if (l.time > 0) parts.push(padEnd(truncate(row.time, l.time), l.time));
  const levelText = truncate(row.level, l.level);
  parts.push(padEnd(levelText, l.level));
  parts.push(padEnd(truncate(row.title, l.title), l.title));
  parts.push(padEnd(truncateLeft(row.where, l.where), l.where));
  if (l.details > 0) parts.push(truncate(row.details, l.details));
  const plain = parts.join(SEP).replace(/\s+$/, '');
  // A terminal narrower than the fixed columns: cut the whole line (colour is dropped rather than cut mid-sequence).
  if (displayWidth(plain) > width) return truncate(plain, width);
  if (header) return p.paint(plain, 'bold');
  if (!p.enabled) return plain;
  const levelIndex = l.time > 0 ? 1 : 0;
  parts[levelIndex] = p.level(row.levelKey, levelText) + ' '.repeat(Math.max(0, l.level - displayWidth(levelText)));
  return parts.join(SEP).replace(/\s+$/, '');
}

interface RuleCount {
  title: string;
  author?: string;
  id?: string;
  level?: string;
  hits: number;
}

export function tableOutput(stream: OutputStream, options: OutputOptions): Output {
  const out = new StreamWriter(stream);
  const p = painter(options.color);
  const width = options.width > 0 ? options.width : Infinity;
  let pending: Row[] = [];
  let fixed: Layout | null = null;
  let hits = 0;
  const rules = new Map<string, RuleCount>();

  const release = (): void => {
    if (pending.length === 0) return;
    if (!fixed) {
      fixed = layout(pending, width);
      const header: Row = { time: 'TIME', level: 'LEVEL', levelKey: undefined, title: 'RULE', where: 'EVENT', details: 'DETAILS' };
      out.write(`${cells(header, fixed, p, width, true)}\n`);
    }
    out.write(pending.map((r) => `${cells(r, fixed!, p, width)}\n`).join(''));
    pending = [];
  };

  return {
    hit(h) {
      hits++;
      const key = h.rule.id ?? h.rule.title;
      const known = rules.get(key);
      if (known) known.hits++;
      else rules.set(key, { title: h.rule.title, author: h.rule.author, id: h.rule.id, level: h.rule.level, hits: 1 });
      pending.push(toRow(h));
      if (fixed || pending.length >= BUFFER_ROWS) release();
    },
    async flush() {
      release();
      await out.flush();
    },
    async end() {
      release();
      if (hits === 0) out.write('No rule matched.\n');
      else {
        const list = [...rules.values()];
        const count = Math.max(...list.map((r) => String(r.hits).length));
        out.write(`\n${p.paint(`Rules matched (${list.length}), with their authors:`, 'bold')}\n`);
        for (const r of list) {
          const text = `  ${String(r.hits).padStart(count)}  ${sanitize(r.title)}  by ${sanitize(r.author ?? 'unknown author')}${r.id ? `  (${r.id})` : ''}`;
          out.write(`${truncate(text, width)}\n`);
        }
      }
      await out.flush();
    },
  };
}
