/**
 * The compact model of a long `re` list: the patterns of one detection item as the rule's own strings, with the
 * item's anchoring (`re|startswith`, `re|endswith`) and flags, instead of a parsed, compiled regex per value (each
 * ~1 KB of program, AST-derived literals and objects, 25-50 times the YAML of a short pattern). Every pattern is
 * checked when the list is made, exactly as the modifiers check a single `re` value, and nothing of the check is
 * kept. The item's `values` is an array view (array-view.ts) compiling each value when read; the compiler and the
 * reference evaluator read the packed list itself (`regexListOf`) and search it as a regex set (src/regex/set.ts).
 */
import { arrayView, packedOf } from './array-view.js';
import {
  compileRegex,
  compileRegexSet,
  instructionsNeeded,
  parseRegex,
  type RegexFlags,
  type RegexSetMember,
  type RegexSetOptions,
} from '../regex/index.js';
import type { SigmaValue } from './values.js';

/** Leading inline flag groups stay in front when a pattern is anchored. */
const INLINE_FLAGS = /^\(\?[a-z]+\)/;

/**
 * A regex anchored for `re|startswith` / `re|endswith` (search semantics: contains is already the default). The
 * whole body is wrapped: `^a|b` must become `^(?:^a|b)`, or `b` would still match anywhere.
 */
export function anchorRegex(pattern: string, start: boolean, end: boolean): string {
  if (!start && !end) return pattern;
  const flags = INLINE_FLAGS.exec(pattern)?.[0] ?? '';
  const body = pattern.slice(flags.length);
  return `${flags}${start ? '^' : ''}(?:${body})${end ? '$' : ''}`;
}

export class RegexList {
  constructor(
    /** Each pattern as written. */
    readonly patterns: readonly string[],
    readonly anchorStart: boolean,
    readonly anchorEnd: boolean,
    /** The flags the item's modifiers give (a pattern's own leading `(?i)` adds to them). */
    readonly flags: RegexFlags,
  ) {}

  get length(): number {
    return this.patterns.length;
  }

  /** Pattern i as compiled: anchored as the item says. */
  pattern(index: number): string {
    return anchorRegex(this.patterns[index], this.anchorStart, this.anchorEnd);
  }

  /** Parse and size pattern i's program, keeping nothing: throws the RegexSyntaxError compileRegex would throw. */
  check(index: number): void {
    instructionsNeeded(parseRegex(this.pattern(index), this.flags));
  }

  /** Value i as the modifier chain builds it. */
  value(index: number): SigmaValue {
    return { type: 'regex', regex: compileRegex(this.pattern(index), this.flags) };
  }

  /** The values as an array view (each compiled when read). */
  values(): readonly SigmaValue[] {
    return arrayView(this.patterns.length, (i) => this.value(i), this);
  }

  /** The list as a regex set: members of consecutive patterns, each one program, made one at a time. */
  compileSet(options: RegexSetOptions, take: (member: RegexSetMember) => void): void {
    compileRegexSet(this.patterns.length, (i) => this.pattern(i), this.flags, options, take);
  }
}

/** The packed list behind an item's values, or null when they are not a packed `re` list. */
export function regexListOf(values: readonly SigmaValue[]): RegexList | null {
  return packedOf(values, RegexList);
}
