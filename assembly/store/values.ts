// The per-event value store: what the JSON scanner (bytes path) or the record decoder (objects path) extracted for
// each referenced field slot, read by the predicates. Lives entirely in caller-provided linear memory; nothing is
// allocated and nothing is cleared between events: slot records are generation-stamped, so an event starts with
// one increment.
//
// Each slot has two banks: BANK_FLAT (the event as written) and BANK_EVTX_JSON (the evtx_dump flattening); the scanner
// fills both while it reads, and the event's shape, known only at its end, picks the bank the predicates read.
//
// Recording rule (tiers, DESIGN.md "Field resolution"): a value arriving at a lower tier than the slot holds
// replaces what the slot holds; the same tier appends (array elements, paths through arrays, same-tier merges);
// a higher tier is ignored.

// ---- value kinds ----
@inline export const KIND_STRING: u32 = 1;
@inline export const KIND_NUMBER: u32 = 2;
@inline export const KIND_TRUE: u32 = 3;
@inline export const KIND_FALSE: u32 = 4;
@inline export const KIND_NULL: u32 = 5;
/** An object (or, in the objects path, any non-scalar): present, not null, no string form. */
@inline export const KIND_OBJECT: u32 = 6;

@inline export const BANK_FLAT: u32 = 0;
@inline export const BANK_EVTX_JSON: u32 = 1;
@inline export const BANK_COUNT: u32 = 2;

/** Sentinel for "no value" in linked lists and "not yet folded" lengths. */
@inline export const NONE: u32 = 0xffffffff;

// ---- slot record layout (per slot and bank) ----
@inline const SLOT_GEN: usize = 0;
@inline const SLOT_TIER: usize = 4;
@inline const SLOT_HEAD: usize = 8;
@inline const SLOT_TAIL: usize = 12;
@inline const SLOT_COUNT: usize = 16;
@inline export const SLOT_RECORD_BYTES: usize = 20;

// ---- value record layout ----
@inline const VALUE_NEXT: usize = 0;
@inline const VALUE_KIND: usize = 4;
@inline const VALUE_RAW_PTR: usize = 8;
@inline const VALUE_RAW_LEN: usize = 12;
@inline const VALUE_FOLD_PTR: usize = 16;
@inline const VALUE_FOLD_LEN: usize = 20;
@inline export const VALUE_RECORD_BYTES: usize = 24;

// ---- store state (globals: one store per instance) ----
let slotTable: usize = 0;
let slotCount: u32 = 0;
let valueTable: usize = 0;
let valueCapacity: u32 = 0;
let valueCount: u32 = 0;
let arenaBase: usize = 0;
let arenaEnd: usize = 0;
let arenaTop: usize = 0;
let generation: u32 = 0;
let readBank: u32 = BANK_FLAT;
/** Per bank, the slots claimed this event in order (candidate selection visits only those); 0: not kept (the JSON
 * test harness of assembly/test). */
let presentBase: usize = 0;
let presentFlat: u32 = 0;
let presentEvtx: u32 = 0;

/** Bytes of slot table needed for `slots` slots (both banks). */
export function slotTableBytes(slots: u32): usize {
  return <usize>slots * <usize>BANK_COUNT * SLOT_RECORD_BYTES;
}

/**
 * Attach the store to memory regions laid out by the host. The slot table must be zeroed by the host on first use
 * (fresh WASM memory is zero); after that, generations make clearing unnecessary.
 */
export function storeAttach(slots: usize, nSlots: u32, values: usize, valueCap: u32, arena: usize, arenaBytes: u32): void {
  slotTable = slots;
  slotCount = nSlots;
  valueTable = values;
  valueCapacity = valueCap;
  arenaBase = arena;
  arenaEnd = arena + <usize>arenaBytes;
  arenaTop = arena;
}

/** Bytes of the present-slot lists for `slots` slots (both banks). */
export function presentListBytes(slots: u32): usize {
  return <usize>slots * <usize>BANK_COUNT * 4;
}

