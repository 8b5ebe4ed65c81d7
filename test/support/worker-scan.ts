/**
 * The Worker budget's scan as a module script for `node -e` (run under a heap limit by the rule-memory test and
 * bench/worker-memory.ts): a compiled artifact loaded from its bytes by the library, as a Worker loads it (no rule
 * text, no compiler), and the evtx_dump JSON files under `samples` pushed through the byte scanner `rounds` times.
 * It prints one JSON line: events, hits, the peak heapUsed (sampled after each push), the WASM memory and the peak
 * resident memory (VmHWM; 0 where /proc is missing).
 */
import { join } from 'node:path';

export interface WorkerScanFigures {
  events: number;
  hits: number;
  peakHeap: number;
  wasm: number;
  rss: number;
}

export function workerScanScript(root: string, samples: string, artifact: string, rounds = 20): string {
  return `
    import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
    import { join } from 'node:path';
    const { Matcher } = await import(${JSON.stringify(join(root, 'dist/index.js'))});
    const files = [];
    const walk = (p) => statSync(p).isDirectory() ? readdirSync(p).sort().forEach((e) => walk(join(p, e))) : p.endsWith('.json') && files.push(p);
    walk(${JSON.stringify(samples)});
    const matcher = await Matcher.create(new Uint8Array(readFileSync(${JSON.stringify(artifact)})));
    let peak = process.memoryUsage().heapUsed, events = 0, hits = 0;
    const scanner = matcher.scanner();
    for (let round = 0; round < ${rounds}; round++) for (const f of files) {
      const batch = scanner.push(readFileSync(f));
      events += batch.events; hits += batch.hits.length;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    const last = scanner.end();
    events += last.events; hits += last.hits.length;
    const status = existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '';
    const rss = Number(/VmHWM:\\s+(\\d+)/.exec(status)?.[1] ?? 0) * 1024;
    console.log(JSON.stringify({ events, hits, peakHeap: peak, wasm: matcher.host.memory.buffer.byteLength, rss }));
  `;
}
