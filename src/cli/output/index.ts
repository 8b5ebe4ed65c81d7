/**
 * Output formats of `sigmatch scan`: `createOutput(format, stream, options)` returns the sink the scan drives, one
 * `hit()` per (event, rule) hit, `flush()` between input chunks, `end()` once. Plus the stderr progress line
 * (progress.ts) and the end summary (summary.ts).
 */
import { csvOutput } from './csv.js';
import { jsonOutput } from './json.js';
import { jsonlOutput } from './jsonl.js';
import { tableOutput } from './table.js';
import { timesketchCsvOutput, timesketchJsonlOutput } from './timesketch.js';
import type { Output, OutputOptions, OutputStream } from './types.js';

export const OUTPUT_FORMATS = ['table', 'jsonl', 'json', 'csv', 'timesketch-csv', 'timesketch-jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(s: string): s is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(s);
}

export function createOutput(format: OutputFormat, stream: OutputStream, options: OutputOptions): Output {
  switch (format) {
    case 'table':
      return tableOutput(stream, options);
    case 'jsonl':
      return jsonlOutput(stream);
    case 'json':
      return jsonOutput(stream);
    case 'csv':
      return csvOutput(stream, options.columns);
    case 'timesketch-csv':
      return timesketchCsvOutput(stream, options.columns);
    case 'timesketch-jsonl':
      return timesketchJsonlOutput(stream);
  }
}

export { correlationText, eventTime, hitRecord, type HitRecord, type OutputCorrelation, type Output, type OutputHit, type OutputOptions, type OutputRule, type OutputStream } from './types.js';
export { colorEnabled, terminalWidth, painter, sanitize, stripAnsi, displayWidth, truncate, type ColorChoice } from './ansi.js';
export { createProgress, type Progress, type ProgressOptions } from './progress.js';
export { SummaryCollector, formatSummary, type CorrelationTotals, type ScanTotals, type SummaryData } from './summary.js';
export { CSV_COLUMNS, csvField } from './csv.js';
export { hitEvidence, type HitEvidence } from './evidence.js';
export { normaliseHitTime } from './hit-time.js';
export { formatInZone, fromWallClock, parseZone, UTC, type DisplayZone } from './zone.js';
export { COLUMN_NAMES, COLUMN_PROFILES, parseColumns, profileColumns, UnknownColumnError, type Column } from './columns.js';
