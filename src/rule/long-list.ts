/**
 * Items with a long list of values (not `all`) are explained as one test, "one of the item's values", by provenance
 * in the reference (src/eval/provenance.ts) and in the VM's explain table (src/compiler/compile.ts) alike: the event
 * values that satisfy it are listed in the event's order, not value by value in the rule's. A test per value would
 * make every compiled program hold a predicate per value of every long list (a 100,000-value list: 100,000 more).
 * The rule goes by the number of values, so a list reads the same whether it is held packed (string-list.ts,
 * regex-list.ts: every packed list is this long) or value by value.
 */
import { MIN_PACKED_LENGTH } from './array-view.js';
import type { SigmaValue } from './values.js';

export function isLongList(item: { values: readonly SigmaValue[]; all: boolean }): boolean {
  return !item.all && item.values.length >= MIN_PACKED_LENGTH;
}
