/**
 * Value modifiers (SIGMA.md 1.6) as typed transforms applied left to right, in the manner of pySigma's modifier
 * registry. The output is a list of SigmaValues plus two item-level flags (`all`, `neq`), so no engine ever looks at
 * modifier names again.
 */
import { compileRegex, RegexSyntaxError } from '../regex/index.js';
import { parseCidr } from '../net/ip.js';
import { SigmaError } from './errors.js';
import { ANY, SigmaString, type StringToken } from './sigma-string.js';
import { MIN_PACKED_LENGTH } from './array-view.js';
import { plainTexts, StringList, type ListShape } from './string-list.js';
import { anchorRegex, RegexList } from './regex-list.js';
import { numberText, type CompareOp, type SigmaValue, type TimePart } from './values.js';
import {
  base64Encode,
  base64OffsetVariants,
  binaryStringBytes,
  utf16BinaryString,
  utf16ByteOrderMark,
  utf8Bytes,
  type Utf16Form,
} from './encoding.js';

/** A YAML scalar as the loader hands it over; `source` is the literal text for numbers. */
export interface RawValue {
  value: string | number | boolean | null;
  source?: string;
}

export interface ModifierOptions {
  /** Values for `expand` placeholders: name -> values (OR-ed). */
  placeholders?: Readonly<Record<string, readonly string[]>>;
}

export interface ItemValues {
  /** The values; a long list of plain strings is a view of a packed list (string-list.ts). */
  values: readonly SigmaValue[];
  /** `|all`: every value must match (expansions inside stay OR-ed). */
  all: boolean;
  /** `|neq`: the whole item is negated. */
  negated: boolean;
}

const TIME_PARTS: readonly TimePart[] = ['minute', 'hour', 'day', 'week', 'month', 'year'];
const COMPARE_OPS: readonly CompareOp[] = ['gt', 'gte', 'lt', 'lte'];
const REGEX_FLAGS: Readonly<Record<string, 'ignoreCase' | 'multiline' | 'dotAll'>> = {
  i: 'ignoreCase',
  ignorecase: 'ignoreCase',
  m: 'multiline',
  multiline: 'multiline',
  s: 'dotAll',
  dotall: 'dotAll',
};

/** Every modifier name sigmatch knows; anything else is UNKNOWN_MODIFIER. */
export const MODIFIER_NAMES: ReadonlySet<string> = new Set([
  'contains', 'startswith', 'endswith', 'all', 'windash', 'base64', 'base64offset',
  'wide', 'utf16le', 'utf16be', 'utf16', 're', ...Object.keys(REGEX_FLAGS), 'cidr', 'exists', 'cased',
  'fieldref', ...COMPARE_OPS, 'neq', 'expand', ...TIME_PARTS,
]);

/** The dash characters windash substitutes: hyphen, slash, en dash, em dash, horizontal bar. */
export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'];
/** Bound on the values one rule value may expand into (windash 5^n, placeholder products). */
export const MAX_EXPANSION = 15_625;

/** A value being transformed; `binary` marks text that holds bytes (after utf16), which base64 encodes as is. */
interface Working {
  value: SigmaValue;
  binary: boolean;
}

function fail(code: 'INVALID_VALUE' | 'INVALID_MODIFIER' | 'UNKNOWN_MODIFIER', message: string): never {
  throw new SigmaError(code, message);
}

function describe(field: string | null): string {
  return field === null ? 'the keyword item' : `field "${field}"`;
}

