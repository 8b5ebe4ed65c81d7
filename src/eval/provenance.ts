/**
 * Provenance of a match: which search identifiers of a rule were true for an event, and which event values satisfied
 * which detection items. Computed with the reference evaluator's own value tests (`compileValue`) and event view
 * (`eventView`: exact field names, dotted paths, arrays, evtx_dump events read as flat fields), so an explanation
 * never disagrees with a match. Meant for hit events only: it evaluates every item of every identifier, without the
 * evaluator's short-circuits.
 */
import type { ConditionNode } from '../rule/condition.js';
import type { DetectionItem, SigmaRule } from '../rule/model.js';
import { isLongList } from '../rule/long-list.js';
import { EventView, FieldValues, stringForm } from './event.js';
import { compileValues, eventView, type EvaluatorOptions, type ValueTests } from './reference.js';

export interface ProvenanceOptions extends EvaluatorOptions {
  /**
   * The engine's view instead of the user's (default false): every true search identifier by its internal name
   * (`_alt1_selection` for an alternative's copy of `selection`, `_pipeline_*` for the conditions pipelines added,
   * e.g. the log source's `Channel` and `EventID`), as `ReferenceEvaluator.match` reports them, and each (field,
   * value, identifier) once.
   */
  internal?: boolean;
  /** Longest value reported, in UTF-16 units (default 4096); longer ones are cut and end with "…". */
  maxValueLength?: number;
}

export interface ProvenanceField {
  /** The event field read (after pipelines: the mapped name); for a keyword item, the path of the event leaf that matched (`a.b`), or `*` if unknown. */
  field: string;
  /** The event value's string form (as the matcher compares it; JSON null as `null`). */
  value: string;
  /** The search identifier whose item it satisfied (the first one, in rule order). */
  detection: string;
  /** Set for keyword (field-less) items. */
  keyword?: true;
}

export interface Provenance {
  /** Whether the rule's condition holds for the event (true for every hit of a correct engine). */
  matched: boolean;
  /**
   * The rule's own search identifiers, as written in the rule and in its order, each once: on a match, those that
   * made the condition hold (true, and not only under `not`; of a rule with pipeline alternatives, only the form
   * that held); otherwise every true one. Identifiers pipelines or filter documents added are left out.
   */
  detections: string[];
  /**
   * Event values that satisfied items of those identifiers (the true ones the condition uses positively when the
   * condition does not hold), in rule order, each (field, value) once. Items satisfied by a field's absence
   * (`F: null` on a missing F, `F|exists: false`) and `|neq` items have no value and are not listed.
   */
  fields: ProvenanceField[];
}

const DEFAULT_MAX_VALUE = 4096;

interface Resolved {
  nullMatchesAbsent: boolean;
  evtx: boolean;
}

/** Per rule: the compiled value tests of each item, built once (explanations of many hits of one rule share them). */
const testCache = new WeakMap<SigmaRule, Map<string, WeakMap<DetectionItem, ValueTests>>>();

function itemTests(rule: SigmaRule, item: DetectionItem, options: Resolved): ValueTests {
  let byOptions = testCache.get(rule);
  if (!byOptions) testCache.set(rule, (byOptions = new Map()));
  const key = `${options.nullMatchesAbsent}`;
  let items = byOptions.get(key);
  if (!items) byOptions.set(key, (items = new WeakMap()));
  let tests = items.get(item);
  if (!tests) {
    tests = compileValues(item.values, { nullMatchesAbsent: options.nullMatchesAbsent, evtx: options.evtx });
    if (isLongList(item)) tests = anyOf(tests);
    items.set(item, tests);
  }
  return tests;
}

/** A long list's tests as one: the values that satisfy it are listed in the event's order (src/rule/long-list.ts). */
function anyOf(tests: ValueTests): ValueTests {
  return {
    count: 1,
    test: (_i, found, view) => {
      for (let i = 0; i < tests.count; i++) if (tests.test(i, found, view)) return true;
      return false;
    },
  };
}

