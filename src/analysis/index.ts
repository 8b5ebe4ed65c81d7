/**
 * Rule analysis (what `sigmatch explain` prints), as data and as text / Markdown. Pure: runs in browsers and Workers.
 */
export { analyzeRule, logsourceText, type AnalyzeOptions, type RuleAnalysis, type RuleMetadata } from './analyze.js';
export { attackCoverage, ATTACK_TACTICS, ATTACK_TECHNIQUE_NAMES, type AttackCoverage, type AttackTactic, type AttackTechnique, type AttackReference } from './attack.js';
export { CorpusIndex, corpusKey, ruleKey, type PredicateRole } from './corpus.js';
export {
  eventCoverage,
  defaultCoveragePipelines,
  eventTitle,
  providerOf,
  SYSMON_EVENTS,
  WINDOWS_EVENTS,
  type EventCoverage,
  type EventCoverageRow,
} from './events.js';
export { documentText } from './yaml.js';
export { predicateRoles, ruleStages, itemPredicates, type Predicate, type PredicateKind, type PredicateRow, type Stage, type StageDetection } from './predicates.js';
export { renderText, renderMarkdown, type RenderOptions } from './render.js';
export { analyzeCorrelation, correlationConditionText, type CorrelationAnalysis, type CorrelationContext } from './correlation.js';
export { renderCorrelationText, renderCorrelationMarkdown } from './render-correlation.js';
