/**
 * Applying pipelines to rules: pipelines ordered by priority (lower first, stable, as pySigma's resolver does), their
 * items run in order over every form of each rule, and the forms are merged back into one SigmaRule of the same model:
 *
 * - an added condition is a search identifier named `_pipeline_<name>` (the leading underscore keeps it out of `them`
 *   and `x of` patterns), AND-ed in front of the rule's condition: `_pipeline_x and (condition)`, as pySigma does;
 * - a rule with alternatives (`sigmatch_alternative`) gets `(routeA and condition) or (routeB and condition')`, where
 *   an alternative's search identifiers that differ from the rule's ones of the same name are renamed
 *   `_alt<k>_<name>` (k: 1 for the first alternative, ...), keeping `<name>` as their `ruleName`; identical ones are
 *   shared.
 *
 * The input rules are never modified; unchanged detections are shared with them.
 */
import { renameCondition, type ConditionNode } from './condition-rename.js';
import { SigmaError, withContext } from '../rule/errors.js';
import type { Detection, DetectionNode, SigmaRule } from '../rule/model.js';
import type { SigmaValue } from '../rule/values.js';
import { regexListOf } from '../rule/regex-list.js';
import { effectiveFlags, type RegexFlags } from '../regex/index.js';
import type { Pipeline } from './model.js';
import { applyItem, newForm, type ApplyContext, type RuleForm, type TransformationStep } from './transform.js';

export interface ApplyResult {
  /** Transformed copies of the rules that the pipelines accepted, in input order. */
  rules: SigmaRule[];
  /** Rules rejected by rule_failure / detection_item_failure items or made degenerate by drop_detection_item. */
  errors: SigmaError[];
  /** Rules whose every form got log source conditions (`logsourceRouted`): they only meet events of their source. */
  routed: number;
  /** Rules that still meet every event: no pipeline item recognised their log source (or one of their forms). */
  unrouted: number;
  /**
   * Of the unrouted rules, those of a product no pipeline routes (zeek, linux, aws, ... beside pipelines for Windows):
   * they no longer meet the events the pipelines' routes identify (`logsourceForeign`), and still meet all others.
   */
  foreign: number;
}

/** The search identifier that keeps a rule of a foreign product away from the events the routes identify. */
export const FOREIGN_SOURCE_IDENTIFIER = '_pipeline_other_source';

/** Pipelines in the order they run: by priority, lower first; equal priorities keep their given order. */
export function orderPipelines(pipelines: readonly Pipeline[]): Pipeline[] {
  return pipelines
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.priority - b.p.priority || a.i - b.i)
    .map((x) => x.p);
}

function valueKey(v: SigmaValue): string {
  switch (v.type) {
    case 'string':
      return `s${v.cased ? 'C' : ''}:${v.value.toSigma()}`;
    case 'number':
      return `n:${v.text}`;
    case 'boolean':
      return `b:${v.value}`;
    case 'null':
      return 'null';
    case 'regex':
      return regexKey(v.regex.flags, v.regex.source);
    case 'cidr':
      return `cidr:${v.network.text}`;
    case 'fieldref':
      return `ref:${v.position}:${v.cased}:${v.field}`;
    case 'exists':
      return `exists:${v.value}`;
    case 'compare':
      return `cmp:${v.op}:${v.value}`;
    case 'timepart':
      return `time:${v.part}:${v.op}:${v.value}`;
    case 'expansion':
      return `(${v.values.map(valueKey).join('|')})`;
  }
}

function regexKey(flags: RegexFlags, source: string): string {
  return `re:${JSON.stringify(flags)}:${source}`;
}

/** The values' keys; a packed `re` list's from its patterns, as its values would give them (none is compiled). */
function valueKeys(values: readonly SigmaValue[]): string[] {
  const regexes = regexListOf(values);
  if (!regexes) return values.map(valueKey);
  return regexes.patterns.map((_, i) => {
    const source = regexes.pattern(i);
    return regexKey(effectiveFlags(source, regexes.flags), source);
  });
}

/** A structural key of a detection tree (positions ignored), to tell whether two forms share a search identifier. */
function nodeKey(n: DetectionNode): string {
  if (n.kind !== 'item') return `${n.kind}[${n.children.map(nodeKey).join(',')}]`;
  return `${JSON.stringify(n.field)}${n.all ? '&' : ''}${n.negated ? '!' : ''}{${valueKeys(n.values).join(',')}}`;
}

function sameDetection(a: Detection, b: Detection): boolean {
  return a === b || a.root === b.root || nodeKey(a.root) === nodeKey(b.root);
}

function formCondition(form: RuleForm, rename: (n: string) => string): ConditionNode {
  const base = renameCondition(form.condition, rename);
  if (form.added.length === 0) return base;
  const added: ConditionNode[] = form.added.map((a) => {
    const ref: ConditionNode = { kind: 'ref', name: rename(a.name) };
    return a.negated ? { kind: 'not', arg: ref } : ref;
  });
  // Added conditions first, as pySigma writes `_cond and (condition)`: they are cheap and usually false, so an
  // engine that evaluates left to right skips the rule's own detections for events of other sources.
  return { kind: 'and', args: [...added, base] };
}

