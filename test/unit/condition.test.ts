import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { conditionToString, MAX_CONDITION_DEPTH, parseCondition, resolvePattern, type ConditionNode } from '../../src/rule/condition.js';
import { SigmaError } from '../../src/rule/errors.js';

const IDS = ['a', 'b', 'c', 'd', 'sel', 'sel_1', 'sel_2', 'filter_main_x', 'filter_main_mdadm.conf', 'select_tree_execution|endswith', '_hidden', 'x-y'];

const ref = (name: string): ConditionNode => ({ kind: 'ref', name });
const and = (...args: ConditionNode[]): ConditionNode => ({ kind: 'and', args });
const or = (...args: ConditionNode[]): ConditionNode => ({ kind: 'or', args });
const not = (arg: ConditionNode): ConditionNode => ({ kind: 'not', arg });
const of = (quantifier: 'any' | 'all', pattern: string, names: string[]): ConditionNode => ({ kind: 'of', quantifier, pattern, names });

function errorOf(text: string, ids: readonly string[] = IDS): SigmaError {
  try {
    parseCondition(text, ids);
  } catch (e) {
    if (e instanceof SigmaError) return e;
    throw e;
  }
  throw new Error(`"${text}" parsed`);
}

describe('grammar and precedence', () => {
  const CASES: [string, string, ConditionNode][] = [
    ['identifier', 'a', ref('a')],
    ['and', 'a and b', and(ref('a'), ref('b'))],
    ['or', 'a or b', or(ref('a'), ref('b'))],
    ['and chains flat', 'a and b and c', and(ref('a'), ref('b'), ref('c'))],
    ['and binds tighter than or', 'a or b and c', or(ref('a'), and(ref('b'), ref('c')))],
    ['and binds tighter than or (left)', 'a and b or c', or(and(ref('a'), ref('b')), ref('c'))],
    ['not binds tighter than and', 'not a and b', and(not(ref('a')), ref('b'))],
    ['not binds tighter than or', 'not a or b', or(not(ref('a')), ref('b'))],
    ['not not', 'not not a', not(not(ref('a')))],
    ['parentheses', '(a or b) and c', and(or(ref('a'), ref('b')), ref('c'))],
    ['not of parentheses', 'not (a and b)', not(and(ref('a'), ref('b')))],
    ['redundant parentheses', '((a))', ref('a')],
    ['x of binds tighter than not', 'not 1 of sel_*', not(of('any', 'sel_*', ['sel_1', 'sel_2']))],
    ['x of binds tighter than and', 'a and all of sel_*', and(ref('a'), of('all', 'sel_*', ['sel_1', 'sel_2']))],
    ['1 of', '1 of sel_*', of('any', 'sel_*', ['sel_1', 'sel_2'])],
    ['any of', 'any of sel_*', of('any', 'sel_*', ['sel_1', 'sel_2'])],
    ['all of', 'all of sel_*', of('all', 'sel_*', ['sel_1', 'sel_2'])],
    ['a pattern reaches every name it fully matches', '1 of sel*', of('any', 'sel*', ['sel', 'sel_1', 'sel_2', 'select_tree_execution|endswith'])],
    ['1 of them', '1 of them', of('any', 'them', IDS.filter((n) => !n.startsWith('_')))],
    ['all of them', 'all of them', of('all', 'them', IDS.filter((n) => !n.startsWith('_')))],
    ['pattern with leading underscore reaches _ names', '1 of _*', of('any', '_*', ['_hidden'])],
    ['an exact name as a pattern', 'all of sel', of('all', 'sel', ['sel'])],
    ['identifier with a dot', 'filter_main_mdadm.conf', ref('filter_main_mdadm.conf')],
    ['identifier with a dash', 'x-y', ref('x-y')],
    ['identifier starting with _ is referable', '_hidden', ref('_hidden')],
    ['pattern reaches a name with a dot', '1 of filter_main_*', of('any', 'filter_main_*', ['filter_main_x', 'filter_main_mdadm.conf'])],
    ['pattern reaches a name with |', '1 of select*', of('any', 'select*', ['select_tree_execution|endswith'])],
    ['whitespace of any kind', ' a\tand\n b ', and(ref('a'), ref('b'))],
    ['parentheses without spaces', '(a)and(b)', and(ref('a'), ref('b'))],
    ['not in front of a parenthesised not', 'not (not a)', not(not(ref('a')))],
  ];
  test.each(CASES)('%s: %s', (_name, text, ast) => {
    expect(parseCondition(text, IDS)).toEqual(ast);
  });
});

