// A record (its template's skeleton and its substitution values) into the value store, as the flat view Sigma rules
// read: the JSON object evtx_dump writes for it (src/input/evtx/render.ts) read through the evtx mapping
// (src/input/evtx-json.ts, DESIGN.md "evtx-json shape"), without building either. System children are members at
// tier 0 (their attributes `K_Y` at 1), EventData's at 2 and 3, the children of UserData's elements at 4 and 5.
//
// In keyword mode the same walk records every value the mapping reads (shadowed ones included) into the keyword
// slot instead. Whatever the walk does not cover exactly (repeated names that evtx_dump would suffix, `Data` with
// child elements, names that start with `#`, Data names from substitutions, events not in evtx shape) sets
// `hostNeeded`: the record goes to the host's reference decoder, and the event is evaluated there.
import {
  BANK_EVTX_JSON, KIND_FALSE, KIND_NULL, KIND_NUMBER, KIND_STRING, KIND_TRUE, arenaAlloc, arenaEndOfLast, arenaShrinkTo,
  storeRecord,
} from '../store/values';
import { FNV_OFFSET, NO_NODE, NO_SLOT, ROOT, findChild, fnv, lookupJoined, nodeSlot } from '../json/trie';
import { nodeIsOwner } from '../json/scratch';
import * as F from './format';
import { NAME_DATA, NAME_EVENT, NAME_EVENTDATA, NAME_SYSTEM, NAME_USERDATA, nameEntry, nameFlags, nameLength, nameNode, nameText } from './names';
import {
  ATTR_ONE_SUBST, ATTR_STATIC_TEXT, EL_ATTR_NAMES_DISTINCT, EL_ONE_SUBST, EL_DATA_CHILD, EL_DATA_NAMES_DISTINCT, EL_DATA_NAMES_STATIC,
  EL_ELEMENT_CHILD, EL_HASH_NAMES, EL_NAMES_DISTINCT, EL_OTHER_NAMES_DISTINCT, EL_STATIC_TEXT, EL_SUBST_CHILD, K_CHARREF,
  K_ELEMENT, K_ENTREF, K_PI, K_SUBST, K_TEXT, NONE, N_A, N_B, N_C, N_D, N_E, N_F, N_NEXT, kindOf, nameAttribute, node,
} from './skeleton';
import { chunkBase } from './region';
import { contextValue } from './record';
import { UTF8_PER_UNIT, utf16ToUtf8 } from './utf16';
import {
  V_CONTEXT, V_ROOT, boolText, boolTextLength, integerIsExact, valueBool, valueEmpty, valueIsFormatted, valueIsScalar, valueIsString,
  valueText, valueTextBound, valueType,
} from './values';

@inline const TIER_SYSTEM: u32 = 0;
@inline const TIER_DATA: u32 = 2;
@inline const TIER_USERDATA: u32 = 4;
@inline const ATTRIBUTE_TIER_OFFSET: u32 = 1;
@inline const TIER_KEYWORDS: u32 = 0;
/** Child names evtx_dump tracks for `_N` suffixes; with more children the walk leaves the record to the host. */
@inline const MAX_TRACKED_NAMES: u32 = 64;

// Shape of an element's JSON value (render.ts elementValue).
@inline const SHAPE_ELEMENTS: u32 = 1;
@inline const SHAPE_TEXT: u32 = 2;
@inline const SHAPE_ATTR_TEXT: u32 = 4;
/** An object (child elements or an attribute with text): `#text`, `#attributes` and children. */
@inline const SHAPE_OBJECT: u32 = SHAPE_ELEMENTS | SHAPE_ATTR_TEXT;

// Key cache of a `Name` text node (N_C node + 1, N_D alias node + 1, N_E hash, N_F flags).
@inline const KEY_DONE: u32 = 1;
@inline const KEY_HAS_SPACE: u32 = 2;
@inline const KEY_HASH_SIGN: u32 = 4;
@inline const CH_SPACE: u8 = 0x20;
@inline const CH_HASH: u8 = 0x23;
@inline const CH_AMP: u8 = 0x26;
@inline const CH_SEMI: u8 = 0x3b;
@inline const CH_POUND: u8 = 0x23;
@inline const CH_BACKSLASH: u8 = 0x5c;
@inline const CH_QUOTE: u8 = 0x22;
/** "&#65535;" */
@inline const CHARREF_MAX: u32 = 8;

const TEXT_KEY = memory.data<u8>([0x23, 0x74, 0x65, 0x78, 0x74]); // "#text"
@inline const TEXT_KEY_BYTES: u32 = 5;

