/**
 * Shared test support for the regex engine: the SigmaHQ corpus, realistic sample strings, a JS RegExp reference
 * restricted to where its semantics coincide with ours, and a generator of strings that (usually) match an AST.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import {
  parseRegex,
  readInlineFlags,
  regexFlagsFromModifiers,
  type RegexFlags,
  type RegexNode,
  type RequiredLiterals,
} from '../../src/regex/index.js';
import { classRanges, rangesContain } from '../../src/regex/charset.js';
import { foldCodePoint, foldString } from '../../src/text/fold.js';

/** The SigmaHQ checkout lives in shared/ beside the repository (also in CI); overridable for other layouts. */
export const SIGMA_DIR =
  process.env.SIGMATCH_SIGMA_DIR ?? fileURLToPath(new URL('../../../shared/sigma', import.meta.url));

export interface CorpusRegex {
  readonly file: string;
  readonly key: string;
  readonly pattern: string;
  readonly flags: RegexFlags;
}

function walkFiles(dir: string, accept: (name: string) => boolean, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walkFiles(path, accept, out);
    else if (accept(entry.name)) out.push(path);
  }
  return out;
}

function ruleFiles(): string[] {
  if (!existsSync(SIGMA_DIR)) {
    throw new Error(`SigmaHQ corpus not found at ${SIGMA_DIR}; set SIGMATCH_SIGMA_DIR to its location`);
  }
  const roots = readdirSync(SIGMA_DIR)
    .filter((name) => name.startsWith('rules'))
    .map((name) => join(SIGMA_DIR, name));
  return roots.flatMap((root) => walkFiles(root, (name) => /\.ya?ml$/.test(name)));
}

let detections: { file: string; detection: unknown }[] | null = null;

/** The detection section of every corpus rule, parsed once per test file. */
function ruleDetections(): { file: string; detection: unknown }[] {
  if (detections !== null) return detections;
  detections = [];
  for (const file of ruleFiles()) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const rule = doc.toJS() as { detection?: unknown } | null;
      if (rule?.detection) detections.push({ file, detection: rule.detection });
    }
  }
  return detections;
}

/** Every `field|re...: value` in the detection sections of the corpus rules. */
export function loadCorpusRegexes(): CorpusRegex[] {
  const out: CorpusRegex[] = [];
  const visit = (node: unknown, file: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, file);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const modifiers = key.split('|').slice(1);
      if (!modifiers.includes('re')) {
        visit(value, file);
        continue;
      }
      for (const pattern of [value].flat()) {
        if (typeof pattern === 'string') out.push({ file, key, pattern, flags: regexFlagsFromModifiers(modifiers) });
      }
    }
  };
  for (const { file, detection } of ruleDetections()) visit(detection, file);
  return out;
}

/** String values from the corpus's regression events and rule detections: realistic command lines, paths, URLs. */
export function loadSampleStrings(): string[] {
  const samples = new Set<string>();
  const collect = (node: unknown): void => {
    if (typeof node === 'string') {
      if (node.length > 0 && node.length < 2048) samples.add(node);
    } else if (Array.isArray(node)) for (const item of node) collect(item);
    else if (node !== null && typeof node === 'object') for (const value of Object.values(node)) collect(value);
  };
  const regression = join(SIGMA_DIR, 'regression_data');
  if (existsSync(regression)) {
    for (const file of walkFiles(regression, (name) => name.endsWith('.json'))) {
      collect(parseJsonOrNdjson(readFileSync(file, 'utf8')));
    }
  }
  for (const { detection } of ruleDetections()) collect(detection);
  return [...samples];
}

