/**
 * What each transformation does to one form of a rule (a `RuleForm`, see apply.ts). Every change is copy-on-write:
 * detections, items and values that a transformation does not touch stay the very same objects as in the input rule,
 * and nothing reachable from the input is ever modified.
 */
import type { ConditionNode } from '../rule/condition.js';
import { SigmaError } from '../rule/errors.js';
import type { Detection, DetectionItem, DetectionNode, LogSource, SigmaRule } from '../rule/model.js';
import { ANY, ONE, SigmaString, type StringToken } from '../rule/sigma-string.js';
import { stringListOf } from '../rule/string-list.js';
import { regexListOf } from '../rule/regex-list.js';
import type { SigmaValue } from '../rule/values.js';
import { matchDetectionItem, matchFieldName, matchRule, type RuleView } from './conditions.js';
import type { Pipeline, ProcessingItem, Transformation } from './model.js';
import { templateDetection } from './parse.js';
import { pythonSub } from './python-regex.js';

/** A condition an `add_condition` item added: the search identifier's name and how it joins the rule. */
export interface AddedCondition {
  name: string;
  negated: boolean;
  /** Added by a log-source-conditioned item: it says which events the rule's source is (see `logsourceRouted`). */
  routing: boolean;
}

/** One form of a rule: the rule itself, or an alternative a `sigmatch_alternative` item created. */
export interface RuleForm {
  logsource: LogSource;
  detections: Detection[];
  /** The rule's own condition over `detections` (added conditions are kept apart in `added`). */
  condition: ConditionNode;
  added: AddedCondition[];
  fields: string[];
  /** Ids of processing items applied to this form. */
  applied: Set<string>;
  /** For the rule's `fields` list: ids of processing items applied to each (current) field name. */
  fieldApplied: Map<string, Set<string>>;
  routed: boolean;
}

/** One applied processing item, for `describeTransformations` and `sigmatch pipelines show`. */
export interface TransformationStep {
  pipeline: string;
  /** The item's id, or `#<n>` (its position) when it has none; nested items as `outer/inner`. */
  item: string;
  type: Transformation['type'];
  /** Which form of the rule: 0 is the rule itself, 1.. the alternatives in the order they were created. */
  form: number;
}

export interface ApplyContext {
  rule: SigmaRule;
  forms: RuleForm[];
  /** Ids of processing items applied to each detection item (pySigma's per-item tracking). */
  itemApplied: WeakMap<DetectionItem, ReadonlySet<string>>;
  /** Names of pipelines with at least one item applied, in order. */
  pipelinesApplied: string[];
  steps?: TransformationStep[];
}

const NONE: ReadonlySet<string> = new Set();

export function newForm(rule: SigmaRule): RuleForm {
  return {
    logsource: rule.logsource,
    detections: rule.detections,
    condition: rule.condition,
    added: [],
    fields: rule.fields,
    applied: new Set(),
    fieldApplied: new Map(),
    routed: false,
  };
}

function view(ctx: ApplyContext, form: RuleForm): RuleView {
  return { rule: ctx.rule, logsource: form.logsource, detections: form.detections, applied: form.applied };
}

function itemLabel(item: ProcessingItem): string {
  return item.id ?? `#${item.index}`;
}

function ruleError(ctx: ApplyContext, message: string, at?: { file?: string; line: number; column: number }): SigmaError {
  const where = at ?? ctx.rule.source;
  return new SigmaError('INVALID_PIPELINE', message, { file: where.file, line: where.line, column: where.column, ruleTitle: ctx.rule.title || undefined, ruleId: ctx.rule.id });
}

// ---------------------------------------------------------------------------------------------------------------
// Detection tree rewriting

/** undefined: unchanged; null: drop the item; a node: the replacement. */
type ItemResult = DetectionNode | null | undefined;

