import { describe, expect, test } from 'vitest';
import { parseDetection, splitFieldKey } from '../../src/rule/detection.js';
import { SigmaError } from '../../src/rule/errors.js';
import type { Detection, DetectionItem, DetectionNode } from '../../src/rule/model.js';
import type { ModifierOptions } from '../../src/rule/modifiers.js';
import { parseYaml } from '../../src/rule/yaml-tree.js';
import { dedent } from './_helpers.js';

/** Parse `name: <definition>` (YAML) as one search identifier. */
function parse(yaml: string, options: ModifierOptions = {}): { detection: Detection | null; errors: SigmaError[] } {
  const { documents, errors: yamlErrors } = parseYaml(dedent(yaml), 'd.yml');
  expect(yamlErrors).toEqual([]);
  const root = documents[0].root!;
  if (root.kind !== 'map') throw new Error('expected a map');
  const errors: SigmaError[] = [];
  const detection = parseDetection(root.entries[0].key, root.entries[0].value, options, errors);
  return { detection, errors };
}

function ok(yaml: string, options: ModifierOptions = {}): DetectionNode {
  const { detection, errors } = parse(yaml, options);
  expect(errors.map((e) => e.format())).toEqual([]);
  return detection!.root;
}

/** A compact shape of a detection tree: items as `field|mods=count`, groups as and(...) / or(...). */
function shape(node: DetectionNode): string {
  if (node.kind === 'item') {
    const key = [node.field ?? '<keyword>', ...node.modifiers].join('|');
    return `${key}=${node.values.length}${node.all ? '(all)' : ''}`;
  }
  return `${node.kind}(${node.children.map(shape).join(', ')})`;
}

function item(node: DetectionNode): DetectionItem {
  if (node.kind !== 'item') throw new Error('expected an item');
  return node;
}

describe('splitFieldKey', () => {
  test.each<[string, string | null, string[]]>([
    ['Image', 'Image', []],
    ['Image|endswith', 'Image', ['endswith']],
    ['CommandLine|contains|all|windash', 'CommandLine', ['contains', 'all', 'windash']],
    ['|all', null, ['all']],
    ['|contains', null, ['contains']],
    ['a.b.c|re', 'a.b.c', ['re']],
    ['', null, []],
  ])('%j', (key, field, modifiers) => {
    expect(splitFieldKey(key)).toEqual({ field, modifiers });
  });
});

