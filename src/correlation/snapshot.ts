/**
 * The correlation state as bytes, to carry it to another process, runtime or run (`scan --state FILE`, a Durable
 * Object's storage): every group's window (in eviction order), the events still waiting for their turn in time order,
 * and the stream's clock. Statistics are per run and not kept.
 *
 * Layout (little-endian): magic "SGCS", format version (u32), FNV-1a 32 of the body (u32), the body: UTF-8 JSON.
 * The body names the correlations it was made for by a fingerprint of their definitions; restoring into an engine
 * with other correlations, a newer format, a damaged or foreign file, or more state than the engine's bounds allow is
 * refused with a SnapshotError that says which, and leaves the engine as it was.
 */
import { fnv1a } from '../compiler/field-trie.js';
import type { CorrelationEngine, Item, Pending } from './engine.js';
import { ValueIds } from './distinct.js';
import { GroupTable } from './groups.js';
import { valuesKey } from './values.js';
import { GroupWindow, type Entry, type EntryValue, type EventRef, type GroupValue } from './window.js';

export const SNAPSHOT_MAGIC = 0x53434753; // "SGCS" read as a little-endian u32
export const SNAPSHOT_VERSION = 1;
const HEADER_BYTES = 12;
const MAGIC_AT = 0;
const VERSION_AT = 4;
const CHECKSUM_AT = 8;

export type SnapshotErrorCode = 'NOT_A_SNAPSHOT' | 'VERSION' | 'CORRUPT' | 'OTHER_CORRELATIONS' | 'TOO_LARGE';

export class SnapshotError extends Error {
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotError';
  }
}

type EntryJson = [time: number, positions: number[], value: EntryValue | null, ref?: EventRef];
type GroupJson = [correlation: number, key: string, group: Record<string, GroupValue>, anchor: number, lastAlert: number | null, entries: EntryJson[]];
type ItemJson = [correlation: number, key: string, values: GroupValue[], positions: number[], value: EntryValue | null];
type PendingJson = [time: number, seq: number, ref: EventRef, items: ItemJson[]];

interface Body {
  fingerprint: string;
  maxSeen: number | null;
  lastApplied: number | null;
  seq: number;
  groups: GroupJson[];
  pending: PendingJson[];
}

/** What the state depends on: each correlation's definition as planned, with its window settings. */
export function fingerprint(engine: CorrelationEngine): string {
  const defs = engine.plan.correlations.map((c, i) => {
    const s = engine.settings[i];
    return [c.type, c.source.rules, c.groupBy, c.source.aliases, c.valueFields, c.bounds, c.percentile, c.timespanMs, s.window, s.gapMs];
  });
  const hash = fnv1a(new TextEncoder().encode(JSON.stringify(defs)));
  return `${engine.plan.correlations.length}:${hash.toString(16).padStart(8, '0')}`;
}

const finiteOrNull = (n: number): number | null => (Number.isFinite(n) ? n : null);

export function snapshotEngine(engine: CorrelationEngine): Uint8Array<ArrayBuffer> {
  const entry = (e: Entry): EntryJson => (e.ref ? [e.time, [...e.positions], e.value ?? null, e.ref] : [e.time, [...e.positions], e.value ?? null]);
  const item = (i: Item): ItemJson => [i.correlation, i.key, i.values, i.positions, i.value ?? null];
  const body: Body = {
    fingerprint: fingerprint(engine),
    maxSeen: finiteOrNull(engine.maxSeen),
    lastApplied: finiteOrNull(engine.lastApplied),
    seq: engine.seq,
    groups: [...engine.groups.inOrder()].map((g) => [g.correlation.index, g.key, g.group, g.windowAnchor, g.lastAlert, [...g.held()].map(entry)]),
    pending: engine.pending.items.map((p) => [p.time, p.seq, p.ref, p.items.map(item)]),
  };
  const json = new TextEncoder().encode(JSON.stringify(body));
  const out = new Uint8Array(HEADER_BYTES + json.length);
  const view = new DataView(out.buffer);
  view.setUint32(MAGIC_AT, SNAPSHOT_MAGIC, true);
  view.setUint32(VERSION_AT, SNAPSHOT_VERSION, true);
  view.setUint32(CHECKSUM_AT, fnv1a(json), true);
  out.set(json, HEADER_BYTES);
  return out;
}