/** Check the chain as a whole: names known, order and combinations allowed. */
function validateChain(field: string | null, modifiers: readonly string[]): void {
  for (const m of modifiers) {
    if (!MODIFIER_NAMES.has(m)) {
      fail('UNKNOWN_MODIFIER', `unknown modifier "${m}" on ${describe(field)}: Sigma defines ${[...MODIFIER_NAMES].filter((n) => n.length > 1).join(', ')}`);
    }
  }
  const has = (m: string): boolean => modifiers.includes(m);
  for (const first of ['re', 'cidr']) {
    if (has(first) && modifiers[0] !== first) {
      fail('INVALID_MODIFIER', `"${first}" must be the first modifier on ${describe(field)} (got ${modifiers.join('|')})`);
    }
  }
  if (!has('re')) {
    const flag = modifiers.find((m) => m in REGEX_FLAGS);
    if (flag) fail('INVALID_MODIFIER', `"${flag}" is a regex flag and needs "re" first on ${describe(field)}`);
  }
  if (has('exists') && modifiers.length > 1) {
    fail('INVALID_MODIFIER', `"exists" cannot be combined with other modifiers on ${describe(field)}`);
  }
  if (has('exists') && field === null) fail('INVALID_MODIFIER', '"exists" needs a field name');
  if (has('fieldref') && field === null) fail('INVALID_MODIFIER', '"fieldref" needs a field name');
  const transforms = ['windash', 'base64', 'base64offset', 'wide', 'utf16le', 'utf16be', 'utf16'];
  for (const exclusive of ['re', 'cidr', 'fieldref']) {
    if (!has(exclusive)) continue;
    const bad = modifiers.find((m) => transforms.includes(m) || (exclusive !== 'fieldref' && m === 'cased'));
    if (bad) fail('INVALID_MODIFIER', `"${bad}" cannot be combined with "${exclusive}" on ${describe(field)}`);
  }
  if (has('re') && has('expand')) {
    fail('INVALID_MODIFIER', `"expand" cannot be combined with "re" on ${describe(field)}: a regex takes no placeholders`);
  }
  if (has('cidr')) {
    const bad = modifiers.find((m) => ['contains', 'startswith', 'endswith', 'expand'].includes(m));
    if (bad) fail('INVALID_MODIFIER', `"${bad}" cannot be combined with "cidr" on ${describe(field)}`);
  }
  const shapes = modifiers.filter((m) => m === 'contains' || m === 'startswith' || m === 'endswith');
  if (new Set(shapes).size > 1) {
    fail('INVALID_MODIFIER', `${shapes.join(' and ')} contradict each other on ${describe(field)}`);
  }
}

/** The initial typed value of a YAML scalar, before modifiers. */
function initialValue(raw: RawValue, modifiers: readonly string[]): Working {
  const { value } = raw;
  if (value === null) return { value: { type: 'null' }, binary: false };
  if (typeof value === 'boolean') return { value: { type: 'boolean', value }, binary: false };
  if (typeof value === 'number') return { value: { type: 'number', value, text: numberText(value, raw.source) }, binary: false };
  // Strings: regex, cidr and fieldref values are taken raw; everything else goes through the Sigma string parser.
  if (modifiers[0] === 're' || modifiers[0] === 'cidr' || modifiers.includes('fieldref')) {
    return { value: { type: 'string', value: SigmaString.literal(value), cased: false }, binary: false };
  }
  return { value: { type: 'string', value: SigmaString.parse(value, modifiers.includes('expand')), cased: false }, binary: false };
}

function mapWorking(w: Working, fn: (w: Working) => Working): Working {
  if (w.value.type === 'expansion') {
    const parts = w.value.values.map((v) => fn({ value: v, binary: w.binary }));
    // An expansion of an expansion (`expand|windash`, `windash|base64offset`) is one OR group: keep it flat, so
    // every later modifier sees plain values.
    const values = parts.flatMap((p) => (p.value.type === 'expansion' ? p.value.values : [p.value]));
    return { value: expansion(values), binary: parts.some((p) => p.binary) };
  }
  return fn(w);
}

function expansion(values: SigmaValue[]): SigmaValue {
  if (values.length > MAX_EXPANSION) {
    fail('INVALID_VALUE', `the value expands into ${values.length} variants, more than the limit of ${MAX_EXPANSION}`);
  }
  return values.length === 1 ? values[0] : { type: 'expansion', values };
}