function merge(ctx: ApplyContext): SigmaRule {
  const [first, ...alternatives] = ctx.forms;
  // With no alternative the form's own list (the input rule's, when nothing changed it) is the rule's.
  const detections = alternatives.length === 0 ? first.detections : [...first.detections];
  const firstByName = new Map(first.detections.map((d) => [d.name, d]));
  const taken = new Set(detections.map((d) => d.name));
  const conditions: ConditionNode[] = [formCondition(first, (n) => n)];
  alternatives.forEach((form, i) => {
    const k = i + 1;
    const renamed = new Map<string, string>();
    for (const d of form.detections) {
      const same = firstByName.get(d.name);
      if (same && sameDetection(same, d)) continue;
      if (!same && !taken.has(d.name)) {
        // Only this form has it (e.g. the alternative's own source condition): the name is free.
        taken.add(d.name);
        detections.push(d);
        continue;
      }
      let name = `_alt${k}_${d.name}`;
      for (let j = 2; taken.has(name); j++) name = `_alt${k}_${d.name}_${j}`;
      taken.add(name);
      renamed.set(d.name, name);
      detections.push({ ...d, name, ruleName: d.ruleName ?? d.name });
    }
    conditions.push(formCondition(form, (n) => renamed.get(n) ?? n));
  });
  return {
    ...ctx.rule,
    logsource: first.logsource,
    detections,
    condition: conditions.length === 1 ? conditions[0] : { kind: 'or', args: conditions },
    fields: first.fields,
    pipelines: ctx.pipelinesApplied,
    logsourceRouted: ctx.forms.every((f) => f.routed),
  };
}

/**
 * Apply pipelines (ordered by `orderPipelines`) to one rule. Throws a SigmaError (INVALID_PIPELINE, with the rule's
 * position and title) when an item rejects the rule. `steps`, when given, receives every applied item.
 */
export function applyPipelinesToRule(rule: SigmaRule, pipelines: readonly Pipeline[], steps?: TransformationStep[], routes?: DetectionNode[]): SigmaRule {
  const ctx: ApplyContext = { rule, forms: [newForm(rule)], itemApplied: new WeakMap(), pipelinesApplied: [], steps };
  for (const pipeline of orderPipelines(pipelines)) {
    for (const item of pipeline.items) {
      // A snapshot: an alternative created by this item is not itself offered to the same item.
      for (const form of [...ctx.forms]) applyItem(ctx, form, item, pipeline, false);
    }
  }
  if (routes) for (const form of ctx.forms) if (form.routed) routes.push(formRoute(form));
  return merge(ctx);
}

/** The events a routed form meets: its routing conditions AND-ed (the rule's own detections left out). */
function formRoute(form: RuleForm): DetectionNode {
  const byName = new Map(form.detections.map((d) => [d.name, d]));
  const parts = form.added.filter((a) => a.routing && !a.negated).map((a) => byName.get(a.name)!.root);
  return parts.length === 1 ? parts[0] : { kind: 'and', children: parts, loc: parts[0].loc };
}

/**
 * Rules of a product that no pipeline routes (the routed rules' products do not include it) are kept away from the
 * events that some route identifies: `not _pipeline_other_source and (condition)`, the identifier being the OR of
 * every distinct route. A zeek or aws rule then never meets a Sysmon or Security event, as rsigma's schema routing
 * decides, while events no route knows still meet it. Rules without a product, and rules of a routed product whose
 * own log source no item knows (e.g. windows `file_access`), keep meeting every event.
 */
function excludeForeignProducts(inputs: readonly SigmaRule[], outputs: SigmaRule[], routes: readonly DetectionNode[]): number {
  const product = (r: SigmaRule): string | undefined => r.logsource.product?.toLowerCase();
  const known = new Set<string>();
  outputs.forEach((r, i) => {
    const p = product(inputs[i]);
    if (r.logsourceRouted && p !== undefined) known.add(p);
  });
  const distinct = new Map<string, DetectionNode>();
  for (const r of routes) if (!distinct.has(nodeKey(r))) distinct.set(nodeKey(r), r);
  if (known.size === 0 || distinct.size === 0) return 0;
  const children = [...distinct.values()];
  const identified: Detection = { name: FOREIGN_SOURCE_IDENTIFIER, root: children.length === 1 ? children[0] : { kind: 'or', children, loc: children[0].loc }, loc: children[0].loc, added: true };
  let foreign = 0;
  outputs.forEach((r, i) => {
    const p = product(inputs[i]);
    if (r.logsourceRouted || p === undefined || known.has(p)) return;
    foreign++;
    outputs[i] = {
      ...r,
      detections: [...r.detections, identified],
      condition: { kind: 'and', args: [{ kind: 'not', arg: { kind: 'ref', name: FOREIGN_SOURCE_IDENTIFIER } }, r.condition] },
      logsourceForeign: true,
    };
  });
  return foreign;
}

/**
 * Apply processing pipelines to rules: transformed copies (ids, titles and `source` kept; `pipelines` and
 * `logsourceRouted` set), the rules pipeline items rejected as errors, and how many rules are routed to their log
 * source. Rules no item recognises come back unchanged in content and still meet every event.
 */
export function applyPipelines(rules: readonly SigmaRule[], pipelines: readonly Pipeline[]): ApplyResult {
  const ordered = orderPipelines(pipelines);
  const out: SigmaRule[] = [];
  const inputs: SigmaRule[] = [];
  const errors: SigmaError[] = [];
  const routes: DetectionNode[] = [];
  for (const rule of rules) {
    try {
      out.push(applyPipelinesToRule(rule, ordered, undefined, routes));
      inputs.push(rule);
    } catch (e) {
      if (!(e instanceof SigmaError)) throw e;
      errors.push(withContext(e, { file: rule.source.file, line: rule.source.line, column: rule.source.column, ruleTitle: rule.title || undefined, ruleId: rule.id }));
    }
  }
  const foreign = excludeForeignProducts(inputs, out, routes);
  const routed = out.filter((r) => r.logsourceRouted).length;
  return { rules: out, errors, routed, unrouted: out.length - routed, foreign };
}
