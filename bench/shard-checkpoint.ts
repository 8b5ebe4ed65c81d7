/**
 * The cost of a shard's checkpoint (`npm run bench:shard`; options: --quick, --json out.json): a checkpoint of
 * `consume --shards` snapshots the shard's whole correlation state and writes it with the acknowledgements in the
 * commit script, so its cost grows with the groups the shard holds, not with the events since the last one.
 *
 * Data: bench/data/logons.ts (logon failures from G source addresses, 5 events per group, all within the window).
 * Rules: the failed-logon rule with the two correlations of bench/correlation.ts (event_count and value_count by
 * IpAddress, 5 minutes): each address is a group of each, 2G groups in all. For G in the rows, measured with
 * tinybench against a real redis-server on loopback (one process, one core):
 *   snapshot   Matcher.snapshot() of the state (bytes, median ms)
 *   restore    Matcher.restore() into a fresh matcher (what a takeover pays once)
 *   commit     the commit script for a batch of 500 acknowledgements, with the checkpoint and without it (the
 *              difference is the checkpoint's transfer and HSET on the server), and a commit between checkpoints,
 *              which settles the batch's 500 entries instead (their delivery count back to 1: commit.ts)
 * and from these: with --checkpoint-every 0, the checkpoint's cost per event when batches of 500, 2000 and 10000
 * are full (snapshot + extra commit time, spread over the batch; a shard under load reads full batches); with the
 * default --checkpoint-every 1s, the share of one core a busy shard's checkpoints take (the snapshot, in the
 * consumer; the transfer and HSET are Redis's); beside the matcher's own cost per event over the same data (one
 * pass, after a warm-up pass).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { generateLogons } from './data/logons.js';
import { RedisServer } from '../test/support/redis.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const sigmatch = await import(join(ROOT, 'dist/index.js'));
const { RedisLink, resolveTarget } = await import(join(ROOT, 'dist/sources/redis/connection.js'));
const { Committer } = await import(join(ROOT, 'dist/sources/redis/commit.js'));
const { Lease } = await import(join(ROOT, 'dist/sources/redis/lease.js'));

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
/** Source addresses per row: each is a group of each of the two correlations (within the default 100000 groups). */
const ADDRESSES = QUICK ? [500, 5_000] : [500, 5_000, 50_000];
const EVENTS_PER_GROUP = 5;
const BATCH = 500;
const BATCHES = [500, 2000, 10_000];

const RULES = [
  `title: Failed logon\nname: failed_logon\nlogsource: {product: windows, service: security}\ndetection:\n  selection: {EventID: 4625}\n  condition: selection\n`,
  `title: Brute force\ncorrelation:\n  type: event_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: {gte: 30}\n`,
  `title: Password spraying\ncorrelation:\n  type: value_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: {gte: 25, field: TargetUserName}\n`,
];

interface Row {
  groups: number;
  events: number;
  snapshotBytes: number;
  snapshotMs: number;
  restoreMs: number;
  commitMs: number;
  commitWithCheckpointMs: number;
  commitSettlingMs: number;
  scanUsPerEvent: number;
  /** With --checkpoint-every 0: the checkpoint's cost per event when batches of each size in BATCHES are full. */
  checkpointUsPerEvent: number[];
  /** With --checkpoint-every 1s (the default) on a busy shard: the share of one core the checkpoints take. */
  coreShareAt1s: number;
}

const median = (r: { latency: { p50?: number; mean: number } }): number => r.latency.p50 ?? r.latency.mean;

