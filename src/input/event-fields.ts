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

/**
 * The event's time as written in it, if it has one (flat fields, or evtx_dump's `Event.System.TimeCreated`); an epoch
 * number (`"timestamp": 1764315454069`) as its decimal text.
 */
export function eventTime(event: unknown): string | undefined {
  if (!isObject(event)) return undefined;
  const evtx = nested(event, EVTX_TIME);
  if (typeof evtx === 'string' && evtx !== '') return evtx;
  for (const f of TIME_FIELDS) {
    const v = event[f];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
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
  return firstText(event, EVENT_ID_PATHS);
}

/** The first non-empty text (or finite number, as text) among `paths`; evtx_dump's `{ "#text": v }` read through. */
function firstText(event: unknown, paths: readonly (readonly string[])[]): string | undefined {
  if (!isObject(event)) return undefined;
  for (const path of paths) {
    let v = nested(event, path);
    if (isObject(v)) v = v['#text'];
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** Where the log's channel is: Windows (flat and evtx_dump), Winlogbeat / ECS. */
const CHANNEL_PATHS: readonly (readonly string[])[] = [['Channel'], ['Event', 'System', 'Channel'], ['winlog', 'channel'], ['winlog.channel']];

/** The Windows event log channel (`Security`, `Microsoft-Windows-Sysmon/Operational`), if the event says. */
export function eventChannel(event: unknown): string | undefined {
  return firstText(event, CHANNEL_PATHS);
}

/** Where the provider's name is: flat exports, evtx_dump's attribute, Winlogbeat / ECS. */
const PROVIDER_PATHS: readonly (readonly string[])[] = [
  ['Provider_Name'],
  ['ProviderName'],
  ['Provider'],
  ['Event', 'System', 'Provider', '#attributes', 'Name'],
  ['winlog', 'provider_name'],
  ['winlog.provider_name'],
  ['event', 'provider'],
];

/** The name of the provider that wrote the event (`Microsoft-Windows-Security-Auditing`), if the event says. */
export function eventProvider(event: unknown): string | undefined {
  return firstText(event, PROVIDER_PATHS);
}

/** Where the event log's record number is: flat exports, evtx_dump, Winlogbeat / ECS. */
const RECORD_ID_PATHS: readonly (readonly string[])[] = [['EventRecordID'], ['RecordNumber'], ['Event', 'System', 'EventRecordID'], ['winlog', 'record_id'], ['winlog.record_id']];

/** The event log record number (EventRecordID) as a number, if the event has a whole one. */
export function eventRecordId(event: unknown): number | undefined {
  const text = firstText(event, RECORD_ID_PATHS);
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}
