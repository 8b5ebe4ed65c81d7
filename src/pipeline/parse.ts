/**
 * Pipeline YAML -> Pipeline, in pySigma's format (sigma/processing/pipeline.py): `name`, `priority`, `vars`,
 * `transformations` (processing items with `id`, `type`, the type's parameters, and rule / detection item / field name
 * conditions). Everything sigmatch does not support is an INVALID_PIPELINE error at its file:line:column naming the
 * unsupported thing: an unknown or unsupported transformation or condition type, an unknown parameter, a parameter of
 * the wrong type. A pipeline is never applied with a part silently skipped. Pure (no file system).
 */
import { parseDetection } from '../rule/detection.js';
import { SigmaError, type SourceLocation } from '../rule/errors.js';
import type { Detection } from '../rule/model.js';
import { DEFAULT_YAML_LIMITS, mapGet, parseYaml, type YEntry, type YNode } from '../rule/yaml-tree.js';
import { ConditionExprError, parseConditionExpr } from './condition-expr.js';
import {
  DETECTION_ITEM_TRANSFORMATIONS,
  type AttributeOp,
  type ConditionExpr,
  type ConditionSet,
  type DetectionItemCondition,
  type FieldNameCondition,
  type Pipeline,
  type ProcessingItem,
  type RuleCondition,
  type Transformation,
  type TransformationType,
  type ValueQuantifier,
} from './model.js';
import { PythonRegexError, pythonRegex, pythonReplacement } from './python-regex.js';

export interface PipelineParseResult {
  /** Null when the text has any error. */
  pipeline: Pipeline | null;
  errors: SigmaError[];
}

type MapNode = YNode & { kind: 'map' };

/** Thrown inside the parser for one problem; collected per item so one bad item does not hide the others. */
class Invalid extends Error {
  constructor(
    message: string,
    readonly loc: SourceLocation,
  ) {
    super(message);
  }
}

const TOP_LEVEL_KEYS = ['name', 'priority', 'vars', 'transformations', 'postprocessing', 'finalizers', 'allowed_backends'];

const ITEM_KEYS = [
  'id', 'type',
  'rule_conditions', 'rule_cond_op', 'rule_cond_not', 'rule_cond_expr',
  'detection_item_conditions', 'detection_item_cond_op', 'detection_item_cond_not', 'detection_item_cond_expr',
  'field_name_conditions', 'field_name_cond_op', 'field_name_cond_not', 'field_name_cond_expr',
];

/** pySigma transformation types sigmatch knows but does not implement, with the reason shown to the user. */
const UNSUPPORTED_TRANSFORMATIONS: Readonly<Record<string, string>> = {
  field_name_transform: 'it takes a Python function',
  hashes_fields: 'it is not implemented; map the Hashes field with field_name_mapping instead',
  wildcard_placeholders: 'placeholders are resolved when rules are loaded; give values with value_placeholders or --placeholder',
  query_expression_placeholders: 'it produces backend query text, which an evaluator has no use for',
  set_state: 'pipeline state only steers backend query generation',
  regex: 'it turns values into backend regular expressions; sigmatch matches case-insensitively already',
  set_value: 'it is not implemented',
  convert_type: 'it is not implemented',
  strict_field_mapping_failure: 'it is not implemented',
  set_custom_attribute: 'custom attributes only steer backends',
  case: 'it is not implemented; sigmatch compares case-insensitively unless |cased',
  include: 'it includes Python-side templates',
};

const UNSUPPORTED_CONDITIONS: Readonly<Record<string, string>> = {
  processing_state: 'pipeline state (set_state) is not supported',
};

const TRANSFORMATION_PARAMS: Readonly<Record<TransformationType, readonly string[]>> = {
  field_name_mapping: ['mapping'],
  field_name_prefix_mapping: ['mapping'],
  field_name_prefix: ['prefix'],
  field_name_suffix: ['suffix'],
  drop_detection_item: [],
  add_condition: ['conditions', 'name', 'template', 'negated'],
  change_logsource: ['category', 'product', 'service'],
  replace_string: ['regex', 'replacement', 'skip_special', 'interpret_special'],
  map_string: ['mapping'],
  value_placeholders: ['include', 'exclude'],
  rule_failure: ['message'],
  detection_item_failure: ['message'],
  add_field: ['field'],
  remove_field: ['field'],
  set_field: ['fields'],
  nest: ['items'],
  sigmatch_alternative: ['items'],
};

