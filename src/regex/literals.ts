/**
 * Required literals for a prefilter: an OR-set of strings such that every input the regex matches contains at least
 * one of them. The contract is one-sided: the set may admit inputs that do not match (the regex still runs), but it
 * must never exclude one that does, so every rule below only ever weakens information when in doubt.
 *
 * Each node gets either an exact set (all strings it can match, when that set is small) or a required OR-set (every
 * match contains one of these). Concatenation joins adjacent exact sets by cross product and keeps the most
 * selective candidate; alternation unions; optional parts require nothing. This is the classic RE2/Go prefilter
 * shape, restricted to OR-sets because the consumer is a substring prefilter.
 */
import type { ClassNode, RegexAst, RegexNode, RepeatNode } from './ast.js';
import { classRanges, rangesSize } from './charset.js';
import { REPLACEMENT_CHARACTER } from './opcodes.js';
import { foldCodePoint } from '../text/fold.js';

export interface RequiredLiterals {
  /** Non-empty strings; a matching input contains at least one (after foldString when caseFolded). */
  readonly literals: string[];
  /** True under the i flag: literals are folded with foldCodePoint; search them in foldString(input). */
  readonly caseFolded: boolean;
}

/** Largest exact set kept (cross products grow multiplicatively: `[Aa][Bb][Cc][Dd]` is 16 strings). */
const MAX_EXACT_STRINGS = 16;
/** Longest string kept in an exact set; longer runs are cut into separate candidates (still sound). */
const MAX_LITERAL_LENGTH = 256;
/** Largest class expanded into single-character alternatives (`[Pp]`, `[FTd]`), after folding. */
const MAX_CLASS_CHARS = 8;
/** Largest OR-set returned; beyond it a prefilter would cost more than it saves. */
const MAX_REQUIRED_LITERALS = 64;
/** Largest set minimize() looks at; it is quadratic, and a hostile 20,000-branch alternation must stay cheap. */
const MAX_MINIMIZE_INPUT = 4 * MAX_REQUIRED_LITERALS;

type Strings = ReadonlySet<string>;

type Info =
  /** Every string the node can match (may include ''). */
  | { readonly exact: Strings; readonly required?: undefined; readonly prefix?: undefined; readonly suffix?: undefined }
  /**
   * Not exact: every match contains one of `required`, starts with one of `prefix` and ends with one of `suffix`
   * (each null when nothing can be said). Prefix and suffix let a neighbouring literal join across the node:
   * in `\w+\.exe` the `+` body ends with a word character, so nothing joins, but in `(?:ab)+c` "abc" does.
   */
  | {
      readonly exact: null;
      readonly required: readonly string[] | null;
      readonly prefix: Strings | null;
      readonly suffix: Strings | null;
    };

const NOTHING: Info = { exact: null, required: null, prefix: null, suffix: null };
const EMPTY_SET: Strings = new Set(['']);
const EMPTY_STRING: Info = { exact: EMPTY_SET };

export function requiredLiterals(ast: RegexAst): RequiredLiterals | null {
  const ignoreCase = ast.flags.ignoreCase;
  const required = toRequired(new Analyzer(ignoreCase).analyze(ast.root));
  if (required === null) return null;
  // Exactly as long as it needs to be: a rule may hold 100,000 regexes, and a spread array keeps spare slots.
  const literals = new Array<string>(required.length);
  let i = 0;
  for (const literal of required) literals[i++] = literal;
  return { literals, caseFolded: ignoreCase };
}

class Analyzer {
  constructor(private readonly ignoreCase: boolean) {}

  analyze(node: RegexNode): Info {
    switch (node.kind) {
      case 'empty':
      case 'assert':
        return EMPTY_STRING;
      case 'char':
        return this.codePointInfo([node.cp]);
      case 'any':
        return NOTHING;
      case 'class':
        return this.classInfo(node);
      case 'group':
        return this.analyze(node.body);
      case 'concat':
        return concat(node.items.map((item) => this.analyze(item)));
      case 'alt':
        return alternation(node.branches.map((branch) => this.analyze(branch)));
      case 'repeat':
        return repeat(node, this.analyze(node.body));
    }
  }

  /** One of the given code points, as the prefilter will see it (folded under i). */
  private codePointInfo(cps: readonly number[]): Info {
    const strings = new Set<string>();
    for (const cp of cps) {
      const seen = this.ignoreCase ? foldCodePoint(cp) : cp;
      // U+FFFD also stands for a lone surrogate in the input, which a literal "\uFFFD" would not find.
      if (seen === REPLACEMENT_CHARACTER) return NOTHING;
      strings.add(String.fromCodePoint(seen));
    }
    return strings.size <= MAX_CLASS_CHARS ? { exact: strings } : NOTHING;
  }

  private classInfo(node: ClassNode): Info {
    const ranges = classRanges(node, this.ignoreCase);
    // Under i the closed set holds both cases; folding halves it, so allow twice the size before giving up.
    const limit = this.ignoreCase ? 2 * MAX_CLASS_CHARS : MAX_CLASS_CHARS;
    if (ranges.length === 0 || rangesSize(ranges) > limit) return NOTHING;
    const cps: number[] = [];
    for (let k = 0; k < ranges.length; k += 2) {
      for (let cp = ranges[k]; cp <= ranges[k + 1]; cp++) cps.push(cp);
    }
    return this.codePointInfo(cps);
  }
}

/**
 * Walks the items keeping a "run": the exact strings of the adjacent items seen since the last non-exact one. Every
 * run is a substring of every match, and so is a run joined with the next item's prefix; the best of these candidates
 * and of the items' own requirements is the concatenation's requirement.
 */
