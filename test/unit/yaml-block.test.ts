/**
 * The lean block-style reader (src/rule/yaml-block.ts) against the yaml package: whatever it reads, it reads exactly
 * as the package does (the same tree, positions included, and the package finds no error in it); whatever it does not
 * take, it leaves to the package. Checked on every SigmaHQ rule file and on generated YAML in and around the subset.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readBlockYaml } from '../../src/rule/yaml-block.js';
import { DEFAULT_YAML_LIMITS, parseYamlWithPackage } from '../../src/rule/yaml-tree.js';
import { CORPUS_PATHS, corpusAvailable } from '../support/corpus.js';
import { BUILTIN_PIPELINES } from '../../src/pipeline/builtins.js';

/** Read by the block reader: then it must equal the package's reading, with no package error. */
function expectSameReading(text: string): boolean {
  const block = readBlockYaml(text, 'f.yml', DEFAULT_YAML_LIMITS);
  if (block === null) return false;
  const pkg = parseYamlWithPackage(text, 'f.yml', DEFAULT_YAML_LIMITS);
  expect(pkg.errors.map((e) => e.format())).toEqual([]);
  expect(block).toEqual(pkg.documents);
  return true;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('the built-in pipelines', () => {
  // A cached scan parses them to rebuild the logic of the rules that fired: the block reader keeps the yaml
  // package's slower parser out of that start-up.
  test.each(BUILTIN_PIPELINES.map((b) => [b.name, b.text]))('%s is read by the block reader, as the yaml package reads it', (_name, text) => {
    expect(expectSameReading(text)).toBe(true);
  });
});

describe.skipIf(!corpusAvailable())('the SigmaHQ corpus', () => {
  test('every file the block reader takes reads as the yaml package reads it, and it takes nearly all', () => {
    const files = CORPUS_PATHS.flatMap((p) => yamlFiles(p));
    let read = 0;
    for (const file of files) {
      let text = readFileSync(file, 'utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (expectSameReading(text)) read++;
    }
    expect(files.length).toBeGreaterThan(3000);
    // Quoted keys, multi-line flow lists and scalars go to the package: a few dozen files of thousands.
    expect(read / files.length).toBeGreaterThan(0.98);
  });
});

describe('taken and left', () => {
  test.each<[string, string]>([
    ['a rule', 'title: t\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image|endswith:\n      - a.exe\n      - "b\\tc"\n  condition: sel\n'],
    ['comments, blank lines, empty values', '# head\n\na: 1 # c\nb:\nc:   # x\n  - \n  -\n  - x  # y\n'],
    ['CRLF', 'a: 1\r\nb:\r\n  - x\r\n  - y\r\n'],
    ['a sequence at its key\'s indentation', 'a:\n- x\n- y\nb: 2\n'],
    ['compact maps in a sequence', '- a: 1\n  b: 2\n-   c: 3\n    d:\n      - e\n'],
    ['block scalars', 'd: |\n  one\n   two\n\n  three\ne: >-\n  folded\n  text\n\n  para\nf: |2\n    indented\n'],
    ['documents', '---\na: 1\n---\n# only a comment\n---\nb: 2\n...'.replace('...', '') + '---\n'],
    ['typed scalars', 'a: 007\nb: 0x1F\nc: 1e3\nd: .inf\ne: null\nf: ~\ng: True\nh: -1\ni: +2\nj: .5\nk: 0o17\n'],
    ['keys that type', '1: a\ntrue: b\nnull: c\n2.5: d\n'],
    ['quotes', "a: 'it''s'\nb: \"\\u00e9\\x41\\\\\"\nc: 'a: b # c'\n"],
    ['wildcards and paths', "a: C:\\Windows\\*.exe\nb: '*\\\\x?'\nc: a#b\nd: x:y\n"],
    ['a flow sequence', 'a: [1, 2]\n'],
    ['a flow mapping', 'a: {b: 1}\n'],
    ['flow collections of every scalar, nested and empty', "a: [ x y , 'it''s', \"\\u00e9\", -1, ~, true, 0x1F, -x, ?y, C:\\w\\*.exe ]  # c\nb: {product: windows, 2: [a, {c: d}], e: []}\nc:\n  - [a]\n  - {}\n"],
    ['a long flow sequence (packed)', `a: [${Array.from({ length: 40 }, (_, i) => `v${i}`).join(', ')}]\n`],
  ])('taken: %s', (_name, text) => {
    expect(expectSameReading(text)).toBe(true);
  });

  test.each<[string, string]>([
    ['a flow sequence over two lines', 'a: [1,\n  2]\n'],
    ['a trailing comma', 'a: [1, 2,]\n'],
    ['an empty flow entry', 'a: [1, , 2]\n'],
    ['a comment in a flow sequence', 'a: [1 #c\n]\n'],
    ['a flow pair in a sequence', 'a: [b: 1]\n'],
    ['a flow key without a space after its colon', 'a: {b:1}\n'],
    ['a flow key without a value', 'a: {b}\n'],
    ['a quoted flow key', "a: {'b': 1}\n"],
    ['an alias in a flow sequence', 'a: &x 1\nb: [*x]\n'],
    ['a duplicate flow key', 'a: {b: 1, b: 2}\n'],
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a quoted key', "'a': 1\n"],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a tab', 'a:\t1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['keep chomping', 'a: |+\n  x\n\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a compact nested sequence', '- - a\n'],
    ['a scalar document', 'just text\n'],
    ['bad indentation', 'a: 1\n  b: 2\n'],
    ['nesting past the limit', `a: ${Array.from({ length: DEFAULT_YAML_LIMITS.maxDepth + 1 }, (_, i) => `\n${' '.repeat(2 * (i + 1))}k:`).join('')} 1\n`],
  ])('left to the package: %s', (_name, text) => {
    expect(readBlockYaml(text, 'f.yml', DEFAULT_YAML_LIMITS)).toBeNull();
  });
});

// Generated YAML: pieces chosen to sit on the subset's edges (indicators, comments, quotes, escapes, typed scalars).
const piece = fc.constantFrom(
  'a', 'b', 'key', 'x y', '1', '0', '007', '-1', '0x1F', '0o17', '1e3', '.5', '.inf', '.nan', 'null', 'Null', '~', 'true', 'FALSE', 'yes',
  ':', ': ', '::', ' #', '#', '-', '- ', '?', '? ', '*', '&a', '!t', '%', '@', '`', '[', ']', '{', '}', ',', "'", "''", '"', '\\', '\\n',
  '\\"', '\\x41', '\\u00e9', '|', '>', '|-', '>+', '|2', ' ', '  ', 'é', '🙂', '\t', '\r', '---', '...', 'c:\\\\w',
);
const scalarText = fc.array(piece, { maxLength: 4 }).map((a) => a.join(''));
const value = fc.oneof(scalarText, scalarText.map((s) => `'${s.replaceAll("'", "''")}'`), scalarText.map((s) => JSON.stringify(s)));
const line = fc
  .tuple(
    fc.integer({ min: 0, max: 6 }),
    fc.oneof(
      fc.tuple(scalarText, value).map(([k, v]) => `${k}: ${v}`),
      scalarText.map((k) => `${k}:`),
      value.map((v) => `- ${v}`),
      fc.tuple(scalarText, value).map(([k, v]) => `- ${k}: ${v}`),
      fc.tuple(scalarText, fc.array(value, { maxLength: 4 }), fc.constantFrom(', ', ',', ' , ')).map(([k, vs, sep]) => `${k}: [${vs.join(sep)}]`),
      fc.tuple(scalarText, fc.array(fc.tuple(scalarText, value), { maxLength: 3 }), fc.constantFrom(', ', ',')).map(([k, kvs, sep]) => `${k}: {${kvs.map(([a, b]) => `${a}: ${b}`).join(sep)}}`),
      fc.constantFrom('-', '# comment', '', '---', '--- # c', '...', '  '),
      fc.tuple(fc.constantFrom('|', '>', '|-', '>+', '|2', '|+', '>-'), fc.constantFrom('', ' # c')).map(([h, c]) => `k: ${h}${c}`),
      scalarText,
    ),
    fc.constantFrom('', ' # trailing', '  '),
  )
  .map(([indent, l, tail]) => ' '.repeat(indent) + l + (l.endsWith(':') || l === '' ? '' : tail));
const lines = fc
  .tuple(fc.array(line, { maxLength: 14 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([ls, nl, end]) => ls.join(nl) + (end ? nl : ''));

// Well-formed nested documents from mostly plain pieces, then one piece inserted anywhere.
const plain = fc
  .tuple(
    fc.constantFrom('a', 'B', 'x y', '1', '007', '1e3', 'null', 'true', '~', 'é', '🙂', 'c:\\w', 'it'),
    fc.array(fc.constantFrom('a', 'b', 'x y', '1', '-1', 'null', 'é', '🙂', 'c:\\w', '*', '?', '-x', 'a#b', 'a:b', "it's", '%x%'), { maxLength: 3 }),
  )
  .map(([h, rest]) => h + rest.join(''));
const leaf = fc.oneof(
  { weight: 4, arbitrary: plain },
  { weight: 1, arbitrary: plain.map((s) => `'${s.replaceAll("'", "''")}'`) },
  { weight: 1, arbitrary: plain.map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: value },
  { weight: 1, arbitrary: fc.array(plain, { maxLength: 4 }).map((a) => `[${a.join(', ')}]`) },
  { weight: 1, arbitrary: fc.uniqueArray(fc.tuple(plain, plain), { maxLength: 3, selector: ([k]) => k }).map((a) => `{${a.map(([k, v]) => `${k}: ${v}`).join(', ')}}`) },
);
type Tree = string | { block: string; lines: [number, string][] } | { map: [string, Tree][] } | { seq: Tree[]; atKey: boolean };
const tree = fc.letrec<{ node: Tree; map: Tree; seq: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(fc.constantFrom('|', '>', '|-', '>-', '|2', '>1'), fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), scalarText), { maxLength: 3 })).map(([block, ls]) => ({ block, lines: ls })),
    tie('map'),
    tie('seq'),
  ),
  map: fc.uniqueArray(fc.tuple(fc.oneof({ weight: 5, arbitrary: plain }, { weight: 1, arbitrary: scalarText }), tie('node')), { minLength: 1, maxLength: 4, selector: ([k]) => k }).map((map) => ({ map })),
  seq: fc.tuple(fc.array(tie('node'), { minLength: 1, maxLength: 4 }), fc.boolean()).map(([seq, atKey]) => ({ seq, atKey })),
}));