export const SUPPORTED_TRANSFORMATIONS: readonly string[] = Object.keys(TRANSFORMATION_PARAMS);

const RULE_CONDITION_PARAMS: Readonly<Record<RuleCondition['type'], readonly string[]>> = {
  logsource: ['category', 'product', 'service'],
  contains_detection_item: ['field', 'value'],
  contains_field: ['field'],
  processing_item_applied: ['processing_item_id'],
  tag: ['tag'],
  is_sigma_rule: [],
  is_sigma_correlation_rule: [],
  rule_attribute: ['attribute', 'value', 'op'],
};

const DETECTION_ITEM_CONDITION_PARAMS: Readonly<Record<DetectionItemCondition['type'], readonly string[]>> = {
  match_string: ['pattern', 'cond', 'negate'],
  match_value: ['value', 'cond'],
  contains_wildcard: ['cond'],
  is_null: ['cond'],
  processing_item_applied: ['processing_item_id'],
};

const FIELD_NAME_CONDITION_PARAMS: Readonly<Record<FieldNameCondition['type'], readonly string[]>> = {
  include_fields: ['fields', 'mode'],
  exclude_fields: ['fields', 'mode'],
  processing_item_applied: ['processing_item_id'],
};

const ATTRIBUTE_OPS: readonly AttributeOp[] = ['eq', 'ne', 'gte', 'gt', 'lte', 'lt', 'in', 'not_in'];

// ---------------------------------------------------------------------------------------------------------------
// Small readers over the position-keeping YAML tree

function describeNode(node: YNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'empty (null)';
  return `${typeof node.value} ${JSON.stringify(node.value)}`;
}

function asMap(node: YNode, what: string): MapNode {
  if (node.kind !== 'map') throw new Invalid(`${what} must be a mapping, got ${describeNode(node)}`, node.loc);
  return node;
}

function checkKeys(map: MapNode, allowed: readonly string[], what: string, shown: readonly string[] = allowed): void {
  for (const e of map.entries) {
    if (!allowed.includes(e.key)) {
      const known = shown.length > 0 ? `; ${what} takes ${shown.join(', ')}` : `; ${what} takes no parameters`;
      throw new Invalid(`unknown key "${e.key}" in ${what}${known}`, e.keyLoc);
    }
  }
}

function str(entry: YEntry, what: string): string {
  const v = entry.value;
  if (v.kind !== 'scalar' || typeof v.value !== 'string') throw new Invalid(`"${entry.key}" of ${what} must be a string, got ${describeNode(v)}`, v.loc);
  return v.value;
}

function optStr(map: MapNode, key: string, what: string): string | undefined {
  const e = mapGet(map, key);
  if (!e || (e.value.kind === 'scalar' && e.value.value === null)) return undefined;
  return str(e, what);
}

function reqStr(map: MapNode, key: string, what: string): string {
  const e = mapGet(map, key);
  if (!e) throw new Invalid(`${what} needs "${key}"`, map.loc);
  return str(e, what);
}

function optBool(map: MapNode, key: string, what: string): boolean | undefined {
  const e = mapGet(map, key);
  if (!e) return undefined;
  if (e.value.kind !== 'scalar' || typeof e.value.value !== 'boolean') throw new Invalid(`"${key}" of ${what} must be true or false, got ${describeNode(e.value)}`, e.value.loc);
  return e.value.value;
}

/** A string or a list of strings. */
function strList(entry: YEntry, what: string, allowEmpty = false): string[] {
  const v = entry.value;
  let out: string[];
  if (v.kind === 'scalar' && typeof v.value === 'string') out = [v.value];
  else if (v.kind === 'seq') {
    out = v.items.map((i) => {
      if (i.kind !== 'scalar' || typeof i.value !== 'string') throw new Invalid(`"${entry.key}" of ${what} must list strings, got ${describeNode(i)}`, i.loc);
      return i.value;
    });
  } else throw new Invalid(`"${entry.key}" of ${what} must be a string or a list of strings, got ${describeNode(v)}`, v.loc);
  if (!allowEmpty && out.length === 0) throw new Invalid(`"${entry.key}" of ${what} is an empty list`, v.loc);
  return out;
}

