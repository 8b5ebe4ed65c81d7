/**
 * Events from JSON text, streamed in chunks: NDJSON (one object per line), a JSON array of objects, or JSON values
 * one after another (evtx_dump output, pretty-printed). This is the reference implementation of the framing spec
 * in DESIGN.md section 4 ("Framing"); the VM's byte scanner (assembly/json/scan.ts) implements the same spec and
 * must agree with it on every event (index, line) and every error (lines, kind). Records are judged by JSON.parse.
 *
 * The reader is a state machine over UTF-16 code units; everything the spec looks at (quotes, backslashes,
 * brackets, commas, newlines, whitespace, U+FEFF) is one code unit, so it sees exactly what the byte scanner sees.
 * Record sizes are counted in UTF-8 bytes of the text (what the byte scanner counts, for valid UTF-8 input).
 *
 * Damage stays local: outside NDJSON, a unit that does not close (a broken record, junk) ends at the next *record
 * line* (a line that starts an object no deeper than records begin), so one bad record never swallows the records
 * after it.
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
 * cut off by the end of input or by the next record, an array never closed), `not-object` (valid JSON that is not an
 * object), `too-large` (longer than the maximum record size).
 */
export type InputErrorKind = 'malformed' | 'not-object' | 'too-large';

export interface InputError {
  /** First line of the damaged region (1-based). */
  line: number;
  /** Last line of the damaged region: the lines line..endLine were not read as events. */
  endLine: number;
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
 * depth across chunks in 24 bits); nesting beyond it ends the balanced skip: the rest of the unit is skipped as
 * junk (spec rule 8).
 */
export const SKIP_DEPTH_LIMIT = 0xffffff;

/** Indentations are counted up to this (the byte scanner keeps them in 16 bits). */
export const INDENT_LIMIT = 0xffff;

type Mode = 'unknown' | 'ndjson' | 'concat' | 'array';
type ArrayState = 'open' | 'next' | 'after' | 'closed';
type Phase = 'between' | 'record' | 'after-record' | 'skip-line' | 'skip-unit' | 'skip-balanced' | 'skip-element';

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

