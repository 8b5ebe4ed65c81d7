/**
 * `sigmatch consume` against a real redis-server: consumers splitting a stream, a consumer killed mid-batch, Redis
 * killed and restarted, a graceful stop, duplicates and --dedupe. Every test counts events in, events processed,
 * alerts, duplicates and dead letters, and checks the alert ids against one in-process scan of the same events.
 */
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { ConsumerProcess, RedisServer, REDIS_SKIP_MESSAGE, addEntries, groupInfo, hasRedis, pairs, readStream, waitFor, type TestClient } from '../support/redis.js';
import { eventEntries, expectedAlertIds, makeEvents, ruleDir, tally } from './fixtures.js';

if (!hasRedis) console.warn(REDIS_SKIP_MESSAGE);

const STREAM = 'events';
const GROUP = 'detect';
const ARBITRARY_KILLS = 3;
const FREEZE_CHECKS = 15;

interface Run {
  redis: RedisServer;
  client: TestClient;
  consumers: ConsumerProcess[];
}

let run: Run | null = null;

afterEach(async () => {
  if (!run) return;
  for (const c of run.consumers) c.signal('SIGKILL');
  await Promise.all(run.consumers.map((c) => c.exited));
  await run.client.close();
  await run.redis.stop();
  run = null;
});

async function setUp(options: { aof?: boolean } = {}): Promise<Run> {
  const redis = await RedisServer.start(options);
  run = { redis, client: await redis.client(), consumers: [] };
  return run;
}

let rules: string;
beforeAll(() => {
  rules = join(ruleDir(), 'rules');
});

function consumer(r: Run, name: string, extra: string[] = []): ConsumerProcess {
  const c = new ConsumerProcess(['--redis', r.redis.url, '-s', STREAM, '-g', GROUP, '--consumer', name, '-r', rules, '--from', '0', '--metrics', '--status-every', '0', '--block', '100', ...extra]);
  r.consumers.push(c);
  return c;
}

async function alertIds(client: TestClient): Promise<string[]> {
  return (await readStream(client, `${STREAM}:alerts`)).map((e) => e.fields.alert_id);
}

/** Consumers that have read from the group at least once (they appear in XINFO CONSUMERS). */
async function consumersSeen(client: TestClient): Promise<number> {
  return (await consumerNames(client)).length;
}

async function consumerNames(client: TestClient): Promise<string[]> {
  try {
    return ((await client.call<unknown[][]>('XINFO', 'CONSUMERS', STREAM, GROUP)) ?? []).map((c) => String(pairs(c).name));
  } catch (e) {
    if (/^NOGROUP|no such key/.test((e as Error).message)) return []; // not created yet
    throw e;
  }
}

/** Everything delivered to the group and acknowledged. */
async function allAcknowledged(client: TestClient, lastId: string): Promise<boolean> {
  const g = await groupInfo(client, STREAM, GROUP);
  return g !== undefined && g['last-delivered-id'] === lastId && Number(g.pending) === 0;
}

/** Ids pending with one consumer, or with any. */
async function pendingOf(client: TestClient, name?: string): Promise<string[]> {
  try {
    const rows = await client.call<[string, string, number, number][]>('XPENDING', STREAM, GROUP, '-', '+', 100000, ...(name ? [name] : []));
    return rows.map((r) => r[0]);
  } catch (e) {
    if (/^NOGROUP|no such key/.test((e as Error).message)) return []; // not created yet
    throw e;
  }
}

