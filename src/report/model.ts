/**
 * What the report and the workbench show of a run: rules as their metadata, hits as flat records with the fields a
 * timeline needs (time, computer, event ID, the matched values), and the order they are listed in.
 */
import { formatTime, parseTime } from '../correlation/time.js';
import { eventChannel, eventComputer, eventIdOf, eventProvider, eventRecordId, eventTime } from '../input/event-fields.js';

/** Rule levels, most severe first (the order of legends and filters). */
export const LEVELS = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export type Level = (typeof LEVELS)[number];
/** Hits of rules without a (known) level. */
export const UNKNOWN_LEVEL = 'unknown';

export interface ReportRule {
  id?: string;
  title: string;
  level?: string;
  status?: string;
  author?: string;
  tags: readonly string[];
}

export interface MatchedValue {
  field: string;
  value: string;
}

export interface ReportHit {
  /** Index of the rule in the run's rule list. */
  rule: number;
  /** The input the event came from (its name as given; '' for standard input). */
  file: string;
  /** 0-based index of the event in its input. */
  event: number;
  /** 1-based line where the event starts (bytes path). */
  line?: number;
  /**
   * The event's time in UTC ISO 8601 with milliseconds, as `sigmatch scan` writes it (as written when it cannot be
   * read), and as ms since the epoch (NaN when absent or unreadable).
   */
  time?: string;
  ts: number;
  computer?: string;
  eventId?: string;
  /** The Windows channel, provider and EventRecordID, when the event has them (the CLI's columns). */
  channel?: string;
  provider?: string;
  recordId?: number;
  /** Provenance: the search identifiers that were true, and the values that made the items match. */
  detections?: readonly string[];
  fields?: readonly MatchedValue[];
}

/** A rule's level as one of LEVELS, or UNKNOWN_LEVEL. */
export function levelOf(rule: Pick<ReportRule, 'level'>): Level | typeof UNKNOWN_LEVEL {
  const l = rule.level?.toLowerCase();
  return (LEVELS as readonly string[]).includes(l ?? '') ? (l as Level) : UNKNOWN_LEVEL;
}

/** A level's rank: 0 for critical .. 4 for informational, 5 for unknown. */
export function levelRank(level: string): number {
  const i = (LEVELS as readonly string[]).indexOf(level);
  return i < 0 ? LEVELS.length : i;
}

/** A hit's record, with the time, computer and event ID read from the parsed event (when the caller has it). */
export function reportHit(base: Omit<ReportHit, 'ts' | 'time' | 'computer' | 'eventId' | 'channel' | 'provider' | 'recordId'>, event: unknown): ReportHit {
  const written = eventTime(event);
  const ms = written !== undefined ? parseTime(written) : null;
  const time = ms !== null ? formatTime(ms) : written;
  const computer = eventComputer(event);
  const eventId = eventIdOf(event);
  const channel = eventChannel(event);
  const provider = eventProvider(event);
  const recordId = eventRecordId(event);
  return {
    ...base,
    ...(time !== undefined ? { time } : {}),
    ts: ms ?? NaN,
    ...(computer !== undefined ? { computer } : {}),
    ...(eventId !== undefined ? { eventId } : {}),
    ...(channel !== undefined ? { channel } : {}),
    ...(provider !== undefined ? { provider } : {}),
    ...(recordId !== undefined ? { recordId } : {}),
  };
}

/**
 * The timeline order: by time (hits without one last), then input, event and rule, so hits of one event stay
 * together and the order never depends on how the scan was batched.
 */
export function compareHits(a: ReportHit, b: ReportHit): number {
  const at = Number.isNaN(a.ts) ? Infinity : a.ts;
  const bt = Number.isNaN(b.ts) ? Infinity : b.ts;
  if (at !== bt) return at < bt ? -1 : 1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.event - b.event || a.rule - b.rule;
}
