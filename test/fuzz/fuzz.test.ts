/**
 * The fuzz harness in CI: every crasher it ever found is replayed, and each target runs for a short fixed budget
 * (`npm run fuzz -- --seconds N` runs longer).
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { TARGETS } from './targets.js';

const CRASHERS = new URL('./crashers/', import.meta.url);
const saved = readdirSync(CRASHERS).filter((f) => f.endsWith('.json'));

describe('fuzz: every crasher found so far', () => {
  test.each(saved.length > 0 ? saved : ['(none yet)'])('%s', async (file) => {
    if (file === '(none yet)') return;
    const { target, input } = JSON.parse(readFileSync(new URL(file, CRASHERS), 'utf8')) as { target: string; input: never };
    const t = TARGETS.find((x) => x.name === target);
    expect(t, `a crasher for the unknown target ${target}`).toBeDefined();
    await t!.check(input);
  });
});

describe('fuzz: a short run of every target', () => {
  for (const target of TARGETS) {
    test(target.name, async () => {
      await fc.assert(fc.asyncProperty(target.arbitrary, (input) => target.check(input)), { numRuns: 60 });
    }, 120_000);
  }
});
