/**
 * Pattern string -> AST for the Sigma regex flavour (summarised in index.ts). The parser is iterative
 * (an explicit group stack) so hostile nesting cannot overflow the JS stack, and it rejects every construct whose
 * meaning differs between the flavours rule authors write for (PCRE, Python, JS) or that cannot run in linear time,
 * with a message saying what to write instead.
 */
import type {
  AssertionKind,
  ClassItem,
  ClassNode,
  RegexAst,
  RegexFlags,
  RegexNode,
  ShorthandSet,
} from './ast.js';
import { RegexSyntaxError } from './errors.js';
import { MAX_CODE_POINT, MAX_NESTING_DEPTH, MAX_PROGRAM_INSTRUCTIONS } from './opcodes.js';

export type * from './ast.js';

export const NO_FLAGS: RegexFlags = Object.freeze({ ignoreCase: false, multiline: false, dotAll: false });

const HIGH_SURROGATE_START = 0xd800;
const HIGH_SURROGATE_END = 0xdbff;
const LOW_SURROGATE_START = 0xdc00;
const LOW_SURROGATE_END = 0xdfff;
const SURROGATE_PAIR_BASE = 0x10000;
const SURROGATE_SHIFT = 10;
const HEX_RADIX = 16;
const DECIMAL_RADIX = 10;
const HEX_BYTE_DIGITS = 2;
const HEX_UNIT_DIGITS = 4;
/** Digits read for a {n,m} bound before it is treated as "huge"; anything that long is rejected as too large anyway. */
const MAX_BOUND_DIGITS = 9;
/** Stands in for an over-long bound: finite (so `{1,99999999999}` is not mistaken for `{1,}`) and above every cap. */
const HUGE_BOUND = Number.MAX_SAFE_INTEGER;
/** Sticky, so it is tried exactly at the `{`. */
const BRACE_QUANTIFIER = /\{(\d+)(?:(,)(\d*))?\}/y;

const CP_NUL = 0x00;
const CP_BACKSPACE = 0x08;
const CP_TAB = 0x09;
const CP_LINE_FEED = 0x0a;
const CP_VERTICAL_TAB = 0x0b;
const CP_FORM_FEED = 0x0c;
const CP_CARRIAGE_RETURN = 0x0d;

const INLINE_FLAG_LETTERS: Readonly<Record<string, keyof RegexFlags>> = {
  i: 'ignoreCase',
  m: 'multiline',
  s: 'dotAll',
};

/** Flags that a leading `(?ims)` group sets, and where the pattern proper starts. */
export interface InlineFlags {
  readonly flags: RegexFlags;
  readonly bodyOffset: number;
}

/**
 * Reads the leading inline flag group(s), e.g. `(?i)` or `(?im)(?s)`. Sigma rules use these to carry flags inside the
 * pattern string; anywhere else in the pattern they are rejected by the parser (scoped flags change meaning mid-way,
 * which the flat program format does not model).
 */
export function readInlineFlags(pattern: string): InlineFlags {
  const flags: RegexFlags = { ...NO_FLAGS };
  let pos = 0;
  for (;;) {
    const group = scanFlagGroup(pattern, pos);
    if (group === null) break;
    if (group.terminator !== ')') break; // `(?i:...)` is reported by the parser as a scoped flag group
    if (group.letters.length === 0) {
      throw new RegexSyntaxError('empty inline flag group (?) is not valid', pos, pattern);
    }
    for (let k = 0; k < group.letters.length; k++) {
      const letter = group.letters[k];
      const offset = pos + 2 + k;
      if (letter === '-') {
        throw new RegexSyntaxError(
          'turning flags off with (?-...) is not supported: flags apply to the whole pattern; remove the group',
          offset,
          pattern,
        );
      }
      const flag = INLINE_FLAG_LETTERS[letter];
      if (flag === undefined) {
        throw new RegexSyntaxError(
          `inline flag '${letter}' is not supported: only (?i), (?m) and (?s) are, at the very start of the pattern`,
          offset,
          pattern,
        );
      }
      flags[flag] = true;
    }
    pos = group.end;
  }
  return { flags, bodyOffset: pos };
}

