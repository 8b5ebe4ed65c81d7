/**
 * Processing conditions evaluated as pySigma evaluates them (sigma/processing/conditions): rule conditions against a
 * rule (one form of it, see apply.ts), detection item conditions against an item's values, field name conditions
 * against a field name or a detection item (its field or a field it references).
 */
import { SigmaError } from '../rule/errors.js';
import { logSourceContains } from '../rule/load.js';
import type { DetectionItem, DetectionNode, LogSource, SigmaRule } from '../rule/model.js';
import { SigmaString } from '../rule/sigma-string.js';
import { regexListOf } from '../rule/regex-list.js';
import type { SigmaValue } from '../rule/values.js';
import { evaluateConditionSet } from './condition-expr.js';
import type { DetectionItemCondition, FieldNameCondition, ProcessingItem, RuleCondition } from './model.js';
import { matchesAtStart } from './python-regex.js';

/** What rule conditions look at: the rule's metadata plus the current form's log source, detections and history. */
export interface RuleView {
  rule: SigmaRule;
  logsource: LogSource;
  detections: readonly { root: DetectionNode }[];
  /** Ids of processing items applied to this form of the rule so far. */
  applied: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

function* itemsOf(node: DetectionNode): Generator<DetectionItem> {
  if (node.kind === 'item') yield node;
  else for (const c of node.children) yield* itemsOf(c);
}

/** pySigma's typed equality of a rule value with a plain value (strings parsed as Sigma strings, wildcards included). */
export function valueEquals(v: SigmaValue, x: string | number | boolean | null): boolean {
  switch (v.type) {
    case 'string':
      return typeof x === 'string' && v.value.toSigma() === SigmaString.parse(x).toSigma();
    case 'number':
      return typeof x === 'number' && v.value === x;
    case 'boolean':
      return typeof x === 'boolean' && v.value === x;
    case 'null':
      return x === null;
    default:
      return false;
  }
}

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];
/** pySigma's SigmaStatus order. */
const STATUSES = ['unsupported', 'deprecated', 'experimental', 'test', 'stable'];

function compareWith(op: string, a: number | string, b: number | string): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gte':
      return a >= b;
    case 'gt':
      return a > b;
    case 'lte':
      return a <= b;
    case 'lt':
      return a < b;
    default:
      return false;
  }
}

function attributeError(c: RuleCondition & { type: 'rule_attribute' }, why: string): SigmaError {
  return new SigmaError('INVALID_PIPELINE', `rule_attribute condition on "${c.attribute}" (op ${c.op}, value ${JSON.stringify(c.value)}): ${why}`);
}

function ruleAttribute(rule: SigmaRule, c: RuleCondition & { type: 'rule_attribute' }): boolean {
  const known: Record<string, unknown> = {
    title: rule.title,
    id: rule.id,
    name: rule.name,
    description: rule.description,
    status: rule.status,
    level: rule.level,
    author: rule.author,
    date: rule.date,
    modified: rule.modified,
    license: rule.license,
    tags: rule.tags,
    references: rule.references,
    falsepositives: rule.falsepositives,
    fields: rule.fields,
  };
  const value = c.attribute in known ? known[c.attribute] : rule.raw[c.attribute];
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) {
    if (c.op === 'in') return value.map(String).includes(String(c.value));
    if (c.op === 'not_in') return !value.map(String).includes(String(c.value));
    return c.op === 'ne';
  }
  if (c.op === 'in' || c.op === 'not_in') throw attributeError(c, `"${c.op}" needs a list attribute`);
  const ordered = (order: string[], what: string): boolean => {
    const a = order.indexOf(String(value).toLowerCase());
    const b = order.indexOf(String(c.value).toLowerCase());
    if (b < 0) throw attributeError(c, `"${c.value}" is not a ${what} (${order.join(', ')})`);
    if (a < 0) return false;
    return compareWith(c.op, a, b);
  };
  if (c.attribute === 'level') return ordered(LEVELS, 'level');
  if (c.attribute === 'status') return ordered(STATUSES, 'status');
  if (c.attribute === 'date' || c.attribute === 'modified') {
    const norm = (d: string): string => d.replace(/\//g, '-');
    if (typeof c.value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(norm(c.value))) throw attributeError(c, 'a date must be written YYYY-MM-DD');
    return compareWith(c.op, norm(String(value)), norm(c.value));
  }
  if (typeof value === 'number') {
    const n = Number(c.value);
    if (!Number.isFinite(n)) throw attributeError(c, 'the attribute is a number; compare it with a number');
    return compareWith(c.op, value, n);
  }
  if (typeof value === 'string') {
    if (c.op !== 'eq' && c.op !== 'ne') throw attributeError(c, 'text attributes compare with eq or ne only');
    return compareWith(c.op, value, String(c.value));
  }
  throw attributeError(c, `the attribute holds ${typeof value}, which cannot be compared`);
}

