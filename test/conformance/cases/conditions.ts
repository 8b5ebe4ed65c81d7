import type { ConformanceGroup } from '../types.js';
import { det, truthTable } from './_helpers.js';

// Selections a, b, c are true when fields A, B, C hold 'yes' (see truthTable). Each condition below is chosen so
// that a wrong precedence or associativity gives a different truth table.
const abc = `a:
  A: 'yes'
b:
  B: 'yes'
c:
  C: 'yes'`;

function abcRule(condition: string): string {
  return det`
    ${abc.split('\n').join('\n    ')}
    condition: ${condition}
  `;
}

const precedence: ConformanceGroup = {
  group: 'conditions/precedence',
  cases: [
    {
      name: 'and-binds-tighter-than-or',
      spec: 'SIGMA.md 1.5: or < and',
      rule: abcRule('a or b and c'),
      ...truthTable(['a', 'b', 'c'], (a, b, c) => a || (b && c)),
    },
    {
      name: 'and-then-or',
      spec: 'SIGMA.md 1.5: or < and',
      rule: abcRule('a and b or c'),
      ...truthTable(['a', 'b', 'c'], (a, b, c) => (a && b) || c),
    },
    {
      name: 'not-binds-tighter-than-and',
      spec: 'SIGMA.md 1.5: and < not',
      rule: abcRule('not a and b'),
      ...truthTable(['a', 'b', 'c'], (a, b) => !a && b),
    },
    {
      name: 'not-binds-tighter-than-or',
      spec: 'SIGMA.md 1.5: or < not',
      rule: abcRule('not a or b'),
      ...truthTable(['a', 'b', 'c'], (a, b) => !a || b),
    },
    {
      name: 'parentheses-override',
      spec: 'SIGMA.md 1.5: parentheses bind tightest',
      rule: abcRule('(a or b) and c'),
      ...truthTable(['a', 'b', 'c'], (a, b, c) => (a || b) && c),
    },
    {
      name: 'not-of-parenthesised-and',
      spec: 'SIGMA.md 1.5',
      rule: abcRule('not (a and b)'),
      ...truthTable(['a', 'b', 'c'], (a, b) => !(a && b)),
    },
    {
      name: 'double-not',
      spec: 'SIGMA.md 1.5: not_expr := "not" not_expr (right-assoc)',
      rule: abcRule('not not a'),
      ...truthTable(['a', 'b', 'c'], (a) => a),
    },
    {
      name: 'mixed-chain',
      spec: 'SIGMA.md 1.5',
      rule: abcRule('a and not b or not c and a'),
      ...truthTable(['a', 'b', 'c'], (a, b, c) => (a && !b) || (!c && a)),
    },
    {
      name: 'not-and-not-or',
      spec: 'SIGMA.md 1.5',
      rule: abcRule('not a and not b or c'),
      ...truthTable(['a', 'b', 'c'], (a, b, c) => (!a && !b) || c),
    },
    {
      name: 'or-inside-and-inside-or',
      spec: 'SIGMA.md 1.5',
      rule: abcRule('a or (b and not (c or a))'),
      ...truthTable(['a', 'b', 'c'], (a, b, c) => a || (b && !(c || a))),
    },
    {
      name: 'redundant-parentheses',
      spec: 'SIGMA.md 1.5: atom := "(" expr ")"',
      rule: abcRule('((a)) and ((b) or (c))'),
      ...truthTable(['a', 'b', 'c'], (a, b, c) => a && (b || c)),
    },
    {
      name: 'three-way-or-and-and',
      spec: 'SIGMA.md 1.5',
      rule: abcRule('a and b and c or a and not b and not c'),
      ...truthTable(['a', 'b', 'c'], (a, b, c) => (a && b && c) || (a && !b && !c)),
    },
    {
      name: 'extra-whitespace-and-line-breaks',
      spec: 'SIGMA.md 1.5 (tokens separated by any whitespace)',
      rule: det`
        ${abc.split('\n').join('\n        ')}
        condition: >-
          a   or
          b     and
          c
      `,
      ...truthTable(['a', 'b', 'c'], (a, b, c) => a || (b && c)),
    },
    {
      name: 'parentheses-without-inner-spaces',
      spec: 'SIGMA.md 1.5',
      rule: abcRule('(a or b) and not (c)'),
      ...truthTable(['a', 'b', 'c'], (a, b, c) => (a || b) && !c),
    },
  ],
};