describe('errors', () => {
  // [name, condition, code, column in the message (1-based) or null]
  const CASES: [string, string, string, number | null][] = [
    ['empty', '', 'CONDITION_SYNTAX', 1],
    ['blank', '   ', 'CONDITION_SYNTAX', 1],
    ['upper-case AND', 'a AND b', 'CONDITION_SYNTAX', 3],
    ['upper-case NOT', 'NOT a', 'CONDITION_SYNTAX', 1],
    ['capitalised Or', 'a Or b', 'CONDITION_SYNTAX', 3],
    ['upper-case OF', 'all OF sel*', 'CONDITION_SYNTAX', 5],
    ['2 of', '2 of sel*', 'CONDITION_SYNTAX', 1],
    ['none of', 'none of sel*', 'CONDITION_SYNTAX', 1],
    ['of without a target', 'a and 1 of', 'CONDITION_SYNTAX', 11],
    ['of with parentheses', '1 of (a)', 'CONDITION_SYNTAX', 6],
    ['of an operator', 'all of and', 'CONDITION_SYNTAX', 8],
    ['trailing operator', 'a and', 'CONDITION_SYNTAX', 6],
    ['leading operator', 'and a', 'CONDITION_SYNTAX', 1],
    ['two identifiers', 'a b', 'CONDITION_SYNTAX', 3],
    ['unclosed parenthesis', '(a and b', 'CONDITION_SYNTAX', 9],
    ['unmatched )', 'a)', 'CONDITION_SYNTAX', 2],
    ['empty parentheses', '()', 'CONDITION_SYNTAX', 2],
    ['pattern without quantifier', 'sel*', 'CONDITION_SYNTAX', 1],
    ['them alone', 'them', 'CONDITION_SYNTAX', 1],
    ['bare of', 'of', 'CONDITION_SYNTAX', 1],
    ['unknown identifier', 'a and zzz', 'UNKNOWN_IDENTIFIER', 7],
    ['identifiers are case-sensitive', 'SEL', 'UNKNOWN_IDENTIFIER', 1],
    ['pattern matching nothing', '1 of nothing*', 'EMPTY_SELECTOR', 1],
    ['them with only _ names', '1 of them', 'EMPTY_SELECTOR', 1],
    ['count aggregation', 'sel | count() > 5', 'UNSUPPORTED_AGGREGATION', 5],
    ['near aggregation', 'a | near b', 'UNSUPPORTED_AGGREGATION', 3],
  ];
  test.each(CASES)('%s: %j', (name, text, code, column) => {
    const ids = name === 'them with only _ names' ? ['_a'] : IDS;
    const e = errorOf(text, ids);
    expect(e.code).toBe(code);
    if (column !== null) expect(e.message).toContain(`column ${column}`);
  });
  test('unknown identifier lists the defined ones', () => {
    expect(errorOf('zzz', ['a', 'b']).message).toMatch(/"zzz".*defined: a, b/);
  });
  test('empty selector names the pattern', () => {
    expect(errorOf('all of nope*').message).toContain('"all of nope*"');
  });
  test('the aggregation error points to correlations', () => {
    expect(errorOf('sel | count() by x > 5').message).toMatch(/correlation/);
  });
  test.each(['a AND b', 'NOT a', 'a Or b', 'all OF sel*', '(a) AnD b'])('%s: the error says operators are lower-case', (text) => {
    expect(errorOf(text).message).toMatch(/lower-case/);
  });
  test('errors carry no line: the document adds the condition position', () => {
    expect(errorOf('a AND b').line).toBeUndefined();
  });
});

describe('depth bound', () => {
  test('parentheses up to the bound parse', () => {
    const n = MAX_CONDITION_DEPTH;
    expect(parseCondition('('.repeat(n) + 'a' + ')'.repeat(n), IDS)).toEqual(ref('a'));
  });
  test('one more level is a syntax error, not a stack overflow', () => {
    const n = MAX_CONDITION_DEPTH + 1;
    const e = errorOf('('.repeat(n) + 'a' + ')'.repeat(n));
    expect(e.code).toBe('CONDITION_SYNTAX');
    expect(e.message).toMatch(/nests deeper/);
  });
  test('a hostile 100,000-deep condition is rejected quickly', () => {
    const n = 100_000;
    expect(errorOf('('.repeat(n) + 'a' + ')'.repeat(n)).code).toBe('CONDITION_SYNTAX');
    expect(errorOf('not '.repeat(n) + 'a').code).toBe('CONDITION_SYNTAX');
  });
  test('long flat chains are fine', () => {
    const node = parseCondition(Array(10_000).fill('a').join(' or '), IDS);
    expect(node.kind === 'or' && node.args.length).toBe(10_000);
  });
});

