/**
 * CSV (RFC 4180): a header, one record per hit, CRLF line ends, fields quoted when they hold a comma, a quote, CR or
 * LF (quotes doubled). Lists are joined with `; ` (tags, detections; fields as `name=value`); a correlation alert's
 * `correlation` cell holds its JSON object (empty for rule hits). A cell that a spreadsheet
 * would read as a formula (starting with =, +, -, @, tab or CR) gets a leading `'` (OWASP's advice for CSV injection):
 * event data is attacker-controlled.
 */
import { hitRecord, StreamWriter, type Output, type OutputStream } from './types.js';

export const CSV_COLUMNS = ['event', 'file', 'line', 'time', 'level', 'rule_id', 'rule_title', 'status', 'author', 'tags', 'detections', 'fields', 'record_id', 'offset', 'correlation'] as const;

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

export function csvOutput(stream: OutputStream): Output {
  const out = new StreamWriter(stream);
  out.write(csvRow(CSV_COLUMNS));
  return {
    hit(h) {
      const r = hitRecord(h);
      out.write(
        csvRow([
          r.event,
          r.file,
          r.line,
          r.time,
          r.level,
          r.id,
          r.title,
          r.status,
          r.author,
          r.tags.join('; '),
          r.detections?.join('; '),
          r.fields?.map((f) => `${f.field}=${f.value}`).join('; '),
          r.record_id,
          r.offset,
          r.correlation ? JSON.stringify(r.correlation) : undefined,
        ]),
      );
    },
    flush: () => out.flush(),
    end: () => out.flush(),
  };
}