// ---- the record at hand: its root element (in context 0, the record's own template instance) ----
let root: u32 = NONE;
/** Keyword mode: every value into this slot of this bank (or, raw, into one text: flatRawLeaves). */
let keywords: bool = false;
let raw: bool = false;
/** The leaves' raw text (flatRawLeaves): [rawStart, rawEnd) of the arena. */
export let rawStart: usize = 0;
export let rawEnd: usize = 0;
let keywordSlot: u32 = 0;
let keywordBank: u32 = 0;
/**
 * Leaves in passing (flatSetLeavesInPassing): the fill renders every leaf, wanted by a slot or not, each followed by
 * a `"`, so that [passStart, passEnd) of the arena holds them all, unescaped, for the every-event keyword scan.
 */
let passingWanted: bool = false;
let passing: bool = false;
/** Leaves in passing may leave out a formatted value no field reads (flatSetLeavesInPassing). */
let skipFormattedWanted: bool = false;
let skipFormatted: bool = false;
export let passStart: usize = 0;
export let passEnd: usize = 0;
/** The record needs the host's reference decoder. */
export let hostNeeded: bool = false;
/** The arena or value table is full: bytes wanted (0 when not). */
export let arenaNeed: u32 = 0;
/** Trie node of the `#text` key, looked up once per call. */
let textKeyNode: u32 = NO_NODE;
let textKeyLooked: bool = false;

export function flatAttach(): void {
  textKeyLooked = false;
}

/** The record's root element (record.ts readRecordInstance read it and its contexts). */
export function flatSetRecord(rootElement: u32): void {
  root = rootElement;
}

/** The root element of the record at hand. */
export function flatRecord(): u32 {
  return root;
}

@inline function host(): bool {
  hostNeeded = true;
  return false;
}

@inline function textKey(): u32 {
  if (!textKeyLooked) {
    textKeyNode = findChild(ROOT, TEXT_KEY, TEXT_KEY_BYTES);
    textKeyLooked = true;
  }
  return textKeyNode;
}

// ---- node facts for this record ----

/**
 * The value a substitution node puts in the record's tree, or 0 when it puts none (no such value, an optional
 * one that is empty, an empty binary XML value). A binary XML value puts an element (asElement), not a value.
 */
@inline function substValue(n: u32, ctx: u32): usize {
  let v = contextValue(ctx, load<u32>(node(n), N_A));
  if (v == 0) return 0;
  if ((load<u32>(node(n), N_B) != 0 || valueType(v) == F.TYPE_BINXML) && valueEmpty(v)) return 0;
  return v;
}

/** A substitution holding an element (a binary XML value)? */
@inline function isElementValue(v: usize): bool {
  return v != 0 && valueType(v) == F.TYPE_BINXML;
}

/** The element child node `c` is in the tree (itself, or the element of a binary XML value, whose context is
 * elementContext), or NONE when it is not an element. */
let elementContext: u32 = 0;
function asElement(c: u32, ctx: u32): u32 {
  let k = kindOf(c);
  if (k == K_ELEMENT) {
    elementContext = ctx;
    return c;
  }
  if (k != K_SUBST) return NONE;
  let v = substValue(c, ctx);
  if (!isElementValue(v)) return NONE;
  elementContext = load<u32>(v, V_CONTEXT);
  return load<u32>(v, V_ROOT);
}

/** Does the element have children from binary XML values (which its static facts do not cover)? */
function hasValueElements(el: u32, ctx: u32): bool {
  if ((load<u32>(node(el), N_D) & EL_SUBST_CHILD) == 0) return false;
  for (let c = load<u32>(node(el), N_C); c != NONE; c = load<u32>(node(c), N_NEXT)) {
    if (kindOf(c) == K_SUBST && isElementValue(substValue(c, ctx))) return true;
  }
  return false;
}

/** A node with text (render.ts hasText, for one node). */
function nodeHasText(n: u32, ctx: u32): bool {
  let k = kindOf(n);
  if (k == K_TEXT) return load<u32>(node(n), N_B) != 0;
  if (k == K_SUBST) {
    let v = substValue(n, ctx);
    return v != 0 && !isElementValue(v) && !valueEmpty(v);
  }
  return k == K_CHARREF || k == K_ENTREF;
}

function anyText(first: u32, ctx: u32): bool {
  for (let n = first; n != NONE; n = load<u32>(node(n), N_NEXT)) if (nodeHasText(n, ctx)) return true;
  return false;
}

function attrHasText(a: u32, ctx: u32): bool {
  return (load<u32>(node(a), N_C) & ATTR_STATIC_TEXT) != 0 || anyText(load<u32>(node(a), N_B), ctx);
}

