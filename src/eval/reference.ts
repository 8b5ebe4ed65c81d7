/**
 * The reference evaluator: Sigma semantics stated plainly in TypeScript. It is the oracle the WASM engine is
 * tested against and the fallback where WASM is unavailable. Rules are turned into closures once (no code
 * generation, so it runs in Workers too); each event is wrapped in an EventView that memoises field lookups.
 */
import { readEvtxJson } from '../input/evtx-json.js';
import { cidrContains } from '../net/ip.js';
import { regexSearch, type CompiledRegex, type RegexProgram, type RegexSetMember } from '../regex/index.js';
import type { ConditionNode } from '../rule/condition.js';
import type { DetectionItem, DetectionNode, SigmaRule } from '../rule/model.js';
import { stringListOf } from '../rule/string-list.js';
import { regexListOf, type RegexList } from '../rule/regex-list.js';
import type { SigmaValue } from '../rule/values.js';
import { foldString } from '../text/fold.js';
import { EventView, FieldValues } from './event.js';
import { globMatch, globShape } from './glob.js';
import { compare, numericValue, timePartOf } from './scalars.js';

export interface EvaluatorOptions {
  /** `F: null` also matches an absent F (default true, SIGMA.md decision); false: only JSON null. */
  nullMatchesAbsent?: boolean;
  /** Read evtx_dump-shaped events as flat events (default true). */
  evtx?: boolean;
}

export interface RuleMatch {
  /** Index of the rule in the evaluator's rule list. */
  index: number;
  rule: SigmaRule;
  /** Search identifiers that were true for the event (the match's provenance). */
  detections: string[];
}

/** Does one rule value match what a field lookup found? (`view` serves fieldref lookups.) */
export type ValueTest = (found: FieldValues, view: EventView) => boolean;
type NodeTest = (view: EventView) => boolean;

function foldUnless(cased: boolean, s: string): string {
  return cased ? s : foldString(s);
}

function anyString(found: FieldValues, cased: boolean, test: (s: string) => boolean): boolean {
  const list = cased ? found.strings : found.folded;
  for (const s of list) if (s !== null && test(s)) return true;
  return false;
}

/** The test of one rule value, as the evaluator runs it (exported for provenance, src/eval/provenance.ts). */
export function compileValue(value: SigmaValue, options: Required<EvaluatorOptions>): ValueTest {
  switch (value.type) {
    case 'string': {
      const shape = globShape(value.value.tokens.map((t) => (t.kind === 'text' ? { kind: 'text', text: foldUnless(value.cased, t.text) } : t)));
      return (found) => anyString(found, value.cased, (s) => globMatch(shape, s));
    }
    case 'number':
      return (found) => found.strings.includes(value.text);
    case 'boolean': {
      const text = value.value ? 'true' : 'false';
      return (found) => found.folded.includes(text);
    }
    case 'null':
      return (found) => (!found.present && options.nullMatchesAbsent) || found.values.includes(null);
    case 'exists':
      return (found) => found.present === value.value;
    case 'regex':
      return (found) => found.strings.some((s) => s !== null && regexSearch(value.regex, s));
    case 'cidr':
      return (found) => found.strings.some((s) => s !== null && cidrContains(value.network, s));
    case 'compare':
      return (found) =>
        found.values.some((v) => {
          const n = numericValue(v);
          return n !== null && compare(value.op, n, value.value);
        });
    case 'timepart':
      return (found) =>
        found.values.some((v) => {
          const n = timePartOf(v, value.part);
          return n !== null && compare(value.op, n, value.value);
        });
    case 'fieldref': {
      const test =
        value.position === 'equals'
          ? (a: string, b: string) => a === b
          : value.position === 'contains'
            ? (a: string, b: string) => a.includes(b)
            : value.position === 'startswith'
              ? (a: string, b: string) => a.startsWith(b)
              : (a: string, b: string) => a.endsWith(b);
      return (found, view) => {
        const other = view.field(value.field);
        const mine = value.cased ? found.strings : found.folded;
        const theirs = value.cased ? other.strings : other.folded;
        for (const a of mine) {
          if (a === null) continue;
          for (const b of theirs) if (b !== null && test(a, b)) return true;
        }
        return false;
      };
    }
    case 'expansion': {
      const members = value.values.map((v) => compileValue(v, options));
      return (found, view) => members.some((m) => m(found, view));
    }
  }
}

/** The tests of an item's values by index: value i's test is `test(i, found, view)`. */
export interface ValueTests {
  readonly count: number;
  test(index: number, found: FieldValues, view: EventView): boolean;
}

const GLOB_KINDS = { equals: 'equals', startswith: 'prefix', endswith: 'suffix', contains: 'contains' } as const;

/**
 * The tests of an item's values (exported for provenance). A packed list of plain strings (src/rule/string-list.ts)
 * is tested text by text as `compileValue` tests the value it stands for, without a value or closure per text.
 */
export function compileValues(values: readonly SigmaValue[], options: Required<EvaluatorOptions>): ValueTests {
  const list = stringListOf(values);
  if (list) {
    const texts = list.cased ? list.texts : list.texts.map(foldString);
    const kind = GLOB_KINDS[list.shape];
    return { count: texts.length, test: (i, found) => anyString(found, list.cased, (s) => globMatch({ kind, text: texts[i] }, s)) };
  }
  const regexes = regexListOf(values);
  if (regexes) return regexListTests(regexes);
  const tests = values.map((v) => compileValue(v, options));
  return { count: tests.length, test: (i, found, view) => tests[i](found, view) };
}

/** Regexes of a packed list kept compiled at once (those of the values a search last needed). */
const REGEX_CACHE_SIZE = 256;
/** A regex set member's result for the lookup result at hand (0: not searched yet). */
const MEMBER_NO = 1;
const MEMBER_YES = 2;