describe('definition shapes (SIGMA.md 1.2)', () => {
  const CASES: [string, string, string][] = [
    ['a map with one entry is the item itself', 'sel:\n  Image: x', 'Image=1'],
    ['a map: entries AND-ed', 'sel:\n  A: x\n  B: y', 'and(A=1, B=1)'],
    ['a value list is one item with several values', 'sel:\n  A: [x, y, z]', 'A=3'],
    ['a list of maps: OR-ed', 'sel:\n  - A: x\n  - B: y', 'or(A=1, B=1)'],
    ['a list of maps with several entries', 'sel:\n  - A: x\n    B: y\n  - C: z', 'or(and(A=1, B=1), C=1)'],
    ['a list of scalars is one keyword item', 'kw:\n  - evil\n  - bad', '<keyword>=2'],
    ['a single scalar is a keyword', 'kw: evil', '<keyword>=1'],
    ['a number keyword', 'kw: 4688', '<keyword>=1'],
    ['a keyword entry with all', "kw:\n  '|all': [a, b]", '<keyword>|all=2(all)'],
    ['a keyword entry with contains', "kw:\n  '|contains': a", '<keyword>|contains=1'],
    ['nested lists are recursed into', 'sel:\n  - - A: x\n    - B: y\n  - C: z', 'or(or(A=1, B=1), C=1)'],
    ['nested value lists are flattened', 'sel:\n  A: [x, [y, z]]', 'A=3'],
    ['a list mixing maps and keywords', 'sel:\n  - A: x\n  - evil', 'or(A=1, <keyword>=1)'],
    ['a list of one map is that map', 'sel:\n  - A: x', 'A=1'],
    ['an empty value list is null', 'sel:\n  A: []', 'A=1'],
    ['all with contains', 'sel:\n  A|contains|all: [x, y]', 'A|contains|all=2(all)'],
  ];
  test.each(CASES)('%s', (_name, yaml, expected) => {
    expect(shape(ok(yaml))).toBe(expected);
  });
  test('an empty value list means null (pySigma)', () => {
    expect(item(ok('sel:\n  A: []')).values).toEqual([{ type: 'null' }]);
  });
  test('a boolean keyword in a list is its text', () => {
    const v = item(ok('kw:\n  - true')).values[0];
    expect(v.type === 'string' && v.value.toSigma()).toBe('*true*');
  });
  test('keywords are substrings; field values are whole-value', () => {
    const kw = item(ok('kw: evil')).values[0];
    const field = item(ok('sel:\n  A: evil')).values[0];
    expect(kw.type === 'string' && kw.value.toSigma()).toBe('*evil*');
    expect(field.type === 'string' && field.value.toSigma()).toBe('evil');
  });
  test('the detection keeps its name and position', () => {
    const { detection } = parse('\n\nsel_x:\n  A: x');
    expect(detection).toMatchObject({ name: 'sel_x', loc: { file: 'd.yml', line: 3, column: 3 } });
  });
  test('items keep the position of their key', () => {
    const root = ok('sel:\n  A: x\n  B|contains: y');
    expect(root.kind === 'and' && root.children.map((c) => `${c.loc.line}:${c.loc.column}`)).toEqual(['2:3', '3:3']);
  });
  test('an identifier name with | and dots is opaque', () => {
    const { detection } = parse("'select_tree_execution|endswith':\n  A: x");
    expect(detection?.name).toBe('select_tree_execution|endswith');
    expect(shape(detection!.root)).toBe('A=1');
  });
  test('placeholders are resolved from the options', () => {
    expect(item(ok('sel:\n  A|expand: "%p%"', { placeholders: { p: ['x', 'y'] } })).values[0].type).toBe('expansion');
  });
});

describe('errors, each with its position', () => {
  // [name, YAML, code@line:column for each error]
  const CASES: [string, string, string[]][] = [
    ['a map as a field value', 'sel:\n  A:\n    b: 1', ['INVALID_DETECTION@3:5']],
    ['a map inside a value list', 'sel:\n  A: [x, {b: 1}]', ['INVALID_DETECTION@2:10']],
    ['an empty map', 'sel: {}', ['INVALID_DETECTION@1:6']],
    ['an empty list', 'sel: []', ['INVALID_DETECTION@1:6']],
    ['a null keyword in a list', 'kw:\n  - a\n  - null', ['INVALID_DETECTION@3:5']],
    ['a null keyword in a mixed list', 'kw:\n  - A: x\n  - ~', ['INVALID_DETECTION@3:5']],
    ['an unknown modifier: at the key', 'sel:\n  A: x\n  B|foo: y', ['UNKNOWN_MODIFIER@3:3']],
    ['a modifier error', 'sel:\n  A|contains: 5', ['INVALID_VALUE@2:3']],
    ['an invalid regex', "sel:\n  A|re: '('", ['INVALID_REGEX@2:3']],
    ['an invalid cidr', 'sel:\n  A|cidr: 300.0.0.0/8', ['INVALID_CIDR@2:3']],
    ['an unresolved placeholder', "sel:\n  A|expand: '%p%'", ['UNRESOLVED_PLACEHOLDER@2:3']],
    ['every bad item is reported', 'sel:\n  A|foo: x\n  B|contains: 5', ['UNKNOWN_MODIFIER@2:3', 'INVALID_VALUE@3:3']],
    ['errors inside a list of maps', 'sel:\n  - A: x\n  - B|re: "["', ['INVALID_REGEX@3:5']],
  ];
  test.each(CASES)('%s', (_name, yaml, expected) => {
    const { detection, errors } = parse(yaml);
    expect(detection).toBeNull();
    expect(errors.map((e) => `${e.code}@${e.line}:${e.column}`)).toEqual(expected);
    expect(errors.every((e) => e.file === 'd.yml')).toBe(true);
  });
  test('the unknown modifier error names the field and the modifier', () => {
    const { errors } = parse('sel:\n  CommandLine|containz: x');
    expect(errors[0].message).toMatch(/"containz".*field "CommandLine"/);
  });
});
