/**
 * fast-check generators for the differential tests (engines.test.ts): Sigma rule sets generated from a model and
 * rendered to YAML text, events drawn from the same small vocabulary of field names and values, and "planting",
 * which writes values that satisfy the loaded rules' own detection items into the events so that rules and events
 * meet often (a rule set that never matches proves little).
 *
 * Everything is a plain value built deterministically from the generated choices, so fast-check can shrink a
 * failure to a small rule set and a few events. Rules are valid by construction (the properties assert that the
 * loader reports no error): modifier chains come from the combinations SIGMA.md 1.6 allows, values have the types
 * their modifiers need, condition patterns always name at least one search identifier.
 */
import fc from 'fast-check';
import { loadRulesFromText, type RuleSet } from '../../src/rule/load.js';
import { resolvePattern } from '../../src/rule/condition.js';
import type { DetectionItem, DetectionNode, SigmaRule } from '../../src/rule/model.js';
import { SigmaString } from '../../src/rule/sigma-string.js';
import type { SigmaValue } from '../../src/rule/values.js';
import { isEvtxJsonShape } from '../../src/input/evtx-json.js';
import { parseRegex } from '../../src/regex/index.js';
import { ASCII_CLASS_ITEMS, ASCII_LITERALS, patternArbitrary, UNICODE_CLASS_ITEMS, UNICODE_LITERALS } from '../regex/grammar.js';
import { generateMatch, Rng } from '../regex/support.js';

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary shared by rules and events
// ---------------------------------------------------------------------------------------------------------------

/**
 * Field names rules test and events carry: plain, unicode, dotted (literal key or nested path), evtx attribute
 * names (`K_Y`), and a path into the evtx envelope itself.
 */
export const FIELDS = [
  'Image', 'Image', 'CommandLine', 'CommandLine', 'User', 'EventID', 'EventID', 'Signed', 'Count', 'SourceIp',
  'UtcTime', 'Größe', 'a.b', 'a.b', 'a.b.c', 'proc.name', 'a', 'Provider_Name', 'Provider_Name', 'Security_UserID',
  'Provider', 'A_B_C', 'Data', 'Event.System.EventID', '__proto__', 'constructor', 'a.__proto__',
] as const;

/** Keys events carry besides the rule fields: parents of the dotted names, and keys no rule reads. */
const EXTRA_KEYS = ['a', 'proc', 'Msg', 'other', 'Event'] as const;

/** Text that rule literals and event values are both made of: case pairs (ASCII and not), folds that change the
 * UTF-8 length (Kelvin sign, Ohm sign, capital sharp s), combining marks, emoji, paths, dashes, IPs, dates. */
export const TEXT_PIECES = [
  'cmd.exe', 'CMD.EXE', 'C:\\Windows\\System32\\', '\\cmd.exe', 'powershell', 'PowerShell.EXE', ' -enc ', '-nop', '/c',
  ' /c ', 'whoami', 'admin', 'ADMIN', 'Äpfel', 'äPFEL', 'ΣΊΣΥΦΟΣ', 'σίσυφος', 'ς', 'İstanbul', 'istanbul', 'ı',
  '\u212a', 'k', '\u1e9e', 'ß', 'Straße', '\u2126', 'ω', 'ǅ', '𐐀', '𐐨', '😀', '👍🏽', 'e\u0301', 'é', 'foo', 'FOO',
  'bar', 'a-b', 'x', ' ', '4688', '0', '1.5', '10.1.2.3', '192.168.1.77', 'fe80::1', '2001:db8::5',
  '2024-05-06T07:08:09Z', '2023-12-31 23:59', 'true', 'False', 'null', '%user%', 'wo\u2013rd', '\u2014param', '\ufffd',
  '\udc00',
] as const;

/** Only in event values: control characters, escapes, separators, BOM, lone surrogates (U+FFFD for every engine). */
const EVENT_ONLY_PIECES = [
  '"', '\\', '\n', '\t', '\u0000', '\u0001', '\u2028', '\ufeff', '\u00ad', '\ud800', '\udc00', 'a\ud83d', '*', '?',
  '\u2013c', '\u2015user', 'Temp', 'root', 'windows', '</x>', '{"a":1}',
] as const;

/** Placeholder values supplied to the loader for `expand` (wildcards in them are wildcards). */
export const PLACEHOLDERS: Record<string, string[]> = {
  user: ['admin', 'Root*', 'ÄDMIN'],
  dir: ['Windows', 'Temp\\*'],
  'DC-NAME': ['dc01'],
};

const NUMBER_SOURCES = ['0', '1', '5', '7', '42', '4688', '-1', '-5', '2.5', '0.5', '1000', '-0', '1e3', '12345678901234567890'] as const;
const COMPARE_SOURCES = ['0', '1', '5', '7', '42', '4688', '-1', '2.5', '1000', '-0.5', '1e2'] as const;
const EVENT_NUMBERS = [0, 1, 2, 5, 7, 42, 4688, 4689, -1, -0, 1.5, 2.5, 1000, 1e21, 1e-7, 123456789012, 0.1, 2 ** 53, 1e300, 5e-324] as const;

const NETWORKS = [
  '10.0.0.0/8', '10.1.2.0/24', '10.1.2.3/32', '10.1.2.3', '10.1.2.129/25', '192.168.0.0/16', '0.0.0.0/0', '172.16.0.0/12',
  'fe80::/10', 'FE80::/16', '::1/128', '::/0', '2001:db8::/32', '2001:db8::5/128', '::ffff:10.0.0.0/104',
] as const;
const ADDRESSES = [
  '10.1.2.3', '10.255.0.1', '192.168.1.77', '172.16.5.4', '8.8.8.8', '0.0.0.0', '255.255.255.255', 'fe80::1',
  'FE80::1%12', '::1', '2001:db8::5', '2001:DB8:0:0:0:0:0:5', '::ffff:10.1.2.3', '010.1.2.3', '10.1.2', '10.1.2.3 ',
  '1.2.3.4.5', '::', 'fe80::1%', 'gggg::1',
] as const;
const DATES = [
  '2024-05-06T07:08:09Z', '2024-05-06 07:08', '2024-05-06', '2024-02-29T23:59:60.123+02:00', '2023-02-29',
  '1999-12-31T00:00:00-0500', '0099-01-04', '2024-13-01', 'x2024-05-06', '2021-01-03T12:30:00', '2020-12-31T23:59:59.5Z',
] as const;

const WINDASH_VALUES = ['-enc', '/c', '--user', '-param-1 -param2', 'a-b', 'x /y', '-', '/', 'cmd /c whoami', '\u2013already', ' -nop '] as const;
const EXPAND_VALUES = ['%user%', 'C:\\%dir%\\x', '%user%-%dir%', '100%', '\\%user\\%', '%missing', '*%DC-NAME%*'] as const;
const VOCAB_REGEXES = [
  'cmd\\.exe', '(?i)powershell', '^C:\\\\', '\\.exe$', '\\d{4}', '(?i)\\s(-u|--user)\\s*:', 'ä', '(?i)ÄPFEL', 'σ', '^$', '.*',
  '😀+', '[Σσς]', '\\bfoo\\b', 'a.b', '(?s)a.b', '(?m)^x$', '^10\\.', 'admin|root', '(?i)straße', '[^a-z]{2,}', '\\u212a',
  'ab|cdefg', 'cmd|powershell', '(?i)ä|straße', 'x|\\.exe$', '(whoami|id)\\b', 'e\\+2\\d|4688',
] as const;

const NAMES = ['sel', 'sel_a', 'sel2', 'selection', 'filter_x', 'filter.y', 'filter-z', 'kw', '_hidden', '_opt', 'sel_tree|endswith', '__proto__', 'constructor'] as const;

// ---------------------------------------------------------------------------------------------------------------
// The rule model
// ---------------------------------------------------------------------------------------------------------------

/** A YAML scalar with the style it is written in. */
export type Scalar =
  | { t: 'str'; s: string; style: 0 | 1 | 2 } // 0 single-quoted when possible, 1 double-quoted, 2 plain when possible
  | { t: 'num'; src: string }
  | { t: 'bool'; src: string }
  | { t: 'null'; src: string };

