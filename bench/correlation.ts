/**
 * Correlation benchmarks (`npm run bench:correlation`; options: --events N, --quick, --json out.json).
 *
 * Data: a hit-heavy Security log (bench/data/logons.ts: logon failures from 10,000 source addresses, 5% successes),
 * generated at bench time. Rules: one base rule (EventID 4625) and the two brute-force-style correlations users
 * write most: event_count (failures per address in 5 minutes) and value_count (distinct accounts per address in
 * 5 minutes). Measured in one process, one core, with tinybench:
 *   engine       CorrelationSession.process over the base rule's hits, events already parsed: base hits per second
 *                through the correlation engine (time, group key, window, condition, alerts)
 *   bytes path   Matcher.scanner() over the raw NDJSON: the rule alone, then the rule with the correlations (the
 *                hit events' JSON text parsed for their fields), as events per second and their ratio
 *   windows      the SigmaHQ windows rules over the main generated stream (bench/data/generate.ts), alone and with
 *                an event_count and a value_count over the three rules that hit it most: the cost of loading
 *                correlations on ordinary traffic
 * --engine-only runs the engine rows alone. --baseline DIR runs them interleaved (--rounds N timed runs of each,
 * default 9, 5 with --quick) against another build's dist/correlation (DIR holds that dist/, e.g. a worktree of
 * an earlier commit, built): both sessions must report the same hits, alert for alert, and the rows give the
 * CPU-time ratio (baseline over this build: above 1 is faster).
 * Figures are median runs, with the process's CPU time per run beside (the machine is shared: wall time includes
 * other tenants' time, CPU time mostly does not). The with/without pairs run interleaved (A, B, B, A, A, B, ...), so
 * a change in the machine's load falls on both; their ratio is of the medians. Started with `node --expose-gc`, the
 * interleaved runs begin from a collected heap (untimed), so that one build's garbage and retained state are not
 * collected, and charged, in the other build's run.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { EVENT_COUNT, FAILED_LOGON, generateLogons, VALUE_COUNT } from './data/logons.js';
import { generateNdjson } from './data/generate.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist/index.js');
const SHARED = join(ROOT, '../shared/sigma');
if (!existsSync(DIST)) throw new Error('build first: npm run build');
const sigmatch = await import(DIST);
const correlation = await import(join(ROOT, 'dist/correlation/index.js'));

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const QUICK = args.includes('--quick');
const ENGINE_ONLY = args.includes('--engine-only');
const BASELINE = arg('--baseline');
const baseline = BASELINE ? await import(join(BASELINE, 'dist/correlation/index.js')) : null;
const EVENTS = Number(arg('--events') ?? (QUICK ? 50_000 : 200_000));
const GROUPS = 10_000;

interface Row {
  what: string;
  rules: string;
  unit: 'hits/s' | 'events/s';
  count: number;
  rate: number;
  /** The rate over the process's CPU time (user + system) rather than wall time. */
  cpuRate: number;
  fastest: number;
  alerts?: number;
  ratio?: number;
}

const rows: Row[] = [];

type Scannable = { scanner(): { push(c: Uint8Array): { hits: unknown[] }; end(): { hits: unknown[] } }; snapshot?(): Uint8Array; restore?(b: Uint8Array): void };

/** Run tasks with tinybench; each task returns how many alerts (or hits) it produced, which must not change. */
async function measure(tasks: [string, string, Row['unit'], number, () => number | Promise<number>][]): Promise<Row[]> {
  const bench = new Bench({ time: QUICK ? 1000 : 3000, iterations: 5, warmupTime: 500, warmupIterations: 1 });
  const outputs = new Map<string, number>();
  const cpu = new Map<string, number[]>();
  for (const [name, , , , run] of tasks) {
    bench.add(name, async () => {
      const start = process.cpuUsage();
      const out = await run();
      const used = process.cpuUsage(start);
      (cpu.get(name) ?? cpu.set(name, []).get(name)!).push((used.user + used.system) / 1000);
      if (outputs.has(name) && outputs.get(name) !== out) throw new Error(`${name}: ${out} results, earlier ${outputs.get(name)}`);
      outputs.set(name, out);
    });
  }
  await bench.run();
  return tasks.map(([name, rules, unit, count]) => {
    const r = bench.getTask(name)!.result!;
    if (!('latency' in r)) throw new Error(`${name} did not complete`);
    const ms = r.latency.p50 ?? r.latency.mean;
    const cpuMs = [...cpu.get(name)!].sort((a, b) => a - b)[Math.floor(cpu.get(name)!.length / 2)];
    return { what: name, rules, unit, count, rate: count / (ms / 1000), cpuRate: count / (cpuMs / 1000), fastest: count / (r.latency.min / 1000), alerts: outputs.get(name) };
  });
}