/** Regression events are stored as one JSON document or as several concatenated ones (pretty-printed or per line). */
function parseJsonOrNdjson(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if ((c === '}' || c === ']') && --depth === 0) {
      values.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return values;
}

/** Deterministic PRNG (mulberry32) so generated inputs are reproducible. */
export class Rng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/**
 * A JS RegExp that means the same as our regex on the inputs `accepts` lets through. The u flag gives code point
 * semantics (so astral inputs are comparable) but rejects identity escapes such as `\-` or `\"` and lone `]`, and
 * under i it switches to Unicode case folding, which differs from our simple lowercasing; so: u when the pattern
 * allows and i is off, and otherwise BMP-only inputs.
 */
export interface JsReference {
  readonly flags: string;
  readonly accepts: (input: string) => boolean;
  readonly test: (input: string) => boolean;
}

/**
 * RegExp.prototype.test restricted to code point boundaries. V8 in u mode still tries an empty match between the
 * halves of a surrogate pair (`/\B/u.exec('a😁')` matches at index 2), a position that does not exist in code point
 * semantics; a sticky regexp tried at each boundary avoids it.
 */
export function jsTestAtCodePointBoundaries(sticky: RegExp, input: string): boolean {
  for (let i = 0; i <= input.length; i += (input.codePointAt(i) ?? 0) > 0xffff ? 2 : 1) {
    sticky.lastIndex = i;
    if (sticky.test(input)) return true;
  }
  return false;
}

export function jsReference(pattern: string, flags: RegexFlags): JsReference {
  const inline = readInlineFlags(pattern);
  const body = pattern.slice(inline.bodyOffset);
  const ignoreCase = flags.ignoreCase || inline.flags.ignoreCase;
  const jsFlags =
    (ignoreCase ? 'i' : '') +
    (flags.multiline || inline.flags.multiline ? 'm' : '') +
    (flags.dotAll || inline.flags.dotAll ? 's' : '');
  const patternIsAscii = !/[^\x00-\x7f]/.test(body);
  const noLoneSurrogates = (input: string): boolean => input.isWellFormed();
  // Under i, JS (non-u) never folds a non-ASCII character onto an ASCII one; our table maps the Kelvin sign to k.
  const foldSafe = (input: string): boolean => !ignoreCase || (patternIsAscii && !input.includes('\u212a'));
  if (!ignoreCase) {
    let sticky: RegExp | null = null;
    try {
      sticky = new RegExp(body, `${jsFlags}uy`);
    } catch {
      // not valid in u mode: fall through to the BMP-only comparison
    }
    if (sticky !== null) {
      const regexp = sticky;
      return { flags: regexp.flags, accepts: noLoneSurrogates, test: (input) => jsTestAtCodePointBoundaries(regexp, input) };
    }
  }
  const regexp = new RegExp(body, jsFlags);
  return {
    flags: regexp.flags,
    accepts: (input) => noLoneSurrogates(input) && !/[\ud800-\udfff]/.test(input) && foldSafe(input),
    test: (input) => regexp.test(input),
  };
}

/** Printable ASCII plus a few characters that matter to the engine (line terminators, tab). */
const COMMON_CHARS = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, k) => String.fromCharCode(0x20 + k)),
  '\n',
  '\r',
  '\t',
];

/**
 * A string that matches `node` in most cases (assertions are not enforced, so `a^b` yields "ab"). Under i, letters
 * get a random case. Counted repetition is sampled near its minimum to keep inputs small.
 */
export function generateMatch(node: RegexNode, flags: RegexFlags, rng: Rng): string {
  switch (node.kind) {
    case 'empty':
    case 'assert':
      return '';
    case 'char':
      return randomCase(String.fromCodePoint(node.cp), flags.ignoreCase, rng);
    case 'any': {
      for (;;) {
        const c = rng.pick(COMMON_CHARS);
        if (node.dotAll || (c !== '\n' && c !== '\r')) return c;
      }
    }
    case 'class':
      return randomCase(randomClassMember(classRanges(node, flags.ignoreCase), rng), flags.ignoreCase, rng);
    case 'group':
      return generateMatch(node.body, flags, rng);
    case 'concat':
      return node.items.map((item) => generateMatch(item, flags, rng)).join('');
    case 'alt':
      return generateMatch(rng.pick(node.branches), flags, rng);
    case 'repeat': {
      const extra = node.max === Infinity ? rng.int(4) : rng.int(Math.min(node.max - node.min, 3) + 1);
      let out = '';
      for (let k = 0; k < node.min + extra; k++) out += generateMatch(node.body, flags, rng);
      return out;
    }
  }
}

