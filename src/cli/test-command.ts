/**
 * `sigmatch test`: run SigmaHQ-style regression tests with the WASM engine. A test is a folder with an `info.yml`
 * (`rule_metadata[0].id`: the rule under test; `regression_tests_info[0].match_count` or `match_count`: how many events
 * it must match at least, default 1) and the event files beside it: the original .evtx files (through
 * `Matcher.scanEvtx`), or JSON (evtx_dump output: objects one after another, a JSON array, or NDJSON; through
 * `Matcher.scanBytes`). A test passes when its rule matches at least `match_count` distinct events.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import '../runtime/node-wasm.js'; // registers the Node loader of build/sigmatch.wasm
import { applyPipelines, orderPipelines } from '../pipeline/apply.js';
import { pipelinePlaceholders } from '../pipeline/placeholders.js';
import { resolvePipelines } from '../pipeline/resolve.js';
import type { SigmaError } from '../rule/errors.js';
import { findRuleFiles, loadRuleFile } from '../rule/files.js';
import { combineRuleSets } from '../rule/load.js';
import type { SigmaRule } from '../rule/model.js';
import { Matcher } from '../runtime/matcher.js';
import { CliError, EXIT_FINDINGS, EXIT_OK, formatInputNote, parsePlaceholders } from './common.js';
import { CommandLine } from './options.js';
import { colorEnabled, painter } from './output/ansi.js';
import type { CliIo } from './pipelines.js';

const HELP = `sigmatch test: run SigmaHQ-style regression tests with the WASM engine

Usage:
  sigmatch test <regression_data dir> --rules <dir>[,<dir>...] [-P pipeline]... [--format text|json]

Every folder under the directory that holds an info.yml is a test:
  info.yml      rule_metadata[0].id names the rule under test; regression_tests_info[0].match_count (or a
                top-level match_count) is how many events it must match at least (default 1)
  *.evtx        the events: Windows event logs, read directly
  *.json        or: evtx_dump -o json output (objects one after another), a JSON array or NDJSON
A test passes when its rule, loaded from --rules, matches at least match_count of the events.

Options:
  -r, --rules <path>          rule files or directories to find the rules in (repeatable, or comma-separated)
  -P, --pipeline <name|file>  pipeline applied to the rules (built-in name or file); repeatable or comma-separated
  -p, --placeholder <n=v>     value(s) for an expand placeholder %n% (n=a,b gives two); repeatable
  -e, --events <kind>         which event files to read: auto (default: the .evtx files when the folder has some,
                              else the .json files), evtx or json
  -f, --format <fmt>          text (default: one PASS/FAIL line per test, then the counts) or json
  -q, --quiet                 text: print only the failures and the counts
  -h, --help                  show this help

Exit code 0 when every test passes, 1 when any fails (a test fails when its rule does not match enough events,
is not found under --rules, does not load, or its info.yml or event files are unusable), 2 on a usage error.

Examples:
  sigmatch test ../sigma/regression_data --rules ../sigma/rules,../sigma/rules-emerging-threats
  sigmatch test my-tests/ --rules rules/ -P sysmon -P windows --format json > results.json
`;

const CLI = new CommandLine('test', HELP);

export interface RegressionResult {
  /** The test folder, relative to the directory given. */
  name: string;
  info: string;
  rule: { id: string | null; title: string | null };
  expected: number;
  got: number;
  passed: boolean;
  files: string[];
  /** Why the test could not run or failed other than by its count. */
  reason?: string;
}

type EventKind = 'auto' | 'evtx' | 'json';
const EVENT_FILES: Record<Exclude<EventKind, 'auto'>, RegExp> = { evtx: /\.evtx$/i, json: /\.json$/i };

interface TestCase {
  name: string;
  info: string;
  ruleId: string | null;
  title: string | null;
  expected: number;
  files: string[];
  error?: string;
}

function findInfoFiles(dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new CliError(`test: cannot read directory ${dir}: ${(e as Error).message}`);
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) findInfoFiles(p, out);
    else if (e.name === 'info.yml' || e.name === 'info.yaml') out.push(p);
  }
  return out;
}

function lineOf(text: string, key: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(key));
  return i < 0 ? 1 : i + 1;
}

