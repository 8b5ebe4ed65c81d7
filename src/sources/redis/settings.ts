/**
 * What a group member (consumer.ts) and a shard holder (shards.ts) are told alike: the streams, the group, the
 * batch and how events sit in entries; and one reading of those options into checked settings, so the two modes
 * cannot drift apart in their defaults or their error messages.
 */
import { hostname } from 'node:os';
import type { SigmaRule } from '../../rule/model.js';
import type { RedisTarget } from './connection.js';
import type { EventSource } from './events.js';

export const CONSUMER_DEFAULTS = {
  batch: 500,
  blockMs: 2000,
  claimIdleMs: 60_000,
  maxDeliveries: 5,
  maxlen: 1_000_000,
  eventField: 'event',
  from: '$',
} as const;

/** Largest batch: one XREADGROUP reply and one commit script's arguments stay a few MiB. */
export const MAX_BATCH = 10_000;

/** Options both consuming modes take. */
export interface StreamReadOptions {
  redis: RedisTarget;
  stream: string;
  group: string;
  /** This consumer's name in the group (default host-pid). */
  consumer?: string;
  /** Alerts stream (default `<stream>:alerts`). */
  alerts?: string;
  /** Dead-letter stream (default `<stream>:dead-letter`). */
  deadLetter?: string;
  /** Where a group created here starts: `$` (new entries), `0` (the whole stream) or an entry id. */
  from?: string;
  batch?: number;
  /** How long a read waits for new entries, in ms. */
  blockMs?: number;
  /** Deliveries after which an entry still not acknowledged is dead-lettered. */
  maxDeliveries?: number;
  /** Approximate cap of the alerts and dead-letter streams (0: none). */
  maxlen?: number;
  /** Read the entry's fields as the event (instead of JSON in one field). */
  fieldsAsEvent?: boolean;
  /** The field holding the event's JSON (default `event`). */
  eventField?: string;
  /** Stop when nothing is left to read or reclaim (a backlog run). */
  drain?: boolean;
  /** The rules' logic, in the matcher's rule order, for provenance (a compiled rule set has none). */
  sigma?: readonly SigmaRule[] | null;
  nullMatchesAbsent?: boolean;
  /** Where to say what happens (reconnects, recreated groups); stderr lines in the CLI. */
  log?: (line: string) => void;
}

/** The checked form of StreamReadOptions. */
export interface StreamSettings {
  stream: string;
  group: string;
  consumer: string;
  alerts: string;
  deadLetter: string;
  from: string;
  batch: number;
  blockMs: number;
  maxDeliveries: number;
  maxlen: number;
  source: EventSource;
  drain: boolean;
}

/** `v` (or `fallback`) when it is a whole number from 1 to `max`; a RangeError naming `name` otherwise. */
export function positiveSetting(name: string, v: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new RangeError(`${name} must be a whole number from 1 to ${max}, got ${n}`);
  return n;
}

/** Checks the options both modes share; `fromDefault` is where a group created here starts unless told. */
export function resolveStreamSettings(o: StreamReadOptions, fromDefault: string): StreamSettings {
  if (o.stream === '') throw new RangeError('the stream name is empty');
  if (o.group === '') throw new RangeError('the group name is empty');
  const from = o.from ?? fromDefault;
  if (from !== '$' && !/^\d+(-\d+)?$/.test(from)) throw new RangeError(`the group's start must be $, 0 or an entry id, got "${from}"`);
  return {
    stream: o.stream,
    group: o.group,
    consumer: o.consumer ?? `${hostname()}-${process.pid}`,
    alerts: o.alerts ?? `${o.stream}:alerts`,
    deadLetter: o.deadLetter ?? `${o.stream}:dead-letter`,
    from,
    batch: positiveSetting('the batch size', o.batch, CONSUMER_DEFAULTS.batch, MAX_BATCH),
    // BLOCK 0 would wait forever: a stop could not finish.
    blockMs: positiveSetting('the block time', o.blockMs, CONSUMER_DEFAULTS.blockMs),
    maxDeliveries: positiveSetting('the maximum deliveries', o.maxDeliveries, CONSUMER_DEFAULTS.maxDeliveries),
    maxlen: o.maxlen ?? CONSUMER_DEFAULTS.maxlen,
    source: o.fieldsAsEvent ? { kind: 'fields' } : { kind: 'field', name: o.eventField ?? CONSUMER_DEFAULTS.eventField },
    drain: o.drain ?? false,
  };
}
