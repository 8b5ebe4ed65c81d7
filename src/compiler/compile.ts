/**
 * Rule set -> program (DESIGN.md section 6). One pass over the rules, O(total detection items):
 *
 * - every referenced field gets a slot (the field trie tells the scanner which keys to extract into which slot);
 * - every (slot, test) pair becomes one predicate, deduplicated across all rules, so a test many rules share is
 *   evaluated once per event (the VM memoises predicate results per event);
 * - each search identifier becomes a code block of predicate tests with short-circuit jumps, each rule a code block
 *   over its identifiers (memoised too, so `1 of them` and provenance cost nothing extra);
 * - literals are case-folded here, once; `cased` literals and regexes keep their case; windash, base64offset and
 *   expand expansions are already values, so nothing is re-derived per event.
 */
import { serializeProgram } from '../regex/index.js';
import type { ConditionNode } from '../rule/condition.js';
import type { DetectionItem, DetectionNode, SigmaCorrelation, SigmaRule } from '../rule/model.js';
import type { SigmaValue } from '../rule/values.js';
import { ANY, SigmaString } from '../rule/sigma-string.js';
import { stringListOf, type ListShape } from '../rule/string-list.js';
import { isLongList } from '../rule/long-list.js';
import { regexListOf, type RegexList } from '../rule/regex-list.js';
import { foldString } from '../text/fold.js';
import { globShape } from '../eval/glob.js';
import { provenanceShape, type ProvenanceShape } from '../eval/provenance.js';
import { encodeCidr } from './encode/cidr.js';
import { encodeGlob } from './encode/glob.js';
import { encodeLiteralSet, MIN_SET_SIZE, SET_CONTAINS, SET_EQUALS, SET_PREFIX, SET_SUFFIX, type LiteralSetKind } from './encode/literal-set.js';
import { buildFieldTrie } from './field-trie.js';
import { buildPrefilter, PREFILTER_WINDOW, rawKeywordText, type PrefilterStats } from './prefilter.js';
import { atomKeys, atomPopularity, negativeGate, RequirementAnalysis, splitRoutingAtoms, type Atom, type PredicateAtoms, type Requirement } from './requirements.js';
import * as F from './format.js';

/** What the host keeps of a rule for output: its metadata, not its detection logic (artifacts hold only this). */
export type RuleInfo = Pick<
  SigmaRule,
  | 'title' | 'id' | 'name' | 'description' | 'status' | 'level' | 'author' | 'date' | 'modified' | 'license' | 'tags'
  | 'references' | 'falsepositives' | 'fields' | 'related' | 'logsource' | 'source'
>;

export interface CompiledRuleSet {
  /** The program bytes the VM executes. */
  program: Uint8Array;
  /** Rule i of the program. */
  rules: readonly RuleInfo[];
  /** Rule i's logic without values: what the provenance of its hits reads beside the VM's records. */
  shapes: readonly ProvenanceShape[];
  /** Slot i extracts field fields[i]; the keyword pseudo-slot is listed as null. */
  fields: readonly (string | null)[];
  keywordSlot: number | null;
  stats: CompileStats;
  /** Each rule's prefilter requirement (for analysis and explanations). */
  requirements: readonly Requirement[];
  /** Each rule's gate: the routing atoms of which one must also hit (null: none; requirements.ts). */
  gates: readonly (Atom[] | null)[];
  /**
   * The correlation rules compiled with these rules (src/runtime/compile-set.ts), which an artifact carries and
   * Matcher.create runs; absent when there are none.
   */
  correlations?: CarriedCorrelations;
}

/** Correlations as a compiled rule set carries them: their documents, and the time fields its program extracts. */
export interface CarriedCorrelations {
  /** The correlations that planned against the rules, in order (alerts' `correlation.index` indexes this list). */
  documents: readonly SigmaCorrelation[];
  /** Event time fields given when compiling (`--time-field`), tried before the default ones. */
  timeFields: readonly string[];
}

export interface CompileStats {
  rules: number;
  slots: number;
  predicates: number;
  /** Predicate references before deduplication. */
  predicateReferences: number;
  /** Of `predicates`, the last ones, used only by the explain table (provenance of hits). */
  explainPredicates: number;
  detections: number;
  codeWords: number;
  constantBytes: number;
  programBytes: number;
  prefilter: PrefilterStats;
}

type Expr =
  | { kind: 'pred'; index: number }
  | { kind: 'det'; index: number }
  | { kind: 'and' | 'or'; args: Expr[] }
  | { kind: 'not'; arg: Expr };

