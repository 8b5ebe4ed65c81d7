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
  values: SigmaValue[];
  /** `|all`: every value must match; otherwise any. */
  all: boolean;
  /** `|neq`: the whole item is negated. */
  negated: boolean;
  loc: SourceLocation;
}

export type DetectionNode = DetectionItem | { kind: 'and' | 'or'; children: DetectionNode[]; loc: SourceLocation };

export interface Detection {
  name: string;
  root: DetectionNode;
  loc: SourceLocation;
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

export interface SigmaCorrelation extends SigmaDocumentBase {
  kind: 'correlation';
  type: CorrelationType;
  rules: string[];
  groupBy: string[];
  /** Window length in seconds. */
  timespan: number;
  timespanText: string;
  condition: { op: CorrelationOp; value: number; field?: string | string[]; percentile?: number } | null;
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
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
