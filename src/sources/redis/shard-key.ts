/**
 * Which shard an event belongs to: a stable hash of the values of its key fields, read as correlations read their
 * group-by fields (src/correlation/values.ts, through the evtx mapping), so every event of one correlation group
 * lands on one shard when the key is made of group-by fields common to the correlations.
 *
 * The hash is part of the protocol between `sigmatch route` and the shard holders' users: FNV-1a 32 of the UTF-8 of
 * the values' key (valuesKey), modulo the shard count. It never changes between versions for the same values.
 * Events with none of the key fields (or that are not JSON objects) go to shard MISSING_KEY_SHARD.
 */
import { fnv1a } from '../../compiler/field-trie.js';
import { eventSource } from '../../correlation/index.js';
import { groupValues, valuesKey } from '../../correlation/values.js';

/** The shard of events without any key field, and of lines that are not JSON objects (their holder dead-letters them). */
export const MISSING_KEY_SHARD = 0;
/** Most shards a stream may be split into (each is a stream, a lease and a checkpoint). */
export const MAX_SHARDS = 1024;

const encoder = new TextEncoder();

/** The stream holding shard `k` of `stream`. */
export function shardStream(stream: string, k: number): string {
  return `${stream}:${k}`;
}

/** The hash of an event's key values (a parsed JSON object), or null when it has none of the key fields. */
export function keyHash(event: object, key: readonly string[]): number | null {
  const values = groupValues(eventSource(event), key);
  if (values.every((v) => v === null)) return null;
  return fnv1a(encoder.encode(valuesKey(values)));
}

/** The shard of an event (a parsed JSON value) for the key fields, out of `shards`. */
export function shardOf(event: unknown, key: readonly string[], shards: number): number {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return MISSING_KEY_SHARD;
  const hash = keyHash(event, key);
  return hash === null ? MISSING_KEY_SHARD : hash % shards;
}

/** The shard count as given by a user: a whole number from 1 to MAX_SHARDS. */
export function checkShards(shards: number): number {
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) throw new RangeError(`the shard count must be a whole number from 1 to ${MAX_SHARDS}, got ${shards}`);
  return shards;
}
