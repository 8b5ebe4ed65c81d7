/**
 * Where `sigmatch scan --rules` start-up goes, and what the compile cache saves.
 *
 *   npm run build && npx tsx bench/startup.ts [--rules ../shared/sigma/rules/windows] [--runs 3]
 *
 * Part 1 times each phase of loading and compiling in this process, wall and CPU time, in a first pass (as the CLI
 * meets the code: not yet optimised by the JIT) and a second: finding the files, reading them, YAML, building rules
 * from the YAML trees, filters, pipelines, compiling (code, requirement analysis and prefilter are inside it),
 * writing and reading the artifact, creating the matcher. Part 2 runs the built CLI on a one-event input, cold (empty cache
 * directory: load, compile, write the entry), warm (the entry read) and with --no-cache, and reports the process's
 * wall time (median and fastest of --runs) and the summary's start-up line. The machine's load is printed with each
 * part: on a shared machine, read the figures next to it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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

function cli(cache: string, ...more: string[]): { wall: number; startup: string } {
  const events = join(cache, '..', 'one.ndjson');
  const at = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'scan', '-r', RULES, ...PIPELINES.flatMap((p) => ['-P', p]), '--format', 'jsonl', ...more, events], {
    env: { ...process.env, SIGMATCH_CACHE_DIR: cache },
    encoding: 'utf8',
  });
  const wall = (performance.now() - at) / 1000;
  if (r.status !== 0) throw new Error(`sigmatch failed: ${r.stderr}`);
  return { wall, startup: /start-up\s+(.*)$/m.exec(r.stderr)?.[1] ?? '?' };
}

const summary = (walls: number[]): string => {
  const sorted = [...walls].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s, fastest ${sorted[0].toFixed(2)} s`;
};

async function main(): Promise<void> {
  console.log(`rules: ${RULES}, pipelines ${PIPELINES.join(', ')}`);
  console.log(`\n1. phases in one process (load average ${load()}); ms wall / ms CPU, first pass (as the CLI runs: code not yet optimised) and second`);
  const first = await phases();
  const second = await phases();
  const total = (list: Phase[], key: 'ms' | 'cpu'): number => list.reduce((n, p) => n + p[key], 0);
  const cell = (n: number): string => n.toFixed(0).padStart(6);
  first.forEach((p, i) => console.log(`  ${p.name.padEnd(44)} ${cell(p.ms)} /${cell(p.cpu)}   ${cell(second[i].ms)} /${cell(second[i].cpu)}`));
  console.log(`  ${'total'.padEnd(44)} ${cell(total(first, 'ms'))} /${cell(total(first, 'cpu'))}   ${cell(total(second, 'ms'))} /${cell(total(second, 'cpu'))}`);
  console.log('  ("YAML only" parses the texts a first time; "YAML + rules" parses them again: the total counts YAML twice)');

  console.log(`\n2. the CLI, process start to exit, one-event input (${RUNS} runs each)`);
  const dir = mkdtempSync(join(tmpdir(), 'sigmatch-startup-'));
  writeFileSync(join(dir, 'one.ndjson'), '{"EventID":1}\n');
  const cache = join(dir, 'cache');
  const rows: [string, () => { wall: number; startup: string }][] = [
    ['cold (empty cache: load, compile, write)', () => {
      rmSync(cache, { recursive: true, force: true });
      return cli(cache);
    }],
    ['--no-cache', () => cli(cache, '--no-cache')],
    ['warm (from the cache)', () => cli(cache)],
  ];
  for (const [name, run] of rows) {
    const results = Array.from({ length: RUNS }, run);
    console.log(`  ${name.padEnd(42)} ${summary(results.map((r) => r.wall))}  (load average ${load()}; last: ${results[results.length - 1].startup})`);
  }
  rmSync(dir, { recursive: true, force: true });
}

await main();
