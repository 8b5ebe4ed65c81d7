/**
 * Long value lists are held packed (src/rule/array-view.ts, string-list.ts, regex-list.ts, yaml-node.ts ScalarList):
 * one array of strings instead of a node, a value and a Sigma string per item. The packed form must be invisible:
 * the same rule read with packing off (`packedLength: Infinity`; read by the yaml package too, which an anchor
 * `falsepositives: &fp [x]` sends the whole text to, and which packs as the block reader does) gives the same
 * model value for value, the same YAML tree position for position, the same compiled program byte for byte, the
 * same matches and provenance on the reference evaluator, and the same pipeline results.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileRules } from '../../src/compiler/compile.js';
import { explainMatch } from '../../src/eval/provenance.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import { parsePipeline } from '../../src/pipeline/parse.js';
import { arrayView, MIN_PACKED_LENGTH } from '../../src/rule/array-view.js';
import { parseRuleText } from '../../src/rule/load.js';
import type { DetectionItem, SigmaRule } from '../../src/rule/model.js';
import { stringListOf } from '../../src/rule/string-list.js';
import { regexListOf } from '../../src/rule/regex-list.js';
import { Matcher } from '../../src/runtime/matcher.js';
import '../../src/index.js'; // registers the Node loader of build/sigmatch.wasm
import { scalarListOf } from '../../src/rule/yaml-node.js';
import { DEFAULT_YAML_LIMITS, mapGet, parseYaml, toPlain, type YNode } from '../../src/rule/yaml-tree.js';

/** A rule whose `sel` has one item `key` with the given YAML scalars; block style or (an anchor) the yaml package's. */
function ruleText(key: string, scalars: readonly string[], block: boolean, keyword = false): string {
  const list = scalars.map((s) => `${keyword ? '    ' : '      '}- ${s}`).join('\n');
  const sel = keyword ? `  sel:\n${list}` : `  sel:\n    ${key.startsWith('|') ? quote(key) : key}:\n${list}`;
  // The flow list comes last, so that every position before it is the same in both texts.
  return `title: Packed\nid: 00000000-0000-4000-8000-000000000001\nlogsource:\n  product: windows\ndetection:\n${sel}\n  condition: sel\n${block ? 'falsepositives:\n  - x' : 'falsepositives: &fp [x]'}\n`;
}

const quote = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Arrays (views included) spread into plain ones, so models compare by content. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return [...v].map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Load a rule text; `packed` false: no list held packed (the oracle: every value and node built as it is). */
function load(text: string, packed = true): { rules: SigmaRule[]; errors: string[] } {
  const set = parseRuleText(text, 'r.yml', packed ? {} : { limits: { packedLength: Infinity } });
  return { rules: set.rules, errors: set.errors.map((e) => e.format()) };
}

function firstItem(rule: SigmaRule): DetectionItem {
  const root = rule.detections[0].root;
  if (root.kind !== 'item') throw new Error('expected an item');
  return root;
}

/** Plain texts (a backslash before other characters stays, `\\*` is a literal star, `\\\\` one backslash), and wildcards. */
const PLAIN = ['Needle', 'needle-7-x', 'C:\\Windows\\x', 'caf\u00c9', 'esc\\*aped', "it's", ' sp ', 'x\\\\y'];
const TEXTS = [...PLAIN, ...PLAIN, 'a*b', 'q?'];
const CHAINS: readonly string[][] = [
  [], ['contains'], ['startswith'], ['endswith'], ['contains', 'all'], ['cased'], ['endswith', 'cased'], ['neq'], ['contains', 'neq'],
  ['windash'], ['contains', 'windash'], ['base64'], ['contains', 'startswith'], ['nonsense'],
];

