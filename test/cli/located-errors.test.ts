/**
 * Rule file errors that point at their cause, in `validate` and `scan`: a byte that is not UTF-8 is named by line
 * and column (not 1:1), and YAML nested too deeply is YAML_LIMIT in sigmatch's words at the first node past the limit
 * (not JavaScript's "Maximum call stack size exceeded", wherever the stack happened to run out). The other rules of
 * the run still load.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_YAML_LIMITS } from '../../src/rule/yaml-tree.js';
import { runCli, tempFiles } from '../support/cli.js';

const GOOD = 'title: good\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image|endswith: cmd.exe\n  condition: sel\n';
const EVENT = '{"Image":"C:\\\\w\\\\cmd.exe"}\n';

/** A rule whose line 6 holds a Latin-1 é (0xE9) at column 30: `    CommandLine|contains: caf\xe9`. */
function latin1Rule(): Buffer {
  return Buffer.concat([
    Buffer.from('title: latin1\nlogsource:\n  product: windows\ndetection:\n  sel:\n    CommandLine|contains: caf'),
    Buffer.from([0xe9]),
    Buffer.from('\n  condition: sel\n'),
  ]);
}

/** A rule whose `sel` value is `depth` flow lists inside each other, on line 6 from column 5. */
function deepFlowRule(depth: number): string {
  return `title: deep\nlogsource:\n  product: windows\ndetection:\n  sel:\n    ${'['.repeat(depth)}${']'.repeat(depth)}\n  condition: sel\n`;
}

/** A rule whose `sel` value is `depth` block mappings inside each other, one per line from line 6. */
function deepBlockRule(depth: number): string {
  const lines = ['title: deep block', 'logsource:', '  product: windows', 'detection:', '  sel:'];
  for (let i = 0; i < depth; i++) lines.push(`${' '.repeat(4 + i)}k${i}:`);
  lines.push(`${' '.repeat(4 + depth)}x: 1`, '  condition: sel');
  return `${lines.join('\n')}\n`;
}

function setup(files: Record<string, string | Buffer>): string {
  const dir = tempFiles({ 'rules/good.yml': GOOD, 'events.ndjson': EVENT });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'rules', name), content);
  return dir;
}

/** The depth of `sel`'s value: the root map is 0, `detection`'s map 1, `sel`'s value 2. */
const SEL_DEPTH = 2;
/** The first node past the limit in deepFlowRule is the list opened at this 1-based column of line 6. */
const FIRST_TOO_DEEP_COLUMN = 5 + (DEFAULT_YAML_LIMITS.maxDepth + 1 - SEL_DEPTH);

describe('located rule file errors', () => {
  test('a byte that is not UTF-8: validate names its line and column', () => {
    const dir = setup({ 'latin1.yml': latin1Rule() });
    const r = runCli(['validate', join(dir, 'rules')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(dir, 'rules/latin1.yml')}:6:30: FILE_READ: cannot read rule file: the file is not valid UTF-8: byte 0xE9`);
    const json = JSON.parse(runCli(['validate', '--format', 'json', join(dir, 'rules')]).stdout);
    expect(json.errors.map((e: { line: number; column: number; code: string }) => [e.code, e.line, e.column])).toEqual([['FILE_READ', 6, 30]]);
  });

  test('a byte that is not UTF-8: scan reports it the same way and scans with the other rules', () => {
    const dir = setup({ 'latin1.yml': latin1Rule() });
    const r = runCli(['scan', '-r', join(dir, 'rules'), join(dir, 'events.ndjson')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('latin1.yml:6:30: FILE_READ');
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).title)).toEqual(['good']);
  });

  test.each<[string, string, string]>([
    ['100,000 flow lists', deepFlowRule(100_000), `6:${FIRST_TOO_DEEP_COLUMN}`],
    ['just past the limit', deepFlowRule(DEFAULT_YAML_LIMITS.maxDepth), `6:${FIRST_TOO_DEEP_COLUMN}`],
    ['2,000 block mappings', deepBlockRule(2000), `${6 + DEFAULT_YAML_LIMITS.maxDepth - SEL_DEPTH + 1}:${4 + DEFAULT_YAML_LIMITS.maxDepth - SEL_DEPTH + 2}`],
  ])('nesting too deep (%s): YAML_LIMIT at the first node past the limit, in validate and scan', (_name, text, where) => {
    const dir = setup({ 'deep.yml': text });
    const file = join(dir, 'rules/deep.yml');
    const expected = `${file}:${where}: YAML_LIMIT: the document nests deeper than ${DEFAULT_YAML_LIMITS.maxDepth} levels`;
    const v = runCli(['validate', join(dir, 'rules')]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(expected);
    expect(v.stdout).not.toMatch(/call stack/i);
    const s = runCli(['scan', '-r', join(dir, 'rules'), join(dir, 'events.ndjson')]);
    expect(s.code).toBe(0);
    expect(s.stderr).toContain(expected);
    expect(s.stderr).not.toMatch(/call stack/i);
    expect(s.stdout.trim().split('\n').map((l) => JSON.parse(l).title)).toEqual(['good']);
  });
});
