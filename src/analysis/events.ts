/**
 * Event coverage: which logs and event IDs a rule's log source stands for. The processing pipelines say it (the
 * conditions their log-source items add: `Channel`, `EventID`), the rule's own `EventID` predicates complete it, and
 * short tables give the events their titles (Sysmon's event IDs; the Security, System and PowerShell events rules
 * most often name).
 */
import { applyPipelinesToRule } from '../pipeline/apply.js';
import { builtinPipelines } from '../pipeline/builtins.js';
import type { Pipeline } from '../pipeline/model.js';
import type { TransformationStep } from '../pipeline/transform.js';
import type { ConditionNode } from '../rule/condition.js';
import { SigmaError } from '../rule/errors.js';
import type { Detection, DetectionNode, SigmaRule } from '../rule/model.js';
import type { SigmaValue } from '../rule/values.js';

/** Sysmon event IDs and titles (as the Sysmon documentation heads them). */
export const SYSMON_EVENTS: Readonly<Record<number, string>> = {
  1: 'Process creation',
  2: 'A process changed a file creation time',
  3: 'Network connection',
  4: 'Sysmon service state changed',
  5: 'Process terminated',
  6: 'Driver loaded',
  7: 'Image loaded',
  8: 'CreateRemoteThread',
  9: 'RawAccessRead',
  10: 'ProcessAccess',
  11: 'FileCreate',
  12: 'RegistryEvent (Object create and delete)',
  13: 'RegistryEvent (Value Set)',
  14: 'RegistryEvent (Key and Value Rename)',
  15: 'FileCreateStreamHash',
  16: 'ServiceConfigurationChange',
  17: 'PipeEvent (Pipe Created)',
  18: 'PipeEvent (Pipe Connected)',
  19: 'WmiEvent (WmiEventFilter activity detected)',
  20: 'WmiEvent (WmiEventConsumer activity detected)',
  21: 'WmiEvent (WmiEventConsumerToFilter activity detected)',
  22: 'DNSEvent (DNS query)',
  23: 'FileDelete (File Delete archived)',
  24: 'ClipboardChange (New content in the clipboard)',
  25: 'ProcessTampering (Process image change)',
  26: 'FileDeleteDetected (File Delete logged)',
  27: 'FileBlockExecutable',
  28: 'FileBlockShredding',
  29: 'FileExecutableDetected',
  255: 'Error',
};

/** Titles of the Windows events rules name most often, by provider label (see `providerOf`). */
export const WINDOWS_EVENTS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  Security: {
    1102: 'The audit log was cleared',
    4624: 'An account was successfully logged on',
    4625: 'An account failed to log on',
    4634: 'An account was logged off',
    4648: 'A logon was attempted using explicit credentials',
    4656: 'A handle to an object was requested',
    4661: 'A handle to an object was requested',
    4662: 'An operation was performed on an object',
    4663: 'An attempt was made to access an object',
    4672: 'Special privileges assigned to new logon',
    4688: 'A new process has been created',
    4697: 'A service was installed in the system',
    4698: 'A scheduled task was created',
    4699: 'A scheduled task was deleted',
    4700: 'A scheduled task was enabled',
    4701: 'A scheduled task was disabled',
    4702: 'A scheduled task was updated',
    4719: 'System audit policy was changed',
    4720: 'A user account was created',
    4722: 'A user account was enabled',
    4724: "An attempt was made to reset an account's password",
    4726: 'A user account was deleted',
    4728: 'A member was added to a security-enabled global group',
    4732: 'A member was added to a security-enabled local group',
    4738: 'A user account was changed',
    4740: 'A user account was locked out',
    4756: 'A member was added to a security-enabled universal group',
    4768: 'A Kerberos authentication ticket (TGT) was requested',
    4769: 'A Kerberos service ticket was requested',
    4771: 'Kerberos pre-authentication failed',
    4776: 'The computer attempted to validate the credentials for an account',
    5136: 'A directory service object was modified',
    5140: 'A network share object was accessed',
    5145: 'A network share object was checked to see whether client can be granted desired access',
    5156: 'The Windows Filtering Platform has permitted a connection',
  },
  System: {
    104: 'The log file was cleared',
    7036: 'A service entered a new state',
    7040: 'The start type of a service was changed',
    7045: 'A service was installed in the system',
  },
  PowerShell: {
    4103: 'Module logging (pipeline execution)',
    4104: 'Script block logging',
  },
  'Windows PowerShell': {
    400: 'Engine state changed',
    403: 'Engine state changed (stopped)',
    600: 'Provider started',
    800: 'Pipeline execution details',
  },
};

/** Provider labels of the channels whose events have titles here; every other channel is its own label. */
const CHANNEL_PROVIDERS: Readonly<Record<string, string>> = {
  'Microsoft-Windows-Sysmon/Operational': 'Sysmon',
  Security: 'Security',
  System: 'System',
  'Microsoft-Windows-PowerShell/Operational': 'PowerShell',
  'PowerShellCore/Operational': 'PowerShell',
  'Windows PowerShell': 'Windows PowerShell',
};