/** The caller's flags united with the pattern's leading inline flags. */
export function effectiveFlags(pattern: string, flags: RegexFlags): RegexFlags {
  return unionFlags(flags, readInlineFlags(pattern).flags);
}

function unionFlags(a: RegexFlags, b: RegexFlags): RegexFlags {
  return {
    ignoreCase: a.ignoreCase || b.ignoreCase,
    multiline: a.multiline || b.multiline,
    dotAll: a.dotAll || b.dotAll,
  };
}

/** `(?` + letters/dashes + `)` or `:`; null when `pos` does not start such a group. */
function scanFlagGroup(
  pattern: string,
  pos: number,
): { letters: string; terminator: string; end: number } | null {
  if (!pattern.startsWith('(?', pos)) return null;
  let p = pos + 2;
  while (p < pattern.length && /[A-Za-z-]/.test(pattern[p])) p++;
  if (p >= pattern.length) return null;
  const terminator = pattern[p];
  if (terminator !== ')' && terminator !== ':') return null;
  return { letters: pattern.slice(pos + 2, p), terminator, end: p + 1 };
}

/** One open group (or the top level) during parsing. */
interface Frame {
  /** Offset of the `(`; -1 for the top level. */
  readonly open: number;
  readonly capturing: boolean;
  readonly name: string | null;
  readonly branches: RegexNode[];
  items: RegexNode[];
  branchStart: number;
  /** Whether the last item may take a quantifier (not an assertion, not already quantified, not the start). */
  quantifiable: boolean;
  /** Whether the last item is a quantifier, for a clearer error on `a**` / `a{2}{3}`. */
  afterQuantifier: boolean;
}

type ClassAtom = { kind: 'cp'; cp: number } | { kind: 'shorthand'; item: ClassItem };

/** Parse a pattern; `flags` are the rule's modifiers, united with any leading `(?ims)` group. */
export function parseRegex(pattern: string, flags: RegexFlags = NO_FLAGS): RegexAst {
  return new Parser(pattern, flags).parse();
}

class Parser {
  private pos = 0;
  private flags: RegexFlags = NO_FLAGS;

  constructor(
    private readonly src: string,
    private readonly callerFlags: RegexFlags,
  ) {}

  parse(): RegexAst {
    const inline = readInlineFlags(this.src);
    this.flags = unionFlags(this.callerFlags, inline.flags);
    this.pos = inline.bodyOffset;
    const stack: Frame[] = [];
    let frame = newFrame(-1, false, null, this.pos);
    const src = this.src;

    while (this.pos < src.length) {
      const start = this.pos;
      const ch = src[start];
      switch (ch) {
        case '(': {
          if (stack.length + 1 > MAX_NESTING_DEPTH) {
            this.fail(`groups nested deeper than ${MAX_NESTING_DEPTH} levels are not supported; flatten the pattern`, start);
          }
          const opener = this.parseGroupOpener();
          stack.push(frame);
          frame = newFrame(start, opener.capturing, opener.name, this.pos);
          break;
        }
        case ')': {
          const parent = stack.pop();
          if (parent === undefined) this.fail("unmatched ')': escape it as \\) to match a literal parenthesis", start);
          this.pos++;
          const body = finishFrame(frame, start);
          const group: RegexNode = {
            kind: 'group',
            capturing: frame.capturing,
            name: frame.name,
            body,
            offset: frame.open,
            end: this.pos,
          };
          frame = parent;
          pushAtom(frame, group);
          break;
        }
        case '|':
          this.pos++;
          frame.branches.push(finishBranch(frame, start));
          frame.items = [];
          frame.branchStart = this.pos;
          frame.quantifiable = false;
          frame.afterQuantifier = false;
          break;
        case '*':
        case '+':
        case '?':
        case '{':
          this.parseQuantifier(frame);
          break;
        case '^':
          this.pos++;
          pushAssertion(frame, this.flags.multiline ? 'lineStart' : 'textStart', start, this.pos);
          break;
        case '$':
          this.pos++;
          pushAssertion(frame, this.flags.multiline ? 'lineEnd' : 'textEnd', start, this.pos);
          break;
        case '.':
          this.pos++;
          pushAtom(frame, { kind: 'any', dotAll: this.flags.dotAll, offset: start, end: this.pos });
          break;
        case '[':
          pushAtom(frame, this.parseClass());
          break;
        case '\\':
          this.parseEscape(frame);
          break;
        default: {
          // `]` and `}` on their own are literals in every flavour rule authors use (the corpus has `clipboard]::`).
          const cp = this.readLiteralCodePoint();
          pushAtom(frame, { kind: 'char', cp, offset: start, end: this.pos });
        }
      }
    }

    if (stack.length > 0) {
      this.fail("unterminated group: missing ')'", frame.open);
    }
    const root = finishFrame(frame, this.pos);
    return {
      source: src,
      flags: this.flags,
      inlineFlags: inline.flags,
      bodyOffset: inline.bodyOffset,
      root,
    };
  }

