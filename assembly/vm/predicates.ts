// Predicates: one test of one slot's values, the unit the compiler deduplicates across rules. A predicate is true
// when any value of the slot satisfies it (arrays match per element), except the presence tests (null, exists).
// Case-insensitive tests read each value's folded copy, computed lazily here the first time one is needed.
import { cidrContains } from '../match/cidr';
import { NOT_A_DATE, timePart } from '../match/date';
import { globMatch } from '../match/glob';
import { literalSetMatch } from '../match/literal-set';
import { parseDecimal } from '../match/number';
import { bytesEqual, endsWith, indexOf, startsWith } from '../match/search';
import { regexSearch } from '../regex/pike';
import { KIND_NULL, NONE, slotFirst, slotPresent, valueHasText, valueKind, valueNext } from '../store/values';
import { textLen, textPtr, valueText } from './text';
import {
  CMP_EQ, CMP_GT, CMP_GTE, CMP_LT, CMP_LTE, FIELDREF_CONTAINS, FIELDREF_EQUALS, FIELDREF_STARTSWITH,
  OPCODE_MASK, P_CIDR, P_LITERAL_SET, P_COMPARE, P_CONTAINS, P_EQUALS, P_EXISTS, P_FIELDREF, P_GLOB, P_NULL, P_PREFIX, P_REGEX,
  P_SUFFIX, P_TIMEPART, P_WORD_OPERAND, P_WORD_OPERAND_LEN, P_WORD_SLOT, PF_CASED, PF_PREFILTERED,
} from './format';
import { constantsBase, keywordSlot, predicateRecord } from './program';
import { ensureKeywordLeaves, keywordMayHold } from './keywords';
import { predicateMayHold } from './prefilter';

@inline const FLAGS_SHIFT: u32 = 8;
@inline const FLAGS_MASK: u32 = 0xff;
@inline const ARGUMENT_SHIFT: u32 = 16;
@inline const TIME_PART_MASK: u32 = 0xf;
@inline const TIME_COMPARE_SHIFT: u32 = 4;

/** `F: null` also matches an absent F (set per call from the context flags). */
export let nullMatchesAbsent: bool = true;

export function setNullMatchesAbsent(value: bool): void {
  nullMatchesAbsent = value;
}

/**
 * Provenance (assembly/vm/provenance.ts): when not NONE, predicates read only this value of their slot, as the
 * reference tests one value (`FieldValues(true, [v])`): present, so `exists: true` holds and `null` only for a JSON
 * null. A field reference still reads all of the other slot.
 */
let onlyValue: u32 = NONE;

export function setOnlyValue(v: u32): void {
  onlyValue = v;
}

/** Regex thread lists: sized by the host for the largest regex of the program. */
let regexScratch: usize = 0;

export function setRegexScratch(ptr: usize): void {
  regexScratch = ptr;
}

@inline function compareNumbers(op: u32, a: f64, b: f64): bool {
  if (op == CMP_EQ) return a == b;
  if (op == CMP_GT) return a > b;
  if (op == CMP_GTE) return a >= b;
  if (op == CMP_LT) return a < b;
  if (op == CMP_LTE) return a <= b;
  return false;
}

function fieldRef(slot: u32, otherSlot: u32, position: u32, cased: bool, only: u32): bool {
  for (let a = only != NONE ? only : slotFirst(slot); a != NONE; a = only != NONE ? NONE : valueNext(a)) {
    if (!valueHasText(a) || !valueText(a, cased)) continue;
    let aPtr = textPtr;
    let aLen = textLen;
    for (let b = slotFirst(otherSlot); b != NONE; b = valueNext(b)) {
      if (!valueHasText(b) || !valueText(b, cased)) continue;
      let hit: bool;
      if (position == FIELDREF_EQUALS) hit = aLen == textLen && bytesEqual(aPtr, textPtr, aLen);
      else if (position == FIELDREF_CONTAINS) hit = indexOf(aPtr, aLen, textPtr, textLen, 0) >= 0;
      else if (position == FIELDREF_STARTSWITH) hit = startsWith(aPtr, aLen, textPtr, textLen);
      else hit = endsWith(aPtr, aLen, textPtr, textLen);
      if (hit) return true;
    }
  }
  return false;
}

/** Evaluate predicate `p` for the current event. May abort the evaluation (arena full, keyword fallback). */
export function evaluatePredicate(p: u32): bool {
  let rec = predicateRecord(p);
  let head = load<u32>(rec);
  let op = head & OPCODE_MASK;
  let flags = (head >> FLAGS_SHIFT) & FLAGS_MASK;
  let argument = head >> ARGUMENT_SHIFT;
  let slot = load<u32>(rec, P_WORD_SLOT << 2);
  let operand = constantsBase + <usize>load<u32>(rec, P_WORD_OPERAND << 2);
  let operandLen = load<u32>(rec, P_WORD_OPERAND_LEN << 2);
  let cased = (flags & PF_CASED) != 0;
  // The prefilter saw none of this predicate's atoms in the event: no value can satisfy it.
  if ((flags & PF_PREFILTERED) != 0 && !(slot == keywordSlot ? keywordMayHold(p) : predicateMayHold(p))) return false;

  if (slot == keywordSlot && !ensureKeywordLeaves()) return false;

  let only = onlyValue;
  if (op == P_EXISTS) return (only != NONE || slotPresent(slot)) == (argument != 0);
  if (op == P_NULL) {
    if (only != NONE) return valueKind(only) == KIND_NULL;
    if (!slotPresent(slot)) return nullMatchesAbsent;
    for (let v = slotFirst(slot); v != NONE; v = valueNext(v)) if (valueKind(v) == KIND_NULL) return true;
    return false;
  }
  if (op == P_FIELDREF) return fieldRef(slot, operandLen, argument, cased, only);

  for (let v = only != NONE ? only : slotFirst(slot); v != NONE; v = only != NONE ? NONE : valueNext(v)) {
    if (!valueHasText(v)) continue;
    if (!valueText(v, cased)) return false;
    let hit = false;
    switch (op) {
      case P_EQUALS:
        hit = textLen == operandLen && bytesEqual(textPtr, operand, operandLen);
        break;
      case P_PREFIX:
        hit = startsWith(textPtr, textLen, operand, operandLen);
        break;
      case P_SUFFIX:
        hit = endsWith(textPtr, textLen, operand, operandLen);
        break;
      case P_CONTAINS:
        hit = indexOf(textPtr, textLen, operand, operandLen, 0) >= 0;
        break;
      case P_GLOB:
        hit = globMatch(operand, textPtr, textLen);
        break;
      case P_LITERAL_SET:
        hit = literalSetMatch(operand, textPtr, textLen);
        break;
      case P_REGEX:
        hit = regexSearch(operand, textPtr, textLen, regexScratch);
        break;
      case P_CIDR:
        hit = cidrContains(operand, textPtr, textLen);
        break;
      case P_COMPARE: {
        let n = parseDecimal(textPtr, textLen);
        hit = !isNaN(n) && compareNumbers(argument, n, load<f64>(operand));
        break;
      }
      case P_TIMEPART: {
        let part = timePart(textPtr, textLen, argument & TIME_PART_MASK);
        hit = part != NOT_A_DATE && compareNumbers(argument >> TIME_COMPARE_SHIFT, <f64>part, load<f64>(operand));
        break;
      }
      default:
        hit = false;
    }
    if (hit) return true;
  }
  return false;
}
