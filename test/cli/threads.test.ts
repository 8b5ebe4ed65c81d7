/** `--threads auto|n`: auto by input size and cores, explicit counts capped at the cores with a note. */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AUTO_PARALLEL_MIN_BYTES, capThreads, MAX_THREADS, parseThreads, threadsFor } from '../../src/cli/threads.js';
import { DEFAULT_PIECE_BYTES } from '../../src/runtime/parallel.js';
import { CliError } from '../../src/cli/common.js';
import { jsonLines, ROOT, runCli, tempFiles } from '../support/cli.js';

describe('choosing threads', () => {
  const auto = parseThreads('auto');

  test('auto: one thread below the size that repays workers and for inputs of unknown size (stdin)', () => {
    expect(threadsFor(auto, 0, 8)).toBe(1);
    expect(threadsFor(auto, AUTO_PARALLEL_MIN_BYTES - 1, 8)).toBe(1);
    expect(threadsFor(auto, null, 8)).toBe(1);
  });

  test('auto: above it, one per core, never more than the input has pieces', () => {
    expect(threadsFor(auto, AUTO_PARALLEL_MIN_BYTES, 2)).toBe(2);
    expect(threadsFor(auto, 1 << 30, 8)).toBe(8);
    expect(threadsFor(auto, 1 << 30, 1)).toBe(1);
    const pieces = Math.ceil(AUTO_PARALLEL_MIN_BYTES / DEFAULT_PIECE_BYTES);
    expect(threadsFor(auto, AUTO_PARALLEL_MIN_BYTES, pieces + 10)).toBe(pieces);
  });

  test('an explicit count is kept up to the cores and capped above them, with a note', () => {
    expect(capThreads(parseThreads('2'), 2)).toEqual({ option: { auto: false, count: 2 }, note: null });
    const capped = capThreads(parseThreads('64'), 2);
    expect(capped.option).toEqual({ auto: false, count: 2 });
    expect(capped.note).toBe('sigmatch: --threads 64 is more than the 2 cores available: scanning on 2 threads\n');
    expect(capThreads(parseThreads('3'), 1).note).toBe('sigmatch: --threads 3 is more than the 1 core available: scanning on 1 thread\n');
    expect(threadsFor(capped.option, 10, 2)).toBe(2);
  });

  test.each(['0', '-1', '1.5', 'many', '', String(MAX_THREADS + 1)])('--threads %j is a usage error', (value) => {
    expect(() => parseThreads(value)).toThrow(CliError);
  });
});

describe('sigmatch scan --threads', () => {
  const rules = join(ROOT, 'examples/rules');
  const events = join(ROOT, 'examples/events/sample.ndjson');

  test('the default is auto: a small input is scanned on one thread (the summary says so), no note', () => {
    const r = runCli(['scan', '-r', rules, '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', events]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^ {2}time {6}\d+\.\d\d s, .* events\/s, .*, 1 thread$/m);
    expect(r.stderr).not.toContain('--threads');
  });

  test.skipIf(availableParallelism() >= MAX_THREADS)('--threads above the cores: capped, one line says so, same hits', () => {
    const cores = availableParallelism();
    const dir = tempFiles({});
    const one = runCli(['scan', '-r', rules, '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', '-t', '1', events], { cwd: dir });
    const many = runCli(['scan', '-r', rules, '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', '-t', String(MAX_THREADS), events], { cwd: dir });
    expect(many.code).toBe(0);
    const notes = many.stderr.split('\n').filter((l) => l.includes('--threads'));
    expect(notes).toEqual([`sigmatch: --threads ${MAX_THREADS} is more than the ${cores} core${cores === 1 ? '' : 's'} available: scanning on ${cores} thread${cores === 1 ? '' : 's'}`]);
    expect(many.stderr).toMatch(new RegExp(`^ {2}time .*, ${cores} threads?$`, 'm'));
    expect(jsonLines(many.stdout)).toEqual(jsonLines(one.stdout));
  });
});
