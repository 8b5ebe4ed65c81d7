/**
 * The provenance of hits, before and after it came from the VM (issue 16): `npx tsx bench/provenance-ab.ts DIR_OLD
 * [--events N] [--rounds R] [--attack-share P] [--cli]`. DIR_OLD holds an older build (dist/, build/sigmatch.wasm)
 * whose CLI explains hits with the reference's explainMatch; this checkout is the new build.
 *
 * 1. Cost per hit, one process, the windows rules through sysmon + windows over a generated stream (flat, seeded,
 *    hit-heavy through --attack-share): every hit explained by explainMatch on its parsed event (the old way) and by
 *    Matcher.explain, one call per batch of a chunk's hits (the new way), alternating; process CPU time per round.
 *    Both must give the same provenance. Parsing the hit events (both ways need them) is timed apart.
 * 2. With --cli, end to end (`sigmatch scan ... --format jsonl > file`, warm compile cache): the old build with
 *    --rules, the new build with --rules and with --compiled, interleaved; CPU seconds (user + system) of each run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateNdjson } from './data/generate.js';
import { explainMatch } from '../dist/eval/provenance.js';
import { loadRulesWithPipelines } from '../dist/pipeline/cli-support.js';
import { compileRules } from '../dist/compiler/compile.js';
import { Matcher, type Hit } from '../dist/runtime/matcher.js';
import '../dist/runtime/node-wasm.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RULES = join(ROOT, '../shared/sigma/rules/windows');
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const oldDir = args[0] && !args[0].startsWith('--') ? resolve(args[0]) : null;
const EVENTS = Number(option('--events', '20000'));
const ROUNDS = Number(option('--rounds', '5'));
const ATTACKS = Number(option('--attack-share', '0.2'));
const CHUNK = 64 * 1024;
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const data = generateNdjson({ events: EVENTS, seed: 1, attackShare: ATTACKS, shape: 'flat' });
const rules = loadRulesWithPipelines([RULES], ['sysmon', 'windows'], {}).set.rules;
const matcher = await Matcher.create(compileRules(rules));

// The hits as the CLI gets them: per chunk, with their records.
const batches: Hit[][] = [];
const session = matcher.scanner('auto', true);
for (let at = 0; at < data.length; at += CHUNK) batches.push(session.push(data.subarray(at, at + CHUNK)).hits);
batches.push(session.end().hits);
const hitCount = batches.reduce((n, b) => n + b.length, 0);
const hitEvents = new Set(batches.flatMap((b) => b.map((h) => h.event))).size;
console.log(`load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${rules.length} rules, ${EVENTS} events, ${hitCount} hits on ${hitEvents} events (${((100 * hitEvents) / EVENTS).toFixed(1)}%)`);

// Each batch's events parsed once, hits renumbered to them (as scan's hit reporter does).
const parseStart = cpu();
const parsed = batches.map((hits) => {
  const events: unknown[] = [];
  const local: { event: number; rule: number }[] = [];
  let last = -1;
  for (const h of hits) {
    if (h.event !== last) {
      last = h.event;
      events.push(JSON.parse(h.record!));
    }
    local.push({ event: events.length - 1, rule: h.rule });
  }
  return { events, local };
});
const parseSeconds = cpu() - parseStart;

const ways = {
  explainMatch: () => parsed.flatMap(({ events, local }) => local.map((h) => explainMatch(rules[h.rule], events[h.event]))),
  vm: () => parsed.flatMap(({ events, local }) => matcher.explain(events, local)),
};
const same = JSON.stringify(ways.explainMatch()) === JSON.stringify(ways.vm());
if (!same) throw new Error('the VM provenance differs from explainMatch');
const times: Record<string, number[]> = { explainMatch: [], vm: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const name of round % 2 === 0 ? (['explainMatch', 'vm'] as const) : (['vm', 'explainMatch'] as const)) {
    const start = cpu();
    ways[name]();
    times[name].push(cpu() - start);
  }
}
const perHit = (s: number): string => `${((s / hitCount) * 1e6).toFixed(2)} µs`;
console.log(`parsing the hit events: ${perHit(parseSeconds)} per hit`);
console.log(`explainMatch per hit:   ${perHit(median(times.explainMatch))} (rounds ${times.explainMatch.map(perHit).join(', ')})`);
console.log(`VM provenance per hit:  ${perHit(median(times.vm))} (rounds ${times.vm.map(perHit).join(', ')})`);
console.log(`ratio explainMatch / VM, median of rounds: ${median(times.explainMatch.map((t, i) => t / times.vm[i])).toFixed(1)}x`);

if (args.includes('--cli')) {
  if (!oldDir) throw new Error('--cli needs DIR_OLD, an older build');
  const dir = mkdtempSync(join(tmpdir(), 'sigmatch-prov-'));
  const events = join(dir, 'events.ndjson');
  writeFileSync(events, data);
  const artifact = join(dir, 'windows.sigc');
  execFileSync('node', [join(ROOT, 'dist/cli/main.js'), 'compile', '-r', RULES, '-P', 'sysmon', '-P', 'windows', '-o', artifact], { stdio: 'ignore' });
  const runs: Record<string, string[]> = {
    'old --rules': [join(oldDir, 'dist/cli/main.js'), 'scan', '-q', '-t', '1', '-r', RULES, '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', events],
    'new --rules': [join(ROOT, 'dist/cli/main.js'), 'scan', '-q', '-t', '1', '-r', RULES, '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', events],
    'new --compiled': [join(ROOT, 'dist/cli/main.js'), 'scan', '-q', '-t', '1', '--compiled', artifact, '--format', 'jsonl', events],
  };
  const env = { ...process.env, SIGMATCH_CACHE_DIR: join(dir, 'cache') };
  const cliTimes: Record<string, number[]> = {};
  const outputs: Record<string, string> = {};
  const names = Object.keys(runs);
  for (let round = -1; round < ROUNDS; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'node', ...runs[name]], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
      const [user, system] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      outputs[name] = r.stdout;
      if (round >= 0) (cliTimes[name] ??= []).push(user + system);
    }
  }
  const lines = (s: string) => s.trim().split('\n').length;
  for (const name of names) console.log(`${name}: ${lines(outputs[name])} hits, CPU ${median(cliTimes[name]).toFixed(2)} s median (${cliTimes[name].map((t) => t.toFixed(2)).join(', ')})`);
  console.log(`new --rules output == new --compiled output: ${outputs['new --rules'] === outputs['new --compiled']}`);
  console.log(`new --rules output == old --rules output: ${outputs['new --rules'] === outputs['old --rules']}`);
}
