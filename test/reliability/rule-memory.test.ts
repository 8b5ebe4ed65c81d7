/**
 * Rule memory in proportion to the rule: the CLI loads and compiles a rule of a 100,000-value list in a heap
 * (--max-old-space-size) far smaller than it used to need, and a compiled SigmaHQ windows rule set scans in a
 * Worker-sized budget. A heap limit is a robust measure of peak live memory: V8 collects everything it can before it
 * gives up, so the run fails (out of memory, exit 134) only when the live data at some moment exceeded the limit.
 *
 * Measured with the smallest --max-old-space-size that lets `sigmatch scan` finish (DESIGN/reliability record):
 * a tiny rule 9 MiB; the 100,000-value `contains` list (1.6 MiB of YAML) 51 MiB (109 MiB before the block reader,
 * the lean rule strings and the compiler's shared buffers), the `equals` list 47 MiB (95 before). Since long lists
 * of plain strings are held packed (src/rule/string-list.ts, yaml-node.ts ScalarList) each needs 23 MiB (63 before,
 * 2026-12-08, with the scan's hit explained). A 100,000-value `re` list needed ~180 MiB before it was packed and
 * searched as a regex set (src/rule/regex-list.ts, src/regex/set.ts), 27 after; the contains list written on one line
 * in flow style 133 MiB before the block reader took one-line flow collections, 22 after.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, tempFiles } from '../support/cli.js';
import { REGRESSION_ROOT, SHARED } from '../support/corpus.js';
import { workerScanScript, type WorkerScanFigures } from '../support/worker-scan.js';

const MAIN = join(ROOT, 'dist/cli/main.js');
const VALUES = 100_000;
/**
 * Heap for loading, compiling and scanning with the 100,000-value lists (1.6 MiB of YAML): what a tiny rule needs
 * (~11 MiB) plus about twelve times their YAML. Before the packed lists they needed ~63 MiB.
 */
const LIST_HEAP_MIB = 32;
/** A Cloudflare Worker isolate's memory. */
const WORKER_MIB = 128;
/** JS heap the compiled windows rules scan in (they need 26 MiB, bench/worker-memory.ts; WASM memory is outside this limit). */
const WORKER_HEAP_MIB = 32;

function runInHeap(heapMiB: number, args: string[], input?: string): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, ...args], { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** One rule whose `CommandLine` takes VALUES short values with the given modifier (17 bytes of YAML each). */
function listRule(modifier: 'contains' | 'equals' | 're' | 'one-line contains'): string {
  const field = modifier === 'equals' ? 'CommandLine' : `CommandLine|${modifier.replace('one-line ', '')}`;
  const lines = ['title: long list', 'logsource:', '  product: windows', '  category: process_creation', 'detection:', '  sel:', `    ${field}:`];
  const value = (i: number): string => `val${i.toString(36).padStart(4, '0')}${modifier === 're' ? '[a-c]bc' : 'abc'}`;
  // A regex of its own per value: `val0zzz[a-c]bc` (its class makes it more than a literal). A flow-style list
  // on one line (`[a, b, ...]`) was read by the yaml package, at ~70 times its size.
  if (modifier === 'one-line contains') lines[lines.length - 1] += ` [${Array.from({ length: VALUES }, (_, i) => value(i)).join(', ')}]`;
  else for (let i = 0; i < VALUES; i++) lines.push(`    - ${value(i)}`);
  lines.push('  condition: sel');
  return `${lines.join('\n')}\n`;
}

describe('rule memory', () => {
  test.each(['contains', 'equals', 're', 'one-line contains'] as const)(`a ${VALUES.toLocaleString('en')}-value %s list loads, compiles and scans in ${LIST_HEAP_MIB} MiB of heap`, (modifier) => {
    const dir = tempFiles({ 'events.ndjson': '{"CommandLine":"x val0zzzabc y","EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"}\n' });
    const rule = join(dir, 'list.yml');
    writeFileSync(rule, listRule(modifier));
    const r = runInHeap(LIST_HEAP_MIB, [MAIN, 'scan', '--rules', rule, '-P', 'sysmon', '-P', 'windows', join(dir, 'events.ndjson')]);
    expect({ code: r.code, signal: r.signal, oom: /heap out of memory/.test(r.stderr) }).toEqual({ code: 0, signal: null, oom: false });
    // The rule works: the contains list finds its value in the event.
    expect(r.stdout.trim().split('\n').filter((l) => l !== '').length).toBe(modifier === 'equals' ? 0 : 1);
  });

  test.skipIf(!existsSync(join(SHARED, 'rules/windows')))(
    `the ${'SigmaHQ'} windows rules, compiled, scan in a Worker-sized budget: JS heap + WASM memory under ${WORKER_MIB} MiB`,
    () => {
      const dir = tempFiles({});
      const artifact = join(dir, 'windows.sigc');
      const compile = runInHeap(512, [MAIN, 'compile', '--rules', join(SHARED, 'rules/windows'), '-P', 'sysmon', '-P', 'windows', '-o', artifact]);
      expect(compile.code, compile.stderr).toBe(0);
      // The library as a Worker uses it: the artifact's bytes in, evtx_dump JSON pushed through the byte scanner.
      const script = workerScanScript(ROOT, REGRESSION_ROOT, artifact);
      const r = runInHeap(WORKER_HEAP_MIB, ['--input-type=module', '-e', script]);
      expect(r.code, r.stderr).toBe(0);
      const figures = JSON.parse(r.stdout) as WorkerScanFigures;
      expect(figures.events).toBeGreaterThan(1000);
      expect(figures.hits).toBeGreaterThan(0);
      expect((figures.peakHeap + figures.wasm) / 2 ** 20, JSON.stringify(figures)).toBeLessThan(WORKER_MIB);
    },
  );
});