  private fail(message: string, offset: number): never {
    throw new RegexSyntaxError(message, offset, this.src);
  }

  /** Reads one literal code point of the pattern itself; a surrogate pair is one code point. */
  private readLiteralCodePoint(): number {
    const cp = this.src.codePointAt(this.pos)!;
    if (cp >= HIGH_SURROGATE_START && cp <= LOW_SURROGATE_END) {
      this.fail(loneSurrogateMessage(cp), this.pos);
    }
    this.pos += cp >= SURROGATE_PAIR_BASE ? 2 : 1;
    return cp;
  }

  /** At `(`: consumes the opener and says what kind of group it is; rejects every non-plain group syntax. */
  private parseGroupOpener(): { capturing: boolean; name: string | null } {
    const src = this.src;
    const start = this.pos;
    if (src[start + 1] !== '?') {
      this.pos = start + 1;
      return { capturing: true, name: null };
    }
    const rest = src.slice(start + 2, start + 4);
    if (rest.startsWith(':')) {
      this.pos = start + 3;
      return { capturing: false, name: null };
    }
    if (rest === '<=' || rest === '<!') {
      this.fail(
        `lookbehind (?${rest}...) is not supported: sigmatch runs regexes in linear time; rewrite the rule without lookaround (e.g. a separate filter selection)`,
        start,
      );
    }
    if (rest.startsWith('=') || rest.startsWith('!')) {
      this.fail(
        `lookahead (?${rest[0]}...) is not supported: sigmatch runs regexes in linear time; rewrite the rule without lookaround (e.g. a separate filter selection)`,
        start,
      );
    }
    if (rest.startsWith('<') || rest.startsWith('P<')) {
      const nameStart = start + (rest.startsWith('<') ? 3 : 4);
      const close = src.indexOf('>', nameStart);
      const name = close < 0 ? '' : src.slice(nameStart, close);
      if (close < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        this.fail('invalid group name: write (?<name>...) with a name of letters, digits and _', start);
      }
      this.pos = close + 1;
      return { capturing: true, name };
    }
    if (rest.startsWith('P=') || rest.startsWith('P>')) {
      this.fail(
        'named backreferences and subroutine calls (?P=name) / (?P>name) are not supported: they cannot run in linear time',
        start,
      );
    }
    if (rest.startsWith('>')) {
      this.fail('atomic groups (?>...) are not supported; for a boolean match (?:...) is equivalent', start);
    }
    if (rest.startsWith('#')) {
      this.fail('comment groups (?#...) are not supported; use a YAML comment next to the rule', start);
    }
    if (rest.startsWith('|')) {
      this.fail('branch reset groups (?|...) are not supported; use (?:...)', start);
    }
    if (rest.startsWith('(')) {
      this.fail('conditional groups (?(...)...) are not supported: rewrite as an alternation', start);
    }
    if (/^(?:R|[0-9+&]|-[0-9])/.test(rest)) {
      this.fail('recursion and subroutine calls (?R), (?1), (?&name) are not supported', start);
    }
    const flagGroup = scanFlagGroup(src, start);
    if (flagGroup !== null) {
      if (flagGroup.terminator === ':') {
        this.fail(
          `scoped inline flags (?${flagGroup.letters}:...) are not supported: put the flag at the very start of the pattern (e.g. (?i)) or use the rule modifier (re|i)`,
          start,
        );
      }
      this.fail(
        `inline flags (?${flagGroup.letters}) are only supported at the very start of the pattern; move them there or use the rule modifier (re|i, re|m, re|s)`,
        start,
      );
    }
    return this.fail(`unsupported group syntax '(?${rest[0] ?? ''}': only (...), (?:...) and (?<name>...) are supported`, start);
  }

