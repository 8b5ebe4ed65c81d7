/**
 * Reads of a shard's entries that the server refuses to a consumer whose lease has gone (sharded mode, shards.ts).
 *
 * A holder checks its lease before it reads, but a check in the process is not enough: a holder stopped (SIGSTOP, a
 * long pause, a slow network) between the check and the command reaching the server would have new entries
 * delivered to it after another consumer took the shard over. Those entries would then be pending with a holder that
 * can never commit them, behind the new holder's checkpoint: acknowledged at the next takeover without ever being
 * counted in the correlation state. So every read that delivers entries runs in a script that checks the lease
 * token first, the way the commit script (commit.ts) does. A script cannot block; when nothing is new, the caller
 * waits with a plain XREAD from the id the group has delivered up to (which delivers nothing to anyone).
 */
import type { RedisLink } from './connection.js';
import { Script } from './script.js';
import { readAutoClaim, readEntries, RedisReplyError, type AutoClaimReply, type StreamEntry } from './replies.js';

/** What a read found on one shard. */
export type ShardRead =
  | { kind: 'lost' }
  | { kind: 'entries'; entries: StreamEntry[] }
  /** Nothing new: the group has delivered the shard up to `lastDelivered`, the id to wait from. */
  | { kind: 'idle'; lastDelivered: string };

/** The read's reply codes per shard (the script's first element). */
const LOST = 0;
const ENTRIES = 1;
const IDLE = 2;

/**
 * KEYS: n lease keys, then the n shard streams. ARGV: token, group, consumer, count.
 * Returns per shard {0} (the lease is not this token's), {1, entries} or {2, last-delivered-id}.
 */
const READ_SCRIPT = new Script(`
local token, group, consumer, count = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local n = #KEYS / 2
local out = {}
for i = 1, n do
  local stream = KEYS[n + i]
  if redis.call('GET', KEYS[i]) ~= token then
    out[i] = {${LOST}}
  else
    local reply = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, '>')
    if reply then
      out[i] = {${ENTRIES}, reply[1][2]}
    else
      local last = '0-0'
      for _, g in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
        local name, id
        for j = 1, #g, 2 do
          if g[j] == 'name' then name = g[j + 1] elseif g[j] == 'last-delivered-id' then id = g[j + 1] end
        end
        if name == group then last = id end
      end
      out[i] = {${IDLE}, last}
    end
  end
end
return out
`);

/** KEYS: lease key, shard stream. ARGV: token, group, consumer, cursor, count. The XAUTOCLAIM reply, or LEASELOST. */
const CLAIM_SCRIPT = new Script(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('LEASELOST the lease ' .. KEYS[1] .. ' is no longer held by this consumer')
end
return redis.call('XAUTOCLAIM', KEYS[2], ARGV[2], ARGV[3], '0', ARGV[4], 'COUNT', ARGV[5])
`);

export interface ShardReader {
  token: string;
  group: string;
  consumer: string;
}

/** The shard to read: its lease key and its stream. */
export interface ShardKeys {
  lease: string;
  stream: string;
}

/** New entries (`>`) of each shard, up to `count` each, from the shards whose lease is still `who.token`. */
export async function readShards(link: RedisLink, shards: readonly ShardKeys[], who: ShardReader, count: number): Promise<ShardRead[]> {
  const keys = [...shards.map((s) => s.lease), ...shards.map((s) => s.stream)];
  const reply = await READ_SCRIPT.run(link, keys, [who.token, who.group, who.consumer, String(count)]);
  if (!Array.isArray(reply) || reply.length !== shards.length) throw new RedisReplyError('the shard read reply is not one item per shard');
  return reply.map((item): ShardRead => {
    if (!Array.isArray(item)) throw new RedisReplyError('a shard of the shard read reply is not an array');
    switch (item[0]) {
      case LOST:
        return { kind: 'lost' };
      case ENTRIES:
        return { kind: 'entries', entries: readEntries(item[1]) };
      case IDLE:
        return { kind: 'idle', lastDelivered: Buffer.isBuffer(item[1]) ? item[1].toString('utf8') : String(item[1]) };
      default:
        throw new RedisReplyError(`unknown shard read code ${String(item[0])}`);
    }
  });
}

/** One XAUTOCLAIM page of a shard's pending entries (no idle time), refused with LEASELOST once the lease has gone. */
export async function claimShard(link: RedisLink, shard: ShardKeys, who: ShardReader, cursor: string, count: number): Promise<AutoClaimReply> {
  return readAutoClaim(await CLAIM_SCRIPT.run(link, [shard.lease, shard.stream], [who.token, who.group, who.consumer, cursor, String(count)]));
}

/** Wait until one of the streams has an entry after its id, or `blockMs` pass (XREAD: nothing is delivered). */
export async function waitForEntries(link: RedisLink, after: readonly { stream: string; id: string }[], blockMs: number): Promise<void> {
  if (after.length === 0) return;
  await link.call(['XREAD', 'COUNT', '1', 'BLOCK', String(blockMs), 'STREAMS', ...after.map((a) => a.stream), ...after.map((a) => a.id)]);
}
