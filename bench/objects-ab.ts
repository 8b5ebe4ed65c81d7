/**
 * Interleaved A/B of the objects path against the bytes path and a baseline build, in one process, by CPU time
 * (process.cpuUsage: a shared machine inflates wall time): `npx tsx bench/objects-ab.ts --base <dir>/dist/index.js
 * [--events N] [--rounds R]`, where <dir> holds another build (its dist/, build/sigmatch.wasm and package.json, with
 * node_modules reachable). The 2,407 windows rules through the sysmon + windows pipelines over the bench's generated
 * flat events (seed 1, 1% attacks), parsed once beforehand: `match(events)` excludes JSON.parse. Each round runs
 * base objects, new objects, base bytes, new bytes; every engine's hit count must agree.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { generateNdjson } from './data/generate.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const BASE = arg('--base');
if (!BASE) throw new Error('--base <dir>/dist/index.js: the baseline build to compare with');
const EVENTS = Number(arg('--events') ?? 10_000);
const ROUNDS = Number(arg('--rounds') ?? 9);

const data = generateNdjson({ events: EVENTS, seed: 1, attackShare: 0.01, shape: 'flat' });
const events = new TextDecoder().decode(data).split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));

interface Engine {
  match(events: unknown[]): unknown[];
  scanner(): { push(b: Uint8Array): { hits: unknown[] }; end(): { hits: unknown[] } };
}
async function load(dist: string): Promise<{ matcher: Engine; rules: number }> {
  const s = await import(dist);
  const rules = s.loadRulesWithPipelines([join(ROOT, '../shared/sigma/rules/windows')], ['sysmon', 'windows'], {}).set.rules;
  return { matcher: await s.Matcher.create(s.compileRules(rules)), rules: rules.length };
}
const base = await load(BASE);
const next = await load(join(ROOT, 'dist/index.js'));
const bytes = (m: Engine): number => {
  const s = m.scanner();
  return s.push(data).hits.length + s.end().hits.length;
};
const tasks: [string, () => number][] = [
  ['base objects', () => base.matcher.match(events).length],
  ['new objects', () => next.matcher.match(events).length],
  ['base bytes', () => bytes(base.matcher)],
  ['new bytes', () => bytes(next.matcher)],
];
const hits = new Set(tasks.map(([, f]) => f())); // also the warm-up
if (hits.size !== 1) throw new Error(`the engines disagree on the hits: ${[...hits].join(', ')}`);
const cpuMs = new Map<string, number[]>(tasks.map(([name]) => [name, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, f] of tasks) {
    const start = process.cpuUsage();
    f();
    const used = process.cpuUsage(start);
    cpuMs.get(name)!.push((used.user + used.system) / 1000);
  }
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const rate = (ms: number): string => Math.round(EVENTS / (ms / 1000)).toLocaleString('en-US');
console.log(`${next.rules} rules, ${EVENTS} events, ${[...hits][0]} hits, ${ROUNDS} rounds, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const [name, ms] of cpuMs) console.log(`${name.padEnd(13)} median ${median(ms).toFixed(0).padStart(5)} CPU ms = ${rate(median(ms)).padStart(8)} events/CPU-s (best ${rate(Math.min(...ms))})`);
const m = (name: string): number => median(cpuMs.get(name)!);
console.log(`objects: new ${(m('base objects') / m('new objects')).toFixed(2)}x base; new objects / new bytes CPU time ${(m('new objects') / m('new bytes')).toFixed(2)}`);
