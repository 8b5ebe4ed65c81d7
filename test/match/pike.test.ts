/**
 * The AssemblyScript Pike VM against the TypeScript one (src/regex regexSearch on the decoded string): named cases,
 * every regex of the SigmaHQ corpus over realistic, generated, mutated and random inputs, random patterns
 * (fast-check) under every flag combination, hostile patterns over 100 KB inputs, and scratch that starts as garbage.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import * as OP from '../../src/regex/opcodes.js';
import {
  compileRegex,
  NO_FLAGS,
  parseRegex,
  regexSearch,
  serializeProgram,
  type CompiledRegex,
  type RegexFlags,
} from '../../src/regex/index.js';
import { generateMatch, loadCorpusRegexes, loadSampleStrings, mutate, Rng as RegexRng } from '../regex/support.js';
import { assemblyConstants, loadMatchVm, Rng, utf8, type MatchVm } from './support.js';

let m: MatchVm;

beforeAll(async () => {
  m = await loadMatchVm();
});

const GARBAGE = 0xa7;

/**
 * A program loaded once, searched many times: program, then scratch (filled with garbage: the VM must not need it
 * cleared), then an input region reused per call.
 */
class LoadedRegex {
  private readonly program: number;
  private readonly scratch: number;
  private input = 0;
  private capacity = 0;

  constructor(readonly compiled: CompiledRegex) {
    const words = serializeProgram(compiled.program);
    m.vm.reset();
    this.program = m.vm.put(new Uint8Array(words.buffer, words.byteOffset, words.byteLength)).ptr;
    const bytes = m.x.regexScratchBytes(this.program);
    expect(bytes).toBe(compiled.program.instructionCount * 7 * 4);
    this.scratch = m.vm.alloc(bytes);
    m.vm.bytes().fill(GARBAGE, this.scratch, this.scratch + bytes);
  }

  search(input: string): boolean {
    const bytes = utf8(input);
    if (bytes.length > this.capacity) {
      this.capacity = Math.max(bytes.length, 4096);
      this.input = m.vm.alloc(this.capacity);
    }
    m.vm.bytes().set(bytes, this.input);
    return m.x.regexSearch(this.program, this.input, bytes.length, this.scratch) !== 0;
  }
}

function agree(compiled: CompiledRegex, inputs: readonly string[]): string[] {
  const loaded = new LoadedRegex(compiled);
  const mismatches: string[] = [];
  for (const input of inputs) {
    const want = regexSearch(compiled, input);
    if (loaded.search(input) !== want) mismatches.push(`/${compiled.source}/ on ${JSON.stringify(input)}: want ${want}`);
  }
  return mismatches;
}

const flagsOf = (s: string): Partial<RegexFlags> => ({
  ignoreCase: s.includes('i'),
  multiline: s.includes('m'),
  dotAll: s.includes('s'),
});

/** [pattern, flags, input, expected] */
const NAMED: readonly [string, string, string, boolean][] = [
  ['', '', '', true],
  ['a', '', '', false],
  ['abc', '', 'xxabcxx', true],
  ['abc', '', 'xxabxcx', false],
  ['^abc', '', 'abcdef', true],
  ['^abc', '', 'xabc', false],
  ['abc$', '', 'xxabc', true],
  ['abc$', '', 'abc\n', false],
  ['^b', 'm', 'a\nb', true],
  ['^b', 'm', 'a\u2028b', true],
  ['a$', 'm', 'a\r\nb', true],
  ['a.c', '', 'a\nc', false],
  ['a.c', 's', 'a\nc', true],
  ['a.c', '', 'a\u2029c', false],
  ['a.c', '', 'a😀c', true],
  ['^.$', '', '😀', true],
  ['^..$', '', '😀', false],
  ['[😀-😂]', '', 'x😁y', true],
  ['[^a]', '', 'a', false],
  ['[^a]', '', 'é', true],
  ['straße', 'i', 'STRASSE', false],
  ['straße', 'i', 'STRAßE', true],
  ['ⱥ', 'i', 'Ⱥ', true],
  ['Ⱥ', 'i', 'ⱥ', true],
  ['k', 'i', '\u212a', true],
  ['\\u212a', 'i', 'K', true],
  ['[a-z]+', 'i', 'ÄÖÜ', false],
  ['σ', 'i', 'Σ', true],
  ['\\bword\\b', '', 'a word here', true],
  ['\\bword\\b', '', 'swordfish', false],
  ['\\bé', '', ' é', false],
  ['\\Bé', '', ' é', true],
  ['\\d{3}-\\d{4}', '', 'call 555-1234 now', true],
  ['\\s', '', 'a\u3000b', true],
  ['\\w+@\\w+\\.com', 'i', 'Mail: USER@Example.COM', true],
  ['(a|b)*c', '', 'ababababx', false],
  ['(?:x*)*$', '', 'abc', true],
  ['.{5,}', '', 'abcd', false],
  ['.{5,}', '', '😀😀😀😀😀', true],
  ['^\\s*$', 'm', 'text\n   \nmore', true],
];

