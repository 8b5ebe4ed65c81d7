/** What a hit tells of its event, the same in every command that reports hits (`scan`, `consume`). */
import { explainMatch } from '../../eval/provenance.js';
import type { SigmaRule } from '../../rule/model.js';
import { eventTime, type OutputHit } from './types.js';

export type HitEvidence = Pick<OutputHit, 'time' | 'detections' | 'fields'>;

/**
 * The event's own time, and the provenance of the hit (the search identifiers that matched and the values that made
 * them match) when the rule's logic is at hand (`rule` is null for a compiled rule set, which holds none).
 */
export function hitEvidence(event: unknown, rule: SigmaRule | null, nullMatchesAbsent: boolean): HitEvidence {
  const evidence: HitEvidence = {};
  const time = eventTime(event);
  if (time !== undefined) evidence.time = time;
  if (rule) {
    const why = explainMatch(rule, event, { nullMatchesAbsent });
    evidence.detections = why.detections;
    evidence.fields = why.fields.map((f) => ({ field: f.field, value: f.value }));
  }
  return evidence;
}