function shapeOf(el: u32, ctx: u32): u32 {
  let p = node(el);
  let flags = load<u32>(p, N_D);
  let s: u32 = 0;
  if ((flags & EL_ELEMENT_CHILD) != 0 || hasValueElements(el, ctx)) s |= SHAPE_ELEMENTS;
  if ((flags & EL_STATIC_TEXT) != 0 || ((flags & EL_SUBST_CHILD) != 0 && anyText(load<u32>(p, N_C), ctx))) s |= SHAPE_TEXT;
  for (let a = load<u32>(p, N_B); a != NONE; a = load<u32>(node(a), N_NEXT)) {
    if (attrHasText(a, ctx)) {
      s |= SHAPE_ATTR_TEXT;
      break;
    }
  }
  return s;
}

// ---- rendering content into the arena ----
let outPtr: usize = 0;
let outLen: u32 = 0;
let outKind: u32 = 0;

/** The arena or the value table is full (bytes: what the arena must take; 0 for the value table). */
function arenaFull(bytes: u32): bool {
  arenaNeed = bytes == 0 ? 1 : bytes;
  return false;
}

/** A lone integer or boolean value as its JSON number or boolean. */
function renderScalar(v: usize): bool {
  if (valueType(v) == F.TYPE_BOOL) {
    let b = valueBool(v);
    outPtr = boolText(b);
    outLen = boolTextLength(b);
    outKind = b ? KIND_TRUE : KIND_FALSE;
    return true;
  }
  // JSON.parse reads a 64-bit integer's digits as the nearest double: beyond 2^53 the host prints that double.
  if (!integerIsExact(v)) return host();
  let bound = valueTextBound(v);
  let p = arenaAlloc(bound);
  if (p == 0) return arenaFull(bound);
  outLen = valueText(v, p);
  arenaShrinkTo(p + <usize>outLen);
  outPtr = p;
  outKind = KIND_NUMBER;
  return true;
}

/** The text of the nodes from `first` (render.ts textOf: elements and processing instructions give nothing). */
function renderText(first: u32, ctx: u32): bool {
  let bound: u32 = 0;
  for (let n = first; n != NONE; n = load<u32>(node(n), N_NEXT)) {
    let k = kindOf(n);
    if (k == K_TEXT) bound += load<u32>(node(n), N_B) * UTF8_PER_UNIT;
    else if (k == K_SUBST) {
      let v = substValue(n, ctx);
      if (v != 0 && !isElementValue(v)) bound += valueTextBound(v);
    } else if (k == K_CHARREF) bound += CHARREF_MAX;
    else if (k == K_ENTREF) bound += nameLength(load<u32>(node(n), N_A)) + 2;
  }
  outKind = KIND_STRING;
  outLen = 0;
  if (bound == 0) {
    outPtr = TEXT_KEY; // any valid address: the length is 0
    return true;
  }
  let start = arenaAlloc(bound);
  if (start == 0) return arenaFull(bound);
  let out = start;
  for (let n = first; n != NONE; n = load<u32>(node(n), N_NEXT)) {
    let k = kindOf(n);
    if (k == K_TEXT) {
      out += <usize>utf16ToUtf8(chunkBase + <usize>load<u32>(node(n), N_A), load<u32>(node(n), N_B), out);
    } else if (k == K_SUBST) {
      let v = substValue(n, ctx);
      if (v != 0 && !isElementValue(v)) out += <usize>valueText(v, out);
    } else if (k == K_CHARREF) {
      store<u8>(out++, CH_AMP);
      store<u8>(out++, CH_POUND);
      let code = load<u32>(node(n), N_A);
      let digits: u32 = 1;
      for (let t = code / 10; t != 0; t /= 10) digits++;
      for (let i: u32 = 0; i < digits; i++) {
        store<u8>(out + <usize>(digits - 1 - i), <u8>(0x30 + code % 10));
        code /= 10;
      }
      out += <usize>digits;
      store<u8>(out++, CH_SEMI);
    } else if (k == K_ENTREF) {
      let e = load<u32>(node(n), N_A);
      store<u8>(out++, CH_AMP);
      memory.copy(out, nameText(e), <usize>nameLength(e));
      out += <usize>nameLength(e);
      store<u8>(out++, CH_SEMI);
    }
  }
  outPtr = start;
  outLen = <u32>(out - start);
  arenaShrinkTo(out);
  return true;
}

/** An element's (or attribute's) content as its JSON value (render.ts contentValue): a lone integer or boolean
 * value is a number or boolean, anything else text. */