function scalarValue(entry: YEntry, what: string, allowNull: boolean): string | number | boolean | null {
  const v = entry.value;
  if (v.kind !== 'scalar' || (v.value === null && !allowNull)) throw new Invalid(`"${entry.key}" of ${what} must be a single value, got ${describeNode(v)}`, v.loc);
  return v.value;
}

function regexOf(entry: YEntry, what: string): RegExp {
  const text = str(entry, what);
  try {
    return pythonRegex(text);
  } catch (e) {
    if (e instanceof PythonRegexError) throw new Invalid(`"${entry.key}" of ${what} is not a usable regular expression: ${e.message}`, entry.value.loc);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions

function quantifier(map: MapNode, what: string): ValueQuantifier {
  const e = mapGet(map, 'cond');
  if (!e) throw new Invalid(`${what} needs "cond: any" or "cond: all" (whether any or all values of an item must match)`, map.loc);
  const v = str(e, what);
  if (v !== 'any' && v !== 'all') throw new Invalid(`"cond" of ${what} must be "any" or "all", got "${v}"`, e.value.loc);
  return v;
}

function conditionType(map: MapNode, kind: string, params: Readonly<Record<string, readonly string[]>>): string {
  const t = mapGet(map, 'type');
  if (!t) throw new Invalid(`a ${kind} condition needs a "type" (one of ${Object.keys(params).join(', ')})`, map.loc);
  const type = str(t, `the ${kind} condition`);
  if (type in UNSUPPORTED_CONDITIONS) throw new Invalid(`${kind} condition type "${type}" is not supported by sigmatch: ${UNSUPPORTED_CONDITIONS[type]}`, t.value.loc);
  if (!(type in params)) throw new Invalid(`unknown ${kind} condition type "${type}"; sigmatch supports ${Object.keys(params).join(', ')}`, t.value.loc);
  checkKeys(map, ['type', ...params[type]], `${kind} condition "${type}"`, params[type]);
  return type;
}

function parseRuleCondition(node: YNode): RuleCondition {
  const map = asMap(node, 'a rule condition');
  const type = conditionType(map, 'rule', RULE_CONDITION_PARAMS) as RuleCondition['type'];
  const what = `rule condition "${type}"`;
  switch (type) {
    case 'logsource': {
      const c: RuleCondition = { type, category: optStr(map, 'category', what), product: optStr(map, 'product', what), service: optStr(map, 'service', what) };
      return c;
    }
    case 'contains_detection_item': {
      const f = mapGet(map, 'field');
      const v = mapGet(map, 'value');
      if (!f || !v) throw new Invalid(`${what} needs "field" and "value"`, map.loc);
      const field = scalarValue(f, what, true);
      const value = scalarValue(v, what, false);
      return { type, field: field === null ? null : String(field), value: value as string | number | boolean };
    }
    case 'contains_field': {
      const f = mapGet(map, 'field');
      if (!f) throw new Invalid(`${what} needs "field"`, map.loc);
      const field = scalarValue(f, what, true);
      return { type, field: field === null ? null : String(field) };
    }
    case 'processing_item_applied':
      return { type, id: reqStr(map, 'processing_item_id', what) };
    case 'tag':
      return { type, tag: reqStr(map, 'tag', what) };
    case 'is_sigma_rule':
    case 'is_sigma_correlation_rule':
      return { type };
    case 'rule_attribute': {
      const attribute = reqStr(map, 'attribute', what);
      const v = mapGet(map, 'value');
      if (!v) throw new Invalid(`${what} needs "value"`, map.loc);
      const value = scalarValue(v, what, false);
      if (typeof value === 'boolean') throw new Invalid(`"value" of ${what} must be a string or a number`, v.value.loc);
      const opEntry = mapGet(map, 'op');
      const op = (opEntry ? str(opEntry, what) : 'eq') as AttributeOp;
      if (!ATTRIBUTE_OPS.includes(op)) throw new Invalid(`"op" of ${what} must be one of ${ATTRIBUTE_OPS.join(', ')}, got "${op}"`, opEntry!.value.loc);
      return { type, attribute, value: value as string | number, op };
    }
  }
}

function parseDetectionItemCondition(node: YNode): DetectionItemCondition {
  const map = asMap(node, 'a detection item condition');
  const type = conditionType(map, 'detection item', DETECTION_ITEM_CONDITION_PARAMS) as DetectionItemCondition['type'];
  const what = `detection item condition "${type}"`;
  switch (type) {
    case 'match_string': {
      const p = mapGet(map, 'pattern');
      if (!p) throw new Invalid(`${what} needs "pattern"`, map.loc);
      return { type, pattern: regexOf(p, what), source: str(p, what), cond: quantifier(map, what), negate: optBool(map, 'negate', what) ?? false };
    }
    case 'match_value': {
      const v = mapGet(map, 'value');
      if (!v) throw new Invalid(`${what} needs "value"`, map.loc);
      return { type, value: scalarValue(v, what, true), cond: quantifier(map, what) };
    }
    case 'contains_wildcard':
    case 'is_null':
      return { type, cond: quantifier(map, what) };
    case 'processing_item_applied':
      return { type, id: reqStr(map, 'processing_item_id', what) };
  }
}

function parseFieldNameCondition(node: YNode): FieldNameCondition {
  const map = asMap(node, 'a field name condition');
  const type = conditionType(map, 'field name', FIELD_NAME_CONDITION_PARAMS) as FieldNameCondition['type'];
  const what = `field name condition "${type}"`;
  switch (type) {
    case 'include_fields':
    case 'exclude_fields': {
      const f = mapGet(map, 'fields');
      if (!f) throw new Invalid(`${what} needs "fields" (a list of field names)`, map.loc);
      const fields = strList(f, what);
      const m = mapGet(map, 'mode');
      const mode = m ? str(m, what) : 'plain';
      if (mode !== 'plain' && mode !== 're') throw new Invalid(`"mode" of ${what} must be "plain" or "re", got "${mode}"`, m!.value.loc);
      const patterns: RegExp[] = [];
      if (mode === 're') {
        const items = f.value.kind === 'seq' ? f.value.items : [f.value];
        fields.forEach((text, i) => {
          try {
            patterns.push(pythonRegex(text));
          } catch (e) {
            if (e instanceof PythonRegexError) throw new Invalid(`field pattern "${text}" of ${what} is not a usable regular expression: ${e.message}`, items[i].loc);
            throw e;
          }
        });
      }
      return { type, fields, mode, patterns };
    }
    case 'processing_item_applied':
      return { type, id: reqStr(map, 'processing_item_id', what) };
  }
}

/** `<prefix>_conditions` with `<prefix>_cond_op`, `_cond_not`, `_cond_expr`. */
function parseConditionSet<C>(item: MapNode, prefix: string, kind: string, parseOne: (n: YNode) => C): ConditionSet<C> {
  const list = mapGet(item, `${prefix}_conditions`);
  const opEntry = mapGet(item, `${prefix}_cond_op`);
  const notEntry = mapGet(item, `${prefix}_cond_not`);
  const exprEntry = mapGet(item, `${prefix}_cond_expr`);
  const what = 'the processing item';
  const negate = optBool(item, `${prefix}_cond_not`, what) ?? false;
  const conditions: { name: string; condition: C }[] = [];
  let named = false;
  if (list && !(list.value.kind === 'scalar' && list.value.value === null)) {
    if (list.value.kind === 'seq') list.value.items.forEach((n, i) => conditions.push({ name: String(i + 1), condition: parseOne(n) }));
    else if (list.value.kind === 'map') {
      named = true;
      for (const e of list.value.entries) conditions.push({ name: e.key, condition: parseOne(e.value) });
    } else throw new Invalid(`"${prefix}_conditions" must be a list of ${kind} conditions (or a mapping of named ones)`, list.value.loc);
  }
  let op: 'and' | 'or' = 'and';
  if (opEntry) {
    const v = str(opEntry, what);
    if (v !== 'and' && v !== 'or') throw new Invalid(`"${prefix}_cond_op" must be "and" or "or", got "${v}"`, opEntry.value.loc);
    op = v;
  }
  let expr: ConditionExpr = { kind: op, args: conditions.map((c) => ({ kind: 'ref' as const, name: c.name })) };
  if (exprEntry) {
    if (opEntry) throw new Invalid(`"${prefix}_cond_expr" and "${prefix}_cond_op" exclude each other`, exprEntry.keyLoc);
    if (!named) throw new Invalid(`"${prefix}_cond_expr" needs "${prefix}_conditions" as a mapping from names to conditions`, exprEntry.keyLoc);
    try {
      expr = parseConditionExpr(str(exprEntry, what), conditions.map((c) => c.name));
    } catch (e) {
      if (e instanceof ConditionExprError) throw new Invalid(`"${prefix}_cond_expr": ${e.message}`, exprEntry.value.loc);
      throw e;
    }
  }
  if ((notEntry || opEntry || exprEntry) && conditions.length === 0) {
    throw new Invalid(`"${(notEntry ?? opEntry ?? exprEntry)!.key}" has no "${prefix}_conditions" to act on`, (notEntry ?? opEntry ?? exprEntry)!.keyLoc);
  }
  return { conditions, expr, negate };
}

// ---------------------------------------------------------------------------------------------------------------
// Transformations

function fieldMapping(entry: YEntry, what: string, keywordKey: boolean): Map<string | null, string[]> {
  const map = asMap(entry.value, `"mapping" of ${what}`);
  if (map.entries.length === 0) throw new Invalid(`"mapping" of ${what} is empty`, map.loc);
  const out = new Map<string | null, string[]>();
  for (const e of map.entries) {
    // A null YAML key (`~:` or `null:`) reads as '': pySigma's None, the keyword (field-less) items.
    if (e.key === '' && !keywordKey) throw new Invalid(`${what} cannot map an empty (null) prefix`, e.keyLoc);
    out.set(e.key === '' ? null : e.key, strList(e, what));
  }
  return out;
}

interface ItemContext {
  errors: SigmaError[];
  file?: string;
}

function parseTransformation(type: TransformationType, map: MapNode, ctx: ItemContext, path: string): Transformation {
  const what = `transformation "${type}"`;
  switch (type) {
    case 'field_name_mapping':
    case 'field_name_prefix_mapping': {
      const m = mapGet(map, 'mapping');
      if (!m) throw new Invalid(`${what} needs "mapping" (field name -> new name or list of names)`, map.loc);
      return { type, mapping: fieldMapping(m, what, type === 'field_name_mapping') };
    }
    case 'field_name_prefix':
      return { type, prefix: reqStr(map, 'prefix', what) };
    case 'field_name_suffix':
      return { type, suffix: reqStr(map, 'suffix', what) };
    case 'drop_detection_item':
      return { type };
    case 'add_condition': {
      const c = mapGet(map, 'conditions');
      if (!c) throw new Invalid(`${what} needs "conditions" (field: value or list of values)`, map.loc);
      const node = asMap(c.value, `"conditions" of ${what}`);
      if (node.entries.length === 0) throw new Invalid(`"conditions" of ${what} is empty`, node.loc);
      const name = optStr(map, 'name', what);
      const template = optBool(map, 'template', what) ?? false;
      const negated = optBool(map, 'negated', what) ?? false;
      // Parse now (a template with stand-in values), so a bad condition is reported with the pipeline, not per rule.
      const probe = template ? substituteTemplate(node, { category: 'category', product: 'product', service: 'service' }) : node;
      const detection = parseAddedDetection(probe, what);
      return { type, detection: template ? null : detection, node, name, template, negated };
    }
    case 'change_logsource':
      return { type, category: optStr(map, 'category', what), product: optStr(map, 'product', what), service: optStr(map, 'service', what) };
    case 'replace_string': {
      const r = mapGet(map, 'regex');
      if (!r) throw new Invalid(`${what} needs "regex"`, map.loc);
      const regex = regexOf(r, what);
      const rep = mapGet(map, 'replacement');
      if (!rep) throw new Invalid(`${what} needs "replacement"`, map.loc);
      const replacementText = str(rep, what);
      let replacement: (m: RegExpExecArray) => string;
      try {
        replacement = pythonReplacement(replacementText, regex);
      } catch (e) {
        if (e instanceof PythonRegexError) throw new Invalid(`"replacement" of ${what}: ${e.message}`, rep.value.loc);
        throw e;
      }
      return {
        type,
        regex,
        source: str(r, what),
        replacement,
        replacementText,
        skipSpecial: optBool(map, 'skip_special', what) ?? false,
        interpretSpecial: optBool(map, 'interpret_special', what) ?? false,
      };
    }
    case 'map_string': {
      const m = mapGet(map, 'mapping');
      if (!m) throw new Invalid(`${what} needs "mapping" (value -> new value or list of values)`, map.loc);
      const mm = asMap(m.value, `"mapping" of ${what}`);
      return { type, mapping: new Map(mm.entries.map((e) => [e.key, strList(e, what)])) };
    }
    case 'value_placeholders': {
      const inc = mapGet(map, 'include');
      const exc = mapGet(map, 'exclude');
      if (inc && exc) throw new Invalid(`${what}: "include" and "exclude" exclude each other`, exc.keyLoc);
      return { type, include: inc ? strList(inc, what, true) : undefined, exclude: exc ? strList(exc, what, true) : undefined };
    }
    case 'rule_failure':
    case 'detection_item_failure':
      return { type, message: reqStr(map, 'message', what) };
    case 'add_field':
    case 'remove_field': {
      const f = mapGet(map, 'field');
      if (!f) throw new Invalid(`${what} needs "field"`, map.loc);
      return { type, fields: strList(f, what) };
    }
    case 'set_field': {
      const f = mapGet(map, 'fields');
      if (!f) throw new Invalid(`${what} needs "fields"`, map.loc);
      return { type, fields: strList(f, what, true) };
    }
    case 'nest':
    case 'sigmatch_alternative': {
      const i = mapGet(map, 'items');
      if (!i) throw new Invalid(`${what} needs "items" (a list of processing items)`, map.loc);
      if (i.value.kind !== 'seq' || i.value.items.length === 0) throw new Invalid(`"items" of ${what} must be a non-empty list of processing items`, i.value.loc);
      const before = ctx.errors.length;
      const items = parseItems(i.value.items, ctx, `${path}.items`);
      if (ctx.errors.length > before) throw new NestedErrors();
      return { type, items };
    }
  }
}

/** Nested items already reported their own errors. */
class NestedErrors extends Error {}

function parseAddedDetection(node: MapNode, what: string): Detection {
  const errors: SigmaError[] = [];
  const detection = parseDetection('_pipeline_', node, {}, errors);
  if (errors.length > 0 || !detection) {
    const e = errors[0];
    throw new Invalid(`"conditions" of ${what}: ${e ? e.message : 'not a valid search identifier'}`, { file: e?.file ?? node.loc.file, line: e?.line ?? node.loc.line, column: e?.column ?? node.loc.column });
  }
  return detection;
}

const TEMPLATE_VAR = /\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})/g;

