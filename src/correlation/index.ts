/**
 * Correlation rules (Sigma v2.1): state across events, fed by the hits of the matcher and the field values they need.
 * planCorrelations resolves correlations against rules; CorrelationEngine holds windows and fires alerts;
 * CorrelationSession turns a stream of hits into the hits to report; snapshots carry the state between processes.
 */
export { planCorrelations, type CorrelationPlan, type PlannedCorrelation, type Consumer, type ReferencedRule } from './plan.js';
export {
  CorrelationEngine,
  DEFAULT_MAX_GROUPS,
  DEFAULT_MAX_GROUP_ENTRIES,
  type CorrelationAlert,
  type CorrelationOptions,
  type CorrelationStats,
} from './engine.js';
export { CorrelationSession, eventSource, isAlertHit, type AlertHit, type BaseHit, type CorrelationMatch, type SessionOptions } from './session.js';
export { SnapshotError, SNAPSHOT_VERSION, type SnapshotErrorCode } from './snapshot.js';
export { DEFAULT_TIME_FIELDS, parseTime, parseIsoTime, formatTime, type FieldSource } from './time.js';
export type { EventRef, GroupValue } from './window.js';