function renderContent(first: u32, ctx: u32): bool {
  let single: u32 = NONE;
  let count: u32 = 0;
  for (let n = first; n != NONE; n = load<u32>(node(n), N_NEXT)) {
    if (kindOf(n) == K_SUBST && substValue(n, ctx) == 0) continue; // not in the tree
    count++;
    single = n;
  }
  if (count == 1 && kindOf(single) == K_SUBST) {
    let v = substValue(single, ctx);
    if (valueIsScalar(valueType(v))) return renderScalar(v);
  }
  return renderText(first, ctx);
}

/** `#text` of an element that has child elements (render.ts textBesideElements). */
function renderTextBesideElements(first: u32, ctx: u32): bool {
  let single: usize = 0;
  let numeric = true;
  for (let n = first; n != NONE; n = load<u32>(node(n), N_NEXT)) {
    let k = kindOf(n);
    if (k == K_ELEMENT || k == K_PI) continue;
    if (k == K_TEXT) {
      if (load<u32>(node(n), N_B) != 0) numeric = false;
    } else if (k == K_SUBST) {
      let v = substValue(n, ctx);
      if (v == 0 || isElementValue(v)) continue;
      if (valueIsString(valueType(v))) {
        // A string value is a text node.
        if (!valueEmpty(v)) numeric = false;
        continue;
      }
      if (valueEmpty(v)) continue;
      if (single != 0) numeric = false;
      single = v;
    } else numeric = false;
  }
  if (numeric && single != 0 && valueIsScalar(valueType(single))) return renderScalar(single);
  return renderText(first, ctx);
}

// ---- assignments (readEvtxJson's assign) ----

/** The slot a key's trie node gives (NO_SLOT when none). */
@inline function slotOf(keyNode: u32): u32 {
  return keyNode == NO_NODE ? NO_SLOT : nodeSlot(keyNode);
}

/** Backslashes and quotes in [p, p + len): sixteen bytes at a time. */
function countSpecials(p: usize, len: u32): u32 {
  let n: u32 = 0;
  let i: u32 = 0;
  let backslash = i8x16.splat(<i8>CH_BACKSLASH);
  let quote = i8x16.splat(<i8>CH_QUOTE);
  while (i + 16 <= len) {
    let v = v128.load(p + <usize>i);
    n += <u32>popcnt(i8x16.bitmask(v128.or(i8x16.eq(v, backslash), i8x16.eq(v, quote))));
    i += 16;
  }
  for (; i < len; i++) {
    let b = load<u8>(p + <usize>i);
    if (b == CH_BACKSLASH || b == CH_QUOTE) n++;
  }
  return n;
}

/**
 * Raw mode: the rendered value (the arena's last allocation) is escaped in place as JSON escapes it (`\\`, `\"`:
 * the raw keyword tables hold atoms escaped alike) and followed by a `"`, so the leaves read as JSON strings do.
 */
function appendRaw(): bool {
  if (outLen == 0 || outPtr + <usize>outLen != arenaEndOfLast()) return true; // empty, or static (booleans)
  let specials = countSpecials(outPtr, outLen);
  if (arenaAlloc(specials + 1) == 0) return arenaFull(outLen + specials + 1);
  let src = outPtr + <usize>outLen;
  let dst = src + <usize>specials;
  store<u8>(dst, CH_QUOTE);
  while (specials > 0) {
    src--;
    dst--;
    let b = load<u8>(src);
    store<u8>(dst, b);
    if (b == CH_BACKSLASH || b == CH_QUOTE) {
      dst--;
      store<u8>(dst, CH_BACKSLASH);
      specials--;
    }
  }
  return true;
}

/**
 * Leaves in passing: a `"` after the rendered value (out*), when it is a leaf in the arena's last allocation (an
 * empty value or a static text is not; nor is a value put a second time, under its alias).
 */
function appendSeparator(): bool {
  if (outKind != KIND_STRING && outKind != KIND_NUMBER) return true;
  if (outLen == 0 || outPtr + <usize>outLen != arenaEndOfLast()) return true;
  let p = arenaAlloc(1);
  if (p == 0) return arenaFull(1);
  store<u8>(p, CH_QUOTE);
  return true;
}

/** Record the rendered value (out*) for a key: into its slot, or in keyword mode into the keyword slot. */
function put(slot: u32, tier: u32): bool {
  if (keywords) {
    if (outKind != KIND_STRING && outKind != KIND_NUMBER) return true;
    if (raw) return appendRaw();
    if (!storeRecord(keywordBank, keywordSlot, TIER_KEYWORDS, outKind, outPtr, outLen)) return arenaFull(0);
    return true;
  }
  if (slot != NO_SLOT && !storeRecord(BANK_EVTX_JSON, slot, tier, outKind, outPtr, outLen)) return arenaFull(0);
  return !passing || appendSeparator();
}

/** Is the key worth a value in this mode? */
@inline function wanted(slot: u32): bool {
  return keywords || passing || slot != NO_SLOT;
}

