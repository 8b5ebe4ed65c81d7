/** scripts/build-if-stale.mjs (npm run bench:quick): which builds are stale, from the mtimes of sources and outputs. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { staleBuilds } from '../../scripts/build-if-stale.mjs';

const T0 = new Date('2026-12-01T00:00:00Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

/** A project tree whose files (and their directories) all have time `T0 + minutes`. */
function project(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'sigmatch-stale-'));
  for (const path of Object.keys(files)) {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), '');
  }
  for (const [path, minutes] of Object.entries(files)) {
    utimesSync(join(root, path), at(minutes), at(minutes));
    for (let d = dirname(path); d !== '.'; d = dirname(d)) utimesSync(join(root, d), at(0), at(0));
  }
  return root;
}

const BUILT = { 'src/a.ts': 1, 'src/cli/b.ts': 1, 'tsconfig.json': 1, 'assembly/index.ts': 1, 'asconfig.json': 1, 'dist/a.js': 5, 'dist/cli/b.js': 5, 'build/sigmatch.wasm': 5 };

describe('build-if-stale', () => {
  test('nothing to build when every output is newer than its sources', () => {
    const root = project(BUILT);
    // The directories were stamped T0 after their files; outputs' directories must not look older than sources.
    utimesSync(join(root, 'dist'), at(5), at(5));
    utimesSync(join(root, 'dist/cli'), at(5), at(5));
    expect(staleBuilds(root)).toEqual([]);
    rmSync(root, { recursive: true });
  });

  test.each([
    ['a TypeScript source changed', { 'src/cli/b.ts': 9 }, ['build:ts']],
    ['a tsconfig changed', { 'tsconfig.json': 9 }, ['build:ts']],
    ['an AssemblyScript source changed', { 'assembly/index.ts': 9 }, ['build:wasm']],
    ['both changed', { 'src/a.ts': 9, 'asconfig.json': 9 }, ['build:ts', 'build:wasm']],
  ])('%s', (_, changed, expected) => {
    const root = project({ ...BUILT, ...changed });
    utimesSync(join(root, 'dist'), at(5), at(5));
    utimesSync(join(root, 'dist/cli'), at(5), at(5));
    expect(staleBuilds(root)).toEqual(expected);
    rmSync(root, { recursive: true });
  });

  test('a deleted source file makes dist stale (its directory is newer)', () => {
    const root = project(BUILT);
    utimesSync(join(root, 'dist'), at(5), at(5));
    utimesSync(join(root, 'dist/cli'), at(5), at(5));
    rmSync(join(root, 'src/cli/b.ts'));
    utimesSync(join(root, 'src/cli'), at(9), at(9));
    expect(staleBuilds(root)).toEqual(['build:ts']);
    rmSync(root, { recursive: true });
  });

  test('missing outputs are stale', () => {
    const root = project({ 'src/a.ts': 1, 'assembly/index.ts': 1 });
    expect(staleBuilds(root)).toEqual(['build:ts', 'build:wasm']);
    rmSync(root, { recursive: true });
  });
});
