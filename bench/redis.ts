/**
 * `sigmatch consume` through a real redis-server on loopback (`npm run bench:redis`; options: --events N, --quick,
 * --json out.json).
 *
 * Data: the seeded generator of bench/data (flat Sysmon/Security/PowerShell NDJSON, 1% attack-like), one event per
 * entry in the "event" field. Rules: the SigmaHQ windows rules through the sysmon + windows pipelines, loaded by each
 * consumer with --rules (so alerts carry provenance). For each row the stream is filled first (not timed), the
 * consumers start and wait on an empty group, then the group is moved to the stream's start (XGROUP SETID 0) and the
 * clock runs until every entry is acknowledged. Also measured in the same run:
 *   vm-only    the consumer's own scan path (BatchScanner: one VM push per batch) over the same events, in process
 *   redis CPU  redis-server's user+system CPU per event (from /proc), for XADD (filling) and for consuming
 * Per consumer, its --metrics final line splits its time: waiting for Redis, in the VM, building alerts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateNdjson } from './data/generate.js';
import { ConsumerProcess, RedisServer, groupInfo, type TestClient } from '../test/support/redis.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SHARED = join(ROOT, '../shared/sigma');
const WINDOWS_RULES = join(SHARED, 'rules/windows');

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const QUICK = args.includes('--quick');
const EVENTS = Number(arg('--events') ?? (QUICK ? 20_000 : 100_000));
const SEED = 1;
/** Rows: consumers x batch size. */
const ROWS: readonly [number, number][] = QUICK
  ? [
      [1, 500],
      [2, 500],
    ]
  : [
      [1, 100],
      [1, 500],
      [1, 2000],
      [2, 100],
      [2, 500],
      [2, 2000],
    ];
const STREAM = 'bench';
const GROUP = 'g';
const BLOCK_MS = 20;
const POLL_MS = 5;
const CLOCK_TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU in 1/100 s

const sigmatch = await import(join(ROOT, 'dist/index.js'));
const { BatchScanner } = await import(join(ROOT, 'dist/sources/redis/batch.js'));

/** redis-server's CPU seconds so far (user + system). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 0, utime field 11, stime field 12.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function fill(client: TestClient, lines: readonly string[]): Promise<string> {
  const CHUNK = 1000;
  let last = '';
  for (let i = 0; i < lines.length; i += CHUNK) {
    const ids = await Promise.all(lines.slice(i, i + CHUNK).map((l) => client.call<string>('XADD', STREAM, '*', 'event', l)));
    last = ids[ids.length - 1];
  }
  return last;
}

interface Row {
  consumers: number;
  batch: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  alerts: number;
  /** Per event, µs of one consumer's time: waiting for Redis, in the VM, building alerts, and the rest (JS). */
  redisUs: number;
  vmUs: number;
  alertUs: number;
  otherUs: number;
  redisCpuUsPerEvent: number;
  /** The consumers' CPU (user + system, all threads) per event: what the machine spends, whatever else runs on it. */
  consumerCpuUsPerEvent: number;
}