function assignNull(keyNode: u32, tier: u32): bool {
  let slot = slotOf(keyNode);
  if (keywords || slot == NO_SLOT) return true;
  outKind = KIND_NULL;
  outPtr = 0;
  outLen = 0;
  return put(slot, tier);
}

/** readEvtxJson's member(K, value of element `el`): K (null, text, or an object's `#text`) and its `K_Y`. */
function member(keyNode: u32, keyEntry: usize, el: u32, ctx: u32, tier: u32): bool {
  if (!keywords && !passing && keyNode == NO_NODE) return true; // neither K nor any K_Y is read
  let s = shapeOf(el, ctx);
  if (s == 0) return assignNull(keyNode, tier);
  let p = node(el);
  let first = load<u32>(p, N_C);
  let slot = slotOf(keyNode);
  let flags = load<u32>(p, N_D);
  if ((s & SHAPE_OBJECT) == 0) {
    // Text only: of one substitution (it has text, so renderOneSubst renders it as renderContent does), or any.
    if (!wanted(slot)) return true;
    if ((flags & EL_ONE_SUBST) == 0) return renderContent(first, ctx) && put(slot, tier);
    if (slot == NO_SLOT && formattedLeaf(first, ctx)) return true;
    return renderOneSubst(first, ctx) && put(slot, tier);
  }
  if ((flags & EL_HASH_NAMES) != 0 || hasValueElements(el, ctx)) return host();
  if ((s & SHAPE_TEXT) != 0 && wanted(slot) && !(renderTextBesideElements(first, ctx) && put(slot, tier))) return false;
  if ((s & SHAPE_ATTR_TEXT) == 0) return true;
  if ((flags & EL_ATTR_NAMES_DISTINCT) == 0) return host();
  // No slot reads a `K_Y` unless K's trie node owns children.
  let attrKeys = !keywords && keyNode != NO_NODE && nodeIsOwner(keyNode);
  if (!attrKeys && !keywords && !passing) return true;
  for (let a = load<u32>(p, N_B); a != NONE; a = load<u32>(node(a), N_NEXT)) {
    if (!attrHasText(a, ctx)) continue;
    let attrSlot = attrKeys ? slotOf(attributeKey(a, keyEntry)) : NO_SLOT;
    if (!wanted(attrSlot)) continue;
    let value = load<u32>(node(a), N_B);
    let oneSubst = (load<u32>(node(a), N_C) & ATTR_ONE_SUBST) != 0;
    if (oneSubst && attrSlot == NO_SLOT && formattedLeaf(value, ctx)) continue;
    let rendered = oneSubst ? renderOneSubst(value, ctx) : renderContent(value, ctx);
    if (!(rendered && put(attrSlot, tier + ATTRIBUTE_TIER_OFFSET))) return false;
  }
  return true;
}

/** The trie node of `K_Y` for attribute `a` of a member whose key K has trie entry `owner` (cached in the node). */
function attributeKey(a: u32, owner: usize): u32 {
  let p = node(a);
  if (load<u32>(p, N_D) == <u32>owner && load<u32>(p, N_E) != 0) return load<u32>(p, N_E) - 1;
  let name = load<u32>(p, N_A);
  let found = lookupJoined(owner, nameText(name), nameLength(name));
  store<u32>(p, <u32>owner, N_D);
  store<u32>(p, found + 1, N_E);
  return found;
}

@inline function elementMember(c: u32, ctx: u32, tier: u32): bool {
  let name = load<u32>(node(c), N_A);
  let keyNode = nameNode(name);
  return member(keyNode, nameEntry(name), c, ctx, tier);
}

/** `#text` of an object element as the member `#text` (readEvtxJson reads every key but `#attributes`). */
function textMember(el: u32, ctx: u32, tier: u32): bool {
  let slot = slotOf(textKey());
  if (!wanted(slot)) return true;
  return renderTextBesideElements(load<u32>(node(el), N_C), ctx) && put(slot, tier);
}

/** Members of an object element (System, UserData's elements): its `#text`, then each child element. */
function emitMembers(el: u32, ctx: u32, s: u32, tier: u32): bool {
  let p = node(el);
  let flags = load<u32>(p, N_D);
  if ((flags & EL_HASH_NAMES) != 0 || hasValueElements(el, ctx)) return host();
  if ((s & SHAPE_TEXT) != 0 && !textMember(el, ctx, tier)) return false;
  if ((flags & EL_ELEMENT_CHILD) == 0) return true;
  if ((flags & EL_NAMES_DISTINCT) == 0 || load<u32>(p, N_E) > MAX_TRACKED_NAMES) return host();
  for (let c = load<u32>(p, N_C); c != NONE; c = load<u32>(node(c), N_NEXT)) {
    if (kindOf(c) == K_ELEMENT && !elementMember(c, ctx, tier)) return false;
  }
  return true;
}

