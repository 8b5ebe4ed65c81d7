/**
 * The columns of the table and CSV formats, and the `--columns` profiles. A column reads one cell from a hit; the
 * table also needs to know how wide it may grow (`cap`), whether it takes the width left over (`flex`) and which end
 * to keep when cut (`keepEnd`: paths). The CSV header is the list of column names; the table's, their headers.
 */
import { correlationText, type OutputHit } from './types.js';

export interface Column {
  name: string;
  header: string;
  cell(h: OutputHit): string | number | undefined;
  /** The table's cell when it differs (a time that could not be read is marked there; CSV has `time_unparsed`). */
  display?(h: OutputHit): string | number | undefined;
  /** Table: the widest the column gets (fixed columns), or its least width (flex columns). */
  cap?: number;
  flex?: { min: number };
  keepEnd?: boolean;
  /** Table: on a narrow terminal, columns are left out highest first until the rest fit (absent: always kept). */
  drop?: number;
}

const MAX_TIME = 30;
const MAX_LEVEL = 8;
const MAX_WHERE = 36;
const MAX_NAME = 28;
const MAX_NUMBER = 12;
const MAX_ID = 36;
const MIN_TITLE = 24;
const MIN_DETAILS = 12;

/** Windows channel names without their common prefix and suffix, for the table (`Sysmon`, `Security`). */
function shortChannel(h: OutputHit): string | undefined {
  return h.channel?.replace(/^Microsoft-Windows-/i, '').replace(/\/Operational$/i, '');
}

function levelLabel(level: string | undefined): string {
  if (level === undefined) return '-';
  return level === 'informational' ? 'info' : level;
}

/** Where the event is, in one cell: `file:line`, `file#index` or `#index line n`. */
function where(h: OutputHit): string {
  if (h.file !== undefined) return `${h.file}${h.line !== undefined ? `:${h.line}` : `#${h.event}`}`;
  return h.line !== undefined ? `#${h.event} line ${h.line}` : `#${h.event}`;
}

/** What made the hit, in one cell: the correlation, else the matching values, else the search identifiers. */
function details(h: OutputHit): string {
  if (h.correlation) return correlationText(h.correlation);
  if (h.fields && h.fields.length > 0) return h.fields.map((f) => `${f.field}=${f.value}`).join('  ');
  if (h.detections && h.detections.length > 0) return `[${h.detections.join(', ')}]`;
  return '';
}

