// Element and attribute names of a chunk, read once per chunk: a name is stored at a chunk offset (next-string offset,
// hash, character count, UTF-16 characters, NUL) and referenced by that offset, often from many records. Each entry
// keeps the name's UTF-8, its FNV-1a hash, flags for the names the evtx mapping knows, and its lookup as a flat
// key in the field trie (done the first time a record needs it).
import { NAME_HEADER_BYTES } from './format';
import {
  NAME_ENTRY_BYTES, NAME_SLOTS, NO_ENTRY, cacheGeneration, chunkBase, chunkLength, nameEntries, nameTable, takeNameEntry,
  takeNameText,
} from './region';
import { UTF8_PER_UNIT, unitsBeforeNul, utf16ToUtf8 } from './utf16';
import { FNV_OFFSET, NO_NODE, ROOT, findChild, fnv, foundEntry } from '../json/trie';

// ---- entry layout ----
@inline const NE_OFFSET: usize = 0;
@inline const NE_TEXT: usize = 4;
@inline const NE_LENGTH: usize = 8;
@inline const NE_FLAGS: usize = 12;
@inline const NE_HASH: usize = 16;
@inline const NE_NODE: usize = 20;
@inline const NE_ENTRY: usize = 24;
@inline const NE_CHARS: usize = 28;

// ---- flags: the names the evtx mapping reads by name ----
@inline export const NAME_EVENT: u32 = 1;
@inline export const NAME_SYSTEM: u32 = 2;
@inline export const NAME_EVENTDATA: u32 = 4;
@inline export const NAME_USERDATA: u32 = 8;
@inline export const NAME_DATA: u32 = 16;
@inline export const NAME_NAME: u32 = 32;
/** Starts with `#`: as a JSON key it could collide with `#text` / `#attributes` (no XML name does). */
@inline export const NAME_HASH_SIGN: u32 = 64;
/** System's children and attribute that hold what a hit reports of its record (identity.ts). */
@inline export const NAME_EVENT_RECORD_ID: u32 = 128;
@inline export const NAME_TIME_CREATED: u32 = 256;
@inline export const NAME_SYSTEM_TIME: u32 = 512;

/** NE_NODE before the first lookup. */
@inline const NOT_LOOKED_UP: u32 = 0xfffffffe;
@inline const CH_HASH: u32 = 0x23;
@inline const NUL_BYTES: u32 = 2;
/** Offset of the character count inside a stored name. */
@inline const NAME_COUNT_AT: usize = 6;
/** A name table slot: the cache generation << SLOT_GENERATION_SHIFT | entry + 1 (NAME_ENTRIES <= 2^13). */
@inline const SLOT_GENERATION_SHIFT: u32 = 14;
@inline const SLOT_ENTRY_MASK: u32 = (1 << SLOT_GENERATION_SHIFT) - 1;
/** Multiplier of the offset hash (Fibonacci hashing). */
@inline const OFFSET_HASH: u32 = 0x9e3779b1;

@inline function entry(e: u32): usize {
  return nameEntries + <usize>e * NAME_ENTRY_BYTES;
}

function isAscii(p: usize, len: u32, s: string): bool {
  if (<i32>len != s.length) return false;
  for (let i = 0; i < s.length; i++) if (<i32>load<u8>(p + <usize>i) != s.charCodeAt(i)) return false;
  return true;
}

function flagsOf(p: usize, len: u32): u32 {
  let f: u32 = 0;
  if (len > 0 && <u32>load<u8>(p) == CH_HASH) f |= NAME_HASH_SIGN;
  if (isAscii(p, len, 'Event')) f |= NAME_EVENT;
  else if (isAscii(p, len, 'System')) f |= NAME_SYSTEM;
  else if (isAscii(p, len, 'EventData')) f |= NAME_EVENTDATA;
  else if (isAscii(p, len, 'UserData')) f |= NAME_USERDATA;
  else if (isAscii(p, len, 'Data')) f |= NAME_DATA;
  else if (isAscii(p, len, 'Name')) f |= NAME_NAME;
  else if (isAscii(p, len, 'EventRecordID')) f |= NAME_EVENT_RECORD_ID;
  else if (isAscii(p, len, 'TimeCreated')) f |= NAME_TIME_CREATED;
  else if (isAscii(p, len, 'SystemTime')) f |= NAME_SYSTEM_TIME;
  return f;
}