function first(v: unknown): Record<string, unknown> | undefined {
  const x = Array.isArray(v) ? v[0] : undefined;
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

/** Read one info.yml into a test case; problems become the case's `error` (file:line: what to do). */
function readCase(info: string, root: string, events: EventKind): TestCase {
  const dir = dirname(info);
  const name = relative(root, dir) || basename(dir);
  const base: TestCase = { name, info, ruleId: null, title: null, expected: 1, files: [] };
  let text: string;
  try {
    text = readFileSync(info, 'utf8');
  } catch (e) {
    return { ...base, error: `${info}:1: cannot read: ${(e as Error).message}` };
  }
  let meta: unknown;
  try {
    meta = parseYaml(text);
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
    return { ...base, error: `${info}:${line}: not valid YAML (${(e as Error).message.split('\n')[0]}); fix the file` };
  }
  const m = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {};
  const rule = first(m.rule_metadata);
  const id = rule?.id;
  if (typeof id !== 'string' || id === '') {
    return { ...base, error: `${info}:${lineOf(text, 'rule_metadata')}: no rule_metadata[0].id; name the rule under test (rule_metadata: [{id: <rule id>}])` };
  }
  const count = first(m.regression_tests_info)?.match_count ?? m.match_count ?? 1;
  const expected = typeof count === 'string' && /^[0-9]+$/.test(count) ? Number(count) : count;
  if (typeof expected !== 'number' || !Number.isInteger(expected) || expected < 0) {
    return { ...base, ruleId: id, error: `${info}:${lineOf(text, 'match_count')}: match_count must be a whole number, got ${JSON.stringify(count)}` };
  }
  const names = readdirSync(dir).sort();
  const of = (kind: Exclude<EventKind, 'auto'>): string[] => names.filter((f) => EVENT_FILES[kind].test(f)).map((f) => join(dir, f));
  const evtx = events === 'json' ? [] : of('evtx');
  const files = events === 'evtx' || evtx.length > 0 ? evtx : of('json');
  const title = typeof rule?.title === 'string' ? rule.title : null;
  if (files.length === 0) {
    const wanted = events === 'auto' ? '.evtx or .json' : `.${events}`;
    return { ...base, ruleId: id, title, expected, error: `${info}:1: no ${wanted} event files beside info.yml (the .evtx log, or its evtx_dump -o json export)` };
  }
  return { ...base, ruleId: id, title, expected, files };
}

/**
 * The rules under test: only files that mention one of the ids (or hold a filter document, which may apply to them)
 * are parsed, so testing against a whole corpus costs a text search, not a full load.
 */
function loadWanted(paths: readonly string[], ids: ReadonlySet<string>, placeholders: Record<string, string[]>): { rules: SigmaRule[]; errors: SigmaError[] } {
  const found = findRuleFiles(paths);
  const sets = [];
  for (const file of found.files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      sets.push(loadRuleFile(file, { placeholders })); // reports FILE_READ
      continue;
    }
    let wanted = /^filter:/m.test(text);
    if (!wanted) for (const id of ids) if (text.includes(id)) wanted = true;
    if (wanted) sets.push(loadRuleFile(file, { placeholders }));
  }
  const set = combineRuleSets(sets);
  return { rules: set.rules, errors: [...found.errors, ...set.errors] };
}