// Selections for x-of tests: sel_a, sel_b, c (fields SEL_A, SEL_B, C).
const ofSels = `sel_a:
  SEL_A: 'yes'
sel_b:
  SEL_B: 'yes'
c:
  C: 'yes'`;

function ofRule(condition: string): string {
  return det`
    ${ofSels.split('\n').join('\n    ')}
    condition: ${condition}
  `;
}

const selectors: ConformanceGroup = {
  group: 'conditions/x-of',
  cases: [
    {
      name: 'one-of-pattern',
      spec: 'SIGMA.md 1.5: 1 of P means OR over matching names',
      rule: ofRule('1 of sel_*'),
      ...truthTable(['sel_a', 'sel_b', 'c'], (a, b) => a || b),
    },
    {
      name: 'any-of-pattern',
      spec: 'SIGMA.md 1.5: any means OR',
      rule: ofRule('any of sel_*'),
      ...truthTable(['sel_a', 'sel_b', 'c'], (a, b) => a || b),
    },
    {
      name: 'all-of-pattern',
      spec: 'SIGMA.md 1.5: all means AND',
      rule: ofRule('all of sel_*'),
      ...truthTable(['sel_a', 'sel_b', 'c'], (a, b) => a && b),
    },
    {
      name: 'x-of-binds-tighter-than-and',
      spec: 'SIGMA.md 1.5: and < x of',
      rule: ofRule('1 of sel_* and c'),
      ...truthTable(['sel_a', 'sel_b', 'c'], (a, b, c) => (a || b) && c),
    },
    {
      name: 'all-of-or',
      spec: 'SIGMA.md 1.5: or < x of',
      rule: ofRule('all of sel_* or c'),
      ...truthTable(['sel_a', 'sel_b', 'c'], (a, b, c) => (a && b) || c),
    },
    {
      name: 'not-one-of-and',
      spec: 'SIGMA.md 1.5: not < x of, and < not',
      rule: ofRule('not 1 of sel_* and c'),
      ...truthTable(['sel_a', 'sel_b', 'c'], (a, b, c) => !(a || b) && c),
    },
    {
      name: 'not-all-of',
      spec: 'SIGMA.md 1.5',
      rule: ofRule('not all of sel_*'),
      ...truthTable(['sel_a', 'sel_b', 'c'], (a, b) => !(a && b)),
    },
    {
      name: 'one-of-them',
      spec: 'SIGMA.md 1.5: them means every name not starting with _',
      rule: det`
        sel_a:
          SEL_A: 'yes'
        c:
          C: 'yes'
        _hidden:
          _HIDDEN: 'yes'
        condition: 1 of them
      `,
      ...truthTable(['sel_a', 'c', '_hidden'], (a, c) => a || c),
    },
    {
      name: 'all-of-them-ignores-underscore-names',
      spec: 'SIGMA.md 1.5: them excludes names starting with _',
      rule: det`
        sel_a:
          SEL_A: 'yes'
        c:
          C: 'yes'
        _hidden:
          _HIDDEN: 'yes'
        condition: all of them
      `,
      ...truthTable(['sel_a', 'c', '_hidden'], (a, c) => a && c),
    },
    {
      name: 'any-of-them',
      spec: 'SIGMA.md 1.5: any of them',
      rule: det`
        x:
          X: 'yes'
        y:
          Y: 'yes'
        condition: any of them
      `,
      ...truthTable(['x', 'y'], (x, y) => x || y),
    },
    {
      name: 'underscore-names-still-referenced-directly',
      spec: 'SIGMA.md 1.5: _ names are excluded from patterns/them only',
      rule: det`
        sel_a:
          SEL_A: 'yes'
        c:
          C: 'yes'
        _noise:
          _NOISE: 'yes'
        condition: all of them and not _noise
      `,
      ...truthTable(['sel_a', 'c', '_noise'], (a, c, n) => a && c && !n),
    },
    {
      name: 'pattern-starting-with-star-excludes-underscore-names',
      spec: 'SIGMA.md 1.5: names starting with _ are excluded unless P starts with _',
      rule: det`
        filter_a:
          FILTER_A: 'yes'
        _filter_b:
          _FILTER_B: 'yes'
        condition: 1 of *filter*
      `,
      ...truthTable(['filter_a', '_filter_b'], (a) => a),
    },
    {
      name: 'underscore-pattern-includes-underscore-names',
      spec: 'SIGMA.md 1.5: P starting with _ includes _ names',
      rule: det`
        _f_one:
          _F_ONE: 'yes'
        _f_two:
          _F_TWO: 'yes'
        f_three:
          F_THREE: 'yes'
        condition: 1 of _f*
      `,
      ...truthTable(['_f_one', '_f_two', 'f_three'], (a, b) => a || b),
    },
    {
      name: 'all-of-underscore-star',
      spec: 'SIGMA.md 1.5',
      rule: det`
        _x:
          _X: 'yes'
        _y:
          _Y: 'yes'
        z:
          Z: 'yes'
        condition: all of _*
      `,
      ...truthTable(['_x', '_y', 'z'], (x, y) => x && y),
    },
    {
      name: 'star-in-middle-of-pattern',
      spec: 'SIGMA.md 1.5: each * in P becomes .*, which must fully match a name',
      rule: det`
        sel_a_net:
          SEL_A_NET: 'yes'
        sel_b_net:
          SEL_B_NET: 'yes'
        sel_a_file:
          SEL_A_FILE: 'yes'
        condition: all of sel_*_net
      `,
      ...truthTable(['sel_a_net', 'sel_b_net', 'sel_a_file'], (a, b) => a && b),
    },
    {
      name: 'pattern-must-match-whole-name',
      spec: 'SIGMA.md 1.5: the pattern must fully match a detection name',
      rule: det`
        sel:
          SEL: 'yes'
        selection:
          SELECTION: 'yes'
        condition: 1 of sel
      `,
      ...truthTable(['sel', 'selection'], (s) => s),
    },
    {
      name: 'star-matches-empty-suffix',
      spec: 'SIGMA.md 1.5: .* may match the empty string',
      rule: det`
        filter:
          FILTER: 'yes'
        filter2:
          FILTER2: 'yes'
        other:
          OTHER: 'yes'
        condition: 1 of filter*
      `,
      ...truthTable(['filter', 'filter2', 'other'], (f, f2) => f || f2),
    },
    {
      name: 'lone-star-pattern',
      spec: 'SIGMA.md 1.5: PATTERN := [A-Za-z0-9_*]+ ; * matches every name not starting with _',
      rule: det`
        p:
          P: 'yes'
        q:
          Q: 'yes'
        _r:
          _R: 'yes'
        condition: all of *
      `,
      ...truthTable(['p', 'q', '_r'], (p, q) => p && q),
    },
    {
      name: 'star-prefix-pattern',
      spec: 'SIGMA.md 1.5',
      rule: det`
        parent_proc:
          PARENT_PROC: 'yes'
        child_proc:
          CHILD_PROC: 'yes'
        child_file:
          CHILD_FILE: 'yes'
        condition: 1 of *_proc and not child_file
      `,
      ...truthTable(['parent_proc', 'child_proc', 'child_file'], (p, c, f) => (p || c) && !f),
    },
    {
      name: 'opaque-identifier-with-dot',
      spec: 'SIGMA.md 1.2: identifiers are opaque strings (filter_main_mdadm.conf), referenced through 1 of filter_main_*',
      rule: det`
        selection:
          Image|endswith: '/cat'
        filter_main_mdadm.conf:
          CommandLine|contains: '/etc/mdadm.conf'
        filter_main_other:
          User: 'backup'
        condition: selection and not 1 of filter_main_*
      `,
      events: [
        { Image: '/usr/bin/cat', CommandLine: 'cat /etc/shadow', User: 'eve' },
        { Image: '/usr/bin/cat', CommandLine: 'cat /etc/mdadm.conf', User: 'eve' },
        { Image: '/usr/bin/cat', CommandLine: 'cat /etc/shadow', User: 'backup' },
        { Image: '/usr/bin/vi', CommandLine: 'vi /etc/shadow', User: 'eve' },
      ],
      matches: [0],
    },
    {
      name: 'opaque-identifier-with-pipe-is-not-a-modifier',
      spec: 'SIGMA.md 1.2: in select_tree_execution|endswith the |endswith is part of the identifier, not a modifier',
      rule: det`
        select_tree_execution|endswith:
          Image: 'tree.com'
        select_other:
          Image: 'x.exe'
        condition: 1 of select*
      `,
      events: [{ Image: 'tree.com' }, { Image: 'C:\\Windows\\System32\\tree.com' }, { Image: 'x.exe' }, { Image: 'TREE.COM' }],
      matches: [0, 2, 3],
    },
  ],
};

