/**
 * Scaling checks without absolute times: run the same work at size n and 4n and compare. Linear work takes ~4x as
 * long at 4n, quadratic work ~16x. Time is the process's CPU time, not the clock's, so other processes on the
 * machine do not count; it includes the garbage collector's threads, whose share grows with the heap (linear work
 * measures 4-8x between these sizes), hence the bound of 10x. The work is repeated within each timed run so that a
 * run takes ~100 ms at n; each size is timed several times, interleaved, and the fastest run counts. A ratio over
 * the bound is measured again with more runs before it counts.
 */

/** Size ratio between the two runs. */
export const SCALE = 4;
/** Largest time ratio accepted for a SCALE-fold size: linear is 4-8, quadratic 16 or more. */
export const LINEAR_BOUND = 10;
const RUNS = 3;
/** Runs when the first RUNS give a ratio over the bound. */
const RETRY_RUNS = 6;
const MICROSECONDS_PER_MS = 1000;
/** A ratio this many times the bound is no noise. */
const CLEAR_FAILURE = 1.5;

export interface Scaling {
  /** Least CPU time at n and at SCALE * n, in milliseconds. */
  small: number;
  large: number;
  ratio: number;
}

export interface ScalingOptions<T> {
  /** The small size. */
  n: number;
  /** Times the work is done in one timed run. */
  repeat?: number;
  /** Builds a size's input, outside the timing, once. */
  prepare: (size: number) => T;
  work: (input: T) => unknown;
}

/**
 * Time the work at n and SCALE * n (asynchronous work is awaited); the small size runs once first, untimed, to warm
 * up. A large run is cut short once it has clearly failed (CLEAR_FAILURE times the bound), and such a ratio is not
 * measured again: quadratic work need not run to the end.
 */
export async function measureScaling<T>({ n, repeat = 1, prepare, work }: ScalingOptions<T>): Promise<Scaling> {
  const inputs = [prepare(n), prepare(SCALE * n)];
  const best = [Infinity, Infinity];
  const ratio = (): number => best[1] / best[0];
  await work(inputs[0]);
  for (let run = 0; run < RUNS || (run < RETRY_RUNS && ratio() >= LINEAR_BOUND && ratio() < CLEAR_FAILURE * LINEAR_BOUND); run++) {
    for (let i = 0; i < inputs.length; i++) {
      const start = process.cpuUsage();
      const elapsed = (): number => {
        const used = process.cpuUsage(start);
        return (used.user + used.system) / MICROSECONDS_PER_MS;
      };
      for (let k = 0; k < repeat; k++) {
        await work(inputs[i]);
        if (i === 1 && elapsed() >= CLEAR_FAILURE * LINEAR_BOUND * best[0]) break;
      }
      best[i] = Math.min(best[i], elapsed());
    }
    if (ratio() >= CLEAR_FAILURE * LINEAR_BOUND) break;
  }
  return { small: best[0], large: best[1], ratio: ratio() };
}
