// The extracting parser: parses one record as strict JSON with an explicit stack and, in the same pass, fills the
// value store's two banks (DESIGN.md section 2):
// - BANK_FLAT: the event as written, walking the field trie (root children are literal names, tier 0; deeper
//   terminals are nested paths, tier 1). Arrays are transparent; unreferenced subtrees are skipped (validated,
//   not decoded).
// - BANK_EVTX_JSON (with FLAG_EVTX_JSON): the evtx_dump flattening of src/input/evtx-json.ts, by tiers: System members 0 (their
//   attributes 1), EventData 2 (3), UserData elements 4 (5), looked up in the trie's root table.
// The event's shape (known only at its end) picks the bank. Where the scanner cannot reproduce JSON.parse exactly
// (a duplicate key on a referenced path, a number beyond 15 significant digits, referenced nesting deeper than
// MAX_DEPTH, an object inside an evtx value that nested fields would read), the record is a fallback event.
import {
  BANK_EVTX_JSON, BANK_FLAT, KIND_FALSE, KIND_NULL, KIND_NUMBER, KIND_OBJECT, KIND_STRING, KIND_TRUE, arenaAlloc,
  arenaShrinkTo, storeMarkPresent, storeRecord,
} from '../store/values';
import {
  CH_0, CH_9, CH_COLON, CH_COMMA, CH_F_LOWER, CH_LBRACE, CH_LBRACKET, CH_MINUS, CH_N_LOWER, CH_QUOTE, CH_RBRACE,
  CH_RBRACKET, CH_SPACE, CH_T_LOWER, MAX_DEPTH, P_OK,
} from './constants';
import { keyPush, keysPopHasDuplicate, keysReset, keyTop } from './keys';
import {
  NOT_CANONICAL, NUMBER_TEXT, TEXT_FALSE, TEXT_FALSE_BYTES, TEXT_TRUE, TEXT_TRUE_BYTES, beginParse, byteAt, bytesEqual,
  decodeString, decodedCapacity, fail, failArena, gEnd, gErr, numberText, numberTextAt, scanLiteral, scanNumber,
  rawHazardSeen, scanString, skipString, skipWs, strEscaped, strInvalid, strLoneSurrogate,
} from './lexer';
import {
  FRAME_EV_ENTRY, FRAME_EV_NODE, FRAME_FLAT, FRAME_FLAT_TIER, FRAME_INFO, FRAME_KEYS, FRAME_STAMP, STAMPS_ATTRIBUTE,
  STAMPS_FLAT, STAMPS_MEMBER, frameAt, nextStamp, nodeIsOwner, stampNode,
} from './scratch';
import { skipValue } from './skip';
import {
  FNV_OFFSET, NO_NODE, NO_SLOT, ROOT, findChild, fnv, foundEntry, lookupJoined, nodeHasChildren, nodeIsReal, nodeSlot,
} from './trie';

// ---- evtx roles: what a value (or the container it opens) is to the evtx mapping ----
@inline export const EV_NONE: u32 = 0;
/** The record (top-level object). */
@inline export const EV_TOP: u32 = 1;
/** The value of the top-level `Event`. */
@inline export const EV_EVENT: u32 = 2;
/** `Event.System` (members tier 0, its own `#attributes` included as a member). */
@inline export const EV_SYSTEM: u32 = 3;
/** `Event.EventData` (members tier 2, `#attributes` skipped). */
@inline export const EV_EVENTDATA: u32 = 4;
/** `Event.UserData` (each member but `#attributes` is an element). */
@inline export const EV_USERDATA: u32 = 5;
/** An element of UserData (members tier 4, `#attributes` skipped). */
@inline export const EV_UDELEM: u32 = 6;
/** A member K of System/EventData/an element: scalar or array = K; object = `#text` and `#attributes` only. */
@inline export const EV_MEMBER: u32 = 7;
/** An element of a member's array: an object gives its `#text`, anything else is a value of K. */
@inline export const EV_ITEM: u32 = 8;
/** A member's `#attributes`: each member Y is a value of K_Y. */
@inline export const EV_ATTRS: u32 = 9;
/** A value assigned to a flat key: arrays flatten, an object is a value without string form. */
@inline export const EV_VALUE: u32 = 10;

