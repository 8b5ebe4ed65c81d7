import type { ConformanceGroup } from '../types.js';
import { det, nest } from './_helpers.js';

const N = 100_000;
const longA = 'a'.repeat(N);
const longX = 'x'.repeat(N);

// 200-deep objects: {k: {k: ... {k: leaf}}}.
const DEPTH = 200;
const deepPath = Array.from({ length: DEPTH }, () => 'k').join('.');
const deepArrays = (() => {
  // {k: [{k: [ ... {k: 'bottom'} ... ]}]} with 100 object levels, each wrapped in a one-element array.
  let v: unknown = 'bottom';
  for (let i = 0; i < 100; i++) v = { k: i === 0 ? v : [v] };
  return v;
})();
const deepArraysPath = Array.from({ length: 100 }, () => 'k').join('.');

// A long literal list (Aho-Corasick-sized): 2000 tool names, flow style on one line.
const manyTools = Array.from({ length: 2000 }, (_, i) => `'tool${i}.exe'`).join(', ');

// An event with 1000 fields.
const wideEvent: Record<string, string> = {};
for (let i = 0; i < 1000; i++) wideEvent[`Field${i}`] = `value${i}`;

const longValues: ConformanceGroup = {
  group: 'hostile/long-values',
  cases: [
    {
      name: 'contains-at-end-of-100k-value',
      spec: 'SIGMA.md 1.6 contains (hostile-but-valid data)',
      rule: det`
        selection:
          CommandLine|contains: 'needle'
        condition: selection
      `,
      events: [{ CommandLine: longX + 'needle' }, { CommandLine: longX + 'needl' }, { CommandLine: 'needle' + longX }, { CommandLine: longX }],
      matches: [0, 2],
    },
    {
      name: 'startswith-and-endswith-on-100k-value',
      spec: 'SIGMA.md 1.6',
      rule: det`
        selection:
          CommandLine|startswith: 'begin'
          CommandLine|endswith: 'end'
        condition: selection
      `,
      events: [{ CommandLine: 'begin' + longX + 'end' }, { CommandLine: 'begin' + longX }, { CommandLine: longX + 'end' }],
      matches: [0],
    },
    {
      name: 'many-stars-no-match-on-long-value',
      spec: 'SIGMA.md 1.4 (a wildcard matcher must not backtrack exponentially)',
      rule: det`
        selection:
          Data: '*a*a*a*a*a*a*a*a*a*a*b'
        condition: selection
      `,
      events: [{ Data: longA }, { Data: longA + 'b' }, { Data: 'b' + longA }],
      matches: [1],
    },
    {
      name: 'question-marks-exact-length',
      spec: 'SIGMA.md 1.4 ?',
      rule: det`
        selection:
          Data: '${'?'.repeat(1000)}'
        condition: selection
      `,
      events: [{ Data: 'x'.repeat(1000) }, { Data: 'x'.repeat(999) }, { Data: 'x'.repeat(1001) }, { Data: '😀'.repeat(1000) }],
      matches: [0, 3],
    },
    {
      name: 'catastrophic-regex-nested-plus',
      spec: 'SIGMA.md 1.7 / ARCHITECTURE.md 6: linear-time regex; (a+)+$ gives the right answer on a long value',
      rule: det`
        selection:
          Data|re: '(a+)+$'
        condition: selection
      `,
      events: [{ Data: longA + '!' }, { Data: longA }, { Data: '!' + longA }],
      matches: [1, 2],
    },
    {
      name: 'catastrophic-regex-anchored-alternation',
      spec: 'ARCHITECTURE.md 6: linear-time regex',
      rule: det`
        selection:
          Data|re: '^(a|aa)+$'
        condition: selection
      `,
      events: [{ Data: longA + 'b' }, { Data: longA }],
      matches: [1],
    },
    {
      name: 'catastrophic-regex-overlapping-classes',
      spec: 'ARCHITECTURE.md 6: linear-time regex',
      rule: det`
        selection:
          Data|re: '^(x+x+)+y'
        condition: selection
      `,
      events: [{ Data: 'x'.repeat(5000) }, { Data: 'x'.repeat(5000) + 'y' }],
      matches: [1],
    },
    {
      name: 'catastrophic-regex-dot-star-repetition',
      spec: 'ARCHITECTURE.md 6: linear-time regex',
      rule: det`
        selection:
          Data|re: '(.*a){12}z'
        condition: selection
      `,
      events: [{ Data: 'a'.repeat(20000) }, { Data: 'a'.repeat(20000) + 'z' }],
      matches: [1],
    },
    {
      name: 'long-rule-value-exact',
      spec: 'SIGMA.md 1.4 exact match of a 10k-character value',
      rule: det`
        selection:
          Blob: '${'ab'.repeat(5000)}'
        condition: selection
      `,
      events: [{ Blob: 'AB'.repeat(5000) }, { Blob: 'ab'.repeat(5000) + 'a' }, { Blob: 'ab'.repeat(4999) }],
      matches: [0],
    },
    {
      name: 'base64offset-in-long-payload',
      spec: 'SIGMA.md 1.6 base64offset|contains on a long value',
      rule: det`
        selection:
          Payload|base64offset|contains: 'foobar'
        condition: selection
      `,
      events: [{ Payload: 'QUFB'.repeat(25000) + 'WFlmb29iYXIh' }, { Payload: 'QUFB'.repeat(25000) }],
      matches: [0],
    },
    {
      name: 'keyword-in-long-value',
      spec: 'SIGMA.md 1.9 keywords',
      rule: det`
        keywords:
          - 'marker'
        condition: keywords
      `,
      events: [{ a: longX, b: longX + 'MARKER' + longX }, { a: longX, b: longX }],
      matches: [0],
    },
    {
      name: 'windash-four-dashes-625-variants',
      spec: 'SIGMA.md 1.6 windash: 5^4 variants',
      rule: det`
        selection:
          CommandLine|contains|windash: ' -a -b -c -d'
        condition: selection
      `,
      events: [
        { CommandLine: longX + ' /a \u2014b \u2013c \u2015d' + longX },
        { CommandLine: longX + ' /a -b -c d' },
        { CommandLine: ' -a -b -c -d' },
      ],
      matches: [0, 2],
    },
  ],
};