const utf8 = new TextEncoder();

/** A predicate operand: `key` identifies its content, so duplicates are found before any bytes are built. */
interface Operand {
  key: string;
  align: number;
  bytes(): Uint8Array;
}

/** Smallest capacity of the constant pool's buffer, which doubles as it fills. */
const INITIAL_POOL_BYTES = 4096;

/**
 * Append-only byte buffer; identical constants (same key) are stored once. Operands are copied into one growing
 * buffer as they come, so a rule of 100,000 values holds one buffer rather than one array per value.
 */
class ConstantPool {
  private buffer = new Uint8Array(INITIAL_POOL_BYTES);
  private size = 0;
  private readonly seen = new Map<string, { offset: number; length: number }>();

  add(operand: Operand): { offset: number; length: number } {
    const known = this.seen.get(operand.key);
    if (known) return known;
    const bytes = operand.bytes();
    const pad = (operand.align - (this.size % operand.align)) % operand.align;
    this.reserve(pad + bytes.length);
    this.size += pad; // the buffer starts zeroed: padding is zeros
    const placed = { offset: this.size, length: bytes.length };
    this.buffer.set(bytes, this.size);
    this.size += bytes.length;
    this.seen.set(operand.key, placed);
    return placed;
  }

  private reserve(more: number): void {
    if (this.size + more <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.size + more) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.size));
    this.buffer = grown;
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }
}

/**
 * A literal set of more values than this gives the prefilter no atoms. Such a set is its own one-pass scan of the
 * value, while each atom costs the compiler ~200 bytes and the prefilter a table entry: a 100,000-value list would
 * take more memory in atoms than in everything else. (SigmaHQ's longest list has under 5,000 values.)
 */
export const MAX_SET_ATOMS = 8192;

/** Predicates that test a value whole against one literal: equal to it, starting or ending with it. */
const WHOLE_VALUE_OPS: ReadonlySet<number> = new Set([F.P_EQUALS, F.P_PREFIX, F.P_SUFFIX]);

class PredicateTable {
  readonly words: number[] = [];
  /** What each predicate implies for the prefilter (see requirements.ts). */
  readonly atoms: PredicateAtoms[] = [];
  /** Whether the prefilter stamps each predicate (PF_PREFILTERED): its atoms' hits say it may hold. */
  readonly stamped: boolean[] = [];
  private readonly index = new Map<string, number>();
  references = 0;
  /**
   * Predicates added from now on serve only the explain table (provenance of hits, evaluated after a hit): they
   * imply no atoms, so the prefilter neither stamps nor indexes them and the hot path is as without them.
   */
  explainOnly = false;

  constructor(private readonly constants: ConstantPool) {}

  get count(): number {
    return this.index.size;
  }

  /**
   * Add (or find) the predicate; `immediate` is the operand-length word of operand-less predicates; `wholeValueSet`
   * marks a literal set of equals, prefixes or suffixes.
   */
  add(
    op: number, flags: number, argument: number, slot: number, operand: Operand | null, immediate = 0, atoms: () => PredicateAtoms = () => null,
    wholeValueSet = false,
  ): number {
    this.references++;
    const head = (op | (flags << 8) | (argument << 16)) >>> 0;
    const key = `${head}:${slot}:${operand ? operand.key : `#${immediate}`}`;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    const placed = operand ? this.constants.add(operand) : { offset: 0, length: immediate };
    const i = this.index.size;
    this.index.set(key, i);
    const implied = this.explainOnly ? null : atoms();
    // A predicate that implies atoms is false whenever the prefilter saw none of them: the VM skips it then. That
    // pays where evaluating it scans the value (contains, globs, regexes and their sets) or the event's leaves
    // (keywords). A whole-value test on a field costs about what its stamps would: every event with a common image
    // (`Image|endswith: \svchost.exe` as a filter) would stamp it, to spare a comparison in the few candidates that
    // read it. Its atoms still make requirements (requirements.ts); only the stamps go.
    // A keyword atom the raw scan cannot look for (a number's text such as `200`, a one-byte `$`) would take the raw
    // keyword scan away from every event (prefilter.ts): such a predicate is evaluated instead (a leaf search, only
    // when a candidate reads it).
    const wholeValue = WHOLE_VALUE_OPS.has(op) || wholeValueSet;
    const rawless = implied !== null && implied.some((a) => a.keyword === true && rawKeywordText(a.text) === null);
    const stamped = implied !== null && implied.length > 0 && !rawless && !(wholeValue && implied.every((a) => a.keyword !== true));
    this.words.push((head | (stamped ? F.PF_PREFILTERED << 8 : 0)) >>> 0, slot, placed.offset, placed.length);
    this.atoms.push(implied);
    this.stamped.push(stamped);
    return i;
  }
}