const COLUMN_LIST: readonly Column[] = [
  { name: 'time', header: 'TIME', cell: (h) => h.time, display: (h) => (h.time !== undefined && h.timeUnparsed ? `? ${h.time}` : h.time), cap: MAX_TIME },
  { name: 'time_unparsed', header: 'UNPARSED', cell: (h) => (h.timeUnparsed ? 'true' : undefined), cap: MAX_LEVEL, drop: 9 },
  { name: 'level', header: 'LEVEL', cell: (h) => h.rule.level, display: (h) => levelLabel(h.rule.level), cap: MAX_LEVEL },
  { name: 'computer', header: 'COMPUTER', cell: (h) => h.computer, cap: MAX_NAME, drop: 3 },
  { name: 'channel', header: 'CHANNEL', cell: (h) => h.channel, display: shortChannel, cap: MAX_NAME, drop: 7 },
  { name: 'provider', header: 'PROVIDER', cell: (h) => h.provider, cap: MAX_NAME, drop: 8 },
  { name: 'event_id', header: 'EVENT ID', cell: (h) => h.eventId, cap: MAX_NUMBER, drop: 4 },
  { name: 'record_id', header: 'RECORD ID', cell: (h) => h.recordId, cap: MAX_NUMBER, drop: 6 },
  { name: 'rule_title', header: 'RULE', cell: (h) => h.rule.title, flex: { min: MIN_TITLE } },
  { name: 'rule_id', header: 'RULE ID', cell: (h) => h.rule.id, cap: MAX_ID, drop: 10 },
  { name: 'status', header: 'STATUS', cell: (h) => h.rule.status, cap: MAX_NUMBER, drop: 11 },
  { name: 'author', header: 'AUTHOR', cell: (h) => h.rule.author, cap: MAX_NAME, drop: 12 },
  { name: 'tags', header: 'TAGS', cell: (h) => h.rule.tags?.join('; '), flex: { min: MIN_DETAILS } },
  { name: 'where', header: 'EVENT', cell: where, cap: MAX_WHERE, keepEnd: true, drop: 5 },
  { name: 'file', header: 'FILE', cell: (h) => h.file, cap: MAX_WHERE, keepEnd: true, drop: 5 },
  { name: 'line', header: 'LINE', cell: (h) => h.line, cap: MAX_NUMBER, drop: 6 },
  { name: 'event', header: 'INDEX', cell: (h) => h.event, cap: MAX_NUMBER, drop: 6 },
  { name: 'offset', header: 'OFFSET', cell: (h) => h.offset, cap: MAX_NUMBER, drop: 6 },
  { name: 'details', header: 'DETAILS', cell: details, flex: { min: MIN_DETAILS } },
  { name: 'detections', header: 'DETECTIONS', cell: (h) => h.detections?.join('; '), flex: { min: MIN_DETAILS } },
  { name: 'fields', header: 'FIELDS', cell: (h) => h.fields?.map((f) => `${f.field}=${f.value}`).join('; '), flex: { min: MIN_DETAILS } },
  { name: 'correlation', header: 'CORRELATION', cell: (h) => (h.correlation ? JSON.stringify(h.correlation) : undefined), flex: { min: MIN_DETAILS } },
];

export const COLUMNS: ReadonlyMap<string, Column> = new Map(COLUMN_LIST.map((c) => [c.name, c]));
export const COLUMN_NAMES: readonly string[] = COLUMN_LIST.map((c) => c.name);

/**
 * Column profiles. `verbose` keeps the order CSV had before profiles existed (scripts reading it by position go on
 * working) with the event's own columns after it; it is the CSV default. The table's default is `standard`.
 */
export const COLUMN_PROFILES = {
  minimal: ['time', 'computer', 'event_id', 'level', 'rule_title'],
  standard: ['time', 'level', 'computer', 'channel', 'event_id', 'record_id', 'rule_title', 'where', 'details'],
  verbose: [
    'event', 'file', 'line', 'time', 'level', 'rule_id', 'rule_title', 'status', 'author', 'tags', 'detections', 'fields', 'record_id', 'offset', 'correlation',
    'computer', 'channel', 'provider', 'event_id', 'time_unparsed',
  ],
} as const satisfies Record<string, readonly string[]>;

export type ColumnProfile = keyof typeof COLUMN_PROFILES;

export class UnknownColumnError extends Error {}

/**
 * `--columns`: a profile name or a comma list of column names (each once). Throws UnknownColumnError naming the
 * valid choices.
 */
export function parseColumns(spec: string): readonly Column[] {
  const profile = COLUMN_PROFILES[spec.trim().toLowerCase() as ColumnProfile];
  const names: readonly string[] = profile ?? spec.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (names.length === 0) throw new UnknownColumnError(`--columns needs a profile or column names, got "${spec}"`);
  const unknown = names.filter((n) => !COLUMNS.has(n));
  if (unknown.length > 0) {
    throw new UnknownColumnError(
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} in --columns; ` +
        `profiles: ${Object.keys(COLUMN_PROFILES).join(', ')}; columns: ${COLUMN_NAMES.join(', ')}`,
    );
  }
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) throw new UnknownColumnError(`column "${repeated}" is listed twice in --columns`);
  return names.map((n) => COLUMNS.get(n)!);
}

export function profileColumns(profile: ColumnProfile): readonly Column[] {
  return COLUMN_PROFILES[profile].map((n) => COLUMNS.get(n)!);
}
