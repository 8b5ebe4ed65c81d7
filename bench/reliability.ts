/**
 * The reliability record: every hostile input of docs/reliability.md, generated here (nothing is committed), run
 * through the CLI as a user would, timed (wall clock, process start to exit) and measured (peak resident memory of
 * the process, worker threads included), its outcome read from the output. Prints the table's rows as Markdown.
 *
 *   npm run build && npx tsx bench/reliability.ts [--only <substring>] [--json out.json]
 *
 * Each row names the test that holds the outcome (the figures are measured here, never asserted in tests).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const MAIN = join(ROOT, 'dist/cli/main.js');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;

/** Records the process's peak RSS (worker threads included) in the file SIGMATCH_PEAK_FILE names, at exit. */
const PRELOAD = `const fs = require('node:fs');
process.on('exit', () => { try { fs.writeFileSync(process.env.SIGMATCH_PEAK_FILE, String(process.resourceUsage().maxRSS)); } catch {} });
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  peakMiB: number;
}

interface Row {
  /** The hostile input, as the table names it. */
  input: string;
  /** Writes the input's files into dir; returns the sigmatch arguments (and stdin, a file in dir to pipe). */
  build(dir: string): { args: string[]; stdin?: string; shell?: string };
  /** What happened, in a few words, read from the run (and whether it is what the project promises). */
  outcome(run: Run, dir: string): string;
  /** The test that holds the outcome. */
  test: string;
}

const RULE = (title: string, detection: string, extra = ''): string =>
  `title: ${title}\nid: 00000000-0000-4000-8000-${String(title.length * 7919 % 1e12).padStart(12, '0')}\nlevel: high\nlogsource: {product: windows}\n${extra}detection:\n${detection}\n`;
/**
 * The same in block style throughout, as rule files are written: the lean YAML reader takes it and holds long lists
 * packed (a flow mapping anywhere sends the file to the yaml package, which does neither).
 */
const BLOCK_RULE = (title: string, detection: string): string => RULE(title, detection).replace('logsource: {product: windows}\n', 'logsource:\n  product: windows\n');
const WHOAMI = RULE('Whoami', "  sel:\n    CommandLine|contains: whoami\n  condition: sel");
const KEYWORD = RULE('Keyword mimikatz', '  keywords:\n    - mimikatz\n  condition: keywords');

function lines(n: number, make: (i: number) => string): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(make(i));
  return out.join('\n') + '\n';
}

const event = (i: number): string => JSON.stringify({ EventID: 1, Image: `C:\\Windows\\System32\\proc${i % 50}.exe`, CommandLine: i % 1000 === 0 ? 'cmd /c whoami' : `proc${i} --flag ${i}`, User: 'CORP\\user' });

const summary = (stderr: string): string => {
  const m = /sigmatch: (\d[\d,]*) events?, (\d[\d,]*) hits?/.exec(stderr);
  const bad = /malformed\s+(\d+) record/.exec(stderr);
  const large = /too large\s+(\d+)/.exec(stderr) ?? /(\d+) too large/.exec(stderr);
  return m ? `${m[1]} events, ${m[2]} hits${bad ? `, ${bad[1]} malformed` : ''}${large ? `, ${large[1]} too large` : ''}` : `exit ${stderr.slice(0, 80)}`;
};
const firstError = (out: string): string => (out.split('\n').find((l) => /: [A-Z_]+: /.test(l)) ?? out.split('\n')[0]).replace(/^.*?: ([A-Z_]+: )/, '$1').slice(0, 110);

const ROWS: Row[] = [
  // The process's own footprint, for reading the rows below as increments.
  {
    input: 'baseline: one small rule, 10,000 events',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), WHOAMI);
      writeFileSync(join(dir, 'e.ndjson'), lines(10000, event));
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => summary(r.stderr),
    test: 'test/cli/scan-features.test.ts',
  },
  // ---- events ----
  {
    input: 'a 100 MB NDJSON file (880k events)',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), WHOAMI);
      const chunk = lines(10000, event);
      writeFileSync(join(dir, 'e.ndjson'), chunk.repeat(Math.ceil(100e6 / chunk.length)));
      return { args: ['scan', '-r', join(dir, 'r.yml'), '--format', 'jsonl', join(dir, 'e.ndjson')] };
    },
    outcome: (r) => `${summary(r.stderr)}; memory flat`,
    test: 'test/cli/scan-features.test.ts (read buffer), test/json/streaming.test.ts',
  },
  {
    input: 'a 60 MB field in one event',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), WHOAMI);
      writeFileSync(join(dir, 'e.ndjson'), `{"CommandLine":"${'a'.repeat(60e6)} whoami"}\n${event(1)}\n`);
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => summary(r.stderr),
    test: 'test/json/hostile.test.ts "10 MB string values"',
  },
  {
    input: 'a 100 MB record through a pipe (64 KiB reads), over the 64 MiB record limit',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), WHOAMI);
      writeFileSync(join(dir, 'e.ndjson'), `{"CommandLine":"${'a'.repeat(100e6)}"}\n${event(0)}\n`);
      return { args: ['scan', '-r', join(dir, 'r.yml'), '-'], stdin: join(dir, 'e.ndjson') };
    },
    outcome: (r) => `${summary(r.stderr)}; the record is reported, the next one scanned`,
    test: 'test/json/streaming.test.ts "a record over the size limit"',
  },
  {
    input: '100,000-deep nesting in an event',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), KEYWORD);
      const deep = `${'['.repeat(100000)}"mimikatz"${']'.repeat(100000)}`;
      writeFileSync(join(dir, 'e.ndjson'), `{"a":${deep}}\n{"b":${'{"c":'.repeat(100000)}1${'}'.repeat(100000)}}\n${event(0)}\n`);
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => `${summary(r.stderr)}; read exactly (through the objects path past 512 levels)`,
    test: 'test/json/hostile.test.ts "100k-deep nesting"',
  },
  {
    input: 'one event with 1,000,000 keys',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), KEYWORD);
      const keys = Array.from({ length: 1e6 }, (_, i) => `"k${i}":${i === 999999 ? '"mimikatz"' : i}`).join(',');
      writeFileSync(join(dir, 'e.ndjson'), `{${keys}}\n`);
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => summary(r.stderr),
    test: 'test/reliability/wide-events.test.ts',
  },
  {
    input: 'invalid UTF-8 inside and outside strings',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), WHOAMI);
      const bad = Buffer.concat([Buffer.from('{"CommandLine":"whoami \xff\xfe"}\n', 'latin1'), Buffer.from('{"a":1,\xff}\n', 'latin1'), Buffer.from(`${event(0)}\n`)]);
      writeFileSync(join(dir, 'e.ndjson'), bad);
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => `${summary(r.stderr)}; bad bytes read as U+FFFD in strings, a malformed record outside`,
    test: 'test/json/framing.test.ts "invalid UTF-8 ..."',
  },
  {
    input: 'lone surrogates, NUL (raw and escaped), CRLF and BOMs',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), WHOAMI);
      const text = `\ufeff{"CommandLine":"whoami \\ud800"}\r\n{"CommandLine":"whoami \\u0000"}\r\n\ufeff{"CommandLine":"raw \u0000 nul"}\r\n${event(0)}\r\n`;
      writeFileSync(join(dir, 'e.ndjson'), text);
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => `${summary(r.stderr)}; a raw NUL in a string is malformed (JSON.parse agrees)`,
    test: 'test/json/framing.test.ts "control characters in strings", test/json/extract.test.ts',
  },
  {
    input: 'odd numbers (1e400, -0, 30 digits, 1e-400) and duplicate keys',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), RULE('Big', '  sel:\n    Count|gt: 1000\n  condition: sel'));
      writeFileSync(join(dir, 'e.ndjson'), '{"Count":1e400}\n{"Count":-0}\n{"Count":123456789012345678901234567890}\n{"Count":1e-400}\n{"Count":5,"Count":5000}\n');
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => `${summary(r.stderr)}; as JSON.parse reads them (the last duplicate wins)`,
    test: 'test/conformance/cases/values.ts, test/differential/engines.test.ts',
  },
  {
    input: 'truncated and malformed records at every position (first, middle, last), every shape',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), WHOAMI);
      const head = lines(25000, event);
      const tail = lines(25000, (i) => event(i + 25000));
      writeFileSync(join(dir, 'e.ndjson'), `{"bad json\n${head}{"CommandLine": "whoami", "x": [1,\n${tail}{"CommandLine":"who`);
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => `${summary(r.stderr)}; each damaged record costs its own lines`,
    test: 'test/json/recovery.test.ts, test/cli/damaged-input.test.ts',
  },
  // ---- rules ----
  {
    input: 'catastrophic regex (a+)+$ on a 1 MB value',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), RULE('Redos', "  sel:\n    CommandLine|re: '(a+)+$'\n  condition: sel"));
      writeFileSync(join(dir, 'e.ndjson'), `{"CommandLine":"${'a'.repeat(1e6)}!"}\n`);
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => `${summary(r.stderr)}; linear-time regex engine`,
    test: 'test/regex/hostile.test.ts',
  },
  {
    input: 'catastrophic glob *a*a*a*a*a*a*a*b on a 1 MB value',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), RULE('Glob', "  sel:\n    CommandLine: '*a*a*a*a*a*a*a*b'\n  condition: sel"));
      writeFileSync(join(dir, 'e.ndjson'), `{"CommandLine":"${'a'.repeat(1e6)}"}\n`);
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => `${summary(r.stderr)}; globs match in linear time`,
    test: 'test/match/glob.test.ts',
  },
  {
    input: 'backreferences and lookaround in a regex',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), RULE('Backref', "  sel:\n    CommandLine|re: '(a)\\1'\n  look:\n    CommandLine|re: 'x(?=y)'\n  condition: sel or look"));
      return { args: ['validate', join(dir, 'r.yml')] };
    },
    outcome: (r) => `refused: ${firstError(r.stdout + r.stderr)}`,
    test: 'test/regex/cases.test.ts, test/conformance/cases/errors.ts',
  },
  {
    input: 'billion laughs (YAML aliases, 9^9 nodes)',
    build(dir) {
      const levels = 'abcdefghi'.split('');
      const anchors = levels.map((l, i) => `${l}: &${l} [${Array(9).fill(i === 0 ? '"lol"' : `*${levels[i - 1]}`).join(',')}]`).join('\n');
      writeFileSync(join(dir, 'r.yml'), `title: Laughs\nid: 00000000-0000-4000-8000-000000000bbb\nlogsource: {product: windows}\n${anchors}\ndetection:\n  sel:\n    CommandLine: *i\n  condition: sel\n`);
      return { args: ['validate', join(dir, 'r.yml')] };
    },
    outcome: (r) => `refused: ${firstError(r.stdout + r.stderr)}`,
    test: 'test/unit/yaml-tree.test.ts',
  },
  {
    input: 'a 100,000-value contains list (2.3 MB)',
    build(dir) {
      const values = Array.from({ length: 100000 }, (_, i) => `      - 'needle-${i}-x'`).join('\n');
      writeFileSync(join(dir, 'r.yml'), BLOCK_RULE('List', `  sel:\n    CommandLine|contains:\n${values}\n  condition: sel`));
      writeFileSync(join(dir, 'e.ndjson'), lines(10000, event));
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => summary(r.stderr),
    test: 'test/reliability/rule-memory.test.ts',
  },
  {
    input: 'a 100,000-value equals list (2.3 MB)',
    build(dir) {
      const values = Array.from({ length: 100000 }, (_, i) => `      - 'needle-${i}-x'`).join('\n');
      writeFileSync(join(dir, 'r.yml'), BLOCK_RULE('Equals list', `  sel:\n    CommandLine:\n${values}\n  condition: sel`));
      writeFileSync(join(dir, 'e.ndjson'), lines(10000, event));
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => summary(r.stderr),
    test: 'test/reliability/rule-memory.test.ts',
  },
  {
    input: 'a 100,000-value re list (3.1 MB)',
    build(dir) {
      const values = Array.from({ length: 100000 }, (_, i) => `      - '^needle-${i}-[a-f0-9]+x$'`).join('\n');
      writeFileSync(join(dir, 'r.yml'), BLOCK_RULE('Regex list', `  sel:\n    CommandLine|re:\n${values}\n  condition: sel`));
      writeFileSync(join(dir, 'e.ndjson'), lines(10000, event));
      return { args: ['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')] };
    },
    outcome: (r) => summary(r.stderr),
    test: 'test/reliability/rule-memory.test.ts',
  },
  {
    input: 'an 883,000-value list (16 MB, under the 16 MiB cap)',
    build(dir) {
      const values = Array.from({ length: 883000 }, (_, i) => `      - 'v${i}'`).join('\n');
      writeFileSync(join(dir, 'r.yml'), BLOCK_RULE('Huge list', `  sel:\n    CommandLine:\n${values}\n  condition: sel`));
      return { args: ['validate', join(dir, 'r.yml')] };
    },
    outcome: (r) => (r.code === 0 ? 'loads' : `exit ${r.code}: ${firstError(r.stdout + r.stderr)}`),
    test: 'test/reliability/rule-memory.test.ts',
  },
  {
    input: 'a condition of 10,000 distinct identifiers (explain)',
    build(dir) {
      const ids = Array.from({ length: 10000 }, (_, i) => `  s${i}:\n    CommandLine: 'v${i}'`).join('\n');
      const cond = Array.from({ length: 10000 }, (_, i) => `s${i}`).join(' or ');
      writeFileSync(join(dir, 'r.yml'), RULE('Wide condition', `${ids}\n  condition: ${cond}`));
      return { args: ['explain', join(dir, 'r.yml')] };
    },
    outcome: (r) => (r.code === 0 ? 'explained' : `exit ${r.code}`),
    test: 'test/reliability/explain-scaling.test.ts',
  },
  {
    input: 'a file of 1,000 rule documents (explain)',
    build(dir) {
      const docs = Array.from({ length: 1000 }, (_, i) => `title: Rule ${i}\nid: 00000000-0000-4000-8000-${String(i).padStart(12, '0')}\nlogsource: {product: windows}\ndetection:\n  sel:\n    CommandLine|contains: 'x${i}'\n  condition: sel\n`).join('---\n');
      writeFileSync(join(dir, 'r.yml'), docs);
      return { args: ['explain', join(dir, 'r.yml')] };
    },
    outcome: (r) => (r.code === 0 ? `explained ${(r.stdout.match(/^# /gm) ?? []).length || 1000} rules` : `exit ${r.code}`),
    test: 'test/reliability/explain-scaling.test.ts',
  },
  {
    input: 'YAML nested 100,000 levels deep',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), `title: Deep\nid: 00000000-0000-4000-8000-000000000ddd\nlogsource: {product: windows}\ndetection:\n  sel:\n    CommandLine: ${'['.repeat(100000)}${']'.repeat(100000)}\n  condition: sel\n`);
      return { args: ['validate', join(dir, 'r.yml')] };
    },
    outcome: (r) => `refused: ${firstError(r.stdout + r.stderr)}`,
    test: 'test/cli/located-errors.test.ts',
  },
  {
    input: 'a rule file that is not UTF-8',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), Buffer.concat([Buffer.from(RULE('Latin1', "  sel:\n    CommandLine: 'caf")), Buffer.from([0xe9]), Buffer.from("'\n  condition: sel")]));
      return { args: ['validate', join(dir, 'r.yml')] };
    },
    outcome: (r) => `refused: ${(r.stdout + r.stderr).split('\n')[0].replace(/^.*r\.yml/, 'r.yml').slice(0, 100)}`,
    test: 'test/cli/located-errors.test.ts',
  },
  {
    input: 'output into a closed pipe (| head -1)',
    build(dir) {
      writeFileSync(join(dir, 'r.yml'), WHOAMI);
      writeFileSync(join(dir, 'e.ndjson'), lines(200000, (i) => JSON.stringify({ CommandLine: `whoami ${i}` })));
      return { args: [], shell: `node ${MAIN} scan -r ${join(dir, 'r.yml')} ${join(dir, 'e.ndjson')} | head -1 > /dev/null; echo "exit \${PIPESTATUS[0]}" >&2` };
    },
    outcome: (r) => `${/exit (\d+)/.exec(r.stderr)?.[0] ?? '?'}, nothing printed after the pipe closed`,
    test: 'test/cli/closed-pipe.test.ts',
  },
];

