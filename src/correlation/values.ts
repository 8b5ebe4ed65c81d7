/**
 * What a correlation reads from an event: the group a hit falls in (group-by fields, through aliases) and the value
 * it contributes (value_count: the distinct-value key of its field(s); value_sum and the others: a number).
 *
 * A field's value is its string forms as matching sees them (src/eval/event.ts): an absent field, JSON null and an
 * object have none and read as absent, which is a value of its own ("no value"), never equal to any string; one
 * string form is that string; an array is the list of its elements' forms, a value of its own.
 */
import { FieldValues } from '../eval/event.js';
import { numericValue } from '../eval/scalars.js';
import { wellFormed } from '../text/fold.js';
import { MAX_AGGREGATED_MAGNITUDE } from './exact-sum.js';
import type { FieldSource } from './time.js';
import type { GroupValue } from './window.js';

/** The value of field `name` of an event for grouping and distinct counting. */
export function readValue(source: FieldSource, name: string): GroupValue {
  const v = source.scalar?.(name);
  if (typeof v === 'string') return wellFormed(v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return fieldValue(source.field(name));
}

/** The value of one field's lookup for grouping and distinct counting. */
export function fieldValue(found: FieldValues): GroupValue {
  let single: string | null = null;
  let list: string[] | null = null;
  for (const s of found.strings) {
    if (s === null) continue;
    if (list) list.push(s);
    else if (single === null) single = s;
    else list = [single, s];
  }
  return list ?? single;
}

/** Code units below this start a tagged part of a key; a lone string value starting higher is its own key. */
const FIRST_UNTAGGED = 4;

/**
 * A key that tells apart every tuple of field values (tuples of one length: one correlation's group-by). Each part is
 * a tag and a prefix-free text (absent; a string's length and the string; an array's JSON); one string value that
 * cannot be mistaken for a tagged part is the key itself, so the common single-field group costs no new string.
 */
export function valuesKey(values: readonly GroupValue[]): string {
  if (values.length === 1 && typeof values[0] === 'string' && values[0].length > 0 && values[0].charCodeAt(0) >= FIRST_UNTAGGED) return values[0];
  let key = '';
  for (const v of values) {
    if (v === null) key += '\u0001';
    else if (typeof v === 'string') key += `\u0002${v.length}:${v}`;
    else key += `\u0003${JSON.stringify(v)}`;
  }
  return key;
}

/** An event's group key for the group-by fields `fields` (valuesKey of their values, without the list for one field). */
export function groupKey(source: FieldSource, fields: readonly string[]): string {
  if (fields.length === 1) {
    const v = readValue(source, fields[0]);
    if (typeof v === 'string' && v.length > 0 && v.charCodeAt(0) >= FIRST_UNTAGGED) return v;
    return valuesKey([v]);
  }
  return valuesKey(groupValues(source, fields));
}

/** The values of the group-by fields of an event (in the order of `fields`). */
export function groupValues(source: FieldSource, fields: readonly string[]): GroupValue[] {
  const values = new Array<GroupValue>(fields.length);
  for (let i = 0; i < fields.length; i++) values[i] = readValue(source, fields[i]);
  return values;
}

/** A group as alerts report it: the group-by names with their values. */
export function groupObject(names: readonly string[], values: readonly GroupValue[]): Record<string, GroupValue> {
  const group: Record<string, GroupValue> = {};
  for (let i = 0; i < names.length; i++) group[names[i]] = values[i];
  return group;
}

/** value_count: the distinct-value key of the fields, or undefined when every one is absent (nothing to count). */
export function distinctValue(source: FieldSource, fields: readonly string[]): string | undefined {
  if (fields.length === 1) {
    const v = readValue(source, fields[0]);
    if (v === null) return undefined;
    return typeof v === 'string' && v.length > 0 && v.charCodeAt(0) >= FIRST_UNTAGGED ? v : valuesKey([v]);
  }
  const values = groupValues(source, fields);
  return values.every((v) => v === null) ? undefined : valuesKey(values);
}

/** value_sum, value_avg, value_percentile, value_median: the field's one value as a number, or undefined. */
export function numericFieldValue(source: FieldSource, field: string): number | undefined {
  let v = source.scalar?.(field);
  if (v === undefined) {
    const found = source.field(field);
    if (found.values.length !== 1) return undefined;
    v = found.values[0] as typeof v;
  }
  const n = numericValue(v);
  return n !== null && Math.abs(n) <= MAX_AGGREGATED_MAGNITUDE ? n : undefined;
}

/** A correlation alert's group as an event (chains: the outer correlation reads the inner one's group-by values). */
export function groupSource(group: Readonly<Record<string, GroupValue>>): FieldSource {
  return {
    field(name: string): FieldValues {
      const v = Object.hasOwn(group, name) ? group[name] : null;
      return v === null ? new FieldValues(false, []) : new FieldValues(true, typeof v === 'string' ? [v] : v);
    },
  };
}
