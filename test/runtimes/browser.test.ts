/**
 * sigmatch in a real browser: the README's page code (fixtures/page.mts, importing `sigma-match/browser`) is bundled
 * with esbuild, served with build/sigmatch.wasm from a local server, and run in Debian's headless Chromium through
 * playwright-core. Its hits, from `match()` and from `scanBytes()`, must equal Node's for the same rules and events,
 * whichever way the page gives the WASM module (URL, string, Response, bytes, WebAssembly.Module).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EVENTS, EVTX_BYTES, FIXTURES, NDJSON, RULE_TEXTS, ROOT, WASM_PATH, hitKeys, nodeResult, readmeHasFixture, requireBuild, typecheckFixtures, type RuntimeResult } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser runtime test skipped: ${CHROMIUM} is absent (apt-get install -y chromium; .ci/run does)`);

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const KINDS = ['url', 'string', 'response', 'octet-response', 'bytes', 'module'] as const;

describe.skipIf(!hasChromium)('browser (headless Chromium)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let expected: RuntimeResult;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireBuild();
    expected = await nodeResult();
    const bundle = await esbuild.build({
      entryPoints: [join(FIXTURES, 'page-test.mts')],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'sigmatchPage',
      platform: 'browser',
      target: 'es2022',
      absWorkingDir: ROOT,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0].text;
    const wasm = readFileSync(WASM_PATH);
    const html = '<!doctype html><meta charset="utf-8"><title>sigmatch</title><link rel="icon" href="data:,"><script src="/page.js"></script>';
    const routes: Record<string, [string, string | Buffer]> = {
      '/': ['text/html; charset=utf-8', html],
      '/page.js': ['text/javascript; charset=utf-8', script],
      '/sigmatch.wasm': ['application/wasm', wasm],
      '/sigmatch-octet.wasm': ['application/octet-stream', wasm],
    };
    server = createServer((req, res) => {
      const route = routes[new URL(req.url ?? '/', 'http://localhost').pathname];
      if (!route) return void res.writeHead(404).end('not found');
      res.writeHead(200, { 'content-type': route[0], 'cache-control': 'no-store' }).end(route[1]);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => 'sigmatchPage' in globalThis);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  });

  test("the README's page code finds exactly Node's hits, with match() and scanBytes()", async () => {
    const got = (await page.evaluate(
      ([rules, events, ndjson]) => (globalThis as any).sigmatchPage.detect(rules, events, ndjson),
      [RULE_TEXTS, EVENTS, NDJSON] as const,
    )) as RuntimeResult;
    expect(got.errors).toEqual(expected.errors);
    expect(got.ids).toEqual(expected.ids);
    expect(hitKeys(got, got.match)).toEqual(hitKeys(expected, expected.match));
    expect(hitKeys(got, got.scan.hits)).toEqual(hitKeys(expected, expected.scan.hits));
    expect(got.scan.events).toBe(EVENTS.length);
    expect(got.scan.notes).toEqual(expected.scan.notes);
    expect(got.match.length).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });

  test.each(KINDS)('the WASM module given as %s', async (kind) => {
    const got = (await page.evaluate(
      ([k, rules, events, ndjson]) => (globalThis as any).sigmatchPage.detectWith(k, rules, events, ndjson),
      [kind, RULE_TEXTS, EVENTS, NDJSON] as const,
    )) as RuntimeResult;
    expect(hitKeys(got, got.match)).toEqual(hitKeys(expected, expected.match));
    expect(hitKeys(got, got.scan.hits)).toEqual(hitKeys(expected, expected.scan.hits));
  });

  test("a .evtx log read in the page: Node's hits, whole and streamed", async () => {
    const got = (await page.evaluate(
      ([rules, bytes]) => (globalThis as any).sigmatchPage.detectEvtx(rules, bytes),
      [RULE_TEXTS, [...EVTX_BYTES]] as const,
    )) as { ids: string[]; whole: { hits: RuntimeResult['match']; notes: unknown[] }; streamed: RuntimeResult['match'] };
    expect(got.whole.notes).toEqual([]);
    expect(hitKeys(got, got.whole.hits)).toEqual(hitKeys(expected, expected.evtx!));
    expect(hitKeys(got, got.streamed)).toEqual(hitKeys(expected, expected.evtx!));
    expect(got.whole.hits.every((h) => typeof h.offset === 'number' && typeof h.recordId === 'number')).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  test('a URL that does not serve the module is a clear error', async () => {
    const message = await page.evaluate(() => (globalThis as any).sigmatchPage.missing());
    expect(message).toMatch(/could not load the sigmatch WASM module: HTTP 404/);
  });

  test('the page code type-checks against the published types and is the README example', async () => {
    expect(await typecheckFixtures(['page.mts', 'page-test.mts'])).toEqual([]);
    expect(readmeHasFixture('page.mts')).toBe(true);
  });
});