// ---- Data in EventData ----

@inline function renderEmptyString(): bool {
  outKind = KIND_STRING;
  outPtr = TEXT_KEY; // any valid address: the length is 0
  outLen = 0;
  return true;
}

/** Does the element hold child elements (its own, or a binary XML value's)? renderData leaves such to the host. */
function holdsElements(d: u32, ctx: u32): bool {
  return (load<u32>(node(d), N_D) & EL_ELEMENT_CHILD) != 0 || hasValueElements(d, ctx);
}

/** A `Data` element's value (render.ts dataValue): "" when it has no text; child elements go to the host. */
function renderData(d: u32, ctx: u32): bool {
  let flags = load<u32>(node(d), N_D);
  let first = load<u32>(node(d), N_C);
  if ((flags & EL_ONE_SUBST) != 0) return renderOneSubst(first, ctx);
  if ((flags & EL_ELEMENT_CHILD) != 0 || hasValueElements(d, ctx)) return host();
  if ((flags & EL_STATIC_TEXT) == 0 && !anyText(first, ctx)) return renderEmptyString();
  return renderContent(first, ctx);
}

/**
 * Content (an element's or an attribute's) that is the one substitution `n`, in one step: as renderData renders it
 * ("" without text, the host's when it holds an element), and so as renderContent renders content that has text.
 */
function renderOneSubst(n: u32, ctx: u32): bool {
  let v = substValue(n, ctx);
  if (v == 0 || valueEmpty(v)) return renderEmptyString();
  let type = valueType(v);
  if (type == F.TYPE_BINXML) return host(); // an element: hasValueElements
  if (valueIsScalar(type)) return renderScalar(v);
  let bound = valueTextBound(v);
  if (bound == 0) return renderEmptyString();
  let p = arenaAlloc(bound);
  if (p == 0) return arenaFull(bound);
  outKind = KIND_STRING;
  outPtr = p;
  outLen = valueText(v, p);
  arenaShrinkTo(p + <usize>outLen);
  return true;
}

/** The key of a `Data` element's `Name` text node (in place): its trie node, cached with its alias and flags (the
 * lookup once per template, the cache read for every record). */
@inline function dataKey(t: u32): u32 {
  if ((load<u32>(node(t), N_F) & KEY_DONE) == 0) lookUpDataKey(t);
  return load<u32>(node(t), N_C) - 1;
}

function lookUpDataKey(t: u32): void {
  let p = node(t);
  let units = load<u32>(p, N_B);
  let bound = units * UTF8_PER_UNIT;
  let text = arenaAlloc(bound * 2);
  if (text == 0) {
    arenaFull(bound * 2);
    return;
  }
  let len = utf16ToUtf8(chunkBase + <usize>load<u32>(p, N_A), units, text);
  let flags: u32 = KEY_DONE;
  if (len > 0 && load<u8>(text) == CH_HASH) flags |= KEY_HASH_SIGN;
  let keyNode = findChild(ROOT, text, len);
  // EventData names with spaces (Windows Defender's `Source Name`) are also read without them (`SourceName`).
  let alias = NO_NODE;
  let bare = text + <usize>bound;
  let bareLen: u32 = 0;
  for (let i: u32 = 0; i < len; i++) {
    let b = load<u8>(text + <usize>i);
    if (b != CH_SPACE) store<u8>(bare + <usize>(bareLen++), b);
  }
  if (bareLen != len) {
    flags |= KEY_HAS_SPACE;
    alias = findChild(ROOT, bare, bareLen);
  }
  arenaShrinkTo(text);
  store<u32>(p, keyNode + 1, N_C);
  store<u32>(p, alias + 1, N_D);
  store<u32>(p, fnv(FNV_OFFSET, text, len), N_E);
  store<u32>(p, flags, N_F);
}

@inline function dataKeyAlias(t: u32): u32 {
  return load<u32>(node(t), N_D) - 1;
}

@inline function dataKeyFlags(t: u32): u32 {
  return load<u32>(node(t), N_F);
}

@inline function isData(c: u32): bool {
  return kindOf(c) == K_ELEMENT && (nameFlags(load<u32>(node(c), N_A)) & NAME_DATA) != 0;
}

