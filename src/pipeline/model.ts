/**
 * Processing pipelines as sigmatch models them: the part of pySigma's pipeline format that matters to an evaluator
 * (docs/pipelines.md). A pipeline is parsed once (parse.ts) into these plain, immutable objects; applying it
 * (apply.ts) never changes them.
 */
import type { SourceLocation } from '../rule/errors.js';
import type { Detection } from '../rule/model.js';
import type { YNode } from '../rule/yaml-tree.js';

export interface Pipeline {
  /** `name:` of the file, else the built-in name or the file name. */
  name: string;
  /** Where it came from: a file path, or `builtin:<name>`. */
  source: string;
  /** Lower runs first; pipelines of equal priority keep the order they were given in. */
  priority: number;
  /** `vars:` (used by `value_placeholders`): each name with its values as text. */
  vars: Record<string, string[]>;
  items: ProcessingItem[];
  /** Built-ins only: one line saying what the pipeline is for. */
  description?: string;
}

/** One entry of `transformations:` (or of a `nest` / `sigmatch_alternative` item's `items:`). */
export interface ProcessingItem {
  /** `id:`, referenced by `processing_item_applied` conditions. */
  id?: string;
  /** 1-based position in its list, for messages when there is no id. */
  index: number;
  transformation: Transformation;
  ruleConditions: ConditionSet<RuleCondition>;
  detectionItemConditions: ConditionSet<DetectionItemCondition>;
  fieldNameConditions: ConditionSet<FieldNameCondition>;
  /**
   * True when the rule conditions can only hold through a `logsource` condition (not negated; in every alternative
   * of an `or`): such an item speaks for a log source, so its added conditions route the rule (`logsourceRouted`).
   */
  logsourceConditioned: boolean;
  loc: SourceLocation;
}

/** A boolean expression over named conditions: `rule_cond_expr`, or the list form linked by `*_cond_op`. */
export type ConditionExpr =
  | { kind: 'ref'; name: string }
  | { kind: 'and' | 'or'; args: ConditionExpr[] }
  | { kind: 'not'; arg: ConditionExpr };

export interface ConditionSet<C> {
  conditions: { name: string; condition: C }[];
  expr: ConditionExpr;
  /** `*_cond_not: true`. */
  negate: boolean;
}

export type RuleCondition =
  | { type: 'logsource'; category?: string; product?: string; service?: string }
  | { type: 'contains_detection_item'; field: string | null; value: string | number | boolean }
  | { type: 'contains_field'; field: string | null }
  | { type: 'processing_item_applied'; id: string }
  | { type: 'tag'; tag: string }
  | { type: 'is_sigma_rule' }
  | { type: 'is_sigma_correlation_rule' }
  | { type: 'rule_attribute'; attribute: string; value: string | number; op: AttributeOp };

export type AttributeOp = 'eq' | 'ne' | 'gte' | 'gt' | 'lte' | 'lt' | 'in' | 'not_in';

export type ValueQuantifier = 'any' | 'all';

export type DetectionItemCondition =
  | { type: 'match_string'; pattern: RegExp; source: string; cond: ValueQuantifier; negate: boolean }
  | { type: 'match_value'; value: string | number | boolean | null; cond: ValueQuantifier }
  | { type: 'contains_wildcard'; cond: ValueQuantifier }
  | { type: 'is_null'; cond: ValueQuantifier }
  | { type: 'processing_item_applied'; id: string };

export type FieldNameCondition =
  | { type: 'include_fields' | 'exclude_fields'; fields: string[]; mode: 'plain' | 're'; patterns: RegExp[] }
  | { type: 'processing_item_applied'; id: string };

/** Field name -> one or several names (several: the item becomes an OR of one item per name). */
export type FieldMapping = ReadonlyMap<string | null, readonly string[]>;

export type Transformation =
  | { type: 'field_name_mapping'; mapping: FieldMapping }
  | { type: 'field_name_prefix_mapping'; mapping: FieldMapping }
  | { type: 'field_name_prefix'; prefix: string }
  | { type: 'field_name_suffix'; suffix: string }
  | { type: 'drop_detection_item' }
  | {
      type: 'add_condition';
      /** The parsed search identifier (name assigned per rule). Null when `template` makes it rule-dependent. */
      detection: Detection | null;
      /** The `conditions:` node, kept for `template: true` (re-parsed per rule with $category/$product/$service). */
      node: YNode;
      name?: string;
      template: boolean;
      negated: boolean;
    }
  | { type: 'change_logsource'; category?: string; product?: string; service?: string }
  | {
      type: 'replace_string';
      regex: RegExp;
      source: string;
      replacement: (match: RegExpExecArray) => string;
      replacementText: string;
      skipSpecial: boolean;
      interpretSpecial: boolean;
    }
  | { type: 'map_string'; mapping: ReadonlyMap<string, readonly string[]> }
  | { type: 'value_placeholders'; include?: string[]; exclude?: string[] }
  | { type: 'rule_failure'; message: string }
  | { type: 'detection_item_failure'; message: string }
  | { type: 'add_field'; fields: string[] }
  | { type: 'remove_field'; fields: string[] }
  | { type: 'set_field'; fields: string[] }
  /** pySigma's `nest`: the items run in order on the same rule. */
  | { type: 'nest'; items: ProcessingItem[] }
  /**
   * sigmatch extension (pySigma has no equivalent): the rule gains an alternative form, a copy of the rule as it is
   * now without the source conditions added so far, transformed by `items`. The rule then matches when any form
   * matches: `(routeA and detection) or (routeB and detection')`. docs/pipelines.md, "Alternatives".
   */
  | { type: 'sigmatch_alternative'; items: ProcessingItem[] };

export type TransformationType = Transformation['type'];

/** Transformations that act on detection items (and so accept detection item and field name conditions). */
export const DETECTION_ITEM_TRANSFORMATIONS: ReadonlySet<TransformationType> = new Set<TransformationType>([
  'field_name_mapping',
  'field_name_prefix_mapping',
  'field_name_prefix',
  'field_name_suffix',
  'drop_detection_item',
  'replace_string',
  'map_string',
  'value_placeholders',
  'detection_item_failure',
]);

/** A built-in pipeline: its YAML text (parsed with the same parser as files) and what it brings along. */
export interface BuiltinPipeline {
  name: string;
  description: string;
  /** Built-ins resolved together with this one (before it), e.g. ecs-windows needs the sysmon and windows routes. */
  requires: string[];
  text: string;
}
