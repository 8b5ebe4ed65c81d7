/** What the scan command hands to an output format, and what every format shares. */

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

export interface OutputHit {
  /** 0-based index of the event in its input. */
  event: number;
  /** The input file (absent for stdin or when there is one input and the caller leaves it out). */
  file?: string;
  /** 1-based line where the event starts. */
  line?: number;
  /** The event's own time, when it has one (see `eventTime`). */
  time?: string;
  rule: OutputRule;
  /** Provenance: the search identifiers that were true. */
  detections?: readonly string[];
  /** Provenance: the event values that made the items match. */
  fields?: readonly { field: string; value: string }[];
}

export interface OutputOptions {
  /** ANSI colours (table only; see `colorEnabled`). */
  color: boolean;
  /** Columns the table may use (see `terminalWidth`); 0 or Infinity: no truncation. */
  width: number;
}

export interface Output {
  hit(h: OutputHit): void;
  /** Wait until what was written has drained (call between input chunks to keep memory flat). */
  flush(): Promise<void>;
  /** Write what the format writes last (the table's pending rows and footer, the JSON array's `]`) and drain. */
  end(): Promise<void>;
}

/** The least a destination must offer: Node's writable streams (process.stdout) and test doubles fit. */
export interface OutputStream {
  write(chunk: string): boolean;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Writes with backpressure: `flush` waits for 'drain' when the stream asked to. */
export class StreamWriter {
  private pending: Promise<void> | null = null;

  constructor(private readonly stream: OutputStream) {}

  write(text: string): void {
    if (text === '') return;
    if (!this.stream.write(text) && !this.pending && this.stream.once) {
      this.pending = new Promise<void>((resolve) => {
        this.stream.once!('drain', () => {
          this.pending = null;
          resolve();
        });
      });
    }
  }

  async flush(): Promise<void> {
    while (this.pending) await this.pending;
  }
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
  detections?: string[];
  fields?: { field: string; value: string }[];
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
    ...(h.detections !== undefined ? { detections: [...h.detections] } : {}),
    ...(h.fields !== undefined ? { fields: h.fields.map((f) => ({ field: f.field, value: f.value })) } : {}),
  };
}

export { eventTime } from '../../input/event-fields.js';
