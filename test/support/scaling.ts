/**
 * Scaling checks without absolute times: run the same work at size n and 4n and compare. Linear work takes ~4x as
 * long at 4n, quadratic work ~16x; the bound in between (8x) fails the second and passes the first with room for
 * noise. Each size is timed several times, interleaved, and the fastest run counts (a GC pause or another process
 * only ever makes a run slower). A ratio over the bound is measured again with more runs before it counts: the tests
 * run beside others on shared cores, and a linear run slowed for seconds looks quadratic once, a quadratic one twice.
 */
import { performance } from 'node:perf_hooks';

/** Size ratio between the two runs. */
export const SCALE = 4;
/** Largest time ratio accepted for a SCALE-fold size: linear is ~4, quadratic ~16. */
export const LINEAR_BOUND = 8;
const RUNS = 3;
/** Runs when the first RUNS give a ratio over the bound. */
const RETRY_RUNS = 6;

export interface Scaling {
  /** Fastest time at n and at SCALE * n, in milliseconds. */
  small: number;
  large: number;
  ratio: number;
}

/**
 * Time `work(n)` and `work(SCALE * n)`. `prepare` builds each size's input outside the timing (and once); the
 * work is run once at each size before timing, so JIT warm-up is not counted against the small size.
 */
export function measureScaling<T>(n: number, prepare: (size: number) => T, work: (input: T) => void): Scaling {
  const inputs = [prepare(n), prepare(SCALE * n)];
  const best = [Infinity, Infinity];
  for (const input of inputs) work(input);
  for (let run = 0; run < RUNS || (run < RETRY_RUNS && best[1] / best[0] >= LINEAR_BOUND); run++) {
    inputs.forEach((input, i) => {
      const start = performance.now();
      work(input);
      best[i] = Math.min(best[i], performance.now() - start);
    });
  }
  return { small: best[0], large: best[1], ratio: best[1] / best[0] };
}

/** The same for asynchronous work. */
export async function measureScalingAsync<T>(n: number, prepare: (size: number) => T, work: (input: T) => Promise<unknown>): Promise<Scaling> {
  const inputs = [prepare(n), prepare(SCALE * n)];
  const best = [Infinity, Infinity];
  for (const input of inputs) await work(input);
  for (let run = 0; run < RUNS || (run < RETRY_RUNS && best[1] / best[0] >= LINEAR_BOUND); run++) {
    for (let i = 0; i < inputs.length; i++) {
      const start = performance.now();
      await work(inputs[i]);
      best[i] = Math.min(best[i], performance.now() - start);
    }
  }
  return { small: best[0], large: best[1], ratio: best[1] / best[0] };
}