/** Keep the present-slot lists at ptr (presentListBytes of scratch; call after storeAttach). */
export function storeAttachPresentList(ptr: usize): void {
  presentBase = ptr;
  presentFlat = 0;
  presentEvtx = 0;
}

/** Start a new event: every slot becomes absent, the value table and arena empty. */
export function storeBeginEvent(): void {
  generation++;
  if (generation == 0) {
    // Wrapped after 2^32 events: stale stamps could now look current, so clear once.
    memory.fill(slotTable, 0, slotTableBytes(slotCount));
    generation = 1;
  }
  valueCount = 0;
  presentFlat = 0;
  presentEvtx = 0;
  arenaTop = arenaBase;
  readBank = BANK_FLAT;
}

/** Choose which bank the predicates read for this event (after the scanner has seen the whole event). */
export function storeSelectBank(bank: u32): void {
  readBank = bank;
}

/** The bank the predicates read for this event. */
export function storeReadBank(): u32 {
  return readBank;
}

export function storeSlotCount(): u32 {
  return slotCount;
}

@inline function slotRecord(bank: u32, slot: u32): usize {
  return slotTable + (<usize>slot * <usize>BANK_COUNT + <usize>bank) * SLOT_RECORD_BYTES;
}

@inline function valueRecord(index: u32): usize {
  return valueTable + <usize>index * VALUE_RECORD_BYTES;
}

/** Allocate `len` bytes of arena for this event; 0 when the arena is full (the caller reports STATUS_ARENA_FULL). */
export function arenaAlloc(len: u32): usize {
  let p = arenaTop;
  let next = p + <usize>len;
  if (next > arenaEnd) return 0;
  arenaTop = next;
  return p;
}

/** Arena bytes and value records this event holds so far (what an event that did not fit needed up to here). */
export function arenaUsed(): usize {
  return arenaTop - arenaBase;
}

export function valuesUsed(): u32 {
  return valueCount;
}

/** Give back the last allocation's unused tail (after decoding into a worst-case-sized buffer). */
export function arenaShrinkTo(end: usize): void {
  if (end >= arenaBase && end <= arenaTop) arenaTop = end;
}

/** The end of the last allocation: successive allocations are contiguous from here. */
export function arenaEndOfLast(): usize {
  return arenaTop;
}

/** Apply the tier rule; returns the slot record ready for an append, or 0 when the value is to be ignored. */
function claim(bank: u32, slot: u32, tier: u32): usize {
  let rec = slotRecord(bank, slot);
  let fresh = load<u32>(rec, SLOT_GEN) != generation;
  if (fresh && presentBase != 0) {
    if (bank == BANK_FLAT) {
      store<u32>(presentBase + (<usize>presentFlat << 2), slot);
      presentFlat++;
    } else {
      store<u32>(presentBase + ((<usize>slotCount + <usize>presentEvtx) << 2), slot);
      presentEvtx++;
    }
  }
  if (fresh || tier < load<u32>(rec, SLOT_TIER)) {
    store<u32>(rec, generation, SLOT_GEN);
    store<u32>(rec, tier, SLOT_TIER);
    store<u32>(rec, NONE, SLOT_HEAD);
    store<u32>(rec, NONE, SLOT_TAIL);
    store<u32>(rec, 0, SLOT_COUNT);
    return rec;
  }
  return tier == load<u32>(rec, SLOT_TIER) ? rec : 0;
}

/** The slot exists in the event (an empty array, say) even if no value follows. Returns false when ignored. */
export function storeMarkPresent(bank: u32, slot: u32, tier: u32): bool {
  return claim(bank, slot, tier) != 0;
}

/**
 * Record one value for a slot. `ptr`/`len` are its string form in UTF-8 (valid, already unescaped); for KIND_NULL
 * and KIND_OBJECT they are ignored. Returns false only when the value table is full (STATUS_ARENA_FULL).
 */