export interface Found {
  field: string;
  value: string;
  keyword: boolean;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

export function display(v: unknown): string {
  const s = stringForm(v);
  if (s !== null) return s;
  if (v === null) return 'null';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The path of the first string or number leaf of `event` whose string form is `leaf` (keyword provenance). */
export function leafPath(event: unknown, leaf: string): string | null {
  // Each entry keeps its parent's path and its own key: the path is joined only for containers and the leaf found,
  // not for every leaf passed over (an object may hold a million).
  const stack: { v: unknown; parent: string; key: string | null }[] = [{ v: event, parent: '', key: null }];
  const pathOf = (parent: string, key: string | null): string => (key === null ? parent : parent ? `${parent}.${key}` : key);
  let steps = 0;
  while (stack.length > 0 && steps++ < 100_000) {
    const { v, parent, key } = stack.pop()!;
    if (typeof v === 'string' || typeof v === 'number') {
      if (stringForm(v) === leaf) return pathOf(parent, key);
    } else if (Array.isArray(v)) {
      const path = pathOf(parent, key);
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], parent: path, key: null });
    } else if (isObject(v)) {
      const path = pathOf(parent, key);
      const keys = Object.keys(v); // not Object.entries: several times faster on an object of a million keys
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ v: v[keys[i]], parent: path, key: keys[i] });
    }
  }
  return null;
}

/** What provenance reads of a rule: its condition and its detections' trees, without values (artifacts carry it). */
export interface ProvenanceShape {
  condition: ConditionNode;
  detections: readonly ShapeDetection[];
}

export interface ShapeDetection {
  name: string;
  ruleName?: string;
  added?: true;
  root: ShapeNode;
}

export type ShapeItem = { kind: 'item'; field: string | null; all: boolean; negated: boolean };
export type ShapeNode = ShapeItem | { kind: 'and' | 'or'; children: readonly ShapeNode[] };

/** What one item of a detection gave: whether it holds, and the event values that satisfied its values. */
export interface ItemFinding {
  ok: boolean;
  found: Found[];
}

/**
 * The finding of item `item` (numbered in a depth-first walk of the detection's tree) of detection `detection` (its
 * index in the shape): the reference evaluator's (below) or the VM's (src/runtime/provenance.ts).
 */
export type ItemSource = (detection: number, item: number, node: ShapeItem) => ItemFinding;

/** The shape of a rule: its logic without values (what an artifact keeps so that its hits have provenance). */
export function provenanceShape(rule: ProvenanceShape): ProvenanceShape {
  const node = (n: ShapeNode): ShapeNode =>
    n.kind === 'item' ? { kind: 'item', field: n.field, all: n.all, negated: n.negated } : { kind: n.kind, children: n.children.map(node) };
  return {
    condition: rule.condition,
    detections: rule.detections.map((d) => ({ name: d.name, ...(d.ruleName !== undefined ? { ruleName: d.ruleName } : {}), ...(d.added ? { added: true as const } : {}), root: node(d.root) })),
  };
}

/** The reference's finding of an item: the event read by the evaluator's own view and value tests. */
function referenceItem(rule: SigmaRule, view: EventView, options: Resolved): ItemSource {
  return (_detection, _item, node) => {
    const item = node as DetectionItem;
    const tests = itemTests(rule, item, options);
    const keyword = item.field === null;
    const values = keyword ? view.keywords() : view.field(item.field as string);
    const results: boolean[] = [];
    for (let i = 0; i < tests.count; i++) results.push(tests.test(i, values, view));
    const holds = item.all ? results.every(Boolean) : results.some(Boolean);
    if (item.negated) return { ok: !holds, found: [] };
    if (!holds) return { ok: false, found: [] };
    const found: Found[] = [];
    results.forEach((result, i) => {
      if (!result) return;
      for (const v of values.values) {
        if (!tests.test(i, new FieldValues(true, [v]), view)) continue;
        const value = display(v);
        const field = keyword ? (leafPath(view.event, value) ?? '*') : (item.field as string);
        found.push({ field, value, keyword });
        if (keyword) break; // the first leaf that matched is the one reported
      }
    });
    return { ok: true, found };
  };
}

