import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findRuleFiles, loadRuleFile, loadRules, readRuleBytes } from '../../src/rule/files.js';

let root: string;

function rule(title: string): string {
  return `title: ${title}\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image: x\n  condition: sel\n`;
}

/** Create files under root: path -> content (string or bytes). */
function tree(base: string, files: Record<string, string | Uint8Array>): string {
  const dir = join(root, base);
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const rel = (base: string) => (files: string[]) => files.map((f) => relative(base, f));

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sigmatch-files-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('findRuleFiles', () => {
  test('a recursive walk, sorted, .yml and .yaml only', () => {
    const dir = tree('walk', {
      'b.yml': rule('b'),
      'a.yaml': rule('a'),
      'c.YML': rule('c'),
      'notes.txt': 'x',
      'rule.yml.bak': 'x',
      'sub/z.yml': rule('z'),
      'sub/deeper/y.yml': rule('y'),
      'sub/a.yml': rule('sa'),
      'A.yml': rule('A'),
    });
    const { files, errors } = findRuleFiles([dir]);
    expect(errors).toEqual([]);
    expect(rel(dir)(files)).toEqual(['A.yml', 'a.yaml', 'b.yml', 'c.YML', 'sub/a.yml', 'sub/deeper/y.yml', 'sub/z.yml']);
  });
  test('a file path is taken as is, whatever its extension', () => {
    const dir = tree('single', { 'rule.txt': rule('t') });
    expect(findRuleFiles([join(dir, 'rule.txt')])).toEqual({ files: [join(dir, 'rule.txt')], errors: [] });
  });
  test('a missing path is FILE_READ naming it; other paths still load', () => {
    const dir = tree('some', { 'a.yml': rule('a') });
    const missing = join(root, 'does-not-exist');
    const { files, errors } = findRuleFiles([missing, dir]);
    expect(rel(dir)(files)).toEqual(['a.yml']);
    expect(errors.map((e) => [e.code, e.file])).toEqual([['FILE_READ', missing]]);
    expect(errors[0].message).toContain(missing);
  });
  test('an empty directory is FILE_READ', () => {
    const dir = tree('empty', {});
    const { files, errors } = findRuleFiles([dir]);
    expect(files).toEqual([]);
    expect(errors.map((e) => [e.code, e.file])).toEqual([['FILE_READ', dir]]);
  });
  test('a directory with no rule files is FILE_READ', () => {
    const dir = tree('norules', { 'readme.md': '#' });
    expect(findRuleFiles([dir]).errors.map((e) => e.code)).toEqual(['FILE_READ']);
  });
  test('a symlink loop is walked once', () => {
    const dir = tree('loop', { 'a.yml': rule('a'), 'sub/b.yml': rule('b') });
    symlinkSync(dir, join(dir, 'sub', 'back'));
    symlinkSync(join(dir, 'loop-self'), join(dir, 'loop-self')); // a link to itself: dangling
    const { files, errors } = findRuleFiles([dir]);
    expect(errors).toEqual([]);
    expect(rel(dir)(files)).toEqual(['a.yml', 'sub/b.yml']);
  });
  test('a symlinked directory outside the tree is followed', () => {
    const outside = tree('outside', { 'o.yml': rule('o') });
    const dir = tree('linking', { 'a.yml': rule('a') });
    symlinkSync(outside, join(dir, 'linked'));
    expect(rel(dir)(findRuleFiles([dir]).files)).toEqual(['a.yml', 'linked/o.yml']);
  });
  test('a file reached twice (repeated argument, nested argument, symlink) is listed once, without errors', () => {
    const dir = tree('twice', { 'a.yml': rule('a'), 'sub/b.yml': rule('b') });
    symlinkSync(join(dir, 'a.yml'), join(dir, 'z-link.yml'));
    const { files, errors } = findRuleFiles([dir, dir, join(dir, 'sub'), join(dir, 'a.yml'), `${dir}/./a.yml`]);
    expect(errors).toEqual([]);
    expect(rel(dir)(files)).toEqual(['a.yml', 'sub/b.yml']);
  });
  test('a nested directory given first, then its parent', () => {
    const dir = tree('nested', { 'a.yml': rule('a'), 'sub/b.yml': rule('b') });
    const { files, errors } = findRuleFiles([join(dir, 'sub'), dir]);
    expect(errors).toEqual([]);
    expect(rel(dir)(files)).toEqual(['sub/b.yml', 'a.yml']);
  });
});

describe('loadRuleFile', () => {
  test('reads a rule file with positions naming the file', () => {
    const dir = tree('load1', { 'r.yml': rule('R') + '---\ntitle: bad\nlogsource: {product: w}\ndetection: {sel: {A|x: 1}, condition: sel}\n' });
    const set = loadRuleFile(join(dir, 'r.yml'));
    expect(set.rules.map((r) => [r.title, r.source.file])).toEqual([['R', join(dir, 'r.yml')]]);
    expect(set.errors.map((e) => `${e.file}:${e.line}: ${e.code}`)).toEqual([`${join(dir, 'r.yml')}:11: UNKNOWN_MODIFIER`]);
  });
  test('a UTF-8 byte-order mark is skipped', () => {
    const dir = tree('bom', { 'r.yml': '\ufeff' + rule('BOM') });
    const set = loadRuleFile(join(dir, 'r.yml'));
    expect(set.errors).toEqual([]);
    expect(set.rules[0].title).toBe('BOM');
  });
  test('a non-UTF-8 file is FILE_READ at its first bad byte', () => {
    const latin1 = Buffer.from(rule('caf\xe9'), 'latin1');
    const dir = tree('latin1', { 'r.yml': latin1 });
    const set = loadRuleFile(join(dir, 'r.yml'));
    expect(set.rules).toEqual([]);
    expect(set.errors.map((e) => `${e.code}@${e.line}:${e.column}`)).toEqual(['FILE_READ@1:11']);
    expect(set.errors[0].message).toMatch(/not valid UTF-8: byte 0xE9 .* at line 1, column 11/);
    expect(set.files).toBe(1);
  });
  test('an unreadable path (a directory) is FILE_READ', () => {
    const dir = tree('adir', {});
    expect(loadRuleFile(dir).errors.map((e) => e.code)).toEqual(['FILE_READ']);
    expect(loadRuleFile(dir).errors[0].message).toBe('cannot read rule file: EISDIR: illegal operation on a directory, read');
  });
  test('files larger than the read buffer come back whole, and smaller ones after them too', () => {
    // The reader reuses one buffer (64 KiB), grows it for a larger file and shrinks it back afterwards.
    const values = Array.from({ length: 20_000 }, (_, i) => `      - value-${i}-\u00e9\n`).join('');
    const large = `title: Large\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image|endswith:\n${values}  condition: sel\n`;
    const dir = tree('large', { 'a.yml': large, 'b.yml': rule('Small'), 'c.yml': large.replace('Large', 'Again') });
    for (const [name, text] of [['a.yml', large], ['b.yml', rule('Small')], ['c.yml', large.replace('Large', 'Again')]]) {
      const read = readRuleBytes(join(dir, name));
      expect('bytes' in read && Buffer.from(read.bytes).equals(Buffer.from(text, 'utf8'))).toBe(true);
    }
    expect(Buffer.byteLength(large)).toBeGreaterThan(4 * 64 * 1024);
    expect(loadRuleFile(join(dir, 'c.yml')).rules[0].detections[0].root).toMatchObject({ kind: 'item', field: 'Image' });
  });
  test('non-ASCII UTF-8 content is fine', () => {
    const dir = tree('utf8', { 'r.yml': rule('Emoji 🙂 café') });
    expect(loadRuleFile(join(dir, 'r.yml')).rules[0].title).toBe('Emoji 🙂 café');
  });
});

describe('loadRules', () => {
  test('loads a tree; filters apply across files; errors from walking come first', () => {
    const dir = tree('set', {
      'a.yml': rule('A').replace('title: A\n', 'title: A\nname: a\n'),
      'b/b.yml': rule('B'),
      'b/bad.yml': 'title: [\n',
      'filters/f.yml': 'title: F\nlogsource: {product: windows}\nfilter:\n  rules: [a]\n  sel: {User: x}\n  condition: not sel\n',
    });
    const missing = join(root, 'nope');
    const set = loadRules([dir, missing]);
    expect(set.rules.map((r) => [r.title, r.appliedFilters])).toEqual([
      ['A', ['F']],
      ['B', []],
    ]);
    expect(set.errors.map((e) => e.code)).toEqual(['FILE_READ', 'YAML_SYNTAX']);
    expect(set.errors[1].file).toBe(join(dir, 'b', 'bad.yml'));
    expect(set.files).toBe(4);
  });
  test('a single path string', () => {
    const dir = tree('one', { 'a.yml': rule('A') });
    expect(loadRules(dir).rules).toHaveLength(1);
  });
});