// ---- validation of untrusted bodies ------------------------------------------------------------------------

function corrupt(what: string): never {
  throw new SnapshotError('CORRUPT', `the correlation state is damaged: ${what}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function checkGroupValue(v: unknown): GroupValue {
  if (v === null || typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  return corrupt('a group value is not a string, a list of strings or null');
}

function checkGroup(v: unknown, names: readonly string[]): Record<string, GroupValue> {
  if (!isObject(v) || Object.keys(v).length !== names.length) corrupt('a group does not have the correlation\'s group-by fields');
  const out: Record<string, GroupValue> = {};
  for (const n of names) {
    if (!Object.hasOwn(v, n)) corrupt(`a group lacks the group-by field "${n}"`);
    out[n] = checkGroupValue(v[n]);
  }
  return out;
}

function checkRef(v: unknown): EventRef {
  if (!isObject(v) || !Number.isSafeInteger(v.event)) corrupt('an event reference has no event index');
  if (v.line !== undefined && !Number.isSafeInteger(v.line)) corrupt('an event reference has a bad line');
  if (v.input !== undefined && typeof v.input !== 'string') corrupt('an event reference has a bad input name');
  return { event: v.event as number, ...(v.line !== undefined ? { line: v.line as number } : {}), ...(v.input !== undefined ? { input: v.input as string } : {}) };
}

export function restoreEngine(engine: CorrelationEngine, bytes: Uint8Array): void {
  if (bytes.length < HEADER_BYTES) throw new SnapshotError('NOT_A_SNAPSHOT', 'not a sigmatch correlation state (too short)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(MAGIC_AT, true) !== SNAPSHOT_MAGIC) throw new SnapshotError('NOT_A_SNAPSHOT', 'not a sigmatch correlation state (no SGCS header)');
  const version = view.getUint32(VERSION_AT, true);
  if (version !== SNAPSHOT_VERSION) {
    throw new SnapshotError('VERSION', `the correlation state has format version ${version}; this sigmatch reads version ${SNAPSHOT_VERSION}`);
  }
  const json = bytes.subarray(HEADER_BYTES);
  if (fnv1a(json) !== view.getUint32(CHECKSUM_AT, true)) corrupt('its checksum does not match (truncated or altered)');
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    corrupt('its body is not JSON');
  }
  if (!isObject(body)) corrupt('its body is not an object');
  if (body.fingerprint !== fingerprint(engine)) {
    throw new SnapshotError(
      'OTHER_CORRELATIONS',
      'the correlation state was saved for other correlation rules (or other window settings); load the same correlations, or start without the state',
    );
  }
  const plan = engine.plan;
  const positionsOf = (correlation: number, v: unknown): number[] => {
    const c = plan.correlations[correlation];
    const n = c.positions;
    if (!Array.isArray(v) || v.length === 0 || !v.every((p, i) => Number.isInteger(p) && p >= 0 && p < n && (i === 0 || p > v[i - 1]))) corrupt('bad rule positions');
    return v as number[];
  };
  const valueOf = (correlation: number, v: unknown): EntryValue => {
    const c = plan.correlations[correlation];
    if (!c.valueFields) {
      if (v !== null) corrupt('a value where the correlation aggregates none');
      return undefined;
    }
    if (c.type === 'value_count' ? typeof v !== 'string' : typeof v !== 'number' || !Number.isFinite(v)) corrupt('a value of the wrong kind');
    return v as EntryValue;
  };
  const correlationOf = (v: unknown): number => {
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= plan.correlations.length) corrupt('a correlation index out of range');
    return v as number;
  };
  const { maxGroups, maxGroupEntries, maxPending } = engine.limits;
  if (!Array.isArray(body.groups) || !Array.isArray(body.pending) || !Number.isSafeInteger(body.seq)) corrupt('groups, pending events or the sequence are missing');
  if (body.groups.length > maxGroups) throw new SnapshotError('TOO_LARGE', `the correlation state holds ${body.groups.length} groups, more than maxGroups (${maxGroups})`);
  const groups = new GroupTable(plan.correlations.length);
  const valueIds = new ValueIds();
  for (const g of body.groups as unknown[]) {
    if (!Array.isArray(g) || g.length !== 6) corrupt('a group is not [correlation, key, group, anchor, lastAlert, entries]');
    const correlation = correlationOf(g[0]);
    const c = plan.correlations[correlation];
    if (typeof g[1] !== 'string' || !isTime(g[3]) || (g[4] !== null && !isTime(g[4])) || !Array.isArray(g[5])) corrupt('a group has a bad key, anchor, alert time or entries');
    if (g[5].length > maxGroupEntries) throw new SnapshotError('TOO_LARGE', `a group holds ${g[5].length} entries, more than maxGroupEntries (${maxGroupEntries})`);
    const entries: Entry[] = [];
    for (const e of g[5] as unknown[]) {
      if (!Array.isArray(e) || (e.length !== 3 && e.length !== 4) || !isTime(e[0])) corrupt('an entry is not [time, positions, value, ref?]');
      if (entries.length > 0 && e[0] < entries[entries.length - 1].time) corrupt('entries out of time order');
      // Only temporal windows keep rule positions (window.ts); other windows' entries have none.
      const temporal = c.type === 'temporal' || c.type === 'temporal_ordered';
      const positions = temporal ? positionsOf(correlation, e[1]) : Array.isArray(e[1]) && e[1].length === 0 ? [] : corrupt('rule positions in a window that keeps none');
      entries.push({ time: e[0], positions, value: valueOf(correlation, e[2]), ...(e.length === 4 ? { ref: checkRef(e[3]) } : {}) });
    }
    const group = checkGroup(g[2], c.groupBy);
    if (valuesKey(c.groupBy.map((n) => group[n])) !== g[1]) corrupt('a group\'s key does not match its values');
    const window = new GroupWindow(c, g[1], group, engine.options.events === 'refs', valueIds);
    window.restoreFrom(entries, g[3], g[4]);
    if (groups.get(correlation, g[1])) corrupt('a group appears twice');
    groups.add(window);
  }
  if (body.pending.length > maxPending) throw new SnapshotError('TOO_LARGE', `the correlation state holds ${body.pending.length} waiting events, more than maxPending (${maxPending})`);
  const pending: Pending[] = [];
  for (const p of body.pending as unknown[]) {
    if (!Array.isArray(p) || p.length !== 4 || !isTime(p[0]) || !Number.isSafeInteger(p[1]) || !Array.isArray(p[3])) corrupt('a pending event is not [time, seq, ref, items]');
    const items: Item[] = (p[3] as unknown[]).map((i) => {
      if (!Array.isArray(i) || i.length !== 5 || typeof i[1] !== 'string') corrupt('a pending item is not [correlation, key, group, positions, value]');
      const correlation = correlationOf(i[0]);
      const names = plan.correlations[correlation].groupBy;
      if (!Array.isArray(i[2]) || i[2].length !== names.length) corrupt('a pending item does not have the correlation\'s group-by values');
      const values = (i[2] as unknown[]).map(checkGroupValue);
      if (valuesKey(values) !== i[1]) corrupt('a pending item\'s key does not match its values');
      return { correlation, key: i[1], values, positions: positionsOf(correlation, i[3]), value: valueOf(correlation, i[4]) };
    });
    pending.push({ time: p[0], seq: p[1], ref: checkRef(p[2]), items });
  }
  const time = (v: unknown): number => (v === null ? -Infinity : isTime(v) ? v : corrupt('a bad clock'));
  const maxSeen = time(body.maxSeen);
  const lastApplied = time(body.lastApplied);
  // Everything checked: replace the state at once.
  engine.restoreState({ groups, valueIds, pending, maxSeen, lastApplied, seq: body.seq as number });
}