function textOperand(text: string): Operand {
  return { key: `T${text}`, align: 1, bytes: () => utf8.encode(text) };
}

function f64Operand(v: number): Operand {
  return {
    key: `F${v}`,
    align: 8,
    bytes: () => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, v, true);
      return b;
    },
  };
}

/** A Sigma string with the given shape around literal text (the text is already folded as the predicate needs). */
function literalPattern(kind: LiteralSetKind, text: string): SigmaString {
  let s = SigmaString.literal(text);
  if (kind === SET_SUFFIX || kind === SET_CONTAINS) s = s.prepend(ANY);
  if (kind === SET_PREFIX || kind === SET_CONTAINS) s = s.append(ANY);
  return s;
}

/** OR-ed literals of one shape and case mode, texts folded unless cased. */
interface LiteralGroup {
  kind: LiteralSetKind;
  cased: boolean;
  texts: readonly string[];
}

/** The literal set kind of each shape of a packed list. */
const SET_KINDS: Readonly<Record<ListShape, LiteralSetKind>> = { equals: SET_EQUALS, startswith: SET_PREFIX, endswith: SET_SUFFIX, contains: SET_CONTAINS };

const COMPARE_CODES = { eq: F.CMP_EQ, gt: F.CMP_GT, gte: F.CMP_GTE, lt: F.CMP_LT, lte: F.CMP_LTE } as const;
const TIME_CODES = { minute: F.TIME_MINUTE, hour: F.TIME_HOUR, day: F.TIME_DAY, week: F.TIME_WEEK, month: F.TIME_MONTH, year: F.TIME_YEAR } as const;
const FIELDREF_CODES = {
  equals: F.FIELDREF_EQUALS,
  contains: F.FIELDREF_CONTAINS,
  startswith: F.FIELDREF_STARTSWITH,
  endswith: F.FIELDREF_ENDSWITH,
} as const;

function int32Bytes(words: Int32Array): Uint8Array {
  const b = new Uint8Array(words.length * 4);
  const view = new DataView(b.buffer);
  words.forEach((w, i) => view.setInt32(i * 4, w, true));
  return b;
}

/** The items of a detection's tree, depth first (the explain table's and provenance's numbering). */
function itemsOf(node: DetectionNode, out: DetectionItem[] = []): DetectionItem[] {
  if (node.kind === 'item') out.push(node);
  else for (const c of node.children) itemsOf(c, out);
  return out;
}

/** Search identifiers pipelines add (src/pipeline/apply.ts): `_pipeline_<name>`, renamed `_alt<k>_...` in an
 * alternative whose condition differs from the first form's. */
const ADDED_CONDITION = /^(?:_alt\d+_)*_pipeline_/;

class Compiler {
  readonly constants = new ConstantPool();
  readonly predicates = new PredicateTable(this.constants);
  private readonly nodeExprs = new WeakMap<DetectionNode, Expr>();
  /** Code block of each detection expression: a detection shared by many rules (the foreign products' route
   * exclusion, src/pipeline/apply.ts) is emitted once, whichever rules list it. */
  private readonly exprBlocks = new WeakMap<Expr, number>();
  readonly code: number[] = [];
  readonly detectionStarts: number[] = [];
  readonly detectionExprs: Expr[] = [];
  /** Detections a pipeline's add_condition added (their names start with `_pipeline_`, src/pipeline/apply.ts). */
  readonly addedDetections: number[] = [];
  readonly ruleExprs: Expr[] = [];
  readonly ruleWords: number[] = [];
  /** Per rule, per detection: its items in depth-first order (the explain table is built from them at the end). */
  private readonly ruleItems: DetectionItem[][][] = [];
  private readonly slots = new Map<string, number>();
  private readonly slotFields: (string | null)[] = [];
  private keywordSlot: number | null = null;

  slotOf(field: string | null): number {
    if (field === null) {
      if (this.keywordSlot === null) {
        this.keywordSlot = this.slotFields.length;
        this.slotFields.push(null);
      }
      return this.keywordSlot;
    }
    let s = this.slots.get(field);
    if (s === undefined) {
      s = this.slotFields.length;
      this.slots.set(field, s);
      this.slotFields.push(field);
    }
    return s;
  }