describe('packed value lists', () => {
  test('a long list of plain strings is packed in the tree and in the model; a short one is not', () => {
    const values = Array.from({ length: MIN_PACKED_LENGTH }, (_, i) => quote(`v${i}`));
    const long = load(ruleText('CommandLine|contains', values, true));
    expect(long.errors).toEqual([]);
    expect(stringListOf(firstItem(long.rules[0]).values)?.texts.length).toBe(MIN_PACKED_LENGTH);
    const tree = parseYaml(ruleText('F', values, true), 'r.yml').documents[0].root!;
    const seq = (((tree as YNode & { kind: 'map' }).entries.find((e) => e.key === 'detection')!.value as YNode & { kind: 'map' }).entries[0].value as YNode & { kind: 'map' }).entries[0].value as YNode & { kind: 'seq' };
    expect(scalarListOf(seq.items)?.length).toBe(MIN_PACKED_LENGTH);
    // The yaml package's reading (a flow-style key elsewhere sends the text to it) packs the same list.
    const viaPackage = parseYaml(ruleText('F', values, false), 'r.yml').documents[0].root!;
    const seq2 = (((viaPackage as YNode & { kind: 'map' }).entries.find((e) => e.key === 'detection')!.value as YNode & { kind: 'map' }).entries[0].value as YNode & { kind: 'map' }).entries[0].value as YNode & { kind: 'seq' };
    expect(scalarListOf(seq2.items)?.length).toBe(MIN_PACKED_LENGTH);
    const short = load(ruleText('CommandLine|contains', values.slice(1), true));
    expect(stringListOf(firstItem(short.rules[0]).values)).toBeNull();
  });

  test('the block reader and the yaml package, both packing, agree with packing off: model, tree, raw, program, matches and provenance', () => {
    const numbered = (texts: string[]): fc.Arbitrary<string> => fc.constantFrom(...texts).chain((t) => fc.nat(999).map((n) => quote(`${t}${n}`)));
    const plainText = numbered(PLAIN);
    const text = numbered(TEXTS);
    const odd = fc.constantFrom("''", '17', 'null', 'true', 'plain-text', '0042');
    const bounds = { minLength: MIN_PACKED_LENGTH - 2, maxLength: MIN_PACKED_LENGTH + 40 };
    // Lists of texts (packed when long and plain), and lists with other scalars among them (never packed).
    const list = fc.oneof(
      { weight: 3, arbitrary: fc.array(plainText, bounds) },
      { weight: 1, arbitrary: fc.array(fc.oneof({ weight: 8, arbitrary: text }, { weight: 1, arbitrary: odd }), bounds) },
    );
    const RUNS = 80;
    let packedRuns = 0;
    fc.assert(
      fc.property(
        list,
        fc.constantFrom(...CHAINS),
        fc.boolean(),
        fc.nat(),
        (scalars, chain, keyword, pick) => {
          const key = keyword ? '|' + chain.join('|') : ['CommandLine', ...chain].join('|');
          const asKeywordList = keyword && chain.length === 0;
          const packedText = ruleText(key, scalars, true, asKeywordList);
          const plainText = ruleText(key, scalars, false, asKeywordList);
          const packed = load(packedText);
          // The yaml package's reading packs its lists too; the oracle packs none.
          const viaPackage = load(plainText);
          const unpacked = load(plainText, false);
          if (packed.rules.length > 0 && stringListOf(firstItem(packed.rules[0]).values)) packedRuns++;
          expect(packed.errors).toEqual(unpacked.errors);
          expect(viaPackage.errors).toEqual(unpacked.errors);
          expect(plain(packed.rules)).toEqual(plain(unpacked.rules));
          expect(plain(viaPackage.rules)).toEqual(plain(unpacked.rules));
          if (packed.rules.length > 0) expect(stringListOf(firstItem(viaPackage.rules[0]).values) !== null).toBe(stringListOf(firstItem(packed.rules[0]).values) !== null);
          // The tree as lints see it: every node and position.
          const detection = (text: string, limits?: typeof DEFAULT_YAML_LIMITS): unknown => plain(mapGet(parseYaml(text, 'r.yml', limits).documents[0]?.root, 'detection'));
          const oracle = detection(plainText, { ...DEFAULT_YAML_LIMITS, packedLength: Infinity });
          expect(detection(packedText)).toEqual(oracle);
          expect(detection(plainText)).toEqual(oracle);
          if (packed.rules.length === 0) return;
          expect(toPlain(parseYaml(packedText, 'r.yml').documents[0].root!)).toEqual(toPlain(parseYaml(plainText, 'r.yml').documents[0].root!));
          expect(Buffer.from(compileRules(packed.rules).program).equals(Buffer.from(compileRules(unpacked.rules).program))).toBe(true);
          expect(Buffer.from(compileRules(viaPackage.rules).program).equals(Buffer.from(compileRules(unpacked.rules).program))).toBe(true);
          // Events holding one of the values (and one holding none), through the reference evaluator and provenance.
          const values = firstItem(unpacked.rules[0]).values.map((v) => (v.type === 'string' ? v.value.toString().replaceAll('*', '').replaceAll('?', 'Q') : String(v.type === 'number' ? v.text : '')));
          const v = (k: number): string => values[(pick >> k) % values.length];
          // Each shape told apart (inside, at the start, at the end, whole), one value of several matching, none.
          const events = [{ CommandLine: `pre ${v(0)} post` }, { CommandLine: `${v(2)} post` }, { CommandLine: `pre ${v(4)}` }, { CommandLine: v(6) }, { CommandLine: ['unrelated', `${v(8)} post`] }, { CommandLine: 'nothing at all' }];
          const a = new ReferenceEvaluator(packed.rules);
          const b = new ReferenceEvaluator(unpacked.rules);
          for (const event of events) {
            expect(a.match(event).map((m) => m.detections)).toEqual(b.match(event).map((m) => m.detections));
            expect(explainMatch(packed.rules[0], event)).toEqual(explainMatch(unpacked.rules[0], event));
          }
        },
      ),
      { numRuns: RUNS, seed: 1207 },
    );
    // The property is about packed lists: a good share of the runs must have made one.
    expect(packedRuns).toBeGreaterThan(RUNS / 5);
  });

  test('a long re list is packed and searched as a regex set: the same errors, model, matches and provenance as its values one by one, on the reference and the VM', async () => {
    // [pattern, a text it matches] for value n; each pattern differs by n, so a list holds many distinct ones.
    const FRAGMENTS: readonly [(n: number) => string, (n: number) => string][] = [
      [(n) => `^needle-${n}-[a-f0-9]+x$`, (n) => `needle-${n}-beefx`],
      [(n) => `tool${n}\\.exe`, (n) => `C:\\tool${n}.exe /q`],
      [(n) => `(?i)MiXeD${n}`, (n) => `xx mixed${n} yy`],
      [(n) => `alt${n}|other${n}b`, (n) => `other${n}b`],
      [(n) => `\\bword${n}\\b`, (n) => `a word${n} z`],
      [(n) => `x.y${n}`, (n) => `x\ny${n}`],
      [(n) => `^line${n}$`, (n) => `first\nline${n}\nlast`],
      [(n) => `café${n}`, (n) => `CAFÉ${n}`],
      [(n) => `[0-9]{2,3}-${n}`, (n) => `77-${n}`],
      [(n) => `(?:ab|cd)+${n}q`, (n) => `abcdab${n}q`],
    ];
    const INVALID = ['(unclosed', 'a{1,99999}', '(?<=x)y'];
    const CHAINS_RE: readonly string[][] = [['re'], ['re', 'i'], ['re', 'm'], ['re', 's'], ['re', 'm', 's'], ['re', 'startswith'], ['re', 'endswith'], ['re', 'neq'], ['re', 'contains'], ['re', 'all'], ['re', 'i', 'startswith']];
    const entry = fc.tuple(fc.nat(FRAGMENTS.length - 1), fc.nat(99_999));
    const RUNS = 30;
    let packedRuns = 0;
    let packedHits = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { minLength: MIN_PACKED_LENGTH - 2, maxLength: MIN_PACKED_LENGTH + 60 }),
        fc.constantFrom(...CHAINS_RE),
        fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...INVALID)) }),
        fc.nat(),
        async (entries, chain, invalid, pick) => {
          const patterns = entries.map(([f, n]) => FRAGMENTS[f][0](n));
          if (invalid) patterns.splice(invalid[0] % patterns.length, 0, invalid[1]);
          const key = ['CommandLine', ...chain].join('|');
          const scalars = patterns.map(quote);
          const packedText = ruleText(key, scalars, true);
          const plainText = ruleText(key, scalars, false);
          const packed = load(packedText);
          const unpacked = load(plainText, false);
          expect(packed.errors).toEqual(unpacked.errors);
          if (unpacked.rules.length === 0) return;
          const list = regexListOf(firstItem(packed.rules[0]).values);
          expect(list !== null).toBe(patterns.length >= MIN_PACKED_LENGTH && !chain.includes('all'));
          if (list) packedRuns++;
          expect(plain(packed.rules)).toEqual(plain(unpacked.rules));
          const text = (k: number): string => {
            const [f, n] = entries[(pick >> k) % entries.length];
            return FRAGMENTS[f][1](n);
          };
          const events = [{ CommandLine: text(0) }, { CommandLine: `pre ${text(2)}` }, { CommandLine: `${text(4)} post` }, { CommandLine: ['unrelated', text(6)] }, { CommandLine: 'nothing at all' }, { Other: 1 }];
          const a = new ReferenceEvaluator(packed.rules);
          const b = new ReferenceEvaluator(unpacked.rules);
          const expected = events.map((event) => b.match(event).map((m) => m.detections));
          expect(events.map((event) => a.match(event).map((m) => m.detections))).toEqual(expected);
          for (const event of events) expect(explainMatch(packed.rules[0], event)).toEqual(explainMatch(unpacked.rules[0], event));
          // The VM runs the regex set program.
          const matcher = await Matcher.create(packed.rules);
          const hits = matcher.match(events).map((h) => h.event);
          expect(hits).toEqual(expected.flatMap((m, i) => (m.length > 0 ? [i] : [])));
          if (list) packedHits += hits.length;
        },
      ),
      { numRuns: RUNS, seed: 1208 },
    );
    expect(packedRuns).toBeGreaterThan(RUNS / 5);
    // Matches, not only misses: most events of a packed run hold a text one of its patterns matches.
    expect(packedHits).toBeGreaterThan(packedRuns);
  });

  test("a regex set splits where its patterns' flags differ and where a program would grow over the limit", () => {
    const patterns = [...Array.from({ length: 40 }, (_, i) => `p${i}x`), '(?i)Q1', '(?i)Q2', ...Array.from({ length: 40 }, (_, i) => `[a-z]{300}${i}`)];
    const list = regexListOf(firstItem(load(ruleText('CommandLine|re', patterns.map(quote), true)).rules[0]).values)!;
    const members: { first: number; end: number; instructions: number }[] = [];
    list.compileSet({ maxLiterals: 100 }, (m) => members.push({ first: m.first, end: m.end, instructions: m.program.instructionCount }));
    // 40 plain patterns, 2 case-insensitive ones, then 40 of ~301 instructions: 20,000 hold 66 of them at most.
    expect(members.map((m) => [m.first, m.end])).toEqual([[0, 40], [40, 42], [42, 82]]);
    const big = Array.from({ length: 80 }, (_, i) => `[a-z]{300}${i}`);
    const bigMembers: number[] = [];
    regexListOf(firstItem(load(ruleText('CommandLine|re', big.map(quote), true)).rules[0]).values)!.compileSet({ maxLiterals: 0 }, (m) => bigMembers.push(m.end - m.first));
    expect(bigMembers.length).toBe(2);
    expect(bigMembers[0]).toBeGreaterThan(60);
  });

  test('pipelines transform a packed list as they transform the values it stands for, and keep it packed', () => {
    const values = Array.from({ length: 40 }, (_, i) => quote(`C:\\Temp\\tool${i}.exe`));
    const parsed = parsePipeline(
      'name: p\npriority: 10\ntransformations:\n  - type: replace_string\n    regex: "Temp"\n    replacement: "Tmp"\n  - type: field_name_mapping\n    mapping:\n      Image: NewProcessName\n',
    );
    expect(parsed.errors.map((e) => e.format())).toEqual([]);
    const run = (block: boolean): SigmaRule => applyPipelines(load(ruleText('Image|endswith', values, block), block).rules, [parsed.pipeline!]).rules[0];
    const packed = run(true);
    const unpacked = run(false);
    expect(plain(packed.detections)).toEqual(plain(unpacked.detections));
    const item = firstItem(packed);
    expect(item.field).toBe('NewProcessName');
    expect(stringListOf(item.values)?.texts[3]).toBe('C:\\Tmp\\tool3.exe');
    expect(Buffer.from(compileRules([packed]).program).equals(Buffer.from(compileRules([unpacked]).program))).toBe(true);
  });

  test('an array view reads as an array and cannot be written', () => {
    const source = { tag: 'packed' };
    const view = arrayView(3, (i) => i * 10, source);
    expect(Array.isArray(view)).toBe(true);
    expect(view.length).toBe(3);
    expect([...view]).toEqual([0, 10, 20]);
    expect(view.map((x) => x + 1)).toEqual([1, 11, 21]);
    expect(view[2]).toBe(20);
    expect(view[3]).toBeUndefined();
    expect(1 in view).toBe(true);
    expect(Object.keys(view)).toEqual(['0', '1', '2']);
    expect(JSON.stringify(view)).toBe('[0,10,20]');
    expect(view).toEqual([0, 10, 20]);
    expect(() => {
      (view as number[])[0] = 1;
    }).toThrow(TypeError);
    expect(() => (view as number[]).push(1)).toThrow(TypeError);
  });
});
