/**
 * The Sigma rule model: what a loaded rule, correlation or filter is, independent of YAML and of any engine.
 */
import type { SourceLocation } from './errors.js';
import type { ConditionNode } from './condition.js';
import type { SigmaValue } from './values.js';

export interface LogSource {
  category?: string;
  product?: string;
  service?: string;
  definition?: string;
  /** Custom keys, kept as written. */
  [key: string]: string | undefined;
}

/** One `field|modifiers: values` entry (or a keyword list when `field` is null). */
export interface DetectionItem {
  kind: 'item';
  /** The event field, or null for keyword search over every leaf of the event. */
  field: string | null;
  modifiers: string[];
  /**
   * The typed values. A long list of plain strings is a read-only view of one packed list, each value built when
   * read (src/rule/string-list.ts: `stringListOf` gives the list).
   */
  values: readonly SigmaValue[];
  /** `|all`: every value must match; otherwise any. */
  all: boolean;
  /** `|neq`: the whole item is negated. */
  negated: boolean;
  loc: SourceLocation;
}

export type DetectionNode = DetectionItem | { kind: 'and' | 'or'; children: DetectionNode[]; loc: SourceLocation };

export interface Detection {
  /** Unique within the rule; the condition refers to it. */
  name: string;
  root: DetectionNode;
  loc: SourceLocation;
  /**
   * The search identifier as the rule writes it, when `name` is a copy's: a pipeline alternative's `_alt1_selection`
   * stands for the rule's `selection` (src/pipeline/apply.ts). What users are shown (provenance) is this name.
   */
  ruleName?: string;
  /**
   * Not the rule's own: added by a processing pipeline (add_condition, e.g. the log source's Channel and EventID) or
   * copied from a filter document (`_filt<k>_*`, src/rule/load.ts).
   */
  added?: true;
}

export type RuleLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export type RuleStatus = 'stable' | 'test' | 'experimental' | 'deprecated' | 'unsupported';

export interface RelatedRule {
  id: string;
  type: string;
}

/** Metadata common to rules, correlations and filters. */
export interface SigmaDocumentBase {
  title: string;
  id?: string;
  name?: string;
  description?: string;
  status?: string;
  level?: string;
  author?: string;
  date?: string;
  modified?: string;
  license?: string;
  tags: string[];
  references: string[];
  falsepositives: string[];
  fields: string[];
  related: RelatedRule[];
  /** Where the document starts. */
  source: SourceLocation & { document: number };
  /** The document as plain data, unknown keys included (e.g. `regression_tests_path`). */
  raw: Record<string, unknown>;
}

export interface SigmaRule extends SigmaDocumentBase {
  kind: 'rule';
  logsource: LogSource;
  /** Search identifiers in definition order. */
  detections: Detection[];
  /** The effective condition: a condition list OR-ed, filters AND-ed in. */
  condition: ConditionNode;
  /** The condition text(s) as written. */
  conditionText: string[];
  /** Titles/ids of filters applied to this rule. */
  appliedFilters: string[];
  /**
   * Set by `applyPipelines` (src/pipeline): the names of the processing pipelines that changed this rule (had at least
   * one item applied to it), in the order they ran. Absent on rules no pipeline was applied to.
   */
  pipelines?: string[];
  /**
   * Set by `applyPipelines`: true when log-source-conditioned `add_condition` items gave every form of the rule event
   * conditions (e.g. `EventID: 1` and the Sysmon channel for `category: process_creation`), so the rule only meets
   * events of its log source; false when the rule (or one of its alternative forms) still meets every event.
   * Absent on rules no pipeline was applied to.
   */
  logsourceRouted?: boolean;
  /**
   * Set by `applyPipelines` on unrouted rules of a product no pipeline routes (zeek, linux, aws, ... beside the
   * Windows pipelines): the rule does not meet the events the pipelines' routes identify (docs/pipelines.md).
   */
  logsourceForeign?: boolean;
}

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile'
  | 'value_median';

export type CorrelationOp = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';

/** One comparison of a correlation condition: the aggregated value `op` `value`. */
export interface CorrelationBound {
  op: CorrelationOp;
  value: number;
}

export interface CorrelationCondition {
  /** One bound, or a range of two (a lower gt/gte and an upper lt/lte, as the specification's "101 to 200"); all hold. */
  bounds: CorrelationBound[];
  /** value_* types: the field(s) whose values are aggregated (a list only for value_count). */
  field?: string | string[];
  /** value_percentile: the percentile compared (pySigma's `percentile: N`, default 50). */
  percentile?: number;
}

/** How the window follows the stream (rsigma's modes): trailing per event, fixed buckets, or gap-bounded sessions. */
export type CorrelationWindow = 'sliding' | 'tumbling' | 'session';

/**
 * Engine settings a correlation document gives through custom attributes (`sigmatch.action: reset`,
 * `sigmatch.suppress: 10m`, `sigmatch.window: session`, `sigmatch.gap: 1m`); absent ones take the run's defaults.
 */
export interface CorrelationSettings {
  /** After an alert: keep the window ('alert') or clear the group's window ('reset'). */
  action?: 'alert' | 'reset';
  /** Seconds after an alert during which the same group does not alert again. */
  suppress?: number;
  window?: CorrelationWindow;
  /** Session windows: the largest gap in seconds between consecutive events of one session. */
  gap?: number;
}

export interface SigmaCorrelation extends SigmaDocumentBase {
  kind: 'correlation';
  type: CorrelationType;
  rules: string[];
  groupBy: string[];
  /** Window length in seconds. */
  timespan: number;
  timespanText: string;
  condition: CorrelationCondition | null;
  /** temporal types: pySigma's boolean expression over the rule references (`a and (b or c)`), parsed. */
  expression?: ConditionNode;
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
  settings: CorrelationSettings;
}

export interface SigmaFilter extends SigmaDocumentBase {
  kind: 'filter';
  logsource: LogSource;
  /** Rule ids or names the filter applies to; empty means every rule. */
  rules: string[];
  detections: Detection[];
  condition: ConditionNode;
  conditionText: string[];
}

export type SigmaDocument = SigmaRule | SigmaCorrelation | SigmaFilter;
