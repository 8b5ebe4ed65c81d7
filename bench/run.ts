/**
 * sigmatch benchmarks (`npm run bench`; options: --events N, --quick, --json out.json).
 *
 * --quick (`npm run bench:quick`) is a fixed small run for a first look, well under a minute on 2 cores: 5,000
 * events (baseline on 200), the 100-rule sample and all windows rules (the whole corpus is not loaded), the generated
 * events as .evtx only, the windows rules' compile time in the bench process (warm) instead of the corpus's in a cold
 * one, and short tinybench runs. Its figures are noisier than the full run's and are not the ones BENCHMARKS.md
 * reports. Both modes print a line per engine as it completes.
 *
 * Data: the seeded generator in bench/data (realistic Sysmon/Security/PowerShell events as flat NDJSON), made at
 * bench time, never committed. Rule sets: 10, 100 and 1,000 SigmaHQ windows rules (a seeded sample), all windows
 * rules, and the whole corpus, through the sysmon + windows pipelines (log source routing). Engines, all measured in
 * the same run:
 *   js-baseline     JSON.parse of each line + the reference evaluator (a straightforward JS matcher)
 *   wasm-objects    JSON.parse of each line + Matcher.match over the objects (the objects path)
 *   wasm-bytes      Matcher.scanBytes over the raw NDJSON (the bytes path), one thread
 *   wasm-bytes-2t   the same on 2 worker threads (ParallelScanner)
 * Every engine's hit count is checked against the baseline's on the same events; a mismatch fails the run.
 * Two streams: hit-light (1% attack-like events; about 2.7% of events hit the windows rules) for every rule set, and
 * hit-heavy (18% attack-like; about 17% of events hit, like a SOC's noisy hunting rules on ordinary activity) for
 * the windows rules. Each engine's marginal cost per hit is the difference of its µs per event between the two
 * streams over the difference of their hits per event.
 * CLI rows (windows rules, sysmon + windows pipelines, JSONL to a file, no compile cache): `sigmatch scan --rules`
 * (provenance per hit) and `--compiled` (a .sigc artifact), process start to exit, and the rate after start-up
 * (the summary's scan time), on both streams.
 * Also measured: compile time (whole corpus), artifact load time, peak RSS of a CLI scan of the windows rules.
 *
 * .evtx rows (windows rules; `--evtx-events N`, `--evtx-mb M`): logs built at bench time, never committed: the
 * generated events written as a .evtx log (Sysmon's template layout), the SigmaHQ regression samples' real chunks
 * repeated to M MB (nearly empty chunks: the per-chunk cost), and their real records re-written densely. Engines:
 *   evtx-decode     Matcher.scanEvtx with no rules: the decoder alone
 *   evtx            Matcher.scanEvtx, one thread (decode + match)
 *   evtx-2t         ParallelScanner.scanEvtx, 2 threads
 *   json-bytes      the same events as evtx_dump NDJSON (rendered by the reference decoder) through scanBytes
 * evtx hits must equal json-bytes hits on the same events.
 * Figures are events/s and MB/s of input, and ratios to the baseline measured in the same run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { generateEvents, generateNdjson } from './data/generate.js';
import { denseEvtxLog, evtxFromRecordSpecs, evtxLog, realChunks, realRecords, recordFromEvtxJson } from './data/evtx-log.js';
import { readEvtxFile } from '../src/input/evtx/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SHARED = join(ROOT, '../shared/sigma');
const DIST = join(ROOT, 'dist/index.js');
const CORPUS_FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance'].map((f) => join(SHARED, f));

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const QUICK = args.includes('--quick');
const EVTX_EVENTS = Number(arg('--evtx-events') ?? (QUICK ? 5_000 : 60_000));
const EVTX_MB = Number(arg('--evtx-mb') ?? 100);
const EVENTS = Number(arg('--events') ?? (QUICK ? 5_000 : 100_000));
/** The baseline is ~100x slower: it runs on a prefix of the data and its rate is compared with the others'. */
const BASELINE_EVENTS = Math.min(EVENTS, QUICK ? 200 : 5_000);
/** tinybench per task: at least 3 runs of at least this long each (median reported), after a warm-up. */
const BENCH_OPTIONS = QUICK ? { time: 300, iterations: 3, warmupTime: 0, warmupIterations: 1 } : { time: 3000, iterations: 3, warmupTime: 500, warmupIterations: 1 };
const SEED = 1;