/** A field's value: one scalar, a list (entries may be nested lists), or the empty list. */
export type ValueForm = { form: 'scalar'; v: Scalar } | { form: 'list'; vs: (Scalar | Scalar[])[]; flow: boolean };

export interface ItemModel {
  field: string | null;
  mods: string[];
  value: ValueForm;
}

export type DefModel =
  | { kind: 'map'; items: ItemModel[] }
  | { kind: 'list'; entries: DefModel[] }
  | { kind: 'keywords'; vs: Scalar[] }
  | { kind: 'keyword'; v: Scalar };

/** Conditions refer to identifiers by index and to patterns by index into the rule's valid patterns. */
export type CondModel =
  | { k: 'ref'; i: number }
  | { k: 'of'; q: '1' | 'any' | 'all'; p: number }
  | { k: 'not'; a: CondModel }
  | { k: 'and' | 'or'; args: CondModel[] }
  | { k: 'paren'; a: CondModel };

export interface RuleModel {
  detections: { name: string; def: DefModel }[];
  conditions: CondModel[];
  /** Write the condition as a one-entry list (conditions.length > 1 is always a list). */
  conditionList: boolean;
}

export interface FilterModel {
  /** Index of the rule the filter names, or null for `any`. */
  rule: number | null;
  items: ItemModel[];
  negate: boolean;
}

export interface RuleSetModel {
  rules: RuleModel[];
  filter: FilterModel | null;
  /** One multi-document text instead of one text per rule. */
  oneText: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars and values
// ---------------------------------------------------------------------------------------------------------------

const style = fc.constantFrom<0 | 1 | 2>(0, 0, 1, 2);

const str = (s: fc.Arbitrary<string>): fc.Arbitrary<Scalar> => fc.tuple(s, style).map(([s, st]) => ({ t: 'str', s, style: st }));
const num = (sources: readonly string[]): fc.Arbitrary<Scalar> => fc.constantFrom(...sources).map((src) => ({ t: 'num', src }));
const bool: fc.Arbitrary<Scalar> = fc.constantFrom('true', 'false', 'True', 'FALSE').map((src) => ({ t: 'bool', src }));
const nul: fc.Arbitrary<Scalar> = fc.constantFrom('null', '~', '').map((src) => ({ t: 'null', src }));

/** Case variants of a piece: as is, upper, lower, or alternating. */
function recase(s: string, how: number): string {
  switch (how % 5) {
    case 1:
      return s.toUpperCase();
    case 2:
      return s.toLowerCase();
    case 3:
      return [...s].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
    default:
      return s;
  }
}

// Placeholder names are case-sensitive: `%user%` keeps its case so `expand` finds its values.
const piece = fc.tuple(fc.constantFrom(...TEXT_PIECES), fc.nat(9)).map(([p, how]) => (p.includes('%') ? p : recase(p, how)));

/** Rule text parts: literal pieces, wildcards, escapes (`\*`, `\?`, `\\`, a backslash before a letter). */
const RULE_SPECIALS = ['*', '?', '\\*', '\\?', '\\\\', '\\', '\\W', '**'] as const;

/** A Sigma string value as the YAML-decoded text (wildcards and escapes included). */
export const sigmaString: fc.Arbitrary<string> = fc
  .array(fc.oneof({ arbitrary: piece, weight: 4 }, { arbitrary: fc.constantFrom(...RULE_SPECIALS), weight: 1 }), { maxLength: 4 })
  .map((parts) => parts.join(''));

/** Under `expand`, pieces can join into a placeholder nobody supplies (`\\` + `%user%` + `x%`): drop the `%`s then. */
function resolvable(s: string): string {
  const names = SigmaString.parse(s, true).tokens.flatMap((t) => (t.kind === 'placeholder' ? [t.name] : []));
  return names.every((n) => n in PLACEHOLDERS) ? s : s.replace(/%/g, '');
}

/** A Sigma string without unescaped wildcards (what base64 and utf16 can encode). */
export const plainSigmaString: fc.Arbitrary<string> = fc
  .array(fc.oneof({ arbitrary: piece, weight: 4 }, { arbitrary: fc.constantFrom('\\*', '\\?', '\\\\', '\\W'), weight: 1 }), { minLength: 1, maxLength: 3 })
  // A piece ending in a backslash turns a following `\*` into `\\` + wildcard: then keep only the pieces.
  .map((parts) => (SigmaString.parse(parts.join('')).plain !== null ? parts.join('') : parts.filter((p) => !/[*?]/.test(p)).join('')));

function list(values: fc.Arbitrary<Scalar>, minLength = 1, maxLength = 5): fc.Arbitrary<ValueForm> {
  const entry = fc.oneof(
    { arbitrary: values, weight: 8 },
    { arbitrary: fc.array(values, { minLength: 1, maxLength: 3 }), weight: 1 },
  );
  return fc.tuple(fc.array(entry, { minLength, maxLength }), fc.boolean()).map(([vs, flow]) => ({ form: 'list', vs, flow }));
}

function scalarOrList(values: fc.Arbitrary<Scalar>, maxLength = 5): fc.Arbitrary<ValueForm> {
  return fc.oneof(values.map((v): ValueForm => ({ form: 'scalar', v })), list(values, 1, maxLength));
}

// ---------------------------------------------------------------------------------------------------------------
// Detection items: one generator per family of modifier chains
// ---------------------------------------------------------------------------------------------------------------

const itemKey = (i: ItemModel): string => `${i.field ?? ''}${i.mods.map((m) => `|${m}`).join('')}`;

const scalarStr = (s: string): ValueForm => ({ form: 'scalar', v: { t: 'str', s, style: 0 } });
/** Items many rules share, so that one event makes most rules of a large set prefilter candidates. */
const SHARED_ITEMS: readonly ItemModel[] = [
  { field: 'EventID', mods: [], value: { form: 'scalar', v: { t: 'num', src: '1' } } },
  { field: 'EventID', mods: [], value: { form: 'list', vs: [{ t: 'num', src: '1' }, { t: 'num', src: '4688' }], flow: true } },
  { field: 'Image', mods: ['endswith'], value: scalarStr('.exe') },
  { field: 'Image', mods: ['startswith'], value: scalarStr('C:\\Windows') },
  { field: 'CommandLine', mods: ['contains'], value: scalarStr('cmd') },
  { field: 'CommandLine', mods: ['contains', 'all'], value: { form: 'list', vs: [{ t: 'str', s: 'whoami', style: 0 }, { t: 'str', s: ' /c ', style: 0 }], flow: true } },
  { field: 'User', mods: [], value: scalarStr('admin') },
  { field: 'User', mods: ['re'], value: scalarStr('^ad') },
];
export const sharedAtomDefArb: fc.Arbitrary<DefModel> = fc
  .uniqueArray(fc.constantFrom(...SHARED_ITEMS), { minLength: 1, maxLength: 3, selector: (i) => `${i.field}|${i.mods.join('|')}` })
  .map((items) => ({ kind: 'map', items }));

/**
 * Rule generators over a vocabulary of field names: detection items (one generator per family of modifier chains),
 * definitions, rules and rule sets. `rules` (over FIELDS) is the default; focused properties pass their own fields.
 */
export function rulesOver(fields: readonly string[]) {
  const field = fc.constantFrom(...fields);
  const shapeMod = fc.constantFrom<string[]>([], ['contains'], ['startswith'], ['endswith']);

  /** Insert `inserted` into `mods` at a position chosen by `at`. */
  function insertAt(mods: string[], inserted: string[], at: number): string[] {
    const i = at % (mods.length + 1);
    return [...mods.slice(0, i), ...inserted, ...mods.slice(i)];
  }

  /** Plain strings with wildcards and escapes; optional shape, all, cased, windash, expand, neq in any order. */
  const stringItem: fc.Arbitrary<ItemModel> = fc
    .tuple(field, shapeMod, fc.shuffledSubarray(['all', 'cased', 'windash', 'expand', 'neq']), fc.nat(), fc.nat(2))
    .chain(([f, shape, extras, at, valueKind]) => {
      const mods = insertAt(extras, shape, at);
      let values: fc.Arbitrary<Scalar>;
      if (mods.includes('expand')) values = str(fc.oneof(fc.constantFrom(...EXPAND_VALUES), sigmaString).map(resolvable));
      else if (mods.includes('windash') && valueKind > 0) values = str(fc.oneof(fc.constantFrom(...WINDASH_VALUES), sigmaString));
      else values = str(sigmaString);
      return scalarOrList(values).map((value) => ({ field: f, mods, value }));
    });

  /** Encoding chains (base64, base64offset, utf16 forms) with the shapes and flags that combine with them. */
  const ENCODING_CHAINS: readonly string[][] = [
    ['base64'], ['base64', 'contains'], ['base64', 'startswith'], ['base64offset', 'contains'], ['base64offset'],
    ['base64offset', 'endswith'], ['wide', 'base64offset', 'contains'], ['utf16le', 'base64'], ['utf16be', 'base64offset', 'contains'],
    ['utf16', 'base64offset', 'contains'], ['utf16', 'base64'], ['wide'], ['wide', 'contains'], ['utf16be'], ['utf16le', 'endswith'],
    ['cased', 'base64offset', 'contains'], ['base64offset', 'contains', 'cased'], ['base64offset', 'contains', 'all'],
    ['base64', 'contains', 'neq'], ['windash', 'contains'], ['contains', 'windash'], ['endswith', 'windash'], ['contains', 'all', 'windash'],
    ['windash', 'cased'],
  ];
  const encodedItem: fc.Arbitrary<ItemModel> = fc
    .tuple(field, fc.constantFrom(...ENCODING_CHAINS))
    .chain(([f, mods]) => {
      const text = mods.includes('windash') ? fc.oneof(fc.constantFrom(...WINDASH_VALUES), plainSigmaString) : plainSigmaString;
      return scalarOrList(str(text), 3).map((value) => ({ field: f, mods: [...mods], value }));
    });

  /** Numbers (and numbers mixed with strings and booleans) under plain equality, all, neq. */
  const numberItem: fc.Arbitrary<ItemModel> = fc
    .tuple(field, fc.constantFrom<string[]>([], [], ['all'], ['neq']))
    .chain(([f, mods]) =>
      scalarOrList(fc.oneof({ arbitrary: num(NUMBER_SOURCES), weight: 5 }, { arbitrary: str(sigmaString), weight: 1 }, { arbitrary: bool, weight: 1 })).map(
        (value) => ({ field: f, mods, value }),
      ),
    );

  const boolItem: fc.Arbitrary<ItemModel> = fc
    .tuple(field, bool, fc.constantFrom<string[]>([], ['neq']))
    .map(([f, v, mods]) => ({ field: f, mods, value: { form: 'scalar', v } }));

  /** `F: null`, `F: ~`, `F:`, `F: []` (null), `F: ''`. */
  const nullItem: fc.Arbitrary<ItemModel> = fc
    .tuple(field, fc.oneof(nul.map((v): ValueForm => ({ form: 'scalar', v })), fc.constant<ValueForm>({ form: 'list', vs: [], flow: true }), fc.constant<ValueForm>({ form: 'scalar', v: { t: 'str', s: '', style: 0 } })))
    .map(([f, value]) => ({ field: f, mods: [], value }));

  const REGEX_FLAG_MODS = ['i', 'm', 's', 'ignorecase', 'multiline', 'dotall'];
  const regexPattern: fc.Arbitrary<string> = fc.oneof(
    { arbitrary: fc.constantFrom(...VOCAB_REGEXES), weight: 3 },
    { arbitrary: patternArbitrary({ literals: ASCII_LITERALS, classItems: ASCII_CLASS_ITEMS, literalWeight: 4 }, true, 2), weight: 2 },
    { arbitrary: patternArbitrary({ literals: UNICODE_LITERALS, classItems: UNICODE_CLASS_ITEMS, literalWeight: 4 }, true, 2), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('(?i)', '(?s)', '(?m)', '(?is)'), fc.constantFrom(...VOCAB_REGEXES)).map(([a, b]) => a + b.replace(/^\(\?[a-z]+\)/, '')), weight: 1 },
  );
  const regexItem: fc.Arbitrary<ItemModel> = fc
    .tuple(field, fc.shuffledSubarray([...REGEX_FLAG_MODS, 'all', 'neq'], { maxLength: 3 }), shapeMod, fc.nat())
    .chain(([f, extras, shape, at]) =>
      scalarOrList(str(regexPattern), 3).map((value) => ({ field: f, mods: ['re', ...insertAt(extras, shape, at)], value })),
    );