// Tiers (DESIGN.md section 2).
@inline const TIER_LITERAL: u32 = 0;
@inline const TIER_NESTED: u32 = 1;
@inline const TIER_SYSTEM: u32 = 0;
@inline const TIER_DATA: u32 = 2;
@inline const TIER_USERDATA: u32 = 4;
@inline const ATTRIBUTE_TIER_OFFSET: u32 = 1;

// FRAME_INFO word.
@inline const INFO_ARRAY: u32 = 1;
@inline const INFO_ROLE_SHIFT: u32 = 8;
@inline const INFO_TIER_SHIFT: u32 = 16;
@inline const INFO_SEEN_SHIFT: u32 = 24;
@inline const INFO_FIELD_MASK: u32 = 0xff;
// Seen flags: a key the evtx mapping reads, met twice in one object, is a duplicate.
@inline const SEEN_TEXT: u32 = 1;
@inline const SEEN_ATTRIBUTES: u32 = 2;
@inline const SEEN_SYSTEM: u32 = 4;
@inline const SEEN_EVENTDATA: u32 = 8;
@inline const SEEN_USERDATA: u32 = 16;
@inline const SEEN_EVENT: u32 = 32;

// The keys the evtx mapping knows by name.
export const KEY_EVENT: usize = memory.data<u8>([0x45, 0x76, 0x65, 0x6e, 0x74]);
@inline export const KEY_EVENT_BYTES: u32 = 5;
export const KEY_SYSTEM: usize = memory.data<u8>([0x53, 0x79, 0x73, 0x74, 0x65, 0x6d]);
@inline export const KEY_SYSTEM_BYTES: u32 = 6;
export const KEY_EVENTDATA: usize = memory.data<u8>([0x45, 0x76, 0x65, 0x6e, 0x74, 0x44, 0x61, 0x74, 0x61]);
@inline export const KEY_EVENTDATA_BYTES: u32 = 9;
export const KEY_USERDATA: usize = memory.data<u8>([0x55, 0x73, 0x65, 0x72, 0x44, 0x61, 0x74, 0x61]);
@inline export const KEY_USERDATA_BYTES: u32 = 8;
export const KEY_TEXT: usize = memory.data<u8>([0x23, 0x74, 0x65, 0x78, 0x74]);
@inline export const KEY_TEXT_BYTES: u32 = 5;
export const KEY_ATTRIBUTES: usize = memory.data<u8>([
  0x23, 0x61, 0x74, 0x74, 0x72, 0x69, 0x62, 0x75, 0x74, 0x65, 0x73,
]);
@inline export const KEY_ATTRIBUTES_BYTES: u32 = 11;

@inline export function keyIs(key: usize, len: u32, name: usize, nameLen: u32): bool {
  return len == nameLen && bytesEqual(key, name, <usize>len);
}

// Parser states.
@inline const S_MEMBERS: u32 = 0; // just inside `{`: a key or `}`
@inline const S_KEY: u32 = 1; // at a key's opening quote
@inline const S_VALUE: u32 = 2; // at a value
@inline const S_AFTER: u32 = 3; // after a value: `,` or the container's close

/** Build the evtx bank too (FLAG_EVTX_JSON of the current call). */
export let evtxJsonEnabled: bool = false;

// ---- outputs of parseRecord ----
export let recordEnd: usize = 0;
export let recordIsObject: bool = false;
/** The event must fall back to the objects path. */
export let recordFallback: bool = false;
/** The event is in evtx shape: predicates read BANK_EVTX_JSON. */
export let recordEvtxJson: bool = false;
/** What may make the record show a leaf's ASCII other than as its raw bytes: lexer.ts RAW_HAZARD_* bits. */
export let recordRawHazard: u32 = 0;

// ---- per-record state ----
let flatActive: bool = false;
let flatFallback: bool = false;
/** Evtx shape still possible (every top-level key so far is `Event`). */
let evtxShapeLive: bool = false;
/** Evtx values still worth extracting (shape possible, no evtx fallback yet). */
let evtxExtract: bool = false;
let evtxFallback: bool = false;
let topKeys: u32 = 0;
let eventIsObject: bool = false;
let systemIsObject: bool = false;

@inline function dropFlat(): void {
  flatFallback = true;
  flatActive = false;
}

