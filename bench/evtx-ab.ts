/**
 * The .evtx path, one build against another in one process (`npm run build`, then
 * `tsx bench/evtx-ab.ts --baseline OTHER.wasm [--evtx-events N] [--rounds R]`): the bench's generated log
 * (bench/run.ts's "generated events as .evtx", the 2,407 windows rules through the sysmon + windows pipelines),
 * scanned by a Matcher on each WASM build, runs interleaved (A, B, A, B, ...) so both see the same machine load.
 * Reports each build's median CPU time (process.cpuUsage, user + system) and wall time per run as records/s, the
 * fastest run's CPU rate (on a shared machine the run least disturbed), and the ratios new / baseline. Both builds must give the same hits as the JSON bytes path on the same events, whose rate
 * (this build's scanBytes over the same events as evtx_dump NDJSON) is measured in the same rounds for scale.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evtxFromRecordSpecs, recordFromEvtxJson } from './data/evtx-log.js';
import { generateEvents } from './data/generate.js';
import { readEvtxFile } from '../src/input/evtx/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SHARED = join(ROOT, '../shared/sigma');
const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const baselinePath = arg('--baseline');
if (!baselinePath) throw new Error('usage: tsx bench/evtx-ab.ts --baseline OTHER.wasm [--evtx-events N] [--rounds R]');
const EVENTS = Number(arg('--evtx-events') ?? 20_000);
const ROUNDS = Number(arg('--rounds') ?? 7);
const SEED = 1;

const sigmatch = await import(join(ROOT, 'dist/index.js'));
const windows = sigmatch.loadRulesWithPipelines([join(SHARED, 'rules/windows')], ['sysmon', 'windows'], {}).set.rules;
const log = evtxFromRecordSpecs([...generateEvents({ events: EVENTS, seed: SEED, attackShare: 0.01, shape: 'evtx' })].map((e) => recordFromEvtxJson(e as never)));
const compiled = sigmatch.compileRules(windows);
const b0 = await sigmatch.Matcher.create(compiled, { wasm: readFileSync(baselinePath) });
const ndjson = new TextEncoder().encode(readEvtxFile(log.bytes).records.map((r) => JSON.stringify(r.event)).join('\n') + '\n');
const current = await sigmatch.Matcher.create(compiled, { wasm: readFileSync(join(ROOT, 'build/sigmatch.wasm')) });
const builds = [
  { name: 'baseline', scan: () => b0.scanEvtx(log.bytes).hits.length, cpu: [] as number[], wall: [] as number[] },
  { name: 'this build', scan: () => current.scanEvtx(log.bytes).hits.length, cpu: [] as number[], wall: [] as number[] },
  { name: 'json-bytes', scan: () => current.scanBytes(ndjson).hits.length, cpu: [] as number[], wall: [] as number[] },
];
const expected = current.scanBytes(ndjson).hits.length;
console.error(`${windows.length} windows rules; ${log.records} records, ${(log.bytes.length / 1e6).toFixed(1)} MB; ${expected} hits; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
// Warm-up (one run each), then the interleaved rounds.
for (const b of builds) b.scan();
for (let round = 0; round < ROUNDS; round++) {
  for (const b of round % 2 === 0 ? builds : [...builds].reverse()) {
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const hits = b.scan();
    const wall = performance.now() - wall0;
    const cpu = process.cpuUsage(cpu0);
    if (hits !== expected) throw new Error(`${b.name}: ${hits} hits, the JSON bytes path ${expected}`);
    b.cpu.push((cpu.user + cpu.system) / 1000);
    b.wall.push(wall);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fastest = (xs: number[]): number => Math.min(...xs);
const rate = (ms: number): string => Math.round(log.records / (ms / 1000)).toLocaleString('en-US');
for (const b of builds) console.log(`${(b.name === 'json-bytes' ? 'json-bytes (this build, NDJSON of the same events)' : `evtx, ${b.name}`).padEnd(52)}  CPU ${rate(median(b.cpu)).padStart(9)} records/s  wall ${rate(median(b.wall)).padStart(9)} records/s  (median of ${ROUNDS})  fastest CPU ${rate(fastest(b.cpu)).padStart(9)}`);
console.log(`ratio this/baseline: CPU ${(median(builds[0].cpu) / median(builds[1].cpu)).toFixed(2)} (fastest runs ${(fastest(builds[0].cpu) / fastest(builds[1].cpu)).toFixed(2)}), wall ${(median(builds[0].wall) / median(builds[1].wall)).toFixed(2)}; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`evtx / json-bytes (this build): CPU ${(median(builds[2].cpu) / median(builds[1].cpu)).toFixed(2)}, baseline ${(median(builds[2].cpu) / median(builds[0].cpu)).toFixed(2)}`);
