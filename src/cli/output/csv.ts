/**
 * CSV (RFC 4180): a header, one record per hit, CRLF line ends, fields quoted when they hold a comma, a quote, CR or
 * LF (quotes doubled). The columns are `--columns`' (default: the `verbose` profile, every column). Lists are joined
 * with `; ` (tags, detections; fields as `name=value`); a correlation alert's `correlation` cell holds its JSON object
 * (empty for rule hits). A cell that a spreadsheet would read as a formula (starting with =, +, -, @, tab or CR) gets
 * a leading `'` (OWASP's advice for CSV injection): event data is attacker-controlled.
 */
import { COLUMN_PROFILES, profileColumns, type Column } from './columns.js';
import { StreamWriter, type Output, type OutputStream } from './types.js';

export const CSV_COLUMNS = COLUMN_PROFILES.verbose;

const FORMULA = /^[=+\-@\t\r]/;

/** One CSV field: quoted when needed; formula-looking text neutralised. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export function csvOutput(stream: OutputStream, columns: readonly Column[] = profileColumns('verbose')): Output {
  const out = new StreamWriter(stream);
  out.write(csvRow(columns.map((c) => c.name)));
  return {
    hit(h) {
      out.write(csvRow(columns.map((c) => c.cell(h))));
    },
    flush: () => out.flush(),
    end: () => out.flush(),
  };
}