  const cidrItem: fc.Arbitrary<ItemModel> = fc
    .tuple(field, fc.constantFrom<string[]>([], [], ['all'], ['neq']))
    .chain(([f, mods]) => scalarOrList(str(fc.constantFrom(...NETWORKS)), 3).map((value) => ({ field: f, mods: ['cidr', ...mods], value })));

  const existsItem: fc.Arbitrary<ItemModel> = fc
    .tuple(field, fc.constantFrom('true', 'false'))
    .map(([f, src]) => ({ field: f, mods: ['exists'], value: { form: 'scalar', v: { t: 'bool', src } } }));

  /** fieldref with an optional shape and `cased` before or after it; values name other fields. */
  const fieldrefItem: fc.Arbitrary<ItemModel> = fc
    .tuple(field, fc.shuffledSubarray(['cased', 'all', 'neq'], { maxLength: 2 }), shapeMod, fc.nat(), fc.nat())
    .chain(([f, extras, shape, at, at2]) => {
      const mods = insertAt(insertAt(extras, shape, at), ['fieldref'], at2);
      const names = str(fc.constantFrom(...fields.filter((n) => n !== f)));
      return scalarOrList(names, 3).map((value) => ({ field: f, mods, value }));
    });

  const compareItem: fc.Arbitrary<ItemModel> = fc
    .tuple(field, fc.constantFrom('gt', 'gte', 'lt', 'lte'), fc.constantFrom<string[]>([], [], ['neq'], ['all']))
    .chain(([f, op, extras]) => scalarOrList(num(COMPARE_SOURCES), 3).map((value) => ({ field: f, mods: [op, ...extras], value })));

  const TIME_VALUES: Record<string, string[]> = {
    minute: ['0', '8', '30', '59'],
    hour: ['0', '7', '12', '23'],
    day: ['1', '3', '6', '29', '31'],
    week: ['1', '18', '52', '53'],
    month: ['1', '2', '5', '12'],
    year: ['99', '1999', '2020', '2024'],
  };
  const timeItem: fc.Arbitrary<ItemModel> = fc
    .tuple(fc.constantFrom<string>('UtcTime', 'UtcTime', ...fields), fc.constantFrom(...Object.keys(TIME_VALUES)), fc.constantFrom(null, 'gt', 'gte', 'lt', 'lte'), fc.boolean())
    .chain(([f, part, op, opFirst]) => {
      const mods = op === null ? [part] : opFirst ? [op, part] : [part, op];
      return scalarOrList(num(TIME_VALUES[part]), 3).map((value) => ({ field: f, mods, value }));
    });

  /** Keyword items with modifiers: a map key with an empty field name (`'|all'`, `'|contains'`, `'|re'`, ...). */
  const KEYWORD_CHAINS: readonly string[][] = [
    ['all'], ['contains'], ['startswith'], ['endswith'], ['cased'], ['windash'], ['re'], ['re', 'i'], ['cidr'], ['base64offset', 'contains'],
    ['contains', 'all'], ['all', 'cased'], ['wide', 'base64offset', 'contains'], ['neq'], ['expand'], ['endswith', 'all'],
  ];
  const keywordItem: fc.Arbitrary<ItemModel> = fc.constantFrom(...KEYWORD_CHAINS).chain((mods) => {
    let values: fc.Arbitrary<Scalar>;
    if (mods[0] === 're') values = str(regexPattern);
    else if (mods[0] === 'cidr') values = str(fc.constantFrom(...NETWORKS));
    else if (mods.includes('base64offset')) values = str(plainSigmaString);
    else if (mods.includes('expand')) values = str(fc.constantFrom(...EXPAND_VALUES));
    else if (mods.includes('windash')) values = str(fc.constantFrom(...WINDASH_VALUES));
    else if (mods.every((m) => m === 'all' || m === 'neq')) values = fc.oneof({ arbitrary: str(sigmaString), weight: 5 }, { arbitrary: num(NUMBER_SOURCES), weight: 1 });
    else values = str(sigmaString);
    return list(values, 1, 4).map((value) => ({ field: null, mods: [...mods], value }));
  });

