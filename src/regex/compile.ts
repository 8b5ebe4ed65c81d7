/**
 * AST -> RegexProgram (encoding documented in opcodes.ts). Counted repetition is expanded into copies of its body,
 * so the program size is checked against MAX_PROGRAM_INSTRUCTIONS before anything is emitted: matching cost is
 * O(input × instructions) and that product is what a hostile rule must not be able to inflate.
 */
import type { AssertionKind, ClassNode, RegexAst, RegexNode, RepeatNode } from './ast.js';
import { appendAll, classRanges, complementRanges, normalizeRanges } from './charset.js';
import { RegexSyntaxError } from './errors.js';
import {
  ASSERT_LINE_END,
  ASSERT_LINE_START,
  ASSERT_NOT_WORD_BOUNDARY,
  ASSERT_TEXT_END,
  ASSERT_TEXT_START,
  ASSERT_WORD_BOUNDARY,
  HEADER_CLASS_WORDS,
  HEADER_FLAGS,
  HEADER_INSTRUCTION_COUNT,
  HEADER_MIN_LENGTH,
  HEADER_START_CLASS,
  LINE_TERMINATOR_RANGES,
  NO_START_CLASS,
  HEADER_VERSION,
  HEADER_WORDS,
  INSTRUCTION_WIDTH,
  MAX_CODE_POINT,
  MAX_PROGRAM_INSTRUCTIONS,
  OP_ANY,
  OP_ANY_ALL,
  OP_ASSERT,
  OP_CHAR,
  OP_CLASS,
  OP_JMP,
  OP_MATCH,
  OP_SPLIT,
  PROGRAM_FLAG_FOLD_INPUT,
  PROGRAM_FORMAT_VERSION,
} from './opcodes.js';
import { foldCodePoint } from '../text/fold.js';

export interface RegexProgram {
  /** instructionCount × INSTRUCTION_WIDTH words: [opcode, a, b] per instruction. */
  readonly code: Int32Array;
  readonly instructionCount: number;
  /** Class table: classCount + 1 offsets, then [lo, hi] pairs (see opcodes.ts). */
  readonly classes: Int32Array;
  readonly classCount: number;
  /** PROGRAM_FLAG_* bits. */
  readonly flags: number;
  /** Fewest code points any match consumes (see opcodes.ts). */
  readonly minLength: number;
  /** Class of the code points that can begin a match, or NO_START_CLASS (see opcodes.ts). */
  readonly startClass: number;
}

const ASSERTION_CODES: Readonly<Record<AssertionKind, number>> = {
  textStart: ASSERT_TEXT_START,
  textEnd: ASSERT_TEXT_END,
  lineStart: ASSERT_LINE_START,
  lineEnd: ASSERT_LINE_END,
  wordBoundary: ASSERT_WORD_BOUNDARY,
  notWordBoundary: ASSERT_NOT_WORD_BOUNDARY,
};

/** The MATCH at the end. */
const TRAILER_INSTRUCTIONS = 1;
/** SPLIT + JMP around the body of `x*`. */
const STAR_OVERHEAD = 2;
/** The SPLIT that loops back in `x+`. */
const PLUS_OVERHEAD = 1;
/** The SPLIT guarding each optional copy of `x{n,m}`. */
const OPTIONAL_OVERHEAD = 1;
/** SPLIT + JMP per alternation branch except the last. */
const BRANCH_OVERHEAD = 2;

export function compileProgram(ast: RegexAst): RegexProgram {
  const sizing = sizeProgram(ast);
  const emitter = new Emitter(ast.flags.ignoreCase, sizing.sizes);
  emitter.emit(ast.root);
  emitter.op(OP_MATCH, 0, 0);
  return emitter.finish(ast.flags.ignoreCase ? PROGRAM_FLAG_FOLD_INPUT : 0, minMatchLength(ast.root));
}

/** Instructions the program of `ast` needs (its MATCH included); throws RegexSyntaxError when over the cap. */
export function instructionsNeeded(ast: RegexAst): number {
  return sizeProgram(ast).total;
}

