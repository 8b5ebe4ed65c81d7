/**
 * The event types the generator produces, their field lists, and the three output shapes built from one canonical
 * event: `flat` (the keys SigmaHQ rules are written against), `evtx` (evtx_dump JSON) and `ecs` (Winlogbeat / ECS).
 * Each shape has an inverse back to the flat form, so the same event in two shapes can be compared.
 */

export type Shape = 'flat' | 'evtx' | 'ecs';
export const SHAPES: readonly Shape[] = ['flat', 'evtx', 'ecs'];

export type EventKind =
  | 'sysmon-1'
  | 'sysmon-3'
  | 'sysmon-5'
  | 'sysmon-7'
  | 'sysmon-10'
  | 'sysmon-11'
  | 'sysmon-12'
  | 'sysmon-13'
  | 'sysmon-22'
  | 'sysmon-23'
  | 'security-4624'
  | 'security-4625'
  | 'security-4688'
  | 'powershell-4104';

export type FieldValue = string | number;

/** One generated event before it is given a shape. `data` holds the EventData fields in their Windows order. */
export interface CanonicalEvent {
  kind: EventKind;
  /** `<Event><System>` members that are not fixed per kind. */
  computer: string;
  /** TimeCreated SystemTime, ISO 8601 with microseconds: `2025-03-03T08:00:01.123456Z`. */
  time: string;
  recordId: number;
  execPid: number;
  execTid: number;
  /** Security UserID of the System element, or null when the event has none. */
  userSid: string | null;
  /** Correlation ActivityID (Security events), or null. */
  activityId: string | null;
  data: Record<string, FieldValue>;
  /** The technique label of an attack-like event, null for benign ones. */
  attack: string | null;
  /** System Level when it differs from the kind's usual one (PowerShell logs suspicious script blocks as warnings). */
  level?: number;
}

/** The Sigma category or service a kind belongs to (decides the variable ECS mappings). */
type EcsCategory =
  | 'process_creation'
  | 'network_connection'
  | 'process_termination'
  | 'image_load'
  | 'process_access'
  | 'file_event'
  | 'registry'
  | 'dns_query'
  | 'file_delete'
  | 'security'
  | 'ps_script';

export interface KindSpec {
  kind: EventKind;
  eventId: number;
  channel: string;
  provider: string;
  providerGuid: string;
  version: number;
  level: number;
  task: number;
  opcode: number;
  keywords: string;
  category: EcsCategory;
  /** The EventData field names, in the order Windows writes them. Every event of the kind has all of them. */
  fields: readonly string[];
}

export const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
export const SYSMON_PROVIDER = 'Microsoft-Windows-Sysmon';
const SYSMON_GUID = '5770385F-C22A-43E0-BF4C-06F5698FFBD9';
export const SECURITY_CHANNEL = 'Security';
export const SECURITY_PROVIDER = 'Microsoft-Windows-Security-Auditing';
const SECURITY_GUID = '54849625-5478-4994-A5BA-3E3B0328C30D';
export const POWERSHELL_CHANNEL = 'Microsoft-Windows-PowerShell/Operational';
export const POWERSHELL_PROVIDER = 'Microsoft-Windows-PowerShell';
const POWERSHELL_GUID = 'A0C1853B-5C40-4B15-8766-3CF1C58F985A';

function sysmon(kind: EventKind, eventId: number, version: number, category: EcsCategory, fields: string[]): KindSpec {
  return {
    kind,
    eventId,
    channel: SYSMON_CHANNEL,
    provider: SYSMON_PROVIDER,
    providerGuid: SYSMON_GUID,
    version,
    level: 4,
    task: eventId,
    opcode: 0,
    keywords: '0x8000000000000000',
    category,
    fields,
  };
}

const SECURITY_LOGON_FIELDS = [
  'SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId',
  'TargetUserSid', 'TargetUserName', 'TargetDomainName', 'TargetLogonId',
  'LogonType', 'LogonProcessName', 'AuthenticationPackageName', 'WorkstationName', 'LogonGuid',
  'TransmittedServices', 'LmPackageName', 'KeyLength', 'ProcessId', 'ProcessName', 'IpAddress', 'IpPort',
  'ImpersonationLevel', 'RestrictedAdminMode', 'TargetOutboundUserName', 'TargetOutboundDomainName',
  'VirtualAccount', 'TargetLinkedLogonId', 'ElevatedToken',
];