  /**
   * Long OR lists of one shape (5-300 literals: the compiler turns them into literal sets), and lists mixing shapes
   * through explicit wildcards (several sets plus glob leftovers).
   */
  const longLiteral = fc
    .tuple(piece, fc.nat(400), fc.nat(3))
    .map(([p, n, kind]) => (kind === 0 ? p : kind === 1 ? `${p}${n}` : kind === 2 ? `${n}${p}` : `${p}\\${n}.exe`));
  const mixedLiteral = fc
    .tuple(longLiteral, fc.constantFrom('', '', '*', '?'), fc.constantFrom('', '', '*', '?'), fc.nat(20))
    .map(([l, a, b, n]) => (n === 0 ? '' : `${a}${l}${b}`));
  const longListItem: fc.Arbitrary<ItemModel> = fc
    .tuple(field, fc.constantFrom<string[]>([], ['contains'], ['startswith'], ['endswith'], ['contains', 'cased'], ['cased'], ['endswith', 'neq'], ['windash', 'contains']), fc.boolean())
    .chain(([f, mods, mixed]) =>
      fc
        .tuple(fc.array(mixed && mods.length === 0 ? mixedLiteral : longLiteral, { minLength: 5, maxLength: 300 }), fc.array(num(NUMBER_SOURCES), { maxLength: mods.length === 0 ? 2 : 0 }), style)
        .map(([texts, numbers, st]): ItemModel => ({
          field: f,
          mods: [...mods],
          value: { form: 'list', vs: [...texts.map((s): Scalar => ({ t: 'str', s, style: st })), ...numbers], flow: false },
        })),
    );

  const itemArb: fc.Arbitrary<ItemModel> = fc.oneof(
    { arbitrary: stringItem, weight: 10 },
    { arbitrary: encodedItem, weight: 3 },
    { arbitrary: numberItem, weight: 3 },
    { arbitrary: boolItem, weight: 1 },
    { arbitrary: nullItem, weight: 2 },
    { arbitrary: regexItem, weight: 3 },
    { arbitrary: cidrItem, weight: 2 },
    { arbitrary: existsItem, weight: 1 },
    { arbitrary: fieldrefItem, weight: 2 },
    { arbitrary: compareItem, weight: 2 },
    { arbitrary: timeItem, weight: 2 },
    { arbitrary: keywordItem, weight: 2 },
    { arbitrary: longListItem, weight: 1 },
  );


  /** A map of 1-4 items with distinct keys (YAML maps cannot repeat a key). */
  const mapDef: fc.Arbitrary<DefModel> = fc
    .uniqueArray(itemArb, { minLength: 1, maxLength: 4, selector: itemKey })
    .map((items) => ({ kind: 'map', items }));

  const keywordScalar = fc.oneof({ arbitrary: str(sigmaString), weight: 6 }, { arbitrary: num(NUMBER_SOURCES), weight: 1 }, { arbitrary: bool, weight: 1 });
  const keywordsDef: fc.Arbitrary<DefModel> = fc.array(keywordScalar, { minLength: 1, maxLength: 5 }).map((vs) => ({ kind: 'keywords', vs }));
  const keywordDef: fc.Arbitrary<DefModel> = keywordScalar.map((v) => ({ kind: 'keyword', v }));

  /** A list of alternatives: maps, keyword scalars, nested keyword lists (OR-ed). */
  const listDef: fc.Arbitrary<DefModel> = fc
    .array(fc.oneof({ arbitrary: mapDef, weight: 5 }, { arbitrary: keywordDef, weight: 1 }, { arbitrary: keywordsDef, weight: 1 }), { minLength: 1, maxLength: 3 })
    .map((entries) => ({ kind: 'list', entries }));

  const defArb: fc.Arbitrary<DefModel> = fc.oneof(
    { arbitrary: mapDef, weight: 8 },
    { arbitrary: listDef, weight: 3 },
    { arbitrary: keywordsDef, weight: 2 },
    { arbitrary: keywordDef, weight: 1 },
  );

  // ---------------------------------------------------------------------------------------------------------------
  // Conditions
  // ---------------------------------------------------------------------------------------------------------------

  const condArb: fc.Arbitrary<CondModel> = fc.letrec<{ c: CondModel }>((tie) => ({
    c: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { arbitrary: fc.nat().map((i): CondModel => ({ k: 'ref', i })), weight: 5 },
      { arbitrary: fc.tuple(fc.constantFrom<'1' | 'any' | 'all'>('1', 'any', 'all'), fc.nat()).map(([q, p]): CondModel => ({ k: 'of', q, p })), weight: 3 },
      { arbitrary: tie('c').map((a): CondModel => ({ k: 'not', a })), weight: 2 },
      { arbitrary: fc.tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), fc.array(tie('c'), { minLength: 2, maxLength: 3 })).map(([k, args]): CondModel => ({ k, args })), weight: 3 },
      { arbitrary: tie('c').map((a): CondModel => ({ k: 'paren', a })), weight: 1 },
    ),
  })).c;

  function ruleArbitrary(defs: fc.Arbitrary<DefModel> = defArb): fc.Arbitrary<RuleModel> {
    return fc
      .tuple(
        fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES), defs), { minLength: 1, maxLength: 4, selector: ([name]) => name }),
        fc.array(condArb, { minLength: 1, maxLength: 2 }),
        fc.boolean(),
      )
      .map(([detections, conditions, conditionList]) => ({
        detections: detections.map(([name, def]) => ({ name, def })),
        conditions,
        conditionList,
      }));
  }

  const filterArb: fc.Arbitrary<FilterModel> = fc
    .tuple(fc.option(fc.nat(7)), fc.uniqueArray(fc.oneof(stringItem, numberItem, nullItem), { minLength: 1, maxLength: 2, selector: itemKey }), fc.boolean())
    .map(([rule, items, negate]) => ({ rule, items, negate }));

  /** Rule sets of 1-`maxRules` rules whose detections come from `defs`, sometimes with a filter. */
  function ruleSetArbitrary(options: { defs?: fc.Arbitrary<DefModel>; minRules?: number; maxRules?: number } = {}): fc.Arbitrary<RuleSetModel> {
    return fc
      .tuple(fc.array(ruleArbitrary(options.defs), { minLength: options.minRules ?? 1, maxLength: options.maxRules ?? 8 }), fc.option(filterArb, { freq: 8 }), fc.boolean())
      .map(([rules, filter, oneText]) => ({ rules, filter, oneText }));
  }


  /** Detections made only of long OR lists (literal sets) and lists mixing shapes, a few items per map. */
  const literalSetDefArb: fc.Arbitrary<DefModel> = fc
    .uniqueArray(fc.oneof({ arbitrary: longListItem, weight: 3 }, { arbitrary: stringItem, weight: 1 }), { minLength: 1, maxLength: 3, selector: itemKey })
    .map((items) => ({ kind: 'map', items }));

  /** Small detections (string and number items, a long list now and then): for rule sets of many rules. */
  const simpleDefArb: fc.Arbitrary<DefModel> = fc
    .uniqueArray(fc.oneof({ arbitrary: stringItem, weight: 4 }, { arbitrary: numberItem, weight: 2 }, { arbitrary: longListItem, weight: 1 }), { minLength: 1, maxLength: 2, selector: itemKey })
    .map((items) => ({ kind: 'map', items }));

  /** Keyword searches: plain lists (numbers among them), keyword items with modifiers, now and then with a field item. */
  const numericKeywords: fc.Arbitrary<DefModel> = fc
    .array(fc.oneof(num(['4688', '1000', '4689', '123456789012', '1e21', '0.0000001']), str(fc.constantFrom('4688', 'e+21', '1000', '1.5', '89012', 'e-7'))), { minLength: 1, maxLength: 3 })
    .map((vs) => ({ kind: 'keywords', vs }));
  const keywordFocusDefArb: fc.Arbitrary<DefModel> = fc.oneof(
    { arbitrary: keywordsDef, weight: 3 },
    { arbitrary: numericKeywords, weight: 2 },
    { arbitrary: keywordDef, weight: 1 },
    { arbitrary: fc.uniqueArray(fc.oneof({ arbitrary: keywordItem, weight: 3 }, { arbitrary: stringItem, weight: 1 }), { minLength: 1, maxLength: 2, selector: itemKey }).map((items): DefModel => ({ kind: 'map', items })), weight: 2 },
  );

  return { item: itemArb, def: defArb, literalSetDef: literalSetDefArb, simpleDef: simpleDefArb, keywordDef: keywordFocusDefArb, ruleSets: ruleSetArbitrary };
}

