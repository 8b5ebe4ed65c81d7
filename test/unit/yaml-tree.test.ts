import { describe, expect, test } from 'vitest';
import { DEFAULT_YAML_LIMITS, deepMerge, mapGet, parseYaml, toPlain, type YNode } from '../../src/rule/yaml-tree.js';

function only(text: string): YNode {
  const { documents, errors } = parseYaml(text, 'f.yml');
  expect(errors.map((e) => e.format())).toEqual([]);
  expect(documents).toHaveLength(1);
  return documents[0].root!;
}

function scalarAt(root: YNode, ...path: string[]): YNode & { kind: 'scalar' } {
  let node: YNode | undefined = root;
  for (const key of path) node = mapGet(node, key)?.value;
  if (node?.kind !== 'scalar') throw new Error(`no scalar at ${path.join('.')}`);
  return node;
}

/** Alias bomb: `levels` levels of ten aliases each. */
function aliasBomb(levels: number): string {
  const lines = ['l0: &l0 ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(',')}]`);
  return lines.join('\n') + '\n';
}

describe('scalars', () => {
  // [name, YAML value text, decoded value]
  const CASES: [string, string, unknown][] = [
    ['plain string', 'abc', 'abc'],
    ['integer', '4688', 4688],
    ['negative integer', '-5', -5],
    ['leading-zero integer stays text', '00000429', '00000429'],
    ['leading-zero with sign stays text', '-0012', '-0012'],
    ['zero is a number', '0', 0],
    ['true', 'true', true],
    ['False (YAML 1.2 core)', 'False', false],
    ['yes is a string (no YAML 1.1 booleans)', 'yes', 'yes'],
    ['off is a string', 'off', 'off'],
    ['null', 'null', null],
    ['tilde', '~', null],
    ['empty value', '', null],
    ['single-quoted keeps backslashes', String.raw`'C:\Windows'`, String.raw`C:\Windows`],
    ['double-quoted decodes escapes', String.raw`"C:\\Windows"`, String.raw`C:\Windows`],
    ['quoted number is a string', "'4688'", '4688'],
    ['quoted leading zero is a string', "'0012'", '0012'],
    ['a date stays text (no timestamps)', '2024-01-31', '2024-01-31'],
    ['sexagesimal stays text', '1:20', '1:20'],
    ['float', '1.5', 1.5],
  ];
  test.each(CASES)('%s', (_name, valueText, expected) => {
    expect(scalarAt(only(`v: ${valueText}\n`), 'v').value).toEqual(expected);
  });
  test('a number keeps its source text', () => {
    expect(scalarAt(only('v: 12345678901234567890\n'), 'v').source).toBe('12345678901234567890');
  });
  test('leading-zero integers keep the source too', () => {
    expect(scalarAt(only('v: 00000429\n'), 'v')).toMatchObject({ value: '00000429', source: '00000429' });
  });
});

describe('structure and positions', () => {
  const text = 'title: t\ndetection:\n  sel:\n    - a\n    - b\n  condition: sel\n';
  test('maps keep key order; sequences keep items', () => {
    const root = only(text);
    expect(root.kind === 'map' && root.entries.map((e) => e.key)).toEqual(['title', 'detection']);
    const sel = mapGet(mapGet(root, 'detection')!.value, 'sel')!.value;
    expect(sel.kind === 'seq' && sel.items.map((i) => (i.kind === 'scalar' ? i.value : null))).toEqual(['a', 'b']);
  });
  test('1-based line and column of keys and values', () => {
    const root = only(text);
    const det = mapGet(root, 'detection')!;
    expect(det.keyLoc).toEqual({ file: 'f.yml', line: 2, column: 1 });
    const cond = mapGet(det.value, 'condition')!;
    expect(cond.keyLoc).toMatchObject({ line: 6, column: 3 });
    expect(cond.value.loc).toMatchObject({ line: 6, column: 14 });
    const sel = mapGet(det.value, 'sel')!.value;
    expect(sel.kind === 'seq' && sel.items[1].loc).toMatchObject({ line: 5, column: 7 });
  });
  test('a key without a value is a null scalar at the key', () => {
    const e = mapGet(only('a:\nb: 1\n'), 'a')!;
    expect(e.value).toMatchObject({ kind: 'scalar', value: null, loc: { line: 1 } });
  });
  test('keys are text: numbers and null become strings', () => {
    const root = only('1: a\n~: b\n');
    expect(root.kind === 'map' && root.entries.map((e) => e.key)).toEqual(['1', '']);
  });
  test('keys with | and dots are kept as written', () => {
    const root = only("'select_tree_execution|endswith': x\nfilter_main_mdadm.conf: y\n");
    expect(root.kind === 'map' && root.entries.map((e) => e.key)).toEqual(['select_tree_execution|endswith', 'filter_main_mdadm.conf']);
  });
  test('aliases are expanded', () => {
    expect(toPlain(only('a: &x [1, 2]\nb: *x\n'))).toEqual({ a: [1, 2], b: [1, 2] });
  });
  test('an alias names the latest anchor of that name before it', () => {
    expect(toPlain(only('a: &x 1\nb: *x\nc: &x 2\nd: *x\n'))).toEqual({ a: 1, b: 1, c: 2, d: 2 });
  });
  test('file is absent for texts', () => {
    const { documents } = parseYaml('a: 1\n', undefined);
    expect(documents[0].loc.file).toBeUndefined();
  });
});

describe('documents', () => {
  test('several documents, each with its index and start line (the --- line)', () => {
    const { documents, errors } = parseYaml('a: 1\n---\nb: 2\n---\nc: 3\n', 'f.yml');
    expect(errors).toEqual([]);
    expect(documents.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(documents.map((d) => d.loc.line)).toEqual([1, 2, 4]);
    expect(documents.map((d) => toPlain(d.root!))).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });
  test.each<[string, string, boolean[]]>([
    ['trailing ---', 'a: 1\n---\n', [false, true]],
    ['leading empty document', '---\n# comment\n---\na: 1\n', [true, false]],
    ['explicit null document', '~\n', [true]],
  ])('an empty document has a null root: %s', (_name, text, isNull) => {
    const { documents, errors } = parseYaml(text, 'f.yml');
    expect(errors).toEqual([]);
    expect(documents.map((d) => d.root === null)).toEqual(isNull);
  });
  test('an empty text has no documents', () => {
    expect(parseYaml('', 'f.yml')).toEqual({ documents: [], errors: [] });
  });
  test('a broken document does not hide the others', () => {
    const { documents, errors } = parseYaml('a: 1\n---\nb: [\n---\nc: 3\n', 'f.yml');
    expect(errors.map((e) => e.code)).toContain('YAML_SYNTAX');
    expect(documents.map((d) => toPlain(d.root!))).toEqual([{ a: 1 }, { c: 3 }]);
  });
});

describe('errors', () => {
  test.each<[string, string, string]>([
    ['duplicate key', 'a: 1\na: 2\n', 'YAML_SYNTAX@2:1'],
    ['unclosed flow sequence', 'a: [1, 2\n', 'YAML_SYNTAX@'],
    ['bad indentation', 'a: 1\n  b: 2\n', 'YAML_SYNTAX@'],
    ['tab indentation', 'a:\n\tb: 1\n', 'YAML_SYNTAX@'],
    ['unresolved alias', 'a: *nope\n', 'YAML_SYNTAX@1:4'],
    ['collection as a key', '? [a]\n: 1\n', 'YAML_SYNTAX@'],
  ])('%s', (_name, text, expected) => {
    const { errors } = parseYaml(text, 'f.yml');
    expect(errors.length).toBeGreaterThan(0);
    expect(`${errors[0].code}@${errors[0].line}:${errors[0].column}`.startsWith(expected)).toBe(true);
    expect(errors[0].file).toBe('f.yml');
  });
});

describe('limits', () => {
  test('the defaults', () => {
    expect(DEFAULT_YAML_LIMITS).toEqual({ maxBytes: 16 * 1024 * 1024, maxNodes: 1_000_000, maxDepth: 64 });
  });
  test('a file over the size limit is YAML_LIMIT at 1:1, before parsing', () => {
    const { documents, errors } = parseYaml('a: ' + 'x'.repeat(DEFAULT_YAML_LIMITS.maxBytes), 'big.yml');
    expect(documents).toEqual([]);
    expect(errors.map((e) => `${e.code}@${e.file}:${e.line}:${e.column}`)).toEqual(['YAML_LIMIT@big.yml:1:1']);
  });
  test('the size limit counts UTF-8 bytes, not characters', () => {
    const limits = { ...DEFAULT_YAML_LIMITS, maxBytes: 12 };
    expect(parseYaml('a: 12345678\n', 'f.yml', limits).errors).toEqual([]); // 12 bytes
    expect(parseYaml('a: 1234567é\n', 'f.yml', limits).errors.map((e) => e.code)).toEqual(['YAML_LIMIT']); // 11 characters, 13 bytes
    expect(parseYaml('a: 12345🙂\n', 'f.yml', limits).errors.map((e) => e.code)).toEqual(['YAML_LIMIT']); // 10 units, 13 bytes
    expect(parseYaml('a: 1234🙂\n', 'f.yml', limits).errors).toEqual([]); // 12 bytes
  });
  test('a custom size limit', () => {
    expect(parseYaml('a: 12345\n', 'f.yml', { ...DEFAULT_YAML_LIMITS, maxBytes: 5 }).errors[0].code).toBe('YAML_LIMIT');
  });
  test('an alias bomb is YAML_LIMIT (default limits), quickly', () => {
    const start = performance.now();
    const { documents, errors } = parseYaml(aliasBomb(9), 'bomb.yml');
    expect(documents).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['YAML_LIMIT']);
    expect(errors[0].message).toMatch(/alias bomb/);
    expect(performance.now() - start).toBeLessThan(5000);
  });
  test('the node limit counts expanded aliases', () => {
    const limits = { ...DEFAULT_YAML_LIMITS, maxNodes: 1000 };
    expect(parseYaml(aliasBomb(2), 'f.yml', limits).errors).toEqual([]); // about 130 nodes
    expect(parseYaml(aliasBomb(3), 'f.yml', limits).errors.map((e) => e.code)).toEqual(['YAML_LIMIT']); // over 1,100
  });
  test('many aliases to one anchor stay linear (no re-walk of the document per alias)', () => {
    const text = 'a: &a x\nb: [' + Array(10_000).fill('*a').join(',') + ']\n';
    const start = performance.now();
    const { documents, errors } = parseYaml(text, 'f.yml');
    expect(errors).toEqual([]);
    const b = mapGet(documents[0].root, 'b')!.value;
    expect(b.kind === 'seq' && b.items.length).toBe(10_000);
    expect(performance.now() - start).toBeLessThan(3000);
  });
  test('a self-referencing alias is bounded by the depth limit', () => {
    expect(parseYaml('a: &a [*a]\n', 'f.yml').errors.map((e) => e.code)).toEqual(['YAML_LIMIT']);
  });
  test('nesting deeper than maxDepth is YAML_LIMIT', () => {
    const depth = DEFAULT_YAML_LIMITS.maxDepth + 1;
    const { errors } = parseYaml('a: ' + '['.repeat(depth) + ']'.repeat(depth) + '\n', 'f.yml');
    expect(errors.map((e) => e.code)).toEqual(['YAML_LIMIT']);
    expect(errors[0].message).toMatch(/nests deeper/);
  });
  test('nesting at maxDepth is fine', () => {
    const depth = DEFAULT_YAML_LIMITS.maxDepth - 1;
    expect(parseYaml('a: ' + '['.repeat(depth) + ']'.repeat(depth) + '\n', 'f.yml').errors).toEqual([]);
  });
  test('100,000-deep flow nesting is YAML_LIMIT, not a crash', () => {
    const n = 100_000;
    const { documents, errors } = parseYaml('[' .repeat(n) + ']'.repeat(n), 'deep.yml');
    expect(documents).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === 'YAML_LIMIT' && e.file === 'deep.yml')).toBe(true);
  });
  test('20,000-deep flow maps likewise', () => {
    const n = 20_000;
    const { errors } = parseYaml('{a: '.repeat(n) + '1' + '}'.repeat(n), 'deep.yml');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === 'YAML_LIMIT')).toBe(true);
  });
});