function requireString(w: Working, modifier: string, field: string | null): SigmaString {
  if (w.value.type !== 'string') {
    const what = w.value.type === 'number' ? `the number ${w.value.text}` : w.value.type === 'boolean' ? `the boolean ${w.value.value}` : w.value.type;
    fail('INVALID_VALUE', `"${modifier}" needs a string value on ${describe(field)}, got ${what}; quote it if it is text`);
  }
  return w.value.value;
}

function requirePlain(s: SigmaString, modifier: string, field: string | null): string {
  const plain = s.plain;
  if (plain === null) fail('INVALID_VALUE', `"${modifier}" cannot encode wildcards or placeholders in "${s.toString()}" on ${describe(field)}; escape * and ? with a backslash`);
  return plain;
}

function stringValue(w: Working, s: SigmaString, binary = w.binary): Working {
  const cased = w.value.type === 'string' ? w.value.cased : false;
  return { value: { type: 'string', value: s, cased }, binary };
}

/** Windash: each `-` or `/` preceded by a non-word character (or the start of a text run) and followed by a word
 * character becomes each of the five dash characters (pySigma's `\B[-/]\b` per plain part). */
const WORD_CHAR = /[\p{L}\p{N}_]/u;
function windashPositions(text: string): number[] {
  const chars = [...text];
  const positions: number[] = [];
  let offset = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if ((c === '-' || c === '/') && (i === 0 || !WORD_CHAR.test(chars[i - 1])) && i + 1 < chars.length && WORD_CHAR.test(chars[i + 1])) {
      positions.push(offset);
    }
    offset += c.length;
  }
  return positions;
}

function windashVariants(s: SigmaString): SigmaString[] {
  let variants: StringToken[][] = [[]];
  for (const token of s.tokens) {
    if (token.kind !== 'text') {
      variants = variants.map((v) => [...v, token]);
      continue;
    }
    const positions = windashPositions(token.text);
    let texts = [''];
    let last = 0;
    for (const p of positions) {
      const before = token.text.slice(last, p);
      texts = texts.flatMap((t) => WINDASH_CHARS.map((d) => t + before + d));
      if (texts.length * variants.length > MAX_EXPANSION) {
        fail('INVALID_VALUE', `windash on "${s.toString()}" expands into more than ${MAX_EXPANSION} variants`);
      }
      last = p + 1;
    }
    const rest = token.text.slice(last);
    texts = texts.map((t) => t + rest);
    variants = variants.flatMap((v) => texts.map((t) => [...v, { kind: 'text', text: t } as StringToken]));
  }
  return variants.map((tokens) => new SigmaString(tokens));
}

function utf16(s: SigmaString, form: Utf16Form): SigmaString {
  const converted = s.mapText((t) => utf16BinaryString(t, form === 'bom' ? 'le' : form));
  return form === 'bom' ? converted.prepend({ kind: 'text', text: utf16ByteOrderMark() }) : converted;
}

/** Every placeholder of every value of the item must have values; report all missing ones at once. */
function checkPlaceholders(field: string | null, raws: readonly RawValue[], options: ModifierOptions): void {
  const missing = new Set<string>();
  for (const raw of raws) {
    if (typeof raw.value !== 'string') continue;
    for (const t of SigmaString.parse(raw.value, true).tokens) {
      if (t.kind === 'placeholder' && !options.placeholders?.[t.name]?.length) missing.add(t.name);
    }
  }
  if (missing.size === 0) return;
  const names = [...missing];
  const list = names.map((n) => `%${n}%`).join(', ');
  const how = names.map((n) => `--placeholder ${n}=VALUE`).join(' ');
  const plural = names.length > 1;
  throw new SigmaError(
    'UNRESOLVED_PLACEHOLDER',
    `placeholder${plural ? 's' : ''} ${list} on ${describe(field)} ${plural ? 'have' : 'has'} no value: supply ${plural ? 'them' : 'it'} with the placeholders option (${how})`,
  );
}