/**
 * The tests of a packed `re` list (src/rule/regex-list.ts) without a compiled regex per pattern held: the list's
 * regex set is searched first, once per lookup result (FieldValues never change), and a pattern is compiled and
 * searched on its own only when its set member matched. Value i is true exactly when its own regex matches.
 */
function regexListTests(list: RegexList): ValueTests {
  let members: RegexSetMember[] | null = null;
  /** Each member's result for `lastFound`. */
  let results = new Uint8Array(0);
  let lastFound: FieldValues | null = null;
  const compiled = new Map<number, CompiledRegex>();
  const search = (regex: RegexProgram | CompiledRegex, found: FieldValues): boolean => found.strings.some((s) => s !== null && regexSearch(regex, s));
  const memberOf = (index: number): number => {
    let lo = 0;
    let hi = members!.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (members![mid].first <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    count: list.length,
    test(index, found) {
      if (members === null) {
        const made: RegexSetMember[] = [];
        list.compileSet({ maxLiterals: 0 }, (member) => made.push(member));
        members = made;
        results = new Uint8Array(made.length);
      }
      if (found !== lastFound) {
        lastFound = found;
        results.fill(0);
      }
      const m = memberOf(index);
      if (results[m] === 0) results[m] = search(members[m].program, found) ? MEMBER_YES : MEMBER_NO;
      if (results[m] === MEMBER_NO) return false;
      let regex = compiled.get(index);
      if (regex === undefined) {
        if (compiled.size >= REGEX_CACHE_SIZE) compiled.clear();
        regex = (list.value(index) as SigmaValue & { type: 'regex' }).regex;
        compiled.set(index, regex);
      }
      return search(regex, found);
    },
  };
}


function compileItem(item: DetectionItem, options: Required<EvaluatorOptions>): NodeTest {
  const tests = compileValues(item.values, options);
  const lookup = item.field === null ? (view: EventView) => view.keywords() : (view: EventView) => view.field(item.field as string);
  // Keywords under |all: each keyword anywhere in the event, not necessarily in the same leaf; since every leaf
  // is in one FieldValues, "every test against all leaves" says exactly that.
  const combined: NodeTest = item.all
    ? (view) => {
        const found = lookup(view);
        for (let i = 0; i < tests.count; i++) if (!tests.test(i, found, view)) return false;
        return true;
      }
    : (view) => {
        const found = lookup(view);
        for (let i = 0; i < tests.count; i++) if (tests.test(i, found, view)) return true;
        return false;
      };
  return item.negated ? (view) => !combined(view) : combined;
}

function compileNode(node: DetectionNode, options: Required<EvaluatorOptions>): NodeTest {
  if (node.kind === 'item') return compileItem(node, options);
  const children = node.children.map((c) => compileNode(c, options));
  return node.kind === 'and' ? (view) => children.every((c) => c(view)) : (view) => children.some((c) => c(view));
}

function compileCondition(node: ConditionNode, detection: (name: string) => NodeTest): NodeTest {
  switch (node.kind) {
    case 'ref':
      return detection(node.name);
    case 'not': {
      const arg = compileCondition(node.arg, detection);
      return (view) => !arg(view);
    }
    case 'and':
    case 'or': {
      const args = node.args.map((a) => compileCondition(a, detection));
      return node.kind === 'and' ? (view) => args.every((a) => a(view)) : (view) => args.some((a) => a(view));
    }
    case 'of': {
      const args = node.names.map(detection);
      return node.quantifier === 'all' ? (view) => args.every((a) => a(view)) : (view) => args.some((a) => a(view));
    }
  }
}

/** An event as every rule sees it: evtx_dump-shaped events read as flat fields (unless `evtx` is false). */
export function eventView(event: unknown, evtx = true): EventView {
  const flat = evtx ? readEvtxJson(event) : null;
  return flat ? new EventView(flat.event, flat.values) : new EventView(event);
}

interface CompiledRule {
  rule: SigmaRule;
  condition: NodeTest;
  detections: { name: string; test: NodeTest }[];
}

export class ReferenceEvaluator {
  readonly rules: readonly SigmaRule[];
  private readonly compiled: CompiledRule[];
  private readonly options: Required<EvaluatorOptions>;

  constructor(rules: readonly SigmaRule[], options: EvaluatorOptions = {}) {
    this.options = { nullMatchesAbsent: options.nullMatchesAbsent ?? true, evtx: options.evtx ?? true };
    this.rules = rules;
    this.compiled = rules.map((rule) => {
      const detections = rule.detections.map((d) => ({ name: d.name, test: compileNode(d.root, this.options) }));
      const byName = new Map(detections.map((d) => [d.name, d.test]));
      const condition = compileCondition(rule.condition, (name) => {
        const t = byName.get(name);
        if (!t) throw new Error(`rule "${rule.title}": condition names undefined identifier "${name}"`);
        return t;
      });
      return { rule, condition, detections };
    });
  }

  /** Wrap an event once for several rule evaluations. */
  view(event: unknown): EventView {
    return eventView(event, this.options.evtx);
  }

  /** Every rule that matches the event, in rule order, with the search identifiers that were true. */
  match(event: unknown): RuleMatch[] {
    const view = this.view(event);
    const out: RuleMatch[] = [];
    this.compiled.forEach((c, index) => {
      if (!c.condition(view)) return;
      out.push({ index, rule: c.rule, detections: c.detections.filter((d) => d.test(view)).map((d) => d.name) });
    });
    return out;
  }

  /** Does rule `index` match? */
  matches(index: number, event: unknown | EventView): boolean {
    const view = event instanceof EventView ? event : this.view(event);
    return this.compiled[index].condition(view);
  }
}
