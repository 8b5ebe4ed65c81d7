/**
 * A reader that leaves early (`sigmatch scan ... | head -1`): the CLI stops at once, prints nothing more (no EPIPE
 * stack trace, no summary) and exits 0, on every engine, output format and command that writes a lot.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, tempFiles } from '../support/cli.js';

/** Enough hits that the output is far larger than a pipe's buffer: the CLI is still writing when the reader leaves. */
const EVENTS = 20_000;

function fixture(): string {
  const dir = tempFiles({
    'rule.yml': 'title: every command\nlogsource:\n  product: windows\ndetection:\n  sel:\n    CommandLine|contains: arg\n  condition: sel\n',
  });
  const lines: string[] = [];
  for (let i = 0; i < EVENTS; i++) lines.push(JSON.stringify({ Image: 'C:\\w\\cmd.exe', CommandLine: `arg ${i}` }));
  writeFileSync(join(dir, 'events.ndjson'), `${lines.join('\n')}\n`);
  // Many documents: explain writes a page for each.
  writeFileSync(join(dir, 'many.yml'), Array.from({ length: 1500 }, (_, i) => `title: rule ${i}\nlogsource:\n  product: windows\ndetection:\n  sel:\n    F: v${i}\n  condition: sel\n`).join('---\n'));
  return dir;
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  firstLine: string;
  stderr: string;
}

/** Run the CLI, read its first line of output, then close the pipe as `head -1` does. */
function readFirstLineThenClose(args: string[], stderrToStdout = false): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let stderr = '';
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      child.stdout.destroy();
      if (stderrToStdout) child.stderr.destroy();
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (closed) return;
      out += chunk.toString('utf8');
      if (out.includes('\n')) close();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrToStdout) close();
      else stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, firstLine: out.split('\n')[0], stderr }));
  });
}

describe('a closed output pipe', () => {
  const dir = fixture();
  const rule = join(dir, 'rule.yml');
  const events = join(dir, 'events.ndjson');

  test.each<[string, string[]]>([
    ['scan, jsonl', ['scan', '-r', rule, events]],
    ['scan, table', ['scan', '-r', rule, '--format', 'table', events]],
    ['scan, csv', ['scan', '-r', rule, '--format', 'csv', events]],
    ['scan, reference engine', ['scan', '-r', rule, '--engine', 'reference', events]],
    ['scan, 2 threads', ['scan', '-r', rule, '--threads', '2', events]],
    ['scan, --fail-on (a hit was found, but the reader left first)', ['scan', '-r', rule, '--fail-on', 'informational', events]],
    ['explain', ['explain', '-P', 'none', join(dir, 'many.yml')]],
  ])('%s: exit 0, nothing on stderr', async (_name, args) => {
    const r = await readFirstLineThenClose(args);
    expect(r.firstLine.length).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
  });

  test('stderr closed too (2>&1 | head -1): exit 0', async () => {
    const r = await readFirstLineThenClose(['scan', '-r', rule, events], true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
  });
});