function resolvePlaceholders(w: Working, options: ModifierOptions, field: string | null): Working {
  return mapWorking(w, (item) => {
    if (item.value.type !== 'string' || !item.value.value.hasPlaceholders) return item;
    const cased = item.value.cased;
    let results: StringToken[][] = [[]];
    for (const token of item.value.value.tokens) {
      if (token.kind !== 'placeholder') {
        results = results.map((r) => [...r, token]);
        continue;
      }
      const values = options.placeholders![token.name]!;
      const replacements = values.map((v) => SigmaString.parse(v).tokens);
      results = results.flatMap((r) => replacements.map((rep) => [...r, ...rep]));
      if (results.length > MAX_EXPANSION) fail('INVALID_VALUE', `placeholders on ${describe(field)} expand into more than ${MAX_EXPANSION} values`);
    }
    return { value: expansion(results.map((tokens) => ({ type: 'string', value: new SigmaString(tokens), cased }))), binary: item.binary };
  });
}

/**
 * Apply a modifier chain to the raw values of one detection item. Throws SigmaError (without position; the caller
 * adds it) for unknown modifiers, misplaced ones and values of the wrong type.
 */
export function applyModifiers(field: string | null, modifiers: readonly string[], raws: readonly RawValue[], options: ModifierOptions = {}): ItemValues {
  validateChain(field, modifiers);
  if (modifiers.includes('expand')) checkPlaceholders(field, raws, options);
  const all = modifiers.includes('all');
  const negated = modifiers.includes('neq');
  const values = raws.map((raw) => {
    let w = initialValue(raw, modifiers);
    if (modifiers.includes('expand')) w = resolvePlaceholders(w, options, field);
    w = applyChain(w, modifiers, field);
    return w.value;
  });
  return { values, all, negated };
}

/** Modifiers a packed list of plain strings carries as they are: its shape, its case mode and the item's flags. */
const PACKABLE_MODIFIERS: ReadonlySet<string> = new Set(['contains', 'startswith', 'endswith', 'cased', 'all', 'neq']);

/**
 * The values of an item of many strings as one packed list (string-list.ts): what `applyModifiers` (and, for a
 * keyword item, `keywordValues`) makes of them, value for value. Null when the list is short, a modifier does more
 * than shape the strings, or a value is not plain text (empty, or with a wildcard or escape): the caller then
 * applies the modifiers value by value. An invalid chain throws as `applyModifiers` throws.
 */
export function applyModifiersToStrings(field: string | null, modifiers: readonly string[], raws: readonly string[]): ItemValues | null {
  if (raws.length < MIN_PACKED_LENGTH || !modifiers.every((m) => PACKABLE_MODIFIERS.has(m))) return null;
  validateChain(field, modifiers);
  const texts = plainTexts(raws);
  if (!texts) return null;
  const explicit = modifiers.find((m): m is ListShape => m === 'contains' || m === 'startswith' || m === 'endswith');
  // A keyword is a substring unless the item says how (keywordValues).
  const shape: ListShape = explicit ?? (field === null ? 'contains' : 'equals');
  return { values: new StringList(texts, shape, modifiers.includes('cased')).values(), all: modifiers.includes('all'), negated: modifiers.includes('neq') };
}

/** The error for a pattern that does not compile (anything but a RegexSyntaxError is passed on). */
function regexError(e: unknown, field: string | null, pattern: string): unknown {
  if (!(e instanceof RegexSyntaxError)) return e;
  return new SigmaError('INVALID_REGEX', `invalid regex on ${describe(field)}: ${e.message} (at offset ${e.offset} of /${pattern}/)`);
}

/** Modifiers a packed `re` list carries as they are: the regex, its flags, its anchoring and the item's negation. */
const PACKABLE_REGEX_MODIFIERS: ReadonlySet<string> = new Set(['re', ...Object.keys(REGEX_FLAGS), 'contains', 'startswith', 'endswith', 'neq']);

/**
 * The values of an item of many `re` patterns as one packed list (regex-list.ts): each pattern is checked as
 * `applyModifiers` checks it (the first that does not compile throws the same error) and nothing of the check is
 * kept. Null when the list is short or a modifier does more (`all`: the compiler ANDs the regexes one by one).
 */