function sizeProgram(ast: RegexAst): Sizing & { total: number } {
  const sizing: Sizing = { culprit: null, sizes: new Map() };
  const total = instructionCount(ast.root, sizing) + TRAILER_INSTRUCTIONS;
  if (total > MAX_PROGRAM_INSTRUCTIONS) {
    const culprit = sizing.culprit;
    const where = culprit ? ast.source.slice(culprit.offset, culprit.end) : ast.source;
    throw new RegexSyntaxError(
      `regex too large after expanding {n,m}: ${describeSize(total)} instructions needed for '${truncate(where)}', the limit is ${MAX_PROGRAM_INSTRUCTIONS}; use smaller repetition counts or split the rule`,
      culprit ? culprit.offset : 0,
      ast.source,
    );
  }
  return { ...sizing, total };
}

/** Fewest code points a match of `node` consumes. Bounded by the instruction count, so it fits an Int32. */
function minMatchLength(node: RegexNode): number {
  switch (node.kind) {
    case 'empty':
    case 'assert':
      return 0;
    case 'char':
    case 'any':
    case 'class':
      return 1;
    case 'group':
      return minMatchLength(node.body);
    case 'concat':
      return node.items.reduce((sum, item) => sum + minMatchLength(item), 0);
    case 'alt':
      return node.branches.reduce((least, branch) => Math.min(least, minMatchLength(branch)), Infinity);
    case 'repeat':
      return node.min === 0 ? 0 : node.min * minMatchLength(node.body);
  }
}

/**
 * Exact number of instructions Emitter.emit produces for `node`, computed without emitting (numbers may exceed the
 * cap by far; they are only compared). Records the innermost repetition that alone exceeds the cap, for the message.
 */
interface Sizing {
  culprit: RepeatNode | null;
  /** Sizes of repetition bodies, so emitting a repetition needs no second walk of its body. */
  readonly sizes: Map<RegexNode, number>;
}

function instructionCount(node: RegexNode, sizing: Sizing): number {
  switch (node.kind) {
    case 'empty':
      return 0;
    case 'char':
    case 'any':
    case 'class':
    case 'assert':
      return 1;
    case 'group':
      return instructionCount(node.body, sizing);
    case 'concat': {
      let sum = 0;
      for (const item of node.items) sum += instructionCount(item, sizing);
      return sum;
    }
    case 'alt': {
      let sum = BRANCH_OVERHEAD * (node.branches.length - 1);
      for (const branch of node.branches) sum += instructionCount(branch, sizing);
      return sum;
    }
    case 'repeat': {
      const body = instructionCount(node.body, sizing);
      sizing.sizes.set(node.body, body);
      const size = repeatCount(node, body);
      if (size > MAX_PROGRAM_INSTRUCTIONS && sizing.culprit === null) sizing.culprit = node;
      return size;
    }
  }
}

function repeatCount(node: RepeatNode, body: number): number {
  // A body that compiles to nothing matches only the empty string, and so does any repetition of it.
  if (body === 0) return 0;
  if (node.max === Infinity) {
    return node.min === 0 ? body + STAR_OVERHEAD : node.min * body + PLUS_OVERHEAD;
  }
  return node.min * body + (node.max - node.min) * (body + OPTIONAL_OVERHEAD);
}

class Emitter {
  private readonly words: number[] = [];
  private readonly classIndex = new Map<string, number>();
  private readonly classList: number[][] = [];
  /** Repetition re-emits the same ClassNode; computing its ranges once keeps compile time linear in the output. */
  private readonly nodeClass = new Map<ClassNode, number>();

  constructor(
    private readonly ignoreCase: boolean,
    private readonly bodySizes: ReadonlyMap<RegexNode, number>,
  ) {}

  /** Current instruction index (the pc the next instruction will get). */
  get pc(): number {
    return this.words.length / INSTRUCTION_WIDTH;
  }

  op(opcode: number, a: number, b: number): number {
    const pc = this.pc;
    this.words.push(opcode, a, b);
    return pc;
  }

  patch(pc: number, operand: 1 | 2, value: number): void {
    this.words[pc * INSTRUCTION_WIDTH + operand] = value;
  }

