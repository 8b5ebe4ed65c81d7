/** Run the built CLI (dist/cli/main.js, built by `npm test` / `npm run build`) as a user would. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'dist/cli/main.js');
/** The compile cache of the CLIs a test file runs: its own, never the user's (tests set SIGMATCH_CACHE_DIR to their own). */
const CACHE_DIR = mkdtempSync(join(tmpdir(), 'sigmatch-cache-'));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { input?: string; cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    input: options.input,
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', SIGMATCH_CACHE_DIR: CACHE_DIR, ...options.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary directory populated with files (path -> content). */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sigmatch-test-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

export function jsonLines(text: string): any[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}