  /** The prefilter atom a predicate implies: folded text on a field slot (keyword leaves are not prefiltered). */
  private atom(kind: Atom['kind'], slot: number, text: string): Atom[] | null {
    const folded = foldString(text);
    const bytes = utf8.encode(folded);
    // A prefix or suffix of a window's length or more is found by the window scan like any literal; a shorter one
    // costs one probe per value (`/rm` at the end of Image).
    if ((kind === 'prefix' || kind === 'suffix') && bytes.length >= PREFILTER_WINDOW) kind = 'literal';
    if (bytes.length === 0 && kind !== 'exact') return null;
    // A 2-3 byte literal is looked for at the positions whose first two bytes some such literal starts with (the
    // slot filter's pair map); a one-byte literal would make that every position, for little selectivity.
    if (kind === 'literal' && bytes.length < 2) return null;
    // Keyword atoms are looked for in every leaf of the event, collected on demand (DESIGN.md section 7).
    if (slot === this.keywordSlot) return [{ kind, slot, text: bytes, key: `${kind[0]}${slot}:${folded}`, keyword: true }];
    return [{ kind, slot, text: bytes, key: `${kind[0]}${slot}:${folded}` }];
  }

  valueExpr(value: SigmaValue, slot: number): Expr {
    const pred = (index: number): Expr => ({ kind: 'pred', index });
    const P = this.predicates;
    switch (value.type) {
      case 'string': {
        const flags = value.cased ? F.PF_CASED : 0;
        const tokens = value.value.tokens.map((t) => (t.kind === 'text' && !value.cased ? { kind: 'text' as const, text: foldString(t.text) } : t));
        const shape = globShape(tokens);
        switch (shape.kind) {
          case 'equals':
            return pred(P.add(F.P_EQUALS, flags, 0, slot, textOperand(shape.text), 0, () => this.atom('exact', slot, shape.text)));
          case 'prefix':
            return pred(P.add(F.P_PREFIX, flags, 0, slot, textOperand(shape.text), 0, () => this.atom('prefix', slot, shape.text)));
          case 'suffix':
            return pred(P.add(F.P_SUFFIX, flags, 0, slot, textOperand(shape.text), 0, () => this.atom('suffix', slot, shape.text)));
          case 'contains':
            return pred(P.add(F.P_CONTAINS, flags, 0, slot, textOperand(shape.text), 0, () => this.atom('literal', slot, shape.text)));
          case 'general': {
            const key = `G${tokens.map((t) => (t.kind === 'text' ? `t${t.text}` : t.kind)).join('\u0000')}`;
            // The longest text run of the pattern must occur in any value it matches.
            const longest = (): string =>
              shape.segments.flatMap((seg) => seg.filter((p): p is string => p !== null)).reduce((a, b) => (b.length > a.length ? b : a), '');
            return pred(P.add(F.P_GLOB, flags, 0, slot, { key, align: 4, bytes: () => encodeGlob(tokens) }, 0, () => this.atom('literal', slot, longest())));
          }
        }
        break;
      }
      case 'number':
        return pred(P.add(F.P_EQUALS, F.PF_CASED, 0, slot, textOperand(value.text), 0, () => this.atom('exact', slot, value.text)));
      case 'boolean': {
        const text = value.value ? 'true' : 'false';
        return pred(P.add(F.P_EQUALS, 0, 0, slot, textOperand(text), 0, () => this.atom('exact', slot, text)));
      }
      case 'null':
        return pred(P.add(F.P_NULL, 0, 0, slot, null));
      case 'exists':
        return pred(P.add(F.P_EXISTS, 0, value.value ? 1 : 0, slot, null));
      case 'regex': {
        const regex = value.regex;
        const flagsKey = `${regex.flags.ignoreCase ? 'i' : ''}${regex.flags.multiline ? 'm' : ''}${regex.flags.dotAll ? 's' : ''}`;
        const atoms = (): PredicateAtoms => {
          const required = regex.requiredLiterals;
          if (!required || !required.literals.every((l) => l.length > 0)) return null;
          // The regex needs one of its literals: every one must be an atom (a literal too short for a window has
          // none), or a match through a missing one would find no atom and the predicate be skipped.
          const list = required.literals.map((l) => this.atom('literal', slot, l));
          return list.every((a) => a !== null) ? list.flat() : null;
        };
        const operand: Operand = { key: `R${flagsKey}/${regex.source}`, align: 4, bytes: () => int32Bytes(serializeProgram(regex.program)) };
        const index = P.add(F.P_REGEX, F.PF_CASED, 0, slot, operand, 0, atoms);
        const required = regex.requiredLiterals;
        if (P.atoms[index] !== null || !required || !required.literals.every((l) => l.length > 0)) return pred(index);
        // Literals too short to be prefilter atoms (the backtick of `\w+`\w+`) still make a cheap test to run first:
        // a value the regex matches contains one of them (folded, since folding maps each code point on its own).
        const precheck = this.alternatives(
          required.literals.map((l) => ({ type: 'string', value: literalPattern(SET_CONTAINS, l), cased: false })),
          slot,
        );
        return { kind: 'and', args: [precheck.length === 1 ? precheck[0] : { kind: 'or', args: precheck }, pred(index)] };
      }
      case 'cidr': {
        const network = value.network;
        return pred(P.add(F.P_CIDR, F.PF_CASED, 0, slot, { key: `C${network.text}`, align: 4, bytes: () => encodeCidr(network) }));
      }
      case 'compare':
        return pred(P.add(F.P_COMPARE, F.PF_CASED, COMPARE_CODES[value.op], slot, f64Operand(value.value)));
      case 'timepart':
        return pred(P.add(F.P_TIMEPART, F.PF_CASED, TIME_CODES[value.part] | (COMPARE_CODES[value.op] << 4), slot, f64Operand(value.value)));
      case 'fieldref': {
        const other = this.slotOf(value.field);
        return pred(P.add(F.P_FIELDREF, value.cased ? F.PF_CASED : 0, FIELDREF_CODES[value.position], slot, null, other));
      }
      case 'expansion':
        return { kind: 'or', args: value.values.map((v) => this.valueExpr(v, slot)) };
    }
  }

