/**
 * The compiled form: instruction encoding, class table invariants, case-fold closure, serialisation. This is the
 * contract the AssemblyScript VM will be written against.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ASSERT_LINE_END,
  ASSERT_TEXT_START,
  ASSERT_WORD_BOUNDARY,
  compileRegex,
  deserializeProgram,
  disassemble,
  HEADER_WORDS,
  INSTRUCTION_WIDTH,
  MAX_CODE_POINT,
  NO_START_CLASS,
  OP_ANY,
  OP_ANY_ALL,
  OP_ASSERT,
  OP_CHAR,
  OP_CLASS,
  OP_JMP,
  OP_MATCH,
  OP_SPLIT,
  parseRegex,
  PROGRAM_FLAG_FOLD_INPUT,
  regexSearch,
  serializeProgram,
  validateProgram,
  type ClassNode,
  type RegexProgram,
} from '../../src/regex/index.js';
import { classRanges, foldCloseRanges, rangesContain } from '../../src/regex/charset.js';
import { foldCodePoint } from '../../src/text/fold.js';
import { loadCorpusRegexes } from './support.js';

function classesOf(program: RegexProgram): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < program.classCount; k++) {
    out.push([...program.classes.subarray(program.classes[k], program.classes[k + 1])]);
  }
  return out;
}

function expectWellFormed(program: RegexProgram): void {
  const { code, instructionCount, classes, classCount } = program;
  expect(code.length).toBe(instructionCount * INSTRUCTION_WIDTH);
  expect(code[(instructionCount - 1) * INSTRUCTION_WIDTH]).toBe(OP_MATCH);
  for (let pc = 0; pc < instructionCount; pc++) {
    const [op, a, b] = code.subarray(pc * INSTRUCTION_WIDTH, (pc + 1) * INSTRUCTION_WIDTH);
    if (op === OP_JMP) expect(a).toBeLessThan(instructionCount);
    if (op === OP_SPLIT) {
      expect(a).toBeLessThan(instructionCount);
      expect(b).toBeLessThan(instructionCount);
    }
    if (op === OP_CLASS) expect(a).toBeLessThan(classCount);
    if (op !== OP_MATCH && op !== OP_JMP && op !== OP_SPLIT) expect(pc + 1).toBeLessThan(instructionCount);
  }
  expect(classes[0]).toBe(classCount + 1);
  expect(classes[classCount]).toBe(classes.length);
  for (const ranges of classesOf(program)) {
    expect(ranges.length % 2).toBe(0);
    for (let k = 0; k < ranges.length; k += 2) {
      expect(ranges[k]).toBeLessThanOrEqual(ranges[k + 1]);
      expect(ranges[k]).toBeGreaterThanOrEqual(0);
      expect(ranges[k + 1]).toBeLessThanOrEqual(MAX_CODE_POINT);
      // sorted, non-overlapping and non-adjacent
      if (k > 0) expect(ranges[k]).toBeGreaterThan(ranges[k - 1] + 1);
    }
  }
}

describe('instruction encoding', () => {
  test('literal, alternation and MATCH', () => {
    const program = compileRegex('a|bc').program;
    expect(disassemble(program)).toBe(
      ['0: SPLIT 1, 3', '1: CHAR U+0061', '2: JMP 5', '3: CHAR U+0062', '4: CHAR U+0063', '5: MATCH'].join('\n'),
    );
    expect([...program.code.subarray(0, 3)]).toEqual([OP_SPLIT, 1, 3]);
    expect(program.flags).toBe(0);
  });

  test('star, plus, optional and counted repetition', () => {
    expect(disassemble(compileRegex('a*').program)).toBe(['0: SPLIT 1, 3', '1: CHAR U+0061', '2: JMP 0', '3: MATCH'].join('\n'));
    expect(disassemble(compileRegex('a+').program)).toBe(['0: CHAR U+0061', '1: SPLIT 0, 2', '2: MATCH'].join('\n'));
    expect(disassemble(compileRegex('a{2,3}').program)).toBe(
      ['0: CHAR U+0061', '1: CHAR U+0061', '2: SPLIT 3, 4', '3: CHAR U+0061', '4: MATCH'].join('\n'),
    );
    expect(disassemble(compileRegex('a{1,}').program)).toBe(['0: CHAR U+0061', '1: SPLIT 0, 2', '2: MATCH'].join('\n'));
  });

  test('lazy quantifiers put the exit first', () => {
    expect(disassemble(compileRegex('a*?').program)).toBe(['0: SPLIT 3, 1', '1: CHAR U+0061', '2: JMP 0', '3: MATCH'].join('\n'));
    expect(disassemble(compileRegex('a??').program)).toBe(['0: SPLIT 2, 1', '1: CHAR U+0061', '2: MATCH'].join('\n'));
  });

  test('dot, dotAll, classes and assertions', () => {
    const dot = compileRegex('.').program;
    expect(dot.code[0]).toBe(OP_ANY);
    expect(compileRegex('.', { dotAll: true }).program.code[0]).toBe(OP_ANY_ALL);
    expect(compileRegex('[\\s\\S]').program.code[0]).toBe(OP_ANY_ALL);
    expect(compileRegex('[x]').program.code.subarray(0, 2)).toEqual(Int32Array.of(OP_CHAR, 0x78));
    const anchored = compileRegex('^a$\\b', { multiline: false }).program;
    expect([...anchored.code.subarray(0, 2)]).toEqual([OP_ASSERT, ASSERT_TEXT_START]);
    expect(compileRegex('$', { multiline: true }).program.code[1]).toBe(ASSERT_LINE_END);
    expect(compileRegex('\\b').program.code[1]).toBe(ASSERT_WORD_BOUNDARY);
    const digits = compileRegex('\\d').program;
    expect(digits.code[0]).toBe(OP_CLASS);
    expect(classesOf(digits)[digits.code[1]]).toEqual([0x30, 0x39]);
  });

  test('case-insensitivity is resolved at compile time', () => {
    const program = compileRegex('Ab[X-Z]', { ignoreCase: true }).program;
    expect(program.flags & PROGRAM_FLAG_FOLD_INPUT).toBe(PROGRAM_FLAG_FOLD_INPUT);
    expect(program.code[1]).toBe(0x61); // 'A' folded to 'a'
    expect(program.code[INSTRUCTION_WIDTH + 1]).toBe(0x62);
    const cls = classesOf(program)[program.code[2 * INSTRUCTION_WIDTH + 1]];
    expect(cls).toEqual([0x58, 0x5a, 0x78, 0x7a]);
  });

  test('identical classes share one table entry', () => {
    const program = compileRegex('[0-9a-f]{4}-[a-f0-9]{4}').program;
    // Both spellings of the hex class, all eight copies, and the start class (the same set) are one entry.
    expect(program.classCount).toBe(1);
    expect(program.startClass).toBe(0);
  });

  test('minLength and startClass', () => {
    const program = compileRegex('(?:foo|ba)r{2,}x?').program;
    expect(program.minLength).toBe(4);
    expect(classesOf(program)[program.startClass]).toEqual([0x62, 0x62, 0x66, 0x66]);
    expect(compileRegex('a*').program.startClass).toBe(NO_START_CLASS);
    expect(compileRegex('.').program.startClass).not.toBe(NO_START_CLASS);
    expect(compileRegex('.', { dotAll: true }).program.startClass).toBe(NO_START_CLASS);
    expect(compileRegex('\\bfoo', { ignoreCase: true }).program.startClass).not.toBe(NO_START_CLASS);
  });

  test('every corpus program is well formed and survives serialisation', () => {
    for (const entry of loadCorpusRegexes()) {
      const program = compileRegex(entry.pattern, entry.flags).program;
      expectWellFormed(program);
      const words = serializeProgram(program);
      expect(words.length).toBe(HEADER_WORDS + program.code.length + program.classes.length);
      expect(deserializeProgram(words)).toEqual(program);
    }
  });

  test('deserialisation rejects corrupted programs instead of letting the VM read out of bounds', () => {
    const words = serializeProgram(compileRegex('a|[bc]+').program);
    const corrupt = (at: number, value: number): Int32Array => {
      const copy = Int32Array.from(words);
      copy[at] = value;
      return copy;
    };
    const firstInstruction = HEADER_WORDS;
    expect(() => deserializeProgram(corrupt(firstInstruction + 1, 999))).toThrow(/bad SPLIT/);
    expect(() => deserializeProgram(corrupt(firstInstruction, 42))).toThrow(/unknown opcode/);
    expect(() => deserializeProgram(corrupt(0, 99))).toThrow(/unsupported regex program format/);
    expect(() => deserializeProgram(words.subarray(0, words.length - 1))).toThrow(/malformed/);
    const noMatch = { ...compileRegex('ab').program, code: Int32Array.of(OP_CHAR, 0x61, 0, OP_CHAR, 0x62, 0), instructionCount: 2 };
    expect(() => validateProgram(noMatch)).toThrow(/does not end with MATCH/);
  });

  test('a deserialised program matches like the original', () => {
    const compiled = compileRegex('(?i)^c:\\\\users\\\\[^\\\\]+\\\\ntuser\\.dat$');
    const copy = deserializeProgram(Int32Array.from(serializeProgram(compiled.program)));
    for (const input of ['C:\\Users\\bob\\NTUSER.DAT', 'C:\\Users\\NTUSER.DAT', 'x']) {
      expect(regexSearch(copy, input)).toBe(regexSearch(compiled.program, input));
    }
  });
});

describe('case folding of classes', () => {
  test('foldCodePoint is idempotent on every code point (the closure argument relies on it)', () => {
    for (let cp = 0; cp <= MAX_CODE_POINT; cp++) {
      const folded = foldCodePoint(cp);
      if (foldCodePoint(folded) !== folded) throw new Error(`fold(fold(U+${cp.toString(16)})) differs`);
    }
  });

  /** Brute force of S ∪ fold(S) over the code points of a window. */
  function bruteClosure(lo: number, hi: number): Set<number> {
    const out = new Set<number>();
    for (let cp = lo; cp <= hi; cp++) {
      out.add(cp);
      out.add(foldCodePoint(cp));
    }
    return out;
  }

  test('foldCloseRanges equals the brute-force closure on random ranges', () => {
    // Windows over the scripts with case: Latin, Greek, Cyrillic, Armenian, Georgian, Cherokee, Glagolitic, Deseret.
    const windows = [0, 0x600, 0x10a0, 0x13a0, 0x1e00, 0x2100, 0x2c00, 0xa640, 0xff00, 0x10400];
    fc.assert(
      fc.property(fc.constantFrom(...windows), fc.nat(0x300), fc.nat(0x300), (base, x, y) => {
        const lo = base + Math.min(x, y);
        const hi = base + Math.max(x, y);
        const closed = foldCloseRanges([lo, hi]);
        const expected = bruteClosure(lo, hi);
        for (let cp = Math.max(0, base - 0x400); cp <= hi + 0x400; cp++) {
          if (rangesContain(closed, cp) !== expected.has(cp)) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  test('a case-insensitive class matches x exactly when some member folds like x', () => {
    const patterns = ['[a-z]', '[À-ÿ]', '[Σ-Ω]', '[\\w]', '[^\\W]', '[k]', '[\\u212a]', '[A-Za-z0-9_.-]', '[ǅ-ǌ]'];
    for (const pattern of patterns) {
      const node = parseRegex(pattern, { ignoreCase: true, multiline: false, dotAll: false }).root as ClassNode;
      const raw = classRanges(node, false);
      const members: number[] = [];
      for (let k = 0; k < raw.length; k += 2) for (let cp = raw[k]; cp <= raw[k + 1]; cp++) members.push(cp);
      const foldedMembers = new Set(members.map(foldCodePoint));
      const closed = classRanges(node, true);
      for (let cp = 0; cp <= 0x2200; cp++) {
        const expected = foldedMembers.has(foldCodePoint(cp));
        if (rangesContain(closed, foldCodePoint(cp)) !== expected) {
          throw new Error(`${pattern} under i disagrees on U+${cp.toString(16)}`);
        }
      }
    }
  });

  test('\\W under i is the complement of \\w under i', () => {
    const w = compileRegex('^\\w$', { ignoreCase: true }).program;
    const notW = compileRegex('^\\W$', { ignoreCase: true }).program;
    for (let cp = 0; cp <= 0x3000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const s = String.fromCodePoint(cp);
      if (regexSearch(w, s) === regexSearch(notW, s)) throw new Error(`U+${cp.toString(16)} is in both or neither`);
    }
  });
});