/** What assembling reads of a shape, worked out once per shape (a rule's hits share it). */
interface ShapeIndex {
  /** The first detection of each name. */
  indexOf: Map<string, number>;
  /** The rule's own detections (not added ones) in the order shown: where their shown name first appears. */
  ordered: { d: ShapeDetection; index: number }[];
}

const shapeIndexes = new WeakMap<ProvenanceShape, ShapeIndex>();

function shapeIndex(shape: ProvenanceShape): ShapeIndex {
  let known = shapeIndexes.get(shape);
  if (known) return known;
  const indexOf = new Map<string, number>();
  shape.detections.forEach((d, i) => {
    if (!indexOf.has(d.name)) indexOf.set(d.name, i);
  });
  // The rule's order: where its own identifier first appears (an alternative's copies come after the first form's).
  const rank = new Map<string, number>();
  for (const d of shape.detections) if (!d.added && !rank.has(shownName(d))) rank.set(shownName(d), rank.size);
  const ordered = shape.detections
    .map((d, index) => ({ d, index }))
    .filter(({ d }) => !d.added)
    .sort((a, b) => rank.get(shownName(a.d))! - rank.get(shownName(b.d))!);
  known = { indexOf, ordered };
  shapeIndexes.set(shape, known);
  return known;
}

class Explainer {
  private readonly detectionResults = new Map<number, ItemFinding>();
  private readonly indexOf: Map<string, number>;

  constructor(
    private readonly shape: ProvenanceShape,
    private readonly items: ItemSource,
  ) {
    this.indexOf = shapeIndex(shape).indexOf;
  }

  detection(index: number): ItemFinding {
    let r = this.detectionResults.get(index);
    if (!r) {
      let item = 0;
      // Every item is visited (the numbering is depth first); of an `and`, the found values count only if all hold.
      const node = (n: ShapeNode): ItemFinding => {
        if (n.kind === 'item') return this.items(index, item++, n);
        const all = n.kind === 'and';
        let ok = all;
        const found: Found[] = [];
        for (const c of n.children) {
          const r = node(c);
          if (r.ok) for (const f of r.found) found.push(f);
          ok = all ? ok && r.ok : ok || r.ok;
        }
        return { ok, found: ok ? found : [] };
      };
      r = node(this.shape.detections[index].root);
      this.detectionResults.set(index, r);
    }
    return r;
  }

  condition(node: ConditionNode): boolean {
    switch (node.kind) {
      case 'ref':
        return this.named(node.name);
      case 'not':
        return !this.condition(node.arg);
      case 'and':
        return node.args.every((a) => this.condition(a));
      case 'or':
        return node.args.some((a) => this.condition(a));
      case 'of':
        return node.quantifier === 'all' ? node.names.every((n) => this.named(n)) : node.names.some((n) => this.named(n));
    }
  }

  /**
   * The identifiers that make `node` hold: every true one reached through no `not` (of an `or`, each argument that
   * holds; of `x of`, each true member), or none when `node` does not hold.
   */
  witness(node: ConditionNode, out: Set<string>): boolean {
    switch (node.kind) {
      case 'ref':
        if (!this.named(node.name)) return false;
        out.add(node.name);
        return true;
      case 'not':
        return !this.condition(node.arg);
      case 'and': {
        const inner = new Set<string>();
        if (!node.args.every((a) => this.witness(a, inner))) return false;
        for (const n of inner) out.add(n);
        return true;
      }
      case 'or': {
        let any = false;
        for (const a of node.args) if (this.witness(a, out)) any = true;
        return any;
      }
      case 'of': {
        const holding = node.names.filter((n) => this.named(n));
        const ok = node.quantifier === 'all' ? holding.length === node.names.length : holding.length > 0;
        if (ok) for (const n of holding) out.add(n);
        return ok;
      }
    }
  }