describe('Pike VM', () => {
  test('the AssemblyScript constants mirror src/regex/opcodes.ts', () => {
    const as = assemblyConstants('assembly/regex/pike.ts');
    const names = [
      'INSTRUCTION_WIDTH', 'OP_CHAR', 'OP_ANY', 'OP_ANY_ALL', 'OP_CLASS', 'OP_SPLIT', 'OP_JMP', 'OP_ASSERT', 'OP_MATCH',
      'ASSERT_TEXT_START', 'ASSERT_TEXT_END', 'ASSERT_LINE_START', 'ASSERT_LINE_END', 'ASSERT_WORD_BOUNDARY',
      'ASSERT_NOT_WORD_BOUNDARY', 'PROGRAM_FLAG_FOLD_INPUT', 'NO_START_CLASS', 'HEADER_FLAGS',
      'HEADER_INSTRUCTION_COUNT', 'HEADER_MIN_LENGTH', 'HEADER_START_CLASS', 'HEADER_WORDS',
    ] as const;
    for (const name of names) expect(as.get(name), name).toBe(OP[name]);
  });

  test.each(NAMED)('/%s/%s on %j', (pattern, flags, input, expected) => {
    const compiled = compileRegex(pattern, flagsOf(flags));
    expect(regexSearch(compiled, input)).toBe(expected);
    expect(new LoadedRegex(compiled).search(input)).toBe(expected);
  });

  test('the input may end at the last byte of memory', () => {
    for (const pattern of ['abc$', 'b\\b', '[^x]+$', '😀$', '(?:a|é)+$']) {
      const compiled = compileRegex(pattern);
      const words = serializeProgram(compiled.program);
      for (const input of ['', 'abc', 'xxé', 'a😀', 'ab']) {
        m.vm.reset();
        const p = m.vm.put(new Uint8Array(words.buffer));
        const scratch = m.vm.alloc(m.x.regexScratchBytes(p.ptr));
        const i = m.atMemoryEnd(input);
        expect(m.x.regexSearch(p.ptr, i.ptr, i.len, scratch) !== 0).toBe(regexSearch(compiled, input));
      }
    }
  });
});

const INPUT_ALPHABET = [
  ...'abcxyzABCXYZ0189 _-./\\:;"\'$%^&*()[]{}|+?,=@#~<>!',
  '\n', '\r', '\t', 'é', 'É', 'Ä', 'ß', 'ẞ', '–', '\u00a0', '\u2028', '\u2029', '😀', '😁', '\u212a', 'Ⱥ', 'ⱥ', 'Σ', 'ς', '中',
];

