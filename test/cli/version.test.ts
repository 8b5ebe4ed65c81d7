/** `sigmatch --version` / `-V`: the package.json version, from any working directory (read beside the module). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('sigmatch --version', () => {
  test('the version is semver-shaped (so the checks below compare something)', () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  });

  test.each(['--version', '-V'])('%s prints the package version alone and exits 0, from any directory', (flag) => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'sigmatch-version-'));
    for (const cwd of [ROOT, elsewhere]) {
      const r = runCli([flag], { cwd });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${VERSION}\n`);
      expect(r.stderr).toBe('');
    }
  });

  test('the usage lists it', () => {
    expect(runCli(['--help']).stdout).toContain('sigmatch --version');
  });
});
