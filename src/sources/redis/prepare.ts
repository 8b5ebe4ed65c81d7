/**
 * A batch of entries made ready to commit, the same for a group member (consumer.ts) and a shard holder
 * (shards.ts): entries delivered too often and entries that are no event become dead letters, the rest go through
 * the matcher in one push, and each hit becomes an alert with its provenance.
 */
import { hitEvidence } from '../../cli/output/evidence.js';
import type { RuleInfo } from '../../compiler/compile.js';
import type { Matcher } from '../../runtime/matcher.js';
import { alertEntry, type Alert } from './alerts.js';
import type { BatchScanner, EntryHit, ScannedBatch } from './batch.js';
import { MAX_DEAD_LETTER_FIELDS } from './commit.js';
import type { RedisLink } from './connection.js';
import { DEAD_LETTER_CODES, type DeadLetter, type DeadLetterCode } from './dead-letters.js';
import { eventLine, type EventSource } from './events.js';
import { readDeliveryCount, type StreamEntry } from './replies.js';

export interface PrepareSettings {
  maxDeliveries: number;
  source: EventSource;
}

export interface PreparedBatch {
  scanned: ScannedBatch;
  /** In entry order, then the deleted ids. */
  dead: DeadLetter[];
}

/**
 * Scan a batch: `deliveries[i]` is entry i's delivery count (null: all delivered once), `deletedIds` are pending ids
 * whose entries are gone. With `ids`, the scanner names entries in correlation alerts.
 */
export function scanEntries(
  entries: readonly StreamEntry[],
  deliveries: readonly number[] | null,
  deletedIds: readonly string[],
  settings: PrepareSettings,
  scanner: BatchScanner,
  ids?: readonly string[],
): PreparedBatch {
  const dead: (DeadLetter & { entry: number })[] = [];
  const deadLetter = (i: number, code: DeadLetterCode, message: string): void => {
    const entry = entries[i];
    let fields = entry.fields;
    if (fields && fields.length > MAX_DEAD_LETTER_FIELDS) {
      message += ` (the entry's first ${MAX_DEAD_LETTER_FIELDS / 2} of ${fields.length / 2} fields are kept)`;
      fields = fields.slice(0, MAX_DEAD_LETTER_FIELDS);
    }
    dead.push({ entry: i, entryId: entry.id, code, message, deliveries: deliveries?.[i] ?? 1, fields });
  };
  const lines = entries.map((entry, i) => {
    const delivered = deliveries?.[i] ?? 1;
    if (delivered > settings.maxDeliveries) {
      deadLetter(i, DEAD_LETTER_CODES.maxDeliveries, `delivered ${delivered} times without being acknowledged (--max-deliveries ${settings.maxDeliveries})`);
      return null;
    }
    const line = eventLine(entry, settings.source);
    if (line instanceof Uint8Array) return line;
    deadLetter(i, line.code, line.message);
    return null;
  });
  const scanned = scanner.scan(lines, ids);
  for (const { entry, note } of scanned.notes) {
    deadLetter(entry, note.kind === 'not-object' ? DEAD_LETTER_CODES.notObject : note.kind === 'too-large' ? DEAD_LETTER_CODES.tooLarge : DEAD_LETTER_CODES.malformed, note.message);
  }
  dead.sort((a, b) => a.entry - b.entry);
  for (const id of deletedIds) {
    dead.push({ entry: entries.length, entryId: id, code: DEAD_LETTER_CODES.deleted, message: 'the entry was deleted from the stream before it was processed', deliveries: 0, fields: null });
  }
  return { scanned, dead };
}

export interface AlertContext {
  stream: string;
  rules: readonly RuleInfo[];
  ruleKeys: readonly string[];
  /** The matcher that found the hits: it gives their provenance (Matcher.explain). */
  matcher: Matcher;
}

/** The alerts of a batch's rule hits (in entry order, then rule order), with what scan prints for each. */
export function ruleAlerts(entries: readonly StreamEntry[], hits: readonly EntryHit[], c: AlertContext): Alert[] {
  // Each hit event parsed once; the provenance of the batch's hits from the VM in one call.
  const events: unknown[] = [];
  const eventOf: number[] = [];
  let lastEntry = -1;
  for (const hit of hits) {
    if (hit.entry !== lastEntry) {
      lastEntry = hit.entry;
      events.push(JSON.parse(hit.record));
    }
    eventOf.push(events.length - 1);
  }
  const why = c.matcher.explain(events, hits.map((hit, i) => ({ event: eventOf[i], rule: hit.rule })));
  return hits.map((hit, i) => alertEntry(c.stream, entries[hit.entry].id, c.ruleKeys[hit.rule], c.rules[hit.rule], hitEvidence(events[eventOf[i]], why[i])));
}

/** Delivery counts of entries that were delivered before (one pipelined round trip of XPENDING id id 1). */
export async function deliveryCounts(link: RedisLink, stream: string, group: string, entries: readonly StreamEntry[]): Promise<number[]> {
  const replies = await link.pipeline(entries.map((e) => ['XPENDING', stream, group, e.id, e.id, '1']));
  return replies.map((r) => {
    if (r.status === 'rejected') throw r.reason;
    // Acknowledged meanwhile (by a consumer that took it over): counted as delivered once more than the first time.
    return Math.max(readDeliveryCount(r.value), 1);
  });
}
