/**
 * One time column: a hit's time as written (Sysmon's `2026-11-28 07:37:34.069`, evtx SystemTime, ISO 8601 with an
 * offset, epoch seconds or milliseconds) read by the correlation engine's parser, then written in ISO 8601 with
 * milliseconds in the display zone. A time that cannot be read stays as written, marked `timeUnparsed`.
 */
import { parseTime } from '../../correlation/index.js';
import type { OutputHit } from './types.js';
import { formatInZone, type DisplayZone } from './zone.js';

export type HitTime = Pick<OutputHit, 'time' | 'timestamp' | 'timeUnparsed'>;

/**
 * Sets `time` (normalised), `timestamp` and `timeUnparsed` from the time as written in `hit.time`; a hit already
 * normalised (it has a `timestamp`) is written again in `zone`.
 */
export function normaliseHitTime(hit: HitTime, zone: DisplayZone): void {
  if (hit.timestamp !== undefined) {
    hit.time = formatInZone(hit.timestamp, zone);
    return;
  }
  delete hit.timeUnparsed;
  if (hit.time === undefined) return;
  const ms = parseTime(hit.time);
  if (ms === null) {
    hit.timeUnparsed = true;
    return;
  }
  hit.timestamp = ms;
  hit.time = formatInZone(ms, zone);
}
