/**
 * The --sort time sorter: the same order as a stable sort by time (hits without one last, in arrival order) whether
 * everything fits in memory or runs spill to files, more runs than can be merged at once included; temporary files
 * are gone afterwards.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MAX_FAN_IN, parseByteSize, TimeSorter } from '../../src/cli/timeline/sort.js';
import type { OutputHit } from '../../src/cli/output/index.js';

const RULE = { title: 'A rule\twith a tab', level: 'high', tags: ['a\nb'] };

function hitAt(event: number, timestamp: number | undefined): OutputHit {
  return { event, rule: RULE, ...(timestamp !== undefined ? { timestamp, time: new Date(timestamp).toISOString() } : {}) };
}

/** What the sorter must give: by time, ties and untimed hits in arrival order. */
function expected(hits: readonly OutputHit[]): number[] {
  return hits
    .map((h, i) => ({ t: h.timestamp ?? Infinity, i, event: h.event }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.event);
}

async function sortAll(hits: readonly OutputHit[], budget: number, tempRoot: string): Promise<{ events: number[]; spilled: number; passes: number; last: OutputHit | undefined }> {
  const sorter = new TimeSorter({ budget, tempRoot });
  for (const h of hits) sorter.add(h);
  const events: number[] = [];
  let last: OutputHit | undefined;
  for await (const h of sorter.sorted()) {
    events.push(h.event);
    last = h;
  }
  return { events, spilled: sorter.spilled, passes: sorter.mergePasses, last };
}

describe('TimeSorter', () => {
  const times = fc.array(fc.option(fc.integer({ min: -5, max: 5 }).map((n) => 1_764_000_000_000 + n * 1000), { nil: undefined }), { maxLength: 120 });

  test('in memory and spilled to disk, the order of a stable sort by time', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sigmatch-sort-test-'));
    await fc.assert(
      fc.asyncProperty(times, fc.constantFrom(1, 300, 2000, 1 << 30), async (ts, budget) => {
        const hits = ts.map((t, i) => hitAt(i, t));
        const { events } = await sortAll(hits, budget, root);
        expect(events).toEqual(expected(hits));
      }),
      { numRuns: 60 },
    );
    expect(readdirSync(root)).toEqual([]);
  });

  test('more runs than merge at once: merged in passes; hits come back whole', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sigmatch-sort-test-'));
    const n = MAX_FAN_IN * 5 + 3;
    const hits = Array.from({ length: n }, (_, i) => hitAt(i, i % 7 === 0 ? undefined : 1_764_000_000_000 + ((i * 7919) % 101) * 10));
    const { events, spilled, passes, last } = await sortAll(hits, 1, root);
    expect(spilled).toBe(n); // one run per hit with a 1-byte budget
    expect(passes).toBe(Math.ceil((n + 1 - MAX_FAN_IN) / (MAX_FAN_IN - 1))); // each pass turns MAX_FAN_IN runs into one
    expect(events).toEqual(expected(hits));
    expect(last).toEqual(hits[expected(hits).at(-1)!]);
    expect(readdirSync(root)).toEqual([]);
  });

  test('sizes', () => {
    expect(parseByteSize('scan', '--sort-buffer', '1K')).toBe(1024);
    expect(parseByteSize('scan', '--sort-buffer', '256M')).toBe(256 * 1024 * 1024);
    expect(parseByteSize('scan', '--sort-buffer', '1.5g')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('scan', '--sort-buffer', '100')).toBe(100);
    for (const bad of ['0', '', 'lots', '-1M', '1T']) expect(() => parseByteSize('scan', '--sort-buffer', bad), bad).toThrow(/--sort-buffer takes a size/);
  });
});