/** Python `string.Template.safe_substitute` with the rule's log source fields, over every string of the node. */
export function substituteTemplate(node: MapNode, values: { category?: string; product?: string; service?: string }): MapNode {
  const sub = (text: string): string =>
    text.replace(TEMPLATE_VAR, (whole, dollar: string | undefined, a: string | undefined, b: string | undefined) => {
      if (dollar) return '$';
      const name = a ?? b!;
      if (name === 'category' || name === 'product' || name === 'service') return values[name] ?? '';
      return whole;
    });
  const walk = (n: YNode): YNode => {
    if (n.kind === 'scalar') return typeof n.value === 'string' ? { ...n, value: sub(n.value) } : n;
    if (n.kind === 'seq') return { ...n, items: n.items.map(walk) };
    return { ...n, entries: n.entries.map((e) => ({ ...e, value: walk(e.value) })) };
  };
  return walk(node) as MapNode;
}

/** Parse an add_condition's conditions for one rule (template substituted). Throws SigmaError. */
export function templateDetection(node: YNode, values: { category?: string; product?: string; service?: string }): Detection {
  try {
    return parseAddedDetection(substituteTemplate(node as MapNode, values), 'transformation "add_condition"');
  } catch (e) {
    if (e instanceof Invalid) throw new SigmaError('INVALID_PIPELINE', e.message, e.loc);
    throw e;
  }
}