describe('toPlain, mapGet, deepMerge', () => {
  test('toPlain gives plain data', () => {
    expect(toPlain(only('a: [1, {b: null}]\nc: x\n'))).toEqual({ a: [1, { b: null }], c: 'x' });
  });
  test('mapGet finds a key, or nothing for other nodes', () => {
    const root = only('a: 1\n');
    expect(mapGet(root, 'a')?.key).toBe('a');
    expect(mapGet(root, 'b')).toBeUndefined();
    expect(mapGet(null, 'a')).toBeUndefined();
    expect(mapGet(mapGet(root, 'a')!.value, 'a')).toBeUndefined();
  });
  test.each<[string, string, string, unknown]>([
    ['disjoint keys are united', 'a: 1', 'b: 2', { a: 1, b: 2 }],
    ['the document wins for scalars', 'a: 1', 'a: 2', { a: 2 }],
    ['maps merge recursively', 'm: {x: 1, y: 1}', 'm: {y: 2, z: 2}', { m: { x: 1, y: 2, z: 2 } }],
    ['lists are replaced, not appended', 'l: [1, 2]', 'l: [3]', { l: [3] }],
    ['a scalar replaces a map', 'm: {x: 1}', 'm: 5', { m: 5 }],
    ['a map replaces a scalar', 'm: 5', 'm: {x: 1}', { m: { x: 1 } }],
    ['deep levels', 'a: {b: {c: 1, d: 1}}', 'a: {b: {d: 2}}', { a: { b: { c: 1, d: 2 } } }],
  ])('deepMerge: %s', (_name, base, override, expected) => {
    expect(toPlain(deepMerge(only(base + '\n'), only(override + '\n')))).toEqual(expected);
  });
  test('deepMerge does not modify its inputs', () => {
    const base = only('m: {x: 1}\n');
    const before = toPlain(base);
    deepMerge(base, only('m: {x: 2, y: 3}\n'));
    expect(toPlain(base)).toEqual(before);
  });
  test('deepMerge keeps the base key order, new keys after', () => {
    const merged = deepMerge(only('a: 1\nb: 1\n'), only('c: 1\na: 2\n'));
    expect(merged.kind === 'map' && merged.entries.map((e) => e.key)).toEqual(['a', 'b', 'c']);
  });
});