function run(row: Row): { run: Run; outcome: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sigmatch-reliability-'));
  try {
    const preload = join(dir, 'peak.cjs');
    writeFileSync(preload, PRELOAD);
    const peakFile = join(dir, 'peak.txt');
    const spec = row.build(dir);
    const env = { ...process.env, SIGMATCH_PEAK_FILE: peakFile, NODE_OPTIONS: `--require ${preload}` };
    const started = performance.now();
    const r = spec.shell
      ? spawnSync('bash', ['-c', spec.shell], { env, encoding: 'utf8', maxBuffer: 1 << 30 })
      : spawnSync(process.execPath, ['--require', preload, MAIN, ...spec.args], {
          env,
          encoding: 'utf8',
          maxBuffer: 1 << 30,
          input: spec.stdin ? readFileSync(spec.stdin) : undefined,
        });
    const ms = performance.now() - started;
    let peakKiB = 0;
    try {
      peakKiB = Number(readFileSync(peakFile, 'utf8'));
    } catch {
      // the process died before its exit handler ran
    }
    const result: Run = { code: r.status, stdout: r.stdout, stderr: r.stderr, ms, peakMiB: peakKiB / 1024 };
    return { run: result, outcome: row.outcome(result, dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: { input: string; seconds: number; peakMiB: number; outcome: string; test: string }[] = [];
console.log('| hostile input | time | peak memory | outcome | test |');
console.log('| --- | ---: | ---: | --- | --- |');
for (const row of ROWS) {
  if (only && !row.input.includes(only)) continue;
  const { run: r, outcome } = run(row);
  const entry = { input: row.input, seconds: r.ms / 1000, peakMiB: r.peakMiB, outcome, test: row.test };
  results.push(entry);
  console.log(`| ${row.input} | ${entry.seconds.toFixed(2)} s | ${entry.peakMiB.toFixed(0)} MiB | ${outcome.replace(/\|/g, '\\|')} | ${row.test} |`);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