/** Rewrite every detection item of a form; returns the names of detections left without any item. */
function rewriteItems(form: RuleForm, fn: (item: DetectionItem) => ItemResult): string[] {
  const emptied: string[] = [];
  let changed = false;
  const rewrite = (node: DetectionNode): DetectionNode | null | undefined => {
    if (node.kind === 'item') return fn(node);
    let any = false;
    const children: DetectionNode[] = [];
    for (const c of node.children) {
      const r = rewrite(c);
      if (r === undefined) children.push(c);
      else {
        any = true;
        if (r !== null) children.push(r);
      }
    }
    if (!any) return undefined;
    // A group left empty is dropped as a whole: it no longer constrains anything.
    return children.length === 0 ? null : { kind: node.kind, children, loc: node.loc };
  };
  const detections: Detection[] = [];
  for (const d of form.detections) {
    const r = rewrite(d.root);
    if (r === undefined) detections.push(d);
    else {
      changed = true;
      if (r === null) emptied.push(d.name);
      else detections.push({ ...d, root: r });
    }
  }
  if (changed) form.detections = detections;
  return emptied;
}

type Simplified = ConditionNode | boolean;

/** The condition with the emptied detections read as true (an AND of nothing), constants folded. */
function simplify(node: ConditionNode, removed: ReadonlySet<string>): Simplified {
  switch (node.kind) {
    case 'ref':
      return removed.has(node.name) ? true : node;
    case 'of': {
      if (!node.names.some((n) => removed.has(n))) return node;
      if (node.quantifier === 'any') return true;
      const names = node.names.filter((n) => !removed.has(n));
      return names.length === 0 ? true : { ...node, names };
    }
    case 'not': {
      const arg = simplify(node.arg, removed);
      return typeof arg === 'boolean' ? !arg : arg === node.arg ? node : { kind: 'not', arg };
    }
    case 'and':
    case 'or': {
      const absorbing = node.kind === 'or';
      const args: ConditionNode[] = [];
      let changed = false;
      for (const a of node.args) {
        const s = simplify(a, removed);
        if (s === absorbing) return absorbing;
        if (typeof s === 'boolean') changed = true;
        else {
          if (s !== a) changed = true;
          args.push(s);
        }
      }
      if (!changed) return node;
      if (args.length === 0) return !absorbing;
      return args.length === 1 ? args[0] : { kind: node.kind, args };
    }
  }
}

function removeEmptied(ctx: ApplyContext, form: RuleForm, emptied: string[], item: ProcessingItem, pipeline: Pipeline): void {
  if (emptied.length === 0) return;
  const removed = new Set(emptied);
  const who = `pipeline "${pipeline.name}" item ${itemLabel(item)} (drop_detection_item)`;
  for (const a of form.added) {
    if (removed.has(a.name) && a.negated) throw ruleError(ctx, `${who} emptied the negated added condition ${a.name}, so the rule could never match`);
  }
  form.added = form.added.filter((a) => !removed.has(a.name));
  // A route whose items were all dropped no longer routes.
  form.routed = form.added.some((a) => a.routing && !a.negated);
  const s = simplify(form.condition, removed);
  if (typeof s === 'boolean') {
    throw ruleError(
      ctx,
      `${who} removed every item of ${emptied.join(', ')}, which leaves the condition always ${s ? 'true (the rule would match every event)' : 'false (the rule could never match)'}`,
    );
  }
  form.condition = s;
}

function appliedOf(ctx: ApplyContext, item: DetectionItem): ReadonlySet<string> {
  return ctx.itemApplied.get(item) ?? NONE;
}

function markApplied(ctx: ApplyContext, from: DetectionItem, to: DetectionNode, id: string | undefined): void {
  const before = appliedOf(ctx, from);
  const set = id === undefined || before.has(id) ? before : new Set([...before, id]);
  const mark = (n: DetectionNode): void => {
    if (n.kind === 'item') ctx.itemApplied.set(n, set);
    else n.children.forEach(mark);
  };
  mark(to);
}

// ---------------------------------------------------------------------------------------------------------------
// Field names

