/**
 * sigmatch in Cloudflare Workers: the README's Worker (fixtures/worker.mts) is bundled with esbuild as wrangler
 * would (conditions workerd/worker/browser, the `.wasm` import left as a module import), run in the real workerd
 * runtime through miniflare, and sent NDJSON events; its hits must equal Node's. workerd refuses to compile WASM
 * from bytes and refuses eval / new Function, so this also proves that sigmatch needs neither.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { Miniflare, supportedCompatibilityDate } from 'miniflare';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Matcher } from '../../src/index.js';
import { EVENTS, EVTX_BYTES, FIXTURES, NDJSON, RULE_TEXTS, ROOT, WASM_PATH, hitKeys, nodeResult, readmeHasFixture, requireBuild, typecheckFixtures, type RuntimeResult } from './support.js';

interface WorkerReply {
  hits: { event: number; rule: number; line?: number; id: string }[];
  notes: unknown[];
}

/** Bundle a Worker the way wrangler does; every `.wasm` import becomes the external module `./sigmatch.wasm`. */
async function bundleWorker(entry: string): Promise<{ code: string; wasmFiles: string[] }> {
  const wasmFiles: string[] = [];
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    target: 'es2022',
    absWorkingDir: ROOT,
    logLevel: 'silent',
    plugins: [
      {
        name: 'wasm-module-import',
        setup(build) {
          build.onResolve({ filter: /\.wasm$/ }, async (args) => {
            if (args.pluginData === 'resolving') return undefined;
            const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' });
            if (r.errors.length > 0) return { errors: r.errors };
            wasmFiles.push(r.path);
            return { path: './sigmatch.wasm', external: true };
          });
        },
      },
    ],
  });
  return { code: result.outputFiles[0].text, wasmFiles };
}