  emit(node: RegexNode): void {
    switch (node.kind) {
      case 'empty':
        return;
      case 'char':
        this.op(OP_CHAR, this.ignoreCase ? foldCodePoint(node.cp) : node.cp, 0);
        return;
      case 'any':
        this.op(node.dotAll ? OP_ANY_ALL : OP_ANY, 0, 0);
        return;
      case 'class':
        this.emitClass(node);
        return;
      case 'assert':
        this.op(OP_ASSERT, ASSERTION_CODES[node.assertion], 0);
        return;
      case 'group':
        this.emit(node.body);
        return;
      case 'concat':
        for (const item of node.items) this.emit(item);
        return;
      case 'alt':
        this.emitAlternation(node.branches);
        return;
      case 'repeat':
        this.emitRepeat(node);
        return;
    }
  }

  private emitClass(node: ClassNode): void {
    let index = this.nodeClass.get(node);
    if (index === undefined) {
      const ranges = classRanges(node, this.ignoreCase);
      if (ranges.length === 2 && ranges[0] === ranges[1]) {
        // A one-code-point class is a literal; when folding, the set is closed so its only member is a fold fixed point.
        this.op(OP_CHAR, ranges[0], 0);
        return;
      }
      if (ranges.length === 2 && ranges[0] === 0 && ranges[1] === MAX_CODE_POINT) {
        this.op(OP_ANY_ALL, 0, 0);
        return;
      }
      index = this.internClass(ranges);
      this.nodeClass.set(node, index);
    }
    this.op(OP_CLASS, index, 0);
  }

  private internClass(ranges: number[]): number {
    const key = ranges.join(',');
    let index = this.classIndex.get(key);
    if (index === undefined) {
      index = this.classList.length;
      this.classList.push(ranges);
      this.classIndex.set(key, index);
    }
    return index;
  }

  private emitAlternation(branches: readonly RegexNode[]): void {
    const jumps: number[] = [];
    for (let k = 0; k < branches.length - 1; k++) {
      const split = this.op(OP_SPLIT, 0, 0);
      this.patch(split, 1, this.pc);
      this.emit(branches[k]);
      jumps.push(this.op(OP_JMP, 0, 0));
      this.patch(split, 2, this.pc);
    }
    this.emit(branches[branches.length - 1]);
    for (const jump of jumps) this.patch(jump, 1, this.pc);
  }

  private emitRepeat(node: RepeatNode): void {
    const { min, max, body } = node;
    if (this.bodySizes.get(body) === 0) return;
    if (max === Infinity) {
      if (min === 0) {
        // L: SPLIT body, out; body; JMP L
        const loop = this.op(OP_SPLIT, 0, 0);
        this.emit(body);
        this.op(OP_JMP, loop, 0);
        this.setSplit(loop, loop + 1, this.pc, node.lazy);
        return;
      }
      for (let k = 0; k < min - 1; k++) this.emit(body);
      // L: body; SPLIT L, out  (x{n,} = x{n-1} x+)
      const start = this.pc;
      this.emit(body);
      const split = this.op(OP_SPLIT, 0, 0);
      this.setSplit(split, start, this.pc, node.lazy);
      return;
    }
    for (let k = 0; k < min; k++) this.emit(body);
    // Optional copies nest (x(x(x)?)?)? rather than x?x?x?, so equivalent threads converge on one pc per step.
    const splits: number[] = [];
    for (let k = min; k < max; k++) {
      const split = this.op(OP_SPLIT, 0, 0);
      splits.push(split);
      this.emit(body);
    }
    const out = this.pc;
    for (const split of splits) this.setSplit(split, split + 1, out, node.lazy);
  }

  /** The preferred branch goes in operand a: the body when greedy, the exit when lazy. */
  private setSplit(pc: number, body: number, exit: number, lazy: boolean): void {
    this.patch(pc, 1, lazy ? exit : body);
    this.patch(pc, 2, lazy ? body : exit);
  }

