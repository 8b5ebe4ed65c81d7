// Keyword leaves, collected lazily: only when a keyword predicate first runs for an event does the VM re-scan the
// event's bytes and record every string and number leaf (DESIGN.md section 2 "Keywords"; the reference is
// keywordLeaves() in src/eval/event.ts). In evtx shape the leaves are the values the evtx mapping reads, shadowed
// ones included (readEvtxJson(...).values in src/input/evtx-json.ts). Duplicate keys anywhere and numbers the scanner
// cannot print as JavaScript does make the event a fallback: keyword search sees every leaf, so no part of the
// event is irrelevant.
import { STATUS_ARENA_FULL, STATUS_OK } from '../context';
import {
  KIND_NUMBER, KIND_STRING, NONE, VALUE_RECORD_BYTES, arenaAlloc, arenaShrinkTo, arenaUsed, storeReadBank, storeRecord, valuesUsed,
} from '../store/values';
import {
  CH_0, CH_9, CH_COLON, CH_COMMA, CH_F_LOWER, CH_LBRACE, CH_LBRACKET, CH_MINUS, CH_N_LOWER, CH_QUOTE, CH_RBRACE,
  CH_RBRACKET, CH_T_LOWER, MAX_DEPTH, P_OK, STATUS_EVENT_FALLBACK,
} from './constants';
import {
  EV_ATTRS, EV_EVENT, EV_EVENTDATA, EV_ITEM, EV_MEMBER, EV_NONE, EV_SYSTEM, EV_TOP, EV_UDELEM, EV_USERDATA, EV_VALUE,
  KEY_ATTRIBUTES, KEY_ATTRIBUTES_BYTES, KEY_EVENT, KEY_EVENT_BYTES, KEY_EVENTDATA, KEY_EVENTDATA_BYTES, KEY_SYSTEM,
  KEY_SYSTEM_BYTES, KEY_TEXT, KEY_TEXT_BYTES, KEY_USERDATA, KEY_USERDATA_BYTES, keyIs,
} from './extract';
import { keyPush, keysArenaNeed, keysPopHasDuplicate, keysReset, keyTop } from './keys';
import {
  NOT_CANONICAL, NUMBER_TEXT, beginParse, byteAt, decodeString, decodedCapacity, gEnd, gErr, numberText, numberTextAt,
  scanLiteral, scanNumber, scanString, skipString, skipWs, strEscaped, strInvalid,
} from './lexer';
import { FRAME_INFO, FRAME_KEYS, KEY_BYTES, frameAt } from './scratch';
import { FNV_OFFSET, fnv } from './trie';

@inline const INFO_ARRAY: u32 = 1;
@inline const INFO_ROLE_SHIFT: u32 = 8;
@inline const INFO_FIELD_MASK: u32 = 0xff;
@inline const TIER_KEYWORDS: u32 = 0;
/** collectLeaves' default bank: the one the predicates read. */
@inline const READ_BANK: u32 = NONE;
/** Arena a key costs while counting: the key stack's arena blocks double, so all of them together hold two per key. */
@inline const COUNTED_KEY_BYTES: usize = 2 * KEY_BYTES;

/**
 * After collectLeaves returned STATUS_ARENA_FULL: what the event needs, as the larger of its arena bytes and its
 * value records' bytes (the host grows the arena to it, and the value table to it over VALUE_RECORD_BYTES). Once the
 * arena or the value table fills, the walk goes on counting instead of storing, so one growth fits the event: an
 * event of a million leaves is re-run once, not once per doubling.
 */
export let leavesNeed: usize = 0;

/** Is a scalar in this role a leaf keyword search sees? */
@inline function collects(role: u32): bool {
  return role == EV_MEMBER || role == EV_ITEM || role == EV_VALUE;
}

/** Role of the value of member `key` in an object of role `parent` (the evtx mapping's reading of it). */
function memberRole(parent: u32, key: usize, len: u32): u32 {
  switch (parent) {
    case EV_TOP:
      return keyIs(key, len, KEY_EVENT, KEY_EVENT_BYTES) ? EV_EVENT : EV_NONE;
    case EV_EVENT:
      if (keyIs(key, len, KEY_SYSTEM, KEY_SYSTEM_BYTES)) return EV_SYSTEM;
      if (keyIs(key, len, KEY_EVENTDATA, KEY_EVENTDATA_BYTES)) return EV_EVENTDATA;
      if (keyIs(key, len, KEY_USERDATA, KEY_USERDATA_BYTES)) return EV_USERDATA;
      return EV_NONE;
    case EV_SYSTEM:
      return EV_MEMBER;
    case EV_EVENTDATA:
    case EV_UDELEM:
      return keyIs(key, len, KEY_ATTRIBUTES, KEY_ATTRIBUTES_BYTES) ? EV_NONE : EV_MEMBER;
    case EV_USERDATA:
      return keyIs(key, len, KEY_ATTRIBUTES, KEY_ATTRIBUTES_BYTES) ? EV_NONE : EV_UDELEM;
    case EV_MEMBER:
      if (keyIs(key, len, KEY_TEXT, KEY_TEXT_BYTES)) return EV_VALUE;
      return keyIs(key, len, KEY_ATTRIBUTES, KEY_ATTRIBUTES_BYTES) ? EV_ATTRS : EV_NONE;
    case EV_ITEM:
      return keyIs(key, len, KEY_TEXT, KEY_TEXT_BYTES) ? EV_VALUE : EV_NONE;
    case EV_ATTRS:
    case EV_VALUE:
      return EV_VALUE;
    default:
      return EV_NONE;
  }
}

