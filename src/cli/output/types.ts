/** What the scan command hands to an output format, and what every format shares. */
import type { Column } from './columns.js';

/** The rule metadata a hit carries (a `RuleInfo` or `SigmaRule` fits). */
export interface OutputRule {
  id?: string;
  title: string;
  level?: string;
  status?: string;
  tags?: readonly string[];
  /** Kept in every format: the SigmaHQ Detection Rule License asks for the author's attribution. */
  author?: string;
}

/** What a correlation alert adds to a hit (see src/correlation: CorrelationMatch). */
export interface OutputCorrelation {
  type: string;
  /** Group-by names and values (null: absent; a list: the field held an array). */
  group: Record<string, string | string[] | null>;
  /** The aggregated value the condition compared. */
  value: number;
  /** Times of the window's oldest and newest events (ISO 8601). */
  first: string;
  last: string;
  /** The window's events (--correlation-events refs). */
  events?: { file?: string; event: number; line?: number }[];
}

export interface OutputHit {
  /** 0-based index of the event in its input. */
  event: number;
  /** The input file (absent for stdin or when there is one input and the caller leaves it out). */
  file?: string;
  /** 1-based line where the event starts. */
  line?: number;
  /**
   * The event's own time, when it has one (see `eventTime`): as written, or normalised by the scan (ISO 8601 in the
   * display zone); as written when it cannot be read, with `timeUnparsed`.
   */
  time?: string;
  /** The time in epoch milliseconds, when it could be read. */
  timestamp?: number;
  timeUnparsed?: boolean;
  /** What the event says of itself, when it says (see src/input/event-fields.ts). */
  computer?: string;
  channel?: string;
  provider?: string;
  eventId?: string;
  /** .evtx input: the record's EventRecordID and its byte offset in the file. */
  recordId?: number;
  offset?: number;
  rule: OutputRule;
  /** Provenance: the search identifiers that were true. */
  detections?: readonly string[];
  /** Provenance: the event values that made the items match. */
  fields?: readonly { field: string; value: string }[];
  /** A correlation alert (rule is the correlation; event, file and line are the event that completed it). */
  correlation?: OutputCorrelation;
}

export interface OutputOptions {
  /** ANSI colours (table only; see `colorEnabled`). */
  color: boolean;
  /** Columns the table may use (see `terminalWidth`); 0 or Infinity: no truncation. */
  width: number;
  /** Table and CSV: the columns to show (default: the `standard` profile for the table, `verbose` for CSV). */
  columns?: readonly Column[];
}

export interface Output {
  hit(h: OutputHit): void;
  /** Wait until what was written has drained (call between input chunks to keep memory flat). */
  flush(): Promise<void>;
  /** Write what the format writes last (the table's pending rows and footer, the JSON array's `]`) and drain. */
  end(): Promise<void>;
  /** Hits the format could not hold and left out (Timesketch: hits without a time), or null. */
  leftOut?(): { hits: number; reason: string } | null;
}

/** The least a destination must offer: Node's writable streams (process.stdout) and test doubles fit. */
export interface OutputStream {
  write(chunk: string): boolean;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Writes with backpressure: `flush` waits for 'drain' when the stream asked to. What is written within one turn of
 * the event loop (a batch's hits) goes to the stream as one write, at the end of the turn or at `flush`: a write per
 * hit cost a stream request per hit. Nothing waits longer than the turn, so hits still come out as they are found.
 */
export class StreamWriter {
  private pending: Promise<void> | null = null;
  private buffered: string[] = [];
  private scheduled = false;

  constructor(private readonly stream: OutputStream) {}

  write(text: string): void {
    if (text === '') return;
    this.buffered.push(text);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.send);
    }
  }

  async flush(): Promise<void> {
    this.send();
    while (this.pending) await this.pending;
  }

  private readonly send = (): void => {
    this.scheduled = false;
    if (this.buffered.length === 0) return;
    const text = this.buffered.length === 1 ? this.buffered[0] : this.buffered.join('');
    this.buffered = [];
    if (!this.stream.write(text) && !this.pending && this.stream.once) {
      this.pending = new Promise<void>((resolve) => {
        this.stream.once!('drain', () => {
          this.pending = null;
          resolve();
        });
      });
    }
  };
}

/** A hit as one flat record, the shape JSONL, JSON and CSV share (keys in output order). */
export interface HitRecord {
  event: number;
  line: number | null;
  id: string | null;
  title: string;
  level: string | null;
  status: string | null;
  author: string | null;
  tags: string[];
  file?: string;
  time?: string;
  time_unparsed?: boolean;
  computer?: string;
  channel?: string;
  provider?: string;
  event_id?: string;
  record_id?: number;
  offset?: number;
  detections?: string[];
  fields?: { field: string; value: string }[];
  correlation?: OutputCorrelation;
}

export function hitRecord(h: OutputHit): HitRecord {
  const r = h.rule;
  return {
    event: h.event,
    line: h.line ?? null,
    id: r.id ?? null,
    title: r.title,
    level: r.level ?? null,
    status: r.status ?? null,
    author: r.author ?? null,
    tags: [...(r.tags ?? [])],
    ...(h.file !== undefined ? { file: h.file } : {}),
    ...(h.time !== undefined ? { time: h.time } : {}),
    ...(h.timeUnparsed ? { time_unparsed: true } : {}),
    ...(h.computer !== undefined ? { computer: h.computer } : {}),
    ...(h.channel !== undefined ? { channel: h.channel } : {}),
    ...(h.provider !== undefined ? { provider: h.provider } : {}),
    ...(h.eventId !== undefined ? { event_id: h.eventId } : {}),
    ...(h.recordId !== undefined ? { record_id: h.recordId } : {}),
    ...(h.offset !== undefined ? { offset: h.offset } : {}),
    ...(h.detections !== undefined ? { detections: [...h.detections] } : {}),
    ...(h.fields !== undefined ? { fields: h.fields.map((f) => ({ field: f.field, value: f.value })) } : {}),
    ...(h.correlation !== undefined ? { correlation: h.correlation } : {}),
  };
}

/** A correlation alert in a few words: `event_count 12 by IpAddress=10.0.0.5 in 07:00:01.000..07:00:09.000`. */
export function correlationText(c: OutputCorrelation): string {
  const group = Object.entries(c.group).map(([k, v]) => `${k}=${v === null ? '(none)' : Array.isArray(v) ? `[${v.join(', ')}]` : v}`);
  const time = (iso: string): string => iso.slice(11, 23);
  return `${c.type} ${c.value}${group.length > 0 ? ` by ${group.join(' ')}` : ''} in ${time(c.first)}..${time(c.last)}`;
}

export { eventTime } from '../../input/event-fields.js';
