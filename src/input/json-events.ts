/**
 * Events from JSON text, streamed in chunks: NDJSON (one object per line), a JSON array of objects, or objects one
 * after another (evtx_dump output, pretty-printed). Each event keeps its 0-based index in the input and the line it
 * starts on; a malformed record is reported with its line number and scanning goes on. Nothing is skipped silently.
 *
 * The format is decided by the input itself: `[` first means an array; otherwise the first object decides: if it
 * ends on the line it started, the input is NDJSON and each line is one record (a broken line cannot swallow the
 * next one); else records are whole JSON values one after another.
 */

export interface EventRecord {
  /** 0-based index among the input's events (malformed records do not take an index). */
  index: number;
  /** 1-based line where the event starts. */
  line: number;
  event: Record<string, unknown>;
}

export interface InputError {
  line: number;
  message: string;
}

export interface ReaderOptions {
  /** Largest single record accepted, in characters. Larger records are reported and skipped. */
  maxRecordChars?: number;
}

export const DEFAULT_MAX_RECORD_CHARS = 64 * 1024 * 1024;

type Mode = 'unknown' | 'ndjson' | 'concat' | 'array';

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === NEWLINE || c === 0xfeff;
}

export class JsonEventReader {
  private mode: Mode = 'unknown';
  private line = 1;
  private index = 0;
  /** Text of the record being collected (across chunks). */
  private parts: string[] = [];
  private partsLength = 0;
  private recordLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Skipping the rest of a bad line (NDJSON) or an oversized record. */
  private skipping: 'none' | 'line' | 'record' = 'none';
  private arrayState: 'before' | 'element' | 'after-element' | 'closed' = 'before';
  private readonly maxRecord: number;
  readonly errors: InputError[] = [];

  constructor(options: ReaderOptions = {}) {
    this.maxRecord = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  /** Feed decoded text; returns the events completed by it. */
  push(chunk: string): EventRecord[] {
    const out: EventRecord[] = [];
    let segmentStart = -1; // start of the current record inside this chunk
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.skipping !== 'none') {
        if (this.skipping === 'line' && c === NEWLINE) {
          this.skipping = 'none';
          this.line++;
        } else if (c === NEWLINE) this.line++;
        if (this.skipping === 'record') this.track(c, () => undefined);
        if (this.skipping === 'record' && this.depth === 0 && !this.inString) this.skipping = 'none';
        continue;
      }
      if (this.depth === 0 && !this.inString && this.partsLength === 0 && segmentStart < 0) {
        // Between records.
        if (c === NEWLINE) {
          this.line++;
          continue;
        }
        if (isSpace(c)) continue;
        if (this.mode === 'unknown' && c === OPEN_BRACKET) {
          this.mode = 'array';
          this.arrayState = 'before';
          continue;
        }
        if (this.mode === 'array') {
          if (c === COMMA && this.arrayState === 'after-element') {
            this.arrayState = 'element';
            continue;
          }
          if (c === CLOSE_BRACKET && this.arrayState !== 'closed') {
            this.arrayState = 'closed';
            continue;
          }
          if (this.arrayState === 'closed') {
            this.fail(`unexpected "${chunk[i]}" after the end of the JSON array`, this.line);
            this.skipping = 'line';
            continue;
          }
        }
        if (c !== OPEN_BRACE) {
          const what = c === OPEN_BRACKET ? 'an array' : `"${chunk[i]}"`;
          this.fail(`expected a JSON object (an event), found ${what}`, this.line);
          if (c === OPEN_BRACKET) {
            this.depth = 0;
            this.skipping = 'record';
            this.track(c, () => undefined);
          } else this.skipping = 'line';
          continue;
        }
        segmentStart = i;
        this.recordLine = this.line;
      }
      if (c === NEWLINE) {
        this.line++;
        if (this.mode === 'ndjson' && (this.depth > 0 || this.inString)) {
          // A record that does not end on its own line: the line is malformed; resume on the next one.
          this.fail('the line is not a complete JSON object (unterminated string, object or array)', this.recordLine);
          this.resetRecord();
          segmentStart = -1;
          continue;
        }
      }
      let closed = false;
      this.track(c, () => {
        closed = true;
      });
      if (closed) {
        const text = this.take(chunk, segmentStart, i + 1);
        segmentStart = -1;
        if (text !== null) {
          if (this.mode === 'unknown') this.mode = this.line === this.recordLine ? 'ndjson' : 'concat';
          if (this.mode === 'array') this.arrayState = 'after-element';
          const record = this.parse(text, this.recordLine);
          if (record) out.push(record);
        }
        continue;
      }
      if (segmentStart >= 0 && this.partsLength + (i - segmentStart) > this.maxRecord) {
        this.fail(`the record is larger than ${this.maxRecord} characters; skipped`, this.recordLine);
        this.parts = [];
        this.partsLength = 0;
        segmentStart = -1;
        this.skipping = 'record';
      }
    }
    if (segmentStart >= 0) {
      this.parts.push(chunk.slice(segmentStart));
      this.partsLength += n - segmentStart;
    }
    return out;
  }

  /** Finish the input: an unterminated record at the end is reported. */
  end(): EventRecord[] {
    if (this.partsLength > 0 || this.depth > 0 || this.inString) {
      this.fail('the input ends inside a JSON value (truncated record)', this.recordLine || this.line);
      this.resetRecord();
    }
    if (this.mode === 'array' && this.arrayState !== 'closed') this.fail('the JSON array is not closed with "]"', this.line);
    return [];
  }

  /** Events read so far (the next event's index). */
  get count(): number {
    return this.index;
  }

  private track(c: number, onClose: () => void): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === BACKSLASH) this.escaped = true;
      else if (c === QUOTE) this.inString = false;
      return;
    }
    if (c === QUOTE) this.inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      this.depth--;
      if (this.depth === 0) onClose();
      if (this.depth < 0) this.depth = 0;
    }
  }

  private take(chunk: string, start: number, end: number): string | null {
    const tail = chunk.slice(Math.max(start, 0), end);
    const text = this.parts.length > 0 ? this.parts.join('') + tail : tail;
    this.parts = [];
    this.partsLength = 0;
    return text;
  }

  private parse(text: string, line: number): EventRecord | null {
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (e) {
      this.fail(`invalid JSON: ${(e as Error).message}`, line);
      return null;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      this.fail('expected a JSON object (an event)', line);
      return null;
    }
    return { index: this.index++, line, event: event as Record<string, unknown> };
  }

  private resetRecord(): void {
    this.parts = [];
    this.partsLength = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  private fail(message: string, line: number): void {
    this.errors.push({ line, message });
  }
}

/** Read every event of a complete text. */
export function readJsonEvents(text: string, options?: ReaderOptions): { events: EventRecord[]; errors: InputError[] } {
  const reader = new JsonEventReader(options);
  const events = reader.push(text);
  events.push(...reader.end());
  return { events, errors: reader.errors };
}
