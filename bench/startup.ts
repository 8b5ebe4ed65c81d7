/**
 * Where `sigmatch scan --rules` start-up goes, and what the compile cache saves.
 *
 *   npm run build && npx tsx bench/startup.ts [--rules ../shared/sigma/rules/windows] [--runs 3]
 *       [--events examples/events/sample.ndjson] [--baseline <dir of another build>] [--cli-only]
 *
 * Part 1 times each phase of loading and compiling in this process, wall and CPU time, in a first pass (as the CLI
 * meets the code: not yet optimised by the JIT) and a second: finding the files, reading them, YAML, building rules
 * from the YAML trees, filters, pipelines, compiling (code, requirement analysis and prefilter are inside it),
 * writing and reading the artifact, creating the matcher (--cli-only skips it). Part 2 runs the built CLI, process
 * start to exit, on the events (235 events of examples/events/sample.ndjson by default: 53 of the windows rules fire,
 * so a cached start-up rebuilds their logic for provenance): cold (empty cache directory: load, compile, write the
 * entry), warm (the entry read; the fired rules' logic rebuilt and kept) and warm again (the kept logic read), --runs
 * times. With --baseline (a directory holding another build's dist/ and
 * build/, e.g. main's), each run is a pair, the baseline and this build in alternating order, so both meet the same
 * load; each row gives the medians of wall time and of the process's CPU time (user + system, read by a preloaded
 * module at exit) and the ratio of the medians. The machine's load is printed with each part.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readArtifact, writeArtifact } from '../src/compiler/artifact.js';
import { compileRules } from '../src/compiler/compile.js';
import { applyPipelines, orderPipelines } from '../src/pipeline/apply.js';
import { pipelinePlaceholders } from '../src/pipeline/placeholders.js';
import { resolvePipelines } from '../src/pipeline/resolve.js';
import { findRuleFiles } from '../src/rule/files.js';
import { combineRuleSets, parseRuleText } from '../src/rule/load.js';
import { parseYaml } from '../src/rule/yaml-tree.js';
import { Matcher } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const RULES = option('--rules', join(ROOT, '../shared/sigma/rules/windows'));
const RUNS = Number(option('--runs', '3'));
const EVENTS = option('--events', join(ROOT, 'examples/events/sample.ndjson'));
const BASELINE = option('--baseline', '');
const CLI_ONLY = args.includes('--cli-only');
const PIPELINES = ['sysmon', 'windows'];
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

interface Phase {
  name: string;
  /** Wall time. */
  ms: number;
  /** CPU time of this process (user + system; the main thread does all of it): less swayed by other tenants. */
  cpu: number;
}

async function phases(): Promise<Phase[]> {
  const out: Phase[] = [];
  const time = <T>(name: string, f: () => T): T => {
    const at = performance.now();
    const cpu = process.cpuUsage();
    const r = f();
    const used = process.cpuUsage(cpu);
    out.push({ name, ms: performance.now() - at, cpu: (used.user + used.system) / 1000 });
    return r;
  };
  const { files } = time('find rule files', () => findRuleFiles([RULES]));
  const texts = time('read rule files', () => files.map((f) => readFileSync(f, 'utf8')));
  const resolved = time('resolve pipelines (parse the built-ins)', () => resolvePipelines(PIPELINES));
  const options = { placeholders: pipelinePlaceholders(resolved.pipelines) };
  time('YAML only (trees)', () => texts.forEach((t, i) => parseYaml(t, files[i])));
  const sets = time('YAML + rules from the trees', () => texts.map((t, i) => parseRuleText(t, files[i], options)));
  const set = time('combine, filters', () => combineRuleSets(sets));
  const applied = time(`apply pipelines (${set.rules.length} rules)`, () => applyPipelines(set.rules, orderPipelines(resolved.pipelines)));
  const compiled = time('compile (code, requirements, prefilter)', () => compileRules(applied.rules));
  const artifact = time(`write artifact (${(compiled.program.length / 1e6).toFixed(1)} MB program)`, () => writeArtifact(compiled));
  const back = time('read artifact (checks)', () => readArtifact(artifact));
  const at = performance.now();
  const cpu = process.cpuUsage();
  await Matcher.create(back, {});
  const used = process.cpuUsage(cpu);
  out.push({ name: 'Matcher.create (program into the VM)', ms: performance.now() - at, cpu: (used.user + used.system) / 1000 });
  return out;
}

/** Preloaded into each CLI process: writes its CPU time (user + system, ms) to the file named by the environment. */
const CPU_PRELOAD = `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(process.env.STARTUP_BENCH_CPU, String((u.user + u.system) / 1000)); });`;

interface CliRun {
  /** Process start to exit, seconds. */
  wall: number;
  /** Process start to the first byte of output (the first hit), seconds. */
  first: number;
  /** CPU time of the process, seconds. */
  cpu: number;
  startup: string;
}