/** The label of a log channel: Sysmon, Security, System, PowerShell, Windows PowerShell, or the channel itself. */
export function providerOf(channel: string): string {
  return CHANNEL_PROVIDERS[channel] ?? channel;
}

/** The title of event `id` of a provider, when sigmatch's tables know it. */
export function eventTitle(provider: string, id: number): string | undefined {
  if (provider === 'Sysmon') return SYSMON_EVENTS[id];
  return WINDOWS_EVENTS[provider]?.[id];
}

export interface EventCoverageRow {
  /** `Sysmon`, `Security`, `System`, `PowerShell`, ... (the channel when no label is known). */
  provider: string;
  /** The event ID, or null when the rule meets every event of the channel. */
  eventId: number | null;
  /** The event's title when known. */
  title?: string;
  /** The log channel (`Microsoft-Windows-Sysmon/Operational`), when a pipeline or the rule names one. */
  channel?: string;
  /** Where the row comes from: a pipeline's name, or `rule` (the rule's own EventID / Channel predicates). */
  via: string;
}

export interface EventCoverage {
  rows: EventCoverageRow[];
  /** The pipelines that changed the rule, in the order they ran. */
  pipelines: string[];
  /** True when the pipelines route the rule to its log source (it meets only those events). */
  routed: boolean;
  /** Why there is no row, or what a pipeline said (a rejection). */
  note?: string;
}

const CHANNEL_FIELDS = new Set(['Channel', 'winlog.channel']);
const EVENT_ID_FIELDS = new Set(['EventID', 'winlog.event_id', 'event.code']);
const INTERNAL = /^(?:_alt[0-9]+_)?(_pipeline_.*)$/;

/** The pipelines explanations use when none are given: the built-in Windows mappings (sysmon, windows). */
export function defaultCoveragePipelines(): Pipeline[] {
  return [...builtinPipelines('sysmon'), ...builtinPipelines('windows')];
}

function literalValues(values: readonly SigmaValue[]): (string | number)[] {
  const out: (string | number)[] = [];
  for (const v of values) {
    if (v.type === 'number') out.push(v.value);
    else if (v.type === 'string' && v.value.plain !== null) out.push(v.value.plain);
    else if (v.type === 'expansion') out.push(...literalValues(v.values));
  }
  return out;
}

/** Equality values of the `fields` items a detection requires (an AND of items, or an OR of such). */
function valuesOf(node: DetectionNode, fields: ReadonlySet<string>): (string | number)[] {
  if (node.kind === 'item') {
    if (node.field === null || !fields.has(node.field) || node.negated || node.all) return [];
    return literalValues(node.values);
  }
  return node.children.flatMap((c) => valuesOf(c, fields));
}

function eventIds(values: readonly (string | number)[]): number[] {
  const out: number[] = [];
  for (const v of values) {
    const n = typeof v === 'number' ? v : /^[0-9]+$/.test(v) ? Number(v) : NaN;
    if (Number.isSafeInteger(n) && !out.includes(n)) out.push(n);
  }
  return out;
}

/**
 * The values of `fields` the condition requires: an identifier's equality values; `and` / `all of` any of its parts'
 * (they all hold); `or` / `1 of` only when every branch names some (one of them holds); nothing under `not`.
 */
function requiredValues(node: ConditionNode, byName: ReadonlyMap<string, Detection>, fields: ReadonlySet<string>): (string | number)[] | null {
  const ref = (name: string): (string | number)[] | null => {
    const d = byName.get(name);
    const v = d && !INTERNAL.test(name) ? valuesOf(d.root, fields) : [];
    return v.length > 0 ? v : null;
  };
  const all = (parts: ((string | number)[] | null)[]): (string | number)[] | null => {
    const known = parts.filter((p): p is (string | number)[] => p !== null);
    return known.length > 0 ? known.flat() : null;
  };
  const any = (parts: ((string | number)[] | null)[]): (string | number)[] | null => (parts.length > 0 && parts.every((p) => p !== null) ? parts.flat() as (string | number)[] : null);
  switch (node.kind) {
    case 'ref':
      return ref(node.name);
    case 'of':
      return node.quantifier === 'all' ? all(node.names.map(ref)) : any(node.names.map(ref));
    case 'and':
      return all(node.args.map((a) => requiredValues(a, byName, fields)));
    case 'or':
      return any(node.args.map((a) => requiredValues(a, byName, fields)));
    case 'not':
      return null;
  }
}

/** The pipeline an add_condition identifier comes from (by its `_pipeline_<item id or name>` naming). */
function pipelineOfAdded(name: string, pipelines: readonly Pipeline[]): string | undefined {
  const base = INTERNAL.exec(name)?.[1];
  if (!base) return undefined;
  const stem = base.replace(/^_pipeline_/, '');
  for (const p of pipelines) {
    const stack = [...p.items];
    while (stack.length > 0) {
      const item = stack.pop()!;
      const t = item.transformation;
      if (t.type === 'nest' || t.type === 'sigmatch_alternative') stack.push(...t.items);
      if (t.type !== 'add_condition') continue;
      const label = (t.name ?? item.id ?? '').replace(/[^A-Za-z0-9_.-]/g, '_');
      if (label && (stem === label || stem.startsWith(`${label}_`))) return p.name;
    }
  }
  return undefined;
}

