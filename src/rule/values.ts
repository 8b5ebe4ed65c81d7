/**
 * Typed detection values: what a rule compares an event field with, after its modifiers have been applied.
 * Every engine (reference evaluator, bytecode compiler) switches on `type`; nothing downstream re-reads modifiers.
 */
import type { CompiledRegex } from '../regex/index.js';
import type { CidrNetwork } from '../net/ip.js';
import type { SigmaString } from './sigma-string.js';

export type CompareOp = 'gt' | 'gte' | 'lt' | 'lte';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
export type FieldRefPosition = 'equals' | 'contains' | 'startswith' | 'endswith';

export type SigmaValue =
  /** Glob pattern over the field's string form; case-insensitive unless `cased`. */
  | { type: 'string'; value: SigmaString; cased: boolean }
  /** Equality with the number's canonical decimal form (`text`), whether the event holds a number or a string. */
  | { type: 'number'; value: number; text: string }
  /** Equality with JSON true/false or the strings "true"/"false" in any letter case. */
  | { type: 'boolean'; value: boolean }
  /** The field is absent or JSON null (SIGMA.md decision; see the `nullMatchesAbsent` option). */
  | { type: 'null' }
  /** Unanchored search of the field's string form, in linear time. */
  | { type: 'regex'; regex: CompiledRegex }
  | { type: 'cidr'; network: CidrNetwork }
  /** Compare with another field of the same event. */
  | { type: 'fieldref'; field: string; position: FieldRefPosition; cased: boolean }
  | { type: 'exists'; value: boolean }
  /** Numeric comparison of the field (a JSON number or a decimal string) with `value`. */
  | { type: 'compare'; op: CompareOp; value: number }
  /** Extract a part of a date string, then compare it numerically (`op` 'eq' for plain equality). */
  | { type: 'timepart'; part: TimePart; op: CompareOp | 'eq'; value: number }
  /**
   * Several values from one rule value (windash dashes, base64offset shifts, expand placeholders): always OR-ed,
   * even inside an `|all` list.
   */
  | { type: 'expansion'; values: SigmaValue[] };

export type SigmaValueType = SigmaValue['type'];

/** Canonical decimal text of a rule number: what it equals in an event's string form. */
export function numberText(value: number, source?: string): string {
  if (!Number.isSafeInteger(value) && source !== undefined && /^[+-]?[0-9]+$/.test(source)) {
    return source.replace(/^\+/, '');
  }
  return String(value);
}
