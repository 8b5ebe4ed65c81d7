/** What a hit tells of its event, the same in every command that reports hits (`scan`, `consume`). */
import type { Provenance } from '../../eval/provenance.js';
import { eventChannel, eventComputer, eventIdOf, eventProvider, eventRecordId } from '../../input/event-fields.js';
import { normaliseHitTime } from './hit-time.js';
import { eventTime, type OutputHit } from './types.js';
import { UTC } from './zone.js';

export type HitEvidence = Pick<OutputHit, 'time' | 'timestamp' | 'timeUnparsed' | 'detections' | 'fields' | 'computer' | 'channel' | 'provider' | 'eventId' | 'recordId'>;

/**
 * The event's own time (UTC ISO 8601; as written when it cannot be read, flagged) and where it comes from (computer, channel, provider, event ID, record number,
 * each when the event says), and the provenance of the hit (the search identifiers that matched and the values that
 * made them match: from the VM, `Matcher.explain`, or the reference's explainMatch), when there is one.
 */
export function hitEvidence(event: unknown, why: Pick<Provenance, 'detections' | 'fields'> | null): HitEvidence {
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
  if (why) {
    evidence.detections = why.detections;
    evidence.fields = why.fields.map((f) => ({ field: f.field, value: f.value }));
  }
  return evidence;
}
