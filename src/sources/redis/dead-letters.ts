/**
 * Entries that cannot be scanned go to a dead-letter stream, with a stable code and the reason, and are then
 * acknowledged: never dropped silently, never retried forever.
 */
import type { Argument } from './connection.js';

export const DEAD_LETTER_CODES = {
  /** The entry has no event field, or it is empty. */
  noEvent: 'no-event',
  /** The event is not valid JSON (or not one JSON value on its own). */
  malformed: 'malformed',
  /** The event is valid JSON but not an object. */
  notObject: 'not-object',
  /** The event is larger than the largest record the matcher accepts. */
  tooLarge: 'too-large',
  /** The entry was delivered more than --max-deliveries times without being acknowledged. */
  maxDeliveries: 'max-deliveries',
  /** The entry was deleted from the stream (XDEL, trimming) while it waited to be processed: only its id is left. */
  deleted: 'deleted',
} as const;

export type DeadLetterCode = (typeof DEAD_LETTER_CODES)[keyof typeof DEAD_LETTER_CODES];

export interface DeadLetter {
  entryId: string;
  code: DeadLetterCode;
  message: string;
  deliveries: number;
  /** The entry's own field/value pairs (null when it was deleted). */
  fields: readonly Buffer[] | null;
}

/**
 * The dead-letter entry: five pairs of sigmatch's (entry_id, stream, code, reason, deliveries), then the entry's own
 * pairs unchanged, so a tool can replay it by XADDing the pairs after the tenth element.
 */
export function deadLetterFields(stream: string, d: DeadLetter): Argument[] {
  return ['entry_id', d.entryId, 'stream', stream, 'code', d.code, 'reason', d.message, 'deliveries', String(d.deliveries), ...(d.fields ?? [])];
}