  /** At `*`, `+`, `?` or `{`: applies the quantifier to the frame's last item. */
  private parseQuantifier(frame: Frame): void {
    const src = this.src;
    const start = this.pos;
    let min: number;
    let max: number;
    const ch = src[start];
    if (ch === '{') {
      const bounds = this.readBraceBounds(start);
      if (bounds === null) {
        this.fail("a literal '{' must be escaped as \\{ (only {n}, {n,} and {n,m} are quantifiers)", start);
      }
      ({ min, max } = bounds);
      this.pos = bounds.end;
    } else {
      min = ch === '+' ? 1 : 0;
      max = ch === '?' ? 1 : Infinity;
      this.pos = start + 1;
    }
    if (!frame.quantifiable) {
      if (frame.afterQuantifier) {
        this.fail('a quantifier cannot follow another quantifier; wrap the quantified part in (?:...) first', start);
      }
      this.fail('nothing to repeat: a quantifier must follow a character, class or group', start);
    }
    if (min > max) this.fail(`numbers out of order in {${min},${max}}: the minimum exceeds the maximum`, start);
    const largestBound = max === Infinity ? min : max;
    if (largestBound > MAX_PROGRAM_INSTRUCTIONS) {
      this.fail(
        `regex too large after expanding {n,m}: a bound of ${largestBound} exceeds the limit of ${MAX_PROGRAM_INSTRUCTIONS} instructions; use a smaller count`,
        start,
      );
    }
    let lazy = false;
    if (src[this.pos] === '?') {
      lazy = true;
      this.pos++;
    } else if (src[this.pos] === '+') {
      this.fail(
        'possessive quantifiers (*+, ++, ?+, {n}+) are not supported; for a boolean match the plain quantifier is equivalent',
        this.pos,
      );
    }
    const body = frame.items.pop()!;
    frame.items.push({ kind: 'repeat', min, max, lazy, body, offset: body.offset, end: this.pos });
    frame.quantifiable = false;
    frame.afterQuantifier = true;
  }