const redis = await RedisServer.start();
const link = await RedisLink.open(resolveTarget(redis.url), () => {});
const rows: Row[] = [];
try {
  const set = sigmatch.loadRulesFromText(RULES);
  for (const addresses of ADDRESSES) {
    const events = addresses * EVENTS_PER_GROUP;
    const data = generateLogons({ events, groups: addresses, seed: 1 });
    const matcher = await sigmatch.Matcher.create(set);
    (await sigmatch.Matcher.create(set)).scanner('ndjson', true).push(data); // warm-up
    const scanStart = performance.now();
    matcher.scanner('ndjson', true).push(data);
    const scanMs = performance.now() - scanStart;
    const state: Uint8Array = matcher.snapshot();
    if (matcher.correlationStats.evictedGroups > 0) throw new Error('groups were evicted: the row would not hold what it says');
    const groups = JSON.parse(new TextDecoder().decode(state.subarray(12))).groups.length as number;
    const fresh = await sigmatch.Matcher.create(set);

    // A shard stream with a batch's worth of entries read, acknowledged by each commit again (XACK of acknowledged
    // ids costs what a first acknowledgement does: a lookup in the pending list).
    const stream = `bench:${addresses}`;
    await link.call(['XGROUP', 'CREATE', stream, 'g', '0', 'MKSTREAM']);
    const ids: string[] = [];
    for (let i = 0; i < BATCH; i++) ids.push(String(await link.call(['XADD', stream, '*', 'event', '{}'])));
    await link.call(['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', String(BATCH), 'STREAMS', stream, '>']);
    const committer = new Committer(link, { stream, alerts: `${stream}:alerts`, deadLetter: `${stream}:dead`, group: 'g' }, { maxlen: 0, dedupeMs: 0, dedupePrefix: '' });
    const lease = new Lease(link, `${stream}:lease:g`, 'bench', 60_000);
    if (!(await lease.acquire())) throw new Error('the lease is taken');
    const shard = { lease: lease.key, token: lease.token, leaseMs: 60_000, checkpoint: `${stream}:checkpoint:g`, consumer: 'c' };
    const checkpoint = { ...shard, id: ids[ids.length - 1], state, settle: [] };
    const between = { ...shard, id: '', state: new Uint8Array(0), settle: ids };

    const bench = new Bench({ time: QUICK ? 500 : 2000, iterations: 10, warmupTime: 200, warmupIterations: 2 });
    bench.add('snapshot', () => void matcher.snapshot());
    bench.add('restore', () => fresh.restore(state));
    bench.add('commit', async () => void (await committer.commit([], [], ids)));
    bench.add('commit+checkpoint', async () => void (await committer.commit([], [], ids, checkpoint)));
    bench.add('commit, settling', async () => void (await committer.commit([], [], [], between)));
    await bench.run();
    const ms = (name: string): number => {
      const task = bench.tasks.find((t) => t.name === name)!;
      const r = task.result as { latency: { p50?: number; mean: number } } | undefined;
      if (!r || !('latency' in r)) throw new Error(`${name} did not complete`);
      return median(r);
    };
    const extra = ms('snapshot') + Math.max(0, ms('commit+checkpoint') - ms('commit'));
    rows.push({
      groups,
      events,
      snapshotBytes: state.length,
      snapshotMs: ms('snapshot'),
      restoreMs: ms('restore'),
      commitMs: ms('commit'),
      commitWithCheckpointMs: ms('commit+checkpoint'),
      commitSettlingMs: ms('commit, settling'),
      scanUsPerEvent: (scanMs * 1000) / events,
      checkpointUsPerEvent: BATCHES.map((b) => (extra * 1000) / b),
      coreShareAt1s: ms('snapshot') / 1000,
    });
    await link.call(['DEL', stream, `${stream}:checkpoint:g`, `${stream}:lease:g`]);
  }
} finally {
  await link.close();
  await redis.stop();
}

const fmt = (n: number, d = 2): string => n.toFixed(d);
console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`| groups | state bytes | snapshot ms | restore ms | commit ms (500 acks) | with checkpoint ms | between checkpoints (500 settled) ms | ${BATCHES.map((b) => `every batch: µs/event @${b}`).join(' | ')} | every 1 s: share of a core | matcher µs/event (one pass) |`);
console.log(`|---:|---:|---:|---:|---:|---:|---:|${BATCHES.map(() => '---:|').join('')}---:|---:|`);
for (const r of rows) {
  console.log(
    `| ${r.groups.toLocaleString('en-US')} | ${r.snapshotBytes.toLocaleString('en-US')} | ${fmt(r.snapshotMs)} | ${fmt(r.restoreMs)} | ${fmt(r.commitMs)} | ${fmt(r.commitWithCheckpointMs)} | ${fmt(r.commitSettlingMs)} | ${r.checkpointUsPerEvent.map((c) => fmt(c)).join(' | ')} | ${(r.coreShareAt1s * 100).toFixed(1)}% | ${fmt(r.scanUsPerEvent)} |`,
  );
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