const identifiers: ConformanceGroup = {
  group: 'conditions/identifiers',
  cases: [
    {
      name: 'hyphen-in-identifier',
      spec: 'SIGMA.md 1.5: IDENT := [A-Za-z0-9_-]+',
      rule: det`
        sel-proc:
          SEL_PROC: 'yes'
        sel-filter:
          SEL_FILTER: 'yes'
        condition: sel-proc and not sel-filter
      `,
      ...truthTable(['sel_proc', 'sel_filter'], (p, f) => p && !f),
    },
    {
      name: 'digits-in-identifier',
      spec: 'SIGMA.md 1.5: IDENT',
      rule: det`
        sel1:
          SEL1: 'yes'
        sel2:
          SEL2: 'yes'
        condition: sel1 and sel2
      `,
      ...truthTable(['sel1', 'sel2'], (a, b) => a && b),
    },
    {
      name: 'identifiers-are-case-sensitive',
      spec: 'SIGMA.md 1.2: identifiers are opaque strings',
      rule: det`
        Sel:
          UPPER: 'yes'
        sel:
          LOWER: 'yes'
        condition: Sel and not sel
      `,
      events: [{ UPPER: 'yes', LOWER: 'no' }, { UPPER: 'yes', LOWER: 'yes' }, { UPPER: 'no', LOWER: 'no' }, { UPPER: 'no', LOWER: 'yes' }],
      matches: [0],
    },
    {
      name: 'identifiers-containing-operator-words',
      spec: 'SIGMA.md 1.5: operators are whole tokens (notepad, order, android are identifiers)',
      rule: det`
        notepad:
          NOTEPAD: 'yes'
        order:
          ORDER: 'yes'
        android:
          ANDROID: 'yes'
        condition: notepad and not order or android
      `,
      ...truthTable(['notepad', 'order', 'android'], (n, o, a) => (n && !o) || a),
    },
    {
      name: 'upper-case-identifiers',
      spec: 'SIGMA.md 1.5: operators are lower-case; identifiers may be upper-case',
      rule: det`
        SELECTION:
          SELECTION: 'yes'
        FILTER:
          FILTER: 'yes'
        condition: SELECTION and not FILTER
      `,
      ...truthTable(['selection', 'filter'], (s, f) => s && !f),
    },
    {
      name: 'unused-identifiers-are-ignored',
      spec: 'SIGMA.md 1.2 (definitions not referenced by the condition do not matter)',
      rule: det`
        selection:
          A: 'yes'
        unused:
          B: 'yes'
        condition: selection
      `,
      events: [{ A: 'yes' }, { B: 'yes' }, { A: 'yes', B: 'yes' }],
      matches: [0, 2],
    },
    {
      name: 'identifier-named-like-a-quantifier-word',
      spec: 'SIGMA.md 1.5: IDENT (any and them are only special after/before of)',
      rule: det`
        anything:
          ANYTHING: 'yes'
        themes:
          THEMES: 'yes'
        condition: anything or themes
      `,
      ...truthTable(['anything', 'themes'], (a, t) => a || t),
    },
  ],
};