  /** `{n}`, `{n,}` or `{n,m}` at `start`, else null. */
  private readBraceBounds(start: number): { min: number; max: number; end: number } | null {
    BRACE_QUANTIFIER.lastIndex = start;
    const m = BRACE_QUANTIFIER.exec(this.src);
    if (m === null) return null;
    const min = parseBound(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : parseBound(m[3]);
    return { min, max, end: start + m[0].length };
  }

  /** At `[`: a bracket class. */
  private parseClass(): ClassNode {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    let negated = false;
    if (src[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    if (src[this.pos] === ']') {
      this.fail(
        "empty class [] / [^] means different things across regex flavours: escape a literal ']' as \\] inside the class, or use [\\s\\S] for any character",
        start,
      );
    }
    const items: ClassItem[] = [];
    for (;;) {
      if (this.pos >= src.length) this.fail("unterminated character class: missing ']'", start);
      if (src[this.pos] === ']') {
        this.pos++;
        break;
      }
      const atomStart = this.pos;
      const first = this.readClassAtom();
      const isRange = src[this.pos] === '-' && this.pos + 1 < src.length && src[this.pos + 1] !== ']';
      if (!isRange) {
        items.push(first.kind === 'cp' ? { kind: 'range', lo: first.cp, hi: first.cp } : first.item);
        continue;
      }
      const dash = this.pos;
      this.pos++;
      const second = this.readClassAtom();
      if (first.kind !== 'cp' || second.kind !== 'cp') {
        this.fail(
          "a class escape like \\d, \\w or \\s cannot be a range endpoint; escape a literal '-' as \\-",
          first.kind !== 'cp' ? atomStart : dash,
        );
      }
      if (first.cp > second.cp) {
        this.fail(
          `range out of order in character class: ${describeCodePoint(first.cp)}-${describeCodePoint(second.cp)}`,
          atomStart,
        );
      }
      items.push({ kind: 'range', lo: first.cp, hi: second.cp });
    }
    return { kind: 'class', negated, items, offset: start, end: this.pos };
  }

  private readClassAtom(): ClassAtom {
    const src = this.src;
    const start = this.pos;
    if (src[start] === '[') {
      const posix = /^\[([:=.])\^?[A-Za-z]+\1\]/.exec(src.slice(start, start + 24));
      if (posix !== null) {
        this.fail(`POSIX classes like ${posix[0]} are not supported; use ranges such as [a-zA-Z] or \\d, \\w, \\s`, start);
      }
    }
    if (src[start] !== '\\') return { kind: 'cp', cp: this.readLiteralCodePoint() };
    this.pos++;
    if (this.pos >= src.length) this.fail('dangling backslash at the end of the pattern', start);
    const e = src[this.pos];
    const shorthand = shorthandOf(e);
    if (shorthand !== null) {
      this.pos++;
      return { kind: 'shorthand', item: { kind: 'shorthand', set: shorthand.set, negated: shorthand.negated } };
    }
    if (e === 'b') {
      // Inside a class, \b is backspace in JS, PCRE and Python alike.
      this.pos++;
      return { kind: 'cp', cp: CP_BACKSPACE };
    }
    if (e === 'B') this.fail('\\B is not valid inside a character class', start);
    return { kind: 'cp', cp: this.readCharacterEscape(start) };
  }

  /** At `\` outside a class. */
  private parseEscape(frame: Frame): void {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    if (this.pos >= src.length) this.fail('dangling backslash at the end of the pattern', start);
    const e = src[this.pos];
    const shorthand = shorthandOf(e);
    if (shorthand !== null) {
      this.pos++;
      const item: ClassItem = { kind: 'shorthand', set: shorthand.set, negated: shorthand.negated };
      pushAtom(frame, { kind: 'class', negated: false, items: [item], offset: start, end: this.pos });
      return;
    }
    if (e === 'b' || e === 'B') {
      this.pos++;
      pushAssertion(frame, e === 'b' ? 'wordBoundary' : 'notWordBoundary', start, this.pos);
      return;
    }
    const cp = this.readCharacterEscape(start);
    pushAtom(frame, { kind: 'char', cp, offset: start, end: this.pos });
  }

  /**
   * The escapes that denote one code point, valid both inside and outside classes. `this.pos` is just after the
   * backslash at `start`. Unknown letter escapes are rejected rather than read as the letter (as JS would), because
   * PCRE and Python give many of them a meaning (\A, \Z, \h, \p{..}, ...).
   */
  private readCharacterEscape(start: number): number {
    const src = this.src;
    const e = src[this.pos];
    switch (e) {
      case 'n':
        this.pos++;
        return CP_LINE_FEED;
      case 'r':
        this.pos++;
        return CP_CARRIAGE_RETURN;
      case 't':
        this.pos++;
        return CP_TAB;
      case 'f':
        this.pos++;
        return CP_FORM_FEED;
      case 'v':
        this.pos++;
        return CP_VERTICAL_TAB;
      case '0':
        if (isDecimalDigit(src[this.pos + 1])) {
          this.fail('octal escapes like \\012 are not supported; use \\xHH', start);
        }
        this.pos++;
        return CP_NUL;
      case 'x': {
        const hex = src.slice(this.pos + 1, this.pos + 1 + HEX_BYTE_DIGITS);
        if (!isHex(hex, HEX_BYTE_DIGITS)) this.fail('\\x must be followed by exactly two hex digits (\\xHH)', start);
        this.pos += 1 + HEX_BYTE_DIGITS;
        return parseInt(hex, HEX_RADIX);
      }
      case 'u':
        return this.readUnicodeEscape(start);
    }
    if (isDecimalDigit(e)) {
      this.fail(
        `backreference \\${e} is not supported: backreferences cannot be matched in linear time; rewrite the rule without it`,
        start,
      );
    }
    if (/[A-Za-z]/.test(e)) this.fail(unknownLetterEscapeMessage(e), start);
    // Identity escape of punctuation, space or a non-ASCII character: `\.`, `\\`, `\/`, `\-`, `\"` ...
    return this.readLiteralCodePoint();
  }

  /** `\uHHHH` (a surrogate pair of two such escapes is one code point) or `\u{H...}`. */
  private readUnicodeEscape(start: number): number {
    const src = this.src;
    if (src[this.pos + 1] === '{') {
      const close = src.indexOf('}', this.pos + 2);
      const hex = close < 0 ? '' : src.slice(this.pos + 2, close);
      if (!/^[0-9A-Fa-f]+$/.test(hex)) this.fail('\\u{...} must contain hex digits, e.g. \\u{1F600}', start);
      const cp = parseInt(hex, HEX_RADIX);
      if (!(cp <= MAX_CODE_POINT)) this.fail('\\u{...} is beyond the last Unicode code point U+10FFFF', start);
      if (cp >= HIGH_SURROGATE_START && cp <= LOW_SURROGATE_END) this.fail(loneSurrogateMessage(cp), start);
      this.pos = close + 1;
      return cp;
    }
    const unit = this.readHexUnit(start);
    if (unit >= LOW_SURROGATE_START && unit <= LOW_SURROGATE_END) this.fail(loneSurrogateMessage(unit), start);
    if (unit < HIGH_SURROGATE_START || unit > HIGH_SURROGATE_END) return unit;
    if (!src.startsWith('\\u', this.pos) || src[this.pos + 2] === '{') this.fail(loneSurrogateMessage(unit), start);
    const lowStart = this.pos;
    const low = this.readHexUnit(lowStart);
    if (low < LOW_SURROGATE_START || low > LOW_SURROGATE_END) this.fail(loneSurrogateMessage(unit), start);
    return SURROGATE_PAIR_BASE + ((unit - HIGH_SURROGATE_START) << SURROGATE_SHIFT) + (low - LOW_SURROGATE_START);
  }

  /** `\uHHHH` where `this.pos` is at the `u` (first call) or at the `\` of a following escape. */
  private readHexUnit(start: number): number {
    const src = this.src;
    if (src[this.pos] === '\\') this.pos++;
    const hex = src.slice(this.pos + 1, this.pos + 1 + HEX_UNIT_DIGITS);
    if (!isHex(hex, HEX_UNIT_DIGITS)) {
      this.fail('\\u must be followed by exactly four hex digits (\\uHHHH) or braces (\\u{H...})', start);
    }
    this.pos += 1 + HEX_UNIT_DIGITS;
    return parseInt(hex, HEX_RADIX);
  }
}

function newFrame(open: number, capturing: boolean, name: string | null, bodyStart: number): Frame {
  return {
    open,
    capturing,
    name,
    branches: [],
    items: [],
    branchStart: bodyStart,
    quantifiable: false,
    afterQuantifier: false,
  };
}

function pushAtom(frame: Frame, node: RegexNode): void {
  frame.items.push(node);
  frame.quantifiable = true;
  frame.afterQuantifier = false;
}

/** Assertions take no quantifier (JS rejects `^*`; elsewhere it is meaningless), hence quantifiable = false. */
function pushAssertion(frame: Frame, assertion: AssertionKind, offset: number, end: number): void {
  frame.items.push({ kind: 'assert', assertion, offset, end });
  frame.quantifiable = false;
  frame.afterQuantifier = false;
}

function finishBranch(frame: Frame, end: number): RegexNode {
  const items = frame.items;
  if (items.length === 0) return { kind: 'empty', offset: frame.branchStart, end };
  if (items.length === 1) return items[0];
  return { kind: 'concat', items, offset: items[0].offset, end };
}

function finishFrame(frame: Frame, end: number): RegexNode {
  const last = finishBranch(frame, end);
  if (frame.branches.length === 0) return last;
  const branches = [...frame.branches, last];
  return { kind: 'alt', branches, offset: branches[0].offset, end };
}

function shorthandOf(e: string): { set: ShorthandSet; negated: boolean } | null {
  switch (e) {
    case 'd':
      return { set: 'digit', negated: false };
    case 'D':
      return { set: 'digit', negated: true };
    case 'w':
      return { set: 'word', negated: false };
    case 'W':
      return { set: 'word', negated: true };
    case 's':
      return { set: 'space', negated: false };
    case 'S':
      return { set: 'space', negated: true };
    default:
      return null;
  }
}

function parseBound(digits: string): number {
  return digits.length > MAX_BOUND_DIGITS ? HUGE_BOUND : parseInt(digits, DECIMAL_RADIX);
}

function isDecimalDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isHex(s: string, length: number): boolean {
  return s.length === length && /^[0-9A-Fa-f]+$/.test(s);
}

function describeCodePoint(cp: number): string {
  const printable = cp > 0x20 && cp < 0x7f;
  return printable ? String.fromCodePoint(cp) : `\\u{${cp.toString(HEX_RADIX).toUpperCase()}}`;
}

function loneSurrogateMessage(unit: number): string {
  return `lone surrogate \\u${unit.toString(HEX_RADIX).toUpperCase()} in the pattern: input is matched by code point and never contains one (lone surrogates in events read as U+FFFD); write \\uFFFD or a full surrogate pair`;
}

function unknownLetterEscapeMessage(e: string): string {
  switch (e) {
    case 'p':
    case 'P':
      return `Unicode property escapes \\${e}{...} are not supported; use explicit ranges such as [a-zA-Z\\u00C0-\\u024F]`;
    case 'k':
    case 'g':
      return `backreference \\${e}<...> is not supported: backreferences cannot be matched in linear time; rewrite the rule without it`;
    case 'A':
      return '\\A is not supported; use ^ (without the m flag it matches only at the start)';
    case 'Z':
    case 'z':
      return `\\${e} is not supported; use $ (without the m flag it matches only at the very end)`;
    case 'c':
      return 'control escapes \\cX are not supported; use \\xHH';
    case 'Q':
    case 'E':
      return 'quoting with \\Q...\\E is not supported; escape each special character with a backslash';
    case 'K':
      return '\\K (match reset) is not supported';
    case 'G':
      return '\\G is not supported';
    case 'h':
    case 'H':
    case 'R':
    case 'X':
    case 'N':
    case 'V':
      return `\\${e} is not supported (its meaning differs between regex flavours); use an explicit class such as [ \\t] or [\\r\\n]`;
    default:
      return `unknown escape \\${e}: only \\d \\D \\w \\W \\s \\S \\b \\B \\n \\r \\t \\f \\v \\0 \\xHH \\uHHHH \\u{H...} and escaped punctuation are supported`;
  }
}
