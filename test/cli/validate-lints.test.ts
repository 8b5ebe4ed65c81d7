/** `sigmatch validate` with lints: levels, --strict, --ignore, the JSON report; scan still runs what lints flag. */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonLines, runCli, tempFiles } from '../support/cli.js';

const rule = (extra: string, detection = "  selection:\n    Image|endswith: '\\\\whoami.exe'\n  condition: selection\n"): string => `title: Whoami
id: 3d4c5b6a-7e8f-4a9b-8c0d-1e2f3a4b5c6d
description: Detects whoami.
${extra}logsource:
  product: windows
detection:
${detection}`;

describe('validate lints', () => {
  test('a clean rule: exit 0, no findings', () => {
    const dir = tempFiles({ 'r.yml': rule('status: test\nlevel: high\n') });
    const r = runCli(['validate', '--strict', join(dir, 'r.yml')]);
    expect(r.stdout).toBe('1 files, 1 rules loaded, 0 errors, 0 warnings\n');
    expect(r.code).toBe(0);
  });

  test('lint errors fail (exit 1) with file:line:column, level and code; scan still runs the rule', () => {
    const dir = tempFiles({ 'r.yml': rule('status: stabel\nlevel: hihg\n'), 'e.ndjson': '{"Image":"C:\\\\w\\\\whoami.exe"}\n' });
    const r = runCli(['validate', join(dir, 'r.yml')]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `${join(dir, 'r.yml')}:4:9: error: INVALID_STATUS: unknown status "stabel"; did you mean "stable"?`,
      `${join(dir, 'r.yml')}:5:8: error: INVALID_LEVEL: unknown level "hihg"; did you mean "high"?`,
      '1 files, 1 rules loaded, 2 errors, 0 warnings',
      '',
    ]);
    const scan = runCli(['scan', '-q', '-r', join(dir, 'r.yml'), join(dir, 'e.ndjson')]);
    expect(scan.code).toBe(0);
    expect(jsonLines(scan.stdout)).toHaveLength(1);
  });

  test('warnings pass unless --strict; --ignore drops codes (repeatable or comma-separated)', () => {
    const single = "  selection:\n    CommandLine|contains|all: 'whoami'\n  unused:\n    User: x\n  condition: selection\n";
    const dir = tempFiles({ 'r.yml': rule('status: test\nlevel: high\ndate: 2024/01/02\n', single), 'e.ndjson': '{"CommandLine":"whoami /all"}\n' });
    const file = join(dir, 'r.yml');
    const r = runCli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/:6:7: warning: LEGACY_DATE: /);
    expect(r.stdout).toMatch(/:11:5: warning: SINGLE_VALUE_ALL: /);
    expect(r.stdout).toMatch(/:12:3: warning: UNUSED_IDENTIFIER: search identifier "unused"/);
    expect(r.stdout).toMatch(/1 files, 1 rules loaded, 0 errors, 3 warnings\n$/);
    expect(runCli(['validate', '--strict', file]).code).toBe(1);
    const ignored = runCli(['validate', '--strict', '--ignore', 'legacy_date,SINGLE_VALUE_ALL', '--ignore', 'UNUSED_IDENTIFIER', file]);
    expect(ignored.stdout).toBe('1 files, 1 rules loaded, 0 errors, 0 warnings\n');
    expect(ignored.code).toBe(0);
    const unknown = runCli(['validate', '--ignore', 'NOPE', file]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^sigmatch: validate: --ignore: unknown lint code "NOPE"/);
    // The single-value |all still loads and matches in scan.
    const scan = runCli(['scan', '-q', '-r', file, join(dir, 'e.ndjson')]);
    expect(jsonLines(scan.stdout)).toHaveLength(1);
  });

  test('--format json: load errors and lints with their levels, the same id in two files', () => {
    const dir = tempFiles({
      'a.yml': rule('status: test\nlevel: high\n'),
      'b.yml': rule('status: test\nlevel: high\n').replace('title: Whoami', 'title: Whoami Again'),
      'broken.yml': rule('level: high\n', "  selection:\n    CommandLine|re: '(unclosed'\n  condition: selection\n").replace('3d4c5b6a', '4d4c5b6a').replace('title: Whoami', 'title: Whoami Broken'),
    });
    const r = runCli(['validate', '--format', 'json', dir]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ files: 3, rules: 2, warnings: 0 });
    expect(report.errors.map((e: { code: string; level: string }) => [e.code, e.level])).toEqual([['INVALID_REGEX', 'error']]);
    expect(report.lints).toEqual([
      {
        file: join(dir, 'b.yml'),
        line: 2,
        column: 5,
        code: 'DUPLICATE_ID',
        level: 'error',
        message: `id 3d4c5b6a-7e8f-4a9b-8c0d-1e2f3a4b5c6d is also the id of "Whoami" (${join(dir, 'a.yml')}:2); give each rule its own`,
        rule: { id: '3d4c5b6a-7e8f-4a9b-8c0d-1e2f3a4b5c6d', title: 'Whoami Again' },
      },
    ]);
  });
});