/** A full collection between interleaved runs, when node exposes it (--expose-gc). */
const collect = (globalThis as { gc?: () => void }).gc;

/** Run pairs of tasks interleaved; the rows report the median run's wall and CPU rates, the second its ratio. */
function interleaved(pair: [string, string, Row['unit'], number, () => number][], runs: number): Row[] {
  const wall = pair.map(() => [] as number[]);
  const cpu = pair.map(() => [] as number[]);
  const outputs = pair.map(() => -1);
  const forward = pair.map((_, k) => k);
  const backward = [...forward].reverse();
  for (let i = 0; i < runs + 1; i++) {
    // The order flips every round, so that neither task always runs just after the other's garbage.
    for (const k of i % 2 === 0 ? forward : backward) {
      const [name, , , , run] = pair[k];
      collect?.();
      const start = process.cpuUsage();
      const t = performance.now();
      const out = run();
      const ms = performance.now() - t;
      const used = process.cpuUsage(start);
      if (outputs[k] >= 0 && outputs[k] !== out) throw new Error(`${name}: ${out} results, earlier ${outputs[k]}`);
      outputs[k] = out;
      if (i === 0) continue; // warm-up
      wall[k].push(ms);
      cpu[k].push((used.user + used.system) / 1000);
    }
  }
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const rows = pair.map(([name, rules, unit, count], k): Row => ({
    what: name,
    rules,
    unit,
    count,
    rate: count / (median(wall[k]) / 1000),
    cpuRate: count / (median(cpu[k]) / 1000),
    fastest: count / (Math.min(...wall[k]) / 1000),
    alerts: outputs[k],
  }));
  rows[1].ratio = median(cpu[0]) / median(cpu[1]);
  return rows;
}

async function main(): Promise<void> {
  const data = generateLogons({ events: EVENTS, groups: GROUPS });
  console.error(`logons: ${EVENTS} events, ${(data.length / 1e6).toFixed(1)} MB, ${GROUPS} source addresses`);
  const lines = new TextDecoder().decode(data).split('\n').filter((l) => l.length > 0);
  const events = lines.map((l) => JSON.parse(l));

  // Engine: the base rule's hits through a session, events already parsed.
  const base = await sigmatch.Matcher.create(sigmatch.loadRulesFromText(FAILED_LOGON).rules);
  const hits = base.match(events);
  const sessionOf = (lib: typeof correlation, docs: string[]): (() => unknown[]) => {
    const set = sigmatch.loadRulesFromText([FAILED_LOGON, ...docs].join('---\n'));
    const plan = lib.planCorrelations(set.rules, set.correlations);
    return () => {
      const s = new lib.CorrelationSession(plan, set.rules.length);
      return s.process(hits, (h: { event: number }) => lib.eventSource(events[h.event]));
    };
  };
  const session = (docs: string[]): (() => number) => {
    const run = sessionOf(correlation, docs);
    return () => run().length;
  };
  const engineRows: [string, string, string[]][] = [
    ['engine: event_count', '1 rule + event_count', [EVENT_COUNT]],
    ['engine: value_count', '1 rule + value_count', [VALUE_COUNT]],
    ['engine: both', '1 rule + both', [EVENT_COUNT, VALUE_COUNT]],
  ];
  if (baseline) {
    for (const [name, rules, docs] of engineRows) {
      const [old, now] = [sessionOf(baseline, docs), sessionOf(correlation, docs)];
      if (JSON.stringify(old()) !== JSON.stringify(now())) throw new Error(`${name}: this build's hits differ from the baseline's`);
      rows.push(
        ...interleaved(
          [
            [`${name} (baseline)`, rules, 'hits/s', hits.length, () => old().length],
            [name, rules, 'hits/s', hits.length, () => now().length],
          ],
          Number(arg('--rounds') ?? (QUICK ? 5 : 9)),
        ),
      );
    }
  } else {
    rows.push(...(await measure(engineRows.map(([name, rules, docs]) => [name, rules, 'hits/s', hits.length, session(docs)]))));
  }
  console.error('engine: done');
  if (!ENGINE_ONLY) await otherRows(data, base);
  report(hits.length, data.length);
}

