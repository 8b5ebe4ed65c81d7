/**
 * The table format, for people at a terminal: one aligned row per hit (by default the `standard` columns: time,
 * level in its colour, computer, channel, event ID, record ID, rule title, where the event is, the field values that
 * made it match), cut to the terminal's width, then the rules that matched with their authors (the SigmaHQ Detection
 * Rule License asks for attribution).
 *
 * Column widths come from the first rows: up to `BUFFER_ROWS` hits are held back (or until `flush()` / `end()`), then
 * the widths are fixed and later rows stream out at once, cut to those widths. A column empty in all of those rows is
 * left out (events without a computer name get no COMPUTER column).
 */
import { displayWidth, padEnd, painter, sanitize, truncate, truncateLeft, type Painter } from './ansi.js';
import { profileColumns, type Column } from './columns.js';
import { StreamWriter, type Output, type OutputOptions, type OutputStream } from './types.js';

export const BUFFER_ROWS = 64;
const SEP = '  ';
/** Of the width left to flexible columns, the share each but the last takes (the last takes the rest). */
const FLEX_SHARE = 0.5;
/** The narrowest a column gets, whatever its header. */
const MIN_WIDTH = 4;

interface Row {
  cells: string[];
  levelKey: string | undefined;
}

/** The columns shown and their widths (Infinity: the last column, not cut). */
interface Layout {
  shown: number[];
  widths: number[];
}

function layout(columns: readonly Column[], rows: readonly Row[], width: number): Layout {
  const natural = (i: number): number => Math.max(displayWidth(columns[i].header), ...rows.map((r) => displayWidth(r.cells[i])));
  const shown = columns.map((_, i) => i).filter((i) => columns[i].name === 'level' || columns[i].name === 'rule_title' || rows.some((r) => r.cells[i] !== ''));
  const bounded = Number.isFinite(width) && width > 0;
  if (bounded) dropToFit(columns, shown, natural, width);
  const widths = shown.map((i) => {
    const c = columns[i];
    return c.flex || !bounded ? natural(i) : Math.min(c.cap ?? Infinity, natural(i));
  });
  const last = shown.length - 1;
  if (!bounded) {
    widths[last] = Infinity;
    return { shown, widths };
  }
  const flexAt = shown.map((i, k) => (columns[i].flex ? k : -1)).filter((k) => k >= 0);
  const fixed = widths.reduce((n, w, k) => n + (flexAt.includes(k) ? 0 : w), 0) + SEP.length * last;
  let remaining = width - fixed;
  for (let f = 0; f < flexAt.length; f++) {
    const k = flexAt[f];
    const min = columns[shown[k]].flex!.min;
    const isLastFlex = f === flexAt.length - 1;
    let w = isLastFlex ? remaining : Math.min(widths[k], Math.max(min, Math.floor(remaining * FLEX_SHARE)));
    if (isLastFlex && k !== last) w = Math.min(w, widths[k]);
    widths[k] = Math.max(MIN_WIDTH, w);
    remaining -= widths[k];
  }
  // A last flexible column squeezed below its least width is dropped; the one before it gets the room.
  const lastFlex = flexAt[flexAt.length - 1];
  if (flexAt.length > 1 && lastFlex === last && widths[last] < columns[shown[last]].flex!.min) {
    const before = flexAt[flexAt.length - 2];
    widths[before] += widths[last] + SEP.length;
    shown.pop();
    widths.pop();
  }
  return { shown, widths };
}

/**
 * Leaves out droppable columns, highest `drop` first, while the fixed columns leave the flexible ones less than their
 * least widths (an 80-column terminal keeps time, level, rule, event and details rather than cutting every one).
 */
function dropToFit(columns: readonly Column[], shown: number[], natural: (i: number) => number, width: number): void {
  const need = (): number =>
    shown.reduce((n, i) => n + (columns[i].flex ? columns[i].flex!.min : Math.min(columns[i].cap ?? Infinity, natural(i))), 0) + SEP.length * (shown.length - 1);
  while (need() > width) {
    let worst = -1;
    for (let k = 0; k < shown.length; k++) {
      const d = columns[shown[k]].drop;
      if (d !== undefined && (worst < 0 || d > columns[shown[worst]].drop!)) worst = k;
    }
    if (worst < 0) return;
    shown.splice(worst, 1);
  }
}

function line(columns: readonly Column[], row: Row, l: Layout, p: Painter, width: number, header = false): string {
  const parts: string[] = [];
  let levelAt = -1;
  l.shown.forEach((i, k) => {
    const w = l.widths[k];
    const text = w === Infinity ? row.cells[i] : columns[i].keepEnd ? truncateLeft(row.cells[i], w) : truncate(row.cells[i], w);
    if (columns[i].name === 'level') levelAt = k;
    parts.push(k === l.shown.length - 1 ? text : padEnd(text, w));
  });
  const plain = parts.join(SEP).replace(/\s+$/, '');
  // A terminal narrower than the fixed columns: cut the whole line (colour is dropped rather than cut mid-sequence).
  if (displayWidth(plain) > width) return truncate(plain, width);
  if (header) return p.paint(plain, 'bold');
  if (!p.enabled || levelAt < 0) return plain;
  const levelText = parts[levelAt].trimEnd();
  parts[levelAt] = p.level(row.levelKey, levelText) + ' '.repeat(Math.max(0, displayWidth(parts[levelAt]) - displayWidth(levelText)));
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
  const columns = options.columns ?? profileColumns('standard');
  const width = options.width > 0 ? options.width : Infinity;
  let pending: Row[] = [];
  let fixed: Layout | null = null;
  let hits = 0;
  const rules = new Map<string, RuleCount>();
  const headerRow: Row = { cells: columns.map((c) => c.header), levelKey: undefined };

  const release = (): void => {
    if (pending.length === 0) return;
    if (!fixed) {
      fixed = layout(columns, pending, width);
      out.write(`${line(columns, headerRow, fixed, p, width, true)}\n`);
    }
    out.write(pending.map((r) => `${line(columns, r, fixed!, p, width)}\n`).join(''));
    pending = [];
  };

  return {
    hit(h) {
      hits++;
      const key = h.rule.id ?? h.rule.title;
      const known = rules.get(key);
      if (known) known.hits++;
      else rules.set(key, { title: h.rule.title, author: h.rule.author, id: h.rule.id, level: h.rule.level, hits: 1 });
      const cells = columns.map((c) => {
        const v = (c.display ?? c.cell)(h);
        return v === undefined ? '' : sanitize(String(v));
      });
      pending.push({ cells, levelKey: h.rule.level });
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
