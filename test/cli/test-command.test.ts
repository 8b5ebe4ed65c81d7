/** `sigmatch test`: SigmaHQ-style regression tests run with the WASM engine, on suites written here and on SigmaHQ's. */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli, tempFiles } from '../support/cli.js';
import { CORPUS_FOLDERS, corpusAvailable, REGRESSION_ROOT, SHARED } from '../support/corpus.js';

const RULE = `title: Whoami Privileges Listed
id: 3c7e5a1b-9d2f-4e8a-b6c4-1f0e2d3c4b5a
status: experimental
author: sigmatch tests
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
        CommandLine|contains|windash: '/priv'
    condition: selection
level: low
`;

const OTHER = `title: Unrelated Rule
id: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
logsource:
    product: windows
detection:
    selection:
        Image|endswith: '\\calc.exe'
    condition: selection
level: low
`;

/** An evtx_dump record (pretty-printed, as evtx_dump -o json writes them one after another). */
function evtx(image: string, commandLine: string, recordId: number): string {
  return JSON.stringify(
    {
      Event: {
        '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
        System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, EventID: 1, EventRecordID: recordId, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'WS-1' },
        EventData: { Image: image, CommandLine: commandLine },
      },
    },
    null,
    2,
  );
}

const info = (id: string, count?: number | string, form: 'regression' | 'top' = 'regression'): string =>
  `id: 00000000-0000-4000-8000-000000000001\nrule_metadata:\n    - id: ${id}\n      title: Whoami Privileges Listed\n` +
  (count === undefined ? '' : form === 'regression' ? `regression_tests_info:\n    - name: Positive Detection Test\n      type: evtx\n      match_count: ${count}\n` : `match_count: ${count}\n`);

const ID = '3c7e5a1b-9d2f-4e8a-b6c4-1f0e2d3c4b5a';

