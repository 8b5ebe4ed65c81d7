/**
 * A rule's detection logic as flat predicates (field, kind, value), the way detection catalogs tabulate it:
 *
 * - kinds: `eq`, `starts_with`, `ends_with`, `match` (contains), `glob` (any other wildcard pattern), `regex`, `cidr`,
 *   `null`, `exists`, `fieldref`, `gt` / `gte` / `lt` / `lte`, `timepart`; decided by the value's final shape
 *   (`Image|endswith: x` and `Image: '*x'` are both `ends_with x`);
 * - values as written in the rule with Sigma escapes resolved (`C:\\Windows\\*` reads `C:\Windows*`: a literal star);
 *   values that a modifier transforms (windash, base64, base64offset, wide/utf16, expand) are shown as written, the
 *   transformation listed in `modifiers`;
 * - roles: **exclusions** are the predicates of the condition's top-level NOT conjuncts (`... and not 1 of filter_*`),
 *   **indicators** the predicates the rest of the condition requires positively.
 */
import { positiveIdentifiers } from '../eval/provenance.js';
import { conditionToString, referencedNames, type ConditionNode } from '../rule/condition.js';
import type { Detection, DetectionItem, DetectionNode, SigmaRule } from '../rule/model.js';
import { SigmaString } from '../rule/sigma-string.js';
import type { SigmaValue } from '../rule/values.js';

export type PredicateKind =
  | 'eq'
  | 'starts_with'
  | 'ends_with'
  | 'match'
  | 'glob'
  | 'regex'
  | 'cidr'
  | 'null'
  | 'exists'
  | 'fieldref'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'timepart';

export interface Predicate {
  /** The event field; null for a keyword item (any string or number of the event). */
  field: string | null;
  kind: PredicateKind;
  /** The value as written in the rule, Sigma escapes resolved; wildcards inside a value as `*` and `?`. */
  value: string;
  /**
   * Modifiers that qualify the value beyond its kind, in rule order: value transformations (windash, base64,
   * base64offset, wide, utf16le, utf16be, utf16, expand), `cased`, regex flags (i, m, s), `all`, and for `fieldref`
   * its position (contains, startswith, endswith).
   */
  modifiers: string[];
}

/** A predicate of the rule with the search identifiers it appears in. */
export interface PredicateRow extends Predicate {
  detections: string[];
  /** Given a corpus: how many other rules of it have the same predicate in the same role. */
  corpus?: number;
}

const TRANSFORMS = new Set(['windash', 'base64', 'base64offset', 'wide', 'utf16le', 'utf16be', 'utf16', 'expand']);
const QUALIFIERS = new Set([...TRANSFORMS, 'cased', 'i', 'ignorecase', 'm', 'multiline', 's', 'dotall', 'all']);

