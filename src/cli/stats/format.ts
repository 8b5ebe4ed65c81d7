/** `sigmatch stats` output: a table for people, JSON and CSV (one row per group) for tools. */
import { csvRow } from '../output/csv.js';
import { displayWidth, padEnd, padStart, sanitize, truncate } from '../output/ansi.js';
import { formatInZone, type DisplayZone } from '../output/zone.js';
import { DIMENSIONS, type Breakdown, type Group, type Metrics } from './metrics.js';

export const STATS_FORMATS = ['table', 'json', 'csv'] as const;
export type StatsFormat = (typeof STATS_FORMATS)[number];

export interface StatsReport extends Metrics {
  inputs: readonly string[];
  /** Records that could not be read as events (malformed JSON, damaged .evtx records). */
  malformed: number;
}

const NONE = '(none)';
const PERCENT_DIGITS = 1;
const HEADERS: Record<string, string> = { channel: 'CHANNEL', event_id: 'EVENT ID', provider: 'PROVIDER', computer: 'COMPUTER' };
const NAMES: Record<string, string> = { channel: 'Channel', event_id: 'EventID', provider: 'Provider', computer: 'Computer' };

function percent(count: number, total: number): number {
  return total === 0 ? 0 : Number(((count / total) * 100).toFixed(PERCENT_DIGITS));
}

function time(ms: number | null, zone: DisplayZone): string | null {
  return ms === null ? null : formatInZone(ms, zone);
}

function groupsWithOther(b: Breakdown): Group[] {
  return b.other ? [...b.groups, { values: b.by.map(() => 'other'), ...b.other }] : b.groups;
}

export function statsJson(r: StatsReport, zone: DisplayZone): string {
  return `${JSON.stringify(
    {
      events: r.events,
      untimed: r.untimed,
      malformed: r.malformed,
      first: time(r.first, zone),
      last: time(r.last, zone),
      inputs: r.inputs,
      breakdowns: r.breakdowns.map((b) => ({
        by: b.by,
        groups: b.groups.map((g) => ({
          ...Object.fromEntries(b.by.map((d, i) => [d, g.values[i]])),
          count: g.count,
          percent: percent(g.count, r.events),
          first: time(g.first, zone),
          last: time(g.last, zone),
        })),
        other: b.other ? { count: b.other.count, percent: percent(b.other.count, r.events), first: time(b.other.first, zone), last: time(b.other.last, zone) } : null,
      })),
    },
    null,
    2,
  )}\n`;
}

export function statsCsv(r: StatsReport, zone: DisplayZone): string {
  let out = csvRow(['by', ...DIMENSIONS, 'count', 'percent', 'first', 'last']);
  for (const b of r.breakdowns) {
    for (const g of groupsWithOther(b)) {
      const cells = DIMENSIONS.map((d) => {
        const i = b.by.indexOf(d);
        return i < 0 ? null : (g.values[i] ?? NONE);
      });
      out += csvRow([b.by.join('+'), ...cells, g.count, percent(g.count, r.events), time(g.first, zone), time(g.last, zone)]);
    }
  }
  return out;
}

/** The table: totals, then each breakdown's `top` largest groups (0: all), values cut to `width`. */
export function statsTable(r: StatsReport, zone: DisplayZone, top: number, width: number): string {
  const lines: string[] = [];
  const span = r.first !== null ? `, ${time(r.first, zone)} .. ${time(r.last, zone)}` : '';
  const notes = [r.untimed > 0 ? `${r.untimed.toLocaleString('en-US')} without a usable time` : '', r.malformed > 0 ? `${r.malformed.toLocaleString('en-US')} malformed records skipped` : ''].filter(Boolean);
  lines.push(`${r.events.toLocaleString('en-US')} events in ${r.inputs.length} input${r.inputs.length === 1 ? '' : 's'}${span}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`);
  for (const b of r.breakdowns) {
    const all = groupsWithOther(b);
    const shown = top > 0 ? all.slice(0, top) : all;
    lines.push('', `By ${b.by.map((d) => NAMES[d]).join(' + ')} (${b.groups.length.toLocaleString('en-US')}${b.other ? '+' : ''} distinct)`);
    const rows = shown.map((g) => [
      g.count.toLocaleString('en-US'),
      `${percent(g.count, r.events).toFixed(PERCENT_DIGITS)}%`,
      time(g.first, zone) ?? '-',
      time(g.last, zone) ?? '-',
      ...g.values.map((v) => sanitize(v ?? NONE)),
    ]);
    const header = ['COUNT', 'PERCENT', 'FIRST', 'LAST', ...b.by.map((d) => HEADERS[d])];
    const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((row) => displayWidth(row[i]))));
    const RIGHT = 2;
    const render = (cells: string[]): string =>
      truncate(
        cells
          .map((c, i) => (i < RIGHT ? padStart(c, widths[i]) : i === cells.length - 1 ? c : padEnd(c, widths[i])))
          .join('  ')
          .replace(/\s+$/, ''),
        width,
      );
    lines.push(`  ${render(header)}`, ...rows.map((row) => `  ${render(row)}`));
    if (shown.length < all.length) lines.push(`  ... and ${(all.length - shown.length).toLocaleString('en-US')} more (--top 0 shows all)`);
  }
  return `${lines.join('\n')}\n`;
}