/** Role an array in role `role` gives its elements: a member's array reads objects' `#text`; values flatten. */
@inline function elementRole(arrayRole: u32): u32 {
  return arrayRole == EV_MEMBER ? EV_ITEM : arrayRole;
}

@inline function arrayRole(role: u32): u32 {
  return role == EV_MEMBER ? EV_MEMBER : role == EV_ITEM || role == EV_VALUE ? EV_VALUE : EV_NONE;
}

@inline const S_MEMBERS: u32 = 0; // just inside `{`: a key or `}`
@inline const S_VALUE: u32 = 1;
@inline const S_AFTER: u32 = 2;

/**
 * Record every keyword leaf of the event record [recordStart, recordEnd) (valid JSON: the scanner framed it) as
 * values of `keywordSlot`, tier 0 of `bank`: by default the bank the predicates read for this event
 * (storeReadBank: BANK_EVTX_JSON for an evtx-shaped event), so that they see the leaves. Returns STATUS_OK,
 * STATUS_EVENT_FALLBACK (a duplicate key, a number beyond the canonical range, nesting deeper than MAX_DEPTH), or
 * STATUS_ARENA_FULL (leavesNeed says how much the event needs).
 */
export function collectLeaves(
  recordStart: usize, recordEnd: usize, evtx: bool, keywordSlot: u32, bank: u32 = READ_BANK,
): u32 {
  if (bank == READ_BANK) bank = storeReadBank();
  beginParse(recordEnd, false);
  keysReset();
  leavesNeed = 0;
  /** The arena or value table is full: the rest is counted (needArena, needValues), not stored. */
  let counting = false;
  let needArena: usize = 0;
  let needValues: usize = 0;
  let p = recordStart;
  if (byteAt(p) != CH_LBRACE) return STATUS_EVENT_FALLBACK;
  let sp: u32 = 1;
  let frame = frameAt(0);
  store<u32>(frame, (evtx ? EV_TOP : EV_VALUE) << INFO_ROLE_SHIFT, FRAME_INFO);
  store<u32>(frame, keyTop, FRAME_KEYS);
  p = skipWs(p + 1);
  let state = S_MEMBERS;
  let role: u32 = EV_NONE; // of the value at hand
  while (true) {
    if (p >= gEnd) return STATUS_EVENT_FALLBACK;
    let c = byteAt(p);
    if (state == S_MEMBERS) {
      if (c == CH_RBRACE) {
        state = S_AFTER; // closes the empty object below
      } else {
        if (c != CH_QUOTE) return STATUS_EVENT_FALLBACK;
        let q = scanString(p + 1);
        if (gErr != P_OK) return STATUS_EVENT_FALLBACK;
        let key = p + 1;
        let keyLen = q - 1 - key;
        if ((strEscaped || strInvalid) && !counting) {
          // Keys compare decoded (as JSON.parse sees them); a lone surrogate reads as U+FFFD here, which can only
          // add a spurious duplicate (a fallback), never hide one.
          let cap = decodedCapacity(keyLen, strInvalid);
          let out = arenaAlloc(<u32>cap);
          if (out == 0) {
            counting = true;
            needArena += cap;
          } else {
            let e = decodeString(key, q - 1, out);
            arenaShrinkTo(e);
            key = out;
            keyLen = e - out;
          }
        } else if (strEscaped || strInvalid) needArena += decodedCapacity(keyLen, strInvalid);
        if (counting) needArena += COUNTED_KEY_BYTES;
        else if (!keyPush(fnv(FNV_OFFSET, key, keyLen), key, <u32>keyLen, true)) {
          counting = true;
          needArena += keysArenaNeed;
        }
        role = memberRole((load<u32>(frame, FRAME_INFO) >> INFO_ROLE_SHIFT) & INFO_FIELD_MASK, key, <u32>keyLen);
        p = skipWs(q);
        if (p >= gEnd || byteAt(p) != CH_COLON) return STATUS_EVENT_FALLBACK;
        p = skipWs(p + 1);
        state = S_VALUE;
        continue;
      }
    }
    if (state == S_VALUE) {
      if (c == CH_LBRACE || c == CH_LBRACKET) {
        // Every object is walked, whatever its role: duplicate keys anywhere change what JSON.parse gives.
        if (sp == MAX_DEPTH) return STATUS_EVENT_FALLBACK;
        let isArray = c == CH_LBRACKET;
        frame = frameAt(sp);
        sp++;
        let frameRole = isArray ? arrayRole(role) : role;
        store<u32>(frame, (isArray ? INFO_ARRAY : 0) | (frameRole << INFO_ROLE_SHIFT), FRAME_INFO);
        store<u32>(frame, keyTop, FRAME_KEYS);
        p = skipWs(p + 1);
        if (isArray) {
          if (p < gEnd && byteAt(p) == CH_RBRACKET) state = S_AFTER;
          else role = elementRole(frameRole);
        } else state = S_MEMBERS;
        continue;
      }
      if (c == CH_QUOTE) {
        if (!collects(role)) p = skipString(p + 1);
        else {
          let q = scanString(p + 1);
          if (gErr != P_OK) return STATUS_EVENT_FALLBACK;
          let text = p + 1;
          let len = q - 1 - text;
          if ((strEscaped || strInvalid) && !counting) {
            let cap = decodedCapacity(len, strInvalid);
            let out = arenaAlloc(<u32>cap);
            if (out == 0) {
              counting = true;
              needArena += cap;
            } else {
              let e = decodeString(text, q - 1, out);
              arenaShrinkTo(e);
              text = out;
              len = e - out;
            }
          } else if (strEscaped || strInvalid) needArena += decodedCapacity(len, strInvalid);
          if (counting) needValues++;
          else if (!storeRecord(bank, keywordSlot, TIER_KEYWORDS, KIND_STRING, text, <u32>len)) {
            counting = true;
            needValues++;
          }
          p = q;
        }
      } else if (c == CH_MINUS || c - CH_0 <= CH_9 - CH_0) {
        let q = scanNumber(p);
        if (gErr != P_OK) return STATUS_EVENT_FALLBACK;
        if (collects(role)) {
          let len = numberText(p, q);
          if (len == NOT_CANONICAL) return STATUS_EVENT_FALLBACK;
          let text = numberTextAt;
          if (text == NUMBER_TEXT && !counting) {
            text = arenaAlloc(len);
            if (text == 0) counting = true;
            else memory.copy(text, NUMBER_TEXT, <usize>len);
          }
          if (text == NUMBER_TEXT || text == 0) needArena += len;
          if (counting) needValues++;
          else if (!storeRecord(bank, keywordSlot, TIER_KEYWORDS, KIND_NUMBER, text, len)) {
            counting = true;
            needValues++;
          }
        }
        p = q;
      } else if (c == CH_T_LOWER || c == CH_F_LOWER || c == CH_N_LOWER) p = scanLiteral(p);
      else return STATUS_EVENT_FALLBACK;
      if (gErr != P_OK) return STATUS_EVENT_FALLBACK;
      state = S_AFTER;
      continue;
    }
    // S_AFTER: `,` or the container's close.
    p = skipWs(p);
    if (p >= gEnd) return STATUS_EVENT_FALLBACK;
    c = byteAt(p);
    let info = load<u32>(frame, FRAME_INFO);
    let isArray = (info & INFO_ARRAY) != 0;
    if (c == CH_COMMA) {
      p = skipWs(p + 1);
      if (isArray) {
        role = elementRole((info >> INFO_ROLE_SHIFT) & INFO_FIELD_MASK);
        state = S_VALUE;
      } else state = S_MEMBERS;
      continue;
    }
    if (c != (isArray ? CH_RBRACKET : CH_RBRACE)) return STATUS_EVENT_FALLBACK;
    p++;
    // While counting the keys are not kept: duplicates are checked on the run that has room.
    if (!isArray && !counting && keysPopHasDuplicate(load<u32>(frame, FRAME_KEYS))) return STATUS_EVENT_FALLBACK;
    sp--;
    if (sp == 0) break;
    frame = frameAt(sp - 1);
  }
  if (!counting) return STATUS_OK;
  let arena = arenaUsed() + needArena;
  let values = (<usize>valuesUsed() + needValues) * VALUE_RECORD_BYTES;
  leavesNeed = arena > values ? arena : values;
  return STATUS_ARENA_FULL;
}
