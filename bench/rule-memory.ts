/**
 * Rule memory against rule size (docs/reliability.md, "Rule memory"): for generated long-list rules (100,000-value
 * `contains`, equals and `re` lists, a `contains` list in files of other styles (a flow-style key besides it, the
 * list on one line, an anchor besides it), an 883,000-value list of 16 MB), the smallest JS heap (--max-old-space-size, a
 * robust measure of the live peak: V8 collects all it can before it gives up) that `sigmatch validate` and
 * `sigmatch scan` (sysmon and windows pipelines, one event that hits) finish in, less what a tiny rule needs, as a
 * ratio to the YAML's size; and the CPU time of loading and compiling each rule in-process (parse, pipelines,
 * compile), builds interleaved run by run so that machine load falls on each alike.
 *
 *   npm run build && npx tsx bench/rule-memory.ts [--dist <other dist> ...] [--only <substring>] [--runs N] [--quick]
 *
 * Each `--dist` (e.g. main's dist, built in a temporary directory with its own `build/sigmatch.wasm` beside it) is
 * measured beside this tree's `dist`. `--quick` leaves out the 883,000-value list. Nothing is committed: the rules
 * are generated in a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name: string): string[] => args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
const dists = [join(ROOT, 'dist'), ...option('--dist').map((d) => resolve(d))];
const only = option('--only')[0];
const runs = Number(option('--runs')[0] ?? 3);
const quick = args.includes('--quick');
/** Heap limits are searched to this resolution (MiB). */
const RESOLUTION_MIB = 2;

interface ListRule {
  name: string;
  values: number;
  field: string;
  value: (i: number) => string;
  /** The event that hits (its CommandLine). */
  hit: string;
  /**
   * How the file is written besides block style: `flow-list` the list on one line (`[a, b, ...]`), `flow-key` a
   * flow-style key besides it (both read by the block reader since it takes one-line flow collections; the yaml
   * package before), `anchor` an anchor besides it (read by the yaml package).
   */
  style?: 'flow-list' | 'flow-key' | 'anchor';
}

const RULES: ListRule[] = [
  { name: '100,000-value contains list', values: 100_000, field: 'CommandLine|contains', value: (i) => `'needle-${i}-x'`, hit: 'a needle-5-x b' },
  { name: '100,000-value equals list', values: 100_000, field: 'CommandLine', value: (i) => `'needle-${i}-x'`, hit: 'needle-5-x' },
  { name: '100,000-value re list', values: 100_000, field: 'CommandLine|re', value: (i) => `'^needle-${i}-[a-f0-9]+x$'`, hit: 'needle-5-abcx' },
  { name: '100,000-value contains list, a flow-style key besides', values: 100_000, field: 'CommandLine|contains', value: (i) => `'needle-${i}-x'`, hit: 'a needle-5-x b', style: 'flow-key' },
  { name: '100,000-value contains list on one line', values: 100_000, field: 'CommandLine|contains', value: (i) => `'needle-${i}-x'`, hit: 'a needle-5-x b', style: 'flow-list' },
  { name: '100,000-value contains list, an anchor besides (yaml package)', values: 100_000, field: 'CommandLine|contains', value: (i) => `'needle-${i}-x'`, hit: 'a needle-5-x b', style: 'anchor' },
  { name: '883,000-value equals list (16 MB)', values: 883_000, field: 'CommandLine', value: (i) => `'v${i}'`, hit: 'v5' },
];
const TINY: ListRule = { name: 'tiny rule', values: 1, field: 'CommandLine', value: () => "'v0'", hit: 'v0' };

function ruleText(r: ListRule): string {
  const parts = ['title: List\nid: 00000000-0000-4000-8000-000000000001\nlevel: high\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n'];
  if (r.style === 'flow-list') {
    parts.push(`    ${r.field}: [`);
    for (let i = 0; i < r.values; i++) parts.push(i === 0 ? r.value(i) : `, ${r.value(i)}`);
    parts.push(']\n');
  } else {
    parts.push(`    ${r.field}:\n`);
    for (let i = 0; i < r.values; i++) parts.push(`      - ${r.value(i)}\n`);
  }
  parts.push('  condition: sel\n');
  if (r.style === 'flow-key') parts.push('falsepositives: [none]\n');
  if (r.style === 'anchor') parts.push('falsepositives: &fp [none]\n');
  return parts.join('');
}

function cliArgs(command: 'validate' | 'scan', rule: string, events: string): string[] {
  return command === 'validate' ? ['validate', rule] : ['scan', '--no-cache', '-r', rule, '-P', 'sysmon', '-P', 'windows', events];
}