describe('SigmaHQ corpus', () => {
  test('every corpus regex agrees with the TypeScript VM on realistic, generated, mutated and random inputs', () => {
    const corpus = loadCorpusRegexes();
    const samples = loadSampleStrings();
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const rng = new RegexRng(0x9a1c);
    const mismatches: string[] = [];
    let compared = 0;
    let matched = 0;
    for (const entry of corpus) {
      const compiled = compileRegex(entry.pattern, entry.flags);
      const inputs: string[] = [];
      for (let k = 0; k < 60; k++) inputs.push(rng.pick(samples));
      for (let k = 0; k < 60; k++) {
        const core = generateMatch(parseRegex(entry.pattern, entry.flags).root, compiled.flags, rng);
        const framed = `${rng.pick(samples).slice(0, rng.int(40))}${core}${rng.pick(samples).slice(0, rng.int(40))}`;
        inputs.push(core, framed, mutate(framed, rng, INPUT_ALPHABET), mutate(core, rng, INPUT_ALPHABET));
      }
      for (let k = 0; k < 40; k++) {
        let s = '';
        const n = rng.int(80);
        for (let c = 0; c < n; c++) s += rng.pick(INPUT_ALPHABET);
        inputs.push(s);
      }
      mismatches.push(...agree(compiled, inputs));
      compared += inputs.length;
      matched += inputs.filter((input) => regexSearch(compiled, input)).length;
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(compared).toBeGreaterThan(corpus.length * 300);
    expect(matched).toBeGreaterThan(corpus.length * 50);
  });

  test('corpus regexes over 256 KB values', () => {
    const corpus = loadCorpusRegexes();
    const samples = loadSampleStrings();
    const rng = new Rng(0x1b);
    let big = '';
    while (big.length < 1 << 18) big += `${rng.pick(samples)} ${rng.pick(INPUT_ALPHABET)}`;
    for (const entry of corpus.filter((_, i) => i % 3 === 0)) {
      const compiled = compileRegex(entry.pattern, entry.flags);
      expect(agree(compiled, [big, big.replace(/\n/g, ' ')])).toEqual([]);
    }
  });
});

const LITERALS = [
  'a', 'b', 'c', 'A', 'x', '0', ' ', '-', '.', '\\.', '\\\\', '\\n', '\\t', '\\r', 'é', 'É', 'ß', 'Σ', 'σ', 'ς', 'Ⱥ', 'ⱥ',
  'k', 'K', '\\u212a', '😀', '\\u{1F601}', '\\u2028', '中',
];
const CLASS_ITEMS = ['a', 'b-d', 'A-C', '0-9', 'é', 'à-ö', '😀-😂', '\\d', '\\w', '\\s', '\\W', '\\S', '\\D', '\\-', 'Σ', 'ⱥ'];
const SHORTHANDS = ['\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '.'];
const ASSERTIONS = ['^', '$', '\\b', '\\B'];
const QUANTIFIERS = ['*', '+', '?', '*?', '+?', '{0}', '{1}', '{2}', '{1,3}', '{0,2}', '{2,}'];

function patternArb(depth: number): fc.Arbitrary<string> {
  const cls = fc
    .tuple(fc.boolean(), fc.array(fc.constantFrom(...CLASS_ITEMS), { minLength: 1, maxLength: 3 }))
    .map(([negated, items]) => `[${negated ? '^' : ''}${items.join('')}]`);
  const leaf = fc.oneof(
    { arbitrary: fc.constantFrom(...LITERALS), weight: 5 },
    { arbitrary: fc.constantFrom(...SHORTHANDS), weight: 2 },
    { arbitrary: cls, weight: 2 },
    { arbitrary: fc.constantFrom(...ASSERTIONS), weight: 1 },
  );
  const atom =
    depth > 0
      ? fc.oneof(
          { arbitrary: leaf, weight: 4 },
          { arbitrary: fc.tuple(fc.constantFrom('(', '(?:'), patternArb(depth - 1)).map(([open, body]) => `${open}${body})`), weight: 1 },
        )
      : leaf;
  const piece = fc
    .tuple(atom, fc.option(fc.constantFrom(...QUANTIFIERS), { freq: 3 }))
    .map(([a, q]) => (q === null || /^[$^]|\\[bB]$/.test(a) ? a : `${a}${q}`));
  const branch = fc.array(piece, { minLength: 0, maxLength: 5 }).map((p) => p.join(''));
  return fc.array(branch, { minLength: 1, maxLength: 3 }).map((b) => b.join('|'));
}

describe('random patterns (fast-check)', () => {
  test('agree with the TypeScript VM under every flag combination', () => {
    let compiledCount = 0;
    fc.assert(
      fc.property(
        patternArb(2),
        fc.constantFrom('', 'i', 'm', 's', 'im', 'is', 'ms', 'ims'),
        fc.integer(),
        (pattern, flags, seed) => {
          let compiled: CompiledRegex;
          try {
            compiled = compileRegex(pattern, flagsOf(flags));
          } catch {
            return; // outside the flavour (e.g. a quantified assertion): the compiler's business
          }
          compiledCount++;
          const rng = new RegexRng(seed);
          const inputs: string[] = [];
          for (let k = 0; k < 6; k++) {
            const core = generateMatch(parseRegex(pattern, { ...NO_FLAGS, ...flagsOf(flags) }).root, compiled.flags, rng);
            inputs.push(core, mutate(core, rng, INPUT_ALPHABET));
            let s = '';
            const n = rng.int(20);
            for (let c = 0; c < n; c++) s += rng.pick(INPUT_ALPHABET);
            inputs.push(s, `${s}${core}${s}`);
          }
          expect(agree(compiled, inputs)).toEqual([]);
        },
      ),
      { numRuns: 4000 },
    );
    expect(compiledCount).toBeGreaterThan(3000);
  });
});

const HUNDRED_KB = 100 * 1024;
const A_RUN = 'a'.repeat(HUNDRED_KB);
const GENEROUS_MS = 5_000;

const HOSTILE: readonly (readonly [string, string, boolean])[] = [
  ['(a*)*b', A_RUN, false],
  ['(a*)*b', A_RUN + 'b', true],
  ['(a|a)*b', A_RUN, false],
  ['(a|aa)+$', A_RUN + '!', false],
  ['(a+)+$', A_RUN, true],
  ['^(a+)+$', A_RUN + '!', false],
  ['(.*a){20}', A_RUN, true],
  ['(.*a){20}', 'a'.repeat(19) + 'b'.repeat(HUNDRED_KB), false],
  ['(x+x+)+y', 'x'.repeat(HUNDRED_KB), false],
  ['((a*)*)*((b*)*)*c', 'ab'.repeat(HUNDRED_KB / 2), false],
  ['(?:()*)*x', A_RUN, false],
  ['(\\w+\\s?)+$', 'word '.repeat(HUNDRED_KB / 5) + '!', false],
  ['\\\\[^\\\\]{1,256}$', '\\'.repeat(HUNDRED_KB), false],
  ['.{1000,}', 'y'.repeat(HUNDRED_KB), true],
  ['(?i)(é|É)*ẞ', 'é'.repeat(HUNDRED_KB / 2), false],
  ['(😀|.)*😁', '😀'.repeat(HUNDRED_KB / 4), false],
];

describe('hostile patterns', () => {
  test.each(HOSTILE)('/%s/ on a long input', (pattern, input, expected) => {
    const loaded = new LoadedRegex(compileRegex(pattern));
    const start = performance.now();
    expect(loaded.search(input)).toBe(expected);
    expect(performance.now() - start).toBeLessThan(GENEROUS_MS);
    expect(regexSearch(loaded.compiled, input)).toBe(expected);
  });
});