function hasSpace(key: usize, len: u32): bool {
  for (let i: u32 = 0; i < len; i++) if (<u32>load<u8>(key + <usize>i) == CH_SPACE) return true;
  return false;
}

/** withoutSpaces could not look (the arena is full). */
@inline const NO_NODE_OR_FULL: u32 = 0xfffffffe;

/** The root child keyed by the key's bytes without its spaces (NO_NODE: none), found through a copy in the arena. */
function withoutSpaces(key: usize, len: u32): u32 {
  let copy = arenaAlloc(len);
  if (copy == 0) return NO_NODE_OR_FULL;
  let n: u32 = 0;
  for (let i: u32 = 0; i < len; i++) {
    let b = load<u8>(key + <usize>i);
    if (<u32>b != CH_SPACE) store<u8>(copy + <usize>(n++), b);
  }
  let found = findChild(ROOT, copy, n);
  arenaShrinkTo(copy);
  return found;
}

@inline function dropEvtx(): void {
  evtxFallback = true;
  evtxExtract = false;
}

/** Record a value in the banks whose slots want it; false (and P_ARENA_FULL) when the value table is full. */
@inline function recordBoth(
  flatSlot: u32, flatTier: u32, evSlot: u32, evTier: u32, kind: u32, ptr: usize, len: u32,
): bool {
  if (flatSlot != NO_SLOT && flatActive && !storeRecord(BANK_FLAT, flatSlot, flatTier, kind, ptr, len)) {
    failArena(0);
    return false;
  }
  if (evSlot != NO_SLOT && evtxExtract && !storeRecord(BANK_EVTX_JSON, evSlot, evTier, kind, ptr, len)) {
    failArena(0);
    return false;
  }
  return true;
}

/**
 * Parse the record at `start` (its first byte is not whitespace) up to `limit`. Returns P_OK (recordEnd,
 * recordIsObject, recordFallback, recordEvtxJson set; gLines counts its newlines), P_FAIL (the framer must judge the
 * bytes), or P_ARENA_FULL (gNeed). With `ndjson`, a newline inside the record fails it.
 */
