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
  readonly regexp: RegExp;
  readonly accepts: (input: string) => boolean;
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
  const foldSafe = (input: string): boolean =>
    !ignoreCase || (patternIsAscii && !input.includes('\u212a'));
  if (!ignoreCase) {
    try {
      const regexp = new RegExp(body, `${jsFlags}u`);
      return { regexp, accepts: noLoneSurrogates };
    } catch {
      // not valid in u mode: fall through to the BMP-only comparison
    }
  }
  const regexp = new RegExp(body, jsFlags);
  return {
    regexp,
    accepts: (input) => noLoneSurrogates(input) && !/[\ud800-\udfff]/.test(input) && foldSafe(input),
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
