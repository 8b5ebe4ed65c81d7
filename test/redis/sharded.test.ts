/**
 * Sharded correlation against a real redis-server: `sigmatch route` splits the events by IpAddress, two
 * `sigmatch consume --shards` processes share the shards, one is killed (SIGKILL) mid-stream, the other takes its
 * shards over from their checkpoints; the alerts (rule hits and correlation alerts) must be exactly those of one
 * `sigmatch scan` over the same events in the same order, compared by rule + group + completing event, each once.
 */
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempFiles, jsonLines } from '../support/cli.js';
import { ConsumerProcess, RedisServer, REDIS_SKIP_MESSAGE, groupInfo, hasRedis, readStream, waitFor, type TestClient } from '../support/redis.js';
import { Matcher, loadRulesFromText } from '../../src/index.js';
import { RedisLink, resolveTarget } from '../../src/sources/redis/connection.js';

if (!hasRedis) console.warn(REDIS_SKIP_MESSAGE);

const STREAM = 'logons';
const GROUP = 'correlate';
const SHARDS = 4;
const EVENTS = 30_000;
const LEASE = '1500ms';
const KILL_ATTEMPTS = 200;
const BATCH = 25;
/** The churn test's lease (the shortest there is: handovers follow one another quickly) and its handovers. */
const CHURN_LEASE = '300ms';
const HANDOVERS = 7;

/** Failed and successful logons: brute force (event_count), spraying (value_count), success after failures (temporal). */
const RULES = {
  'failed.yml': `title: Failed logon
id: 0c5a3f5e-1d52-4c1e-9a0b-000000000001
name: failed_logon
level: low
logsource: {product: windows}
detection:
  selection: {EventID: 4625}
  condition: selection
`,
  'success.yml': `title: Successful logon
id: 0c5a3f5e-1d52-4c1e-9a0b-000000000002
name: success_logon
level: informational
logsource: {product: windows}
detection:
  selection: {EventID: 4624}
  condition: selection
`,
  'admin.yml': `title: Admin logon from outside
id: 0c5a3f5e-1d52-4c1e-9a0b-000000000003
level: high
logsource: {product: windows}
detection:
  selection: {EventID: 4624, TargetUserName: admin}
  condition: selection
`,
  'correlations.yml': `title: Brute force
id: 0c5a3f5e-1d52-4c1e-9a0b-0000000000c1
level: high
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 20s
  condition: {gte: 5}
---
title: Spraying
id: 0c5a3f5e-1d52-4c1e-9a0b-0000000000c2
level: high
correlation:
  type: value_count
  rules: [failed_logon]
  group-by: [IpAddress, Workstation]
  timespan: 1m
  condition: {gte: 5, field: TargetUserName}
---
title: Success after failures
id: 0c5a3f5e-1d52-4c1e-9a0b-0000000000c3
level: critical
correlation:
  type: temporal
  rules: [failed_logon, success_logon]
  group-by: [IpAddress]
  timespan: 3s
`,
};

const USERS = ['alice', 'bob', 'carol', 'dave', 'admin', 'eve'];