type Raw = string | number | boolean | null;

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): v is Raw {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function flattenScalars(v: unknown, out: Raw[]): void {
  if (Array.isArray(v)) for (const x of v) flattenScalars(x, out);
  else if (isScalar(v)) out.push(v);
}

/** The raw values of each item of a definition, in the order the loader builds items (src/rule/detection.ts). */
function rawItems(def: unknown): Raw[][] {
  if (isMap(def)) {
    return Object.values(def).map((v) => {
      const out: Raw[] = [];
      flattenScalars(v, out);
      return out.length === 0 ? [null] : out;
    });
  }
  if (Array.isArray(def)) {
    if (def.every(isScalar)) return [def.map((v) => (typeof v === 'boolean' ? String(v) : v))];
    return def.flatMap((d) => rawItems(d));
  }
  if (isScalar(def)) return [[typeof def === 'boolean' ? String(def) : def]];
  return [];
}

export function detectionItems(node: DetectionNode, out: DetectionItem[] = []): DetectionItem[] {
  if (node.kind === 'item') out.push(node);
  else for (const c of node.children) detectionItems(c, out);
  return out;
}

/** The raw definition of a search identifier as written in the rule (absent for identifiers filters added). */
export function rawDefinition(rule: SigmaRule, name: string): unknown {
  const detection = rule.raw.detection;
  return isMap(detection) && Object.hasOwn(detection, name) && name !== 'condition' ? detection[name] : undefined;
}

function stripShape(s: SigmaString): { kind: PredicateKind; value: string } {
  const t = s.tokens;
  const text = (i: number): string | null => (t[i]?.kind === 'text' ? (t[i] as { text: string }).text : null);
  if (t.length === 0) return { kind: 'eq', value: '' };
  if (t.length === 1 && text(0) !== null) return { kind: 'eq', value: text(0)! };
  if (t.length === 2 && text(0) !== null && t[1].kind === 'any') return { kind: 'starts_with', value: text(0)! };
  if (t.length === 2 && t[0].kind === 'any' && text(1) !== null) return { kind: 'ends_with', value: text(1)! };
  if (t.length === 3 && t[0].kind === 'any' && text(1) !== null && t[2].kind === 'any') return { kind: 'match', value: text(1)! };
  return { kind: 'glob', value: s.toString() };
}

function concrete(v: SigmaValue): SigmaValue {
  return v.type === 'expansion' && v.values.length > 0 ? concrete(v.values[0]) : v;
}

function classify(v: SigmaValue): { kind: PredicateKind; value: string; extra: string[] } {
  const c = concrete(v);
  switch (c.type) {
    case 'string':
      return { ...stripShape(c.value), extra: [] };
    case 'number':
      return { kind: 'eq', value: c.text, extra: [] };
    case 'boolean':
      return { kind: 'eq', value: String(c.value), extra: [] };
    case 'null':
      return { kind: 'null', value: '', extra: [] };
    case 'regex':
      return { kind: 'regex', value: c.regex.source, extra: [] };
    case 'cidr':
      return { kind: 'cidr', value: c.network.text, extra: [] };
    case 'fieldref':
      return { kind: 'fieldref', value: c.field, extra: c.position === 'equals' ? [] : [c.position] };
    case 'exists':
      return { kind: 'exists', value: String(c.value), extra: [] };
    case 'compare':
      return { kind: c.op, value: String(c.value), extra: [] };
    case 'timepart':
      return { kind: 'timepart', value: `${c.part} ${c.op} ${c.value}`, extra: [] };
    case 'expansion':
      return { kind: 'eq', value: '', extra: [] };
  }
}

/** The predicates of one detection item (one per value), raw values from the rule text when known. */
export function itemPredicates(item: DetectionItem, raws?: readonly Raw[]): Predicate[] {
  const qualifiers = item.modifiers.filter((m) => QUALIFIERS.has(m));
  const transformed = item.modifiers.some((m) => TRANSFORMS.has(m));
  const isRegex = item.modifiers[0] === 're';
  return item.values.map((v, i) => {
    const c = classify(v);
    const raw = raws?.[i];
    let value = c.value;
    if (typeof raw === 'string' && isRegex) value = raw;
    else if (typeof raw === 'string' && transformed) value = SigmaString.parse(raw, item.modifiers.includes('expand')).toString();
    return { field: item.field, kind: c.kind, value, modifiers: [...qualifiers, ...c.extra] };
  });
}

/** The predicates of each item of a detection, in definition order. */
export function detectionPredicates(rule: SigmaRule, d: Detection): { item: DetectionItem; predicates: Predicate[] }[] {
  const items = detectionItems(d.root);
  const def = rawDefinition(rule, d.name);
  let raws: Raw[][] | undefined = def === undefined ? undefined : rawItems(def);
  // The raw text and the model must line up item for item and value for value, else the model alone is used.
  if (raws && (raws.length !== items.length || raws.some((r, i) => r.length !== items[i].values.length))) raws = undefined;
  return items.map((item, i) => ({ item, predicates: itemPredicates(item, raws?.[i]) }));
}

/** The conjuncts of a top-level AND (nested ANDs flattened); the whole condition when it is no AND. */
export function topLevelConjuncts(node: ConditionNode): ConditionNode[] {
  return node.kind === 'and' ? node.args.flatMap(topLevelConjuncts) : [node];
}

export interface RoleRows {
  exclusions: PredicateRow[];
  indicators: PredicateRow[];
}

function predicateKey(p: Predicate): string {
  return `${p.field ?? ''}\u0000${p.kind}\u0000${p.value}\u0000${p.modifiers.join('|')}`;
}

class RowSet {
  readonly rows: PredicateRow[] = [];
  private readonly byKey = new Map<string, PredicateRow>();

  add(p: Predicate, detection: string): void {
    const key = predicateKey(p);
    const row = this.byKey.get(key);
    if (row) {
      if (!row.detections.includes(detection)) row.detections.push(detection);
      return;
    }
    const fresh: PredicateRow = { ...p, modifiers: [...p.modifiers], detections: [detection] };
    this.byKey.set(key, fresh);
    this.rows.push(fresh);
  }
}

/**
 * Exclusions (every predicate of the top-level NOT conjuncts) and indicators (the predicates the other conjuncts
 * require positively; a `|neq` item there is an exclusion). Identifiers reached only under a nested `not` are in
 * neither. Each (field, kind, value, modifiers) once, in definition order, with the identifiers it appears in.
 */
export function predicateRoles(rule: SigmaRule): RoleRows {
  const conjuncts = topLevelConjuncts(rule.condition);
  const excluded = new Set<string>();
  const positive = new Set<string>();
  for (const c of conjuncts) {
    if (c.kind === 'not') referencedNames(c, excluded);
    else positiveIdentifiers(c, positive);
  }
  const exclusions = new RowSet();
  const indicators = new RowSet();
  for (const d of rule.detections) {
    const inExcluded = excluded.has(d.name);
    const inPositive = positive.has(d.name);
    if (!inExcluded && !inPositive) continue;
    for (const { item, predicates } of detectionPredicates(rule, d)) {
      for (const p of predicates) {
        if (inExcluded) exclusions.add(p, d.name);
        if (inPositive) (item.negated ? exclusions : indicators).add(p, d.name);
      }
    }
  }
  return { exclusions: exclusions.rows, indicators: indicators.rows };
}

export interface StageDetection {
  name: string;
  /** The definition as YAML (`name:` and its items), from the rule text; absent for identifiers filters added. */
  yaml?: string;
  predicates: Predicate[];
}

export interface Stage {
  /** 0 is the condition; 1.. the conjuncts of its top-level AND, in order. */
  index: number;
  /** The condition text (stage 0) or the conjunct (`selection`, `not 1 of filter_optional_*`). */
  label: string;
  /** `condition` (stage 0), `match` (a conjunct that must hold) or `exclude` (a top-level NOT conjunct). */
  role: 'condition' | 'match' | 'exclude';
  /** The search identifiers of the conjunct, in definition order (empty for stage 0). */
  detections: StageDetection[];
}

/** The stages of a rule as a catalog shows them: the condition, then each top-level conjunct with its identifiers. */
export function ruleStages(rule: SigmaRule, yamlOf: (name: string) => string | undefined): Stage[] {
  const conditionText = rule.appliedFilters.length === 0 && rule.conditionText.length > 0 ? rule.conditionText.join(' or ') : conditionToString(rule.condition);
  const stages: Stage[] = [{ index: 0, label: conditionText, role: 'condition', detections: [] }];
  // Each conjunct's identifiers are looked up by name, not by a pass over every definition: a condition may AND
  // thousands of identifiers, each a conjunct of its own.
  const definitionIndex = new Map(rule.detections.map((d, i) => [d.name, i]));
  topLevelConjuncts(rule.condition).forEach((c, i) => {
    const defined = [...referencedNames(c)].map((name) => definitionIndex.get(name)).filter((k) => k !== undefined);
    const detections = defined
      .sort((a, b) => a - b)
      .map((k) => rule.detections[k])
      .map((d) => {
        const yaml = yamlOf(d.name);
        return { name: d.name, ...(yaml !== undefined ? { yaml } : {}), predicates: detectionPredicates(rule, d).flatMap((x) => x.predicates) };
      });
    stages.push({ index: i + 1, label: conditionToString(c), role: c.kind === 'not' ? 'exclude' : 'match', detections });
  });
  return stages;
}
