import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The CLIs tests start keep their compile cache in a directory of this run, never the user's ~/.cache.
    env: { SIGMATCH_CACHE_DIR: mkdtempSync(join(tmpdir(), 'sigmatch-test-cache-')) },
  },
});