/** EventData (tier 2): its `#text`, its `Data` children by name (or all as `Data`), its other children. */
function emitEventData(ed: u32, ctx: u32, tier: u32): bool {
  let s = shapeOf(ed, ctx);
  if ((s & SHAPE_OBJECT) == 0) return true; // not an object: readEvtxJson reads nothing of it
  let p = node(ed);
  let flags = load<u32>(p, N_D);
  if ((flags & EL_HASH_NAMES) != 0 || hasValueElements(ed, ctx)) return host();
  if ((s & SHAPE_TEXT) != 0 && !textMember(ed, ctx, tier)) return false;
  if ((flags & EL_DATA_CHILD) != 0) {
    let named = false;
    for (let c = load<u32>(p, N_C); c != NONE; c = load<u32>(node(c), N_NEXT)) {
      if (!isData(c)) continue;
      let a = nameAttribute(c);
      if (a != NONE && attrHasText(a, ctx)) {
        named = true;
        break;
      }
    }
    if (named) {
      // Names from substitutions, or repeated names (JSON.parse keeps the last), are the host's.
      if ((flags & EL_DATA_NAMES_STATIC) == 0 || (flags & EL_DATA_NAMES_DISTINCT) == 0) return host();
      for (let c = load<u32>(p, N_C); c != NONE; c = load<u32>(node(c), N_NEXT)) {
        if (!isData(c)) continue;
        let a = nameAttribute(c);
        if (a == NONE) continue;
        let t = load<u32>(node(a), N_B);
        if (load<u32>(node(t), N_B) == 0) continue; // an empty name: dropped
        let keyNode = dataKey(t);
        if (arenaNeed != 0) return false;
        if ((dataKeyFlags(t) & KEY_HASH_SIGN) != 0) return host();
        let slot = slotOf(keyNode);
        let alias = (dataKeyFlags(t) & KEY_HAS_SPACE) != 0 && !keywords ? slotOf(dataKeyAlias(t)) : NO_SLOT;
        if (!wanted(slot) && alias == NO_SLOT) {
          if (holdsElements(c, ctx)) return host(); // its members may be read all the same
          continue;
        }
        if (slot == NO_SLOT && alias == NO_SLOT && (load<u32>(node(c), N_D) & EL_ONE_SUBST) != 0 && formattedLeaf(load<u32>(node(c), N_C), ctx)) continue;
        if (!renderData(c, ctx)) return false;
        if (wanted(slot) && !put(slot, tier)) return false;
        if (alias != NO_SLOT && !put(alias, tier)) return false;
      }
    } else {
      let slot: u32 = NO_SLOT;
      let looked = false;
      for (let c = load<u32>(p, N_C); c != NONE; c = load<u32>(node(c), N_NEXT)) {
        if (!isData(c)) continue;
        if (!looked) {
          slot = slotOf(nameNode(load<u32>(node(c), N_A)));
          looked = true;
        }
        if (!wanted(slot)) {
          if (holdsElements(c, ctx)) return host(); // its members may be read all the same
          continue;
        }
        if (slot == NO_SLOT && (load<u32>(node(c), N_D) & EL_ONE_SUBST) != 0 && formattedLeaf(load<u32>(node(c), N_C), ctx)) continue;
        if (!(renderData(c, ctx) && put(slot, tier))) return false;
      }
    }
  }
  // The other children, as members.
  let others = false;
  for (let c = load<u32>(p, N_C); c != NONE; c = load<u32>(node(c), N_NEXT)) {
    if (kindOf(c) == K_ELEMENT && !isData(c)) {
      others = true;
      break;
    }
  }
  if (!others) return true;
  if ((flags & EL_OTHER_NAMES_DISTINCT) == 0 || load<u32>(p, N_E) > MAX_TRACKED_NAMES) return host();
  for (let c = load<u32>(p, N_C); c != NONE; c = load<u32>(node(c), N_NEXT)) {
    if (kindOf(c) == K_ELEMENT && !isData(c) && !elementMember(c, ctx, tier)) return false;
  }
  return true;
}

/** UserData (tier 4): each child element E read as a container: E's `#text` and E's children as members. */
function emitUserData(ud: u32, ctx: u32, tier: u32): bool {
  let s = shapeOf(ud, ctx);
  if ((s & SHAPE_OBJECT) == 0) return true;
  let p = node(ud);
  let flags = load<u32>(p, N_D);
  if ((flags & (EL_HASH_NAMES | EL_DATA_CHILD)) != 0 || hasValueElements(ud, ctx)) return host();
  if ((flags & EL_ELEMENT_CHILD) == 0) return true;
  if ((flags & EL_NAMES_DISTINCT) == 0 || load<u32>(p, N_E) > MAX_TRACKED_NAMES) return host();
  for (let e = load<u32>(p, N_C); e != NONE; e = load<u32>(node(e), N_NEXT)) {
    if (kindOf(e) != K_ELEMENT) continue;
    if ((nameFlags(load<u32>(node(e), N_A)) & (NAME_EVENTDATA | NAME_USERDATA)) != 0) return host();
    let se = shapeOf(e, ctx);
    if ((se & SHAPE_OBJECT) == 0) continue;
    if (!emitMembers(e, ctx, se, tier)) return false;
  }
  return true;
}