/** The default vocabulary's generators. */
export const rules = rulesOver(FIELDS);
export const itemArb = rules.item;
export const defArb = rules.def;
export const literalSetDefArb = rules.literalSetDef;
export const ruleSetArb = rules.ruleSets();

// ---------------------------------------------------------------------------------------------------------------
// Rendering the model to YAML
// ---------------------------------------------------------------------------------------------------------------

/** Characters YAML can hold in single-quoted and plain scalars (its printable set, minus the BOM). */
const YAML_PRINTABLE = /^[\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;
const PLAIN_SAFE = /^[A-Za-z][A-Za-z0-9_]*$/;
const PLAIN_RESERVED = /^(y|n|yes|no|on|off|true|false|null)$/i;

export function renderScalar(v: Scalar): string {
  switch (v.t) {
    case 'num':
    case 'bool':
    case 'null':
      return v.src;
    case 'str':
      if (v.style === 2 && PLAIN_SAFE.test(v.s) && !PLAIN_RESERVED.test(v.s)) return v.s;
      if (v.style !== 1 && YAML_PRINTABLE.test(v.s)) return `'${v.s.replace(/'/g, "''")}'`;
      return JSON.stringify(v.s);
  }
}

const quoteKey = (k: string): string => `'${k.replace(/'/g, "''")}'`;

/** Block YAML for a value placed after `key:` (or after `- `) at indentation `indent`. */
function renderValue(value: ValueForm, indent: number): string {
  if (value.form === 'scalar') return value.v.t === 'null' && value.v.src === '' ? '' : ` ${renderScalar(value.v)}`;
  if (value.vs.length === 0) return ' []';
  const entry = (e: Scalar | Scalar[]): string => (Array.isArray(e) ? `[${e.map(renderScalar).join(', ')}]` : renderScalar(e));
  if (value.flow) return ` [${value.vs.map(entry).join(', ')}]`;
  const pad = ' '.repeat(indent);
  return value.vs.map((e) => `\n${pad}- ${entry(e)}`).join('');
}

function renderItems(items: readonly ItemModel[], indent: number): string {
  const pad = ' '.repeat(indent);
  return items.map((item) => `${pad}${quoteKey(itemKey(item))}:${renderValue(item.value, indent + 2)}`).join('\n');
}

function renderDef(def: DefModel, indent: number): string {
  const pad = ' '.repeat(indent);
  switch (def.kind) {
    case 'map':
      return `\n${renderItems(def.items, indent)}`;
    case 'keyword':
      return ` ${renderScalar(def.v)}`;
    case 'keywords':
      return def.vs.map((v) => `\n${pad}- ${renderScalar(v)}`).join('');
    case 'list':
      return def.entries
        .map((e) => (e.kind === 'keyword' ? `\n${pad}- ${renderScalar(e.v)}` : `\n${pad}-${renderDef(e, indent + 2)}`))
        .join('');
  }
}

/** The identifiers a condition may name directly (not `x|y`), and the `x of` targets that select something. */
export function conditionTargets(names: readonly string[]): { refs: string[]; patterns: string[] } {
  const refs = names.filter((n) => /^[^\s()|]+$/.test(n));
  const candidates = new Set<string>(['them', '_*', '*']);
  for (const n of names) {
    const word = /^[A-Za-z0-9_]+/.exec(n)?.[0] ?? '';
    for (let len = 1; len <= word.length; len++) candidates.add(`${word.slice(0, len)}*`);
    if (/^[A-Za-z0-9_]+$/.test(n)) candidates.add(n);
  }
  const patterns = [...candidates].filter((p) => resolvePattern(p, names).length > 0).sort();
  return { refs, patterns };
}

/** Condition text with the parentheses its precedence needs (or < and < not < atom), plus explicit `paren`s. */
export function renderCondition(c: CondModel, names: readonly string[]): string {
  const { refs, patterns } = conditionTargets(names);
  const prec = { or: 1, and: 2, not: 3, of: 4, ref: 4, paren: 4 } as const;
  const go = (node: CondModel, parent: number): string => {
    let s: string;
    switch (node.k) {
      case 'ref':
        // Every identifier is either nameable or selected by a pattern ("them" or its own prefix).
        if (refs.length > 0) s = refs[node.i % refs.length];
        else s = `1 of ${patterns[node.i % patterns.length]}`;
        break;
      case 'of':
        s = `${node.q} of ${patterns[node.p % patterns.length]}`;
        break;
      case 'not':
        s = `not ${go(node.a, prec.not)}`;
        break;
      case 'paren':
        s = `(${go(node.a, 0)})`;
        break;
      case 'and':
      case 'or':
        s = node.args.map((a) => go(a, prec[node.k])).join(` ${node.k} `);
        break;
    }
    return prec[node.k] < parent ? `(${s})` : s;
  };
  return go(c, 0);
}

const ruleTitle = (i: number): string => `Rule ${i}`;

export function renderRule(rule: RuleModel, index: number): string {
  const names = rule.detections.map((d) => d.name);
  const lines = [`title: ${ruleTitle(index)}`, `name: rule_${index}`, 'logsource:', '  product: windows', 'detection:'];
  for (const d of rule.detections) lines.push(`  ${quoteKey(d.name)}:${renderDef(d.def, 4)}`);
  const conditions = rule.conditions.map((c) => renderCondition(c, names));
  if (conditions.length > 1 || rule.conditionList) {
    lines.push('  condition:');
    for (const c of conditions) lines.push(`    - ${JSON.stringify(c)}`);
  } else lines.push(`  condition: ${JSON.stringify(conditions[0])}`);
  return lines.join('\n') + '\n';
}

export function renderFilter(filter: FilterModel, ruleCount: number): string {
  const rules = filter.rule === null ? 'any' : `\n    - rule_${filter.rule % ruleCount}`;
  return [
    'title: Generated Filter',
    'logsource:',
    '  product: windows',
    'filter:',
    `  rules:${filter.rule === null ? ' ' : ''}${rules}`,
    '  fsel:',
    renderItems(filter.items, 4),
    `  condition: ${filter.negate ? 'not fsel' : 'fsel'}`,
    '',
  ].join('\n');
}

/** The rule set as the texts a user would load: one per rule (plus the filter), or one multi-document text. */
export function renderRuleSet(model: RuleSetModel): string[] {
  const texts = model.rules.map((r, i) => renderRule(r, i));
  if (model.filter) texts.push(renderFilter(model.filter, model.rules.length));
  return model.oneText ? [texts.join('---\n')] : texts;
}

// ---------------------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------------------

const eventPiece = fc.oneof(
  { arbitrary: piece, weight: 6 },
  { arbitrary: fc.constantFrom(...EVENT_ONLY_PIECES), weight: 2 },
  { arbitrary: fc.constantFrom(...ADDRESSES), weight: 1 },
  { arbitrary: fc.constantFrom(...DATES), weight: 1 },
);

/** Strings near the number grammar of gt/gte/lt/lte (sign, fraction, exponent, junk, overflow, underflow). */
const numericString: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '', '-', '+', ' ', '--'),
    fc.constantFrom('', '0', '5', '42', '00012', '4688', '12345678901234567890', '9'.repeat(400)),
    fc.constantFrom('', '', '.', '.5', '.000', '.25'),
    fc.constantFrom('', '', 'e3', 'E+2', 'e-400', 'e400', 'e', 'x', '_1', ' '),
  )
  .map((parts) => parts.join(''));