export function applyModifiersToRegexes(field: string | null, modifiers: readonly string[], raws: readonly string[]): ItemValues | null {
  if (raws.length < MIN_PACKED_LENGTH || modifiers[0] !== 're' || !modifiers.every((m) => PACKABLE_REGEX_MODIFIERS.has(m))) return null;
  validateChain(field, modifiers);
  const flags = { ignoreCase: false, multiline: false, dotAll: false };
  for (const m of modifiers) if (m in REGEX_FLAGS) flags[REGEX_FLAGS[m]] = true;
  const list = new RegexList(raws, modifiers.includes('startswith'), modifiers.includes('endswith'), flags);
  for (let i = 0; i < raws.length; i++) {
    try {
      list.check(i);
    } catch (e) {
      throw regexError(e, field, raws[i]);
    }
  }
  return { values: list.values(), all: false, negated: modifiers.includes('neq') };
}

function applyChain(initial: Working, modifiers: readonly string[], field: string | null): Working {
  let w = initial;
  // Regex flags are collected first: they qualify the single `re` value wherever they appear in the chain.
  const regexFlags = { ignoreCase: false, multiline: false, dotAll: false };
  for (const m of modifiers) if (m in REGEX_FLAGS) regexFlags[REGEX_FLAGS[m]] = true;
  const shape = modifiers.find((m) => m === 'contains' || m === 'startswith' || m === 'endswith');

  for (const m of modifiers) {
    switch (m) {
      case 'all':
      case 'neq':
      case 'expand':
      case 'i': case 'ignorecase': case 'm': case 'multiline': case 's': case 'dotall':
        break;
      case 're': {
        const pattern = requireString(w, 're', field).plain ?? '';
        const anchored = anchorRegex(pattern, shape === 'startswith', shape === 'endswith');
        try {
          w = { value: { type: 'regex', regex: compileRegex(anchored, regexFlags) }, binary: false };
        } catch (e) {
          throw regexError(e, field, pattern);
        }
        break;
      }
      case 'cidr': {
        const text = requireString(w, 'cidr', field).plain ?? '';
        const network = parseCidr(text);
        if (!network) throw new SigmaError('INVALID_CIDR', `"${text}" on ${describe(field)} is not an IPv4 or IPv6 network (expected e.g. 10.0.0.0/8 or fe80::/10)`);
        w = { value: { type: 'cidr', network }, binary: false };
        break;
      }
      case 'contains':
      case 'startswith':
      case 'endswith':
        // With fieldref the shape qualifies the field comparison; it is applied when the fieldref value is built.
        if (!modifiers.includes('fieldref')) w = mapWorking(w, (item) => applyShape(item, m, field));
        break;
      case 'windash':
        w = mapWorking(w, (item) => {
          const s = requireString(item, m, field);
          return { value: expansion(windashVariants(s).map((v) => stringValue(item, v).value)), binary: item.binary };
        });
        break;
      case 'base64':
        w = mapWorking(w, (item) => {
          const text = requirePlain(requireString(item, m, field), m, field);
          return stringValue(item, SigmaString.literal(base64Encode(item.binary ? binaryStringBytes(text) : utf8Bytes(text))), false);
        });
        break;
      case 'base64offset':
        w = mapWorking(w, (item) => {
          const text = requirePlain(requireString(item, m, field), m, field);
          const bytes = item.binary ? binaryStringBytes(text) : utf8Bytes(text);
          return { value: expansion(base64OffsetVariants(bytes).map((v) => stringValue(item, SigmaString.literal(v), false).value)), binary: false };
        });
        break;
      case 'wide':
      case 'utf16le':
      case 'utf16be':
      case 'utf16':
        w = mapWorking(w, (item) => {
          const s = requireString(item, m, field);
          const form: Utf16Form = m === 'utf16be' ? 'be' : m === 'utf16' ? 'bom' : 'le';
          return stringValue(item, utf16(s, form), true);
        });
        break;
      case 'cased':
        w = mapWorking(w, (item) => {
          if (item.value.type === 'string') return { value: { ...item.value, cased: true }, binary: item.binary };
          if (item.value.type === 'fieldref') return { value: { ...item.value, cased: true }, binary: false };
          return fail('INVALID_VALUE', `"cased" needs a string value on ${describe(field)}`);
        });
        break;
      case 'exists':
        if (w.value.type !== 'boolean') fail('INVALID_VALUE', `"exists" needs true or false on ${describe(field)}`);
        w = { value: { type: 'exists', value: w.value.value }, binary: false };
        break;
      case 'fieldref': {
        const s = requireString(w, m, field);
        const name = s.plain;
        if (name === null || /[*?]/.test(name)) fail('INVALID_VALUE', `"fieldref" names a field; "${s.toString()}" on ${describe(field)} must not contain wildcards`);
        // A `cased` before fieldref carries over (after it, the cased case below sets it).
        w = { value: { type: 'fieldref', field: name, position: 'equals', cased: w.value.type === 'string' && w.value.cased }, binary: false };
        // A shape modifier before fieldref still applies.
        if (shape) w = applyShape(w, shape, field);
        break;
      }
      case 'gt': case 'gte': case 'lt': case 'lte': {
        const op = m;
        if (w.value.type === 'number') w = { value: { type: 'compare', op, value: w.value.value }, binary: false };
        else if (w.value.type === 'timepart' && w.value.op === 'eq') w = { value: { ...w.value, op }, binary: false };
        else fail('INVALID_VALUE', `"${m}" needs a number on ${describe(field)}`);
        break;
      }
      case 'minute': case 'hour': case 'day': case 'week': case 'month': case 'year': {
        const part = m;
        if (w.value.type === 'number') w = { value: { type: 'timepart', part, op: 'eq', value: w.value.value }, binary: false };
        else if (w.value.type === 'compare') w = { value: { type: 'timepart', part, op: w.value.op, value: w.value.value }, binary: false };
        else fail('INVALID_VALUE', `"${m}" needs a number on ${describe(field)} (e.g. ${field ?? 'Field'}|${m}: 3)`);
        break;
      }
      default:
        fail('UNKNOWN_MODIFIER', `unknown modifier "${m}" on ${describe(field)}`);
    }
  }
  return w;
}