/** Can the rule conditions only hold when some `logsource` condition holds (so the item speaks for a log source)? */
function requiresLogsource(e: ConditionExpr, set: ConditionSet<RuleCondition>): boolean {
  switch (e.kind) {
    case 'ref':
      return set.conditions.find((c) => c.name === e.name)?.condition.type === 'logsource';
    case 'and':
      return e.args.some((a) => requiresLogsource(a, set));
    case 'or':
      return e.args.length > 0 && e.args.every((a) => requiresLogsource(a, set));
    case 'not':
      return false;
  }
}

function parseItem(node: YNode, index: number, ctx: ItemContext, path: string): ProcessingItem {
  const map = asMap(node, `processing item ${path}`);
  const typeEntry = mapGet(map, 'type');
  if (!typeEntry) throw new Invalid(`processing item ${path} has no "type"; sigmatch supports ${SUPPORTED_TRANSFORMATIONS.join(', ')}`, map.loc);
  const typeName = str(typeEntry, `processing item ${path}`);
  if (typeName in UNSUPPORTED_TRANSFORMATIONS) {
    throw new Invalid(`transformation type "${typeName}" is not supported by sigmatch: ${UNSUPPORTED_TRANSFORMATIONS[typeName]}`, typeEntry.value.loc);
  }
  if (!(typeName in TRANSFORMATION_PARAMS)) {
    throw new Invalid(`unknown transformation type "${typeName}"; sigmatch supports ${SUPPORTED_TRANSFORMATIONS.join(', ')}`, typeEntry.value.loc);
  }
  const type = typeName as TransformationType;
  const params = TRANSFORMATION_PARAMS[type];
  checkKeys(map, [...ITEM_KEYS, ...params], `transformation "${type}"`, [...params, '(and id, rule/detection_item/field_name conditions)']);
  const idEntry = mapGet(map, 'id');
  const id = idEntry ? str(idEntry, `processing item ${path}`) : undefined;
  const ruleConditions = parseConditionSet(map, 'rule', 'rule', parseRuleCondition);
  const detectionItemConditions = parseConditionSet(map, 'detection_item', 'detection item', parseDetectionItemCondition);
  const fieldNameConditions = parseConditionSet(map, 'field_name', 'field name', parseFieldNameCondition);
  if (!DETECTION_ITEM_TRANSFORMATIONS.has(type)) {
    for (const prefix of ['detection_item', 'field_name']) {
      const e = map.entries.find((x) => x.key.startsWith(`${prefix}_cond`));
      if (e) {
        throw new Invalid(
          `"${e.key}" has no effect on "${type}", which acts on the whole rule (pySigma ignores it; sigmatch refuses so the pipeline does what it says): use rule_conditions`,
          e.keyLoc,
        );
      }
    }
  }
  const transformation = parseTransformation(type, map, ctx, path);
  const logsourceConditioned = !ruleConditions.negate && requiresLogsource(ruleConditions.expr, ruleConditions);
  return {
    id,
    index,
    transformation,
    ruleConditions,
    detectionItemConditions,
    fieldNameConditions,
    logsourceConditioned,
    loc: map.loc,
  };
}

