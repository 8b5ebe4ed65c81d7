/**
 * Shared by the runtime tests (browser, workerd, import graph): the rule set and events every runtime gets, what
 * Node computes for them, and esbuild helpers. The tests need `dist/` and `build/sigmatch.wasm` (`npm test` runs
 * `npm run build` first).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Matcher, ReferenceEvaluator, loadRulesFromText, type Hit } from '../../src/index.js';
import { evtxFromRecordSpecs, recordFromEvtxJson } from '../../bench/data/evtx-log.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(ROOT, 'test/runtimes/fixtures');
export const WASM_PATH = join(ROOT, 'build/sigmatch.wasm');
export const BROWSER_DIST = join(ROOT, 'dist/browser.js');

/** Fails with a clear message when the build outputs are missing (the runtime tests never skip for that). */
export function requireBuild(): void {
  for (const file of [WASM_PATH, BROWSER_DIST]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (npm test does) before the runtime tests`);
  }
}

function ruleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? ruleFiles(join(dir, d.name)) : /\.ya?ml$/.test(d.name) ? [join(dir, d.name)] : []))
    .sort();
}

/** A rule beyond the examples: regex, nested field with non-ASCII case folding, CIDR. */
const EXTRA_RULE = `title: Runtime Test Regex Nested Cidr
id: 7c1e0c53-5d7e-4d1a-9c55-0d9a3f1e2b10
status: test
logsource:
  product: test
detection:
  sel_re:
    CommandLine|re: '(?i)invoke-(web|rest)request'
  sel_nested:
    process.name|endswith: 'ÄRGER.exe'
  sel_ip:
    DestinationIp|cidr: 10.0.0.0/8
  condition: 1 of sel_*
level: low
`;

const EXTRA_EVENTS: object[] = [
  { CommandLine: 'PowerShell.exe Invoke-WebRequest -Uri http://example.test/a' },
  { process: { name: 'C:\\tmp\\ärger.EXE' } },
  { DestinationIp: '10.1.2.3' },
  { DestinationIp: '11.1.2.3', CommandLine: 'invoke-item x' },
];

/** The rule texts (examples/rules plus one extra) and events (examples/events/sample.ndjson plus a few). */
export const RULE_TEXTS: string[] = [...ruleFiles(join(ROOT, 'examples/rules')).map((f) => readFileSync(f, 'utf8')), EXTRA_RULE];
export const EVENTS: object[] = [
  ...readFileSync(join(ROOT, 'examples/events/sample.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as object),
  ...EXTRA_EVENTS,
];
export const NDJSON = EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n';

/** The events with only scalar fields, as a .evtx log: each event's fields in EventData (its flat view is the event,
 * plus `Provider_Name` when it has none). */
const scalarOnly = (e: object): boolean => Object.values(e).every((v) => v === null || typeof v !== 'object');
export const EVTX_SOURCE: object[] = EVENTS.filter(scalarOnly).map((e) => ({ Provider_Name: 'Runtime-Test', ...e }));
export const EVTX_BYTES: Uint8Array = evtxFromRecordSpecs(
  EVTX_SOURCE.map((e) => {
    const { Provider_Name: provider, ...data } = e as Record<string, string | number | boolean | null>;
    return recordFromEvtxJson({ Event: { System: { Provider: { '#attributes': { Name: provider } } }, EventData: data } });
  }),
).bytes;

/** What every runtime reports: hits by rule id, from `match()` (objects) and `scanBytes()` (NDJSON). */
export interface RuntimeResult {
  ids: string[];
  errors: string[];
  match: Hit[];
  scan: { hits: Hit[]; events: number; notes: unknown[] };
  /** The .evtx log's hits (scanEvtx). */
  evtx?: Hit[];
}

const byEventRule = (a: Hit, b: Hit): number => a.event - b.event || a.rule - b.rule;

/** Hits as sorted "event:rule-id[@line]" strings, comparable across runtimes. */
export function hitKeys(result: Pick<RuntimeResult, 'ids'>, hits: readonly Hit[]): string[] {
  return [...hits].sort(byEventRule).map((h) => `${h.event}:${result.ids[h.rule]}${h.line === undefined ? '' : `@${h.line}`}`);
}

/** Node's answer (the default module loader reads build/sigmatch.wasm), checked against the reference evaluator. */
export async function nodeResult(): Promise<RuntimeResult> {
  const matcher = await Matcher.create(RULE_TEXTS);
  const result: RuntimeResult = {
    ids: matcher.rules.map((r) => r.id ?? r.title),
    errors: matcher.errors.map((e) => e.code),
    match: matcher.match(EVENTS),
    scan: matcher.scanBytes(NDJSON),
    evtx: matcher.scanEvtx(EVTX_BYTES).hits,
  };
  // The .evtx log's hits are those of its events as objects.
  const asObjects = hitKeys(result, matcher.match(EVTX_SOURCE));
  if (JSON.stringify(hitKeys(result, result.evtx!)) !== JSON.stringify(asObjects)) throw new Error(`Node's .evtx hits differ from its events':\n${hitKeys(result, result.evtx!)}\n${asObjects}`);
  if (asObjects.length < 3) throw new Error(`the .evtx runtime input should produce several hits, got ${asObjects.length}`);
  // Not vacuous: the Node engine agrees with the reference evaluator and finds something.
  const reference = new ReferenceEvaluator(loadRulesFromText(RULE_TEXTS).rules);
  const expected = EVENTS.flatMap((e, event) => reference.match(e).map((m) => `${event}:${m.rule.id ?? m.rule.title}`)).sort();
  const got = hitKeys(result, result.match);
  if (JSON.stringify([...got].sort()) !== JSON.stringify(expected)) throw new Error(`Node's WASM engine disagrees with the reference evaluator:\n${got}\n${expected}`);
  if (got.length < 5) throw new Error(`the runtime test input should produce several hits, got ${got.length}`);
  return result;
}

/** The README holds this fixture's code verbatim (so the documented code is the tested code). */
export function readmeHasFixture(name: string): boolean {
  const code = readFileSync(join(FIXTURES, name), 'utf8').trim();
  return readFileSync(join(ROOT, 'README.md'), 'utf8').includes(code);
}

/**
 * Type-check fixture files as a user would: `sigma-match` resolves through package.json `exports` to the built
 * declarations in dist. They are `.mts` files, which tsconfig.json's `.ts` globs leave out: its typecheck runs before
 * the build and could not resolve the package's own exports.
 */
export async function typecheckFixtures(names: string[]): Promise<string[]> {
  const ts = (await import('typescript')).default;
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  // rootDir: the self-reference `sigma-match` -> ./dist/*.js is looked up as a source under rootDir first, then as dist/*.d.ts.
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, { rootDir: ROOT, noEmit: true });
  const files = [...names.map((n) => join(FIXTURES, n)), join(FIXTURES, 'wasm.d.ts')];
  const program = ts.createProgram(files, parsed.options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || d.file.fileName.includes('/test/runtimes/'))
    .map((d) => ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' }));
}
