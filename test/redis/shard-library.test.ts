/**
 * Sharded consumption from Node (`sigmatch/redis`): `route` from NDJSON bytes and from a stream, `consumeShards` with
 * --drain, against a real redis-server; the alerts are those of one in-process Matcher over the same events.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Matcher, loadRulesFromText } from '../../src/index.js';
import { consumeShards, route } from '../../src/sources/redis/index.js';
import { RedisServer, REDIS_SKIP_MESSAGE, hasRedis, readStream, type TestClient } from '../support/redis.js';

if (!hasRedis) console.warn(REDIS_SKIP_MESSAGE);

const RULES = [
  `title: Failed logon\nid: 7d0e8c1a-0000-4000-8000-000000000001\nname: failed\nlogsource: {product: windows}\ndetection:\n  selection: {EventID: 4625}\n  condition: selection\n`,
  `title: Brute force\nid: 7d0e8c1a-0000-4000-8000-0000000000c1\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [IpAddress]\n  timespan: 10s\n  condition: {gte: 3}\n`,
];
const EVENTS = Array.from({ length: 400 }, (_, i) => ({
  '@timestamp': new Date(Date.UTC(2026, 11, 2) + i * 700).toISOString(),
  EventID: i % 5 === 0 ? 4624 : 4625,
  IpAddress: `10.0.0.${(i * 7) % 4}`,
  Seq: i,
}));

async function* chunks(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe.skipIf(!hasRedis)('sigmatch/redis: route and consumeShards', () => {
  let redis: RedisServer;
  let client: TestClient;
  beforeAll(async () => {
    redis = await RedisServer.start();
    client = await redis.client();
  });
  afterAll(async () => {
    await client?.close();
    await redis?.stop();
  });

  test('NDJSON routed in odd-sized pieces, consumed by shards: the alerts of one matcher, once each', async () => {
    const ndjson = EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const totals = await route({ redis: redis.url, stream: 'lib', shards: 3, key: ['IpAddress'], input: chunks(ndjson, 97) });
    expect(totals.perShard.reduce((a, b) => a + b, 0)).toBe(EVENTS.length);
    expect(totals.missingKey + totals.notEvents).toBe(0);

    const consumer = await consumeShards({ redis: redis.url, stream: 'lib', shards: 3, group: 'g', rules: RULES, drain: true, leaseMs: 1000, blockMs: 50 });
    const done = await consumer.done;
    expect(done.events).toBe(EVENTS.length);

    const matcher = await Matcher.create(loadRulesFromText(RULES));
    const expected = matcher.match(EVENTS).map((h) => `${h.correlation ? 'c' : 'r'}:${EVENTS[h.event].Seq}`);
    const seqOf = new Map<string, number>();
    for (let k = 0; k < 3; k++) for (const e of await readStream(client, `lib:${k}`)) seqOf.set(`lib:${k}/${e.id}`, JSON.parse(e.fields.event).Seq);
    const alerts = await readStream(client, 'lib:alerts');
    const got = alerts.map((a) => {
      const record = JSON.parse(a.fields.alert);
      return `${record.correlation ? 'c' : 'r'}:${seqOf.get(`${record.stream}/${record.entry}`)}`;
    });
    expect(expected.filter((x) => x.startsWith('c')).length).toBeGreaterThan(10);
    expect(got.sort()).toEqual(expected.sort());
    expect(new Set(alerts.map((a) => a.fields.alert_id)).size).toBe(alerts.length);
  });

  test('a source stream routed with its fields, each entry once over two runs', async () => {
    for (const e of EVENTS.slice(0, 50)) await client.call('XADD', 'raw', '*', 'event', JSON.stringify(e), 'host', 'h1');
    const first = await route({ redis: redis.url, stream: 'fromraw', shards: 2, key: ['IpAddress'], input: { source: 'raw' } });
    for (const e of EVENTS.slice(50, 60)) await client.call('XADD', 'raw', '*', 'event', JSON.stringify(e), 'host', 'h1');
    const second = await route({ redis: redis.url, stream: 'fromraw', shards: 2, key: ['IpAddress'], input: { source: 'raw' } });
    expect(first.perShard.reduce((a, b) => a + b, 0)).toBe(50);
    expect(second.perShard.reduce((a, b) => a + b, 0)).toBe(10);
    const routed = [...(await readStream(client, 'fromraw:0')), ...(await readStream(client, 'fromraw:1'))];
    expect(routed.map((e) => JSON.parse(e.fields.event).Seq).sort((a, b) => a - b)).toEqual([...Array(60).keys()]);
    expect(routed.every((e) => e.fields.host === 'h1')).toBe(true);
  });
});