const conditionLists: ConformanceGroup = {
  group: 'conditions/lists',
  cases: [
    {
      name: 'condition-list-is-or',
      spec: 'SIGMA.md 1.5: condition may be a list; its entries are ORed',
      rule: det`
        a:
          A: 'yes'
        b:
          B: 'yes'
        condition:
          - a
          - b
      `,
      ...truthTable(['a', 'b'], (a, b) => a || b),
    },
    {
      name: 'condition-list-of-expressions',
      spec: 'SIGMA.md 1.5: each entry is a full condition',
      rule: det`
        ${abc.split('\n').join('\n        ')}
        condition:
          - a and b
          - not a and c
      `,
      ...truthTable(['a', 'b', 'c'], (a, b, c) => (a && b) || (!a && c)),
    },
    {
      name: 'single-entry-condition-list',
      spec: 'SIGMA.md 1.5',
      rule: det`
        a:
          A: 'yes'
        b:
          B: 'yes'
        condition:
          - a and not b
      `,
      ...truthTable(['a', 'b'], (a, b) => a && !b),
    },
    {
      name: 'condition-list-with-x-of',
      spec: 'SIGMA.md 1.5',
      rule: det`
        ${ofSels.split('\n').join('\n        ')}
        condition:
          - all of sel_*
          - c and not 1 of sel_*
      `,
      ...truthTable(['sel_a', 'sel_b', 'c'], (a, b, c) => (a && b) || (c && !(a || b))),
    },
  ],
};

export const groups: ConformanceGroup[] = [precedence, selectors, identifiers, conditionLists];
