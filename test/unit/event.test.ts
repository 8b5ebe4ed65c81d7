import { describe, expect, test } from 'vitest';
import { EventView, FieldValues, keywordLeaves, lookupField, stringForm } from '../../src/eval/event.js';

describe('stringForm', () => {
  test.each<[string, unknown, string | null]>([
    ['string', 'abc', 'abc'],
    ['empty string', '', ''],
    ['lone surrogate', 'a\ud800', 'a\ufffd'],
    ['integer', 4688, '4688'],
    ['negative zero', -0, '0'],
    ['float', 1.5, '1.5'],
    ['large', 1e21, '1e+21'],
    ['NaN', NaN, null],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['null', null, null],
    ['undefined', undefined, null],
    ['object', { a: 1 }, null],
    ['array', [1], null],
  ])('%s', (_name, value, expected) => {
    expect(stringForm(value)).toBe(expected);
  });
});

describe('lookupField', () => {
  // [name, event, field, present, values]
  const CASES: [string, unknown, string, boolean, unknown[]][] = [
    ['top-level key', { Image: 'a' }, 'Image', true, ['a']],
    ['absent', { Image: 'a' }, 'CommandLine', false, []],
    ['names are case-sensitive', { Image: 'a' }, 'image', false, []],
    ['null value is present', { F: null }, 'F', true, [null]],
    ['empty string is present', { F: '' }, 'F', true, ['']],
    ['empty array is present with no values', { F: [] }, 'F', true, []],
    ['array values are flattened', { F: ['a', ['b', ['c']]] }, 'F', true, ['a', 'b', 'c']],
    ['object value is present', { F: { x: 1 } }, 'F', true, [{ x: 1 }]],
    ['dotted literal key', { 'a.b': 1 }, 'a.b', true, [1]],
    ['dotted name as a nested path', { a: { b: 2 } }, 'a.b', true, [2]],
    ['literal key wins over the nested path', { 'a.b': 1, a: { b: 2 } }, 'a.b', true, [1]],
    ['literal key wins even when null', { 'a.b': null, a: { b: 2 } }, 'a.b', true, [null]],
    ['deep path', { a: { b: { c: 'x' } } }, 'a.b.c', true, ['x']],
    ['path through an array of objects', { a: [{ b: 1 }, { b: 2 }, { c: 3 }] }, 'a.b', true, [1, 2]],
    ['path through nested arrays', { a: [[{ b: 1 }], [{ b: [2, 3] }]] }, 'a.b', true, [1, 2, 3]],
    ['path ending in an array', { a: { b: ['x', 'y'] } }, 'a.b', true, ['x', 'y']],
    ['path missing midway', { a: { c: 1 } }, 'a.b', false, []],
    ['path through a scalar', { a: 'str' }, 'a.b', false, []],
    ['no partial literal prefix', { 'a.b': { c: 1 } }, 'a.b.c', false, []],
    ['inherited properties are not fields', {}, 'toString', false, []],
    ['__proto__ is a plain key', JSON.parse('{"__proto__": "x"}'), '__proto__', true, ['x']],
    ['not an object event', 'text', 'F', false, []],
    ['array event', [{ F: 1 }], 'F', false, []],
    ['null event', null, 'F', false, []],
  ];
  test.each(CASES)('%s', (_name, event, field, present, values) => {
    const found = lookupField(event, field);
    expect(found.present).toBe(present);
    expect(found.values).toEqual(values);
  });
  test('a hostile deeply nested array is flattened without recursion', () => {
    let v: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(lookupField({ F: v }, 'F').values).toEqual(['leaf']);
  });
});

describe('FieldValues', () => {
  test('strings and folded forms', () => {
    const f = new FieldValues(true, ['ABC', 5, true, null, { x: 1 }, 'Äb']);
    expect(f.strings).toEqual(['ABC', '5', 'true', null, null, 'Äb']);
    expect(f.folded).toEqual(['abc', '5', 'true', null, null, 'äb']);
    expect(f.strings).toBe(f.strings); // memoised
  });
});

describe('keywordLeaves', () => {
  test.each<[string, unknown, string[]]>([
    ['strings and numbers at every depth, in document order', { a: 'x', b: { c: 5, d: ['y', { e: 'z' }] } }, ['x', '5', 'y', 'z']],
    ['not keys', { secret_key: 'v' }, ['v']],
    ['not booleans or nulls', { a: true, b: null, c: false, d: 'd' }, ['d']],
    ['numbers in JavaScript form', { a: 1.5, b: -0, c: 1e21 }, ['1.5', '0', '1e+21']],
    ['lone surrogates replaced', { a: 'x\ud800' }, ['x\ufffd']],
    ['a top-level array', ['a', 1], ['a', '1']],
    ['a scalar event', 'text', ['text']],
    ['empty strings are leaves', { a: '' }, ['']],
  ])('%s', (_name, event, leaves) => {
    expect(keywordLeaves(event)).toEqual(leaves);
  });
  test('deep events do not overflow the stack', () => {
    let v: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) v = { n: v };
    expect(keywordLeaves(v)).toEqual(['leaf']);
  });
});

describe('EventView', () => {
  test('lookups are memoised', () => {
    const view = new EventView({ A: 1 });
    expect(view.field('A')).toBe(view.field('A'));
    expect(view.keywords()).toBe(view.keywords());
  });
  test('keywords read the keyword source when one is given', () => {
    const view = new EventView({ A: 'flat' }, ['flat', 'shadowed']);
    expect(view.field('A').values).toEqual(['flat']);
    expect(view.keywords().values).toEqual(['flat', 'shadowed']);
    expect(view.keywords().present).toBe(true);
  });
});