function rowsFor(channels: readonly string[], ids: readonly number[], via: string, fallbackProvider: string | undefined): EventCoverageRow[] {
  const rows: EventCoverageRow[] = [];
  const chans: (string | undefined)[] = channels.length > 0 ? [...channels] : [undefined];
  const idList: (number | null)[] = ids.length > 0 ? [...ids] : [null];
  for (const channel of chans) {
    const provider = channel !== undefined ? providerOf(channel) : fallbackProvider;
    if (provider === undefined) continue;
    for (const eventId of idList) {
      const title = eventId !== null ? eventTitle(provider, eventId) : undefined;
      rows.push({ provider, eventId, ...(title ? { title } : {}), ...(channel !== undefined ? { channel } : {}), via });
    }
  }
  return rows;
}

/** The provider a Windows log source names without a pipeline (`service: security` -> Security). */
function logsourceProvider(rule: SigmaRule): string | undefined {
  const ls = rule.logsource;
  if (ls.product !== 'windows') return undefined;
  if (ls.service === 'security') return 'Security';
  if (ls.service === 'system') return 'System';
  if (ls.service === 'sysmon') return 'Sysmon';
  if (ls.category === 'ps_script' || ls.category === 'ps_module') return 'PowerShell';
  return ls.service ?? undefined;
}

function dedupe(rows: EventCoverageRow[]): EventCoverageRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.provider}\u0000${r.eventId}\u0000${r.channel ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Which events a rule covers. With pipelines (default: the built-in sysmon and windows), each form of the transformed
 * rule contributes its added Channel / EventID conditions (the Security 4688 alternative of process_creation is a
 * second form); an EventID the pipeline leaves open is taken from the rule's own required identifiers.
 */
export function eventCoverage(rule: SigmaRule, pipelines: readonly Pipeline[] = defaultCoveragePipelines()): EventCoverage {
  const own = (detections: readonly Detection[], condition: ConditionNode): { channels: string[]; ids: number[] } => {
    const byName = new Map(detections.map((d) => [d.name, d]));
    return {
      channels: [...new Set((requiredValues(condition, byName, CHANNEL_FIELDS) ?? []).map(String))],
      ids: eventIds(requiredValues(condition, byName, EVENT_ID_FIELDS) ?? []),
    };
  };
  if (pipelines.length > 0) {
    let transformed: SigmaRule;
    const steps: TransformationStep[] = [];
    try {
      transformed = applyPipelinesToRule(rule, pipelines, steps);
    } catch (e) {
      if (!(e instanceof SigmaError)) throw e;
      return { rows: [], pipelines: [], routed: false, note: `a pipeline rejected the rule: ${e.message}` };
    }
    const formCount = steps.reduce((m, s) => Math.max(m, s.form + 1), 1);
    const forms: ConditionNode[] = formCount > 1 && transformed.condition.kind === 'or' ? transformed.condition.args : [transformed.condition];
    const byName = new Map(transformed.detections.map((d) => [d.name, d]));
    const rows: EventCoverageRow[] = [];
    for (const form of forms) {
      const args = form.kind === 'and' ? form.args : [form];
      const added = args.filter((a): a is { kind: 'ref'; name: string } => a.kind === 'ref' && INTERNAL.test(a.name));
      const rest = args.filter((a) => !(a.kind === 'ref' && INTERNAL.test(a.name)));
      const addedDetections = added.map((a) => byName.get(a.name)).filter((d): d is Detection => d !== undefined);
      const channels = [...new Set(addedDetections.flatMap((d) => valuesOf(d.root, CHANNEL_FIELDS)).map(String))];
      let ids = eventIds(addedDetections.flatMap((d) => valuesOf(d.root, EVENT_ID_FIELDS)));
      const mine = own(transformed.detections, rest.length === 1 ? rest[0] : { kind: 'and', args: rest });
      if (ids.length === 0) ids = mine.ids;
      const via = added.map((a) => pipelineOfAdded(a.name, pipelines)).find((p) => p !== undefined) ?? (channels.length > 0 ? transformed.pipelines?.[0] ?? 'pipeline' : 'rule');
      const chans = channels.length > 0 ? channels : mine.channels;
      rows.push(...rowsFor(chans, ids, via, logsourceProvider(rule)));
    }
    const out = dedupe(rows);
    return {
      rows: out,
      pipelines: transformed.pipelines ?? [],
      routed: transformed.logsourceRouted ?? false,
      ...(out.length === 0 ? { note: 'no pipeline maps this log source and the rule names no event ID: it meets every event' } : {}),
    };
  }
  const mine = own(rule.detections, rule.condition);
  const rows = dedupe(rowsFor(mine.channels, mine.ids, 'rule', logsourceProvider(rule)));
  return { rows, pipelines: [], routed: false, ...(rows.length === 0 ? { note: 'no pipeline given and the rule names no event ID or channel' } : {}) };
}
