/**
 * One option grammar across the commands (issue 13): an unknown option names the command's closest option and
 * prints the command's usage with exit code 2; list options take repetition and commas alike, and a comma inside an
 * existing path does not split it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonLines, runCli, tempFiles } from '../support/cli.js';

const rule = (n: number, image: string): string => `title: Rule ${n}
id: 6c0e2f4a-1b3d-4e5f-8a7b-9c0d1e2f3a4${n}
status: test
level: high
tags:
  - attack.t100${n}
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\${image}'
  condition: selection
`;

function files(): string {
  return tempFiles({
    'one/r1.yml': rule(1, 'whoami.exe'),
    'two,with,commas/r2.yml': rule(2, 'net.exe'),
    'e.ndjson': '{"Image":"C:\\\\w\\\\whoami.exe"}\n{"Image":"C:\\\\w\\\\net.exe"}\n',
    'tests/t1/info.yml': 'rule_metadata:\n  - id: 6c0e2f4a-1b3d-4e5f-8a7b-9c0d1e2f3a41\n',
    'tests/t1/e.json': '{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\\\w\\\\whoami.exe"}\n',
  });
}

/** The error line and the command's usage, exit code 2. */
function expectUsageError(args: string[], line: string, usage: RegExp): void {
  const r = runCli(args);
  expect(r.code, r.stderr).toBe(2);
  const [first, second, third] = r.stderr.split('\n');
  expect(first).toBe(`sigmatch: ${line}`);
  expect(second).toBe('Usage:');
  expect(third).toMatch(usage);
  expect(r.stdout).toBe('');
}

describe('unknown options: a suggestion from the command\'s own options, the usage, exit 2', () => {
  test.each([
    [['scan', '--thread', '2', '-r', 'x', '-'], 'scan: unknown option --thread (did you mean --threads?)', /^  sigmatch scan --rules/],
    [['validate', '--formt', 'json', 'x'], 'validate: unknown option --formt (did you mean --format?)', /^  sigmatch validate /],
    [['compile', '--ouptut', 'x.sigc'], 'compile: unknown option --ouptut (did you mean --output?)', /^  sigmatch compile /],
    [['explain', '--ids', 'x', 'r.yml'], 'explain: unknown option --ids (did you mean --id?)', /^  sigmatch explain /],
    [['test', 'dir', '--rule', 'x'], 'test: unknown option --rule (did you mean --rules?)', /^  sigmatch test /],
    [['pipelines', 'show', 'sysmon', '--yml'], 'pipelines: unknown option --yml (did you mean --yaml?)', /^  sigmatch pipelines/],
    [['consume', '--straem', 'events'], 'consume: unknown option --straem (did you mean --stream?)', /^  sigmatch consume --stream/],
    [['scan', '--no-such-thing'], 'scan: unknown option --no-such-thing', /^  sigmatch scan/],
  ])('%j', (args, line, usage) => expectUsageError(args, line, usage));

  test('missing values, stray arguments and missing required options are usage errors too', () => {
    expectUsageError(['scan', '-r'], 'scan: -r needs a value', /^  sigmatch scan/);
    expectUsageError(['compile', 'rules/'], 'compile: unexpected argument "rules/"', /^  sigmatch compile/);
    expectUsageError(['compile', '-r', 'x'], 'compile: give the artifact to write with -o <file.sigc>', /^  sigmatch compile/);
    expectUsageError(['validate', '--format', 'yaml', 'x'], 'validate: --format takes text or json, got "yaml"', /^  sigmatch validate/);
    expectUsageError(['validate', '--format', 'jsno', 'x'], 'validate: --format takes text or json, got "jsno" (did you mean json?)', /^  sigmatch validate/);
  });

  test('an unknown command names the closest command', () => {
    const r = runCli(['valdate', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sigmatch: unknown command "valdate" \(did you mean validate\?\)/);
  });
});

describe('list options: repetition and commas alike', () => {
  test('scan --rules a,b (one directory holding commas), --tags a,b, -P sysmon,windows', () => {
    const dir = files();
    const rules = `${join(dir, 'one')},${join(dir, 'two,with,commas')}`;
    const both = runCli(['scan', '-q', '--rules', rules, join(dir, 'e.ndjson')]);
    expect(both.code, both.stderr).toBe(0);
    expect(jsonLines(both.stdout).map((h) => h.title)).toEqual(['Rule 1', 'Rule 2']);
    const repeated = runCli(['scan', '-q', '-r', join(dir, 'one'), '-r', join(dir, 'two,with,commas'), '--tags', 'attack.t1002,attack.t9999', join(dir, 'e.ndjson')]);
    expect(jsonLines(repeated.stdout).map((h) => h.title)).toEqual(['Rule 2']);
    const piped = runCli(['scan', '-q', '-r', rules, '-P', 'sysmon,windows', '--status', 'stable', '--status', 'test', join(dir, 'e.ndjson')]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toMatch(/pipelines sysmon, windows/);
  });

  test('compile and validate take comma lists of rules and pipelines', () => {
    const dir = files();
    const out = join(dir, 'r.sigc');
    const c = runCli(['compile', '-r', `${join(dir, 'one')},${join(dir, 'two,with,commas')}`, '-P', 'sysmon,windows', '-o', out]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toMatch(/compiled 2 rules/);
    expect(readFileSync(out).length).toBeGreaterThan(0);
    const v = runCli(['validate', '-P', 'sysmon,windows', join(dir, 'one'), join(dir, 'two,with,commas')]);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/2 files, 2 rules loaded, 0 errors/);
  });

  test('explain --corpus a,b and test --rules a,b, -P a,b', () => {
    const dir = files();
    const e = runCli(['explain', '--format', 'json', '--corpus', `${join(dir, 'one')},${join(dir, 'two,with,commas')}`, join(dir, 'one/r1.yml')]);
    expect(e.code, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout).metadata.title).toBe('Rule 1');
    const t = runCli(['test', join(dir, 'tests'), '--rules', `${join(dir, 'two,with,commas')},${join(dir, 'one')}`, '-P', 'sysmon,windows', '--format', 'json']);
    expect(t.code, t.stdout + t.stderr).toBe(0);
    expect(JSON.parse(t.stdout)).toMatchObject({ total: 1, passed: 1 });
  });

  test('pipelines show -P a,b applies both', () => {
    const r = runCli(['pipelines', 'show', 'sysmon', '-P', 'windows,ecs-windows']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/windows/);
    expect(r.stdout).toMatch(/ecs-windows/);
  });
});