function ruleCondition(view: RuleView, c: RuleCondition): boolean {
  switch (c.type) {
    case 'logsource':
      return logSourceContains({ category: c.category, product: c.product, service: c.service }, view.logsource);
    case 'contains_detection_item':
      for (const d of view.detections) {
        // A regex equals no plain value (valueEquals): a packed `re` list is passed over, none of it compiled.
        for (const item of itemsOf(d.root)) if (item.field === c.field && !regexListOf(item.values) && item.values.some((v) => valueEquals(v, c.value))) return true;
      }
      return false;
    case 'contains_field':
      for (const d of view.detections) for (const item of itemsOf(d.root)) if (item.field !== null && item.field === c.field) return true;
      return false;
    case 'processing_item_applied':
      return view.applied.has(c.id);
    case 'tag':
      return view.rule.tags.includes(c.tag);
    case 'is_sigma_rule':
      return true;
    case 'is_sigma_correlation_rule':
      return false;
    case 'rule_attribute':
      return ruleAttribute(view.rule, c);
  }
}

/** Do the item's rule conditions hold? No conditions: always (pySigma). */
export function matchRule(item: ProcessingItem, view: RuleView): boolean {
  if (item.ruleConditions.conditions.length === 0) return true;
  return evaluateConditionSet(item.ruleConditions, (c) => ruleCondition(view, c));
}

function valueCondition(values: readonly SigmaValue[], cond: 'any' | 'all', test: (v: SigmaValue) => boolean): boolean {
  return cond === 'any' ? values.some(test) : values.every(test);
}

function detectionItemCondition(item: DetectionItem, c: DetectionItemCondition, applied: ReadonlySet<string>): boolean {
  switch (c.type) {
    case 'match_string':
      return valueCondition(item.values, c.cond, (v) => {
        const r = v.type === 'string' && matchesAtStart(c.pattern, v.value.toString());
        return c.negate ? !r : r;
      });
    case 'match_value':
      return valueCondition(item.values, c.cond, (v) => valueEquals(v, c.value));
    case 'contains_wildcard':
      return valueCondition(item.values, c.cond, (v) => v.type === 'string' && v.value.hasWildcards);
    case 'is_null':
      return valueCondition(item.values, c.cond, (v) => v.type === 'null');
    case 'processing_item_applied':
      return applied.has(c.id);
  }
}

function fieldNameMatches(c: FieldNameCondition & { type: 'include_fields' | 'exclude_fields' }, field: string | null): boolean {
  const included = field !== null && (c.mode === 'plain' ? c.fields.includes(field) : c.patterns.some((p) => matchesAtStart(p, field)));
  return c.type === 'include_fields' ? included : !included;
}

/** The item's field name conditions for one field name; `applied` is what was applied to the field so far. */
export function matchFieldName(item: ProcessingItem, field: string | null, applied: ReadonlySet<string> = NONE): boolean {
  return evaluateConditionSet(item.fieldNameConditions, (c) => (c.type === 'processing_item_applied' ? applied.has(c.id) : fieldNameMatches(c, field)));
}

/**
 * Does a detection item pass the item's detection item conditions and its field name conditions (pySigma: a field
 * name condition holds for an item when it holds for the item's field or for a field one of its values references)?
 */
export function matchDetectionItem(item: ProcessingItem, detectionItem: DetectionItem, applied: ReadonlySet<string> = NONE): boolean {
  if (!evaluateConditionSet(item.detectionItemConditions, (c) => detectionItemCondition(detectionItem, c, applied))) return false;
  return evaluateConditionSet(item.fieldNameConditions, (c) => {
    if (c.type === 'processing_item_applied') return applied.has(c.id);
    if (fieldNameMatches(c, detectionItem.field)) return true;
    return detectionItem.values.some((v) => v.type === 'fieldref' && fieldNameMatches(c, v.field));
  });
}
