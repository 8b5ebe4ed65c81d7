/**
 * The README's Worker without wrangler: bundled by the README's esbuild command line (fixtures/esbuild-worker.sh),
 * then served by plain workerd with the README's config (fixtures/workerd.capnp) and run through the README's
 * miniflare script (fixtures/miniflare-run.mjs), in a directory laid out as the README assumes (dist/worker.js,
 * node_modules/sigma-match/build/sigmatch.wasm, rules.yml, events.ndjson). Both must give Node's hits.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURES, NDJSON, ROOT, RULE_TEXTS, WASM_PATH, hitKeys, nodeResult, readmeHasFixture, requireBuild, type RuntimeResult } from './support.js';

interface WorkerReply {
  hits: { event: number; rule: number; line?: number; id: string }[];
  notes: unknown[];
}

const README_PORT = '*:8080';
const ENTRY = 'src/worker.ts';

/** The README's esbuild command as arguments, with the fixture Worker as its entry and `outfile` as its output. */
function esbuildArgs(outfile: string): string[] {
  const words = readFileSync(join(FIXTURES, 'esbuild-worker.sh'), 'utf8').replace(/\\\n/g, ' ').trim().split(/\s+/);
  expect(words.slice(0, 2)).toEqual(['npx', 'esbuild']);
  expect(words).toContain(ENTRY);
  expect(words).toContain('--outfile=dist/worker.js');
  return words.slice(2).map((w) => (w === ENTRY ? join(FIXTURES, 'worker.mts') : w === '--outfile=dist/worker.js' ? `--outfile=${outfile}` : w));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function postUntilUp(url: string, body: string, ms: number): Promise<Response> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fetch(url, { method: 'POST', body });
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`workerd did not answer at ${url} within ${ms} ms: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('the README Worker without wrangler (esbuild, then workerd or miniflare)', () => {
  let dir: string;
  let expected: RuntimeResult;
  let workerd: ChildProcess | undefined;
  let workerdLog = '';

  beforeAll(async () => {
    requireBuild();
    expected = await nodeResult();
    dir = mkdtempSync(join(tmpdir(), 'sigmatch-workerd-'));
    const r = spawnSync(join(ROOT, 'node_modules/.bin/esbuild'), [...esbuildArgs(join(dir, 'dist/worker.js')), '--log-level=warning'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    mkdirSync(join(dir, 'node_modules/sigma-match/build'), { recursive: true });
    copyFileSync(WASM_PATH, join(dir, 'node_modules/sigma-match/build/sigmatch.wasm'));
    symlinkSync(join(ROOT, 'node_modules/miniflare'), join(dir, 'node_modules/miniflare'), 'dir');
    writeFileSync(join(dir, 'rules.yml'), RULE_TEXTS.map((t) => t.trim()).join('\n---\n') + '\n');
    writeFileSync(join(dir, 'events.ndjson'), NDJSON);
  });

  afterAll(() => {
    workerd?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the bundle leaves the WASM module as an import of sigma-match/sigmatch.wasm', () => {
    expect(readFileSync(join(dir, 'dist/worker.js'), 'utf8')).toMatch(/from\s*["']sigma-match\/sigmatch\.wasm["']/);
  });

  test("plain workerd with the README's config: the Worker's hits equal Node's", async () => {
    const port = await freePort();
    const config = readFileSync(join(FIXTURES, 'workerd.capnp'), 'utf8');
    expect(config).toContain(`"${README_PORT}"`);
    writeFileSync(join(dir, 'sigmatch.capnp'), config.replace(`"${README_PORT}"`, `"127.0.0.1:${port}"`));
    workerd = spawn(join(ROOT, 'node_modules/.bin/workerd'), ['serve', 'sigmatch.capnp'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    workerd.stderr!.on('data', (d: Buffer) => (workerdLog += d.toString()));
    const res = await postUntilUp(`http://127.0.0.1:${port}/scan`, NDJSON, 30_000);
    const text = await res.text();
    expect(res.status, `${text}\n${workerdLog}`).toBe(200);
    const reply = JSON.parse(text) as WorkerReply;
    expect(hitKeys(expected, reply.hits)).toEqual(hitKeys(expected, expected.scan.hits));
    expect(reply.hits.map((h) => h.id)).toEqual(reply.hits.map((h) => expected.ids[h.rule]));
    expect(reply.hits.length).toBeGreaterThan(5);
  });

  test("the README's miniflare script: the Worker's hits equal Node's", () => {
    writeFileSync(join(dir, 'run.mjs'), readFileSync(join(FIXTURES, 'miniflare-run.mjs')));
    const r = spawnSync(process.execPath, ['run.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const reply = JSON.parse(r.stdout) as WorkerReply;
    expect(hitKeys(expected, reply.hits)).toEqual(hitKeys(expected, expected.scan.hits));
  });

  test('the README holds the command, the config and the script verbatim', () => {
    for (const f of ['esbuild-worker.sh', 'workerd.capnp', 'miniflare-run.mjs']) expect(readmeHasFixture(f), f).toBe(true);
  });
});