export function parseRecord(start: usize, limit: usize, ndjson: bool): u32 {
  beginParse(limit, ndjson);
  recordFallback = false;
  recordEvtxJson = false;
  if (byteAt(start) != CH_LBRACE) {
    // Not an object: only its validity matters (a not-an-object note, or a malformed one).
    recordIsObject = false;
    recordEnd = skipValue(start);
    return gErr;
  }
  recordIsObject = true;
  flatActive = nodeHasChildren(ROOT);
  flatFallback = false;
  evtxShapeLive = evtxJsonEnabled;
  evtxExtract = evtxJsonEnabled;
  evtxFallback = false;
  topKeys = 0;
  eventIsObject = false;
  systemIsObject = false;
  keysReset();

  let sp: u32 = 1;
  let frame = frameAt(0);
  store<u32>(frame, (evtxJsonEnabled ? EV_TOP : EV_NONE) << INFO_ROLE_SHIFT, FRAME_INFO);
  store<u32>(frame, flatActive ? ROOT : NO_NODE, FRAME_FLAT);
  store<u32>(frame, TIER_LITERAL, FRAME_FLAT_TIER);
  store<u32>(frame, nextStamp(), FRAME_STAMP);
  store<u32>(frame, keyTop, FRAME_KEYS);
  let p = skipWs(start + 1);
  let state = S_MEMBERS;
  // The target of the value at hand: its trie node in the flat walk, its evtx role (and node, tier, key entry).
  let tFlat: u32 = NO_NODE;
  let tFlatTier: u32 = TIER_LITERAL;
  let tRole: u32 = EV_NONE;
  let tNode: u32 = NO_NODE;
  let tTier: u32 = 0;
  let tEntry: usize = 0;
  let closed = false;

  while (true) {
    if (state == S_MEMBERS) {
      if (p >= gEnd) {
        fail(p);
        break;
      }
      let c = byteAt(p);
      if (c == CH_RBRACE) {
        p++;
        closeObject(frame);
        sp--;
        if (sp == 0) {
          closed = true;
          break;
        }
        frame = frameAt(sp - 1);
        state = S_AFTER;
        continue;
      }
      if (c != CH_QUOTE) {
        fail(p);
        break;
      }
      state = S_KEY;
    }

    if (state == S_KEY) {
      let q = scanString(p + 1);
      if (gErr != P_OK) break;
      let key = p + 1;
      let keyLen = <u32>(q - 1 - key);
      let lone = false;
      if (strEscaped || strInvalid) {
        // Keys are compared decoded: escapes resolved, ill-formed UTF-8 as U+FFFD.
        let cap = decodedCapacity(<usize>keyLen, strInvalid);
        let out = arenaAlloc(<u32>cap);
        if (out == 0) {
          failArena(cap);
          break;
        }
        let e = decodeString(key, q - 1, out);
        arenaShrinkTo(e);
        key = out;
        keyLen = <u32>(e - out);
        // A key with a lone surrogate matches no field name (those are well-formed): it is never looked up.
        lone = strLoneSurrogate;
      }
      p = skipWs(q);
      if (p >= gEnd || byteAt(p) != CH_COLON) {
        fail(p);
        break;
      }
      p = skipWs(p + 1);

      let info = load<u32>(frame, FRAME_INFO);
      let stamp = load<u32>(frame, FRAME_STAMP);
      tFlat = NO_NODE;
      let parent = load<u32>(frame, FRAME_FLAT);
      if (parent != NO_NODE && flatActive && !lone) {
        let child = findChild(parent, key, keyLen);
        if (child != NO_NODE && nodeIsReal(child)) {
          if (stampNode(STAMPS_FLAT, child, stamp)) {
            tFlat = child;
            tFlatTier = parent == ROOT ? TIER_LITERAL : TIER_NESTED;
          } else dropFlat(); // a duplicate key on a referenced path: JSON.parse keeps the last one
        }
      }

      tRole = EV_NONE;
      let role = (info >> INFO_ROLE_SHIFT) & INFO_FIELD_MASK;
      if (role != EV_NONE && evtxShapeLive) {
        let seen = info >> INFO_SEEN_SHIFT;
        let tier = (info >> INFO_TIER_SHIFT) & INFO_FIELD_MASK;
        let seenBit: u32 = 0;
        switch (role) {
          case EV_TOP: {
            topKeys++;
            if (keyIs(key, keyLen, KEY_EVENT, KEY_EVENT_BYTES)) {
              seenBit = SEEN_EVENT;
              tRole = EV_EVENT;
            } else {
              // Another top-level key: not in evtx shape, whatever follows.
              evtxShapeLive = false;
              evtxExtract = false;
            }
            break;
          }
          case EV_EVENT: {
            if (keyIs(key, keyLen, KEY_SYSTEM, KEY_SYSTEM_BYTES)) {
              seenBit = SEEN_SYSTEM;
              tRole = EV_SYSTEM;
            } else if (keyIs(key, keyLen, KEY_EVENTDATA, KEY_EVENTDATA_BYTES)) {
              seenBit = SEEN_EVENTDATA;
              tRole = EV_EVENTDATA;
            } else if (keyIs(key, keyLen, KEY_USERDATA, KEY_USERDATA_BYTES)) {
              seenBit = SEEN_USERDATA;
              tRole = EV_USERDATA;
            }
            break;
          }
          case EV_SYSTEM:
          case EV_EVENTDATA:
          case EV_UDELEM: {
            if (!evtxExtract || lone) break;
            if (role != EV_SYSTEM && keyIs(key, keyLen, KEY_ATTRIBUTES, KEY_ATTRIBUTES_BYTES)) break;
            let n = findChild(ROOT, key, keyLen);
            let entry = foundEntry;
            if (role != EV_SYSTEM && hasSpace(key, keyLen)) {
              // A name with spaces (`Threat Name`) is also read without them; a value both names want, or no room
              // to look, goes to the objects path.
              let bare = withoutSpaces(key, keyLen);
              if (bare == NO_NODE_OR_FULL) {
                dropEvtx();
                break;
              }
              if (bare != NO_NODE) {
                if (n != NO_NODE) {
                  dropEvtx();
                  break;
                }
                n = bare;
                entry = foundEntry;
              }
            }
            if (n == NO_NODE) break;
            if (!stampNode(STAMPS_MEMBER, n, stamp)) {
              dropEvtx();
              break;
            }
            tRole = EV_MEMBER;
            tNode = n;
            tTier = tier;
            tEntry = entry;
            break;
          }
          case EV_USERDATA: {
            // UserData's children are elements; its own `#attributes` are not.
            if (!evtxExtract || keyIs(key, keyLen, KEY_ATTRIBUTES, KEY_ATTRIBUTES_BYTES)) break;
            // Element names are arbitrary: a repeated one would hide the first element's members.
            if (!keyPush(fnv(FNV_OFFSET, key, <usize>keyLen), key, keyLen)) {
              dropEvtx();
              break;
            }
            tRole = EV_UDELEM;
            break;
          }
          case EV_MEMBER: {
            if (!evtxExtract) break;
            let node = load<u32>(frame, FRAME_EV_NODE);
            if (keyIs(key, keyLen, KEY_TEXT, KEY_TEXT_BYTES)) {
              seenBit = SEEN_TEXT;
              if (nodeIsReal(node)) {
                tRole = EV_VALUE;
                tNode = node;
                tTier = tier;
              }
            } else if (keyIs(key, keyLen, KEY_ATTRIBUTES, KEY_ATTRIBUTES_BYTES)) {
              seenBit = SEEN_ATTRIBUTES;
              if (nodeIsOwner(node)) {
                tRole = EV_ATTRS;
                tEntry = <usize>load<u32>(frame, FRAME_EV_ENTRY);
                tTier = tier + ATTRIBUTE_TIER_OFFSET;
              }
            }
            break;
          }
          case EV_ITEM: {
            if (!evtxExtract) break;
            let node = load<u32>(frame, FRAME_EV_NODE);
            if (keyIs(key, keyLen, KEY_TEXT, KEY_TEXT_BYTES)) {
              seenBit = SEEN_TEXT;
              if (nodeIsReal(node)) {
                tRole = EV_VALUE;
                tNode = node;
                tTier = tier;
              }
            }
            break;
          }
          case EV_ATTRS: {
            if (!evtxExtract || lone) break;
            let m = lookupJoined(<usize>load<u32>(frame, FRAME_EV_ENTRY), key, keyLen);
            if (m == NO_NODE || !nodeIsReal(m)) break;
            if (!stampNode(STAMPS_ATTRIBUTE, m, stamp)) {
              dropEvtx();
              break;
            }
            tRole = EV_VALUE;
            tNode = m;
            tTier = tier;
            break;
          }
        }
        if (seenBit != 0) {
          if ((seen & seenBit) != 0) {
            // A repeated key the mapping reads: JSON.parse keeps the last one only.
            evtxFallback = true;
            evtxExtract = false;
            tRole = role == EV_TOP || role == EV_EVENT ? tRole : EV_NONE;
          }
          store<u32>(frame, info | (seenBit << INFO_SEEN_SHIFT), FRAME_INFO);
        }
      }
      state = S_VALUE;
    }

    if (state == S_VALUE) {
      if (p >= gEnd) {
        fail(p);
        break;
      }
      let c = byteAt(p);
      if (!flatActive) tFlat = NO_NODE;
      let valueRole = evtxExtract ? tRole : EV_NONE;
      let flatSlot = tFlat != NO_NODE ? nodeSlot(tFlat) : NO_SLOT;
      let evSlot = valueRole == EV_MEMBER || valueRole == EV_ITEM || valueRole == EV_VALUE ? nodeSlot(tNode) : NO_SLOT;

      if (c == CH_LBRACE || c == CH_LBRACKET) {
        let isArray = c == CH_LBRACKET;
        let fFlat: u32 = NO_NODE;
        let fRole: u32 = EV_NONE;
        let fTier = tTier;
        if (isArray) {
          if (tFlat != NO_NODE) {
            if (flatSlot != NO_SLOT) storeMarkPresent(BANK_FLAT, flatSlot, tFlatTier);
            if (flatSlot != NO_SLOT || nodeHasChildren(tFlat)) fFlat = tFlat;
          }
          if (tRole == EV_EVENT) eventIsObject = false;
          else if (tRole == EV_SYSTEM) systemIsObject = false;
          else if (valueRole == EV_MEMBER || valueRole == EV_ITEM || valueRole == EV_VALUE) {
            // An array assigns K even when empty (present, no values); its elements follow the element rules.
            if (evSlot != NO_SLOT) storeMarkPresent(BANK_EVTX_JSON, evSlot, tTier);
            if (nodeIsReal(tNode)) fRole = valueRole == EV_MEMBER ? EV_MEMBER : EV_VALUE;
          }
        } else {
          if (flatSlot != NO_SLOT && !recordBoth(flatSlot, tFlatTier, NO_SLOT, 0, KIND_OBJECT, 0, 0)) break;
          if (tFlat != NO_NODE && nodeHasChildren(tFlat)) fFlat = tFlat;
          switch (tRole) {
            case EV_EVENT: {
              if (evtxShapeLive) {
                eventIsObject = true;
                systemIsObject = false;
                fRole = EV_EVENT;
              }
              break;
            }
            case EV_SYSTEM: {
              if (evtxShapeLive) systemIsObject = true;
              if (evtxExtract) {
                fRole = EV_SYSTEM;
                fTier = TIER_SYSTEM;
              }
              break;
            }
            case EV_EVENTDATA: {
              fRole = valueRole;
              fTier = TIER_DATA;
              break;
            }
            case EV_UDELEM: {
              fRole = valueRole;
              fTier = TIER_USERDATA;
              break;
            }
            case EV_USERDATA:
            case EV_MEMBER:
            case EV_ITEM:
            case EV_ATTRS: {
              fRole = valueRole;
              break;
            }
            case EV_VALUE: {
              if (valueRole == EV_NONE) break;
              if (evSlot != NO_SLOT && !recordBoth(NO_SLOT, 0, evSlot, tTier, KIND_OBJECT, 0, 0)) break;
              // Nested field names would read into this object through the flattened key: not reproduced here.
              if (nodeHasChildren(tNode)) dropEvtx();
              break;
            }
          }
          if (gErr != P_OK) break;
        }
        if (fFlat == NO_NODE && fRole == EV_NONE) {
          p = skipValue(p);
          if (gErr != P_OK) break;
          state = S_AFTER;
          continue;
        }
        if (sp == MAX_DEPTH) {
          // Deeper than the frame stack: validate the rest, and let JSON.parse read the event.
          if (fFlat != NO_NODE) dropFlat();
          if (fRole != EV_NONE) dropEvtx();
          p = skipValue(p);
          if (gErr != P_OK) break;
          state = S_AFTER;
          continue;
        }
        frame = frameAt(sp);
        sp++;
        let frameInfo = (isArray ? INFO_ARRAY : 0) | (fRole << INFO_ROLE_SHIFT) | (fTier << INFO_TIER_SHIFT);
        store<u32>(frame, frameInfo, FRAME_INFO);
        store<u32>(frame, fFlat, FRAME_FLAT);
        store<u32>(frame, isArray ? tFlatTier : TIER_NESTED, FRAME_FLAT_TIER);
        store<u32>(frame, tNode, FRAME_EV_NODE);
        store<u32>(frame, <u32>tEntry, FRAME_EV_ENTRY);
        store<u32>(frame, nextStamp(), FRAME_STAMP);
        store<u32>(frame, keyTop, FRAME_KEYS);
        p = skipWs(p + 1);
        if (!isArray) {
          state = S_MEMBERS;
          continue;
        }
        if (p < gEnd && byteAt(p) == CH_RBRACKET) {
          p++;
          sp--;
          frame = frameAt(sp - 1);
          state = S_AFTER;
          continue;
        }
        // First element.
        tFlat = fFlat;
        tFlatTier = load<u32>(frame, FRAME_FLAT_TIER);
        tRole = fRole == EV_MEMBER ? EV_ITEM : fRole;
        tTier = fTier;
        continue;
      }

      if (c == CH_QUOTE) {
        if (flatSlot == NO_SLOT && evSlot == NO_SLOT) {
          p = skipString(p + 1);
          if (gErr != P_OK) break;
        } else {
          let q = scanString(p + 1);
          if (gErr != P_OK) break;
          let value = p + 1;
          let len = q - 1 - value;
          if (strEscaped || strInvalid) {
            let cap = decodedCapacity(len, strInvalid);
            let out = arenaAlloc(<u32>cap);
            if (out == 0) {
              failArena(cap);
              break;
            }
            let e = decodeString(value, q - 1, out);
            arenaShrinkTo(e);
            value = out;
            len = e - out;
          }
          if (!recordBoth(flatSlot, tFlatTier, evSlot, tTier, KIND_STRING, value, <u32>len)) break;
          p = q;
        }
      } else if (c == CH_MINUS || c - CH_0 <= CH_9 - CH_0) {
        if (flatSlot == NO_SLOT && evSlot == NO_SLOT) {
          p = scanNumber(p);
          if (gErr != P_OK) break;
        } else {
          let q = scanNumber(p);
          if (gErr != P_OK) break;
          let len = numberText(p, q);
          if (len == NOT_CANONICAL) {
            if (flatSlot != NO_SLOT) dropFlat();
            if (evSlot != NO_SLOT) dropEvtx();
          } else {
            let text = numberTextAt;
            if (text == NUMBER_TEXT) {
              // Formatted into static memory: the value needs its own copy.
              text = arenaAlloc(len);
              if (text == 0) {
                failArena(<usize>len);
                break;
              }
              memory.copy(text, NUMBER_TEXT, <usize>len);
            }
            if (!recordBoth(flatSlot, tFlatTier, evSlot, tTier, KIND_NUMBER, text, len)) break;
          }
          p = q;
        }
      } else if (c == CH_T_LOWER || c == CH_F_LOWER || c == CH_N_LOWER) {
        p = scanLiteral(p);
        if (gErr != P_OK) break;
        if (flatSlot != NO_SLOT || evSlot != NO_SLOT) {
          let ok = c == CH_T_LOWER
            ? recordBoth(flatSlot, tFlatTier, evSlot, tTier, KIND_TRUE, TEXT_TRUE, TEXT_TRUE_BYTES)
            : c == CH_F_LOWER
              ? recordBoth(flatSlot, tFlatTier, evSlot, tTier, KIND_FALSE, TEXT_FALSE, TEXT_FALSE_BYTES)
              : recordBoth(flatSlot, tFlatTier, evSlot, tTier, KIND_NULL, 0, 0);
          if (!ok) break;
        }
      } else {
        fail(p);
        break;
      }
      // A scalar where the shape needs an object.
      if (tRole == EV_EVENT) eventIsObject = false;
      else if (tRole == EV_SYSTEM) systemIsObject = false;
      state = S_AFTER;
    }

    // S_AFTER: `,` or the container's close.
    p = skipWs(p);
    if (p >= gEnd) {
      fail(p);
      break;
    }
    let c = byteAt(p);
    let info = load<u32>(frame, FRAME_INFO);
    let isArray = (info & INFO_ARRAY) != 0;
    if (c == CH_COMMA) {
      p = skipWs(p + 1);
      if (!isArray) {
        if (p >= gEnd || byteAt(p) != CH_QUOTE) {
          fail(p);
          break;
        }
        state = S_KEY;
        continue;
      }
      tFlat = load<u32>(frame, FRAME_FLAT);
      tFlatTier = load<u32>(frame, FRAME_FLAT_TIER);
      let role = (info >> INFO_ROLE_SHIFT) & INFO_FIELD_MASK;
      tRole = role == EV_MEMBER ? EV_ITEM : role;
      tNode = load<u32>(frame, FRAME_EV_NODE);
      tTier = (info >> INFO_TIER_SHIFT) & INFO_FIELD_MASK;
      state = S_VALUE;
      continue;
    }
    if (c == (isArray ? CH_RBRACKET : CH_RBRACE)) {
      p++;
      if (!isArray) closeObject(frame);
      sp--;
      if (sp == 0) {
        closed = true;
        break;
      }
      frame = frameAt(sp - 1);
      state = S_AFTER;
      continue;
    }
    fail(p);
    break;
  }
  if (!closed) return gErr;
  recordEnd = p;
  recordEvtxJson = evtxJsonEnabled && evtxShapeLive && topKeys > 0 && eventIsObject && systemIsObject;
  recordFallback = recordEvtxJson ? evtxFallback : flatFallback;
  recordRawHazard = rawHazardSeen();
  return P_OK;
}

/** An object closes: UserData's element names are checked for duplicates. */
@inline function closeObject(frame: usize): void {
  let info = load<u32>(frame, FRAME_INFO);
  if (((info >> INFO_ROLE_SHIFT) & INFO_FIELD_MASK) == EV_USERDATA) {
    if (keysPopHasDuplicate(load<u32>(frame, FRAME_KEYS))) dropEvtx();
  }
}
