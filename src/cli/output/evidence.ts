/** What a hit tells of its event, the same in every command that reports hits (`scan`, `consume`). */
import { explainMatch } from '../../eval/provenance.js';
import { eventChannel, eventComputer, eventIdOf, eventProvider, eventRecordId } from '../../input/event-fields.js';
import type { SigmaRule } from '../../rule/model.js';
import { normaliseHitTime } from './hit-time.js';
import { eventTime, type OutputHit } from './types.js';
import { UTC } from './zone.js';

export type HitEvidence = Pick<OutputHit, 'time' | 'timestamp' | 'timeUnparsed' | 'detections' | 'fields' | 'computer' | 'channel' | 'provider' | 'eventId' | 'recordId'>;

/**
 * The event's own time (UTC ISO 8601; as written when it cannot be read, flagged) and where it comes from (computer, channel, provider, event ID, record number,
 * each when the event says), and the provenance of the hit (the search identifiers that matched and the values that
 * made them match) when the rule's logic is at hand (`rule` is null for a compiled rule set, which holds none).
 */
export function hitEvidence(event: unknown, rule: SigmaRule | null, nullMatchesAbsent: boolean): HitEvidence {
  const evidence: HitEvidence = {};
  const time = eventTime(event);
  if (time !== undefined) evidence.time = time;
  normaliseHitTime(evidence, UTC);
  const computer = eventComputer(event);
  if (computer !== undefined) evidence.computer = computer;
  const channel = eventChannel(event);
  if (channel !== undefined) evidence.channel = channel;
  const provider = eventProvider(event);
  if (provider !== undefined) evidence.provider = provider;
  const eventId = eventIdOf(event);
  if (eventId !== undefined) evidence.eventId = eventId;
  const recordId = eventRecordId(event);
  if (recordId !== undefined) evidence.recordId = recordId;
  if (rule) {
    const why = explainMatch(rule, event, { nullMatchesAbsent });
    evidence.detections = why.detections;
    evidence.fields = why.fields.map((f) => ({ field: f.field, value: f.value }));
  }
  return evidence;
}