function parseItems(nodes: YNode[], ctx: ItemContext, path: string): ProcessingItem[] {
  const items: ProcessingItem[] = [];
  nodes.forEach((n, i) => {
    const label = `${path}[${i + 1}]`;
    try {
      items.push(parseItem(n, i + 1, ctx, label));
    } catch (e) {
      if (e instanceof Invalid) {
        const idEntry = n.kind === 'map' ? mapGet(n, 'id') : undefined;
        const name = idEntry?.value.kind === 'scalar' && idEntry.value.value !== null ? ` "${String(idEntry.value.value)}"` : '';
        ctx.errors.push(new SigmaError('INVALID_PIPELINE', `processing item ${label}${name}: ${e.message}`, e.loc));
      } else if (!(e instanceof NestedErrors)) throw e;
    }
  });
  return items;
}

function parseVars(entry: YEntry): Record<string, string[]> {
  const map = asMap(entry.value, '"vars"');
  const out: Record<string, string[]> = {};
  for (const e of map.entries) {
    const values = e.value.kind === 'seq' ? e.value.items : [e.value];
    out[e.key] = values.map((v) => {
      if (v.kind !== 'scalar' || (typeof v.value !== 'string' && typeof v.value !== 'number')) {
        throw new Invalid(`variable "${e.key}" must be a string or number, or a list of them (got ${describeNode(v)})`, v.loc);
      }
      return v.kind === 'scalar' && typeof v.value === 'number' ? (v.source ?? String(v.value)) : String(v.value);
    });
  }
  return out;
}