/** Event i, in time order (150 ms apart); 1 in 50 without IpAddress (those go to shard 0). */
function makeEvent(i: number, random: () => number): Record<string, unknown> {
  const r = random();
  const event: Record<string, unknown> = {
    '@timestamp': new Date(Date.UTC(2026, 11, 1) + i * 150).toISOString(),
    EventID: r < 0.7 ? 4625 : r < 0.93 ? 4624 : 4688,
    TargetUserName: USERS[Math.floor(random() * USERS.length)],
    Workstation: `ws${Math.floor(random() * 3)}`,
    Seq: i,
  };
  if (i % 50 !== 7) event.IpAddress = `10.0.${Math.floor(random() * 4)}.${Math.floor(random() * 6)}`;
  return event;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** An alert as both sides can say it: rule (id), the correlation group (JSON) and the completing event's index. */
type AlertKey = string;
const keyOf = (rule: string, group: unknown, event: number): AlertKey => JSON.stringify([rule, group ?? null, event]);

let dir: string;
let eventsFile: string;
let expected: AlertKey[];

beforeAll(() => {
  dir = tempFiles(Object.fromEntries(Object.entries(RULES).map(([n, t]) => [`rules/${n}`, t])));
  const random = seeded(17);
  const events = Array.from({ length: EVENTS }, (_, i) => makeEvent(i, random));
  eventsFile = join(dir, 'events.ndjson');
  writeFileSync(eventsFile, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const scan = runCli(['scan', '--rules', join(dir, 'rules'), '--format', 'jsonl', '--quiet', eventsFile]);
  expect(scan.code, scan.stderr).toBe(0);
  expected = jsonLines(scan.stdout).map((h) => keyOf(h.id, h.correlation?.group, h.event));
});

let redis: RedisServer | null = null;
let client: TestClient | null = null;
const consumers: ConsumerProcess[] = [];

afterEach(async () => {
  for (const c of consumers) c.signal('SIGKILL');
  await Promise.all(consumers.map((c) => c.exited));
  consumers.length = 0;
  await client?.close();
  await redis?.stop();
  client = null;
  redis = null;
});

function consumer(name: string, extra: string[] = []): ConsumerProcess {
  const c = new ConsumerProcess([
    '--redis', redis!.url, '-s', STREAM, '-g', GROUP, '--consumer', name, '-r', join(dir, 'rules'),
    '--shards', String(SHARDS), '--lease', LEASE, '--metrics', '--status-every', '0', '--block', '100', ...extra,
  ]);
  consumers.push(c);
  return c;
}

/** Entry id -> the event's index (Seq), over every shard stream. */
async function seqOfEntries(c: TestClient): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  for (let k = 0; k < SHARDS; k++) {
    for (const e of await readStream(c, `${STREAM}:${k}`)) map.set(`${STREAM}:${k}/${e.id}`, JSON.parse(e.fields.event).Seq);
  }
  return map;
}

async function acknowledged(c: TestClient): Promise<number> {
  let n = 0;
  for (let k = 0; k < SHARDS; k++) {
    const id = await c.call<string | null>('HGET', `${STREAM}:${k}:checkpoint:${GROUP}`, 'id');
    if (id === null) continue;
    n += (await c.call<unknown[]>('XRANGE', `${STREAM}:${k}`, '-', id)).length;
  }
  return n;
}

/**
 * Entries delivered and acknowledged over every shard, from the groups' counters: cheap enough to poll every few ms
 * (acknowledged() reads the entries themselves, and the stream may be done by the time a poll of it returns).
 */
async function progress(c: TestClient): Promise<number> {
  let n = 0;
  for (let k = 0; k < SHARDS; k++) {
    const g = await groupInfo(c, `${STREAM}:${k}`, GROUP);
    if (g) n += Number(g['entries-read'] ?? 0) - Number(g.pending ?? 0);
  }
  return n;
}

/** Snapshot header bytes (magic, version, checksum) before the JSON body (src/correlation/snapshot.ts). */
const SNAPSHOT_HEADER = 12;

/**
 * Each shard's checkpoint holds exactly the state of one uninterrupted pass over the shard's entries up to the
 * checkpoint's id: the state covers the acknowledged entries, no more, no less. Returns how many were checked.
 */
async function expectCheckpointsCoverTheirEntries(c: TestClient, shards: readonly number[]): Promise<number> {
  const link = await RedisLink.open(resolveTarget(redis!.url), () => {});
  let checked = 0;
  try {
    for (const k of shards) {
      const [id, state] = (await link.call(['HMGET', `${STREAM}:${k}:checkpoint:${GROUP}`, 'id', 'state'])) as (Buffer | null)[];
      if (!id || !state) continue;
      const entries = await c.call<[string, string[]][]>('XRANGE', `${STREAM}:${k}`, '-', id.toString());
      const matcher = await Matcher.create(loadRulesFromText(Object.values(RULES)));
      matcher.scanner('ndjson', true).push(new TextEncoder().encode(entries.map(([, f]) => f[1]).join('\n') + '\n'));
      const body = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes.subarray(SNAPSHOT_HEADER)));
      expect(body(state), `the checkpoint of ${STREAM}:${k} at ${id} covers its ${entries.length} entries`).toEqual(body(matcher.snapshot()));
      checked++;
    }
  } finally {
    await link.close();
  }
  return checked;
}