/** Strings near the date grammar of the time modifiers. */
const dateString: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('2024', '2023', '0000', '0099', '1900', '2000', '9999', '24'),
    fc.constantFrom('-01', '-02', '-05', '-12', '-13', '-00', '-1'),
    fc.constantFrom('-01', '-06', '-29', '-30', '-31', '-32', '-00', '-3'),
    fc.constantFrom('', 'T', ' ', 't'),
    fc.constantFrom('', '00:00', '07:08', '23:59', '24:00', '12:60', '7:08'),
    fc.constantFrom('', ':09', ':60', ':61', ':5'),
    fc.constantFrom('', '.5', '.123456789', '.'),
    fc.constantFrom('', 'Z', 'z', '+02:00', '-0500', '+2', '+02:0', ' '),
  )
  .map((parts) => parts.join(''));

/** Strings near IPv4/IPv6 text (leading zeros, zones, embedded IPv4, too many groups, bad hex). */
const ipString: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom('10', '1', '2', '3', '0', '255', '256', '01', '192', '168', ''), { minLength: 3, maxLength: 5 }).map((p) => p.join('.')),
  fc
    .tuple(fc.array(fc.constantFrom('fe80', 'FE80', '0', '1', 'db8', '2001', 'ffff', '12345', 'g', ''), { minLength: 1, maxLength: 9 }), fc.constantFrom('', '', '%12', '%', '.10.1.2.3', ':10.1.2.3'))
    .map(([groups, tail]) => groups.join(':') + tail),
);

const eventString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.oneof(numericString, dateString, ipString), weight: 3 },
  { arbitrary: fc.tuple(fc.array(eventPiece, { maxLength: 5 }), fc.nat(9)).map(([parts, how]) => recase(parts.join(''), how)), weight: 20 },
  { arbitrary: fc.tuple(eventPiece, fc.integer({ min: 100, max: 3000 })).map(([p, n]) => p.repeat(Math.ceil(n / Math.max(1, p.length))).slice(0, n * 2)), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 },
);

const eventNumber: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constantFrom(...EVENT_NUMBERS), weight: 6 },
  { arbitrary: fc.integer({ min: -10, max: 5000 }), weight: 2 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
);

const scalarValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: eventString, weight: 10 },
  { arbitrary: eventNumber, weight: 3 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);

const NESTED_KEYS = ['b', 'c', 'name', 'b.c', 'x', '#text', '__proto__'] as const;

/** Values of any shape: scalars, arrays (empty, nested, of objects), objects (for nested paths). */
const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: scalarValue, weight: 12 },
    { arbitrary: fc.array(tie('v'), { maxLength: 3 }), weight: 2 },
    { arbitrary: fc.array(fc.tuple(fc.constantFrom(...NESTED_KEYS), tie('v')), { maxLength: 3 }).map(Object.fromEntries), weight: 2 },
  ),
})).v;

const eventField = fc.constantFrom(...FIELDS);

const flatEvent: fc.Arbitrary<Record<string, unknown>> = fc
  .array(fc.tuple(fc.oneof({ arbitrary: eventField, weight: 4 }, { arbitrary: fc.constantFrom(...EXTRA_KEYS), weight: 1 }), valueArb), { maxLength: 8 })
  .map(Object.fromEntries);

/** An evtx element member: a scalar, an array (object elements give their #text), or an element object. */
const evtxMember: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: scalarValue, weight: 6 },
  { arbitrary: fc.array(fc.oneof(scalarValue, scalarValue.map((t) => ({ '#text': t }))), { maxLength: 3 }), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.option(scalarValue), fc.option(fc.array(fc.tuple(fc.constantFrom('Name', 'UserID', 'Qualifiers', 'Y', 'B_C', 'C'), scalarValue), { maxLength: 2 }).map(Object.fromEntries)))
      .map(([text, attrs]) => ({ ...(text === null ? {} : { '#text': text }), ...(attrs === null ? {} : { '#attributes': attrs }) })),
    weight: 2,
  },
  { arbitrary: valueArb.map((v) => ({ '#text': v })), weight: 1 },
);

/** Attribute owners: `A` with attribute `B_C` and `A_B` with attribute `C` both give the flat key `A_B_C`. */
const evtxKey = fc.oneof({ arbitrary: eventField, weight: 3 }, { arbitrary: fc.constantFrom('Provider', 'Security', 'Msg', 'a', 'A', 'A_B'), weight: 1 });
const evtxMembers = fc.array(fc.tuple(evtxKey, evtxMember), { maxLength: 6 }).map(Object.fromEntries);

const evtxEvent: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.option(scalarValue, { nil: undefined }),
    fc.option(scalarValue, { nil: undefined }),
    fc.option(scalarValue, { nil: undefined }),
    evtxMembers,
    fc.option(fc.oneof({ arbitrary: evtxMembers, weight: 6 }, { arbitrary: scalarValue, weight: 1 }), { nil: undefined }),
    fc.option(fc.array(fc.tuple(fc.constantFrom('EventXML', 'LogFileCleared'), evtxMembers), { maxLength: 2 }).map(Object.fromEntries), { nil: undefined }),
    fc.boolean(),
  )
  .map(([eventId, provider, user, system, eventData, userData, rootAttributes]) => {
    const sys: Record<string, unknown> = {
      ...(provider === undefined ? {} : { Provider: { '#attributes': { Name: provider, Guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}' } } }),
      ...(eventId === undefined ? {} : { EventID: eventId }),
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      ...(user === undefined ? {} : { Security: { '#attributes': { UserID: user } } }),
      ...system,
    };
    const inner: Record<string, unknown> = {
      ...(rootAttributes ? { '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' } } : {}),
      System: sys,
    };
    if (eventData !== undefined) inner.EventData = eventData;
    if (userData !== undefined) inner.UserData = userData;
    return { Event: inner };
  });

/**
 * evtx events built to make the mapping's tiers collide: the same flat key `K_Y` (and `K`) assigned from System
 * members, System attributes, EventData members and attributes, and UserData elements, in one event.
 */
const TIER_KEYS: readonly [string, string][] = [['Provider', 'Name'], ['Security', 'UserID'], ['A', 'B_C'], ['A_B', 'C'], ['Image', 'Y'], ['__proto__', 'Y']];
const tierValue = fc.oneof({ arbitrary: fc.constantFrom('cmd.exe', 'Äpfel', 'admin', 'Microsoft-Windows-Sysmon', 'S-1-5-18', '4688'), weight: 4 }, { arbitrary: scalarValue, weight: 1 });
const tierSource = fc.record({
  owner: fc.option(fc.tuple(fc.option(tierValue, { nil: undefined }), fc.option(tierValue, { nil: undefined }), fc.boolean())),
  flatKey: fc.option(fc.oneof(tierValue, fc.array(tierValue, { maxLength: 2 }))),
  key: fc.nat(TIER_KEYS.length - 1),
});
const tierEvent: fc.Arbitrary<unknown> = fc
  .tuple(fc.array(tierSource, { maxLength: 3 }), fc.array(tierSource, { maxLength: 3 }), fc.array(tierSource, { maxLength: 2 }), fc.array(tierSource, { maxLength: 2 }))
  .map(([system, eventData, userData1, userData2]) => {
    const fill = (sources: typeof system): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const { owner, flatKey, key } of sources) {
        const [k, y] = TIER_KEYS[key];
        if (owner) {
          const [text, attr, asArray] = owner;
          const element = { ...(text === undefined ? {} : { '#text': text }), ...(attr === undefined ? {} : { '#attributes': { [y]: attr } }) };
          setOwn(out, k, asArray ? [element, 'plain'] : element);
        }
        if (flatKey !== null) setOwn(out, `${k}_${y}`, flatKey);
      }
      return out;
    };
    return { Event: { System: { EventID: 1, ...fill(system) }, EventData: fill(eventData), UserData: { EventXML: fill(userData1), Other: fill(userData2) } } };
  });

/** Events that look like evtx but are not (an extra root key, System not an object): read as flat events. */
const nearEvtxEvent: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(evtxEvent, valueArb).map(([e, v]) => ({ ...(e as object), other: v })),
  valueArb.map((v) => ({ Event: { System: v, EventData: { Image: 'cmd.exe' } } })),
);

/** Fields of evtx_dump events: attribute keys (`K_Y`, also with `_` inside Y), their owners, members, a nested path. */
export const EVTX_FIELDS = ['Provider_Name', 'Security_UserID', 'A_B_C', 'A_B', 'Image', 'Image_Y', 'EventID', 'Provider', 'Channel', 'a.b', 'Msg', '__proto__', '__proto___Y'] as const;

