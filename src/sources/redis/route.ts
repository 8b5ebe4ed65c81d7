/**
 * `sigmatch route`, the producer side of sharded consumption: events go to the K shard streams of a stream
 * (`<stream>:0` ... `<stream>:<K-1>`) by a stable hash of their key fields (shard-key.ts), each shard keeping the
 * order the events came in. From NDJSON (stdin, a file): one XADD per line, pipelined. From a source stream: batches
 * read after a route checkpoint (`<stream>:route:<source>`, the last source entry routed) and written with the
 * checkpoint in one script, so a router stopped at any point and started again routes every entry exactly once.
 * One router per source stream: the script refuses to move a checkpoint another router has moved.
 */
import type { Argument, RedisLink } from './connection.js';
import { eventLine, type EventSource } from './events.js';
import { readStreamReply, type StreamEntry } from './replies.js';
import { Script } from './script.js';
import { checkShards, keyHash, MISSING_KEY_SHARD, shardStream } from './shard-key.js';

export interface RouteSettings {
  /** The stream whose shards receive the events. */
  stream: string;
  shards: number;
  /** The key fields (the correlations' common group-by fields). */
  key: readonly string[];
  /** Approximate cap of each shard stream (0: none). */
  maxlen?: number;
}

export interface RouteTotals {
  /** Events written, per shard. */
  perShard: number[];
  /** Events without any key field (sent to shard MISSING_KEY_SHARD). */
  missingKey: number;
  /** Lines or entries that are not JSON objects (sent to shard MISSING_KEY_SHARD, whose holder dead-letters them). */
  notEvents: number;
}

/** Lines routed per pipelined round trip. */
export const ROUTE_CHUNK = 500;
const NEWLINE = 0x0a;
const CR = 0x0d;

export function emptyRouteTotals(shards: number): RouteTotals {
  return { perShard: new Array<number>(shards).fill(0), missingKey: 0, notEvents: 0 };
}

function check(settings: RouteSettings): void {
  checkShards(settings.shards);
  if (settings.stream === '') throw new RangeError('the stream name is empty');
  if (settings.key.length === 0 || settings.key.some((k) => k === '')) throw new RangeError('give the key as one or more field names');
}

/** The shard of one event's JSON text, counting what it found. */
function shardOfText(text: string, settings: RouteSettings, totals: RouteTotals): number {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    totals.notEvents++;
    return MISSING_KEY_SHARD;
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    totals.notEvents++;
    return MISSING_KEY_SHARD;
  }
  const hash = keyHash(event, settings.key);
  if (hash !== null) return hash % settings.shards;
  totals.missingKey++;
  return MISSING_KEY_SHARD;
}

function capArgs(maxlen: number | undefined): string[] {
  return maxlen ? ['MAXLEN', '~', String(maxlen)] : [];
}

/**
 * Route NDJSON: each non-blank line is an event, XADDed as the field `event` to its shard. Lines longer than
 * `maxLineBytes` are refused (an error naming the line), never cut.
 */
export async function routeLines(link: RedisLink, settings: RouteSettings, input: AsyncIterable<Uint8Array>, maxLineBytes = 64 * 1024 * 1024): Promise<RouteTotals> {
  check(settings);
  const totals = emptyRouteTotals(settings.shards);
  let pending: Argument[][] = [];
  let shardsOfPending: number[] = [];
  let lineNumber = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const replies = await link.pipeline(pending);
    for (const r of replies) if (r.status === 'rejected') throw r.reason;
    for (const k of shardsOfPending) totals.perShard[k]++;
    pending = [];
    shardsOfPending = [];
  };
  const line = async (bytes: Buffer): Promise<void> => {
    lineNumber++;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR) end--;
    const text = bytes.subarray(0, end).toString('utf8');
    if (text.trim() === '') return;
    const k = shardOfText(text, settings, totals);
    pending.push(['XADD', shardStream(settings.stream, k), ...capArgs(settings.maxlen), '*', 'event', bytes.subarray(0, end)]);
    shardsOfPending.push(k);
    if (pending.length >= ROUTE_CHUNK) await flush();
  };
  let held: Buffer[] = [];
  let heldBytes = 0;
  for await (const chunk of input) {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE)) {
      const part = buf.subarray(0, nl);
      if (heldBytes + part.length > maxLineBytes) throw new RangeError(`line ${lineNumber + 1} is longer than ${maxLineBytes} bytes`);
      await line(held.length > 0 ? Buffer.concat([...held, part]) : Buffer.from(part));
      held = [];
      heldBytes = 0;
      buf = buf.subarray(nl + 1);
    }
    if (buf.length > 0) {
      heldBytes += buf.length;
      if (heldBytes > maxLineBytes) throw new RangeError(`line ${lineNumber + 1} is longer than ${maxLineBytes} bytes`);
      held.push(Buffer.from(buf));
    }
  }
  if (held.length > 0) await line(Buffer.concat(held));
  await flush();
  return totals;
}