/** The alerts stream holds exactly the alerts of one scan (rule + group + completing event), each once. */
async function expectScanAlerts(c: TestClient): Promise<{ alerts: unknown[]; correlationAlerts: number }> {
  // No entry here is poison: a dead letter is an event the correlation state never saw.
  const deadLetters = await readStream(c, `${STREAM}:dead-letter`);
  expect(deadLetters.map((d) => `${d.fields.stream}/${d.fields.entry_id}: ${d.fields.reason}`).slice(0, 5), 'no dead letters').toEqual([]);
  const alerts = await readStream(c, `${STREAM}:alerts`);
  const ids = alerts.map((a) => a.fields.alert_id);
  expect(new Set(ids).size, 'no alert id twice').toBe(ids.length);
  const seqOf = await seqOfEntries(c);
  const got = alerts.map((a) => {
    const record = JSON.parse(a.fields.alert);
    const seq = seqOf.get(`${record.stream}/${record.entry}`);
    expect(seq, `${record.stream}/${record.entry} is an entry`).toBeDefined();
    return keyOf(record.id, record.correlation?.group, seq!);
  });
  const correlationAlerts = alerts.filter((a) => JSON.parse(a.fields.alert).correlation).length;
  expect(correlationAlerts).toBeGreaterThan(50);
  expect([...got].sort()).toEqual([...expected].sort());
  return { alerts, correlationAlerts };
}

/** Entries pending with a consumer, over every shard. */
async function pendingAt(c: TestClient, name: string): Promise<number> {
  let n = 0;
  for (let k = 0; k < SHARDS; k++) {
    const summary = await c.call<[string, string, string, [string, string][] | null]>('XPENDING', `${STREAM}:${k}`, GROUP);
    n += Number(summary[3]?.find(([who]) => who === name)?.[1] ?? 0);
  }
  return n;
}

/** The consumer names holding the shards' leases now. */
async function holders(c: TestClient): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (let k = 0; k < SHARDS; k++) out.push((await c.call<string | null>('GET', `${STREAM}:${k}:lease:${GROUP}`))?.split(':')[0] ?? null);
  return out;
}