describe('Cloudflare Workers (workerd via miniflare)', () => {
  let mf: Miniflare;
  let code: string;
  let wasmFiles: string[];
  let expected: RuntimeResult;

  beforeAll(async () => {
    requireBuild();
    expected = await nodeResult();
    ({ code, wasmFiles } = await bundleWorker(join(FIXTURES, 'worker.mts')));
    mf = new Miniflare({
      modules: [
        { type: 'ESModule', path: 'worker.js', contents: code },
        { type: 'CompiledWasm', path: 'sigmatch.wasm', contents: readFileSync(WASM_PATH) },
      ],
      compatibilityDate: supportedCompatibilityDate,
      bindings: { RULES: RULE_TEXTS },
    });
    await mf.ready;
  });

  afterAll(async () => {
    await mf?.dispose();
  });

  async function post(path: string, body: string | Uint8Array): Promise<WorkerReply> {
    const res = await mf.dispatchFetch(`http://sigmatch.test${path}`, { method: 'POST', body });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    return JSON.parse(text) as WorkerReply;
  }

  test('the bundle imports sigmatch.wasm as a module and uses no eval or new Function', () => {
    expect(wasmFiles).toEqual([WASM_PATH]);
    expect(code).toMatch(/from\s*["']\.\/sigmatch\.wasm["']/);
    expect(code).not.toMatch(/new\s+Function\b/);
    expect(code).not.toMatch(/\beval\s*\(/);
  });

  test("POSTed NDJSON: the Worker's hits equal Node's (bytes path)", async () => {
    const reply = await post('/scan', NDJSON);
    const got = { ids: expected.ids, hits: reply.hits };
    expect(hitKeys(got, reply.hits)).toEqual(hitKeys(expected, expected.scan.hits));
    expect(reply.hits.map((h) => h.id)).toEqual(reply.hits.map((h) => expected.ids[h.rule]));
    expect(reply.notes).toEqual(expected.scan.notes);
    expect(reply.hits.length).toBeGreaterThan(0);
  });

  test("a POSTed .evtx log: the Worker's hits equal Node's (the decoder in WebAssembly)", async () => {
    const reply = await post('/evtx', EVTX_BYTES);
    expect(hitKeys(expected, reply.hits)).toEqual(hitKeys(expected, expected.evtx!));
    expect(reply.notes).toEqual([]);
    expect(reply.hits.length).toBeGreaterThan(0);
  });

  test("POSTed events as a JSON array: the Worker's hits equal Node's (objects path)", async () => {
    const reply = await post('/match', JSON.stringify(EVENTS));
    expect(hitKeys(expected, reply.hits)).toEqual(hitKeys(expected, expected.match));
  });

  test('the matcher is reused across requests, and malformed lines are notes, not failures', async () => {
    const reply = await post('/scan', `${NDJSON}{"broken": \n`);
    expect(hitKeys(expected, reply.hits)).toEqual(hitKeys(expected, expected.scan.hits));
    expect(reply.notes).toHaveLength(1);
  });

  test('a malformed first line costs that line only (it used to swallow the whole input: 1 note, 0 hits)', async () => {
    const reply = await post('/scan', `{"bad json\n${NDJSON}`);
    // Every event moves one line down; the hits are Node's otherwise.
    expect(hitKeys(expected, reply.hits)).toEqual(hitKeys(expected, expected.scan.hits.map((h) => ({ ...h, line: (h.line ?? 0) + 1 }))));
    expect(reply.notes).toEqual([{ kind: 'malformed', line: 1, endLine: 1, message: 'a line ends inside a JSON string' }]);
  });

  test('workerd refuses to compile WASM bytes, and sigmatch says what to do instead', async () => {
    // The same Worker shape, given the module's bytes (a Data module: an ArrayBuffer) instead of the module import.
    const probe = await esbuild.build({
      stdin: {
        contents: [
          "import { Matcher } from 'sigma-match';",
          "import bytes from './sigmatch.bin';",
          'export default { async fetch(request, env) {',
          '  try { await Matcher.create(env.RULES, { wasm: bytes }); return new Response("compiled"); }',
          '  catch (e) { return new Response(e.message); }',
          '} };',
        ].join('\n'),
        resolveDir: ROOT,
        loader: 'js',
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      external: ['./sigmatch.bin'],
      logLevel: 'silent',
    });
    const refusing = new Miniflare({
      modules: [
        { type: 'ESModule', path: 'worker.js', contents: probe.outputFiles[0].text },
        { type: 'Data', path: 'sigmatch.bin', contents: readFileSync(WASM_PATH) },
      ],
      compatibilityDate: supportedCompatibilityDate,
      bindings: { RULES: RULE_TEXTS },
    });
    try {
      const text = await (await refusing.dispatchFetch('http://sigmatch.test/')).text();
      expect(text).toMatch(/could not compile the sigmatch WASM module: .*disallowed/i);
      expect(text).toContain("import wasm from 'sigma-match/sigmatch.wasm'");
    } finally {
      await refusing.dispose();
    }
  });

  test('the Worker code type-checks against the published types and is the README example', async () => {
    expect(await typecheckFixtures(['worker.mts', 'correlation-worker.mts'])).toEqual([]);
    expect(readmeHasFixture('worker.mts')).toBe(true);
    expect(readmeHasFixture('correlation-worker.mts')).toBe(true);
  });
});

/** Failed logons with times, from a few addresses: brute force (event_count) and spraying (value_count) fire. */
const CORRELATION_RULES = `title: Failed logon
name: failed_logon
logsource: {product: windows}
detection:
  selection: {EventID: 4625}
  condition: selection
---
title: Brute force
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 10s
  condition: {gte: 3}
---
title: Spraying
correlation:
  type: value_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 30s
  condition: {gte: 3, field: TargetUserName}
`;
const LOGONS = Array.from({ length: 60 }, (_, i) =>
  JSON.stringify({ '@timestamp': new Date(Date.UTC(2026, 10, 28) + i * 1500).toISOString(), EventID: 4625, IpAddress: `10.0.0.${(i * 7) % 3}`, TargetUserName: `u${(i * 5) % 4}` }),
);
const logons = (from: number, to?: number): string => LOGONS.slice(from, to).join('\n') + '\n';

interface CorrelationReply {
  hits: { event: number; rule: number; correlation?: { index: number; time: string; group: unknown; value: number } }[];
}

/** Alerts comparable across runtimes and cuts: what fired, when, for which group, with which value. */
const alertKeys = (hits: CorrelationReply['hits']): string[] => hits.filter((h) => h.correlation).map((h) => JSON.stringify([h.rule, h.correlation!.time, h.correlation!.group, h.correlation!.value]));

describe('correlation state in a Durable Object (workerd via miniflare)', () => {
  let mf: Miniflare;
  let whole: string[];
  let tenant = 0;

  beforeAll(async () => {
    requireBuild();
    const node = await Matcher.create(CORRELATION_RULES);
    whole = alertKeys(node.scanBytes(logons(0)).hits);
    const { code } = await bundleWorker(join(FIXTURES, 'correlation-worker.mts'));
    mf = new Miniflare({
      modules: [
        { type: 'ESModule', path: 'worker.js', contents: code },
        { type: 'CompiledWasm', path: 'sigmatch.wasm', contents: readFileSync(WASM_PATH) },
      ],
      compatibilityDate: supportedCompatibilityDate,
      bindings: { RULES: CORRELATION_RULES },
      durableObjects: { CORRELATIONS: 'Correlations' },
    });
    await mf.ready;
  });

  afterAll(async () => {
    await mf?.dispose();
  });

  async function call(path: string, tenantId: number, body?: string | Uint8Array<ArrayBuffer>, method = 'POST'): ReturnType<Miniflare['dispatchFetch']> {
    const res = await mf.dispatchFetch(`http://sigmatch.test${path}?tenant=t${tenantId}`, { method, body });
    expect(res.status).toBe(200);
    return res;
  }

  test('split anywhere, evicted between batches: the object continues from its storage and fires as Node does whole', async () => {
    expect(whole.length).toBeGreaterThan(10);
    for (const cut of [1, 7, 20, 33, 59]) {
      const t = ++tenant;
      const first = (await (await call('/scan', t, logons(0, cut))).json()) as CorrelationReply;
      await call('/evict', t);
      const second = (await (await call('/scan', t, logons(cut))).json()) as CorrelationReply;
      expect([...alertKeys(first.hits), ...alertKeys(second.hits)], `cut at ${cut}`).toEqual(whole);
    }
  });

  test('state moves between runtimes: Node to workerd and workerd to Node', async () => {
    const cut = 25;
    const node = await Matcher.create(CORRELATION_RULES);
    const nodeFirst = alertKeys(node.scanBytes(logons(0, cut)).hits);
    const t = ++tenant;
    await call('/state', t, node.snapshot(), 'PUT');
    const workerSecond = (await (await call('/scan', t, logons(cut))).json()) as CorrelationReply;
    expect([...nodeFirst, ...alertKeys(workerSecond.hits)]).toEqual(whole);

    const u = ++tenant;
    const workerFirst = (await (await call('/scan', u, logons(0, cut))).json()) as CorrelationReply;
    const saved = new Uint8Array(await (await call('/state', u, undefined, 'GET')).arrayBuffer());
    const resumed = await Matcher.create(CORRELATION_RULES);
    resumed.restore(saved);
    expect([...alertKeys(workerFirst.hits), ...alertKeys(resumed.scanBytes(logons(cut)).hits)]).toEqual(whole);
  });
});