describe('sigmatch test', () => {
  test('a passing suite: exit 0, one PASS line per test with rule, expected and got, then the counts', () => {
    const dir = tempFiles({
      'rules/whoami.yml': RULE,
      'rules/other.yml': OTHER,
      'data/a/info.yml': info(ID, 2),
      'data/a/events.json': `${evtx('C:\\Windows\\System32\\whoami.exe', 'whoami /priv', 1)}\n${evtx('C:\\Windows\\System32\\whoami.exe', 'whoami -priv', 2)}\n${evtx('C:\\x\\cmd.exe', 'cmd', 3)}\n`,
      'data/b/info.yml': info(ID, 1, 'top'),
      'data/b/array.json': `[${evtx('C:\\Windows\\System32\\whoami.exe', 'whoami.exe /PRIV', 1)}]`,
      'data/c/info.yml': info(ID),
      'data/c/one.json': evtx('C:\\Windows\\System32\\whoami.exe', 'whoami /priv', 1),
      'data/c/two.json': evtx('C:\\Windows\\System32\\whoami.exe', 'whoami /priv', 2),
    });
    const r = runCli(['test', join(dir, 'data'), '--rules', join(dir, 'rules')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        `PASS  a  Whoami Privileges Listed (${ID})  expected >= 2, got 2`,
        `PASS  b  Whoami Privileges Listed (${ID})  expected >= 1, got 1`,
        `PASS  c  Whoami Privileges Listed (${ID})  expected >= 1, got 2`,
        '3 tests: 3 passed, 0 failed',
        '',
      ].join('\n'),
    );
    const json = runCli(['test', join(dir, 'data'), '--rules', join(dir, 'rules'), '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ total: 3, passed: 3, failed: 0 });
    expect(report.tests[0]).toMatchObject({ name: 'a', rule: { id: ID, title: 'Whoami Privileges Listed' }, expected: 2, got: 2, passed: true });
  });

  test('a failing suite: exit 1; too few matches, a missing rule, a broken rule and unusable tests each say why', () => {
    const dir = tempFiles({
      'rules/whoami.yml': RULE,
      'rules/broken.yml': RULE.replace(ID, '7b7b7b7b-1111-4222-8333-444444444444').replace("'/priv'", "'/priv'\n        Other|re: '(unclosed'"),
      'data/few/info.yml': info(ID, 3),
      'data/few/events.json': `${evtx('C:\\Windows\\System32\\whoami.exe', 'whoami /priv', 1)}\n{"Event": oops}\n`,
      'data/missing/info.yml': info('55555555-6666-4777-8888-999999999999'),
      'data/missing/e.json': evtx('a', 'b', 1),
      'data/broken/info.yml': info('7b7b7b7b-1111-4222-8333-444444444444'),
      'data/broken/e.json': evtx('a', 'b', 1),
      'data/noid/info.yml': 'id: x\nrule_metadata: []\n',
      'data/noid/e.json': evtx('a', 'b', 1),
      'data/noevents/info.yml': info(ID),
      'data/badcount/info.yml': info(ID, '"many"'),
      'data/badcount/e.json': evtx('a', 'b', 1),
      'data/badyaml/info.yml': 'rule_metadata: [\n',
    });
    const r = runCli(['test', join(dir, 'data'), '-r', join(dir, 'rules')]);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toContain(`FAIL  few  Whoami Privileges Listed (${ID})  expected >= 3, got 1`);
    expect(out).toMatch(/FAIL {2}missing .*\n {6}rule 55555555-6666-4777-8888-999999999999 is not under .*rules; add the folder that holds it to --rules/);
    expect(out).toMatch(/FAIL {2}broken .*\n {6}rule 7b7b7b7b-1111-4222-8333-444444444444 does not load: .*broken\.yml:\d+:\d+: INVALID_REGEX/);
    expect(out).toMatch(/FAIL {2}noid .*\n {6}.*noid\/info\.yml:2: no rule_metadata\[0\]\.id; name the rule under test/);
    expect(out).toMatch(/FAIL {2}noevents .*\n {6}.*noevents\/info\.yml:1: no \.evtx or \.json event files beside info\.yml \(the \.evtx log, or its evtx_dump -o json export\)/);
    expect(out).toMatch(/FAIL {2}badcount .*\n {6}.*badcount\/info\.yml:\d+: match_count must be a whole number, got "many"/);
    expect(out).toMatch(/FAIL {2}badyaml .*\n {6}.*badyaml\/info\.yml:\d+: not valid YAML/);
    expect(out).toMatch(/7 tests: 0 passed, 7 failed \(1 malformed event records, reported above\)\n$/);
    expect(r.stderr).toMatch(/few\/events\.json:\d+: /);
    expect(r.stderr).toMatch(/broken\.yml:\d+:\d+: INVALID_REGEX/);
    const quiet = runCli(['test', join(dir, 'data'), '-r', join(dir, 'rules'), '-q']);
    expect(quiet.stdout).not.toContain('PASS');
  });

  test('usage errors: exit 2 with what to do', () => {
    const dir = tempFiles({ 'rules/r.yml': RULE, 'empty/readme.txt': 'nothing' });
    expect(runCli(['test', join(dir, 'empty'), '--rules', join(dir, 'rules')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no info\.yml under .*empty; each test is a folder with an info\.yml and its \.evtx or \.json events/) });
    expect(runCli(['test', join(dir, 'nope'), '--rules', join(dir, 'rules')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no such directory: .*nope/) });
    expect(runCli(['test', join(dir, 'empty')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/give the rules with --rules <dir>/) });
    expect(runCli(['test', join(dir, 'empty'), '-r', join(dir, 'rules'), '--format', 'xml'])).toMatchObject({ code: 2 });
    const help = runCli(['test', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n {2}sigmatch test /);
  });

  test.runIf(corpusAvailable())('SigmaHQ regression_data against the corpus: every test passes (and with the Windows pipelines)', () => {
    const rules = CORPUS_FOLDERS.filter((f) => f !== 'deprecated').map((f) => join(SHARED, f)).join(',');
    const r = runCli(['test', REGRESSION_ROOT, '--rules', rules, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.total).toBe(96);
    expect(report.tests.filter((t: { passed: boolean }) => !t.passed)).toEqual([]);
    // By default the original .evtx files are read; --events json reads their evtx_dump twins.
    expect(report.tests.every((t: { files: string[] }) => t.files.length === 1 && t.files[0].endsWith('.evtx'))).toBe(true);
    const json = JSON.parse(runCli(['test', REGRESSION_ROOT, '--rules', rules, '--format', 'json', '--events', 'json']).stdout);
    expect(json.tests.every((t: { files: string[]; passed: boolean }) => t.passed && t.files.every((f) => f.endsWith('.json')))).toBe(true);
    expect(json.tests.map((t: { got: number }) => t.got)).toEqual(report.tests.map((t: { got: number }) => t.got));
    const routed = runCli(['test', REGRESSION_ROOT, '--rules', rules, '-P', 'sysmon', '-P', 'windows', '-q']);
    expect(routed.code, routed.stdout).toBe(0);
    expect(routed.stdout).toBe('96 tests: 96 passed, 0 failed\n');
  });
});
