/** The shared option grammar of the CLI (src/cli/options.ts): lists, suggestions, usage errors. */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CommandLine, splitList, usageOf, UsageError } from '../../src/cli/options.js';
import { closest, editDistance } from '../../src/text/closest.js';
import { EXIT_USAGE } from '../../src/cli/common.js';
import { tempFiles } from '../support/cli.js';

const HELP = `demo: a command

Usage:
  sigmatch demo --rules <path> [options]

Options:
  -r, --rules <path>  rules
`;
const cli = new CommandLine('demo', HELP);
const OPTIONS = {
  rules: { type: 'string', short: 'r', multiple: true, list: 'paths' },
  tags: { type: 'string', multiple: true },
  placeholder: { type: 'string', short: 'p', multiple: true, list: 'assignments' },
  threads: { type: 'string', short: 't' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

function usageError(argv: string[]): UsageError {
  try {
    cli.parse({ args: argv, options: OPTIONS, allowPositionals: false });
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('option grammar', () => {
  test('edit distance and suggestions', () => {
    expect(editDistance('thread', 'threads')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('hihg', 'high')).toBe(1); // a transposition is one edit
    expect(closest('--thread', ['--threads', '--rules', '--tags'])).toBe('--threads');
    expect(closest('--formt', ['--format', '--fail-on'])).toBe('--format');
    expect(closest('--pipe', ['--pipeline', '--placeholder'])).toBe('--pipeline'); // the only one it begins
    expect(closest('--zzzzzz', ['--threads', '--rules'])).toBeNull();
    expect(closest('jsnl', ['json', 'jsonl', 'csv'])).toBe('jsonl');
  });

  test('lists: repetition and commas alike; an existing path with a comma is kept whole', () => {
    const dir = tempFiles({ 'a,b/r.yml': 'x' });
    const withComma = join(dir, 'a,b');
    const { values } = cli.parse({ args: ['-r', 'x,y', '--rules', withComma, '--tags', 'attack.t1059, attack.t1003', '--tags', 'cve'], options: OPTIONS, allowPositionals: false });
    expect(values.rules).toEqual(['x', 'y', withComma]);
    expect(values.tags).toEqual(['attack.t1059', 'attack.t1003', 'cve']);
    expect(splitList(`${withComma},${withComma}`, 'paths')).toEqual([withComma, withComma]);
    expect(splitList('a,,b,', 'paths')).toEqual(['a', 'b']);
  });

  test('NAME=VALUE lists: commas give several values of the name, \\, is a literal comma', () => {
    const { values } = cli.parse({ args: ['-p', 'admins=alice,bob', '-p', 'cmd=a\\,b', '-p', 'bad'], options: OPTIONS, allowPositionals: false });
    expect(values.placeholder).toEqual(['admins=alice', 'admins=bob', 'cmd=a,b', 'bad']);
  });

  test('unknown options, missing and unexpected values, stray arguments: one line, the usage, exit code 2', () => {
    const e = usageError(['--thread', '2']);
    expect(e.message).toBe('demo: unknown option --thread (did you mean --threads?)');
    expect(e.usage).toBe('Usage:\n  sigmatch demo --rules <path> [options]');
    expect(e.exitCode).toBe(EXIT_USAGE);
    expect(usageError(['--bogus']).message).toBe('demo: unknown option --bogus');
    expect(usageError(['-Q']).message).toBe('demo: unknown option -Q (did you mean -q?)');
    expect(usageError(['-x']).message).toBe('demo: unknown option -x');
    expect(usageError(['--toString']).message).toMatch(/^demo: unknown option --toString/);
    expect(usageError(['-r']).message).toBe('demo: -r needs a value');
    expect(usageError(['--rules', '--quiet']).message).toMatch(/^demo: --rules needs a value, got the option --quiet; .* --rules=--quiet/);
    expect(usageError(['--quiet=yes']).message).toBe('demo: --quiet takes no value');
    expect(usageError(['stray']).message).toBe('demo: unexpected argument "stray"');
    expect(() => cli.oneOf('--format', 'jsnl', ['jsonl', 'json'])).toThrow('demo: --format takes jsonl or json, got "jsnl" (did you mean jsonl?)');
    expect(cli.oneOf('--format', 'json', ['jsonl', 'json'])).toBe('json');
  });

  test('usageOf takes the Usage block up to its blank line', () => {
    expect(usageOf('x\n\nUsage:\n  a\n  b\n\nmore')).toBe('Usage:\n  a\n  b');
  });
});