const SECURITY_FAILED_LOGON_FIELDS = [
  'SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId',
  'TargetUserSid', 'TargetUserName', 'TargetDomainName', 'Status', 'FailureReason', 'SubStatus',
  'LogonType', 'LogonProcessName', 'AuthenticationPackageName', 'WorkstationName',
  'TransmittedServices', 'LmPackageName', 'KeyLength', 'ProcessId', 'ProcessName', 'IpAddress', 'IpPort',
];

const SECURITY_PROCESS_FIELDS = [
  'SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId',
  'NewProcessId', 'NewProcessName', 'TokenElevationType', 'ProcessId', 'CommandLine',
  'TargetUserSid', 'TargetUserName', 'TargetDomainName', 'TargetLogonId', 'ParentProcessName', 'MandatoryLabel',
];

function security(kind: EventKind, eventId: number, version: number, task: number, fields: string[]): KindSpec {
  return {
    kind,
    eventId,
    channel: SECURITY_CHANNEL,
    provider: SECURITY_PROVIDER,
    providerGuid: SECURITY_GUID,
    version,
    level: 0,
    task,
    opcode: 0,
    keywords: eventId === 4625 ? '0x8010000000000000' : '0x8020000000000000',
    category: 'security',
    fields,
  };
}

export const KINDS: Record<EventKind, KindSpec> = {
  'sysmon-1': sysmon('sysmon-1', 1, 5, 'process_creation', [
    'RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'FileVersion', 'Description', 'Product', 'Company',
    'OriginalFileName', 'CommandLine', 'CurrentDirectory', 'User', 'LogonGuid', 'LogonId', 'TerminalSessionId',
    'IntegrityLevel', 'Hashes', 'ParentProcessGuid', 'ParentProcessId', 'ParentImage', 'ParentCommandLine',
    'ParentUser',
  ]),
  'sysmon-3': sysmon('sysmon-3', 3, 5, 'network_connection', [
    'RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'User', 'Protocol', 'Initiated', 'SourceIsIpv6',
    'SourceIp', 'SourceHostname', 'SourcePort', 'SourcePortName', 'DestinationIsIpv6', 'DestinationIp',
    'DestinationHostname', 'DestinationPort', 'DestinationPortName',
  ]),
  'sysmon-5': sysmon('sysmon-5', 5, 3, 'process_termination', [
    'RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'User',
  ]),
  'sysmon-7': sysmon('sysmon-7', 7, 3, 'image_load', [
    'RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'ImageLoaded', 'FileVersion', 'Description',
    'Product', 'Company', 'OriginalFileName', 'Hashes', 'Signed', 'Signature', 'SignatureStatus', 'User',
  ]),
  'sysmon-10': sysmon('sysmon-10', 10, 3, 'process_access', [
    'RuleName', 'UtcTime', 'SourceProcessGUID', 'SourceProcessId', 'SourceThreadId', 'SourceImage',
    'TargetProcessGUID', 'TargetProcessId', 'TargetImage', 'GrantedAccess', 'CallTrace', 'SourceUser', 'TargetUser',
  ]),
  'sysmon-11': sysmon('sysmon-11', 11, 2, 'file_event', [
    'RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'TargetFilename', 'CreationUtcTime', 'User',
  ]),
  'sysmon-12': sysmon('sysmon-12', 12, 2, 'registry', [
    'RuleName', 'EventType', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'TargetObject', 'User',
  ]),
  'sysmon-13': sysmon('sysmon-13', 13, 2, 'registry', [
    'RuleName', 'EventType', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'TargetObject', 'Details', 'User',
  ]),
  'sysmon-22': sysmon('sysmon-22', 22, 5, 'dns_query', [
    'RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'QueryName', 'QueryStatus', 'QueryResults', 'Image', 'User',
  ]),
  'sysmon-23': sysmon('sysmon-23', 23, 5, 'file_delete', [
    'RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'User', 'Image', 'TargetFilename', 'Hashes', 'IsExecutable',
    'Archived',
  ]),
  'security-4624': security('security-4624', 4624, 3, 12544, SECURITY_LOGON_FIELDS),
  'security-4625': security('security-4625', 4625, 0, 12544, SECURITY_FAILED_LOGON_FIELDS),
  'security-4688': security('security-4688', 4688, 2, 13312, SECURITY_PROCESS_FIELDS),
  'powershell-4104': {
    kind: 'powershell-4104',
    eventId: 4104,
    channel: POWERSHELL_CHANNEL,
    provider: POWERSHELL_PROVIDER,
    providerGuid: POWERSHELL_GUID,
    version: 1,
    level: 5,
    task: 2,
    opcode: 15,
    keywords: '0x0',
    category: 'ps_script',
    fields: ['MessageNumber', 'MessageTotal', 'ScriptBlockText', 'ScriptBlockId', 'Path'],
  },
};