  private named(name: string): boolean {
    const d = this.indexOf.get(name);
    if (d === undefined) throw new Error(`the condition names undefined identifier "${name}"`);
    return this.detection(d).ok;
  }
}

/** Names the condition uses positively: reached through an even number of `not`s somewhere. */
export function positiveIdentifiers(node: ConditionNode, out = new Set<string>(), negated = false): Set<string> {
  switch (node.kind) {
    case 'ref':
      if (!negated) out.add(node.name);
      break;
    case 'of':
      if (!negated) for (const n of node.names) out.add(n);
      break;
    case 'not':
      positiveIdentifiers(node.arg, out, !negated);
      break;
    case 'and':
    case 'or':
      for (const a of node.args) positiveIdentifiers(a, out, negated);
      break;
  }
  return out;
}

/**
 * Why `rule` matches `event`: the true search identifiers and the event values that satisfied their items. The event
 * is read as the evaluator reads it (evtx_dump events as flat fields unless `evtx: false`; `nullMatchesAbsent` as
 * given to the engine, default true).
 */
export function explainMatch(rule: SigmaRule, event: unknown, options: ProvenanceOptions = {}): Provenance {
  const resolved: Resolved = { nullMatchesAbsent: options.nullMatchesAbsent ?? true, evtx: options.evtx ?? true };
  const view = eventView(event, resolved.evtx);
  return assembleProvenance(rule, referenceItem(rule, view, resolved), options);
}

/**
 * Provenance from the findings of a rule's items, whoever found them (the reference evaluator in explainMatch, the
 * VM for hits: src/runtime/provenance.ts): which identifiers made the condition hold and the values they list.
 */
export function assembleProvenance(shape: ProvenanceShape, items: ItemSource, options: Pick<ProvenanceOptions, 'internal' | 'maxValueLength'> = {}): Provenance {
  const max = options.maxValueLength ?? DEFAULT_MAX_VALUE;
  const explainer = new Explainer(shape, items);
  if (options.internal) return engineView(shape, explainer, max);
  const reasons = new Set<string>();
  const matched = explainer.witness(shape.condition, reasons);
  const positive = matched ? reasons : positiveIdentifiers(shape.condition);
  const { ordered } = shapeIndex(shape);
  const detections: string[] = [];
  const fields: ProvenanceField[] = [];
  const seen = new Set<string>();
  for (const { d, index } of ordered) {
    if (matched ? !reasons.has(d.name) : !explainer.detection(index).ok) continue;
    const name = shownName(d);
    if (!detections.includes(name)) detections.push(name);
    if (!positive.has(d.name)) continue;
    for (const f of explainer.detection(index).found) {
      const key = `${f.field}\u0000${f.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fields.push(listedField(f, max, name));
    }
  }
  return { matched, detections, fields };
}

/** A found value as provenance lists it: cut to `max`, `keyword` only on keyword items. */
function listedField(f: Found, max: number, detection: string): ProvenanceField {
  const listed: ProvenanceField = { field: f.field, value: clip(f.value, max), detection };
  if (f.keyword) listed.keyword = true;
  return listed;
}

/** The identifier a user wrote for a detection (an alternative's copy answers to the original's name). */
function shownName(d: ShapeDetection): string {
  return d.ruleName ?? d.name;
}

/** `internal: true`: every true identifier by its internal name, each (field, value, identifier) once. */
function engineView(shape: ProvenanceShape, explainer: Explainer, max: number): Provenance {
  const matched = explainer.condition(shape.condition);
  const positive = positiveIdentifiers(shape.condition);
  const detections: string[] = [];
  const fields: ProvenanceField[] = [];
  const seen = new Set<string>();
  shape.detections.forEach((d, index) => {
    const r = explainer.detection(index);
    if (!r.ok) return;
    detections.push(d.name);
    if (!positive.has(d.name)) return;
    for (const f of r.found) {
      const key = `${f.field}\u0000${f.value}\u0000${d.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fields.push(listedField(f, max, d.name));
    }
  });
  return { matched, detections, fields };
}