async function otherRows(data: Uint8Array, base: Scannable): Promise<void> {

  // Bytes path on the hit-heavy stream: the rule alone, then with the correlations. Every run starts from an empty
  // correlation state (restored from a snapshot taken before the first): the same stream twice would be late.
  const withCorrelations = await sigmatch.Matcher.create([FAILED_LOGON, EVENT_COUNT, VALUE_COUNT].join('---\n'));
  const scan = (m: Scannable, stream: Uint8Array = data) => {
    const empty = m.snapshot && (m as unknown as { correlations: unknown[] }).correlations.length > 0 ? m.snapshot() : null;
    return (): number => {
      if (empty) m.restore!(empty);
      const s = m.scanner();
      return s.push(stream).hits.length + s.end().hits.length;
    };
  };
  rows.push(
    ...interleaved(
      [
        ['bytes path: rule alone', '1 rule', 'events/s', EVENTS, scan(base)],
        ['bytes path: with correlations', '1 rule + event_count + value_count', 'events/s', EVENTS, scan(withCorrelations)],
      ],
      QUICK ? 3 : 7,
    ),
  );
  console.error('bytes path: done');

  // Ordinary traffic: the windows rules, alone and with correlations over the rules that hit most.
  if (existsSync(join(SHARED, 'rules/windows'))) {
    const stream = generateNdjson({ events: QUICK ? 20_000 : 100_000, seed: 1, attackShare: 0.01, shape: 'flat' });
    const windows = sigmatch.loadRulesWithPipelines([join(SHARED, 'rules/windows')], ['sysmon', 'windows'], {}).set;
    const alone = await sigmatch.Matcher.create(windows.rules);
    const counts = new Map<number, number>();
    for (const h of alone.scanBytes(stream).hits) counts.set(h.rule, (counts.get(h.rule) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([r]) => windows.rules[r]);
    const refs = top.map((r: { id: string }) => r.id).join(', ');
    const extra = sigmatch.loadRulesFromText([
      `title: Busy host\ncorrelation:\n  type: event_count\n  rules: [${refs}]\n  group-by: [Computer]\n  timespan: 5m\n  condition: {gte: 20}\n  generate: true\n`,
      `title: Many images\ncorrelation:\n  type: value_count\n  rules: [${refs}]\n  group-by: [Computer]\n  timespan: 5m\n  condition: {gte: 5, field: Image}\n  generate: true\n`,
    ]);
    const combined = { ...windows, correlations: extra.correlations };
    const correlated = await sigmatch.Matcher.create(combined);
    if (correlated.errors.length > windows.errors.length) throw new Error(`correlation errors: ${correlated.errors.slice(windows.errors.length).map((e: { format(): string }) => e.format())}`);
    const n = QUICK ? 20_000 : 100_000;
    rows.push(
      ...interleaved(
        [
          ['windows rules alone', `${windows.rules.length} windows rules`, 'events/s', n, scan(alone, stream)],
          ['windows rules with correlations', `${windows.rules.length} windows rules + 2 correlations over the 3 busiest`, 'events/s', n, scan(correlated, stream)],
        ],
        QUICK ? 3 : 9,
      ),
    );
    console.error(`windows: done (correlations over ${top.map((r: { title: string }) => r.title).join('; ')})`);
  }

}

function report(hitCount: number, bytes: number): void {
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, load: loadavg().map((l) => l.toFixed(2)).join(' ') };
  const out = arg('--json');
  if (out) writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, events: EVENTS, groups: GROUPS, rows }, null, 2));
  const f = (x: number, d = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.load}${collect ? '; heap collected before each interleaved run' : ''}`);
  console.log(`Data: ${f(EVENTS)} logon events (${GROUPS} source addresses, ${f(hitCount)} base hits), ${f(bytes / 1e6, 1)} MB\n`);
  console.log('| measured | rules | rate (median run) | per CPU-second (median) | fastest run | results | CPU-time ratio |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.what} | ${r.rules} | ${f(r.rate)} ${r.unit} | ${f(r.cpuRate)} | ${f(r.fastest)} | ${r.alerts === undefined ? '' : f(r.alerts)} | ${r.ratio === undefined ? '' : f(r.ratio, 2)} |`);
  }
}

await main();