export function storeRecord(bank: u32, slot: u32, tier: u32, kind: u32, ptr: usize, len: u32): bool {
  let rec = claim(bank, slot, tier);
  if (rec == 0) return true;
  if (valueCount >= valueCapacity) return false;
  let index = valueCount++;
  let v = valueRecord(index);
  store<u32>(v, NONE, VALUE_NEXT);
  store<u32>(v, kind, VALUE_KIND);
  store<u32>(v, <u32>ptr, VALUE_RAW_PTR);
  store<u32>(v, len, VALUE_RAW_LEN);
  store<u32>(v, 0, VALUE_FOLD_PTR);
  store<u32>(v, NONE, VALUE_FOLD_LEN);
  let tail = load<u32>(rec, SLOT_TAIL);
  if (tail == NONE) store<u32>(rec, index, SLOT_HEAD);
  else store<u32>(valueRecord(tail), index, VALUE_NEXT);
  store<u32>(rec, index, SLOT_TAIL);
  store<u32>(rec, load<u32>(rec, SLOT_COUNT) + 1, SLOT_COUNT);
  return true;
}

// ---- read side (predicates) ----

/** Slots present in the current event (in the selected bank), in the order they were first given a value (the VM
 * keeps the lists: storeAttachPresentList). */
export function presentSlotCount(): u32 {
  return readBank == BANK_FLAT ? presentFlat : presentEvtx;
}

@inline export function presentSlotAt(i: u32): u32 {
  return load<u32>(presentBase + ((readBank == BANK_FLAT ? <usize>i : <usize>slotCount + <usize>i) << 2));
}

/** Is the slot present in the current event (in the selected bank)? */
export function slotPresent(slot: u32): bool {
  return load<u32>(slotRecord(readBank, slot), SLOT_GEN) == generation;
}

/** First value index of the slot, or NONE. */
export function slotFirst(slot: u32): u32 {
  let rec = slotRecord(readBank, slot);
  return load<u32>(rec, SLOT_GEN) == generation ? load<u32>(rec, SLOT_HEAD) : NONE;
}

export function slotValueCount(slot: u32): u32 {
  let rec = slotRecord(readBank, slot);
  return load<u32>(rec, SLOT_GEN) == generation ? load<u32>(rec, SLOT_COUNT) : 0;
}

@inline export function valueNext(index: u32): u32 {
  return load<u32>(valueRecord(index), VALUE_NEXT);
}

@inline export function valueKind(index: u32): u32 {
  return load<u32>(valueRecord(index), VALUE_KIND);
}

@inline export function valueRawPtr(index: u32): usize {
  return <usize>load<u32>(valueRecord(index), VALUE_RAW_PTR);
}

@inline export function valueRawLen(index: u32): u32 {
  return load<u32>(valueRecord(index), VALUE_RAW_LEN);
}

/** Does the value have a string form (string, number, boolean)? */
@inline export function valueHasText(index: u32): bool {
  let k = valueKind(index);
  return k >= KIND_STRING && k <= KIND_FALSE;
}

/** The folded copy's pointer, if computed; see valueFoldedLen. */
@inline export function valueFoldPtr(index: u32): usize {
  return <usize>load<u32>(valueRecord(index), VALUE_FOLD_PTR);
}

/** Length of the folded copy, or NONE when it has not been computed for this event yet. */
@inline export function valueFoldLen(index: u32): u32 {
  return load<u32>(valueRecord(index), VALUE_FOLD_LEN);
}

/** Remember a value's folded copy (computed lazily by the predicates the first time one needs it). */
@inline export function valueSetFolded(index: u32, ptr: usize, len: u32): void {
  let v = valueRecord(index);
  store<u32>(v, <u32>ptr, VALUE_FOLD_PTR);
  store<u32>(v, len, VALUE_FOLD_LEN);
}
