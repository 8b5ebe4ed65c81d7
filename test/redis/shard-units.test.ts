/**
 * The pieces of sharded consumption: the routing hash (stable, by the key values as correlations read them), the
 * lease (exclusive, renewed, expiring, lost), the fenced commit (a holder that lost its lease writes nothing; the
 * checkpoint goes with the acknowledgement), the fenced reads (a holder that lost its lease is delivered nothing)
 * and routing a stream exactly once. Leases and commits run against a
 * real redis-server.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveTarget, RedisLink } from '../../src/sources/redis/connection.js';
import { Lease, LEASE_MARGIN_FRACTION } from '../../src/sources/redis/lease.js';
import { Committer, LEASE_LOST } from '../../src/sources/redis/commit.js';
import { MISSING_KEY_SHARD, shardOf, shardStream } from '../../src/sources/redis/shard-key.js';
import { routeCheckpointKey, routeStream } from '../../src/sources/redis/route.js';
import { compareIds } from '../../src/sources/redis/shards.js';
import { claimShard, readShards, waitForEntries } from '../../src/sources/redis/shard-read.js';
import { RedisServer, REDIS_SKIP_MESSAGE, groupInfo, hasRedis, type TestClient } from '../support/redis.js';

if (!hasRedis) console.warn(REDIS_SKIP_MESSAGE);

/** FNV-1a 32 as the protocol states it, written out here independently of the code under test. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

describe('routing hash', () => {
  test('a single key value: FNV-1a 32 of its UTF-8, modulo the shard count', () => {
    for (const ip of ['10.0.0.1', '192.168.1.77', 'fe80::1', 'ünïcode']) {
      for (const shards of [1, 2, 7, 64]) expect(shardOf({ IpAddress: ip }, ['IpAddress'], shards)).toBe(fnv(ip) % shards);
    }
  });

  test('the value as correlations group it: numbers as text, evtx-shaped events as flat ones', () => {
    expect(shardOf({ Port: 445 }, ['Port'], 16)).toBe(shardOf({ Port: '445' }, ['Port'], 16));
    const evtx = { Event: { System: { EventID: 4625 }, EventData: { IpAddress: '10.1.2.3' } } };
    expect(shardOf(evtx, ['IpAddress'], 16)).toBe(shardOf({ IpAddress: '10.1.2.3' }, ['IpAddress'], 16));
  });

  test('several key fields: one group, one shard; a field missing is part of the key', () => {
    const a = shardOf({ IpAddress: '10.0.0.1', User: 'bob', Other: 1 }, ['IpAddress', 'User'], 1024);
    expect(shardOf({ User: 'bob', IpAddress: '10.0.0.1', Other: 2 }, ['IpAddress', 'User'], 1024)).toBe(a);
    const partial = [...Array(50).keys()].map((i) => shardOf({ IpAddress: `10.0.0.${i}` }, ['IpAddress', 'User'], 1024));
    const full = [...Array(50).keys()].map((i) => shardOf({ IpAddress: `10.0.0.${i}`, User: 'x' }, ['IpAddress', 'User'], 1024));
    expect(partial).not.toEqual(full);
  });

  test('events without the key, and values that are not events, go to the fixed shard', () => {
    expect(MISSING_KEY_SHARD).toBe(0);
    expect(shardOf({ User: 'bob' }, ['IpAddress'], 8)).toBe(MISSING_KEY_SHARD);
    expect(shardOf({ IpAddress: null }, ['IpAddress'], 8)).toBe(MISSING_KEY_SHARD);
    for (const v of [null, 'text', 3, ['IpAddress']]) expect(shardOf(v, ['IpAddress'], 8)).toBe(MISSING_KEY_SHARD);
  });

  test('keys spread evenly: 4000 addresses over 8 shards, each within 20% of the mean', () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 4000; i++) counts[shardOf({ IpAddress: `10.${i >> 8}.${i & 255}.1` }, ['IpAddress'], 8)]++;
    for (const c of counts) expect(Math.abs(c - 500)).toBeLessThan(100);
  });

  test('entry ids compare as numbers', () => {
    expect(compareIds('10-0', '9-5')).toBe(1);
    expect(compareIds('5-10', '5-9')).toBe(1);
    expect(compareIds('5-1', '5-1')).toBe(0);
    expect(compareIds('0-0', '1-0')).toBe(-1);
    expect(compareIds('18446744073709551615-0', '18446744073709551614-9')).toBe(1);
  });
});

describe.skipIf(!hasRedis)('leases, fenced commits and routing a stream (real redis-server)', () => {
  let redis: RedisServer;
  let client: TestClient;
  let link: RedisLink;
  let other: RedisLink;
  beforeAll(async () => {
    redis = await RedisServer.start();
    client = await redis.client();
    link = await RedisLink.open(resolveTarget(redis.url), () => {});
    other = await RedisLink.open(resolveTarget(redis.url), () => {});
  });
  afterAll(async () => {
    await link?.close();
    await other?.close();
    await client?.close();
    await redis?.stop();
  });
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  test('one holder at a time; renewal extends it; expiry frees it; the old holder learns it lost it', async () => {
    const a = new Lease(link, 'l1', 'a-token', 400);
    const b = new Lease(other, 'l1', 'b-token', 400);
    expect(await a.acquire()).toBe(true);
    expect(a.held()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect(b.held()).toBe(false);
    await sleep(250);
    expect(await a.renew()).toBe(true);
    expect(await client.call<number>('PTTL', 'l1')).toBeGreaterThan(300);
    await sleep(250); // past the first expiry: the renewal kept it
    expect(await b.acquire()).toBe(false);
    await sleep(450); // no renewal: it expires
    expect(a.held()).toBe(false); // locally given up before the server's expiry already
    expect(await b.acquire()).toBe(true);
    expect(await a.renew()).toBe(false);
    expect(a.held()).toBe(false);
    await a.release(); // not its own: nothing happens
    expect(await client.call('GET', 'l1')).toBe('b-token');
    await b.release();
    expect(await client.call('GET', 'l1')).toBeNull();
  });

  test('the holder counts the lease from when it asked, less the margin, so it stops before the server lets go', async () => {
    let now = 1000;
    const lease = new Lease(link, 'l2', 't', 10_000, () => now);
    expect(await lease.acquire()).toBe(true);
    const until = 1000 + 10_000 * (1 - LEASE_MARGIN_FRACTION);
    now = until - 1;
    expect(lease.held()).toBe(true);
    expect(lease.held(2)).toBe(false); // a read that could outlast it is not started
    now = until;
    expect(lease.held()).toBe(false);
    now = 2000;
    expect(await lease.renew()).toBe(true);
    now = 2000 + 10_000 * (1 - LEASE_MARGIN_FRACTION) - 1;
    expect(lease.held()).toBe(true);
  });

  test('a commit writes alerts, acknowledgements and the checkpoint in one step, and nothing once the lease is lost', async () => {
    await client.call('XGROUP', 'CREATE', 's:0', 'g', '0', 'MKSTREAM');
    const ids = [await client.call<string>('XADD', 's:0', '*', 'event', '{}'), await client.call<string>('XADD', 's:0', '*', 'event', '{}')];
    await client.call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's:0', '>');
    const committer = new Committer(link, { stream: 's:0', alerts: 's:alerts', deadLetter: 's:dead', group: 'g' }, { maxlen: 0, dedupeMs: 0, dedupePrefix: '' });
    const lease = new Lease(link, 's:0:lease:g', 'mine', 5000);
    expect(await lease.acquire()).toBe(true);
    const shard = { lease: lease.key, token: lease.token, leaseMs: 5000, checkpoint: 's:0:checkpoint:g', id: ids[0], state: new Uint8Array([1, 2, 3]), consumer: 'c', settle: [] };
    const alert = { id: 'a1', fields: ['alert_id', 'a1'] };
    expect(await committer.commit([alert], [], [ids[0]], shard)).toEqual({ written: 1, duplicates: 0, deadLettered: 0, acknowledged: 1 });
    expect(await client.call('HGET', 's:0:checkpoint:g', 'id')).toBe(ids[0]);
    expect(await client.call('XLEN', 's:alerts')).toBe(1);
    expect((await client.call<unknown[]>('XPENDING', 's:0', 'g'))[0]).toBe(1);

    // Another consumer takes the shard over (the lease expired): the old holder's commit is refused whole.
    await client.call('SET', 's:0:lease:g', 'theirs');
    const refused = committer.commit([{ id: 'a2', fields: ['alert_id', 'a2'] }], [], [ids[1]], { ...shard, id: ids[1], state: new Uint8Array([9]) });
    await expect(refused).rejects.toThrow(new RegExp(`^${LEASE_LOST}`));
    expect(await client.call('XLEN', 's:alerts')).toBe(1);
    expect((await client.call<unknown[]>('XPENDING', 's:0', 'g'))[0]).toBe(1);
    expect(await client.call('HGET', 's:0:checkpoint:g', 'id')).toBe(ids[0]);
    expect(await client.call('GET', 's:0:lease:g')).toBe('theirs');
  });

  test('a commit without a checkpoint settles its entries: pending still, delivered once again (a takeover is not a failure)', async () => {
    await client.call('XGROUP', 'CREATE', 'st:0', 'g', '0', 'MKSTREAM');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await client.call<string>('XADD', 'st:0', '*', 'event', '{}'));
    await client.call('XREADGROUP', 'GROUP', 'g', 'old', 'STREAMS', 'st:0', '>');
    for (let i = 0; i < 3; i++) await client.call('XAUTOCLAIM', 'st:0', 'g', 'c', '0', '0-0'); // three takeovers
    const deliveries = async (): Promise<number[]> => (await client.call<[string, string, number, number][]>('XPENDING', 'st:0', 'g', '-', '+', '10')).map((r) => Number(r[3]));
    expect(await deliveries()).toEqual([4, 4, 4]);
    const committer = new Committer(link, { stream: 'st:0', alerts: 'st:alerts', deadLetter: 'st:dead', group: 'g' }, { maxlen: 0, dedupeMs: 0, dedupePrefix: '' });
    const lease = new Lease(link, 'st:0:lease:g', 'mine', 5000);
    expect(await lease.acquire()).toBe(true);
    const shard = { lease: lease.key, token: lease.token, leaseMs: 5000, checkpoint: 'st:0:checkpoint:g', id: '', state: new Uint8Array(0), consumer: 'c', settle: [ids[0], ids[2]] };
    expect(await committer.commit([], [], [], shard)).toEqual({ written: 0, duplicates: 0, deadLettered: 0, acknowledged: 0 });
    expect(await deliveries()).toEqual([1, 4, 1]);
    expect(await client.call('HGET', 'st:0:checkpoint:g', 'id')).toBeNull();
  });

  test('shard reads are fenced by the lease on the server: a holder that lost it is delivered nothing', async () => {
    await client.call('XGROUP', 'CREATE', 'sr:0', 'g', '0', 'MKSTREAM');
    await client.call('XGROUP', 'CREATE', 'sr:1', 'g', '0', 'MKSTREAM');
    const first = await client.call<string>('XADD', 'sr:0', '*', 'event', '{"a":1}');
    const keys = [0, 1].map((k) => ({ lease: `sr:${k}:lease:g`, stream: `sr:${k}` }));
    const who = { token: 'mine', group: 'g', consumer: 'c' };
    await client.call('SET', keys[0].lease, 'mine');
    await client.call('SET', keys[1].lease, 'mine');
    const read = await readShards(link, keys, who, 10);
    expect(read[0]).toMatchObject({ kind: 'entries', entries: [{ id: first }] });
    expect(read[1]).toEqual({ kind: 'idle', lastDelivered: '0-0' });
    expect(await readShards(link, keys.slice(0, 1), who, 10)).toEqual([{ kind: 'idle', lastDelivered: first }]);

    // Another consumer holds shard 0 now: the old holder's read is refused and the entry stays undelivered.
    await client.call('SET', keys[0].lease, 'theirs');
    const second = await client.call<string>('XADD', 'sr:0', '*', 'event', '{"a":2}');
    expect(await readShards(link, keys, who, 10)).toEqual([{ kind: 'lost' }, { kind: 'idle', lastDelivered: '0-0' }]);
    expect((await groupInfo(client, 'sr:0', 'g'))?.['last-delivered-id']).toBe(first);
    await expect(claimShard(link, keys[0], who, '0-0', 10)).rejects.toThrow(new RegExp(`^${LEASE_LOST}`));
    const claimed = await claimShard(link, keys[0], { ...who, token: 'theirs', consumer: 'd' }, '0-0', 10);
    expect(claimed.entries.map((e) => e.id)).toEqual([first]);

    // The wait after an idle read delivers nothing and returns once an entry is there after the id it was given.
    const started = performance.now();
    await waitForEntries(link, [{ stream: 'sr:1', id: '0-0' }], 300);
    expect(performance.now() - started).toBeGreaterThan(50);
    await waitForEntries(link, [{ stream: 'sr:0', id: first }], 5000); // `second` is there: returns at once
    expect((await groupInfo(client, 'sr:0', 'g'))?.['last-delivered-id']).toBe(first);
    expect(second > first).toBe(true);
  });

  test('routing a stream: every entry once across runs, with its fields; a checkpoint moved by another router is refused', async () => {
    const settings = { stream: 'r', shards: 3, key: ['Ip'] };
    const add = (i: number): Promise<string> => client.call<string>('XADD', 'src', '*', 'event', JSON.stringify({ Ip: `10.0.0.${i % 7}`, i }), 'extra', `x${i}`);
    for (let i = 0; i < 10; i++) await add(i);
    const options = { source: 'src', eventSource: { kind: 'field' as const, name: 'event' }, batch: 4 };
    const first = await routeStream(link, settings, options);
    expect(first.perShard.reduce((a, b) => a + b, 0)).toBe(10);
    for (let i = 10; i < 15; i++) await add(i);
    const second = await routeStream(link, settings, options);
    expect(second.perShard.reduce((a, b) => a + b, 0)).toBe(5);
    const seen: number[] = [];
    for (let k = 0; k < 3; k++) {
      const rows = await client.call<[string, string[]][]>('XRANGE', shardStream('r', k), '-', '+');
      for (const [, fields] of rows) {
        const event = JSON.parse(fields[1]);
        expect(shardOf(event, ['Ip'], 3)).toBe(k);
        expect(fields.slice(2)).toEqual(['extra', `x${event.i}`]);
        seen.push(event.i);
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(15).keys()]);
    expect(await routeStream(link, settings, options)).toEqual({ perShard: [0, 0, 0], missingKey: 0, notEvents: 0 });

    // Two routers at once: the one whose checkpoint is stale fails instead of routing entries twice. The other
    // router's move lands after this one's first batch (its next batch needs a read's round trip first).
    await add(15);
    await add(16);
    const key = routeCheckpointKey('r', 'src');
    let calls = 0;
    const moved = routeStream(link, settings, {
      ...options,
      batch: 1,
      stopped: () => {
        if (++calls === 2) void client.call('SET', key, '0-1');
        return false;
      },
    });
    await expect(moved).rejects.toThrow(/ROUTEMOVED/);
    expect(await client.call('GET', key)).toBe('0-1');
  });
});
