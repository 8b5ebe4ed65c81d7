/**
 * The fuzz harness: `npm run fuzz -- --seconds N [--target rules|events] [--seed S]`. Runs each target's property
 * over random inputs until the time is up, printing progress; a failing input is shrunk, saved under
 * test/fuzz/crashers/ (replayed by test/fuzz/fuzz.test.ts from then on) and the run exits 1.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { TARGETS } from './targets.js';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const seconds = Number(arg('--seconds') ?? 60);
const only = arg('--target');
const seed = Number(arg('--seed') ?? Date.now() % 2 ** 31);
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error('fuzz: --seconds takes a positive number');
  process.exit(2);
}
const targets = TARGETS.filter((t) => !only || t.name === only);
if (targets.length === 0) {
  console.error(`fuzz: no target ${only} (targets: ${TARGETS.map((t) => t.name).join(', ')})`);
  process.exit(2);
}

const CRASHERS = new URL('./crashers/', import.meta.url);
const BATCH = 25;
const deadline = Date.now() + seconds * 1000;
const runs = new Map<string, number>(targets.map((t) => [t.name, 0]));
let round = 0;
console.error(`fuzz: ${targets.map((t) => t.name).join(', ')} for ${seconds} s, seed ${seed}`);
while (Date.now() < deadline) {
  for (const target of targets) {
    if (Date.now() >= deadline) break;
    const result = await fc.check(fc.asyncProperty(target.arbitrary, (input) => target.check(input)), { numRuns: BATCH, seed: seed + round, endOnFailure: false });
    runs.set(target.name, runs.get(target.name)! + result.numRuns);
    if (result.failed) {
      const input = result.counterexample![0];
      const text = JSON.stringify({ target: target.name, input, error: String((result.errorInstance as Error)?.message ?? result.errorInstance).slice(0, 4000) }, null, 2);
      const name = `${target.name}-${createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 12)}.json`;
      mkdirSync(CRASHERS, { recursive: true });
      writeFileSync(new URL(name, CRASHERS), text + '\n');
      console.error(`\nfuzz: ${target.name} failed (seed ${seed + round}); saved test/fuzz/crashers/${name}\n${String((result.errorInstance as Error)?.message ?? result.errorInstance).slice(0, 2000)}`);
      process.exit(1);
    }
  }
  round++;
  const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  process.stderr.write(`\rfuzz: ${[...runs].map(([n, k]) => `${n} ${k}`).join(', ')} inputs, ${left} s left   `);
}
console.error(`\nfuzz: no failure in ${[...runs].map(([n, k]) => `${k} ${n} inputs`).join(', ')}`);