  /**
   * The code points (folded, when folding) that can begin a match, interned as a class; NO_START_CLASS when that
   * would not help: a match may be empty, or any code point can start one. Assertions are treated as passable,
   * which only makes the set larger, so skipping code points outside it never skips a match.
   */
  private startClass(): number {
    const words = this.words;
    const count = this.pc;
    const seen = new Uint8Array(count);
    const pending = [0];
    seen[0] = 1;
    const pairs: number[] = [];
    while (pending.length > 0) {
      const pc = pending.pop()!;
      const base = pc * INSTRUCTION_WIDTH;
      const a = words[base + 1];
      const successors: number[] = [];
      switch (words[base]) {
        case OP_MATCH:
        case OP_ANY_ALL:
          return NO_START_CLASS;
        case OP_CHAR:
          pairs.push(a, a);
          break;
        case OP_ANY:
          appendAll(pairs, complementRanges(LINE_TERMINATOR_RANGES));
          break;
        case OP_CLASS:
          appendAll(pairs, this.classList[a]);
          break;
        case OP_JMP:
          successors.push(a);
          break;
        case OP_SPLIT:
          successors.push(a, words[base + 2]);
          break;
        case OP_ASSERT:
          successors.push(pc + 1);
          break;
      }
      for (const next of successors) {
        if (!seen[next]) {
          seen[next] = 1;
          pending.push(next);
        }
      }
    }
    const ranges = normalizeRanges(pairs);
    if (ranges.length === 2 && ranges[0] === 0 && ranges[1] === MAX_CODE_POINT) return NO_START_CLASS;
    return this.internClass(ranges);
  }

  finish(flags: number, minLength: number): RegexProgram {
    const startClass = this.startClass();
    const classCount = this.classList.length;
    const header = classCount + 1;
    let words = header;
    for (const ranges of this.classList) words += ranges.length;
    // Code and classes share one buffer: a rule may hold 100,000 regexes, and each buffer has its own overhead.
    const buffer = new Int32Array(this.words.length + words);
    const code = buffer.subarray(0, this.words.length);
    code.set(this.words);
    const classes = buffer.subarray(this.words.length);
    let at = header;
    for (let k = 0; k < classCount; k++) {
      classes[k] = at;
      classes.set(this.classList[k], at);
      at += this.classList[k].length;
    }
    classes[classCount] = at;
    return {
      code,
      instructionCount: code.length / INSTRUCTION_WIDTH,
      classes,
      classCount,
      flags,
      minLength,
      startClass,
    };
  }
}

/**
 * One Int32Array holding the whole program, for copying into WASM memory:
 * [version, flags, instructionCount, classWords, minLength, startClass, code..., classes...]. The class count is implied by the class
 * table's first offset (classCount + 1 offsets precede the ranges).
 */
export function serializeProgram(program: RegexProgram): Int32Array {
  const out = new Int32Array(HEADER_WORDS + program.code.length + program.classes.length);
  out[HEADER_VERSION] = PROGRAM_FORMAT_VERSION;
  out[HEADER_FLAGS] = program.flags;
  out[HEADER_INSTRUCTION_COUNT] = program.instructionCount;
  out[HEADER_CLASS_WORDS] = program.classes.length;
  out[HEADER_MIN_LENGTH] = program.minLength;
  out[HEADER_START_CLASS] = program.startClass;
  out.set(program.code, HEADER_WORDS);
  out.set(program.classes, HEADER_WORDS + program.code.length);
  return out;
}

/** Inverse of serializeProgram; validates the result, since the VM trusts every pc and class index it reads. */
export function deserializeProgram(words: Int32Array): RegexProgram {
  if (words.length < HEADER_WORDS || words[HEADER_VERSION] !== PROGRAM_FORMAT_VERSION) {
    throw new Error(`unsupported regex program format ${words[HEADER_VERSION]}`);
  }
  const codeWords = words[HEADER_INSTRUCTION_COUNT] * INSTRUCTION_WIDTH;
  const classWords = words[HEADER_CLASS_WORDS];
  if (codeWords < 0 || classWords < 1 || HEADER_WORDS + codeWords + classWords !== words.length) {
    throw new Error('malformed regex program: section sizes do not add up');
  }
  const code = words.slice(HEADER_WORDS, HEADER_WORDS + codeWords);
  const classes = words.slice(HEADER_WORDS + codeWords);
  const program: RegexProgram = {
    code,
    instructionCount: words[HEADER_INSTRUCTION_COUNT],
    classes,
    classCount: classes[0] - 1,
    flags: words[HEADER_FLAGS],
    minLength: words[HEADER_MIN_LENGTH],
    startClass: words[HEADER_START_CLASS],
  };
  validateProgram(program);
  return program;
}

/**
 * Checks the invariants the VMs rely on: jump targets and class indexes in range, a MATCH at the end, a well-formed
 * class table. Throws on the first violation.
 */
