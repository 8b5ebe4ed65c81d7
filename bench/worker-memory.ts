/**
 * The Worker budget (docs/reliability.md, "Rule memory"): the SigmaHQ windows rules compiled to a `.sigc` artifact,
 * loaded from its bytes by the library as a Worker loads it (no rule text, no compiler) and scanning the regression
 * samples' evtx_dump JSON through the byte scanner, 20 rounds. Reported: the smallest JS heap
 * (--max-old-space-size, to 1 MiB) the run finishes in, its peak heapUsed (sampled after each push), the WASM
 * memory, the artifact's size and the peak resident memory (VmHWM) of that run; a Cloudflare Worker isolate has
 * 128 MB for JS heap and WASM memory together.
 *
 *   npm run build && npx tsx bench/worker-memory.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerScanScript, type WorkerScanFigures } from '../test/support/worker-scan.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SHARED = join(ROOT, '../shared');
const RULES = join(SHARED, 'sigma/rules/windows');
const SAMPLES = join(SHARED, 'sigma/regression_data');
const MAIN = join(ROOT, 'dist/cli/main.js');
const MiB = 2 ** 20;


function run(heapMiB: number, artifact: string): WorkerScanFigures | null {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, '--input-type=module', '-e', workerScanScript(ROOT, SAMPLES, artifact)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return r.status === 0 ? JSON.parse(r.stdout) : null;
}

const dir = mkdtempSync(join(tmpdir(), 'sigmatch-worker-memory-'));
try {
  const artifact = join(dir, 'windows.sigc');
  const compile = spawnSync(process.execPath, [MAIN, 'compile', '--rules', RULES, '-P', 'sysmon', '-P', 'windows', '-o', artifact], { encoding: 'utf8' });
  if (compile.status !== 0) throw new Error(compile.stderr);
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(compile.stderr.trim().split('\n').slice(-2).join('\n'));
  let lo = 2;
  let hi = 64;
  if (run(hi, artifact) === null) throw new Error(`does not run in ${hi} MiB of heap`);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (run(mid, artifact) !== null) hi = mid;
    else lo = mid;
  }
  // The collector's timing varies from run to run: at the edge a limit can pass once and fail the next time.
  let figures = run(hi, artifact);
  while (figures === null) figures = run(++hi, artifact);
  const size = statSync(artifact).size;
  console.log(`artifact ${(size / MiB).toFixed(1)} MiB; ${figures.events} events, ${figures.hits} hits`);
  console.log(`smallest heap limit ${hi} MiB; peak heapUsed ${(figures.peakHeap / MiB).toFixed(1)} MiB + WASM memory ${(figures.wasm / MiB).toFixed(1)} MiB = ${((figures.peakHeap + figures.wasm) / MiB).toFixed(1)} MiB; peak RSS ${(figures.rss / MiB).toFixed(0)} MiB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