/** What a line's indentation is made of (no BOM: U+FEFF is one code unit here but three bytes in the scanner). */
function isIndent(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
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
  /** Something was malformed before the format was decided. */
  private damaged = false;
  private arrayState: ArrayState = 'open';
  private phase: Phase = 'between';
  private line = 1;
  private index = 0;
  /** The current line's indentation so far, and whether its first other character is still to come. */
  private indent = 0;
  private atLineStart = true;
  /** The character in hand is the first of its line after the indentation. */
  private firstOfLine = false;
  /** The unit being framed or skipped: text of earlier chunks, first line, cut column, size, string/depth state. */
  private parts: string[] = [];
  private recordLine = 0;
  /**
   * The cut column: the indentation of the line where the last record or object/array element began as the first
   * thing on its line (records of one input begin at one indentation; a line starting an object there starts a
   * record). 0 when an input starts; unknown (every line starting an object cuts) when an array opens.
   */
  private recordIndent = 0;
  private recordBytes = 0;
  private element = false;
  /** The element is an object or array: it ends where its brackets balance, like a record (rule 3). */
  private container = false;
  private crossed = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** What a skipped unit is reported as when it ends. */
  private skipKind: InputErrorKind = 'malformed';
  private skipMessage = '';
  /** An NDJSON record that closed valid, waiting for the end of its line (the rest must be whitespace). */
  private pending: { value: unknown } | null = null;
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
      this.firstOfLine = false;
      if (this.atLineStart && !isIndent(c) && c !== NEWLINE) {
        this.atLineStart = false;
        this.firstOfLine = true;
        if (this.endsAtRecordLine(c)) {
          this.cutUnit(chunk, segment, i, out);
          segment = -1;
        }
      }
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
            this.accept(this.pending!.value, this.recordLine, this.recordLine, out);
            this.pending = null;
            this.phase = 'between';
          } else if (!isSpace(c)) {
            this.fail('malformed', 'the line goes on after the JSON record', this.recordLine, this.recordLine);
            this.pending = null;
            this.phase = 'skip-line';
          } else {
            // The size limit holds for the whole line, so that what waits for the line's end stays bounded.
            this.recordBytes += utf8Bytes(c);
            if (this.recordBytes > this.maxRecord) {
              this.fail('too-large', `the line is longer than ${this.maxRecord} bytes; skipped`, this.recordLine, this.recordLine);
              this.pending = null;
              this.phase = 'skip-line';
            }
          }
          break;
        case 'skip-line':
          if (c === NEWLINE) this.phase = 'between';
          break;
        case 'skip-unit':
          break;
        case 'skip-balanced':
          if (c === NEWLINE) {
            this.crossed = true;
            if (this.inString) {
              this.phase = 'skip-unit'; // a string never spans lines: the record can no longer close
              break;
            }
          }
          this.track(c);
          if (this.depth > SKIP_DEPTH_LIMIT) this.phase = 'skip-unit';
          else if (this.depth === 0 && !this.inString) {
            this.decide();
            this.fail(this.skipKind, this.skipMessage, this.recordLine, this.line);
            this.phase = this.mode === 'ndjson' ? 'skip-line' : 'between';
            if (this.mode === 'array') this.arrayState = 'after';
          }
          break;
        case 'skip-element':
          if (!this.inString && this.depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
            this.fail(this.skipKind, this.skipMessage, this.recordLine, this.line);
            this.arrayState = 'after';
            this.phase = 'between';
            i--; // the separator is handled between elements
            break;
          }
          if (c === NEWLINE && this.inString) {
            this.phase = 'skip-unit';
            break;
          }
          this.track(c);
          if (this.depth > SKIP_DEPTH_LIMIT) this.phase = 'skip-unit';
          break;
      }
      if (c === NEWLINE) {
        this.line++;
        this.indent = 0;
        this.atLineStart = true;
      } else if (this.atLineStart && this.indent < INDENT_LIMIT) this.indent++;
    }
    if (this.phase === 'record') this.parts.push(chunk.slice(segment));
    return out;
  }

  /** Finish the input: a unit cut off by the end is reported; a pending NDJSON record is complete. */
  end(): EventRecord[] {
    const out: EventRecord[] = [];
    // The line of the input's last byte: a final newline belongs to the line it ends.
    const lastLine = this.atLineStart && this.indent === 0 && this.line > 1 ? this.line - 1 : this.line;
    switch (this.phase) {
      case 'record': {
        // An array element that is a whole value counts even though the array was never closed.
        const text = this.element ? this.take('', 0, 0) : '';
        if (this.element && isJson(text)) this.emit(text, this.recordLine, lastLine, out);
        else this.fail('malformed', 'the input ends inside a JSON value (truncated record)', this.recordLine, lastLine);
        this.parts = [];
        break;
      }
      case 'after-record':
        this.accept(this.pending!.value, this.recordLine, this.recordLine, out);
        this.pending = null;
        break;
      case 'skip-unit':
      case 'skip-balanced':
      case 'skip-element':
        this.fail(this.skipKind, this.skipMessage, this.recordLine, lastLine);
        break;
      default:
        break;
    }
    this.phase = 'between';
    if (this.mode === 'array' && this.arrayState !== 'closed') {
      this.fail('malformed', 'the JSON array is not closed with "]"', this.line, this.line);
      this.arrayState = 'closed';
    }
    return out;
  }

  /** Events read so far (the next event's index). */
  get count(): number {
    return this.index;
  }

  /**
   * Does the unit in hand end before c, the first character of a line after its indentation? Outside NDJSON, a unit
   * that is still open ends at a record line: one that starts an object (or, while the format is undecided, an array)
   * no deeper than the line the unit started on.
   */
  private endsAtRecordLine(c: number): boolean {
    if (this.mode === 'ndjson') return false;
    if (this.phase !== 'record' && this.phase !== 'skip-unit' && this.phase !== 'skip-balanced' && this.phase !== 'skip-element') return false;
    const starts = c === OPEN_BRACE || (this.mode === 'unknown' && c === OPEN_BRACKET);
    return starts && this.indent <= this.recordIndent;
  }

  /** End the unit in hand at a record line: it is reported, and the line's object starts the next unit. */
  private cutUnit(chunk: string, segment: number, i: number, out: EventRecord[]): void {
    if (this.phase === 'record') {
      const text = this.take(chunk, segment, i);
      if (this.element && this.depth === 0 && !this.inString) {
        // A whole value whose "," is missing: the value counts, the missing separator is reported.
        this.emit(text, this.recordLine, this.line - 1, out);
        this.fail('malformed', 'expected "," between array elements', this.line, this.line);
      } else this.fail('malformed', 'the record does not close before the next record starts', this.recordLine, this.line - 1);
    } else {
      this.fail(this.skipKind, this.skipMessage, this.recordLine, this.line - 1);
    }
    if (this.mode === 'array' && this.arrayState !== 'closed') this.arrayState = 'next';
    this.phase = 'between';
  }

  /** One code unit between records. Returns true when c starts a record (the caller frames it from c). */
  private between(c: number): boolean {
    if (isSpace(c)) return false;
    if (this.mode === 'array') {
      switch (this.arrayState) {
        case 'closed':
          if (c === OPEN_BRACKET) {
            this.arrayState = 'open'; // arrays one after another
            this.recordIndent = INDENT_LIMIT;
            return false;
          }
          if (c === OPEN_BRACE) {
            // An object after the `]`: the array was closed by damage (or records follow it); nothing is lost, the
            // object is read as the next element.
            this.fail('malformed', 'an object after the end of the JSON array: read as another element', this.line, this.line);
            this.arrayState = 'next';
            this.startRecord(true, c);
            return true;
          }
          this.fail('malformed', 'text after the end of the JSON array', this.line, this.line);
          this.phase = 'skip-line';
          return false;
        case 'after':
          if (c === COMMA) this.arrayState = 'next';
          else if (c === CLOSE_BRACKET) this.arrayState = 'closed';
          else if (c === OPEN_BRACE) {
            // A missing comma loses nothing: the object is the next element.
            this.fail('malformed', 'expected "," between array elements', this.line, this.line);
            this.startRecord(true, c);
            return true;
          } else this.startSkip('malformed', 'expected "," or "]" after an array element');
          return false;
        case 'open':
        case 'next':
          if (c === CLOSE_BRACKET && this.arrayState === 'open') {
            this.arrayState = 'closed';
            return false;
          }
          if (c === COMMA || c === CLOSE_BRACKET) {
            this.fail('malformed', 'an empty array element', this.line, this.line);
            this.arrayState = c === COMMA ? 'next' : 'closed';
            return false;
          }
          this.startRecord(true, c);
          return true;
      }
    }
    if (this.mode === 'unknown' && c === OPEN_BRACKET) {
      this.mode = 'array';
      this.arrayState = 'open';
      this.recordIndent = INDENT_LIMIT;
      return false;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.startRecord(false, c);
      return true;
    }
    const message = `expected a JSON object, found ${JSON.stringify(String.fromCharCode(c))}`;
    if (this.mode === 'ndjson') {
      this.fail('malformed', message, this.line, this.line);
      this.phase = 'skip-line';
    } else this.startSkip('malformed', message);
    return false;
  }

  private startRecord(element: boolean, c: number): void {
    this.phase = 'record';
    this.element = element;
    this.container = c === OPEN_BRACE || c === OPEN_BRACKET;
    this.recordLine = this.line;
    if (this.firstOfLine && (c === OPEN_BRACE || c === OPEN_BRACKET)) this.recordIndent = this.indent;
    this.recordBytes = 0;
    this.crossed = false;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.parts = [];
  }

  /** Junk outside NDJSON: skipped to the next record line, reported as one region. */
  private startSkip(kind: InputErrorKind, message: string): void {
    this.phase = 'skip-unit';
    this.recordLine = this.line;
    this.skipKind = kind;
    this.skipMessage = message;
  }

  /**
   * One code unit of a record. Returns true when an array element ended *before* c (c, a separator, must be
   * handled again between elements).
   */
  private recordChar(c: number, chunk: string, i: number, segment: number, out: EventRecord[]): boolean {
    if (this.element && !this.container && !this.inString && this.depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
      const text = this.take(chunk, segment, i);
      this.arrayState = 'after';
      this.phase = 'between';
      this.emit(text, this.recordLine, this.line, out);
      return true;
    }
    if (c === NEWLINE) {
      if (this.mode === 'ndjson') {
        this.fail('malformed', 'the line ends inside a JSON value', this.recordLine, this.recordLine);
        this.parts = [];
        this.phase = 'between';
        return false;
      }
      if (this.inString) {
        // No JSON string spans lines: the record is broken and runs to the next record line.
        this.parts = [];
        this.skipKind = 'malformed';
        this.skipMessage = 'a line ends inside a JSON string';
        this.phase = 'skip-unit';
        return false;
      }
      this.crossed = true;
    }
    this.recordBytes += utf8Bytes(c);
    this.track(c);
    const closed = (!this.element || this.container) && this.depth === 0 && !this.inString;
    if (this.recordBytes > this.maxRecord) {
      this.parts = [];
      const message = `the record is larger than ${this.maxRecord} bytes; skipped`;
      if (this.mode === 'ndjson') {
        this.fail('too-large', message, this.recordLine, this.recordLine);
        this.phase = 'skip-line';
        return false;
      }
      this.skipKind = 'too-large';
      this.skipMessage = message;
      if (closed) {
        this.decide();
        this.fail('too-large', message, this.recordLine, this.line);
        this.phase = (this.mode as Mode) === 'ndjson' ? 'skip-line' : 'between';
        if (this.element) this.arrayState = 'after';
      } else if (this.depth > SKIP_DEPTH_LIMIT) this.phase = 'skip-unit';
      else this.phase = this.element && !this.container ? 'skip-element' : 'skip-balanced';
      return false;
    }
    if (closed && this.element) {
      // What follows the value (`,`, `]`, a missing `,`, junk) is read between elements.
      const text = this.take(chunk, segment, i + 1);
      this.arrayState = 'after';
      this.phase = 'between';
      this.emit(text, this.recordLine, this.line, out);
    } else if (closed) {
      const text = this.take(chunk, segment, i + 1);
      this.decide();
      if (this.mode === 'ndjson') {
        // Judged at once: an invalid record makes its line malformed whatever follows it on the line.
        const parsed = parseJson(text);
        if (parsed.ok) {
          this.pending = { value: parsed.value };
          this.phase = 'after-record';
        } else {
          this.fail('malformed', `invalid JSON: ${parsed.error}`, this.recordLine, this.recordLine);
          this.phase = 'skip-line';
        }
      } else {
        this.phase = 'between';
        this.emit(text, this.recordLine, this.line, out);
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

  private emit(text: string, line: number, endLine: number, out: EventRecord[]): void {
    const parsed = parseJson(text);
    if (parsed.ok) this.accept(parsed.value, line, endLine, out);
    else this.fail('malformed', `invalid JSON: ${parsed.error}`, line, endLine);
  }

  /** A valid JSON record: an event if it is an object. */
  private accept(event: unknown, line: number, endLine: number, out: EventRecord[]): void {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      this.fail('not-object', 'expected a JSON object (an event)', line, endLine);
      return;
    }
    out.push({ index: this.index++, line, event: event as Record<string, unknown> });
  }

  private fail(kind: InputErrorKind, message: string, line: number, endLine: number): void {
    if (this.mode === 'unknown') this.damaged = true;
    this.errors.push({ line, endLine: Math.max(line, endLine), kind, message });
  }

  /**
   * The first record that closes decides the format: NDJSON if it closed on the line it started on and nothing before
   * it was malformed (a damaged start proves nothing: a cut-off fragment may close on one line), else multi-line.
   */
  private decide(): void {
    if (this.mode === 'unknown') this.mode = this.crossed || this.damaged ? 'concat' : 'ndjson';
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function isJson(text: string): boolean {
  return parseJson(text).ok;
}

/** Read every event of a complete text. */
export function readJsonEvents(text: string, options?: ReaderOptions): { events: EventRecord[]; errors: InputError[] } {
  const reader = new JsonEventReader(options);
  const events = reader.push(text);
  events.push(...reader.end());
  return { events, errors: reader.errors };
}