/** The node's text after `key:` or `-` on the same line, and its lines below (a sequence may sit at its key's indentation). */
function render(node: Tree, indent: number): [string, string[]] {
  const pad = ' '.repeat(indent);
  if (typeof node === 'string') return [` ${node}`, []];
  if ('block' in node) return [` ${node.block}`, node.lines.map(([extra, t]) => (t === '' ? '' : ' '.repeat(indent + 2 + extra) + t))];
  if ('map' in node) {
    return ['', node.map.flatMap(([k, v]) => {
      const [rest, below] = render(v, typeof v === 'object' && 'seq' in v && v.atKey ? indent : indent + 2);
      return [`${pad}${k}:${rest}`, ...below];
    })];
  }
  return ['', node.seq.flatMap((v) => { const [rest, below] = render(v, indent + 2); return [`${pad}-${rest}`, ...below]; })];
}
const documents = fc
  .tuple(fc.array(tree.map, { minLength: 1, maxLength: 3 }), fc.option(fc.tuple(fc.nat(), piece), { nil: undefined }), fc.constantFrom('\n', '\r\n'))
  .map(([docs, insert, nl]) => {
    let text = docs.map((d) => render(d, 0)[1].join(nl)).join(`${nl}---${nl}`) + nl;
    if (insert) {
      const at = insert[0] % (text.length + 1);
      text = text.slice(0, at) + insert[1] + text.slice(at);
    }
    return text;
  });

describe('generated YAML', () => {
  test('lines around the subset: what the block reader takes, it reads as the package does', () => {
    fc.assert(fc.property(lines, (text) => void expectSameReading(text)), { numRuns: 4000 });
  });
  test('nested documents with one stray piece: likewise', () => {
    let read = 0;
    fc.assert(
      fc.property(documents, (text) => {
        if (expectSameReading(text)) read++;
      }),
      { numRuns: 3000 },
    );
    expect(read).toBeGreaterThan(100); // the generator reaches the reader's paths, not only its give-ups
  });
});