describe.skipIf(!hasRedis)('sharded correlation (route + consume --shards)', () => {
  test('route splits by the key, keeps order, and sends events without it to shard 0', async () => {
    redis = await RedisServer.start();
    client = await redis.client();
    const routed = runCli(['route', '--redis', redis.url, '-s', STREAM, '--shards', String(SHARDS), '--key', 'IpAddress', eventsFile]);
    expect(routed.code, routed.stderr).toBe(0);
    const withoutKey = Math.ceil((EVENTS - 7) / 50);
    expect(routed.stderr).toContain(`routed ${EVENTS} events to ${SHARDS} shards`);
    expect(routed.stderr).toContain(`without the key: ${withoutKey}`);
    const byIp = new Map<string, number>();
    let total = 0;
    for (let k = 0; k < SHARDS; k++) {
      const seqs: number[] = [];
      for (const e of await readStream(client, `${STREAM}:${k}`)) {
        const event = JSON.parse(e.fields.event);
        seqs.push(event.Seq);
        const ip = event.IpAddress ?? '(none)';
        expect(byIp.get(ip) ?? k, `${ip} in one shard`).toBe(k);
        byIp.set(ip, k);
      }
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs.length).toBeGreaterThan(EVENTS / SHARDS / 2);
      total += seqs.length;
    }
    expect(total).toBe(EVENTS);
    expect(byIp.get('(none)')).toBe(0);
  });

  test('a consumer killed (SIGKILL) mid-stream: the other takes its shards over; alerts equal one scan, each once', async () => {
    redis = await RedisServer.start();
    client = await redis.client();
    const routed = runCli(['route', '--redis', redis.url, '-s', STREAM, '--shards', String(SHARDS), '-k', 'IpAddress', eventsFile]);
    expect(routed.code, routed.stderr).toBe(0);

    // The victim checkpoints every 200 ms: it dies with entries processed (their alerts written) since its last
    // checkpoint, which it wrote mid-stream.
    const victim = consumer('victim', ['--batch', String(BATCH), '--checkpoint-every', '200ms']);
    const survivor = consumer('survivor', ['--batch', String(BATCH), '--drain']);
    await waitFor('both consumers to hold shards', async () => new Set((await holders(client!)).filter((h) => h !== null)).size === 2);
    // The victim's shards have checkpoints with state, a fifth of the events are processed, and then it is caught
    // (SIGSTOP) holding entries it read but did not acknowledge, and killed.
    // Shards the victim holds, with entries left, whose checkpoint it wrote itself: one taken mid-stream, in a
    // batch's commit (not a shard it just received from the survivor with the survivor's checkpoint).
    const victimCheckpoints = async (): Promise<number> => {
      let n = 0;
      const now = await holders(client!);
      for (let k = 0; k < SHARDS; k++) {
        if (now[k] !== 'victim') continue;
        const writer = await client!.call<string | null>('HGET', `${STREAM}:${k}:checkpoint:${GROUP}`, 'holder');
        const id = await client!.call<string | null>('HGET', `${STREAM}:${k}:checkpoint:${GROUP}`, 'id');
        const last = (await client!.call<[string, string[]][]>('XREVRANGE', `${STREAM}:${k}`, '+', '-', 'COUNT', 1))[0]?.[0];
        if (writer?.startsWith('victim:') && id !== last) n++;
      }
      return n;
    };
    await waitFor('a fifth of the events acknowledged', async () => (await progress(client!)) >= EVENTS / 5, 60_000, 5);
    // More pending than one read brings (BATCH per shard): batches whose alerts are written wait for a checkpoint.
    const holding = async (): Promise<boolean> => (await pendingAt(client!, 'victim')) > BATCH * SHARDS && (await victimCheckpoints()) > 0;
    let caught = false;
    for (let attempt = 0; attempt < KILL_ATTEMPTS && !caught; attempt++) {
      if (await holding()) {
        victim.signal('SIGSTOP');
        await new Promise((r) => setTimeout(r, 20)); // commands already on the wire land meanwhile
        caught = await holding();
        if (!caught) victim.signal('SIGCONT');
      }
      if (!caught) await new Promise((r) => setTimeout(r, 5));
    }
    expect(caught, 'the victim was caught with a batch in hand').toBe(true);
    const inHand = await pendingAt(client, 'victim');
    const victimShards = (await holders(client)).flatMap((h, k) => (h === 'victim' ? [k] : []));
    victim.signal('SIGKILL');
    const killedAt = await acknowledged(client);
    // Before anyone takes them over (the lease runs 1.5 s): the dead holder's checkpoints cover their entries.
    expect(await expectCheckpointsCoverTheirEntries(client, victimShards)).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(EVENTS);
    const end = await survivor.exited;
    expect(end.code, survivor.stderr).toBe(0);
    expect(survivor.stderr).toMatch(/took shard logons:\d over \(checkpoint \d+-\d+, \d+ bytes of correlation state\)/);

    const { alerts, correlationAlerts } = await expectScanAlerts(client);
    expect(await client.call('XLEN', `${STREAM}:dead-letter`)).toBe(0);
    expect(await expectCheckpointsCoverTheirEntries(client, [...Array(SHARDS).keys()])).toBe(SHARDS);
    const final = survivor.final();
    expect(final.reclaimed).toBeGreaterThanOrEqual(inHand);
    expect(final.duplicates, 'alerts written again on the way are held back').toBeGreaterThan(0);
    const perRule = new Map<string, number>();
    for (const a of alerts as { fields: Record<string, string> }[]) perRule.set(a.fields.rule_id.slice(-2), (perRule.get(a.fields.rule_id.slice(-2)) ?? 0) + 1);
    console.log(
      `[${[...perRule].map(([r, n]) => `${r}:${n}`).join(' ')}] sharded takeover: ${EVENTS} events, ${alerts.length} alerts (${correlationAlerts} correlation), killed at ${killedAt} acknowledged with ${inHand} in hand, ` +
        `survivor reclaimed ${final.reclaimed}, held back ${final.duplicates} alerts the victim had written`,
    );
  });

  test('the shards change hands again and again between checkpoints: nothing is dead-lettered for it; alerts equal one scan', async () => {
    // Every takeover claims every entry pending in the shard again: one delivery more each. Seven handovers with no
    // checkpoint in between would take the first entries past --max-deliveries (5), though every holder committed
    // what it claimed before it was stopped: a takeover is not a failed delivery.
    redis = await RedisServer.start();
    client = await redis.client();
    const routed = runCli(['route', '--redis', redis.url, '-s', STREAM, '--shards', String(SHARDS), '-k', 'IpAddress', eventsFile]);
    expect(routed.code, routed.stderr).toBe(0);
    const options = ['--batch', String(BATCH), '--checkpoint-every', '1h', '--lease', CHURN_LEASE, '--drain'];
    const read = async (): Promise<number[]> => {
      const out = [];
      for (let k = 0; k < SHARDS; k++) out.push(Number((await groupInfo(client!, `${STREAM}:${k}`, GROUP))?.['entries-read'] ?? 0));
      return out;
    };
    const lengths: number[] = [];
    for (let k = 0; k < SHARDS; k++) lengths.push(await client.call<number>('XLEN', `${STREAM}:${k}`));
    // Taken over: every shard's pending entries claimed and committed, and new ones read after them (or none left).
    const tookOverAndMovedOn = async (c: ConsumerProcess, since: number, before: readonly number[]): Promise<boolean> => {
      const now = await read();
      return [...Array(SHARDS).keys()].every(
        (k) => new RegExp(`took shard ${STREAM}:${k} over`).test(c.stderr.slice(since)) && (now[k] > before[k] || now[k] === lengths[k]),
      );
    };
    const a = consumer('a', options);
    await waitFor('the first consumer to take every shard and read', () => tookOverAndMovedOn(a, 0, [0, 0, 0, 0]), 60_000, 5);
    let [holder, waiting]: [ConsumerProcess, ConsumerProcess | null] = [a, null];
    for (let handover = 1; handover <= HANDOVERS; handover++) {
      holder.signal('SIGSTOP');
      const before = await read();
      let next: ConsumerProcess;
      if (waiting) {
        next = waiting;
        next.signal('SIGCONT');
      } else next = consumer('b', options);
      const since = next.stderr.length;
      await waitFor(`handover ${handover}`, () => tookOverAndMovedOn(next, since, before), 60_000, 5, () => next.stderr.slice(since));
      [holder, waiting] = [next, holder];
    }
    // No checkpoint moved on the way (none is due for an hour, and no shard ran dry): the first entries were claimed
    // at every handover.
    const checkpointed = [];
    for (let k = 0; k < SHARDS; k++) checkpointed.push(await client.call<string | null>('HGET', `${STREAM}:${k}:checkpoint:${GROUP}`, 'id'));
    expect(checkpointed.filter((id) => id === null).length, `checkpoints: ${checkpointed.join(', ')}`).toBeGreaterThan(0);
    waiting!.signal('SIGCONT');
    for (const c of [a, holder]) expect((await c.exited).code, c.stderr).toBe(0);
    await expectScanAlerts(client);
  });

  test('consume --shards from a compiled artifact runs the correlations it carries: alerts equal one scan', async () => {
    redis = await RedisServer.start();
    client = await redis.client();
    const artifact = join(dir, 'rules.sigc');
    const compiled = runCli(['compile', '-r', join(dir, 'rules'), '-o', artifact]);
    expect(compiled.code, compiled.stderr).toBe(0);
    const routed = runCli(['route', '--redis', redis.url, '-s', STREAM, '--shards', String(SHARDS), '-k', 'IpAddress', eventsFile]);
    expect(routed.code, routed.stderr).toBe(0);
    const c = new ConsumerProcess([
      '--redis', redis.url, '-s', STREAM, '-g', GROUP, '--consumer', 'compiled', '-c', artifact,
      '--shards', String(SHARDS), '--lease', LEASE, '--status-every', '0', '--block', '100', '--batch', '500', '--drain',
    ]);
    consumers.push(c);
    const end = await c.exited;
    expect(end.code, c.stderr).toBe(0);
    expect(c.stderr).toMatch(/with 3 rules and 3 correlations/);
    await expectScanAlerts(client);
  });

  test('a consumer stalled (SIGSTOP) past its lease: the other takes over; woken, the stalled one writes nothing and gives the shards up', async () => {
    redis = await RedisServer.start();
    client = await redis.client();
    const routed = runCli(['route', '--redis', redis.url, '-s', STREAM, '--shards', String(SHARDS), '-k', 'IpAddress', eventsFile]);
    expect(routed.code, routed.stderr).toBe(0);
    const stalled = consumer('stalled', ['--batch', '25']);
    const survivor = consumer('survivor', ['--batch', '25', '--drain']);
    await waitFor('both consumers to hold shards', async () => new Set((await holders(client!)).filter((h) => h !== null)).size === 2);
    await waitFor('a fifth of the events acknowledged', async () => (await progress(client!)) >= EVENTS / 5, 60_000, 5);
    // Stopped with entries in hand (delivered, not acknowledged), the survivor cannot drain without taking them over;
    // stopped with none, it may drain and stop without ever needing to (a fast machine gets there).
    let caught = false;
    let logBefore = 0;
    for (let attempt = 0; attempt < KILL_ATTEMPTS && !caught; attempt++) {
      if ((await pendingAt(client, 'stalled')) > 0) {
        stalled.signal('SIGSTOP');
        logBefore = survivor.stderr.length;
        await new Promise((r) => setTimeout(r, 20)); // commands already on the wire land meanwhile
        caught = (await pendingAt(client, 'stalled')) > 0;
        if (!caught) stalled.signal('SIGCONT');
      }
      if (!caught) await new Promise((r) => setTimeout(r, 5));
    }
    expect(caught, 'the stalled consumer was stopped with entries in hand').toBe(true);
    const inHand: number[] = [];
    for (let k = 0; k < SHARDS; k++) {
      const summary = await client.call<[string, string, string, [string, string][] | null]>('XPENDING', `${STREAM}:${k}`, GROUP);
      if (summary[3]?.some(([who]) => who === 'stalled')) inHand.push(k);
    }
    // The survivor's log, not the lease keys: it may take the shards over, drain them and give every lease back
    // between two polls of the holders.
    const tookOver = (k: number): boolean => new RegExp(`took shard ${STREAM}:${k} over`).test(survivor.stderr.slice(logBefore));
    await waitFor('the survivor to take every shard the stalled one had entries of', () => inHand.every(tookOver), 60_000, 20, () =>
      `shards with entries in hand: ${inHand.join(', ')}; survivor's log:\n${survivor.stderr}`,
    );
    stalled.signal('SIGCONT');
    const end = await survivor.exited;
    expect(end.code, survivor.stderr).toBe(0);
    const gaveUp = /gave up shard logons:\d: (its lease could not be renewed in time|another consumer holds its lease now)/;
    await waitFor('the woken consumer to give its shards up', () => gaveUp.test(stalled.stderr));
    expect((await stalled.stop()).code, stalled.stderr).toBe(0);
    await expectScanAlerts(client);
  });
});