  nodeExpr(node: DetectionNode): Expr {
    // Detections shared by many rules (a pipeline's foreign-source identifier is one object in hundreds of rules)
    // are worked out once; expressions are never modified after they are built.
    let expr = this.nodeExprs.get(node);
    if (expr) return expr;
    if (node.kind !== 'item') {
      expr = { kind: node.kind, args: node.children.map((c) => this.nodeExpr(c)) };
    } else {
      const slot = this.slotOf(node.field);
      const values = node.all ? node.values.map((v) => this.valueExpr(v, slot)) : this.alternatives(node.values, slot);
      const combined: Expr = values.length === 1 ? values[0] : { kind: node.all ? 'and' : 'or', args: values };
      expr = node.negated ? { kind: 'not', arg: combined } : combined;
    }
    this.nodeExprs.set(node, expr);
    return expr;
  }

  /**
   * OR-ed values of one item: plain strings of one shape (equals / prefix / suffix / contains) and case mode are
   * gathered into literal sets when there are enough of them, so a 200-name `endswith` list is one pass over the
   * value instead of 200 searches. Expansions are OR-ed too, so their members join the sets.
   */
  private alternatives(values: readonly SigmaValue[], slot: number): Expr[] {
    // A packed list of plain strings (src/rule/string-list.ts) is one group as it is: no value is built.
    const list = stringListOf(values);
    if (list) {
      const texts = list.cased ? list.texts : list.texts.map(foldString);
      return this.literalGroups([{ kind: SET_KINDS[list.shape], cased: list.cased, texts }], slot);
    }
    // A packed `re` list (src/rule/regex-list.ts) is searched as a regex set: a few programs, none per pattern.
    const regexes = regexListOf(values);
    if (regexes) return this.regexSet(regexes, slot);
    const flat: SigmaValue[] = [];
    const flatten = (v: SigmaValue): void => {
      if (v.type === 'expansion') v.values.forEach(flatten);
      else flat.push(v);
    };
    values.forEach(flatten);
    const groups = new Map<string, LiteralGroup & { texts: string[] }>();
    const rest: SigmaValue[] = [];
    for (const v of flat) {
      if (v.type !== 'string') {
        rest.push(v);
        continue;
      }
      const tokens = v.value.tokens.map((t) => (t.kind === 'text' && !v.cased ? { kind: 'text' as const, text: foldString(t.text) } : t));
      const shape = globShape(tokens);
      if (shape.kind === 'general' || (shape.kind !== 'equals' && shape.text.length === 0)) {
        rest.push(v);
        continue;
      }
      const kind = { equals: SET_EQUALS, prefix: SET_PREFIX, suffix: SET_SUFFIX, contains: SET_CONTAINS }[shape.kind] as LiteralSetKind;
      const key = `${kind}:${v.cased}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { kind, cased: v.cased, texts: [] }));
      g.texts.push(shape.text);
    }
    const out = this.literalGroups(groups.values(), slot);
    for (const v of rest) out.push(this.valueExpr(v, slot));
    return out;
  }

  /**
   * The OR of a packed `re` list's patterns as regex predicates of one program each (src/regex/set.ts), each
   * program an alternation of many patterns. A member's atoms are the union of its patterns' required literals
   * (none for a list longer than MAX_SET_ATOMS, as for literal sets: atoms would take more memory than the rest).
   */
  private regexSet(list: RegexList, slot: number): Expr[] {
    const out: Expr[] = [];
    const flagsKey = `${list.flags.ignoreCase ? 'i' : ''}${list.flags.multiline ? 'm' : ''}${list.flags.dotAll ? 's' : ''}`;
    list.compileSet({ maxLiterals: list.length > MAX_SET_ATOMS ? 0 : MAX_SET_ATOMS }, (member) => {
      // Patterns length-prefixed, so that no two sets (nor a set and a single regex, keyed `R`) share a key.
      const patterns: string[] = [];
      for (let i = member.first; i < member.end; i++) {
        const pattern = list.pattern(i);
        patterns.push(`${pattern.length}:${pattern}`);
      }
      const operand: Operand = { key: `Q${flagsKey}/${patterns.join('')}`, align: 4, bytes: () => int32Bytes(serializeProgram(member.program)) };
      const atoms = (): PredicateAtoms => {
        const literals = member.literals;
        if (literals === null || !literals.every((l) => l.length > 0)) return null;
        const found = literals.map((l) => this.atom('literal', slot, l));
        return found.every((a) => a !== null) ? found.flat() : null;
      };
      out.push({ kind: 'pred', index: this.predicates.add(F.P_REGEX, F.PF_CASED, 0, slot, operand, 0, atoms) });
    });
    return out;
  }

  /** Literals of one shape and case mode (already folded unless cased): a literal set when there are enough of them. */
  private literalGroups(groups: Iterable<LiteralGroup>, slot: number): Expr[] {
    const out: Expr[] = [];
    for (const g of groups) {
      const texts = [...new Set(g.texts)].sort();
      if (texts.length < MIN_SET_SIZE) {
        for (const text of texts) out.push(this.valueExpr({ type: 'string', value: literalPattern(g.kind, text), cased: g.cased }, slot));
        continue;
      }
      const atoms = (): PredicateAtoms => {
        if (texts.length > MAX_SET_ATOMS) return null;
        const atomKind = g.kind === SET_EQUALS ? 'exact' : g.kind === SET_PREFIX ? 'prefix' : g.kind === SET_SUFFIX ? 'suffix' : 'literal';
        const list = texts.flatMap((t) => this.atom(atomKind, slot, t) ?? []);
        return list.length === texts.length ? list : null;
      };
      const operand: Operand = { key: `S${g.kind}${texts.join('\u0000')}`, align: 4, bytes: () => encodeLiteralSet(g.kind, texts) };
      const index = this.predicates.add(F.P_LITERAL_SET, g.cased ? F.PF_CASED : 0, 0, slot, operand, 0, atoms, g.kind !== SET_CONTAINS);
      out.push({ kind: 'pred', index });
    }
    return out;
  }

  conditionExpr(node: ConditionNode, detections: Map<string, number>): Expr {
    switch (node.kind) {
      case 'ref':
        return { kind: 'det', index: detections.get(node.name)! };
      case 'not':
        return { kind: 'not', arg: this.conditionExpr(node.arg, detections) };
      case 'and':
      case 'or':
        return { kind: node.kind, args: node.args.map((a) => this.conditionExpr(a, detections)) };
      case 'of': {
        const args: Expr[] = node.names.map((n) => ({ kind: 'det', index: detections.get(n)! }));
        return args.length === 1 ? args[0] : { kind: node.quantifier === 'all' ? 'and' : 'or', args };
      }
    }
  }

  /** Emit short-circuit code: `and` jumps out on the first false, `or` on the first true; acc holds the result. */
  emit(e: Expr): void {
    const word = (op: number, operand: number): number => (op | (operand << F.OPERAND_SHIFT)) >>> 0;
    switch (e.kind) {
      case 'pred':
        this.code.push(word(F.I_PRED, e.index));
        return;
      case 'det':
        this.code.push(word(F.I_DET, e.index));
        return;
      case 'not':
        this.emit(e.arg);
        this.code.push(word(F.I_NOT, 0));
        return;
      case 'and':
      case 'or': {
        const jump = e.kind === 'and' ? F.I_JUMP_IF_FALSE : F.I_JUMP_IF_TRUE;
        const patches: number[] = [];
        e.args.forEach((arg, i) => {
          this.emit(arg);
          if (i < e.args.length - 1) {
            patches.push(this.code.length);
            this.code.push(0);
          }
        });
        const end = this.code.length;
        if (end > F.MAX_OPERAND) throw new Error(`the program exceeds ${F.MAX_OPERAND} code words`);
        for (const p of patches) this.code[p] = word(jump, end);
        return;
      }
    }
  }

  block(e: Expr): number {
    const start = this.code.length;
    this.emit(e);
    this.code.push(F.I_RETURN);
    return start;
  }

  addRule(rule: SigmaRule): void {
    const first = this.detectionStarts.length;
    const byName = new Map<string, number>();
    for (const d of rule.detections) {
      const index = this.detectionStarts.length;
      byName.set(d.name, index);
      if (ADDED_CONDITION.test(d.name)) this.addedDetections.push(index);
      const expr = this.nodeExpr(d.root);
      this.detectionExprs.push(expr);
      let start = this.exprBlocks.get(expr);
      if (start === undefined) this.exprBlocks.set(expr, (start = this.block(expr)));
      this.detectionStarts.push(start);
    }
    this.ruleItems.push(rule.detections.map((d) => itemsOf(d.root)));
    const condition = this.conditionExpr(rule.condition, byName);
    this.ruleExprs.push(condition);
    const start = this.block(condition);
    this.ruleWords.push(start, first, rule.detections.length, 0);
  }

  /**
   * The explain table (format.ts SECTION_EXPLAIN): per rule, per detection, per item its slot, flags and one code
   * block per value test, each testing one value as the reference's `compileValues` numbers them (a packed list
   * text by text: literal sets would not say which literal held). Built after every rule's own code, with
   * explain-only predicates, so the hot path's predicates, code and prefilter are what they were without it.
   */
  /** Predicates the rules' own code uses (the explain table's own come after them). */
  private hotPredicates = 0;

  private explainTable(): number[] {
    this.hotPredicates = this.predicates.count;
    this.predicates.explainOnly = true;
    const blocks = new Map<string, number>();
    const testBlock = (e: Expr): number => {
      const key = e.kind === 'pred' ? `p${e.index}` : null;
      const known = key === null ? undefined : blocks.get(key);
      if (known !== undefined) return known;
      const start = this.block(e);
      if (key !== null) blocks.set(key, start);
      return start;
    };
    const words: number[] = new Array(this.ruleItems.length).fill(0);
    for (const [r, detections] of this.ruleItems.entries()) {
      words[r] = words.length;
      for (const items of detections) {
        words.push(items.length);
        for (const item of items) {
          const slot = this.slotOf(item.field);
          const tests = this.itemTests(item, slot);
          words.push(slot, item.negated ? F.X_ITEM_NEGATED : 0, tests.length);
          for (const t of tests) words.push(testBlock(t));
        }
      }
    }
    this.predicates.explainOnly = false;
    return words;
  }

  /**
   * One expression per value test of an item, in the reference's numbering (src/eval/provenance.ts itemTests): a
   * value each, and a long list as one test (src/rule/long-list.ts), the rule's own literal or regex sets.
   */
  private itemTests(item: DetectionItem, slot: number): Expr[] {
    if (isLongList(item)) {
      const sets = this.alternatives(item.values, slot);
      return [sets.length === 1 ? sets[0] : { kind: 'or', args: sets }];
    }
    return item.values.map((v) => this.valueExpr(v, slot));
  }

  /**
   * Each rule's negative gate (requirements.ts): a pipeline-added detection it excludes, named by the first detection
   * of the same expression, so that the rules sharing it (every foreign product's rule lists its own copy of
   * `_pipeline_other_source`) share one gate, decided once per event.
   */
  private negativeGates(): (number | null)[] {
    const added = new Set(this.addedDetections);
    const first = new Map<Expr, number>();
    this.detectionExprs.forEach((e, d) => {
      if (added.has(d) && !first.has(e)) first.set(e, d);
    });
    return this.ruleExprs.map((e) => {
      const d = negativeGate(e, (index) => added.has(index));
      return d === null ? null : first.get(this.detectionExprs[d])!;
    });
  }

  finish(rules: readonly SigmaRule[]): CompiledRuleSet {
    const fields = this.slotFields;
    const trie = buildFieldTrie(fields).bytes;
    const u32 = (words: number[]): Uint8Array => {
      const b = new Uint8Array(words.length * 4);
      const v = new DataView(b.buffer);
      words.forEach((w, i) => v.setUint32(i * 4, w >>> 0, true));
      return b;
    };
    const sections: Uint8Array[] = [];
    sections[F.SECTION_TRIE] = trie;
    sections[F.SECTION_DETECTIONS] = u32(this.detectionStarts);
    sections[F.SECTION_RULES] = u32(this.ruleWords);
    // Keyword atoms count for candidacy too: the VM collects and scans an event's leaves for them only when some rule
    // that needs one could still become a candidate (DESIGN.md section 7).
    const atomsOf = (p: number): PredicateAtoms => this.predicates.atoms[p];
    const detectionOf = (d: number): Expr => this.detectionExprs[d];
    // Atoms of pipeline-added routing conditions make gates, not requirement sets (requirements.ts).
    const split = splitRoutingAtoms(atomsOf, atomKeys(this.addedDetections.map(detectionOf), atomsOf, detectionOf));
    const popularity = atomPopularity(this.ruleExprs, atomsOf, detectionOf);
    const analysis = new RequirementAnalysis(split.own, detectionOf, popularity);
    const gateAnalysis = new RequirementAnalysis(split.routing, detectionOf, popularity);
    const requirements = this.ruleExprs.map((e) => analysis.rule(e));
    const gates = this.ruleExprs.map((e) => gateAnalysis.gate(e));
    const prefilter = buildPrefilter(requirements, this.predicates.atoms, gates, fields.filter((f): f is string => f !== null), this.predicates.stamped, this.negativeGates());
    sections[F.SECTION_PREFILTER] = new Uint8Array(prefilter.words.buffer);
    // After the prefilter, which reads the hot path's predicates only.
    sections[F.SECTION_EXPLAIN] = u32(this.explainTable());
    sections[F.SECTION_PREDICATES] = u32(this.predicates.words);
    sections[F.SECTION_CODE] = u32(this.code);
    const constants = this.constants.bytes();
    sections[F.SECTION_CONSTANTS] = constants;

    const header = new Uint32Array(F.HEADER_WORDS);
    header[F.H_MAGIC] = F.PROGRAM_MAGIC;
    header[F.H_VERSION] = F.PROGRAM_VERSION;
    header[F.H_FLAGS] = this.keywordSlot !== null ? F.PROGRAM_USES_KEYWORDS : 0;
    header[F.H_SLOT_COUNT] = fields.length;
    header[F.H_KEYWORD_SLOT] = this.keywordSlot ?? F.NONE;
    header[F.H_RULE_COUNT] = rules.length;
    header[F.H_PREDICATE_COUNT] = this.predicates.count;
    header[F.H_DETECTION_COUNT] = this.detectionStarts.length;
    const align = (n: number): number => (n + F.SECTION_ALIGN - 1) & ~(F.SECTION_ALIGN - 1);
    let offset = align(F.HEADER_WORDS * 4);
    sections.forEach((s, i) => {
      header[F.H_SECTIONS + 2 * i] = offset;
      header[F.H_SECTIONS + 2 * i + 1] = s.length;
      offset = align(offset + s.length);
    });
    const program = new Uint8Array(offset);
    program.set(new Uint8Array(header.buffer), 0);
    sections.forEach((s, i) => program.set(s, header[F.H_SECTIONS + 2 * i]));
    return {
      program,
      rules,
      shapes: rules.map(provenanceShape),
      fields,
      keywordSlot: this.keywordSlot,
      requirements,
      gates,
      stats: {
        rules: rules.length,
        slots: fields.length,
        predicates: this.predicates.count,
        predicateReferences: this.predicates.references,
        explainPredicates: this.predicates.count - this.hotPredicates,
        detections: this.detectionStarts.length,
        codeWords: this.code.length,
        constantBytes: constants.length,
        programBytes: program.length,
        prefilter: prefilter.stats,
      },
    };
  }
}

export interface CompileOptions {
  /**
   * Fields to extract even if no rule tests them (correlations read them from the events their rules match: see
   * assembly/vm/capture.ts); their slots come after the rules' own.
   */
  extraFields?: readonly string[];
}

/** Compile a rule set into one program. */
export function compileRules(rules: readonly SigmaRule[], options: CompileOptions = {}): CompiledRuleSet {
  const c = new Compiler();
  for (const rule of rules) c.addRule(rule);
  for (const field of options.extraFields ?? []) c.slotOf(field);
  return c.finish(rules);
}