/** Does the command finish in `heapMiB` of JS heap? (validate exits 1 on warnings; only running out of heap fails.) */
function fits(dist: string, heapMiB: number, command: 'validate' | 'scan', rule: string, events: string): boolean {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, join(dist, 'cli/main.js'), ...cliArgs(command, rule, events)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return r.status === 0 || (command === 'validate' && r.status === 1 && !/heap out of memory/.test(r.stderr));
}

/** The smallest heap (MiB, to RESOLUTION_MIB) the command finishes in, searched up to `ceiling`. */
function minimumHeap(dist: string, command: 'validate' | 'scan', rule: string, events: string, ceiling: number): number | null {
  if (!fits(dist, ceiling, command, rule, events)) return null;
  let lo = 4;
  let hi = ceiling;
  while (hi - lo > RESOLUTION_MIB) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(dist, mid, command, rule, events)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** CPU milliseconds of parsing, applying the pipelines and compiling one rule file in a fresh process. */
function compileCpu(dist: string, rule: string): number {
  const script = `
    import { readFileSync } from 'node:fs';
    const { parseRuleText } = await import(${JSON.stringify(join(dist, 'rule/load.js'))});
    const { resolvePipelines } = await import(${JSON.stringify(join(dist, 'pipeline/resolve.js'))});
    const { applyPipelines, orderPipelines } = await import(${JSON.stringify(join(dist, 'pipeline/apply.js'))});
    const { compileRules } = await import(${JSON.stringify(join(dist, 'compiler/compile.js'))});
    const pipelines = orderPipelines(resolvePipelines(['sysmon', 'windows']).pipelines);
    const text = readFileSync(${JSON.stringify(rule)}, 'utf8');
    const before = process.cpuUsage();
    const set = parseRuleText(text, 'r.yml', {});
    const program = compileRules(applyPipelines(set.rules, pipelines).rules).program;
    const used = process.cpuUsage(before);
    if (program.length === 0) throw new Error('no program');
    console.log((used.user + used.system) / 1000);
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MiB = 2 ** 20;

const dir = mkdtempSync(join(tmpdir(), 'sigmatch-rule-memory-'));
try {
  const label = (d: string): string => (d === dists[0] ? 'this tree' : d);
  const measure = (r: ListRule): { rule: string; events: string; size: number } => {
    const rule = join(dir, 'rule.yml');
    const events = join(dir, 'events.ndjson');
    writeFileSync(rule, ruleText(r));
    writeFileSync(events, `${JSON.stringify({ CommandLine: r.hit, EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational' })}\n`);
    return { rule, events, size: statSync(rule).size };
  };
  const tiny = measure(TINY);
  const baseline = new Map(dists.map((d) => [d, { validate: minimumHeap(d, 'validate', tiny.rule, tiny.events, 64)!, scan: minimumHeap(d, 'scan', tiny.rule, tiny.events, 64)! }]));
  console.log(`load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const d of dists) console.log(`${label(d)}: a tiny rule needs ${baseline.get(d)!.validate} MiB (validate), ${baseline.get(d)!.scan} MiB (scan)`);
  console.log('\n| rule | YAML | build | validate: heap, x YAML | scan: heap, x YAML | load + compile CPU (median) |');
  console.log('| --- | ---: | --- | ---: | ---: | ---: |');
  for (const r of RULES) {
    if (only && !r.name.includes(only)) continue;
    if (quick && r.values > 100_000) continue;
    const { rule, events, size } = measure(r);
    const ceiling = Math.max(128, Math.ceil((size / MiB) * 120));
    // CPU time: builds alternate run by run.
    const cpu = new Map(dists.map((d) => [d, [] as number[]]));
    for (let k = 0; k < runs; k++) for (const d of dists) cpu.get(d)!.push(compileCpu(d, rule));
    for (const d of dists) {
      const cell = (command: 'validate' | 'scan'): string => {
        const heap = minimumHeap(d, command, rule, events, ceiling);
        if (heap === null) return `over ${ceiling} MiB`;
        const increment = heap - baseline.get(d)![command];
        return `${heap} MiB, ${(increment / (size / MiB)).toFixed(1)}x`;
      };
      console.log(`| ${r.name} | ${(size / MiB).toFixed(1)} MiB | ${label(d)} | ${cell('validate')} | ${cell('scan')} | ${(median(cpu.get(d)!) / 1000).toFixed(2)} s |`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
