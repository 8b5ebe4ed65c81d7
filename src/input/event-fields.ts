/**
 * The fields every view of a hit shows, read from the event as written: when it happened, on which computer, which
 * event ID. Flat events (Sysmon / Security as NDJSON), evtx_dump's nested `Event.System`, ECS and common log shapes.
 * Pure: used by the CLI's outputs and by the HTML report and web workbench (src/report).
 */

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nested(event: JsonObject, path: readonly string[]): unknown {
  let v: unknown = event;
  for (const p of path) {
    if (!isObject(v)) return undefined;
    v = v[p];
  }
  return v;
}

/** Fields that hold an event's time, most specific first (Sysmon, evtx_dump, ECS, CloudTrail, web and syslog). */
const TIME_FIELDS = ['UtcTime', 'TimeCreated_SystemTime', 'TimeCreated', 'SystemTime', '@timestamp', 'timestamp', 'eventTime', 'EventTime', 'TimeGenerated', 'time'];
const EVTX_TIME = ['Event', 'System', 'TimeCreated', '#attributes', 'SystemTime'];

/** The event's time as written in it, if it has one (flat fields, or evtx_dump's `Event.System.TimeCreated`). */
export function eventTime(event: unknown): string | undefined {
  if (!isObject(event)) return undefined;
  const evtx = nested(event, EVTX_TIME);
  if (typeof evtx === 'string' && evtx !== '') return evtx;
  for (const f of TIME_FIELDS) {
    const v = event[f];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** Where the computer's name is, most specific first: Windows (flat and evtx_dump), ECS, syslog-style shapes. */
const COMPUTER_PATHS: readonly (readonly string[])[] = [
  ['Computer'],
  ['Event', 'System', 'Computer'],
  ['ComputerName'],
  ['host', 'name'],
  ['host.name'],
  ['Hostname'],
  ['hostname'],
  ['host'],
];

/** The name of the computer the event comes from, if it says. */
export function eventComputer(event: unknown): string | undefined {
  if (!isObject(event)) return undefined;
  for (const path of COMPUTER_PATHS) {
    const v = nested(event, path);
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** Where the event ID is: Windows (flat, and evtx_dump where it may carry attributes as `{ "#text": 4688 }`), ECS. */
const EVENT_ID_PATHS: readonly (readonly string[])[] = [['EventID'], ['Event', 'System', 'EventID'], ['winlog', 'event_id'], ['event', 'code'], ['event.code']];

/** The event ID as text (`4688`), if the event has one. */
export function eventIdOf(event: unknown): string | undefined {
  if (!isObject(event)) return undefined;
  for (const path of EVENT_ID_PATHS) {
    let v = nested(event, path);
    if (isObject(v)) v = v['#text'];
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An event time as milliseconds since the epoch, or NaN. Reads the ISO 8601 forms logs write, with `T` or a space
 * (Sysmon's `2026-11-28 07:31:56.145`), fractions of any length, and `Z` or an offset; a time without a zone is UTC
 * (Sysmon's UtcTime, evtx_dump's SystemTime). `Date.parse` is not used: it reads the space form as local time.
 */
export function parseEventTime(text: string | undefined): number {
  if (text === undefined) return NaN;
  const m = ISO_LIKE.exec(text.trim());
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = frac === '' ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}