const SURROGATE_START = 0xd800;
const SURROGATE_END = 0xdfff;
const ASCII_TRIES = 12;

function randomClassMember(ranges: readonly number[], rng: Rng): string {
  if (ranges.length === 0) return '';
  // Prefer printable ASCII members: negated classes span all of Unicode and a uniform pick is rarely interesting.
  for (let k = 0; k < ASCII_TRIES; k++) {
    const c = rng.pick(COMMON_CHARS);
    if (rangesContain(ranges, c.codePointAt(0)!)) return c;
  }
  for (;;) {
    const r = rng.int(ranges.length / 2);
    const lo = ranges[2 * r];
    const hi = ranges[2 * r + 1];
    const cp = lo + rng.int(Math.min(hi - lo + 1, 0x100));
    if (cp < SURROGATE_START || cp > SURROGATE_END) return String.fromCodePoint(cp);
  }
}

function randomCase(s: string, ignoreCase: boolean, rng: Rng): string {
  if (!ignoreCase || rng.next() < 0.5) return s;
  const upper = s.toUpperCase();
  // Only swap when it is a one-to-one mapping our fold agrees with (ß -> SS is not).
  if ([...upper].length !== 1 || foldCodePoint(upper.codePointAt(0)!) !== foldCodePoint(s.codePointAt(0)!)) return s;
  return upper;
}

/** Random edits: deletions, insertions, substitutions and case flips, to produce near misses. */
export function mutate(s: string, rng: Rng, pool: readonly string[] = COMMON_CHARS): string {
  const chars = [...s];
  const edits = 1 + rng.int(3);
  for (let k = 0; k < edits; k++) {
    const at = rng.int(chars.length + 1);
    switch (rng.int(4)) {
      case 0:
        chars.splice(at, 1);
        break;
      case 1:
        chars.splice(at, 0, rng.pick(pool));
        break;
      case 2:
        if (at < chars.length) chars[at] = rng.pick(pool);
        break;
      default:
        if (at < chars.length) {
          const c = chars[at];
          chars[at] = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
        }
    }
  }
  return chars.join('');
}

/** Whether `input` contains one of the required literals, as the prefilter would check. */
export function prefilterAdmits(required: RequiredLiterals, input: string): boolean {
  const haystack = required.caseFolded ? foldString(input) : input;
  return required.literals.some((literal) => haystack.includes(literal));
}

export function astOf(pattern: string, flags: RegexFlags): RegexNode {
  return parseRegex(pattern, flags).root;
}

/**
 * An independent reference matcher for property tests: evaluates the AST directly as sets of end positions (no
 * compiler, no Pike VM, no backtracking), so it is polynomial on any pattern, including the nested quantifiers on
 * which JS RegExp backtracks exponentially. Only the class sets and folding are shared with the engine (those are
 * checked against JS and brute force elsewhere).
 */
export function oracleSearch(pattern: string, flags: RegexFlags, input: string): boolean {
  const ast = parseRegex(pattern, flags);
  const cps = [...input.toWellFormed()].map((c) => c.codePointAt(0)!);
  const all = new Set<number>();
  for (let p = 0; p <= cps.length; p++) all.add(p);
  return endPositions(ast.root, all, cps, ast.flags.ignoreCase).size > 0;
}

const LINE_TERMINATORS = new Set([0x0a, 0x0d, 0x2028, 0x2029]);
const isAsciiWord = (cp: number | undefined): boolean => cp !== undefined && /[A-Za-z0-9_]/.test(String.fromCodePoint(cp));

