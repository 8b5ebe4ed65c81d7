/**
 * Events from JSON text, streamed in chunks: NDJSON (one object per line), a JSON array of objects, or JSON values
 * one after another (evtx_dump output, pretty-printed). This is the reference implementation of the framing spec
 * in DESIGN.md section 4 ("Framing"); the VM's byte scanner (assembly/json/scan.ts) implements the same spec and
 * must agree with it on every event (index, line) and every error (line, kind). Records are judged by JSON.parse.
 *
 * The reader is a state machine over UTF-16 code units; everything the spec looks at (quotes, backslashes,
 * brackets, commas, newlines, whitespace, U+FEFF) is one code unit, so it sees exactly what the byte scanner sees.
 * Record sizes are counted in UTF-8 bytes of the text (what the byte scanner counts, for valid UTF-8 input).
 */

export interface EventRecord {
  /** 0-based index among the input's events (records with errors do not take an index). */
  index: number;
  /** 1-based line where the event starts. */
  line: number;
  event: Record<string, unknown>;
}

/**
 * What went wrong with a record (the VM's note kinds): `malformed` (not JSON, junk, a broken NDJSON line, a record
 * cut off by the end of input, an array never closed), `not-object` (valid JSON that is not an object),
 * `too-large` (longer than the maximum record size).
 */
export type InputErrorKind = 'malformed' | 'not-object' | 'too-large';

export interface InputError {
  line: number;
  kind: InputErrorKind;
  message: string;
}

export interface ReaderOptions {
  /** Largest single record accepted, in UTF-8 bytes. Larger records are reported and skipped. */
  maxRecordBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * Deepest nesting tracked while a too-large record is skipped by bracket balance (the byte scanner carries the
 * depth across chunks in 24 bits); nesting beyond it ends the balanced skip at the end of the line (spec rule 7).
 */
export const SKIP_DEPTH_LIMIT = 0xffffff;

type Mode = 'unknown' | 'ndjson' | 'concat' | 'array';
type ArrayState = 'open' | 'next' | 'after' | 'closed';
type Phase = 'between' | 'record' | 'after-record' | 'skip-line' | 'skip-balanced' | 'skip-element';

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const BOM = 0xfeff;
const ASCII_END = 0x80;
const TWO_BYTE_END = 0x800;
const SURROGATE_FIRST = 0xd800;
const SURROGATE_LAST = 0xdfff;

/** Whitespace between records (and after an NDJSON record on its line). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === NEWLINE || c === BOM;
}

/** UTF-8 bytes of one UTF-16 code unit (a surrogate pair is 2 + 2; TextDecoder output has no lone surrogates). */
function utf8Bytes(c: number): number {
  if (c < ASCII_END) return 1;
  if (c < TWO_BYTE_END) return 2;
  if (c >= SURROGATE_FIRST && c <= SURROGATE_LAST) return 2;
  return 3;
}

export class JsonEventReader {
  private mode: Mode = 'unknown';
  private arrayState: ArrayState = 'open';
  private phase: Phase = 'between';
  private line = 1;
  private index = 0;
  /** The record being framed: text of earlier chunks, its start line, size in UTF-8 bytes, and string/depth state. */
  private parts: string[] = [];
  private recordLine = 0;
  private recordBytes = 0;
  private element = false;
  private crossed = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** An NDJSON record that closed, waiting for the end of its line (the rest must be whitespace). */
  private pending: string | null = null;
  private readonly maxRecord: number;
  readonly errors: InputError[] = [];