if (!existsSync(DIST)) throw new Error('build first: npm run build');
const sigmatch = await import(DIST);
const parallel = await import(join(ROOT, 'dist/runtime/parallel.js'));

/** Attack-like share of each stream (bench/data/generate.ts). */
const STREAMS = { 'hit-light': 0.01, 'hit-heavy': 0.18 } as const;
type StreamName = keyof typeof STREAMS;

interface Row {
  rules: string;
  ruleCount: number;
  stream: StreamName;
  engine: string;
  events: number;
  eventsPerSecond: number;
  /** The fastest run's rate: on a shared machine, the one least slowed by other tenants. */
  fastestEventsPerSecond: number;
  mbPerSecond: number;
  hits: number;
  ratio: number;
  rulesEvaluatedPerEvent?: number;
  /** Marginal µs per hit (set on the hit-heavy rows: against the same engine's hit-light row). */
  usPerHit?: number;
}

interface CliRow {
  stream: StreamName;
  mode: '--rules' | '--compiled';
  events: number;
  hits: number;
  /** Process start to exit, s (median run). */
  wall: number;
  /** The scan alone (the summary's time: after start-up), s (median run). */
  scan: number;
  startup: string;
  usPerHit?: number;
}

function seededSample<T>(items: readonly T[], n: number, seed: number): T[] {
  // Deterministic: an LCG over indices, so the same N rules are chosen in every run.
  const idx = items.map((_, i) => i);
  let state = seed >>> 0;
  for (let i = idx.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, n).sort((a, b) => a - b).map((i) => items[i]);
}

