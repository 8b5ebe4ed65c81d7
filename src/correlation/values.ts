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
import { MAX_AGGREGATED_MAGNITUDE } from './exact-sum.js';
import type { FieldSource } from './time.js';
import type { GroupValue } from './window.js';

/** The value of one field for grouping and distinct counting. */
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

/** A key that tells apart every tuple of field values (each part is prefix-free: tag, then length or JSON). */
export function valuesKey(values: readonly GroupValue[]): string {
  let key = '';
  for (const v of values) {
    if (v === null) key += '\u0001';
    else if (typeof v === 'string') key += `\u0002${v.length}:${v}`;
    else key += `\u0003${JSON.stringify(v)}`;
  }
  return key;
}

/** The group an event falls in for the given fields, reported under the given names. */
export function groupOf(source: FieldSource, fields: readonly string[], names: readonly string[]): { key: string; group: Record<string, GroupValue> } {
  const values = fields.map((f) => fieldValue(source.field(f)));
  const group: Record<string, GroupValue> = {};
  names.forEach((n, i) => (group[n] = values[i]));
  return { key: valuesKey(values), group };
}

/** value_count: the distinct-value key of the fields, or undefined when every one is absent (nothing to count). */
export function distinctValue(source: FieldSource, fields: readonly string[]): string | undefined {
  const values = fields.map((f) => fieldValue(source.field(f)));
  return values.every((v) => v === null) ? undefined : valuesKey(values);
}

/** value_sum, value_avg, value_percentile, value_median: the field's one value as a number, or undefined. */
export function numericFieldValue(source: FieldSource, field: string): number | undefined {
  const found = source.field(field);
  if (found.values.length !== 1) return undefined;
  const n = numericValue(found.values[0]);
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
