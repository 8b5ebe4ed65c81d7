/**
 * `--from` / `--to`: the span of event time a scan reports. Bounds are ISO 8601 dates or date-times; without a zone
 * they are read in the display zone (`--timezone`, UTC by default). A date alone as `--to` reaches to that day's end.
 * Both bounds are inclusive.
 */
import { parseTime } from '../../correlation/index.js';
import { CliError } from '../common.js';
import { fromWallClock, type DisplayZone } from '../output/zone.js';

export interface TimeRange {
  /** Epoch milliseconds, inclusive; null: open. */
  from: number | null;
  to: number | null;
}

const MS_PER_DAY = 86_400_000;
const BOUND = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const EXAMPLES = '2026-11-28, 2026-11-28T07:00:00, 2026-11-28T07:00:00.500Z or 2026-11-28T08:00:00+01:00';

function parseBound(command: string, option: string, text: string, zone: DisplayZone, endOfDay: boolean): number {
  const t = text.trim();
  const m = BOUND.exec(t);
  // The shape check keeps epoch numbers out (`--from 2026` is not the year 1970); parseTime checks the calendar.
  // Without a zone parseTime reads UTC: that is the wall-clock time, moved into the display zone below.
  const wall = m ? parseTime(t) : null;
  if (!m || wall === null) throw new CliError(`${command}: ${option} takes an ISO 8601 date or date-time such as ${EXAMPLES}, got "${text}"`);
  const instant = m[1] === undefined ? fromWallClock(wall, zone) : wall;
  if (endOfDay && DATE_ONLY.test(t)) return fromWallClock(wall + MS_PER_DAY, zone) - 1;
  return instant;
}

/** The range of `--from` / `--to`, or null when neither is given. A range that holds no time is a usage error. */
export function parseRange(command: string, from: string | undefined, to: string | undefined, zone: DisplayZone): TimeRange | null {
  if (from === undefined && to === undefined) return null;
  const range: TimeRange = {
    from: from === undefined ? null : parseBound(command, '--from', from, zone, false),
    to: to === undefined ? null : parseBound(command, '--to', to, zone, true),
  };
  if (range.from !== null && range.to !== null && range.from > range.to) {
    throw new CliError(`${command}: --from ${from} is after --to ${to}: no event can be in that range`);
  }
  return range;
}

/** Whether an event time is in the range (a time that could not be read is in no range). */
export function inRange(ms: number | null, range: TimeRange): boolean {
  if (ms === null) return false;
  return (range.from === null || ms >= range.from) && (range.to === null || ms <= range.to);
}