/** Progress on stderr, with the seconds since the run started (the report itself goes to stdout at the end). */
const startedAt = performance.now();
function progress(message: string): void {
  console.error(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${message}`);
}

/** A line per task as soon as tinybench has measured it: its median rate and how many runs that took. */
function reportEachTask(bench: Bench, label: string, units: (taskName: string) => { count: number; unit: string }): void {
  for (const task of bench.tasks) {
    task.addEventListener('cycle', () => {
      const result = task.result;
      if (!result || !('latency' in result)) return;
      const { count, unit } = units(task.name);
      const ms = result.latency.p50 ?? result.latency.mean;
      progress(`${label} / ${task.name}: ${Math.round(count / (ms / 1000)).toLocaleString('en-US')} ${unit}/s (median of ${result.latency.samplesCount} runs)`);
    });
  }
}

function lines(bytes: Uint8Array): string[] {
  return new TextDecoder().decode(bytes).split('\n').filter((l) => l.length > 0);
}

interface Stream {
  name: StreamName;
  data: Uint8Array;
  text: string[];
  baselineBytes: Uint8Array;
}

function makeStream(name: StreamName): Stream {
  const data = generateNdjson({ events: EVENTS, seed: SEED, attackShare: STREAMS[name], shape: 'flat' });
  const text = lines(data);
  return { name, data, text, baselineBytes: new TextEncoder().encode(text.slice(0, BASELINE_EVENTS).join('\n') + '\n') };
}

async function main(): Promise<void> {
  const started = Date.now();
  const light = makeStream('hit-light');
  const heavy = makeStream('hit-heavy');
  const data = light.data;
  for (const s of [light, heavy]) {
    progress(`${QUICK ? 'quick run; ' : ''}${s.name} data: ${EVENTS} events, ${(s.data.length / 1e6).toFixed(1)} MB (${(s.data.length / EVENTS).toFixed(0)} B/event), baseline on the first ${BASELINE_EVENTS}`);
  }

  const windows = sigmatch.loadRulesWithPipelines([join(SHARED, 'rules/windows')], ['sysmon', 'windows'], {}).set.rules;
  progress(`loaded ${windows.length} windows rules`);
  const sets: [string, unknown[]][] = QUICK
    ? [
        ['100 windows rules', seededSample(windows, 100, 7)],
        ['windows rules', windows],
      ]
    : [
        ['10 windows rules', seededSample(windows, 10, 7)],
        ['100 windows rules', seededSample(windows, 100, 7)],
        ['1,000 windows rules', seededSample(windows, 1000, 7)],
        ['windows rules', windows],
        ['whole corpus', sigmatch.loadRulesWithPipelines(CORPUS_FOLDERS, ['sysmon', 'windows'], {}).set.rules],
      ];

  const rows: Row[] = [];
  let warmCompileMs = 0;
  for (const [name, rules] of sets) {
    const compileStarted = performance.now();
    const compiled = sigmatch.compileRules(rules);
    warmCompileMs = performance.now() - compileStarted;
    for (const stream of name === 'windows rules' ? [light, heavy] : [light]) rows.push(...(await engineRows(name, rules, compiled, stream)));
  }
  for (const heavyRow of rows.filter((r) => r.stream === 'hit-heavy')) {
    const lightRow = rows.find((r) => r.stream === 'hit-light' && r.rules === heavyRow.rules && r.engine === heavyRow.engine)!;
    heavyRow.usPerHit = marginalUsPerHit(lightRow, heavyRow, (r) => r.events / r.eventsPerSecond);
  }
  const cli = await cliRows(windows, light, heavy);

  const evtx = await evtxRows(windows);

  // Compile time of the whole corpus in a cold process, so JIT warm-up is included as a user sees it; quick: the
  // windows rules' (the last set) as compiled above, in this warm process.
  const compiled = QUICK ? { rules: 'windows rules (warm process)', ms: warmCompileMs } : { rules: 'whole corpus', ms: NaN };
  if (!QUICK) {
    compiled.ms = Number(
      execFileSync(process.execPath, ['-e', `
        const s = await import(${JSON.stringify(DIST)});
        const set = s.loadRulesWithPipelines(${JSON.stringify(CORPUS_FOLDERS)}, ['sysmon','windows'], {}).set;
        const t = performance.now(); s.compileRules(set.rules); console.log(performance.now() - t);`], { encoding: 'utf8', input: '' }).trim(),
    );
  }
  const compileMs = compiled.ms;
  progress(`${compiled.rules}: compiled in ${compileMs.toFixed(0)} ms`);
  // Artifact load (windows rules): bytes to a ready Matcher, in a fresh process.
  const tmp = join(ROOT, '.bench-data');
  mkdirSync(tmp, { recursive: true });
  const artifactPath = join(tmp, 'windows.sigc');
  writeFileSync(artifactPath, sigmatch.writeArtifact(sigmatch.compileRules(windows)));
  const loadMs = Number(
    execFileSync(process.execPath, ['-e', `
      const fs = await import('node:fs'); const s = await import(${JSON.stringify(DIST)});
      const bytes = fs.readFileSync(${JSON.stringify(artifactPath)});
      const t = performance.now(); await s.Matcher.create(bytes); console.log(performance.now() - t);`], { encoding: 'utf8' }).trim(),
  );
  progress(`windows rules artifact: loaded in ${loadMs.toFixed(1)} ms`);
  // Peak RSS of a real CLI scan (windows artifact, the generated data), 1 and 2 threads: the CLI's summary reports
  // its process's peak resident memory (worker threads included).
  const dataPath = join(tmp, `bench-${EVENTS}.ndjson`);
  writeFileSync(dataPath, data);
  const peak = (threads: number): number => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'scan', '--compiled', artifactPath, '--threads', String(threads), dataPath], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
    const m = /peak memory ([0-9.]+) MiB/.exec(r.stderr);
    if (!m) throw new Error(`no peak memory in the CLI summary: ${r.stderr.slice(-500)}`);
    return Number(m[1]);
  };
  const rss1 = peak(1);
  const rss2 = peak(2);
  progress(`peak RSS of sigmatch scan --compiled: ${rss1} MiB (1 thread), ${rss2} MiB (2 threads)`);

  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, load: loadavg().map((l) => l.toFixed(2)).join(' ') };
  const report = { date: new Date().toISOString(), quick: QUICK, machine, events: EVENTS, baselineEvents: BASELINE_EVENTS, dataBytes: data.length, rows, cli, evtx, compiledRules: compiled.rules, compileMs, loadMs, peakRssMiB: { oneThread: rss1, twoThreads: rss2 }, seconds: (Date.now() - started) / 1000 };
  const out = arg('--json');
  if (out) writeFileSync(out, JSON.stringify(report, null, 2));
  printMarkdown(report);
  progress(`done in ${report.seconds.toFixed(1)} s`);
}

/** Every engine on one stream with one rule set, hits checked against the reference on the baseline prefix. */
async function engineRows(name: string, rules: unknown[], compiled: unknown, stream: Stream): Promise<Row[]> {
  const rows: Row[] = [];
  const reference = new sigmatch.ReferenceEvaluator(rules);
  const { data, text, baselineBytes } = stream;
  const matcher = await sigmatch.Matcher.create(compiled);
  const parsed = text.map((l) => JSON.parse(l));
  const baselineHits = parsed.slice(0, BASELINE_EVENTS).reduce((n: number, e: unknown) => n + reference.match(e).length, 0);
  const fullHits = matcher.match(parsed).length;
  const prefixHits = matcher.match(parsed.slice(0, BASELINE_EVENTS)).length;
  if (prefixHits !== baselineHits) throw new Error(`${name}: the WASM engine found ${prefixHits} hits on the baseline prefix, the reference ${baselineHits}`);

  progress(`${name} (${rules.length}), ${stream.name}: compiled and checked against the reference, measuring`);
  let counted = { hits: 0, events: 0, rulesEvaluated: 0 };
  const bench = new Bench(BENCH_OPTIONS);
  bench
    .add('js-baseline', () => {
      let hits = 0;
      for (const l of text.slice(0, BASELINE_EVENTS)) hits += reference.match(JSON.parse(l)).length;
      counted = { ...counted, hits };
    })
    .add('wasm-objects', () => {
      const events = text.map((l) => JSON.parse(l));
      counted = { ...counted, hits: matcher.match(events).length };
    })
    .add('wasm-bytes', () => {
      const session = matcher.scanner();
      let hits = session.push(data).hits.length;
      hits += session.end().hits.length;
      counted = { hits, events: session.events, rulesEvaluated: session.rulesEvaluated };
    })
    .add('wasm-bytes-2t', async () => {
      // One scanner for all iterations, as a long-running process would keep it: worker start-up is not scanning.
      let hits = 0;
      async function* one(): AsyncGenerator<Uint8Array> {
        yield data;
      }
      for await (const batch of twoThreads.scan(one())) hits += batch.hits.length;
      counted = { ...counted, hits };
    });
  const twoThreads = await parallel.ParallelScanner.create(compiled, { threads: 2 });
  const checks = new Map<string, typeof counted>();
  for (const task of bench.tasks) {
    task.addEventListener('cycle', () => checks.set(task.name, counted));
  }
  reportEachTask(bench, `${name}, ${stream.name}`, (task) => ({ count: task === 'js-baseline' ? BASELINE_EVENTS : EVENTS, unit: 'events' }));
  await bench.run();
  await twoThreads.close();
  const perEngine = new Map<string, { ms: number; minMs: number; events: number; bytes: number }>();
  for (const task of bench.tasks) {
    const result = task.result;
    if (!result || !('latency' in result)) throw new Error(`${name} / ${task.name}: the task did not complete (${JSON.stringify(result)})`);
    // The median run: robust to the odd run slowed by another process on a shared machine.
    const ms = result.latency.p50 ?? result.latency.mean;
    const baseline = task.name === 'js-baseline';
    const c = checks.get(task.name)!;
    const expected = baseline ? baselineHits : fullHits;
    if (c.hits !== expected) throw new Error(`${name} / ${task.name}: ${c.hits} hits, expected ${expected}`);
    perEngine.set(task.name, { ms, minMs: result.latency.min, events: baseline ? BASELINE_EVENTS : EVENTS, bytes: baseline ? baselineBytes.length : data.length });
  }
  const baseRate = perEngine.get('js-baseline')!.events / (perEngine.get("js-baseline")!.ms / 1000);
  const wasmBytes = checks.get('wasm-bytes')!;
  for (const [engine, r] of perEngine) {
    const rate = r.events / (r.ms / 1000);
    rows.push({
      rules: name,
      ruleCount: rules.length,
      stream: stream.name,
      engine,
      events: r.events,
      eventsPerSecond: rate,
      fastestEventsPerSecond: r.events / (r.minMs / 1000),
      mbPerSecond: r.bytes / 1e6 / (r.ms / 1000),
      hits: engine === 'js-baseline' ? baselineHits : fullHits,
      ratio: rate / baseRate,
      rulesEvaluatedPerEvent: engine === 'wasm-bytes' ? wasmBytes.rulesEvaluated / wasmBytes.events : undefined,
    });
  }
  return rows;
}

/** µs per hit beyond the hit-light stream's cost: (heavy s/event - light s/event) / (heavy hits/event - light hits/event). */
function marginalUsPerHit<T extends { events: number; hits: number }>(light: T, heavy: T, seconds: (r: T) => number): number {
  const extraHits = heavy.hits / heavy.events - light.hits / light.events;
  return extraHits > 0 ? ((seconds(heavy) / heavy.events - seconds(light) / light.events) * 1e6) / extraHits : NaN;
}

/**
 * The CLI as users run it: `sigmatch scan` over each stream's NDJSON file with the windows rules and the pipelines,
 * JSONL to a file, no compile cache; `--rules` (provenance per hit) and `--compiled`. Median of the runs (1 quick).
 */
async function cliRows(windows: unknown[], ...streams: Stream[]): Promise<CliRow[]> {
  const tmp = join(ROOT, '.bench-data');
  mkdirSync(tmp, { recursive: true });
  const artifact = join(tmp, 'windows-cli.sigc');
  writeFileSync(artifact, sigmatch.writeArtifact(sigmatch.compileRules(windows)));
  const rulesArgs = { '--rules': ['--rules', join(SHARED, 'rules/windows'), '-P', 'sysmon', '-P', 'windows'], '--compiled': ['--compiled', artifact] } as const;
  const runs = QUICK ? 1 : 3;
  const rows: CliRow[] = [];
  for (const stream of streams) {
    const input = join(tmp, `cli-${stream.name}-${EVENTS}.ndjson`);
    writeFileSync(input, stream.data);
    for (const mode of ['--rules', '--compiled'] as const) {
      const measured: { wall: number; scan: number; hits: number; startup: string }[] = [];
      for (let i = 0; i < runs; i++) {
        const out = join(tmp, 'cli-hits.jsonl');
        const at = performance.now();
        const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'scan', ...rulesArgs[mode], '--no-cache', '--threads', '1', '--format', 'jsonl', '-o', out, input], {
          encoding: 'utf8',
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        const wall = (performance.now() - at) / 1000;
        if (r.status !== 0) throw new Error(`sigmatch scan ${mode} failed (${r.status}): ${r.stderr.slice(-500)}`);
        const scan = /^\s*time\s+([0-9.]+) s/m.exec(r.stderr);
        const hits = /([0-9,]+) hits from/.exec(r.stderr);
        if (!scan || !hits) throw new Error(`no scan time or hits in the CLI summary: ${r.stderr.slice(0, 500)}`);
        measured.push({ wall, scan: Number(scan[1]), hits: Number(hits[1].replace(/,/g, '')), startup: /start-up\s+(.*);/.exec(r.stderr)?.[1] ?? '' });
      }
      const hits = measured[0].hits;
      if (measured.some((m) => m.hits !== hits)) throw new Error(`sigmatch scan ${mode} on ${stream.name}: the runs disagree on hits`);
      const engineHits = rows.find((row) => row.stream === stream.name)?.hits ?? hits;
      if (hits !== engineHits) throw new Error(`sigmatch scan: ${mode} found ${hits} hits on ${stream.name}, the other mode ${engineHits}`);
      const mid = <K extends 'wall' | 'scan'>(k: K): number => [...measured].sort((a, b) => a[k] - b[k])[Math.floor(measured.length / 2)][k];
      rows.push({ stream: stream.name, mode, events: EVENTS, hits, wall: mid('wall'), scan: mid('scan'), startup: measured[0].startup });
      progress(`CLI scan ${mode}, ${stream.name}: ${Math.round(EVENTS / mid('scan')).toLocaleString('en-US')} events/s after start-up, ${mid('wall').toFixed(2)} s process start to exit, ${hits} hits`);
    }
  }
  for (const heavy of rows.filter((r) => r.stream === 'hit-heavy')) {
    heavy.usPerHit = marginalUsPerHit(rows.find((r) => r.stream === 'hit-light' && r.mode === heavy.mode)!, heavy, (r) => r.scan);
  }
  return rows;
}

interface EvtxRow {
  log: string;
  records: number;
  bytes: number;
  engine: string;
  ruleCount: number;
  recordsPerSecond: number;
  fastestRecordsPerSecond: number;
  mbPerSecond: number;
  hits: number;
}

/** The .evtx rows: each log through each engine, hits checked against the JSON bytes path on the same events. */
async function evtxRows(windows: unknown[]): Promise<EvtxRow[]> {
  const started = performance.now();
  const generated = evtxFromRecordSpecs([...generateEvents({ events: EVTX_EVENTS, seed: SEED, attackShare: 0.01, shape: 'evtx' })].map((e) => recordFromEvtxJson(e as never)));
  const logs: [string, { bytes: Uint8Array; records: number }][] = [['generated events as .evtx', generated]];
  if (!QUICK) {
    logs.push(
      [`real chunks repeated to ${EVTX_MB} MB`, evtxLog(realChunks(join(SHARED, 'regression_data')), EVTX_MB * 1e6)],
      ['real records, dense chunks', denseEvtxLog(realRecords(join(SHARED, 'regression_data')), Math.min(EVTX_MB, 30) * 1e6)],
    );
  }
  progress(`evtx logs built in ${((performance.now() - started) / 1000).toFixed(0)} s: ${logs.map(([n, l]) => `${n} ${(l.bytes.length / 1e6).toFixed(0)} MB, ${l.records} records`).join('; ')}`);
  const compiled = sigmatch.compileRules(windows);
  const matcher = await sigmatch.Matcher.create(compiled);
  const empty = await sigmatch.Matcher.create([]);
  const twoThreads = await parallel.ParallelScanner.create(compiled, { threads: 2 });
  const rows: EvtxRow[] = [];
  for (const [name, log] of logs) {
    const ndjson = new TextEncoder().encode(readEvtxFile(log.bytes).records.map((r) => JSON.stringify(r.event)).join('\n') + '\n');
    const expected = matcher.scanBytes(ndjson).hits.length;
    const counts = new Map<string, number>();
    const bench = new Bench(BENCH_OPTIONS);
    bench
      .add('evtx-decode', () => {
        counts.set('evtx-decode', empty.scanEvtx(log.bytes).events);
      })
      .add('evtx', () => {
        counts.set('evtx', matcher.scanEvtx(log.bytes).hits.length);
      })
      .add('evtx-2t', async () => {
        let hits = 0;
        async function* one(): AsyncGenerator<Uint8Array> {
          yield log.bytes;
        }
        for await (const batch of twoThreads.scanEvtx(one())) hits += batch.hits.length;
        counts.set('evtx-2t', hits);
      })
      .add('json-bytes', () => {
        counts.set('json-bytes', matcher.scanBytes(ndjson).hits.length);
      });
    reportEachTask(bench, name, () => ({ count: log.records, unit: 'records' }));
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (!result || !('latency' in result)) throw new Error(`${name} / ${task.name}: the task did not complete`);
      const want = task.name === 'evtx-decode' ? log.records : expected;
      if (counts.get(task.name) !== want) throw new Error(`${name} / ${task.name}: ${counts.get(task.name)}, expected ${want}`);
      const ms = result.latency.p50 ?? result.latency.mean;
      const bytes = task.name === 'json-bytes' ? ndjson.length : log.bytes.length;
      rows.push({
        log: name,
        records: log.records,
        bytes,
        engine: task.name,
        ruleCount: task.name === 'evtx-decode' ? 0 : windows.length,
        recordsPerSecond: log.records / (ms / 1000),
        fastestRecordsPerSecond: log.records / (result.latency.min / 1000),
        mbPerSecond: bytes / 1e6 / (ms / 1000),
        hits: task.name === 'evtx-decode' ? 0 : expected,
      });
    }
  }
  await twoThreads.close();
  return rows;
}

function printMarkdown(r: { quick: boolean; machine: Record<string, unknown>; events: number; baselineEvents: number; dataBytes: number; rows: Row[]; cli: CliRow[]; evtx: EvtxRow[]; compiledRules: string; compileMs: number; loadMs: number; peakRssMiB: { oneThread: number; twoThreads: number } }): void {
  const f = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, load ${r.machine.load}`);
  if (r.quick) console.log('Quick run (--quick): small data, short runs; not comparable with the full run.');
  console.log(`Data: ${f(r.events)} generated events, ${f(r.dataBytes / 1e6, 1)} MB (baseline on the first ${f(r.baselineEvents)})\n`);
  const perHit = (us: number | undefined): string => (us === undefined || Number.isNaN(us) ? '' : f(us, 2));
  console.log('| rules | stream | engine | events/s (median run) | MB/s | x baseline | events/s (fastest run) | rules run per event | hits | µs per hit (marginal) |');
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of r.rows) {
    const perEvent = row.rulesEvaluatedPerEvent === undefined ? '' : f(row.rulesEvaluatedPerEvent, 1);
    console.log(`| ${row.rules} (${f(row.ruleCount)}) | ${row.stream} | ${row.engine} | ${f(row.eventsPerSecond)} | ${f(row.mbPerSecond, 1)} | ${f(row.ratio, 1)} | ${f(row.fastestEventsPerSecond)} | ${perEvent} | ${f(row.hits)} | ${perHit(row.usPerHit)} |`);
  }
  console.log(`\nThe CLI, windows rules with the sysmon and windows pipelines, JSONL to a file, no compile cache, one thread:\n`);
  console.log('| stream | rules from | events/s after start-up | events/s process start to exit | s process start to exit | start-up (summary) | hits | µs per hit (marginal) |');
  console.log('| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |');
  for (const c of r.cli) {
    console.log(`| ${c.stream} | \`${c.mode}\` | ${f(c.events / c.scan)} | ${f(c.events / c.wall)} | ${f(c.wall, 2)} | ${c.startup} | ${f(c.hits)} | ${perHit(c.usPerHit)} |`);
  }
  console.log(`\n.evtx logs, windows rules (${f(Math.max(0, ...r.evtx.map((e) => e.ruleCount)))}; evtx-decode: no rules):\n`);
  console.log('| log | records | MB | engine | records/s (median run) | MB/s | records/s (fastest run) | hits |');
  console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |');
  for (const e of r.evtx) {
    console.log(`| ${e.log} | ${f(e.records)} | ${f(e.bytes / 1e6, 1)} | ${e.engine} | ${f(e.recordsPerSecond)} | ${f(e.mbPerSecond, 1)} | ${f(e.fastestRecordsPerSecond)} | ${f(e.hits)} |`);
  }
  console.log(`\n${r.compiledRules === 'whole corpus' ? 'Whole-corpus' : `${r.compiledRules[0].toUpperCase()}${r.compiledRules.slice(1)}`} compile: ${f(r.compileMs)} ms. Artifact load (windows rules): ${f(r.loadMs, 1)} ms. Peak RSS of \`sigmatch scan --compiled\` over the data: ${f(r.peakRssMiB.oneThread)} MiB (1 thread), ${f(r.peakRssMiB.twoThreads)} MiB (2 threads).`);
}

await main();