/** The entry of the name stored at chunk offset `offset`, or NO_ENTRY when it runs past the chunk (or the caches are full). */
export function nameAt(offset: u32): u32 {
  let slot = (offset * OFFSET_HASH) >> 18; // NAME_SLOTS = 2^14
  for (let probes: u32 = 0; probes < NAME_SLOTS; probes++) {
    let at = nameTable + (<usize>slot << 2);
    let word = load<u32>(at);
    if (word >> SLOT_GENERATION_SHIFT != cacheGeneration) return addName(at, offset);
    let e = word & SLOT_ENTRY_MASK;
    if (load<u32>(entry(e - 1), NE_OFFSET) == offset) return e - 1;
    slot = (slot + 1) & (NAME_SLOTS - 1);
  }
  return NO_ENTRY;
}

function addName(tableSlot: usize, offset: u32): u32 {
  if (<u64>offset + <u64>NAME_HEADER_BYTES > <u64>chunkLength) return NO_ENTRY;
  let chars = <u32>load<u16>(chunkBase + <usize>offset + NAME_COUNT_AT);
  if (<u64>offset + <u64>NAME_HEADER_BYTES + (<u64>chars << 1) > <u64>chunkLength) return NO_ENTRY;
  let src = chunkBase + <usize>offset + <usize>NAME_HEADER_BYTES;
  let units = unitsBeforeNul(src, chars);
  let text = takeNameText(units * UTF8_PER_UNIT);
  if (text == 0) return NO_ENTRY;
  let e = takeNameEntry();
  if (e == NO_ENTRY) return NO_ENTRY;
  let len = utf16ToUtf8(src, units, text);
  let p = entry(e);
  store<u32>(p, offset, NE_OFFSET);
  store<u32>(p, <u32>text, NE_TEXT);
  store<u32>(p, len, NE_LENGTH);
  store<u32>(p, flagsOf(text, len), NE_FLAGS);
  store<u32>(p, fnv(FNV_OFFSET, text, len), NE_HASH);
  store<u32>(p, NOT_LOOKED_UP, NE_NODE);
  store<u32>(p, 0, NE_ENTRY);
  store<u32>(p, chars, NE_CHARS);
  store<u32>(tableSlot, (cacheGeneration << SLOT_GENERATION_SHIFT) | (e + 1));
  return e;
}

/** Bytes a name stored in place occupies (header, characters, NUL). */
@inline export function nameStoredBytes(e: u32): u32 {
  return NAME_HEADER_BYTES + (load<u32>(entry(e), NE_CHARS) << 1) + NUL_BYTES;
}

@inline export function nameText(e: u32): usize {
  return <usize>load<u32>(entry(e), NE_TEXT);
}

@inline export function nameLength(e: u32): u32 {
  return load<u32>(entry(e), NE_LENGTH);
}

@inline export function nameFlags(e: u32): u32 {
  return load<u32>(entry(e), NE_FLAGS);
}

@inline export function nameHash(e: u32): u32 {
  return load<u32>(entry(e), NE_HASH);
}

/** Do two entries hold the same name? */
export function sameName(a: u32, b: u32): bool {
  if (a == b) return true;
  let len = nameLength(a);
  return nameHash(a) == nameHash(b) && len == nameLength(b) && memory.compare(nameText(a), nameText(b), <usize>len) == 0;
}

/** The name as a flat key: its trie node (NO_NODE when no field reads it); rootEntry gives the trie entry. */
export function nameNode(e: u32): u32 {
  let p = entry(e);
  let node = load<u32>(p, NE_NODE);
  if (node == NOT_LOOKED_UP) {
    node = findChild(ROOT, <usize>load<u32>(p, NE_TEXT), load<u32>(p, NE_LENGTH));
    store<u32>(p, node, NE_NODE);
    store<u32>(p, node == NO_NODE ? 0 : <u32>foundEntry, NE_ENTRY);
  }
  return node;
}

/** The trie entry of the name's key (after nameNode found it): the owner for `K_Y` lookups. */
@inline export function nameEntry(e: u32): usize {
  return <usize>load<u32>(entry(e), NE_ENTRY);
}