/** Mostly evtx-shaped events, with tier collisions, and some that only look like evtx. */
export const evtxEventArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: tierEvent, weight: 4 },
  { arbitrary: evtxEvent, weight: 3 },
  { arbitrary: nearEvtxEvent, weight: 1 },
);

/** Events holding the values of SHARED_ITEMS (each now and then left out or changed), plus random fields. */
export const sharedEventArb: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom<unknown>(1, 1, 4688, '1', 2, undefined),
    fc.constantFrom<unknown>('C:\\Windows\\System32\\cmd.exe', 'c:\\windows\\x.EXE', 'D:\\x.exe', undefined),
    fc.constantFrom<unknown>('cmd /c whoami', 'CMD.exe /C WHOAMI', 'whoami', undefined),
    fc.constantFrom<unknown>('admin', 'ADMIN', 'root', undefined),
    flatEvent,
  )
  .map(([EventID, Image, CommandLine, User, rest]) => {
    const e: Record<string, unknown> = { ...rest };
    for (const [k, v] of Object.entries({ EventID, Image, CommandLine, User })) if (v !== undefined) e[k] = v;
    return e;
  });

/** Nesting deeper than the scanner's 512 frames, under a rule field or an unread key (the scanner falls back or skips). */
const deepEvent: fc.Arbitrary<unknown> = fc
  .tuple(flatEvent, fc.constantFrom('a', 'proc', 'other', 'Image'), fc.integer({ min: 500, max: 700 }), scalarValue, fc.boolean())
  .map(([e, k, depth, leaf, arrays]) => {
    let v: unknown = leaf;
    for (let i = 0; i < depth; i++) v = arrays && i % 2 ? [v] : { b: v };
    return { ...e, [k]: v };
  });

export const eventArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: flatEvent, weight: 16 },
  { arbitrary: evtxEvent, weight: 6 },
  { arbitrary: tierEvent, weight: 3 },
  { arbitrary: nearEvtxEvent, weight: 2 },
  { arbitrary: deepEvent, weight: 1 },
);

// ---------------------------------------------------------------------------------------------------------------
// Planting: values that satisfy the loaded rules' items, written into the events
// ---------------------------------------------------------------------------------------------------------------

/**
 * One planting into event `event`: a witness of item `item` (over every item of the rule set) and its value
 * `value`, or, with `whole`, witnesses for every item a whole search identifier needs (`item` then counts
 * identifiers; an `or` takes one branch), so that `and`-ed items meet in one event.
 */
export interface Plant {
  event: number;
  item: number;
  value: number;
  where: number;
  seed: number;
  whole: boolean;
}

export const plantArb: fc.Arbitrary<Plant> = fc.record({ event: fc.nat(), item: fc.nat(), value: fc.nat(), where: fc.nat(), seed: fc.nat(), whole: fc.boolean() });

/** Every detection item of the rules (filters are in the rules' detections once applied). */
export function itemsOf(rules: readonly SigmaRule[]): DetectionItem[] {
  const out: DetectionItem[] = [];
  const walk = (n: DetectionNode): void => {
    if (n.kind === 'item') out.push(n);
    else n.children.forEach(walk);
  };
  for (const r of rules) for (const d of r.detections) walk(d.root);
  return out;
}

/** Does the rule search keywords (field-less items)? */
export function usesKeywords(rule: SigmaRule): boolean {
  return itemsOf([rule]).some((i) => i.field === null);
}

type Witness = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'pair'; value: unknown; other: string; otherValue: unknown };

const WILD_ANY = ['', 'x', 'Ä', 'cmd.exe', ' -', '😀'];
const WILD_ONE = ['x', 'Ä', '😀', '-', 'ß', '\u212a'];

function stringWitness(v: Extract<SigmaValue, { type: 'string' }>, rng: Rng): string {
  let s = '';
  for (const t of v.value.tokens) {
    if (t.kind === 'text') s += t.text;
    else if (t.kind === 'any') s += rng.pick(WILD_ANY);
    else if (t.kind === 'one') s += rng.pick(WILD_ONE);
  }
  // U+FFFD in a rule is what every engine reads a lone surrogate (or ill-formed UTF-8) as.
  s = s.replace(/\ufffd/g, () => rng.pick(['\ufffd', '\ud800', '\udfff']));
  return v.cased || rng.next() < 0.5 ? s : recase(s, rng.int(5));
}

function formatAddress(bytes: Uint8Array, rng: Rng): string {
  const b = Uint8Array.from(bytes);
  if (rng.next() < 0.5) b[b.length - 1] |= rng.int(2); // a host bit, sometimes outside a /32 or /128
  if (b.length === 4) return [...b].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  const text = groups.join(':');
  return rng.next() < 0.5 ? text.toUpperCase() : text;
}

function dateWith(part: string, value: number, rng: Rng): string {
  const d = { year: 2024, month: 5, day: 6, hour: 7, minute: 8 };
  const n = Math.max(0, Math.round(value) + rng.pick([0, 0, 1, -1]));
  if (part in d) (d as Record<string, number>)[part] = n;
  if (part === 'week') d.day = Math.min(28, Math.max(1, n * 7 - 2)); // near the right week, early in the year
  const p2 = (x: number): string => String(x).padStart(2, '0');
  const date = `${String(d.year).padStart(4, '0')}-${p2(d.month)}-${p2(d.day)}`;
  return rng.pick([`${date}T${p2(d.hour)}:${p2(d.minute)}:09Z`, `${date} ${p2(d.hour)}:${p2(d.minute)}`, date, `${date}T${p2(d.hour)}:${p2(d.minute)}:00.5+02:00`]);
}

function witness(v: SigmaValue, rng: Rng): Witness {
  switch (v.type) {
    case 'string':
      return { kind: 'set', value: stringWitness(v, rng) };
    case 'number':
      return { kind: 'set', value: rng.pick([v.value, v.text, v.value, ` ${v.text}`]) };
    case 'boolean':
      return { kind: 'set', value: rng.pick([v.value, String(v.value), v.value ? 'TRUE' : 'False', !v.value]) };
    case 'null':
      return rng.next() < 0.5 ? { kind: 'set', value: null } : { kind: 'delete' };
    case 'exists':
      return v.value === (rng.next() < 0.8) ? { kind: 'set', value: rng.pick(['x', 0, null, [], {}]) } : { kind: 'delete' };
    case 'regex': {
      try {
        const m = generateMatch(parseRegex(v.regex.source, v.regex.flags).root, v.regex.flags, rng);
        return { kind: 'set', value: rng.next() < 0.3 ? `${rng.pick(WILD_ANY)}${m}${rng.pick(WILD_ANY)}` : m };
      } catch {
        return { kind: 'set', value: 'x' };
      }
    }
    case 'cidr':
      return { kind: 'set', value: formatAddress(v.network.bytes, rng) };
    case 'compare': {
      const n = v.value + rng.pick([0, 1, -1, 0.5, -0.5]);
      return { kind: 'set', value: rng.next() < 0.6 ? n : String(n) };
    }
    case 'timepart':
      return { kind: 'set', value: dateWith(v.part, v.value, rng) };
    case 'fieldref': {
      const other = recase(rng.pick(['cmd.exe', 'Äpfel', 'admin', '', 'x']), rng.int(5));
      const extra = rng.pick(['', 'pre', 'ΣΣ']);
      const mine =
        v.position === 'equals' ? other : v.position === 'contains' ? `${extra}${other}${extra}` : v.position === 'startswith' ? `${other}${extra}` : `${extra}${other}`;
      return { kind: 'pair', value: rng.next() < 0.3 ? recase(mine, rng.int(5)) : mine, other: v.field, otherValue: other };
    }
    case 'expansion':
      return witness(rng.pick(v.values), rng);
  }
}