/** The whole record: Event, its first System, EventData and UserData. */
function emitRoot(): bool {
  let p = node(root);
  if ((nameFlags(load<u32>(p, N_A)) & NAME_EVENT) == 0) return host();
  if ((shapeOf(root, 0) & SHAPE_OBJECT) == 0) return host();
  let system = NONE;
  let eventData = NONE;
  let userData = NONE;
  let systemCtx: u32 = 0;
  let eventDataCtx: u32 = 0;
  let userDataCtx: u32 = 0;
  let elements: u32 = 0;
  for (let c = load<u32>(p, N_C); c != NONE; c = load<u32>(node(c), N_NEXT)) {
    let e = asElement(c, 0);
    if (e == NONE) continue;
    // Past the names evtx_dump suffixes, a repeated name could shadow the first: the host's.
    if (++elements > MAX_TRACKED_NAMES) return host();
    let f = nameFlags(load<u32>(node(e), N_A));
    if ((f & NAME_SYSTEM) != 0 && system == NONE) {
      system = e;
      systemCtx = elementContext;
    } else if ((f & NAME_EVENTDATA) != 0 && eventData == NONE) {
      eventData = e;
      eventDataCtx = elementContext;
    } else if ((f & NAME_USERDATA) != 0 && userData == NONE) {
      userData = e;
      userDataCtx = elementContext;
    }
  }
  if (system == NONE) return host();
  let s = shapeOf(system, systemCtx);
  if ((s & SHAPE_OBJECT) == 0) return host(); // not in evtx shape: the host reads it as plain JSON
  if (!emitMembers(system, systemCtx, s, TIER_SYSTEM)) return false;
  if (eventData != NONE && !emitEventData(eventData, eventDataCtx, TIER_DATA)) return false;
  if (userData != NONE && !emitUserData(userData, userDataCtx, TIER_USERDATA)) return false;
  return true;
}

/**
 * Should flatEmit write the leaves in passing (the program's every-event keyword scan reads them)? With
 * `skipFormatted` (no window of that scan is made of formattedAlphabet's bytes), the value of a key no field reads
 * is left out when it is one formatted value (a number, GUID, SID, time, ...): the scan could not find it there.
 */
export function flatSetLeavesInPassing(on: bool, skipFormatted: bool): void {
  passingWanted = on;
  skipFormattedWanted = on && skipFormatted;
}

/** Leaves in passing: may the content `n` (one substitution) of a key no field reads be left out? */
@inline function formattedLeaf(n: u32, ctx: u32): bool {
  if (!skipFormatted) return false;
  let v = substValue(n, ctx);
  return v != 0 && valueIsFormatted(valueType(v));
}

/**
 * Fill the store from the record set by flatSetRecord (and, when flatSetLeavesInPassing asked, write the leaves in
 * passing: [passStart, passEnd)). False: hostNeeded or arenaNeed says why.
 */
export function flatEmit(): bool {
  hostNeeded = false;
  arenaNeed = 0;
  keywords = false;
  passing = passingWanted;
  skipFormatted = skipFormattedWanted;
  passStart = arenaEndOfLast();
  let ok = emitRoot();
  passEnd = passing ? arenaEndOfLast() : passStart;
  passing = false;
  skipFormatted = false;
  return ok;
}

/** Did the last flatEmit write the leaves in passing? */
export function flatLeavesInPassing(): bool {
  return passingWanted;
}

/** Record every value the mapping reads into `slot` of `bank` (the keyword leaves). False: hostNeeded or arenaNeed. */
export function flatCollectLeaves(slot: u32, bank: u32): bool {
  hostNeeded = false;
  arenaNeed = 0;
  keywords = true;
  keywordSlot = slot;
  keywordBank = bank;
  let ok = emitRoot();
  keywords = false;
  return ok;
}

/**
 * Every value the mapping reads (the keyword leaves) as one text in the arena, each JSON-escaped and followed by a
 * `"`, [rawStart, rawEnd): what the raw keyword scans read in place of a JSON record's bytes (vm/raw-record.ts).
 * False: hostNeeded or arenaNeed.
 */
export function flatRawLeaves(): bool {
  hostNeeded = false;
  arenaNeed = 0;
  keywords = true;
  raw = true;
  rawStart = arenaEndOfLast();
  let ok = emitRoot();
  rawEnd = arenaEndOfLast();
  keywords = false;
  raw = false;
  return ok;
}