export async function runTest(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const { values, positionals } = CLI.parse(
    {
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        rules: { type: 'string', short: 'r', multiple: true, list: 'paths' },
        pipeline: { type: 'string', short: 'P', multiple: true, list: 'paths' },
        placeholder: { type: 'string', short: 'p', multiple: true, list: 'assignments' },
        format: { type: 'string', short: 'f', default: 'text' },
        events: { type: 'string', short: 'e', default: 'auto' },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
  );
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const format = CLI.oneOf('--format', values.format!, ['text', 'json']);
  const events: EventKind = CLI.oneOf('--events', values.events!, ['auto', 'evtx', 'json']);
  if (positionals.length !== 1) throw CLI.error(`give exactly one regression test directory, got ${positionals.length}`);
  const rulePaths = values.rules ?? [];
  if (rulePaths.length === 0) throw CLI.error('give the rules with --rules <dir> (comma-separated or repeated for several)');
  const root = positionals[0];
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new CliError(`test: no such directory: ${root}`);
  }
  const infos = st.isDirectory() ? findInfoFiles(root) : basename(root).startsWith('info.') ? [root] : [];
  if (infos.length === 0) throw new CliError(`test: no info.yml under ${root}; each test is a folder with an info.yml and its .evtx or .json events`);
  const rootDir = st.isDirectory() ? root : dirname(dirname(root));

  const resolved = resolvePipelines(values.pipeline ?? []);
  if (resolved.errors.length > 0) throw new CliError(`test: pipeline errors:\n${resolved.errors.map((e) => `  ${e.format()}`).join('\n')}`);
  const pipelines = orderPipelines(resolved.pipelines);
  const placeholders = { ...pipelinePlaceholders(pipelines), ...parsePlaceholders(values.placeholder) };

  const cases = infos.map((i) => readCase(i, rootDir, events));
  const ids = new Set(cases.map((c) => c.ruleId).filter((id): id is string => id !== null));
  const loaded = loadWanted(rulePaths, ids, placeholders);
  let rules = loaded.rules;
  const errors = [...loaded.errors];
  if (pipelines.length > 0) {
    const applied = applyPipelines(rules, pipelines);
    rules = applied.rules;
    errors.push(...applied.errors);
  }
  const underTest = rules.filter((r) => r.id !== undefined && ids.has(r.id));
  const index = new Map<string, number>();
  underTest.forEach((r, i) => {
    if (!index.has(r.id!)) index.set(r.id!, i);
  });
  const errorsById = new Map<string, SigmaError[]>();
  for (const e of errors) if (e.ruleId !== undefined && ids.has(e.ruleId)) errorsById.set(e.ruleId, [...(errorsById.get(e.ruleId) ?? []), e]);
  for (const e of errors) if (e.ruleId === undefined || ids.has(e.ruleId)) io.stderr.write(`${e.format()}\n`);

  const matcher = underTest.length > 0 ? await Matcher.create(underTest) : null;
  const results: RegressionResult[] = [];
  let warnings = 0;
  let evtxNotes = 0;
  for (const c of cases) {
    const result: RegressionResult = { name: c.name, info: c.info, rule: { id: c.ruleId, title: c.title }, expected: c.expected, got: 0, passed: false, files: c.files };
    if (c.error) {
      results.push({ ...result, reason: c.error });
      continue;
    }
    const ruleIndex = index.get(c.ruleId!);
    if (ruleIndex === undefined || !matcher) {
      const why = errorsById.get(c.ruleId!);
      results.push({
        ...result,
        reason: why
          ? `rule ${c.ruleId} does not load: ${why[0].format()}`
          : `rule ${c.ruleId} is not under ${rulePaths.join(', ')}; add the folder that holds it to --rules`,
      });
      continue;
    }
    result.rule.title = underTest[ruleIndex].title;
    let got = 0;
    for (const file of c.files) {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        result.reason = `${file}: cannot read: ${(e as Error).message}`;
        break;
      }
      const scan = EVENT_FILES.evtx.test(file) ? matcher.scanEvtx(bytes) : matcher.scanBytes(bytes);
      for (const n of scan.notes) {
        if (n.kind === 'evtx') evtxNotes++;
        else warnings++;
        io.stderr.write(n.kind === 'evtx' ? `${file}: ${n.message}\n` : `${formatInputNote(file, n)}\n`);
      }
      got += new Set(scan.hits.filter((h) => h.rule === ruleIndex).map((h) => h.event)).size;
    }
    result.got = got;
    result.passed = result.reason === undefined && got >= c.expected;
    results.push(result);
  }

  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ total: results.length, passed, failed, tests: results })}\n`);
  } else {
    const p = painter(colorEnabled(io.stdout as { isTTY?: boolean }));
    for (const r of results) {
      if (r.passed && values.quiet) continue;
      const status = r.passed ? p.paint('PASS', 'green') : p.paint('FAIL', 'bold', 'red');
      const rule = `${r.rule.title ?? '(unknown rule)'} (${r.rule.id ?? 'no id'})`;
      const counts = `expected >= ${r.expected}, got ${r.got}`;
      io.stdout.write(`${status}  ${r.name}  ${rule}  ${counts}\n`);
      if (r.reason) io.stdout.write(`      ${r.reason}\n`);
    }
    const noted = [...(warnings > 0 ? [`${warnings} malformed event records`] : []), ...(evtxNotes > 0 ? [`${evtxNotes} notes about .evtx files`] : [])];
    io.stdout.write(`${results.length} tests: ${passed} passed, ${failed} failed${noted.length > 0 ? ` (${noted.join(', ')}, reported above)` : ''}\n`);
  }
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}