async function cli(build: string, cache: string, dir: string): Promise<CliRun> {
  const cpuFile = join(dir, 'cpu.txt');
  const at = performance.now();
  let first = 0;
  const child = spawn(
    process.execPath,
    ['--require', join(dir, 'cpu-preload.cjs'), join(build, 'dist/cli/main.js'), 'scan', '-r', RULES, ...PIPELINES.flatMap((p) => ['-P', p]), '--format', 'jsonl', EVENTS],
    { env: { ...process.env, SIGMATCH_CACHE_DIR: cache, STARTUP_BENCH_CPU: cpuFile }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stdout.on('data', () => {
    if (first === 0) first = (performance.now() - at) / 1000;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const status = await new Promise<number | null>((done) => child.on('close', done));
  const wall = (performance.now() - at) / 1000;
  if (status !== 0) throw new Error(`sigmatch (${build}) failed: ${stderr}`);
  return { wall, first: first || wall, cpu: Number(readFileSync(cpuFile, 'utf8')) / 1000, startup: /start-up\s+(.*)$/m.exec(stderr)?.[1] ?? '?' };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<void> {
  console.log(`rules: ${RULES}, pipelines ${PIPELINES.join(', ')}`);
  if (CLI_ONLY) {
    await cliRuns();
    return;
  }
  console.log(`\n1. phases in one process (load average ${load()}); ms wall / ms CPU, first pass (as the CLI runs: code not yet optimised) and second`);
  const first = await phases();
  const second = await phases();
  const total = (list: Phase[], key: 'ms' | 'cpu'): number => list.reduce((n, p) => n + p[key], 0);
  const cell = (n: number): string => n.toFixed(0).padStart(6);
  first.forEach((p, i) => console.log(`  ${p.name.padEnd(44)} ${cell(p.ms)} /${cell(p.cpu)}   ${cell(second[i].ms)} /${cell(second[i].cpu)}`));
  console.log(`  ${'total'.padEnd(44)} ${cell(total(first, 'ms'))} /${cell(total(first, 'cpu'))}   ${cell(total(second, 'ms'))} /${cell(total(second, 'cpu'))}`);
  console.log('  ("YAML only" parses the texts a first time; "YAML + rules" parses them again: the total counts YAML twice)');

  await cliRuns();
}

async function cliRuns(): Promise<void> {
  console.log(`\n2. the CLI, process start to exit, ${EVENTS} (${RUNS} runs each${BASELINE ? `, interleaved with the baseline ${BASELINE}` : ''})`);
  const dir = mkdtempSync(join(tmpdir(), 'sigmatch-startup-'));
  writeFileSync(join(dir, 'cpu-preload.cjs'), CPU_PRELOAD);
  const builds = BASELINE ? [{ name: 'baseline', path: BASELINE }, { name: 'this build', path: ROOT }] : [{ name: 'this build', path: ROOT }];
  for (const b of builds) if (!existsSync(join(b.path, 'dist/cli/main.js'))) throw new Error(`no build at ${b.path} (dist/cli/main.js)`);
  const runs = new Map<string, { cold: CliRun[]; warm: CliRun[]; again: CliRun[] }>(builds.map((b) => [b.name, { cold: [], warm: [], again: [] }]));
  const loads: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate which build goes first, so neither always follows the other's cache writes.
    const order = i % 2 === 0 ? builds : [...builds].reverse();
    for (const b of order) {
      const cache = join(dir, `cache-${b.name.replace(/\W/g, '')}`);
      rmSync(cache, { recursive: true, force: true });
      runs.get(b.name)!.cold.push(await cli(b.path, cache, dir));
      runs.get(b.name)!.warm.push(await cli(b.path, cache, dir));
      runs.get(b.name)!.again.push(await cli(b.path, cache, dir));
    }
    loads.push(loadavg()[0]);
  }
  const cell = (list: CliRun[], key: 'wall' | 'first' | 'cpu'): string => median(list.map((r) => r[key])).toFixed(2);
  console.log(`  load average (1 min) after each pair: ${loads.map((l) => l.toFixed(1)).join(', ')}`);
  console.log(`  ${'build'.padEnd(12)} ${'cold wall'.padStart(10)} ${'cold CPU'.padStart(9)} ${'warm wall'.padStart(10)} ${'warm CPU'.padStart(9)} ${'warm 1st line'.padStart(14)} ${'again wall'.padStart(11)} ${'again CPU'.padStart(10)}  (medians, s)`);
  for (const b of builds) {
    const r = runs.get(b.name)!;
    console.log(`  ${b.name.padEnd(12)} ${cell(r.cold, 'wall').padStart(10)} ${cell(r.cold, 'cpu').padStart(9)} ${cell(r.warm, 'wall').padStart(10)} ${cell(r.warm, 'cpu').padStart(9)} ${cell(r.warm, 'first').padStart(14)} ${cell(r.again, 'wall').padStart(11)} ${cell(r.again, 'cpu').padStart(10)}`);
  }
  if (BASELINE) {
    const [base, mine] = builds.map((b) => runs.get(b.name)!);
    const ratio = (kind: 'cold' | 'warm' | 'again', key: 'wall' | 'first' | 'cpu'): string => (median(mine[kind].map((r) => r[key])) / median(base[kind].map((r) => r[key]))).toFixed(2);
    console.log(`  ${'ratio'.padEnd(12)} ${ratio('cold', 'wall').padStart(10)} ${ratio('cold', 'cpu').padStart(9)} ${ratio('warm', 'wall').padStart(10)} ${ratio('warm', 'cpu').padStart(9)} ${ratio('warm', 'first').padStart(14)} ${ratio('again', 'wall').padStart(11)} ${ratio('again', 'cpu').padStart(10)}  (this build / baseline)`);
  }
  for (const b of builds) {
    const r = runs.get(b.name)!;
    console.log(`  ${b.name}, fastest: cold ${Math.min(...r.cold.map((x) => x.wall)).toFixed(2)} s, warm ${Math.min(...r.warm.map((x) => x.wall)).toFixed(2)} s; last warm summary: ${r.warm[r.warm.length - 1].startup}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

await main();