  constructor(options: ReaderOptions = {}) {
    this.maxRecord = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** Feed decoded text; returns the events completed by it. */
  push(chunk: string): EventRecord[] {
    const out: EventRecord[] = [];
    // Start of the current record's text inside this chunk (0 when a record carries over from the last chunk).
    let segment = this.phase === 'record' ? 0 : -1;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      switch (this.phase) {
        case 'between':
          if (this.between(c)) {
            segment = i;
            this.recordChar(c, chunk, i, segment, out);
            if ((this.phase as Phase) !== 'record') segment = -1;
          }
          break;
        case 'record':
          if (this.recordChar(c, chunk, i, segment, out)) i--; // an element ended before c: c is a separator
          if (this.phase !== 'record') segment = -1;
          break;
        case 'after-record':
          if (c === NEWLINE) {
            this.line++;
            this.emit(this.pending!, this.recordLine, out);
            this.pending = null;
            this.phase = 'between';
          } else if (!isSpace(c)) {
            this.fail('malformed', 'the line goes on after the JSON record', this.recordLine);
            this.pending = null;
            this.phase = 'skip-line';
          }
          break;
        case 'skip-line':
          if (c === NEWLINE) {
            this.line++;
            this.phase = 'between';
          }
          break;
        case 'skip-balanced':
          if (c === NEWLINE) {
            this.line++;
            this.crossed = true;
          }
          this.track(c);
          if (this.depth > SKIP_DEPTH_LIMIT) this.phase = 'skip-line';
          else if (this.depth === 0 && !this.inString) {
            if (this.mode === 'unknown') this.mode = this.crossed ? 'concat' : 'ndjson';
            this.phase = this.mode === 'ndjson' ? 'skip-line' : 'between';
          }
          break;
        case 'skip-element':
          if (!this.inString && this.depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
            this.arrayState = 'after';
            this.phase = 'between';
            i--; // the separator is handled between elements
            break;
          }
          if (c === NEWLINE) this.line++;
          this.track(c);
          if (this.depth > SKIP_DEPTH_LIMIT) {
            this.arrayState = 'after';
            this.phase = 'skip-line';
          }
          break;
      }
    }
    if (this.phase === 'record') this.parts.push(chunk.slice(segment));
    return out;
  }

  /** Finish the input: a record cut off by the end is reported; a pending NDJSON record is complete. */
  end(): EventRecord[] {
    const out: EventRecord[] = [];
    if (this.phase === 'record') {
      this.fail('malformed', 'the input ends inside a JSON value (truncated record)', this.recordLine);
      this.parts = [];
    } else if (this.phase === 'after-record') {
      this.emit(this.pending!, this.recordLine, out);
      this.pending = null;
    }
    this.phase = 'between';
    if (this.mode === 'array' && this.arrayState !== 'closed') {
      this.fail('malformed', 'the JSON array is not closed with "]"', this.line);
      this.arrayState = 'closed';
    }
    return out;
  }

  /** Events read so far (the next event's index). */
  get count(): number {
    return this.index;
  }

  /** One code unit between records. Returns true when c starts a record (the caller frames it from c). */
  private between(c: number): boolean {
    if (c === NEWLINE) {
      this.line++;
      return false;
    }
    if (isSpace(c)) return false;
    if (this.mode === 'array') {
      switch (this.arrayState) {
        case 'closed':
          this.fail('malformed', 'text after the end of the JSON array', this.line);
          this.phase = 'skip-line';
          return false;
        case 'after':
          if (c === COMMA) this.arrayState = 'next';
          else if (c === CLOSE_BRACKET) this.arrayState = 'closed';
          else {
            this.fail('malformed', 'expected "," or "]" after an array element', this.line);
            this.phase = 'skip-line';
          }
          return false;
        case 'open':
        case 'next':
          if (c === CLOSE_BRACKET && this.arrayState === 'open') {
            this.arrayState = 'closed';
            return false;
          }
          if (c === COMMA || c === CLOSE_BRACKET) {
            this.fail('malformed', 'an empty array element', this.line);
            this.arrayState = c === COMMA ? 'next' : 'closed';
            return false;
          }
          this.startRecord(true);
          return true;
      }
    }
    if (this.mode === 'unknown' && c === OPEN_BRACKET) {
      this.mode = 'array';
      this.arrayState = 'open';
      return false;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.startRecord(false);
      return true;
    }
    this.fail('malformed', `expected a JSON object, found ${JSON.stringify(String.fromCharCode(c))}`, this.line);
    this.phase = 'skip-line';
    return false;
  }