/**
 * Parse a pipeline's YAML text. `name` is used when the text has no `name:`; `file` is where errors point.
 * Errors are returned, never thrown; with any error the pipeline is null (a pipeline applies whole or not at all).
 */
export function parsePipeline(text: string, name?: string, file?: string): PipelineParseResult {
  const errors: SigmaError[] = [];
  const { documents, errors: yamlErrors } = parseYaml(text, file ?? name, DEFAULT_YAML_LIMITS);
  for (const e of yamlErrors) errors.push(new SigmaError('INVALID_PIPELINE', `${e.code === 'YAML_SYNTAX' ? 'YAML syntax' : e.code}: ${e.message}`, e));
  if (errors.length > 0) return { pipeline: null, errors };
  const docs = documents.filter((d) => d.root !== null);
  const where = { file: file ?? name, line: 1, column: 1 };
  if (docs.length !== 1) {
    errors.push(new SigmaError('INVALID_PIPELINE', docs.length === 0 ? 'the pipeline file is empty' : 'a pipeline file holds one YAML document, not several', docs[1]?.loc ?? where));
    return { pipeline: null, errors };
  }
  const root = docs[0].root!;
  const ctx: ItemContext = { errors, file };
  let pipelineName = name ?? file ?? 'pipeline';
  let priority = 0;
  let vars: Record<string, string[]> = {};
  let items: ProcessingItem[] = [];
  try {
    const map = asMap(root, 'a pipeline');
    checkKeys(map, TOP_LEVEL_KEYS, 'a pipeline');
    const n = optStr(map, 'name', 'the pipeline');
    if (n !== undefined) pipelineName = n;
    const p = mapGet(map, 'priority');
    if (p) {
      if (p.value.kind !== 'scalar' || typeof p.value.value !== 'number' || !Number.isInteger(p.value.value)) {
        throw new Invalid(`"priority" must be an integer, got ${describeNode(p.value)}`, p.value.loc);
      }
      priority = p.value.value;
    }
    const v = mapGet(map, 'vars');
    if (v && !(v.value.kind === 'scalar' && v.value.value === null)) vars = parseVars(v);
    for (const key of ['postprocessing', 'finalizers']) {
      const e = mapGet(map, key);
      if (e && !(e.value.kind === 'scalar' && e.value.value === null) && !(e.value.kind === 'seq' && e.value.items.length === 0)) {
        throw new Invalid(`"${key}" is not supported by sigmatch: it acts on backend query text, which an evaluator does not produce`, e.keyLoc);
      }
    }
    const ab = mapGet(map, 'allowed_backends');
    if (ab && !(ab.value.kind === 'scalar' && ab.value.value === null)) strList(ab, 'the pipeline', true); // metadata for pySigma frontends
    const t = mapGet(map, 'transformations');
    if (t && !(t.value.kind === 'scalar' && t.value.value === null)) {
      if (t.value.kind !== 'seq') throw new Invalid('"transformations" must be a list of processing items', t.value.loc);
      items = parseItems(t.value.items, ctx, 'transformations');
    }
  } catch (e) {
    if (e instanceof Invalid) errors.push(new SigmaError('INVALID_PIPELINE', e.message, e.loc));
    else throw e;
  }
  if (errors.length > 0) return { pipeline: null, errors };
  return { pipeline: { name: pipelineName, source: file ?? `text:${pipelineName}`, priority, vars, items }, errors };
}