/**
 * KEYS: the route checkpoint, then the K shard streams. ARGV: the checkpoint expected ('' for none), the new one,
 * maxlen (0: none), the entry count N, then N entries as (shard, n, n field/value strings).
 */
const ROUTE_SCRIPT = new Script(`
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then
  return redis.error_reply('ROUTEMOVED the route checkpoint ' .. KEYS[1] .. ' was moved by another router')
end
local maxlen, count, at = ARGV[3], tonumber(ARGV[4]), 5
for _ = 1, count do
  local k, n = tonumber(ARGV[at]), tonumber(ARGV[at + 1])
  at = at + 2
  local args = {'XADD', KEYS[k + 2]}
  if maxlen ~= '0' then args[3] = 'MAXLEN'; args[4] = '~'; args[5] = maxlen end
  args[#args + 1] = '*'
  for j = 0, n - 1 do args[#args + 1] = ARGV[at + j] end
  at = at + n
  redis.call(unpack(args))
end
redis.call('SET', KEYS[1], ARGV[2])
return count
`);
/** Where the entry count goes in the script's arguments (filled in once the batch is counted). */
const ROUTE_COUNT_ARG = 3;

export interface StreamRouteOptions {
  /** The source stream. */
  source: string;
  /** Where the event is in a source entry (its fields are copied to the shard as they are). */
  eventSource: EventSource;
  batch: number;
  /** Wait for new source entries (this long per read, in ms) instead of stopping when caught up. */
  followMs?: number;
  /** Stop waiting (checked between batches). */
  stopped?: () => boolean;
}

/** The route checkpoint key of a source stream. */
export function routeCheckpointKey(stream: string, source: string): string {
  return `${stream}:route:${source}`;
}

/** Route a source stream's entries after the route checkpoint, batch by batch, each batch with its checkpoint. */
export async function routeStream(link: RedisLink, settings: RouteSettings, options: StreamRouteOptions): Promise<RouteTotals> {
  check(settings);
  const totals = emptyRouteTotals(settings.shards);
  const checkpointKey = routeCheckpointKey(settings.stream, options.source);
  const shardKeys = Array.from({ length: settings.shards }, (_, k) => shardStream(settings.stream, k));
  const saved = (await link.call(['GET', checkpointKey])) as Buffer | null;
  let after = saved ? saved.toString('utf8') : '';
  for (;;) {
    if (options.stopped?.()) break;
    const block = options.followMs ? ['BLOCK', String(options.followMs)] : [];
    const entries: StreamEntry[] = readStreamReply(await link.call(['XREAD', 'COUNT', String(options.batch), ...block, 'STREAMS', options.source, after === '' ? '0-0' : after]));
    if (entries.length === 0) {
      if (options.followMs) continue;
      break;
    }
    const args: Argument[] = [after, entries[entries.length - 1].id, String(settings.maxlen ?? 0), '0'];
    const shardsOf: number[] = [];
    let count = 0;
    for (const entry of entries) {
      if (entry.fields === null) continue;
      const line = eventLine(entry, options.eventSource);
      let k: number;
      if (line instanceof Uint8Array) k = shardOfText(Buffer.from(line).toString('utf8'), settings, totals);
      else {
        totals.notEvents++;
        k = MISSING_KEY_SHARD;
      }
      args.push(String(k), String(entry.fields.length), ...entry.fields);
      shardsOf.push(k);
      count++;
    }
    args[ROUTE_COUNT_ARG] = String(count);
    await ROUTE_SCRIPT.run(link, [checkpointKey, ...shardKeys], args);
    for (const k of shardsOf) totals.perShard[k]++;
    after = entries[entries.length - 1].id;
  }
  return totals;
}
