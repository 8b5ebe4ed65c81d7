/**
 * The `timesketch` formats: CSV or JSONL that Timesketch imports as a timeline. Each row carries the three fields
 * Timesketch requires, `message` (rule title, level and what matched), `datetime` (ISO 8601, UTC, written with
 * `+00:00` as Timesketch's own examples are) and `timestamp_desc`, plus `timestamp` (microseconds since the epoch)
 * and the hit's columns (CSV: `--columns`, default `verbose`; JSONL: the hit's JSON record).
 *
 * Timesketch cannot place a row without a time: hits whose event has none that can be read are left out and counted
 * (`leftOut`), and the scan says so on stderr.
 */
import { formatTime } from '../../correlation/index.js';
import { COLUMNS, profileColumns, type Column } from './columns.js';
import { csvRow } from './csv.js';
import { hitRecord, StreamWriter, type Output, type OutputHit, type OutputStream } from './types.js';

export const TIMESTAMP_DESC = 'Event Time';
const MICROSECONDS_PER_MS = 1000;
/** Columns Timesketch fills from its own fields: not repeated after them. */
const OWN_FIELDS = new Set(['time', 'time_unparsed']);

export function timesketchMessage(h: OutputHit): string {
  const details = COLUMNS.get('details')!.cell(h);
  return `${h.rule.title} (${h.rule.level ?? 'no level'})${details ? `: ${details}` : ''}`;
}

/** `2026-11-28T07:37:34.069+00:00`. */
function datetime(ms: number): string {
  return `${formatTime(ms).slice(0, -1)}+00:00`;
}

interface TimesketchRow {
  message: string;
  datetime: string;
  timestamp: number;
  timestamp_desc: string;
}

function timesketchOutput(stream: OutputStream, header: string, row: (own: TimesketchRow, h: OutputHit) => string): Output {
  const out = new StreamWriter(stream);
  out.write(header);
  let leftOut = 0;
  return {
    hit(h) {
      if (h.timestamp === undefined) {
        leftOut++;
        return;
      }
      out.write(row({ message: timesketchMessage(h), datetime: datetime(h.timestamp), timestamp: h.timestamp * MICROSECONDS_PER_MS, timestamp_desc: TIMESTAMP_DESC }, h));
    },
    flush: () => out.flush(),
    end: () => out.flush(),
    leftOut: () => (leftOut > 0 ? { hits: leftOut, reason: 'without a usable time (Timesketch needs one)' } : null),
  };
}

export function timesketchCsvOutput(stream: OutputStream, columns: readonly Column[] = profileColumns('verbose')): Output {
  const extra = columns.filter((c) => !OWN_FIELDS.has(c.name));
  const header = csvRow(['message', 'datetime', 'timestamp', 'timestamp_desc', ...extra.map((c) => c.name)]);
  return timesketchOutput(stream, header, (own, h) => csvRow([own.message, own.datetime, own.timestamp, own.timestamp_desc, ...extra.map((c) => c.cell(h))]));
}

export function timesketchJsonlOutput(stream: OutputStream): Output {
  return timesketchOutput(stream, '', (own, h) => {
    const { time: _written, time_unparsed: _unparsed, ...record } = hitRecord(h);
    return `${JSON.stringify({ ...own, ...record })}\n`;
  });
}