  private startRecord(element: boolean): void {
    this.phase = 'record';
    this.element = element;
    this.recordLine = this.line;
    this.recordBytes = 0;
    this.crossed = false;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.parts = [];
  }

  /**
   * One code unit of a record. Returns true when an array element ended *before* c (c, a separator, must be
   * handled again between elements).
   */
  private recordChar(c: number, chunk: string, i: number, segment: number, out: EventRecord[]): boolean {
    if (this.element && !this.inString && this.depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
      const text = this.take(chunk, segment, i);
      this.arrayState = 'after';
      this.phase = 'between';
      this.emit(text, this.recordLine, out);
      return true;
    }
    if (c === NEWLINE) {
      this.line++;
      if (this.mode === 'ndjson') {
        this.fail('malformed', 'the line ends inside a JSON value', this.recordLine);
        this.parts = [];
        this.phase = 'between';
        return false;
      }
      this.crossed = true;
    }
    this.recordBytes += utf8Bytes(c);
    this.track(c);
    const closed = !this.element && this.depth === 0 && !this.inString;
    if (this.recordBytes > this.maxRecord) {
      this.fail('too-large', `the record is larger than ${this.maxRecord} bytes; skipped`, this.recordLine);
      this.parts = [];
      if (this.element) {
        this.phase = 'skip-element';
        if (this.depth > SKIP_DEPTH_LIMIT) {
          this.arrayState = 'after';
          this.phase = 'skip-line';
        }
      } else if (closed) {
        if (this.mode === 'unknown') this.mode = this.crossed ? 'concat' : 'ndjson';
        this.phase = this.mode === 'ndjson' ? 'skip-line' : 'between';
      } else if (this.mode === 'ndjson' || this.depth > SKIP_DEPTH_LIMIT) this.phase = 'skip-line';
      else this.phase = 'skip-balanced';
      return false;
    }
    if (closed) {
      const text = this.take(chunk, segment, i + 1);
      if (this.mode === 'unknown') this.mode = this.crossed ? 'concat' : 'ndjson';
      if (this.mode === 'ndjson') {
        this.pending = text;
        this.phase = 'after-record';
      } else {
        this.phase = 'between';
        this.emit(text, this.recordLine, out);
      }
    }
    return false;
  }

  /** String-aware bracket balance. A closer at depth 0 (junk inside an array element) leaves the depth at 0. */
  private track(c: number): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === BACKSLASH) this.escaped = true;
      else if (c === QUOTE) this.inString = false;
      return;
    }
    if (c === QUOTE) this.inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && this.depth > 0) this.depth--;
  }

  private take(chunk: string, start: number, end: number): string {
    const tail = chunk.slice(Math.max(start, 0), end);
    const text = this.parts.length > 0 ? this.parts.join('') + tail : tail;
    this.parts = [];
    return text;
  }

  private emit(text: string, line: number, out: EventRecord[]): void {
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (e) {
      this.fail('malformed', `invalid JSON: ${(e as Error).message}`, line);
      return;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      this.fail('not-object', 'expected a JSON object (an event)', line);
      return;
    }
    out.push({ index: this.index++, line, event: event as Record<string, unknown> });
  }

  private fail(kind: InputErrorKind, message: string, line: number): void {
    this.errors.push({ line, kind, message });
  }
}

/** Read every event of a complete text. */
export function readJsonEvents(text: string, options?: ReaderOptions): { events: EventRecord[]; errors: InputError[] } {
  const reader = new JsonEventReader(options);
  const events = reader.push(text);
  events.push(...reader.end());
  return { events, errors: reader.errors };
}
