/** End-to-end tests of `sigmatch scan` and `sigmatch validate`, bad input included. */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonLines, runCli, tempFiles } from '../support/cli.js';

const RULE = (title: string, body: string): string => `title: ${title}
id: 11111111-2222-4333-8444-${String(title.length).padStart(12, '0')}
level: high
logsource:
  product: windows
detection:
${body}
`;

const GOOD = RULE('Whoami Run', `  selection:
    Image|endswith: '\\whoami.exe'
  condition: selection`);
const BROKEN = RULE('Broken Regex', `  selection:
    CommandLine|re: '(unclosed'
  condition: selection`);

describe('sigmatch scan', () => {
  test('prints one JSON line per hit with event index, line, rule metadata, file and provenance', () => {
    const dir = tempFiles({ 'rules/a.yml': GOOD, 'events.ndjson': '{"Image":"C:\\\\x\\\\whoami.exe"}\n{"Image":"other"}\n\n{"Image":"C:\\\\WHOAMI.EXE"}\n' });
    const r = runCli(['scan', '--rules', join(dir, 'rules'), join(dir, 'events.ndjson')]);
    expect(r.code).toBe(0);
    const rule = { id: '11111111-2222-4333-8444-000000000010', title: 'Whoami Run', level: 'high' };
    expect(jsonLines(r.stdout)).toEqual([
      { event: 0, line: 1, ...rule, status: null, author: null, tags: [], file: join(dir, 'events.ndjson'), detections: ['selection'], fields: [{ field: 'Image', value: 'C:\\x\\whoami.exe' }] },
      { event: 2, line: 4, ...rule, status: null, author: null, tags: [], file: join(dir, 'events.ndjson'), detections: ['selection'], fields: [{ field: 'Image', value: 'C:\\WHOAMI.EXE' }] },
    ]);
    expect(r.stderr).toMatch(/3 events, 2 hits from 1 rules/);
  });

  test('malformed lines are reported with their line numbers, counted, and scanning goes on', () => {
    const dir = tempFiles({ 'r.yml': GOOD, 'e.ndjson': '{"Image":"a\\\\whoami.exe"}\n{"Image": oops}\n{"Image":"b\\\\whoami.exe"\n[1,2]\n{"Image":"c\\\\whoami.exe"}\n' });
    const r = runCli(['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')]);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map((h) => [h.event, h.line])).toEqual([[0, 1], [1, 5]]);
    expect(r.stderr).toMatch(/e\.ndjson:2: /);
    expect(r.stderr).toMatch(/e\.ndjson:3: /);
    expect(r.stderr).toMatch(/e\.ndjson:4: /);
    expect(r.stderr).toMatch(/2 events, 2 hits from 1 rules, 3 malformed records/);
  });

  test('reads evtx_dump output (objects one after another) and a JSON array', () => {
    const evtx = (image: string) => JSON.stringify({ Event: { System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational' }, EventData: { Image: image } } }, null, 2);
    const dir = tempFiles({ 'r.yml': GOOD, 'dump.json': `${evtx('C:\\w\\whoami.exe')}\n${evtx('x')}\n`, 'arr.json': `[${evtx('x')}, ${evtx('y\\whoami.exe')}]` });
    const a = runCli(['scan', '-r', join(dir, 'r.yml'), join(dir, 'dump.json')]);
    expect(jsonLines(a.stdout).map((h) => [h.event, h.line])).toEqual([[0, 1]]);
    const b = runCli(['scan', '-r', join(dir, 'r.yml'), join(dir, 'arr.json')]);
    expect(jsonLines(b.stdout).map((h) => h.event)).toEqual([1]);
  });

  test('reads stdin with -', () => {
    const dir = tempFiles({ 'r.yml': GOOD });
    const r = runCli(['scan', '-r', join(dir, 'r.yml'), '-'], { input: '{"Image":"whoami.exe"}\n{"Image":"\\\\whoami.exe"}\n' });
    expect(jsonLines(r.stdout).map((h) => h.event)).toEqual([1]);
  });

  test('an invalid rule among valid ones is reported with file:line:column and the rest still scans', () => {
    const dir = tempFiles({ 'rules/good.yml': GOOD, 'rules/bad.yml': BROKEN, 'e.ndjson': '{"Image":"\\\\whoami.exe"}\n' });
    const r = runCli(['scan', '-r', join(dir, 'rules'), join(dir, 'e.ndjson')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/bad\.yml:8:5: INVALID_REGEX: /);
    expect(jsonLines(r.stdout)).toHaveLength(1);
  });

  test('a missing events file, a missing rules path, a directory without rules and an unknown option are clear errors', () => {
    const dir = tempFiles({ 'r.yml': GOOD, 'empty/readme.txt': 'no rules here' });
    const missing = runCli(['scan', '-r', join(dir, 'r.yml'), join(dir, 'nope.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such events file: .*nope\.ndjson/);
    const noRules = runCli(['scan', '-r', join(dir, 'empty'), '-'], { input: '' });
    expect(noRules.code).toBe(2);
    expect(noRules.stderr).toMatch(/no \.yml or \.yaml rule files under .*empty/);
    const unknown = runCli(['scan', '--bogus', '-r', join(dir, 'r.yml'), '-']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option --bogus\n/);
    const help = runCli(['scan', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
  });
});

describe('sigmatch validate', () => {
  test('reports every error as text and exits 1', () => {
    const dir = tempFiles({ 'good.yml': GOOD, 'bad.yml': BROKEN, 'worse.yml': 'title: x\n  bad: [indent' });
    const r = runCli(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bad\.yml:8:5: INVALID_REGEX: /);
    expect(r.stdout).toMatch(/worse\.yml:\d+:\d+: YAML_SYNTAX: /);
    expect(r.stdout).toMatch(/3 files, 1 rules loaded, [2-9] errors/);
  });

  test('--format json gives files, rules and errors with file, line, column, code and message', () => {
    const dir = tempFiles({ 'good.yml': GOOD, 'bad.yml': BROKEN });
    const r = runCli(['validate', '--format', 'json', dir]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.files).toBe(2);
    expect(report.rules).toBe(1);
    expect(report.errors).toEqual([
      { file: join(dir, 'bad.yml'), line: 8, column: 5, code: 'INVALID_REGEX', level: 'error', message: expect.stringContaining('(unclosed') },
    ]);
  });

  test('correlation references are checked across the files given: unknown ones and cycles are errors', () => {
    const correlation = (name: string, refs: string): string => `title: ${name}\nname: ${name}\ncorrelation:\n  type: event_count\n  rules: [${refs}]\n  timespan: 5m\n  condition: {gte: 2}\n`;
    const dir = tempFiles({
      'rule.yml': `title: Base\nname: base\nlogsource: {product: windows}\ndetection:\n  sel: {EventID: 1}\n  condition: sel\n`,
      'ok.yml': correlation('ok', 'base'),
      'lost.yml': correlation('lost', 'nowhere'),
      'cycle.yml': `${correlation('ping', 'pong')}---\n${correlation('pong', 'ping')}`,
    });
    const r = runCli(['validate', '--format', 'json', dir]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.rules).toBe(2);
    expect(report.errors.map((e: { file: string; line: number; code: string }) => [e.file.replace(dir, ''), e.line, e.code]).sort()).toEqual([
      ['/cycle.yml', 1, 'CORRELATION_REFERENCE'],
      ['/cycle.yml', 8, 'CORRELATION_REFERENCE'],
      ['/lost.yml', 1, 'CORRELATION_REFERENCE'],
    ]);
    expect(runCli(['validate', join(dir, 'rule.yml'), join(dir, 'ok.yml')]).code).toBe(0);
  });

  test('exits 0 on valid rules', () => {
    const dir = tempFiles({ 'good.yml': GOOD });
    const r = runCli(['validate', '--format', 'json', dir]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ files: 1, rules: 1, errors: [], warnings: 1 });
    // A warning does not fail validation (--strict makes it).
    expect(report.lints.map((l: { code: string; level: string }) => [l.code, l.level])).toEqual([['MISSING_DESCRIPTION', 'warning']]);
  });
});

describe('pipelines on the command line', () => {
  const PROC = `title: Whoami From Sysmon
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\\whoami.exe'
  condition: selection
`;
  const events = [
    { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Image: 'C:\\w\\whoami.exe' },
    { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 11, Image: 'C:\\w\\whoami.exe', TargetFilename: 'x' },
    { Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\w\\whoami.exe' },
  ].map((e) => JSON.stringify(e)).join('\n');

  test('--pipeline routes rules to their log source and the summary counts routed rules', () => {
    const dir = tempFiles({ 'r.yml': PROC, 'e.ndjson': events });
    const plain = runCli(['scan', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')]);
    expect(jsonLines(plain.stdout).map((h) => h.event)).toEqual([0, 1]);
    const routed = runCli(['scan', '-r', join(dir, 'r.yml'), '-P', 'sysmon', '-P', 'windows', join(dir, 'e.ndjson')]);
    expect(routed.code).toBe(0);
    expect(jsonLines(routed.stdout).map((h) => h.event)).toEqual([0, 2]);
    expect(routed.stderr).toMatch(/pipelines sysmon, windows: 1 rules routed to their log source, 0 not recognised/);
    const reference = runCli(['scan', '-e', 'reference', '-r', join(dir, 'r.yml'), '-P', 'sysmon', '-P', 'windows', join(dir, 'e.ndjson')]);
    expect(jsonLines(reference.stdout)).toEqual(jsonLines(routed.stdout));
  });

  test('an unknown pipeline or a broken pipeline file is a usage error naming it', () => {
    const dir = tempFiles({ 'r.yml': PROC, 'bad.yml': 'name: bad\ntransformations:\n  - type: no_such_thing\n' });
    const unknown = runCli(['scan', '-r', join(dir, 'r.yml'), '-P', 'nope', '-'], { input: '' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/nope/);
    const broken = runCli(['validate', '-P', join(dir, 'bad.yml'), join(dir, 'r.yml')]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/bad\.yml:3:\d+: INVALID_PIPELINE: .*no_such_thing/);
  });

  test('sigmatch pipelines lists the built-ins', () => {
    const r = runCli(['pipelines']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sysmon /m);
    expect(r.stdout).toMatch(/^windows /m);
    expect(r.stdout).toMatch(/^ecs-windows /m);
  });
});
