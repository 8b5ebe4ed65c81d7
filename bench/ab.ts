/**
 * Interleaved A/B of two builds on the bench's rule-set rows (`npx tsx bench/ab.ts DIR_A DIR_B [--events N]
 * [--rounds R] [--rows corpus,windows]`; DIR holds a build's dist/ and build/sigmatch.wasm, e.g. a copy of main's).
 * One process loads both builds, compiles each row's rules (through sysmon + windows, as bench/run.ts) with each, and
 * scans the bench's generated stream (seed 1, 1% attacks, flat) with `Matcher.scanner()`, A and B alternating (the
 * order flips every round, after one warm-up round each). On a shared machine wall-clock rates swing, so each run
 * is timed in process CPU time (user + system); the row gives both builds' median events per CPU-second, the
 * median of the per-round ratios, and the rules evaluated per event. Both builds must report the same hits.
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateNdjson } from './data/generate.js';

const SHARED = join(fileURLToPath(new URL('../', import.meta.url)), '../shared/sigma');
const ROWS: Record<string, string[]> = {
  corpus: ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance'].map((f) => join(SHARED, f)),
  windows: [join(SHARED, 'rules/windows')],
};

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const [dirA, dirB] = args.filter((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
if (!dirA || !dirB) throw new Error('usage: tsx bench/ab.ts DIR_A DIR_B [--events N] [--rounds R] [--rows corpus,windows]');
const EVENTS = Number(option('--events', '20000'));
const ROUNDS = Number(option('--rounds', '7'));
const rows = option('--rows', 'corpus,windows').split(',');

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Build {
  label: string;
  scan: () => { hits: number; events: number; rulesEvaluated: number };
}

async function build(label: string, dir: string, folders: string[]): Promise<Build & { rules: number }> {
  const sigmatch = await import(join(resolve(dir), 'dist/index.js'));
  const rules = sigmatch.loadRulesWithPipelines(folders, ['sysmon', 'windows'], {}).set.rules;
  const matcher = await sigmatch.Matcher.create(sigmatch.compileRules(rules));
  return {
    label,
    rules: rules.length,
    scan: () => {
      const session = matcher.scanner();
      const hits = session.push(data).hits.length + session.end().hits.length;
      return { hits, events: session.events, rulesEvaluated: session.rulesEvaluated };
    },
  };
}

const data = generateNdjson({ events: EVENTS, seed: 1, attackShare: 0.01, shape: 'flat' });
for (const row of rows) {
  const builds = [await build('A', dirA, ROWS[row]), await build('B', dirB, ROWS[row])];
  const seconds: Record<string, number[]> = { A: [], B: [] };
  const seen: Record<string, { hits: number; perEvent: number }> = {};
  for (let round = -1; round < ROUNDS; round++) {
    for (const b of round % 2 === 0 ? builds : [...builds].reverse()) {
      const before = process.cpuUsage();
      const r = b.scan();
      const used = process.cpuUsage(before);
      if (round >= 0) seconds[b.label].push((used.user + used.system) / 1e6);
      seen[b.label] = { hits: r.hits, perEvent: r.rulesEvaluated / r.events };
    }
  }
  if (seen.A.hits !== seen.B.hits) throw new Error(`${row}: A found ${seen.A.hits} hits, B ${seen.B.hits}`);
  const ratios = seconds.A.map((a, i) => a / seconds.B[i]);
  console.log(`${row} (${builds[0].rules} rules; ${EVENTS} events x ${ROUNDS} rounds; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}): ${seen.A.hits} hits`);
  for (const l of ['A', 'B']) {
    console.log(`  ${l}: ${Math.round(EVENTS / median(seconds[l])).toLocaleString('en-US')} events per CPU-second (median), ${seen[l].perEvent.toFixed(2)} rules evaluated per event`);
  }
  console.log(`  B/A: ${median(ratios).toFixed(2)} (rounds: ${ratios.map((r) => r.toFixed(2)).join(' ')})`);
}