function concat(infos: readonly Info[]): Info {
  const candidates: (readonly string[] | null)[] = [];
  let run: Strings = EMPTY_SET;
  let exact = true;
  let prefix: Strings | null | undefined;
  for (const info of infos) {
    if (info.exact !== null) {
      const product = crossProduct(run, info.exact);
      if (product !== null) {
        run = product;
        continue;
      }
      // Too big to join: keep the run as its own candidate and start a new one here.
      candidates.push(toRequired({ exact: run }));
      if (prefix === undefined) prefix = run;
      run = info.exact;
      exact = false;
      continue;
    }
    const joined = info.prefix === null ? null : crossProduct(run, info.prefix);
    const head = joined ?? run;
    candidates.push(toRequired({ exact: head }), info.required);
    if (prefix === undefined) prefix = head;
    run = info.suffix ?? EMPTY_SET;
    exact = false;
  }
  if (exact) return { exact: run };
  candidates.push(toRequired({ exact: run }));
  return nonExact(mostSelective(candidates), prefix ?? null, run);
}

function alternation(infos: readonly Info[]): Info {
  if (infos.every((info) => info.exact !== null)) {
    const union = unionOf(infos.map((info) => info.exact));
    if (union !== null) return { exact: union };
  }
  // Every branch must contribute a requirement, or a match through that branch could contain none of them.
  let required: string[] | null = [];
  for (const info of infos) {
    const branch = toRequired(info);
    if (branch === null) {
      required = null;
      break;
    }
    required.push(...branch);
    if (required.length > MAX_MINIMIZE_INPUT) {
      required = null;
      break;
    }
  }
  const prefix = unionOf(infos.map((info) => (info.exact !== null ? info.exact : info.prefix)));
  const suffix = unionOf(infos.map((info) => (info.exact !== null ? info.exact : info.suffix)));
  return nonExact(required === null ? null : minimize(required), prefix, suffix);
}

function repeat(node: RepeatNode, body: Info): Info {
  const { min, max } = node;
  if (max === 0) return EMPTY_STRING;
  if (body.exact === null) return min >= 1 ? body : NOTHING;
  if (min === 0 && max === 1) {
    const withEmpty = new Set(body.exact);
    withEmpty.add('');
    return withEmpty.size <= MAX_EXACT_STRINGS ? { exact: withEmpty } : NOTHING;
  }
  if (min === 0) return NOTHING;
  // The first (and the last) `min` iterations are substrings of every match; use as many as the limits allow.
  let power: Strings = body.exact;
  let copies = 1;
  while (copies < min) {
    const product = crossProduct(power, body.exact);
    if (product === null) break;
    power = product;
    copies++;
  }
  if (copies === min && min === max) return { exact: power };
  return nonExact(toRequired({ exact: power }), power, power);
}

/** A non-exact Info whose requirement is also improved by its own prefix and suffix when they are more selective. */
function nonExact(required: readonly string[] | null, prefix: Strings | null, suffix: Strings | null): Info {
  const best = mostSelective([
    required,
    prefix === null ? null : toRequired({ exact: prefix }),
    suffix === null ? null : toRequired({ exact: suffix }),
  ]);
  return { exact: null, required: best, prefix, suffix };
}

/** Union of sets, or null if any is unknown or the union is too large. */
function unionOf(sets: readonly (Strings | null)[]): Strings | null {
  const union = new Set<string>();
  for (const set of sets) {
    if (set === null) return null;
    for (const s of set) union.add(s);
  }
  return union.size <= MAX_EXACT_STRINGS ? union : null;
}

/** All concatenations a + b, or null when that exceeds the limits. */
function crossProduct(left: Strings, right: Strings): Strings | null {
  if (left.size * right.size > MAX_EXACT_STRINGS) return null;
  const out = new Set<string>();
  for (const a of left) {
    for (const b of right) {
      const joined = a + b;
      if (joined.length > MAX_LITERAL_LENGTH) return null;
      out.add(joined);
    }
  }
  return out;
}

/** The OR-set an Info guarantees; null when a match may contain none (an exact set including ''). */
function toRequired(info: Info): readonly string[] | null {
  if (info.exact === null) return info.required;
  if (info.exact.has('')) return null;
  return minimize([...info.exact]);
}

/**
 * Drops strings that contain another member (an input containing the longer one contains the shorter), and gives
 * up on sets too large to be worth a prefilter.
 */
function minimize(strings: readonly string[]): readonly string[] | null {
  if (strings.length > MAX_MINIMIZE_INPUT) return null;
  const unique = [...new Set(strings)].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const kept: string[] = [];
  for (const s of unique) {
    if (s === '') return null;
    if (!kept.some((shorter) => s.includes(shorter))) kept.push(s);
  }
  return kept.length <= MAX_REQUIRED_LITERALS ? kept : null;
}

/**
 * The candidate a prefilter can use best: its shortest literal is the longest (a 1-character literal filters
 * almost nothing), then the fewest alternatives.
 */
function mostSelective(candidates: readonly (readonly string[] | null)[]): readonly string[] | null {
  let best: readonly string[] | null = null;
  let bestShortest = 0;
  for (const candidate of candidates) {
    if (candidate === null || candidate.length === 0) continue;
    const shortest = Math.min(...candidate.map((s) => s.length));
    if (
      best === null ||
      shortest > bestShortest ||
      (shortest === bestShortest && candidate.length < best.length)
    ) {
      best = candidate;
      bestShortest = shortest;
    }
  }
  return best;
}
