/**
 * Everything sigmatch offers that runs anywhere (Node, browsers, Workers): no file system, no runtime code
 * generation. The entry points (index.ts for Node, browser.ts) add how to find rule files and the WASM module.
 */
export { SigmaError, ERROR_CODES, type SigmaErrorCode, type SourceLocation } from './rule/errors.js';
export { SigmaString, type StringToken } from './rule/sigma-string.js';
export type { SigmaValue, CompareOp, TimePart, FieldRefPosition } from './rule/values.js';
export type { ConditionNode } from './rule/condition.js';
export { conditionToString } from './rule/condition.js';
export type {
  SigmaRule,
  SigmaCorrelation,
  CorrelationCondition,
  CorrelationBound,
  CorrelationSettings,
  CorrelationType,
  CorrelationWindow,
  SigmaFilter,
  SigmaDocument,
  LogSource,
  Detection,
  DetectionItem,
  DetectionNode,
} from './rule/model.js';
export {
  parseRuleText,
  loadRulesFromText,
  combineRuleSets,
  applyFilters,
  logSourceContains,
  type RuleSet,
  type LoadOptions,
} from './rule/load.js';
export { ReferenceEvaluator, type EvaluatorOptions, type RuleMatch } from './eval/reference.js';
export { explainMatch, type Provenance, type ProvenanceField, type ProvenanceOptions } from './eval/provenance.js';
export { readEvtxJson, flattenEvtxJson, isEvtxJsonShape } from './input/evtx-json.js';
export { JsonEventReader, readJsonEvents, type EventRecord, type InputError } from './input/json-events.js';
export { compileRules, type CompiledRuleSet, type CompileStats, type RuleInfo, type CarriedCorrelations } from './compiler/compile.js';
export { writeArtifact, readArtifact, isArtifact, ArtifactError, ruleInfo, type ArtifactErrorCode } from './compiler/artifact.js';
export { compileRuleSet, type CompiledSet } from './runtime/compile-set.js';
export { Matcher, type MatcherOptions, type Hit, type InputNote, type ScanBatch, type RuleSource } from './runtime/matcher.js';
export { ObjectEventError } from './runtime/records.js';
export { isEvtx } from './input/evtx/index.js';
export type { ScanSession } from './runtime/correlating-scanner.js';
export {
  planCorrelations,
  CorrelationSession,
  CorrelationEngine,
  eventSource,
  isAlertHit,
  SnapshotError,
  SNAPSHOT_VERSION,
  DEFAULT_TIME_FIELDS,
  DEFAULT_MAX_GROUPS,
  DEFAULT_MAX_GROUP_ENTRIES,
  parseTime,
  formatTime,
  type CorrelationPlan,
  type PlannedCorrelation,
  type CorrelationOptions,
  type SessionOptions,
  type CorrelationAlert,
  type CorrelationMatch,
  type CorrelationStats,
  type AlertHit,
  type BaseHit,
  type EventRef,
  type FieldSource,
  type GroupValue,
  type SnapshotErrorCode,
} from './correlation/index.js';
export * from './pipeline/index.js';
export {
  analyzeRule,
  renderText as renderAnalysisText,
  renderMarkdown as renderAnalysisMarkdown,
  analyzeCorrelation,
  renderCorrelationText,
  renderCorrelationMarkdown,
  type CorrelationAnalysis,
  documentText,
  CorpusIndex,
  attackCoverage,
  eventCoverage,
  defaultCoveragePipelines,
  type AnalyzeOptions,
  type RuleAnalysis,
  type PredicateRow,
  type PredicateKind,
  type Stage,
  type EventCoverage,
  type EventCoverageRow,
  type AttackCoverage,
} from './analysis/index.js';