describe.skipIf(!hasRedis)('sigmatch consume on a real redis-server', () => {
  test.each([2, 3])('%i consumers split a stream: every entry processed exactly once, every alert written once', async (k) => {
    const r = await setUp();
    const names = Array.from({ length: k }, (_, i) => `c${i + 1}`);
    const procs = names.map((n) => consumer(r, n, ['--batch', '25']));
    // Every consumer waits on the group before the first event arrives, so that they share the stream.
    await waitFor(`${k} consumers in the group`, async () => (await consumersSeen(r.client)) === k);
    const events = makeEvents(3000);
    const ids = await addEntries(r.client, STREAM, eventEntries(events));
    await waitFor('every entry acknowledged', () => allAcknowledged(r.client, ids[ids.length - 1]));
    const exits = await Promise.all(procs.map((p) => p.stop()));
    expect(exits).toEqual(procs.map(() => ({ code: 0, signal: null })));

    const finals = procs.map((p) => p.final());
    const sum = (key: string): number => finals.reduce((n, f) => n + f[key], 0);
    // Split: each took a share; together they took each entry once.
    for (const f of finals) expect(f.entries).toBeGreaterThan(0);
    expect(sum('entries')).toBe(events.length);
    expect(sum('events')).toBe(events.length);
    expect(sum('acknowledged')).toBe(events.length);
    expect(sum('reclaimed') + sum('recovered') + sum('deadLettered') + sum('duplicates')).toBe(0);

    const expected = await expectedAlertIds(STREAM, events, ids);
    const written = await alertIds(r.client);
    expect(expected.length).toBeGreaterThan(events.length / 3);
    expect(sum('alerts')).toBe(expected.length);
    expect(written.length).toBe(expected.length);
    expect(new Set(written).size).toBe(written.length); // no duplicates without faults
    expect(new Set(written)).toEqual(new Set(expected));
    console.log(`${k} consumers: ${events.length} events in, ${sum('events')} processed (${finals.map((f) => f.entries).join(' + ')}), ${written.length} alerts, 0 duplicates, 0 dead letters`);
  });

  test('consumers killed (SIGKILL) in the middle of a batch: their entries are reclaimed, every alert is delivered with the same ids', async () => {
    const r = await setUp();
    const events = makeEvents(8000);
    const ids = await addEntries(r.client, STREAM, eventEntries(events));
    const expected = await expectedAlertIds(STREAM, events, ids);
    const expectedByEntry = new Map<string, string[]>();
    for (const id of expected) {
      const entry = id.split('/')[1];
      expectedByEntry.set(entry, [...(expectedByEntry.get(entry) ?? []), id]);
    }

    // 1. The victim, caught holding a batch: frozen (SIGSTOP) while entries are delivered to it and not acknowledged.
    const victim = consumer(r, 'victim', ['--batch', '50']);
    let held: string[] = [];
    await waitFor('the victim holding a batch', async () => {
      if ((await pendingOf(r.client, 'victim')).length === 0) return false;
      victim.signal('SIGSTOP');
      await new Promise((res) => setTimeout(res, 100)); // a command already on the wire lands meanwhile
      held = await pendingOf(r.client, 'victim');
      if (held.length > 0) return true;
      victim.signal('SIGCONT');
      return false;
    }, 60_000, 1);
    victim.signal('SIGKILL');
    await victim.exited;
    const alertsAtKill = (await alertIds(r.client)).length;

    // 2. The invariant, with a consumer frozen at arbitrary moments: every acknowledged entry has all its alerts.
    const watched = consumer(r, 'watched', ['--batch', '50']);
    await waitFor('the watched consumer reading', async () => (await consumerNames(r.client)).includes('watched'), 60_000, 1);
    let checked = 0;
    for (let i = 0; i < FREEZE_CHECKS; i++) {
      await new Promise((res) => setTimeout(res, Math.random() * 30));
      watched.signal('SIGSTOP');
      await new Promise((res) => setTimeout(res, 30)); // a command already on the wire lands meanwhile
      const last = String((await groupInfo(r.client, STREAM, GROUP))?.['last-delivered-id']);
      const pending = new Set(await pendingOf(r.client));
      const written = new Set(await alertIds(r.client));
      const acknowledged = ids.slice(0, ids.indexOf(last) + 1).filter((id) => !pending.has(id));
      for (const entry of acknowledged) for (const alert of expectedByEntry.get(entry) ?? []) expect(written.has(alert), `${alert} of acknowledged ${entry}`).toBe(true);
      checked = Math.max(checked, acknowledged.length);
      watched.signal('SIGCONT');
    }
    expect(checked).toBeGreaterThan(held.length);
    watched.signal('SIGKILL');
    await watched.exited;

    // 3. Consumers killed at arbitrary moments (mid-batch or not).
    for (let i = 0; i < ARBITRARY_KILLS; i++) {
      const name = `killed-${i}`;
      const c = consumer(r, name, ['--batch', '200', '--claim-idle', '300ms']);
      await waitFor(`${name} reading`, async () => (await consumerNames(r.client)).includes(name), 60_000, 1);
      await new Promise((res) => setTimeout(res, 20 + Math.random() * 200));
      c.signal('SIGKILL');
      await c.exited;
    }

    // 4. A survivor takes over whatever the dead left pending, and finishes the stream.
    const rescuer = consumer(r, 'rescuer', ['--batch', '200', '--claim-idle', '300ms']);
    await waitFor('the rescuer reading', async () => (await consumerNames(r.client)).includes('rescuer'), 60_000, 1);
    await waitFor('every entry acknowledged', () => allAcknowledged(r.client, ids[ids.length - 1]));
    expect(await rescuer.stop()).toEqual({ code: 0, signal: null });
    const final = rescuer.final();

    const written = await alertIds(r.client);
    // At least once, with the ids of a single scan: every expected alert is there, nothing else is.
    expect(new Set(written)).toEqual(new Set(expected));
    const duplicates = written.length - tally(written).size;
    expect(await pendingOf(r.client)).toEqual([]);
    console.log(
      `kills: ${events.length} events in; victim killed holding ${held.length} (${alertsAtKill} alerts written then), invariant checked ${FREEZE_CHECKS} times (up to ${checked} acknowledged), ${ARBITRARY_KILLS} consumers killed at arbitrary moments; rescuer processed ${final.entries} (${final.reclaimed} reclaimed); ${written.length} alerts for ${expected.length} expected, ${duplicates} duplicates, ${final.deadLettered} dead letters`,
    );
  });

  test('redis killed (SIGKILL, AOF on) and restarted mid-run: the consumers reconnect and nothing is lost', async () => {
    const r = await setUp({ aof: true });
    const events = makeEvents(3000);
    const ids = await addEntries(r.client, STREAM, eventEntries(events));
    const procs = [consumer(r, 'a', ['--batch', '20']), consumer(r, 'b', ['--batch', '20'])];
    await waitFor('both consumers in the group', async () => (await consumersSeen(r.client)) === 2, 60_000, 1);
    await waitFor('some progress', async () => Number((await groupInfo(r.client, STREAM, GROUP))?.['entries-read'] ?? 0) >= 200, 60_000, 1);
    // Freeze the consumers while both hold a batch, so that the restart happens mid-batch and with work left for
    // sure; then kill Redis under them.
    const held: string[][] = [];
    await waitFor('both consumers holding a batch', async () => {
      for (const p of procs) p.signal('SIGSTOP');
      await new Promise((res) => setTimeout(res, 30)); // commands already on the wire land meanwhile
      held.splice(0, held.length, ...(await Promise.all(['a', 'b'].map((n) => pendingOf(r.client, n)))));
      if (held.every((h) => h.length > 0)) return true;
      for (const p of procs) p.signal('SIGCONT');
      return false;
    }, 60_000, 1);
    const before = await groupInfo(r.client, STREAM, GROUP);
    expect(Number(before?.lag)).toBeGreaterThan(0);
    await r.client.close();
    await r.redis.kill('SIGKILL');
    for (const p of procs) p.signal('SIGCONT');
    await new Promise((res) => setTimeout(res, 300)); // the consumers meet a dead server and retry
    await r.redis.launch();
    r.client = await r.redis.client();
    // Well within --claim-idle (60 s): what each held comes back by its own reading, not by another's reclaim.
    await waitFor('every entry acknowledged', () => allAcknowledged(r.client, ids[ids.length - 1]), 30_000);
    const exits = await Promise.all(procs.map((p) => p.stop()));
    expect(exits).toEqual(procs.map(() => ({ code: 0, signal: null })));

    const finals = procs.map((p) => p.final());
    for (const f of finals) expect(f.reconnects).toBeGreaterThanOrEqual(1);
    finals.forEach((f, i) => expect(f.recovered).toBeGreaterThanOrEqual(held[i].length));
    for (const p of procs) expect(p.stderr).toMatch(/reconnected to redis:\/\/127\.0\.0\.1/);
    const expected = await expectedAlertIds(STREAM, events, ids);
    const written = await alertIds(r.client);
    expect(new Set(written)).toEqual(new Set(expected));
    expect((await readStream(r.client, STREAM)).length).toBe(events.length);
    const duplicates = written.length - new Set(written).size;
    console.log(
      `redis restart: ${events.length} events in, held ${held.map((h) => h.length).join('/')} at the kill, ${finals.reduce((n, f) => n + f.events, 0)} processed (${finals.map((f) => `${f.entries} incl. ${f.recovered} recovered`).join(', ')}), reconnects ${finals.map((f) => f.reconnects).join('/')}, ${written.length} alerts, ${duplicates} duplicates`,
    );
  });

  test('SIGTERM in the middle of a backlog finishes the batch in hand, acknowledges it and exits 0', async () => {
    const r = await setUp();
    const events = makeEvents(20000);
    await addEntries(r.client, STREAM, eventEntries(events));
    const c = consumer(r, 'solo', ['--batch', '100']);
    await waitFor('some progress', async () => Number((await groupInfo(r.client, STREAM, GROUP))?.['entries-read'] ?? 0) >= 500, 60_000, 1);
    c.signal('SIGTERM');
    expect(await c.exited).toEqual({ code: 0, signal: null });
    const final = c.final();
    expect(final.entries).toBeLessThan(events.length); // stopped with work left
    expect(final.acknowledged).toBe(final.entries);
    expect(await pendingOf(r.client, 'solo')).toEqual([]);
    const g = await groupInfo(r.client, STREAM, GROUP);
    expect(Number(g?.['entries-read'])).toBe(final.entries);
    expect(c.stderr).toMatch(/SIGTERM: finishing the batch in hand/);
  });

  test.each([false, true])('a stalled consumer commits after its entries were taken over: duplicate alerts share ids (dedupe %s)', async (dedupe) => {
    const r = await setUp();
    const events = makeEvents(2000);
    const ids = await addEntries(r.client, STREAM, eventEntries(events));
    const extra = ['--batch', '100', '--claim-idle', '200ms', ...(dedupe ? ['--dedupe', '10m'] : [])];
    const slow = consumer(r, 'slow', extra);
    let held: string[] = [];
    await waitFor('the slow consumer holding a batch', async () => {
      if ((await pendingOf(r.client, 'slow')).length === 0) return false;
      slow.signal('SIGSTOP');
      await new Promise((res) => setTimeout(res, 100));
      held = await pendingOf(r.client, 'slow');
      if (held.length > 0) return true;
      slow.signal('SIGCONT');
      return false;
    }, 60_000, 1);
    const other = consumer(r, 'other', extra);
    await waitFor('every entry acknowledged', () => allAcknowledged(r.client, ids[ids.length - 1]));
    // The slow consumer wakes up and, stopping, finishes the batch in hand: the one the other consumer committed.
    slow.signal('SIGCONT');
    const [slowExit, otherExit] = await Promise.all([slow.stop(), other.stop()]);
    expect(slowExit).toEqual({ code: 0, signal: null });
    expect(otherExit).toEqual({ code: 0, signal: null });
    const s = slow.final();
    const o = other.final();
    expect(o.reclaimed).toBe(held.length);

    const expected = await expectedAlertIds(STREAM, events, ids);
    const written = await alertIds(r.client);
    expect(new Set(written)).toEqual(new Set(expected));
    const heldSet = new Set(held);
    const heldAlerts = expected.filter((id) => heldSet.has(id.split('/')[1])).length;
    expect(heldAlerts).toBeGreaterThan(0);
    const duplicates = written.length - new Set(written).size;
    if (dedupe) {
      expect(duplicates).toBe(0);
      expect(s.duplicates + o.duplicates).toBe(heldAlerts);
    } else {
      // Every duplicate is an alert of the held batch, written twice under the same id.
      expect(duplicates).toBe(heldAlerts);
      for (const [id, n] of tally(written)) if (n > 1) expect(heldSet.has(id.split('/')[1])).toBe(true);
    }
    console.log(
      `stalled consumer (dedupe ${dedupe}): ${events.length} events in, held ${held.length}; ${written.length} alerts written, ${duplicates} duplicates in the stream, ${s.duplicates + o.duplicates} held back`,
    );
  });
});