export const ALL_KINDS = Object.keys(KINDS) as EventKind[];

const KIND_BY_CHANNEL_AND_ID = new Map<string, KindSpec>(
  Object.values(KINDS).map((spec) => [`${spec.channel}|${spec.eventId}`, spec]),
);

export function kindOf(channel: string, eventId: number): KindSpec | undefined {
  return KIND_BY_CHANNEL_AND_ID.get(`${channel}|${eventId}`);
}

// ---------------------------------------------------------------------------------------------------------------
// flat

/** The System members every flat event carries, before the EventData fields. */
export const FLAT_SYSTEM_FIELDS = ['EventID', 'Channel', 'Provider_Name', 'Computer', 'TimeCreated_SystemTime'] as const;

export function toFlat(e: CanonicalEvent): Record<string, FieldValue> {
  const spec = KINDS[e.kind];
  const out: Record<string, FieldValue> = {
    EventID: spec.eventId,
    Channel: spec.channel,
    Provider_Name: spec.provider,
    Computer: e.computer,
    TimeCreated_SystemTime: e.time,
  };
  for (const f of spec.fields) out[f] = e.data[f];
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// evtx (evtx_dump JSON)

const EVENT_XMLNS = 'http://schemas.microsoft.com/win/2004/08/events/event';

export function toEvtx(e: CanonicalEvent): object {
  const spec = KINDS[e.kind];
  const data: Record<string, FieldValue> = {};
  for (const f of spec.fields) data[f] = e.data[f];
  return {
    Event: {
      '#attributes': { xmlns: EVENT_XMLNS },
      System: {
        Provider: { '#attributes': { Name: spec.provider, Guid: spec.providerGuid } },
        EventID: spec.eventId,
        Version: spec.version,
        Level: e.level ?? spec.level,
        Task: spec.task,
        Opcode: spec.opcode,
        Keywords: spec.keywords,
        TimeCreated: { '#attributes': { SystemTime: e.time } },
        EventRecordID: e.recordId,
        Correlation: e.activityId === null ? null : { '#attributes': { ActivityID: e.activityId } },
        Execution: { '#attributes': { ProcessID: e.execPid, ThreadID: e.execTid } },
        Channel: spec.channel,
        Computer: e.computer,
        Security: e.userSid === null ? null : { '#attributes': { UserID: e.userSid } },
      },
      EventData: data,
    },
  };
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

/** The flat form of an event in the generator's evtx shape (the subset of keys the flat shape has). */
export function evtxToFlat(event: unknown): Record<string, FieldValue> {
  const ev = obj(obj(event).Event);
  const sys = obj(ev.System);
  const out: Record<string, FieldValue> = {
    EventID: sys.EventID as number,
    Channel: sys.Channel as string,
    Provider_Name: obj(obj(sys.Provider)['#attributes']).Name as string,
    Computer: sys.Computer as string,
    TimeCreated_SystemTime: obj(obj(sys.TimeCreated)['#attributes']).SystemTime as string,
  };
  for (const [k, v] of Object.entries(obj(ev.EventData))) out[k] = v as FieldValue;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// ecs (Winlogbeat 7+/8 shape, field names as pySigma's ecs_windows pipeline maps them)

/**
 * Sigma field -> ECS field, as pySigma-backend-elasticsearch's `ecs_windows` pipeline maps them (the generic table).
 * Fields not listed here land in `winlog.event_data.<Field>`, as that pipeline's prefix rule does.
 */
const ECS_GENERIC: Record<string, string> = {
  ProcessGuid: 'process.entity_id',
  ProcessId: 'process.pid',
  Image: 'process.executable',
  CurrentDirectory: 'process.working_directory',
  ParentProcessGuid: 'process.parent.entity_id',
  ParentProcessId: 'process.parent.pid',
  ParentImage: 'process.parent.executable',
  ParentCommandLine: 'process.parent.command_line',
  TargetFilename: 'file.path',
  SourceIp: 'source.ip',
  SourceHostname: 'source.domain',
  SourcePort: 'source.port',
  DestinationIp: 'destination.ip',
  DestinationHostname: 'destination.domain',
  DestinationPort: 'destination.port',
  DestinationPortName: 'network.protocol',
  ImageLoaded: 'file.path',
  Signed: 'file.code_signature.signed',
  SignatureStatus: 'file.code_signature.status',
  SourceProcessGuid: 'process.entity_id',
  SourceProcessId: 'process.pid',
  SourceImage: 'process.executable',
  SourceThreadId: 'process.thread.id',
  TargetObject: 'registry.path',
  QueryName: 'dns.question.name',
  QueryStatus: 'sysmon.dns.status',
  IsExecutable: 'sysmon.file.is_executable',
  Archived: 'sysmon.file.archived',
  MessageNumber: 'powershell.sequence',
  MessageTotal: 'powershell.total',
  ScriptBlockText: 'powershell.file.script_block_text',
  ScriptBlockId: 'powershell.file.script_block_id',
  IpAddress: 'source.ip',
  IpPort: 'source.port',
  NewProcessId: 'process.pid',
  NewProcessName: 'process.executable',
  ParentProcessName: 'process.parent.name',
  ProcessName: 'process.executable',
  TargetDomainName: 'user.domain',
  User: 'user.name',
  WorkstationName: 'source.domain',
};

/** The category-dependent part of the same pipeline (takes precedence over the generic table). */
const ECS_BY_CATEGORY: Partial<Record<EcsCategory, Record<string, string>>> = {
  process_creation: {
    FileVersion: 'process.pe.file_version',
    Description: 'process.pe.description',
    Product: 'process.pe.product',
    Company: 'process.pe.company',
    OriginalFileName: 'process.pe.original_file_name',
    CommandLine: 'process.command_line',
  },
  image_load: {
    FileVersion: 'file.pe.file_version',
    Description: 'file.pe.description',
    Product: 'file.pe.product',
    Company: 'file.pe.company',
    OriginalFileName: 'file.pe.original_file_name',
    Signature: 'file.code_signature.subject_name',
  },
  network_connection: { Protocol: 'network.transport', Initiated: 'network.direction' },
  security: {
    CommandLine: 'process.command_line',
    SubjectLogonId: 'winlog.logon.id',
    SubjectDomainName: 'user.domain',
    SubjectUserName: 'user.name',
    SubjectUserSid: 'user.id',
    TargetLogonId: 'winlog.logon.id',
  },
};

/** ECS paths the shape itself uses for System members (no EventData field may claim them). */
const ECS_RESERVED = [
  '@timestamp', 'event.code', 'event.kind', 'event.provider', 'host.name', 'log.level',
  'winlog.channel', 'winlog.provider_name', 'winlog.provider_guid', 'winlog.computer_name', 'winlog.event_id',
  'winlog.record_id', 'winlog.api', 'winlog.process.pid', 'winlog.process.thread.id', 'winlog.user.identifier',
  'winlog.activity_id', 'winlog.event_data',
];

/**
 * Per kind: each EventData field's ECS path, or null for `winlog.event_data.<Field>`. When two fields of one kind map
 * to the same ECS path (4624's SubjectDomainName and TargetDomainName both map to user.domain), the first in the
 * Windows field order keeps it and the other stays in winlog.event_data, so every field is recoverable.
 */
const ECS_PATHS: Record<EventKind, Map<string, string | null>> = (() => {
  const out = {} as Record<EventKind, Map<string, string | null>>;
  for (const spec of Object.values(KINDS)) {
    const claimed = new Set(ECS_RESERVED);
    const byCat = ECS_BY_CATEGORY[spec.category] ?? {};
    const m = new Map<string, string | null>();
    for (const f of spec.fields) {
      const path = byCat[f] ?? ECS_GENERIC[f] ?? null;
      if (path !== null && !claimed.has(path)) {
        claimed.add(path);
        m.set(f, path);
      } else m.set(f, null);
    }
    out[spec.kind] = m;
  }
  return out;
})();

/** The ECS path of an EventData field of a kind (`winlog.event_data.<Field>` when the pipeline does not map it). */
export function ecsPath(kind: EventKind, field: string): string {
  return ECS_PATHS[kind].get(field) ?? `winlog.event_data.${field}`;
}

function setPath(target: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    let next = o[p];
    if (typeof next !== 'object' || next === null) {
      next = {};
      o[p] = next;
    }
    o = next as Json;
  }
  o[parts[parts.length - 1]] = value;
}

function getPath(source: unknown, path: string): unknown {
  let o: unknown = source;
  for (const p of path.split('.')) {
    if (typeof o !== 'object' || o === null) return undefined;
    o = (o as Json)[p];
  }
  return o;
}

/** Winlogbeat's `log.level` names for the System Level values. */
const LOG_LEVELS: Record<number, string> = { 0: 'information', 1: 'critical', 2: 'error', 3: 'warning', 4: 'information', 5: 'verbose' };

export function toEcs(e: CanonicalEvent): object {
  const spec = KINDS[e.kind];
  const eventData: Record<string, FieldValue> = {};
  const winlog: Json = {
    channel: spec.channel,
    provider_name: spec.provider,
    provider_guid: `{${spec.providerGuid}}`,
    computer_name: e.computer,
    event_id: String(spec.eventId),
    record_id: e.recordId,
    api: 'wineventlog',
    process: { pid: e.execPid, thread: { id: e.execTid } },
  };
  if (e.userSid !== null) winlog.user = { identifier: e.userSid };
  if (e.activityId !== null) winlog.activity_id = `{${e.activityId}}`;
  winlog.event_data = eventData;
  const out: Json = {
    '@timestamp': e.time,
    event: { code: String(spec.eventId), kind: 'event', provider: spec.provider },
    host: { name: e.computer },
    log: { level: LOG_LEVELS[e.level ?? spec.level] ?? 'information' },
    winlog,
  };
  const paths = ECS_PATHS[e.kind];
  for (const f of spec.fields) {
    const path = paths.get(f);
    if (path) setPath(out, path, e.data[f]);
    else eventData[f] = e.data[f];
  }
  return out;
}

/** The flat form of an event in the generator's ECS shape. */
export function ecsToFlat(event: unknown): Record<string, FieldValue> {
  const channel = getPath(event, 'winlog.channel') as string;
  const eventId = Number(getPath(event, 'event.code'));
  const spec = kindOf(channel, eventId);
  if (!spec) throw new Error(`unknown event type ${channel} ${eventId}`);
  const out: Record<string, FieldValue> = {
    EventID: eventId,
    Channel: channel,
    Provider_Name: getPath(event, 'winlog.provider_name') as string,
    Computer: getPath(event, 'host.name') as string,
    TimeCreated_SystemTime: getPath(event, '@timestamp') as string,
  };
  for (const f of spec.fields) out[f] = getPath(event, ecsPath(spec.kind, f)) as FieldValue;
  return out;
}

export function toShape(e: CanonicalEvent, shape: Shape): object {
  switch (shape) {
    case 'flat':
      return toFlat(e);
    case 'evtx':
      return toEvtx(e);
    case 'ecs':
      return toEcs(e);
  }
}

/** Inverse of `toShape`: the flat form of an event in any of the three shapes. */
export function shapeToFlat(event: unknown, shape: Shape): Record<string, FieldValue> {
  switch (shape) {
    case 'flat':
      return event as Record<string, FieldValue>;
    case 'evtx':
      return evtxToFlat(event);
    case 'ecs':
      return ecsToFlat(event);
  }
}
