/**
 * How many threads `sigmatch scan` uses for an input (`--threads auto|<n>`). More threads than cores only add
 * contention, and a worker pays its start (a thread, the WASM instance, the program) before it scans a byte: a small
 * input is done on one thread before a second one would have started. So `auto` (the default) gives an input one
 * thread below AUTO_PARALLEL_MIN_BYTES and otherwise one per core, never more than the input has pieces; an explicit
 * count is honoured up to the cores available and capped above them, with a note.
 */
import { availableParallelism } from 'node:os';
import { DEFAULT_PIECE_BYTES } from '../runtime/parallel.js';
import { CliError } from './common.js';

/** The largest --threads accepted at all (a typo such as 640 is a usage error, not 640 workers). */
export const MAX_THREADS = 64;
/**
 * Inputs below this size are scanned on one thread by `auto`. Measured on 2 cores with the 2,407 windows rules
 * (BENCHMARKS.md, "Threads"): below it, starting the workers costs as much as the second core saves.
 */
export const AUTO_PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

export type ThreadsOption = { auto: true } | { auto: false; count: number };

/** Parse the --threads value: `auto` or a whole number from 1 to MAX_THREADS. */
export function parseThreads(value: string): ThreadsOption {
  if (value === 'auto') return { auto: true };
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > MAX_THREADS) throw new CliError(`scan: --threads takes auto or a whole number from 1 to ${MAX_THREADS}, got "${value}"`);
  return { auto: false, count };
}

/** An explicit count above the cores, capped: the count to use and the note to print (null when not capped). */
export function capThreads(option: ThreadsOption, cores = availableParallelism()): { option: ThreadsOption; note: string | null } {
  if (option.auto || option.count <= cores) return { option, note: null };
  return {
    option: { auto: false, count: cores },
    note: `sigmatch: --threads ${option.count} is more than the ${cores} core${cores === 1 ? '' : 's'} available: scanning on ${cores} thread${cores === 1 ? '' : 's'}\n`,
  };
}

/**
 * Threads for one input of `size` bytes on disk (null: unknown, e.g. stdin, which `auto` reads on one thread: the
 * cost of workers is sure, the size that would repay them is not).
 */
export function threadsFor(option: ThreadsOption, size: number | null, cores = availableParallelism()): number {
  if (!option.auto) return option.count;
  if (size === null || size < AUTO_PARALLEL_MIN_BYTES) return 1;
  return Math.max(1, Math.min(cores, MAX_THREADS, Math.ceil(size / DEFAULT_PIECE_BYTES)));
}