async function runRow(server: RedisServer, redisPid: number, lines: readonly string[], consumers: number, batch: number): Promise<Row> {
  const client = await server.client();
  try {
    await client.call('FLUSHALL');
    const last = await fill(client, lines);
    await client.call('XGROUP', 'CREATE', STREAM, GROUP, '$');
    const procs = Array.from(
      { length: consumers },
      (_, i) =>
        new ConsumerProcess(['--redis', server.url, '-s', STREAM, '-g', GROUP, '--consumer', `c${i}`, '-r', WINDOWS_RULES, '-P', 'sysmon', '-P', 'windows', '--batch', String(batch), '--block', String(BLOCK_MS), '--metrics', '--status-every', '0']),
    );
    const seen = async (): Promise<number> => ((await client.call<unknown[]>('XINFO', 'CONSUMERS', STREAM, GROUP)) ?? []).length;
    while ((await seen()) < consumers) await new Promise((r) => setTimeout(r, 50));
    // The consumers' own clocks count from these snapshots to the ones at the end: their idle waits before and
    // after the run are left out.
    const first = await Promise.all(procs.map((p) => p.snapshot()));
    const consumerCpuBefore = procs.reduce((n, p) => n + cpuSeconds(p.pid), 0);
    const cpuBefore = cpuSeconds(redisPid);
    const start = performance.now();
    await client.call('XGROUP', 'SETID', STREAM, GROUP, '0');
    for (;;) {
      const g = await groupInfo(client, STREAM, GROUP);
      if (g?.['last-delivered-id'] === last && Number(g.pending) === 0) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const seconds = (performance.now() - start) / 1000;
    const redisCpu = cpuSeconds(redisPid) - cpuBefore;
    const consumerCpu = procs.reduce((n, p) => n + cpuSeconds(p.pid), 0) - consumerCpuBefore;
    const lastSnapshots = await Promise.all(procs.map((p) => p.snapshot()));
    await Promise.all(procs.map((p) => p.stop()));
    const sum = (k: string): number => lastSnapshots.reduce((n, f, i) => n + f[k] - first[i][k], 0);
    if (sum('entries') !== lines.length || sum('deadLettered') !== 0) throw new Error(`consumers took ${sum('entries')} entries of ${lines.length}, dead-lettered ${sum('deadLettered')}`);
    const perEvent = (ms: number): number => (ms * 1000) / lines.length;
    // Each consumer's busy time is the run's wall time; together they spent consumers x seconds.
    const wallUs = (seconds * 1e6 * consumers) / lines.length;
    const redisUs = perEvent(sum('redisMs'));
    const vmUs = perEvent(sum('scanMs'));
    const alertUs = perEvent(sum('alertMs'));
    return {
      consumers,
      batch,
      events: lines.length,
      seconds,
      eventsPerSecond: lines.length / seconds,
      alerts: sum('alerts'),
      redisUs,
      vmUs,
      alertUs,
      otherUs: Math.max(0, wallUs - redisUs - vmUs - alertUs),
      redisCpuUsPerEvent: (redisCpu * 1e6) / lines.length,
      consumerCpuUsPerEvent: (consumerCpu * 1e6) / lines.length,
    };
  } finally {
    await client.close();
  }
}

/** The consumer's scan path alone: BatchScanner over the same events in batches, µs per event (best of 3). */
async function vmOnly(lines: readonly string[], batch: number): Promise<number> {
  const set = sigmatch.loadRulesWithPipelines([WINDOWS_RULES], ['sysmon', 'windows'], {}).set;
  const matcher = await sigmatch.Matcher.create(sigmatch.compileRules(set.rules));
  const encoded = lines.map((l) => Buffer.from(l));
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const scanner = new BatchScanner(matcher);
    const start = performance.now();
    for (let i = 0; i < encoded.length; i += batch) scanner.scan(encoded.slice(i, i + batch));
    best = Math.min(best, performance.now() - start);
    scanner.close();
  }
  return (best * 1000) / lines.length;
}

async function main(): Promise<void> {
  const data = new TextDecoder().decode(generateNdjson({ events: EVENTS, seed: SEED, attackShare: 0.01, shape: 'flat' }));
  const lines = data.split('\n').filter((l) => l.length > 0);
  const bytes = lines.reduce((n, l) => n + l.length, 0);
  console.error(`data: ${lines.length} events, ${(bytes / 1e6).toFixed(1)} MB (${(bytes / lines.length).toFixed(0)} B/event); load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);

  const server = await RedisServer.start();
  const pid = server.pid;
  const rows: Row[] = [];
  let xaddCpuUs = 0;
  try {
    // Filling alone: redis-server's CPU per XADD (pipelined, 1,000 in flight).
    {
      const client = await server.client();
      await client.call('FLUSHALL');
      const before = cpuSeconds(pid);
      await fill(client, lines);
      xaddCpuUs = ((cpuSeconds(pid) - before) * 1e6) / lines.length;
      await client.call('FLUSHALL');
      await client.close();
    }
    for (const [consumers, batch] of ROWS) {
      const row = await runRow(server, pid, lines, consumers, batch);
      rows.push(row);
      console.error(`${consumers} consumer(s), batch ${batch}: ${Math.round(row.eventsPerSecond).toLocaleString('en-US')} events/s`);
    }
  } finally {
    await server.stop();
  }
  const vm = new Map<number, number>();
  for (const batch of new Set(ROWS.map(([, b]) => b))) vm.set(batch, await vmOnly(lines, batch));

  const f = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(`\nMachine: ${cpus()[0]?.model ?? '?'} x${cpus().length}, Node ${process.version}, redis-server on loopback (no persistence). ${lines.length.toLocaleString('en-US')} events, ${f(bytes / lines.length)} B/event, windows rules (sysmon + windows pipelines).`);
  console.log(`redis-server CPU per XADD (filling, pipelined): ${f(xaddCpuUs, 2)} µs/event.\n`);
  console.log('| consumers | batch | events/s | alerts | µs/event: Redis wait | VM | alerts | other JS | VM alone (in process) | consumer CPU µs/event | redis-server CPU µs/event |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.consumers} | ${f(r.batch)} | ${f(r.eventsPerSecond)} | ${f(r.alerts)} | ${f(r.redisUs, 2)} | ${f(r.vmUs, 2)} | ${f(r.alertUs, 2)} | ${f(r.otherUs, 2)} | ${f(vm.get(r.batch)!, 2)} | ${f(r.consumerCpuUsPerEvent, 2)} | ${f(r.redisCpuUsPerEvent, 2)} |`);
  }
  const out = arg('--json');
  if (out) writeFileSync(out, JSON.stringify({ events: lines.length, bytesPerEvent: bytes / lines.length, xaddCpuUs, rows, vmOnlyUs: Object.fromEntries(vm) }, null, 2));
}

await main();