export function validateProgram(program: RegexProgram): void {
  const { code, instructionCount: count, classes, classCount } = program;
  const fail = (what: string): never => {
    throw new Error(`malformed regex program: ${what}`);
  };
  if (count < 1 || count > MAX_PROGRAM_INSTRUCTIONS || code.length !== count * INSTRUCTION_WIDTH) fail('bad size');
  if (code[(count - 1) * INSTRUCTION_WIDTH] !== OP_MATCH) fail('does not end with MATCH');
  if (classCount < 0 || classes[0] !== classCount + 1 || classes[classCount] !== classes.length) fail('bad class table');
  for (let k = 0; k < classCount; k++) {
    const from = classes[k];
    const to = classes[k + 1];
    if (to < from || (to - from) % 2 !== 0) fail(`bad class ${k}`);
    for (let at = from; at < to; at += 2) {
      const lo = classes[at];
      const hi = classes[at + 1];
      if (lo < 0 || hi > MAX_CODE_POINT || lo > hi || (at > from && lo <= classes[at - 1] + 1)) fail(`bad class ${k}`);
    }
  }
  if (program.startClass !== NO_START_CLASS && (program.startClass < 0 || program.startClass >= classCount)) {
    fail('bad start class');
  }
  if (program.minLength < 0) fail('bad minimum length');
  const inRange = (pc: number): boolean => pc >= 0 && pc < count;
  for (let pc = 0; pc < count; pc++) {
    const base = pc * INSTRUCTION_WIDTH;
    const a = code[base + 1];
    switch (code[base]) {
      case OP_CHAR:
        if (a < 0 || a > MAX_CODE_POINT || pc + 1 >= count) fail(`bad CHAR at ${pc}`);
        break;
      case OP_ANY:
      case OP_ANY_ALL:
        if (pc + 1 >= count) fail(`bad ${OPCODE_NAMES[code[base]]} at ${pc}`);
        break;
      case OP_CLASS:
        if (a < 0 || a >= classCount || pc + 1 >= count) fail(`bad CLASS at ${pc}`);
        break;
      case OP_SPLIT:
        if (!inRange(a) || !inRange(code[base + 2])) fail(`bad SPLIT at ${pc}`);
        break;
      case OP_JMP:
        if (!inRange(a)) fail(`bad JMP at ${pc}`);
        break;
      case OP_ASSERT:
        if (a < ASSERT_TEXT_START || a > ASSERT_NOT_WORD_BOUNDARY || pc + 1 >= count) fail(`bad ASSERT at ${pc}`);
        break;
      case OP_MATCH:
        break;
      default:
        fail(`unknown opcode ${code[base]} at ${pc}`);
    }
  }
}

const OPCODE_NAMES: Readonly<Record<number, string>> = {
  [OP_CHAR]: 'CHAR',
  [OP_ANY]: 'ANY',
  [OP_ANY_ALL]: 'ANY_ALL',
  [OP_CLASS]: 'CLASS',
  [OP_SPLIT]: 'SPLIT',
  [OP_JMP]: 'JMP',
  [OP_ASSERT]: 'ASSERT',
  [OP_MATCH]: 'MATCH',
};

/** Human-readable listing, for tests and debugging rule compilation. */
export function disassemble(program: RegexProgram): string {
  const lines: string[] = [];
  for (let pc = 0; pc < program.instructionCount; pc++) {
    const base = pc * INSTRUCTION_WIDTH;
    const opcode = program.code[base];
    const a = program.code[base + 1];
    const b = program.code[base + 2];
    const name = OPCODE_NAMES[opcode] ?? `?${opcode}`;
    let operands = '';
    if (opcode === OP_CHAR) operands = ` U+${a.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (opcode === OP_CLASS || opcode === OP_JMP || opcode === OP_ASSERT) operands = ` ${a}`;
    else if (opcode === OP_SPLIT) operands = ` ${a}, ${b}`;
    lines.push(`${pc}: ${name}${operands}`);
  }
  return lines.join('\n');
}

function describeSize(n: number): string {
  return n >= Number.MAX_SAFE_INTEGER ? 'astronomically many' : String(n);
}

const MESSAGE_EXCERPT_CHARS = 40;

function truncate(s: string): string {
  return s.length > MESSAGE_EXCERPT_CHARS ? `${s.slice(0, MESSAGE_EXCERPT_CHARS)}...` : s;
}