const deep: ConformanceGroup = {
  group: 'hostile/deep-and-wide',
  cases: [
    {
      name: 'keyword-at-depth-200',
      spec: 'project decision: keywords search nested leaves at any depth',
      rule: det`
        keywords:
          - 'bottom-secret'
        condition: keywords
      `,
      events: [nest(DEPTH, 'k', 'the bottom-secret leaf'), nest(DEPTH, 'k', 'nothing here'), nest(DEPTH, 'k', ['x', 'BOTTOM-SECRET'])],
      matches: [0, 2],
    },
    {
      name: 'dotted-path-200-deep',
      spec: 'SIGMA.md decisions: dotted names as nested paths (200 components)',
      rule: det`
        selection:
          ${deepPath}: 'leaf'
        condition: selection
      `,
      events: [nest(DEPTH, 'k', 'leaf'), nest(DEPTH - 1, 'k', 'leaf'), nest(DEPTH, 'k', { k: 'leaf' }), nest(DEPTH, 'k', 'LEAF')],
      matches: [0, 3],
    },
    {
      name: 'arrays-at-every-level',
      spec: 'project decision: arrays along a nested path are traversed',
      rule: det`
        selection:
          ${deepArraysPath}: 'bottom'
        condition: selection
      `,
      events: [deepArrays, nest(100, 'k', 'top')],
      matches: [0],
    },
    {
      name: 'exists-at-depth-200',
      spec: 'SIGMA.md 1.6 exists on a nested path',
      rule: det`
        selection:
          ${deepPath}|exists: true
        condition: selection
      `,
      events: [nest(DEPTH, 'k', null), nest(DEPTH - 1, 'k', 'x')],
      matches: [0],
    },
    {
      name: 'two-thousand-literals-match-last',
      spec: 'SIGMA.md corpus: long literal lists (a multi-pattern prefilter must never miss)',
      rule: det`
        selection:
          Image|endswith: [${manyTools}]
        condition: selection
      `,
      events: [{ Image: 'C:\\x\\tool1999.exe' }, { Image: 'C:\\x\\tool0.exe' }, { Image: 'C:\\x\\tool2000.exe' }, { Image: 'C:\\x\\TOOL777.EXE' }, { Image: 'C:\\x\\tool.exe' }],
      matches: [0, 1, 3],
    },
    {
      name: 'thousand-field-event',
      spec: 'SIGMA.md decisions: field lookup',
      rule: det`
        selection:
          Field999: 'value999'
          Field0: 'value0'
        condition: selection
      `,
      events: [wideEvent, { ...wideEvent, Field999: 'other' }],
      matches: [0],
    },
    {
      name: 'many-selections-all-of',
      spec: 'SIGMA.md 1.5 all of with many names',
      rule: det`
        ${Array.from({ length: 50 }, (_, i) => `sel${i}:\n          F${i}: 'v'`).join('\n        ')}
        condition: all of sel*
      `,
      events: [
        Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`F${i}`, 'v'])),
        Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`F${i}`, 'v'])),
      ],
      matches: [0],
    },
    {
      name: 'deeply-nested-condition-parentheses',
      spec: 'SIGMA.md 1.5 grammar (nesting depth 100)',
      rule: det`
        a:
          A: 'yes'
        b:
          B: 'yes'
        condition: ${'('.repeat(100)}a and not b${')'.repeat(100)}
      `,
      events: [{ A: 'yes', B: 'no' }, { A: 'yes', B: 'yes' }, { A: 'no', B: 'no' }],
      matches: [0],
    },
  ],
};