function endPositions(node: RegexNode, starts: ReadonlySet<number>, cps: readonly number[], ignoreCase: boolean): Set<number> {
  const step = (accepts: (cp: number) => boolean): Set<number> => {
    const out = new Set<number>();
    for (const p of starts) if (p < cps.length && accepts(cps[p])) out.add(p + 1);
    return out;
  };
  const fold = (cp: number): number => (ignoreCase ? foldCodePoint(cp) : cp);
  switch (node.kind) {
    case 'empty':
      return new Set(starts);
    case 'char':
      return step((cp) => fold(cp) === fold(node.cp));
    case 'any':
      return step((cp) => node.dotAll || !LINE_TERMINATORS.has(cp));
    case 'class': {
      const ranges = classRanges(node, ignoreCase);
      return step((cp) => rangesContain(ranges, fold(cp)));
    }
    case 'assert': {
      const holds = (p: number): boolean => {
        const prev = p > 0 ? cps[p - 1] : undefined;
        const cur = p < cps.length ? cps[p] : undefined;
        switch (node.assertion) {
          case 'textStart':
            return p === 0;
          case 'textEnd':
            return p === cps.length;
          case 'lineStart':
            return prev === undefined || LINE_TERMINATORS.has(prev);
          case 'lineEnd':
            return cur === undefined || LINE_TERMINATORS.has(cur);
          case 'wordBoundary':
            return isAsciiWord(prev) !== isAsciiWord(cur);
          case 'notWordBoundary':
            return isAsciiWord(prev) === isAsciiWord(cur);
        }
      };
      return new Set([...starts].filter(holds));
    }
    case 'group':
      return endPositions(node.body, starts, cps, ignoreCase);
    case 'concat': {
      let current: Set<number> = new Set(starts);
      for (const item of node.items) current = endPositions(item, current, cps, ignoreCase);
      return current;
    }
    case 'alt': {
      const out = new Set<number>();
      for (const branch of node.branches) for (const p of endPositions(branch, starts, cps, ignoreCase)) out.add(p);
      return out;
    }
    case 'repeat': {
      let current: Set<number> = new Set(starts);
      for (let k = 0; k < node.min; k++) current = endPositions(node.body, current, cps, ignoreCase);
      const reached = new Set(current);
      // Extra iterations until the bound or until no new position appears (positions are finite, so this ends).
      let frontier = current;
      for (let k = node.min; k < node.max && frontier.size > 0; k++) {
        const next = endPositions(node.body, frontier, cps, ignoreCase);
        frontier = new Set([...next].filter((p) => !reached.has(p)));
        for (const p of next) reached.add(p);
        if (node.max !== Infinity) frontier = next;
      }
      return reached;
    }
  }
}

/** Whether a quantifier applies to something that itself contains a quantifier (JS may backtrack exponentially). */
export function hasNestedQuantifier(node: RegexNode, insideQuantifier = false): boolean {
  switch (node.kind) {
    case 'repeat':
      return insideQuantifier || hasNestedQuantifier(node.body, true);
    case 'group':
      return hasNestedQuantifier(node.body, insideQuantifier);
    case 'concat':
      return node.items.some((item) => hasNestedQuantifier(item, insideQuantifier));
    case 'alt':
      return node.branches.some((branch) => hasNestedQuantifier(branch, insideQuantifier));
    default:
      return false;
  }
}

/** Number of quantifiers in the pattern: JS backtracking on a failing search grows like length^count. */
export function countQuantifiers(node: RegexNode): number {
  switch (node.kind) {
    case 'repeat':
      return 1 + countQuantifiers(node.body);
    case 'group':
      return countQuantifiers(node.body);
    case 'concat':
      return node.items.reduce((sum, item) => sum + countQuantifiers(item), 0);
    case 'alt':
      return node.branches.reduce((sum, branch) => sum + countQuantifiers(branch), 0);
    default:
      return 0;
  }
}

/**
 * Whether JS RegExp is a safe oracle for this pattern: backtracking is exponential with nested quantifiers and
 * grows like length^quantifiers otherwise, so only flat patterns with few quantifiers qualify (inputs are short).
 */
export function jsIsTractable(root: RegexNode): boolean {
  return !hasNestedQuantifier(root) && countQuantifiers(root) <= MAX_QUANTIFIERS_FOR_JS;
}
const MAX_QUANTIFIERS_FOR_JS = 5;