describe('resolvePattern', () => {
  const NAMES = ['sel', 'selection', 'sel_a', 'filter_1', 'filter.x', '_private', '_sel', 'a+b', 'a.b'];
  test.each<[string, string[]]>([
    ['them', ['sel', 'selection', 'sel_a', 'filter_1', 'filter.x', 'a+b', 'a.b']],
    ['sel*', ['sel', 'selection', 'sel_a']],
    ['sel', ['sel']],
    ['*', ['sel', 'selection', 'sel_a', 'filter_1', 'filter.x', 'a+b', 'a.b']],
    ['_*', ['_private', '_sel']],
    ['*sel*', ['sel', 'selection', 'sel_a']],
    ['filter*', ['filter_1', 'filter.x']],
    ['a+b', ['a+b']],
    ['a.b', ['a.b']],
    ['a*b', ['a+b', 'a.b']],
    ['nothing', []],
  ])('%s', (pattern, names) => {
    expect(resolvePattern(pattern, NAMES)).toEqual(names);
  });
});

// A small AST generator for the round-trip property; names are drawn from a fixed set.
const NAMES = ['a', 'b', 'c', 'sel_1', 'sel_2'];
const astArb: fc.Arbitrary<ConditionNode> = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NAMES).map(ref),
    fc.constantFrom<ConditionNode>(of('any', 'sel_*', ['sel_1', 'sel_2']), of('all', 'sel_*', ['sel_1', 'sel_2']), of('any', 'them', NAMES)),
    tie('node').map(not),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((args) => and(...args)),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((args) => or(...args)),
  ),
})).node;

function evaluate(node: ConditionNode, truth: Record<string, boolean>): boolean {
  switch (node.kind) {
    case 'ref':
      return truth[node.name];
    case 'not':
      return !evaluate(node.arg, truth);
    case 'and':
      return node.args.every((a) => evaluate(a, truth));
    case 'or':
      return node.args.some((a) => evaluate(a, truth));
    case 'of':
      return node.quantifier === 'all' ? node.names.every((n) => truth[n]) : node.names.some((n) => truth[n]);
  }
}

/** Nested and/or of the same kind flattened: the parser's normal form. */
function flatten(node: ConditionNode): ConditionNode {
  switch (node.kind) {
    case 'not':
      return not(flatten(node.arg));
    case 'and':
    case 'or':
      return { kind: node.kind, args: node.args.map(flatten).flatMap((a) => (a.kind === node.kind ? a.args : [a])) };
    default:
      return node;
  }
}

describe('conditionToString', () => {
  test.each<[string, ConditionNode, string]>([
    ['or inside and gets parentheses', and(or(ref('a'), ref('b')), ref('c')), '(a or b) and c'],
    ['and inside or does not', or(and(ref('a'), ref('b')), ref('c')), 'a and b or c'],
    ['not of and', not(and(ref('a'), ref('b'))), 'not (a and b)'],
    ['not not', not(not(ref('a'))), 'not not a'],
    ['any of is written 1 of', of('any', 'sel_*', ['sel_1']), '1 of sel_*'],
    ['all of', not(of('all', 'them', ['a'])), 'not all of them'],
  ])('%s', (_name, node, text) => {
    expect(conditionToString(node)).toBe(text);
  });
  test('property: the text re-parses to an equivalent AST', () => {
    fc.assert(
      fc.property(astArb, (ast) => {
        const text = conditionToString(ast);
        const reparsed = parseCondition(text, NAMES);
        expect(reparsed).toEqual(flatten(ast));
        for (let mask = 0; mask < 1 << NAMES.length; mask++) {
          const truth = Object.fromEntries(NAMES.map((n, i) => [n, (mask & (1 << i)) !== 0]));
          expect(evaluate(reparsed, truth)).toBe(evaluate(ast, truth));
        }
      }),
      { numRuns: 300 },
    );
  });
  test('property: printing is a fixed point after one parse', () => {
    fc.assert(
      fc.property(astArb, (ast) => {
        const once = conditionToString(ast);
        expect(conditionToString(parseCondition(once, NAMES))).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});