const unicode: ConformanceGroup = {
  group: 'hostile/unicode',
  cases: [
    {
      name: 'question-mark-matches-one-emoji',
      spec: 'project decision: ? matches exactly one code point (an emoji is one)',
      rule: det`
        selection:
          Name: 'a?b'
        condition: selection
      `,
      events: [{ Name: 'a😀b' }, { Name: 'a😀😀b' }, { Name: 'a€b' }, { Name: 'ab' }],
      matches: [0, 2],
    },
    {
      name: 'zwj-sequence-is-several-code-points',
      spec: 'project decision: ? is one code point; a ZWJ family emoji is 5 code points',
      rule: det`
        one:
          Name: 'x?y'
        five:
          Name: 'x?????y'
        condition: one or five
      `,
      events: [{ Name: 'x👨\u200D👩\u200D👧y' }, { Name: 'x👨y' }, { Name: 'x👨\u200D👩y' }],
      matches: [0, 1],
    },
    {
      name: 'combining-mark-is-its-own-code-point',
      spec: 'project decision: ? is one code point; no normalisation',
      rule: det`
        selection:
          Name: 'caf?'
        condition: selection
      `,
      events: [{ Name: 'café' }, { Name: 'cafe\u0301' }, { Name: 'cafe' }],
      matches: [0, 2],
    },
    {
      name: 'right-to-left-override-filename',
      spec: 'SIGMA.md 1.7: format characters compared by code point',
      rule: det`
        selection:
          TargetFilename|endswith: '.exe'
          TargetFilename|contains: "\u202E"
        condition: selection
      `,
      events: [{ TargetFilename: 'invoice\u202Egpj.exe' }, { TargetFilename: 'invoice.exe' }, { TargetFilename: 'invoice\u202Eexe.jpg' }],
      matches: [0],
    },
    {
      name: 'hebrew-and-arabic-text',
      spec: 'SIGMA.md 1.7 non-ASCII',
      rule: det`
        selection:
          Message|contains:
            - 'שלום'
            - 'مرحبا'
        condition: selection
      `,
      events: [{ Message: 'x שלום y' }, { Message: 'مرحبا بالعالم' }, { Message: 'hello' }],
      matches: [0, 1],
    },
    {
      name: 'zero-width-space-is-not-ignored',
      spec: 'SIGMA.md 1.7: compare by code point',
      rule: det`
        selection:
          CommandLine|contains: 'powershell'
        condition: selection
      `,
      events: [{ CommandLine: 'power\u200Bshell -c x' }, { CommandLine: 'POWERSHELL -c x' }],
      matches: [1],
    },
    {
      name: 'emoji-wildcards-and-keywords',
      spec: 'SIGMA.md 1.7 (emoji in 30 corpus rules); 1.9',
      rule: det`
        field:
          CommandLine|contains: '🦠*💀'
        keywords:
          - '🔑'
        condition: field or keywords
      `,
      events: [{ CommandLine: 'a🦠b💀c' }, { CommandLine: 'a💀b🦠c' }, { other: { deep: 'key 🔑' } }, { other: 'key' }],
      matches: [0, 2],
    },
    {
      name: 'supplementary-characters-in-long-value',
      spec: 'SIGMA.md 1.7; long values',
      rule: det`
        selection:
          Data|endswith: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢'
        condition: selection
      `,
      events: [{ Data: '😀'.repeat(20000) + '𝔘𝔫𝔦𝔠𝔬𝔡𝔢' }, { Data: '😀'.repeat(20000) + '𝔘𝔫𝔦𝔠𝔬𝔡' }],
      matches: [0],
    },
  ],
};

export const groups: ConformanceGroup[] = [longValues, deep, unicode];