type NameMap = (field: string | null) => string[] | null;

function nameMap(t: Transformation): NameMap | null {
  switch (t.type) {
    case 'field_name_mapping':
      return (f) => (t.mapping.get(f) as string[] | undefined) ?? null;
    case 'field_name_prefix_mapping':
      return (f) => {
        if (f === null) return null;
        for (const [src, dest] of t.mapping) if (src !== null && f.startsWith(src)) return dest.map((d) => d + f.slice(src.length));
        return null;
      };
    case 'field_name_prefix':
      return (f) => (f === null ? null : [t.prefix + f]);
    case 'field_name_suffix':
      return (f) => (f === null ? null : [f + t.suffix]);
    default:
      return null;
  }
}

function mapItemFields(ctx: ApplyContext, item: ProcessingItem, map: NameMap, di: DetectionItem): ItemResult {
  const applied = appliedOf(ctx, di);
  if (!matchDetectionItem(item, di, applied)) return undefined;
  // Field references in values name fields too (a packed list of strings or regexes holds none).
  let valuesChanged = false;
  const values = stringListOf(di.values) || regexListOf(di.values) ? di.values : di.values.map((v): SigmaValue => {
    if (v.type !== 'fieldref' || !matchFieldName(item, v.field, applied)) return v;
    const names = map(v.field);
    if (!names) return v;
    valuesChanged = true;
    const refs = names.map((field): SigmaValue => ({ ...v, field }));
    return refs.length === 1 ? refs[0] : { type: 'expansion', values: refs };
  });
  const names = map(di.field);
  const fieldMatch = names !== null && matchFieldName(item, di.field, applied);
  if (!fieldMatch && !valuesChanged) return undefined;
  const base: DetectionItem = valuesChanged ? { ...di, values } : di;
  let out: DetectionNode;
  if (!fieldMatch) out = { ...base };
  else if (names!.length === 1) out = { ...base, field: names![0] };
  else out = { kind: 'or', children: names!.map((field) => ({ ...base, field })), loc: di.loc };
  markApplied(ctx, di, out, item.id);
  return out;
}

