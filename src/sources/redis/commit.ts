/**
 * The end of a batch, in one atomic step on the server: its alerts into the alerts stream (each held back when
 * --dedupe has seen its id within the window), its dead letters into the dead-letter stream, then its entries
 * acknowledged. One script call: the acknowledgement can never land without the alerts (at-least-once), and a batch
 * costs one round trip to finish.
 */
import type { Argument, RedisLink } from './connection.js';
import { Script } from './script.js';
import type { Alert } from './alerts.js';

/** Lua's unpack() takes a few thousand values at most: acknowledgements go in chunks. */
const ACK_CHUNK = 1000;
/** Field/value strings a dead letter copies from its entry at most (the same unpack() limit; the reason says so). */
export const MAX_DEAD_LETTER_FIELDS = 2000;

/**
 * KEYS: source stream, alerts stream, dead-letter stream; for a shard (sharded mode) also its lease and checkpoint.
 * ARGV: group, maxlen (0: no cap), dedupe window in ms (0: off), dedupe key prefix, alert count A, dead-letter count
 * D, id count K; for a shard: the lease token, the lease time in ms, the checkpoint's entry id ('': no checkpoint
 * in this commit) and state, the consumer's name and a count S of settled ids; then A alerts as (id, n, n
 * field/value strings), D dead letters as (n, n strings), K entry ids to acknowledge, S entry ids to settle.
 * Returns {alerts written, alerts held back as duplicates, dead letters written, entries acknowledged}.
 *
 * For a shard, nothing is written unless the lease still holds this consumer's token (a holder that lost it, stalled
 * while another took over, is fenced off: error LEASELOST); the checkpoint (last acknowledged id and correlation
 * state) is written with the acknowledgement, so a takeover finds state and acknowledgements that agree.
 *
 * Settled entries are a shard's entries a takeover claimed, processed and committed, left pending until the next
 * checkpoint: their delivery count goes back to 1. Every takeover claims every pending entry of the shard again (one
 * more delivery each), so without this an entry would reach --max-deliveries through its holders losing their
 * leases, not through failing itself, and be dead-lettered: an event the correlation state never sees. (Settling
 * costs Redis about 6-8 µs per entry, BENCHMARKS.md, which is why only a takeover's claims are settled: entries read
 * with `>` are at one delivery already.)
 */
const SCRIPT = new Script(`
local group, maxlen, window, prefix = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local alerts, dead, ids = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local at = 8
local shard = #KEYS == 5
local settled = 0
if shard then
  if redis.call('GET', KEYS[4]) ~= ARGV[8] then
    return redis.error_reply('LEASELOST the lease ' .. KEYS[4] .. ' is no longer held by this consumer')
  end
  settled = tonumber(ARGV[13])
  at = 14
end
local function add(key, n)
  local args = {'XADD', key}
  if maxlen ~= '0' then
    args[3] = 'MAXLEN'; args[4] = '~'; args[5] = maxlen
  end
  args[#args + 1] = '*'
  for j = 0, n - 1 do args[#args + 1] = ARGV[at + j] end
  at = at + n
  redis.call(unpack(args))
end
local written, duplicates = 0, 0
for _ = 1, alerts do
  local id, n = ARGV[at], tonumber(ARGV[at + 1])
  at = at + 2
  if window == 0 or redis.call('SET', prefix .. id, '1', 'NX', 'PX', window) then
    add(KEYS[2], n)
    written = written + 1
  else
    at = at + n
    duplicates = duplicates + 1
  end
end
for _ = 1, dead do
  local n = tonumber(ARGV[at])
  at = at + 1
  add(KEYS[3], n)
end
local acked = 0
local last = at + ids - 1
while at <= last do
  local stop = math.min(at + ${ACK_CHUNK} - 1, last)
  acked = acked + redis.call('XACK', KEYS[1], group, unpack(ARGV, at, stop))
  at = stop + 1
end
last = at + settled - 1
while at <= last do
  local stop = math.min(at + ${ACK_CHUNK} - 1, last)
  local claim = {'XCLAIM', KEYS[1], group, ARGV[12], '0'}
  for j = at, stop do claim[#claim + 1] = ARGV[j] end
  claim[#claim + 1] = 'RETRYCOUNT'; claim[#claim + 1] = '1'; claim[#claim + 1] = 'JUSTID'
  redis.call(unpack(claim))
  at = stop + 1
end
if shard then
  if ARGV[10] ~= '' then redis.call('HSET', KEYS[5], 'id', ARGV[10], 'state', ARGV[11], 'holder', ARGV[8]) end
  redis.call('PEXPIRE', KEYS[4], ARGV[9])
end
return {written, duplicates, dead, acked}
`);

export interface CommitKeys {
  stream: string;
  alerts: string;
  deadLetter: string;
  group: string;
}

export interface CommitSettings {
  /** Approximate cap of the alerts and dead-letter streams (0: none). */
  maxlen: number;
  /** The dedupe window in ms (0: off). */
  dedupeMs: number;
  /** Prefix of the dedupe keys (one per alert id, expiring after the window). */
  dedupePrefix: string;
}

/** A shard's side of a commit: the lease that must still be held, and the checkpoint written with the ack. */
export interface ShardCheckpoint {
  lease: string;
  token: string;
  leaseMs: number;
  checkpoint: string;
  /** The last acknowledged entry id and the correlation state after it ('': this commit writes no checkpoint). */
  id: string;
  state: Uint8Array;
  /** The holder's consumer name, and entries of this commit left pending (processed, not yet acknowledged). */
  consumer: string;
  settle: readonly string[];
}

/** The commit script's error when a shard's lease is no longer this consumer's. */
export const LEASE_LOST = 'LEASELOST';

export interface CommitResult {
  written: number;
  duplicates: number;
  deadLettered: number;
  acknowledged: number;
}

export class Committer {
  constructor(
    private readonly link: RedisLink,
    private readonly keys: CommitKeys,
    private readonly settings: CommitSettings,
  ) {}

  async commit(alerts: readonly Alert[], deadLetters: readonly Argument[][], ack: readonly string[], shard?: ShardCheckpoint): Promise<CommitResult> {
    const keys = [this.keys.stream, this.keys.alerts, this.keys.deadLetter, ...(shard ? [shard.lease, shard.checkpoint] : [])];
    const args: Argument[] = [
      this.keys.group,
      String(this.settings.maxlen),
      String(this.settings.dedupeMs),
      this.settings.dedupePrefix,
      String(alerts.length),
      String(deadLetters.length),
      String(ack.length),
      ...(shard
        ? [shard.token, String(shard.leaseMs), shard.id, Buffer.from(shard.state.buffer, shard.state.byteOffset, shard.state.byteLength), shard.consumer, String(shard.settle.length)]
        : []),
    ];
    for (const a of alerts) args.push(a.id, String(a.fields.length), ...a.fields);
    for (const d of deadLetters) args.push(String(d.length), ...d);
    args.push(...ack);
    if (shard) args.push(...shard.settle);
    const reply = await SCRIPT.run(this.link, keys, args);
    if (!Array.isArray(reply) || reply.length !== 4 || !reply.every((n) => typeof n === 'number')) {
      throw new Error('unexpected reply of the commit script');
    }
    const [written, duplicates, deadLettered, acknowledged] = reply as number[];
    return { written, duplicates, deadLettered, acknowledged };
  }
}