function applyShape(item: Working, shape: 'contains' | 'startswith' | 'endswith', field: string | null): Working {
  const v = item.value;
  if (v.type === 'regex' || v.type === 'cidr') return item; // regex anchoring is done when the regex is built
  if (v.type === 'fieldref') return { value: { ...v, position: shape }, binary: false };
  const s = requireString(item, shape, field);
  let out = s;
  if (shape !== 'startswith' && !out.startsWithAny()) out = out.prepend(ANY);
  if (shape !== 'endswith' && !out.endsWithAny()) out = out.append(ANY);
  return stringValue(item, out);
}

/**
 * Keyword items search every leaf of the event: unless the item says how (contains/startswith/endswith/re/cidr),
 * a keyword is a substring, and a number keyword is its decimal text (SIGMA.md 1.9).
 */
export function keywordValues(values: readonly SigmaValue[], modifiers: readonly string[]): readonly SigmaValue[] {
  const explicit = modifiers.some((m) => m === 'contains' || m === 'startswith' || m === 'endswith' || m === 're' || m === 'cidr');
  if (explicit) return values;
  const wrap = (v: SigmaValue): SigmaValue => {
    if (v.type === 'expansion') return { type: 'expansion', values: v.values.map(wrap) };
    let s: SigmaString;
    let cased = false;
    if (v.type === 'string') {
      s = v.value;
      cased = v.cased;
    } else if (v.type === 'number') s = SigmaString.literal(v.text);
    else return v;
    if (!s.startsWithAny()) s = s.prepend(ANY);
    if (!s.endsWithAny()) s = s.append(ANY);
    return { type: 'string', value: s, cased };
  };
  return values.map(wrap);
}