function mapRuleFields(form: RuleForm, item: ProcessingItem, map: NameMap): void {
  const out: string[] = [];
  let changed = false;
  for (const f of form.fields) {
    const applied = form.fieldApplied.get(f) ?? NONE;
    const names = map(f);
    if (!names || !matchFieldName(item, f, applied)) {
      out.push(f);
      continue;
    }
    changed = true;
    for (const n of names) {
      out.push(n);
      const set = new Set(applied);
      if (item.id !== undefined) set.add(item.id);
      form.fieldApplied.set(n, set);
    }
  }
  if (changed) form.fields = out;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** Private-use stand-ins for literal `*` and `?` while a regex runs over a string's text (see replaceString). */
const LITERAL_STAR = '\uE000';
const LITERAL_QUESTION = '\uE001';

/**
 * replace_string on one Sigma string. Default (pySigma's skip_special: false): the regex runs over the whole value
 * with wildcards written `*` and `?` (so `^\*\\` can strip a leading wildcard); afterwards `*` and `?` are wildcards
 * again, and characters that were literal stay literal. skip_special: true runs the regex over each plain text run
 * only; interpret_special then reads `*` and `?` in the replacement as wildcards.
 */
function replaceInString(t: Transformation & { type: 'replace_string' }, s: SigmaString): SigmaString {
  const sub = (text: string): string => pythonSub(t.regex, t.replacement, text);
  const specialInText = s.tokens.some((tok) => tok.kind === 'text' && /[\uE000\uE001]/.test(tok.text));
  if (t.skipSpecial || specialInText) {
    const tokens: StringToken[] = [];
    for (const tok of s.tokens) {
      if (tok.kind !== 'text') tokens.push(tok);
      else if (t.interpretSpecial) tokens.push(...SigmaString.parse(sub(tok.text).replace(/\\/g, '\\\\')).tokens);
      else tokens.push({ kind: 'text', text: sub(tok.text) });
    }
    return new SigmaString(tokens);
  }
  const text = s.tokens
    .map((tok) => {
      switch (tok.kind) {
        case 'text':
          return tok.text.replace(/\*/g, LITERAL_STAR).replace(/\?/g, LITERAL_QUESTION);
        case 'any':
          return '*';
        case 'one':
          return '?';
        case 'placeholder':
          return `%${tok.name}%`;
      }
    })
    .join('');
  const replaced = sub(text);
  const tokens: StringToken[] = [];
  let run = '';
  const flush = (): void => {
    if (run) tokens.push({ kind: 'text', text: run.replace(/\uE000/g, '*').replace(/\uE001/g, '?') });
    run = '';
  };
  for (const c of replaced) {
    if (c === '*' || c === '?') {
      flush();
      tokens.push(c === '*' ? ANY : ONE);
    } else run += c;
  }
  flush();
  return new SigmaString(tokens);
}

function mapValues(values: readonly SigmaValue[], fn: (v: SigmaValue) => SigmaValue): readonly SigmaValue[] | null {
  // A packed list stays packed while every result is still a plain string of its shape (string-list.ts).
  const packed = stringListOf(values)?.map(fn);
  if (packed) return packed.changed ? packed.list.values() : null;
  // Value transformations change strings and numbers only: a packed `re` list stays as it is, none compiled.
  if (regexListOf(values)) return null;
  let changed = false;
  const walk = (v: SigmaValue): SigmaValue => {
    if (v.type === 'expansion') {
      const inner = v.values.map(walk);
      return inner.every((x, i) => x === v.values[i]) ? v : { type: 'expansion', values: inner };
    }
    const r = fn(v);
    if (r !== v) changed = true;
    return r;
  };
  const out = values.map(walk);
  return changed ? out : null;
}

function valueTransform(t: Transformation): ((v: SigmaValue) => SigmaValue) | null {
  switch (t.type) {
    case 'replace_string':
      return (v) => {
        if (v.type === 'string') {
          const r = replaceInString(t, v.value);
          return r.toSigma() === v.value.toSigma() ? v : { ...v, value: r };
        }
        if (v.type === 'number') {
          // pySigma replaces in a number's text too; the result is a string value.
          const r = replaceInString(t, SigmaString.literal(v.text));
          return r.plain === v.text ? v : { type: 'string', value: r, cased: false };
        }
        return v;
      };
    case 'map_string':
      return (v) => {
        if (v.type !== 'string') return v;
        const mapped = t.mapping.get(v.value.toString());
        if (!mapped) return v;
        const out = mapped.map((m): SigmaValue => ({ type: 'string', value: SigmaString.parse(m), cased: v.cased }));
        return out.length === 1 ? out[0] : { type: 'expansion', values: out };
      };
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Items

function uniqueName(base: string, taken: Iterable<string>): string {
  const set = new Set(taken);
  if (!set.has(base)) return base;
  for (let k = 2; ; k++) if (!set.has(`${base}_${k}`)) return `${base}_${k}`;
}

function identifierPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/**
 * Apply one processing item to one form of the rule (if its rule conditions hold). `routing`: the item sits inside a
 * log-source-conditioned nest/alternative, so its added conditions route the form.
 */
export function applyItem(ctx: ApplyContext, form: RuleForm, item: ProcessingItem, pipeline: Pipeline, routing: boolean, label = ''): void {
  if (!matchRule(item, view(ctx, form))) return;
  const name = `${label}${itemLabel(item)}`;
  if (item.id !== undefined) form.applied.add(item.id);
  if (!ctx.pipelinesApplied.includes(pipeline.name)) ctx.pipelinesApplied.push(pipeline.name);
  ctx.steps?.push({ pipeline: pipeline.name, item: name, type: item.transformation.type, form: ctx.forms.indexOf(form) });
  const t = item.transformation;
  const routes = routing || item.logsourceConditioned;
  switch (t.type) {
    case 'field_name_mapping':
    case 'field_name_prefix_mapping':
    case 'field_name_prefix':
    case 'field_name_suffix': {
      const map = nameMap(t)!;
      const emptied = rewriteItems(form, (di) => mapItemFields(ctx, item, map, di));
      removeEmptied(ctx, form, emptied, item, pipeline);
      mapRuleFields(form, item, map);
      return;
    }
    case 'drop_detection_item': {
      const emptied = rewriteItems(form, (di) => (matchDetectionItem(item, di, appliedOf(ctx, di)) ? null : undefined));
      removeEmptied(ctx, form, emptied, item, pipeline);
      return;
    }
    case 'replace_string':
    case 'map_string': {
      const fn = valueTransform(t)!;
      rewriteItems(form, (di) => {
        if (!matchDetectionItem(item, di, appliedOf(ctx, di))) return undefined;
        const values = mapValues(di.values, fn);
        if (!values) return undefined;
        const out: DetectionItem = { ...di, values };
        markApplied(ctx, di, out, item.id);
        return out;
      });
      return;
    }
    case 'value_placeholders':
      // Placeholders are resolved when rules are loaded (LoadOptions.placeholders from pipelinePlaceholders), so by
      // now no value holds one; the item still counts as applied for processing_item_applied conditions.
      return;
    case 'detection_item_failure':
      rewriteItems(form, (di) => {
        if (matchDetectionItem(item, di, appliedOf(ctx, di))) {
          throw ruleError(ctx, `rejected by pipeline "${pipeline.name}" item ${name} on ${di.field === null ? 'a keyword item' : `field "${di.field}"`}: ${t.message}`, di.loc);
        }
        return undefined;
      });
      return;
    case 'rule_failure':
      throw ruleError(ctx, `rejected by pipeline "${pipeline.name}" item ${name}: ${t.message}`);
    case 'add_condition': {
      const detection = t.detection ?? templateDetection(t.node, form.logsource);
      const base = `_pipeline_${identifierPart(t.name ?? item.id ?? `${pipeline.name}_${name.replace(/^#/, '')}`)}`;
      const detName = uniqueName(base, form.detections.map((d) => d.name));
      form.detections = [...form.detections, { ...detection, name: detName, added: true }];
      form.added = [...form.added, { name: detName, negated: t.negated, routing: routes }];
      if (routes && !t.negated) form.routed = true;
      return;
    }
    case 'change_logsource': {
      const ls: LogSource = {};
      if (t.category !== undefined) ls.category = t.category;
      if (t.product !== undefined) ls.product = t.product;
      if (t.service !== undefined) ls.service = t.service;
      form.logsource = ls;
      return;
    }
    case 'add_field':
      form.fields = [...form.fields, ...t.fields];
      return;
    case 'remove_field':
      form.fields = form.fields.filter((f) => !t.fields.includes(f));
      return;
    case 'set_field':
      form.fields = [...t.fields];
      return;
    case 'nest':
      for (const inner of t.items) applyItem(ctx, form, inner, pipeline, routes, `${name}/`);
      return;
    case 'sigmatch_alternative': {
      // The alternative starts from the rule as it is now, without the source conditions added so far: those say
      // which events the other source is.
      const routingNames = new Set(form.added.filter((a) => a.routing).map((a) => a.name));
      const alt: RuleForm = {
        logsource: form.logsource,
        detections: form.detections.filter((d) => !routingNames.has(d.name)),
        condition: form.condition,
        added: form.added.filter((a) => !a.routing),
        fields: form.fields,
        applied: new Set(form.applied),
        fieldApplied: new Map([...form.fieldApplied].map(([k, v]) => [k, new Set(v)])),
        routed: false,
      };
      ctx.forms.push(alt);
      for (const inner of t.items) applyItem(ctx, alt, inner, pipeline, routes, `${name}/`);
      return;
    }
  }
}
