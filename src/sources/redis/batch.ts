/**
 * A batch of entries through the matcher: their events, one per line, go into the VM in one push (one crossing per
 * batch), through one NDJSON scanner session kept across batches; hits and notes come back by line, which is the
 * entry. Every entry is accounted for: it is an event (with or without hits) or it has a note.
 */
import type { CorrelationMatch } from '../../correlation/index.js';
import { CorrelatingScanner, type ScanSession } from '../../runtime/correlating-scanner.js';
import type { InputNote, Matcher } from '../../runtime/matcher.js';

/** A hit of a rule on the entry at `entry` (an index into the batch), with the event's JSON text. */
export interface EntryHit {
  entry: number;
  rule: number;
  record: string;
}

/**
 * A correlation alert: the entry id of the event that completed it (an entry of this batch, or with maxLateness of
 * an earlier one, perhaps read by the shard's previous holder: the id travels in the correlation state).
 */
export interface EntryAlert {
  entryId: string;
  correlation: CorrelationMatch;
}

/** An entry the matcher did not read as an event (malformed, not an object, too large). */
export interface EntryNote {
  entry: number;
  note: InputNote;
}

export interface ScannedBatch {
  hits: EntryHit[];
  /** Correlation alerts, in the order they completed (rules with correlations only). */
  alerts: EntryAlert[];
  notes: EntryNote[];
  /** Entries read as events. */
  events: number;
}

const NEWLINE = 0x0a;
/** The VM counts lines and events in 32 bits: a long-lived session is renewed well before they could wrap. */
const SESSION_MAX_LINES = 2 ** 30;

export class BatchScanner {
  private session: ScanSession | null = null;

  constructor(private readonly matcher: Matcher) {}

  /**
   * Scan the given events; `lines[i]` is entry i's event as one line of JSON, or null for an entry left out (it
   * gets neither hits nor notes). Hits are in entry order, then rule order. `ids[i]` is entry i's id (needed with
   * correlations: alerts name the completing entry by it).
   */
  scan(lines: readonly (Uint8Array | null)[], ids?: readonly string[]): ScannedBatch {
    let bytes = 0;
    let count = 0;
    for (const line of lines) {
      if (line === null) continue;
      bytes += line.length + 1;
      count++;
    }
    const out: ScannedBatch = { hits: [], alerts: [], notes: [], events: 0 };
    if (count === 0) return out;
    const buffer = new Uint8Array(bytes);
    const entryOfLine = new Int32Array(count);
    let at = 0;
    let n = 0;
    lines.forEach((line, entry) => {
      if (line === null) return;
      buffer.set(line, at);
      at += line.length;
      buffer[at++] = NEWLINE;
      entryOfLine[n++] = entry;
    });

    const session = this.sessionFor(count);
    const firstLine = session.lines + 1;
    const entryAt = (line: number): number => {
      const i = line - firstLine;
      if (!(i >= 0 && i < count)) throw new Error(`internal: a hit or note on line ${line}, outside the batch's lines ${firstLine}-${firstLine + count - 1}`);
      return entryOfLine[i];
    };
    if (session instanceof CorrelatingScanner) {
      if (!ids) throw new Error('internal: a correlating batch without its entry ids');
      session.inputOf = (hit) => ids[entryAt(hit.line!)];
    }
    const scanned = session.push(buffer);
    if (session.lines - firstLine + 1 !== count) {
      throw new Error(`internal: the scanner read ${session.lines - firstLine + 1} lines of a batch of ${count}`);
    }
    for (const hit of scanned.hits) {
      if (hit.correlation) {
        if (hit.correlation.input === undefined) throw new Error('internal: a correlation alert without its entry id');
        out.alerts.push({ entryId: hit.correlation.input, correlation: hit.correlation });
        continue;
      }
      if (hit.line === undefined || hit.record === undefined) throw new Error('internal: a bytes-path hit without its line or record');
      out.hits.push({ entry: entryAt(hit.line), rule: hit.rule, record: hit.record });
    }
    const noted = new Set<number>();
    for (const note of scanned.notes) {
      // One entry is one line; a note spanning lines (it cannot, in NDJSON) would name each entry it covers.
      for (let line = note.line; line <= Math.max(note.line, note.endLine); line++) {
        const entry = entryAt(line);
        if (noted.has(entry)) continue;
        noted.add(entry);
        out.notes.push({ entry, note });
      }
    }
    out.events = scanned.events;
    if (scanned.events + noted.size !== count) {
      throw new Error(`internal: of a batch of ${count} events the scanner read ${scanned.events} and noted ${noted.size}`);
    }
    return out;
  }

  /** Close the session (the consumer is done with the matcher). */
  close(): void {
    this.session?.end();
    this.session = null;
  }

  private sessionFor(lines: number): ScanSession {
    if (this.session && this.session.lines + lines >= SESSION_MAX_LINES) this.close();
    // Records are kept: a hit's event is read back for its time and provenance.
    return (this.session ??= this.matcher.scanner('ndjson', true));
  }
}
