/**
 * The Node library entry `sigma-match/redis` in process, against a real redis-server: one VM crossing per batch, a
 * record over the matcher's size limit dead-lettered as too-large, rules given as YAML text with provenance.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { Matcher, loadRulesFromText } from '../../src/index.js';
import { consumeRedis } from '../../src/sources/redis/index.js';
import { RedisServer, REDIS_SKIP_MESSAGE, addEntries, hasRedis, readStream, type TestClient } from '../support/redis.js';
import { RULE_TEXTS, eventEntries, makeEvents } from './fixtures.js';

if (!hasRedis) console.warn(REDIS_SKIP_MESSAGE);

let redis: RedisServer | null = null;
let client: TestClient | null = null;
afterEach(async () => {
  await client?.close();
  await redis?.stop();
  redis = client = null;
});

describe.skipIf(!hasRedis)('consumeRedis (sigma-match/redis)', () => {
  test('each batch crosses into the VM once', async () => {
    redis = await RedisServer.start();
    client = await redis.client();
    const events = makeEvents(1000);
    await addEntries(client, 'ev', eventEntries(events));
    const set = loadRulesFromText(Object.values(RULE_TEXTS));
    const matcher = await Matcher.create(set);
    let crossings = 0;
    const host = matcher.host;
    const runScan = host.runScan.bind(host);
    host.runScan = () => {
      crossings++;
      runScan();
    };
    const consumer = await consumeRedis({ redis: redis.url, stream: 'ev', group: 'g', from: '0', batch: 64, blockMs: 100, drain: true, rules: matcher, sigma: set.rules });
    const totals = await consumer.done;
    expect(totals.batches).toBe(Math.ceil(events.length / 64));
    expect(totals.events).toBe(events.length);
    // One per batch, and one when the consumer stops (the scanner session's end, with nothing left in it).
    expect(crossings).toBe(totals.batches + 1);
    const alerts = await readStream(client, 'ev:alerts');
    expect(alerts.length).toBe(totals.alerts);
    expect(JSON.parse(alerts[0].fields.alert).detections).toEqual(['selection']);
  });

  test('rules as YAML text; an event over the record size limit is dead-lettered as too-large', async () => {
    redis = await RedisServer.start();
    client = await redis.client();
    const small = JSON.stringify({ Image: 'C:\\w\\whoami.exe' });
    const large = JSON.stringify({ Image: 'C:\\w\\whoami.exe', Padding: 'x'.repeat(500) });
    const [, bigId] = await addEntries(client, 'ev', [['event', small], ['event', large], ['event', small]]);
    const consumer = await consumeRedis({
      redis: `redis://127.0.0.1:${redis.port}`,
      stream: 'ev',
      group: 'g',
      from: '0',
      blockMs: 100,
      drain: true,
      rules: Object.values(RULE_TEXTS),
      matcherOptions: { maxRecordBytes: 256 },
    });
    const totals = await consumer.done;
    expect(totals).toMatchObject({ entries: 3, events: 2, alerts: 2, deadLettered: 1, acknowledged: 3 });
    const dead = await readStream(client, 'ev:dead-letter');
    expect(dead.map((d) => [d.fields.entry_id, d.fields.code])).toEqual([[bigId, 'too-large']]);
    const alerts = (await readStream(client, 'ev:alerts')).map((a) => JSON.parse(a.fields.alert));
    expect(alerts[0].fields).toEqual([{ field: 'Image', value: 'C:\\w\\whoami.exe' }]);
  });
});
