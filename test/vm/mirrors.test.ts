/** The constants shared by the host and the VM live in one file each; the mirrors are generated and must be fresh. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { contextToTs, formatToAs } from '../../scripts/gen-mirrors.mjs';

const read = (p: string): string => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

test('src/runtime/context.ts is generated from assembly/context.ts', () => {
  expect(read('src/runtime/context.ts')).toBe(contextToTs(read('assembly/context.ts')));
});

test('assembly/vm/format.ts is generated from src/compiler/format.ts', () => {
  expect(read('assembly/vm/format.ts')).toBe(formatToAs(read('src/compiler/format.ts')));
});

test('assembly/evtx/format.ts is generated from src/input/evtx/format.ts', () => {
  expect(read('assembly/evtx/format.ts')).toBe(formatToAs(read('src/input/evtx/format.ts'), 'src/input/evtx/format.ts'));
});
