/**
 * Multi-core scanning: pieces of an NDJSON input scanned on worker threads give exactly the hits, notes, event
 * indices and lines of a single-threaded scan. Runs the built package (dist/), whose worker file is plain JS.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonLines, ROOT, runCli, tempFiles } from '../support/cli.js';
import { generateNdjson } from '../../bench/data/generate.js';

const dist = await import(join(ROOT, 'dist/index.js'));
const parallelModule = await import(join(ROOT, 'dist/runtime/parallel.js'));

function withMalformedLines(ndjson: Uint8Array): Uint8Array {
  const lines = new TextDecoder().decode(ndjson).split('\n');
  for (let i = 37; i < lines.length; i += 211) lines[i] = lines[i].slice(0, lines[i].length >> 1); // cut in half
  lines.splice(5, 0, '', '   ', '[1, 2]');
  return new TextEncoder().encode(lines.join('\n'));
}

describe('parallel scanning', () => {
  const input = withMalformedLines(generateNdjson({ events: 4000, seed: 7, attackShare: 0.05, shape: 'flat' }));
  const rules = dist.loadRulesWithPipelines([join(ROOT, 'examples/rules')], ['sysmon', 'windows'], {}).set.rules;

  test('pieces on 2 and 3 threads equal one thread: hits, events, lines and notes', async () => {
    const compiled = dist.compileRules(rules);
    const single = (await dist.Matcher.create(compiled)).scanBytes(input);
    expect(single.hits.length).toBeGreaterThan(10);
    expect(single.notes.length).toBeGreaterThan(10);
    // Chunks larger than pieces; and pieces smaller than some lines, fed in chunks smaller still (a piece buffer
    // grows until its line ends; returned buffers are reused).
    for (const [threads, pieceBytes, chunkBytes] of [[2, 64 * 1024, 100_000], [3, 64 * 1024, 100_000], [2, 600, 333]]) {
      const parallel = await parallelModule.ParallelScanner.create(compiled, { threads, pieceBytes });
      const hits = [];
      const notes = [];
      async function* chunks() {
        for (let i = 0; i < input.length; i += chunkBytes) yield input.subarray(i, i + chunkBytes);
      }
      for await (const batch of parallel.scan(chunks())) {
        hits.push(...batch.hits);
        notes.push(...batch.notes);
      }
      await parallel.close();
      expect(hits).toEqual(single.hits);
      expect(notes).toEqual(single.notes);
      expect(parallel.events).toBe(single.events);
    }
  });

  test('sigmatch scan --threads gives the same output; non-NDJSON input falls back to one thread, saying so', () => {
    const dir = tempFiles({ 'events.ndjson': new TextDecoder().decode(input), 'array.json': JSON.stringify([{ a: 1 }, { b: 2 }]) });
    const one = runCli(['scan', '-r', join(ROOT, 'examples/rules'), '-P', 'sysmon', '-P', 'windows', join(dir, 'events.ndjson')]);
    const two = runCli(['scan', '-r', join(ROOT, 'examples/rules'), '-P', 'sysmon', '-P', 'windows', '--threads', '2', join(dir, 'events.ndjson')]);
    expect(two.code).toBe(0);
    expect(jsonLines(two.stdout)).toEqual(jsonLines(one.stdout));
    const malformed = (stderr: string): string[] => stderr.split('\n').filter((l) => /events\.ndjson:\d+: /.test(l));
    expect(malformed(two.stderr)).toEqual(malformed(one.stderr));
    expect(two.stderr.split('\n').find((l) => l.startsWith('sigmatch: '))).toEqual(one.stderr.split('\n').find((l) => l.startsWith('sigmatch: ')));
    const array = runCli(['scan', '-r', join(ROOT, 'examples/rules'), '-t', '2', join(dir, 'array.json')]);
    expect(array.code).toBe(0);
    expect(array.stderr).toMatch(/not NDJSON .*one thread/);
    const bad = runCli(['scan', '-r', join(ROOT, 'examples/rules'), '-t', 'many', '-'], { input: '' });
    expect(bad.code).toBe(2);
  });
});

describe('parallel .evtx scanning', () => {
  test('pieces of chunks on 2 threads equal one thread: hits (with offsets, ids, times), events and notes', async () => {
    const { generateEvents } = await import('../../bench/data/generate.js');
    const { evtxFromRecordSpecs, recordFromEvtxJson } = await import('../../bench/data/evtx-log.js');
    const events = [...generateEvents({ events: 3000, seed: 11, attackShare: 0.2, shape: 'evtx' })];
    const { bytes } = evtxFromRecordSpecs(events.map((e) => recordFromEvtxJson(e as never)));
    bytes[4096 + 3 * 65536] = 0x58; // a damaged chunk: noted, skipped
    const compiled = dist.compileRules(dist.loadRulesWithPipelines([join(ROOT, 'examples/rules')], ['sysmon', 'windows'], {}).set.rules);
    const single = (await dist.Matcher.create(compiled)).scanEvtx(bytes, { events: true });
    expect(single.hits.length).toBeGreaterThan(20);
    expect(single.notes.map((n: { code: string }) => n.code)).toEqual(['chunk-bad-magic']);
    for (const [threads, pieceBytes, chunkBytes] of [[2, 2 * 65536, 100_000], [2, 65536, 7_777]]) {
      const parallel = await parallelModule.ParallelScanner.create(compiled, { threads, pieceBytes, records: true });
      const hits = [];
      const notes = [];
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.subarray(i, i + chunkBytes);
      }
      for await (const batch of parallel.scanEvtx(chunks())) {
        hits.push(...batch.hits);
        notes.push(...batch.notes);
      }
      await parallel.close();
      expect(hits).toEqual(single.hits);
      expect(notes).toEqual(single.notes);
      expect(parallel.events).toBe(single.events);
    }
  });
});