/** Set an own property whatever the key (`o[key] = v` with the key `__proto__` would set the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Set a dotted path as nested objects (`a.b` -> {a: {b: v}}), sometimes through an array of objects. */
function setNested(event: Record<string, unknown>, path: string[], value: unknown, rng: Rng): void {
  let cur: Record<string, unknown> = event;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    let next = cur[key];
    if (Array.isArray(next)) {
      const obj = next.find(isObject);
      if (obj) next = obj;
      else {
        const fresh = {};
        next.push(fresh);
        next = fresh;
      }
    } else if (!isObject(next)) {
      const fresh: Record<string, unknown> = {};
      setOwn(cur, key, rng.next() < 0.3 ? [{ [path[i + 1]]: 'other' }, fresh] : fresh);
      next = fresh;
    }
    cur = next as Record<string, unknown>;
  }
  setOwn(cur, path[path.length - 1], value);
}

function placeFlat(event: Record<string, unknown>, fieldName: string, w: unknown, where: number, rng: Rng): void {
  const dotted = fieldName.includes('.');
  switch (where % 5) {
    case 0:
      setOwn(event, fieldName, w);
      return;
    case 1:
      setOwn(event, fieldName, rng.next() < 0.5 ? [rng.pick(['other', 7, null]), w] : [[w]]);
      return;
    case 2:
    case 3:
      if (dotted) {
        if (where % 5 === 3) delete event[fieldName];
        setNested(event, fieldName.split('.'), w, rng);
        return;
      }
      setOwn(event, fieldName, w);
      return;
    default:
      setOwn(event, fieldName, rng.next() < 0.5 ? w : [w, w]);
  }
}

function container(inner: Record<string, unknown>, key: 'System' | 'EventData'): Record<string, unknown> {
  if (!isObject(inner[key])) inner[key] = {};
  return inner[key] as Record<string, unknown>;
}

function placeEvtx(event: { Event: Record<string, unknown> }, fieldName: string, w: unknown, where: number, rng: Rng): void {
  const inner = event.Event;
  // `K_Y` from the attribute Y of K, split at any underscore (`A_B_C`: A's `B_C` or A_B's `C`).
  const underscores = [...fieldName].flatMap((c, i) => (c === '_' && i > 0 ? [i] : []));
  const underscore = underscores.length > 0 ? rng.pick(underscores) : -1;
  if (underscore > 0 && where % 2 === 0) {
    const k = fieldName.slice(0, underscore);
    const y = fieldName.slice(underscore + 1);
    const c = container(inner, rng.next() < 0.5 ? 'System' : 'EventData');
    const owner = isObject(c[k]) ? (c[k] as Record<string, unknown>) : {};
    const attrs = isObject(owner['#attributes']) ? (owner['#attributes'] as Record<string, unknown>) : {};
    setOwn(c, k, { ...owner, '#attributes': { ...attrs, [y]: w } });
    return;
  }
  switch (where % 6) {
    case 0:
    case 1:
      setOwn(container(inner, 'EventData'), fieldName, w);
      return;
    case 2:
      setOwn(container(inner, 'EventData'), fieldName, { '#text': w, ...(rng.next() < 0.5 ? { '#attributes': { Name: 'x' } } : {}) });
      return;
    case 3:
      setOwn(container(inner, 'System'), fieldName, rng.next() < 0.5 ? w : { '#text': w });
      return;
    case 4:
      inner.UserData = { EventXML: { ...(isObject(inner.UserData) && isObject(inner.UserData.EventXML) ? inner.UserData.EventXML : {}), [fieldName]: w } };
      return;
    default:
      setOwn(container(inner, 'EventData'), fieldName, [rng.pick(['other', { '#text': 'o' }]), w]);
  }
}

function remove(event: Record<string, unknown>, fieldName: string): void {
  if (isEvtxJsonShape(event)) {
    for (const c of ['System', 'EventData'] as const) if (isObject(event.Event[c])) delete (event.Event[c] as Record<string, unknown>)[fieldName];
  } else delete event[fieldName];
}

function place(event: Record<string, unknown>, fieldName: string, w: unknown, where: number, rng: Rng): void {
  if (isEvtxJsonShape(event)) placeEvtx(event, fieldName, w, where, rng);
  else placeFlat(event, fieldName, w, where, rng);
}

/**
 * The events with witnesses planted: each plant makes one item of the rule set likely true in one event (keyword
 * items get their witness in some leaf). Deterministic in (rules, events, plants).
 */
export function plantEvents(rules: readonly SigmaRule[], events: readonly unknown[], plants: readonly Plant[]): unknown[] {
  const out = events.map((e) => structuredClone(e));
  const items = itemsOf(rules);
  const detections = rules.flatMap((r) => r.detections.map((d) => d.root));
  if (items.length === 0 || out.length === 0) return out;
  for (const p of plants) {
    const event = out[p.event % out.length];
    if (!isObject(event)) continue;
    const rng = new Rng(p.seed);
    if (!p.whole) {
      plantItem(event, items[p.item % items.length], p.value, p.where, rng);
      continue;
    }
    const walk = (n: DetectionNode): void => {
      if (n.kind === 'item') {
        if (!n.negated) plantItem(event, n, rng.int(1 << 16), p.where + rng.int(8), rng);
      } else if (n.kind === 'and') n.children.forEach(walk);
      else walk(rng.pick(n.children));
    };
    walk(detections[p.item % detections.length]);
  }
  return out;
}

function plantItem(event: Record<string, unknown>, item: DetectionItem, value: number, where: number, rng: Rng): void {
  if (item.values.length === 0) return;
  const values = item.all ? item.values : [item.values[value % item.values.length]];
  for (const v of values) {
    let w = witness(v, rng);
    // A keyword whose text is a number may be found in a number leaf (written in any JSON spelling).
    const text = v.type === 'string' ? v.value.tokens.map((t) => (t.kind === 'text' ? t.text : '')).join('') : '';
    if (item.field === null && /^-?[0-9.e+]+$/.test(text) && Number.isFinite(Number(text)) && rng.next() < 0.5) {
      w = { kind: 'set', value: Number(text) * rng.pick([1, 1, 10, 1000]) + rng.pick([0, 0, 1]) };
    }
    const target = item.field ?? rng.pick(['Msg', 'CommandLine', 'a.b', 'Data', 'other']);
    if (w.kind === 'delete') remove(event, target);
    else if (item.field === null && rng.next() < 0.3) {
      // Keywords: anywhere, also deep inside an unreferenced object.
      place(event, 'deep', { list: [1, { leaf: w.value }] }, where, rng);
    } else place(event, target, w.value, where, rng);
    if (w.kind === 'pair') place(event, w.other, w.otherValue, where >> 3, rng);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------------------------

export interface Scenario {
  /** The rule set as YAML texts. */
  texts: string[];
  events: unknown[];
  nullMatchesAbsent: boolean;
  /** Seed for the byte layouts (whitespace, number spellings, chunk splits). */
  layoutSeed: number;
}

/**
 * A whole differential case: rule set texts, events with witnesses planted (planting needs the loaded rules, which
 * `load` provides), the null mode and the layout seed.
 */
export function scenarioArb(
  load: (texts: string[]) => readonly SigmaRule[],
  options: { maxEvents?: number; ruleSets?: fc.Arbitrary<RuleSetModel>; events?: fc.Arbitrary<unknown> } = {},
): fc.Arbitrary<Scenario> {
  const maxEvents = options.maxEvents ?? 30;
  return fc
    .tuple(
      options.ruleSets ?? ruleSetArb,
      fc.array(options.events ?? eventArb, { minLength: 1, maxLength: maxEvents }),
      fc.array(plantArb, { maxLength: maxEvents * 2 }),
      fc.boolean(),
      fc.nat(),
    )
    .map(([model, events, plants, nullMatchesAbsent, layoutSeed]) => {
      const texts = renderRuleSet(model);
      return { texts, events: plantEvents(load(texts), events, plants), nullMatchesAbsent, layoutSeed };
    });
}

/** Loaded rule sets by text: a scenario generator loads a set to plant witnesses, its property loads it again. */
const loadedSets = new Map<string, RuleSet>();

/** The rule set of these texts (with PLACEHOLDERS), loaded once while it is among the last 64 loaded. */
export function loadScenarioRules(texts: string[]): RuleSet {
  const k = texts.join('\u0000');
  let set = loadedSets.get(k);
  if (!set) {
    if (loadedSets.size > 64) loadedSets.clear();
    set = loadRulesFromText(texts, { placeholders: PLACEHOLDERS });
    loadedSets.set(k, set);
  }
  return set;
}
