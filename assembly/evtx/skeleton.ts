// Template definitions of a chunk, parsed once per chunk into skeletons: nodes for the elements, attributes and text
// of the template, and placeholder nodes for its substitutions, which each record fills with its own values
// (flat.ts reads a record as its template's skeleton plus its values). The grammar and its limits are those of the
// reference (src/input/evtx/binxml.ts: Parser.templateFragment / templateElement); what the reference would refuse,
// this refuses too. A template holding what the VM leaves to the host (a template instance nested in its body) is
// marked so, and its records go to the host.
import * as F from './format';
import {
  NAME_DATA, NAME_EVENT_RECORD_ID, NAME_HASH_SIGN, NAME_NAME, NAME_SYSTEM, NAME_SYSTEM_TIME, NAME_TIME_CREATED, nameAt, nameFlags, nameStoredBytes,
  sameName,
} from './names';
import {
  NODE_BYTES, NO_ENTRY, TEMPLATE_ENTRY_BYTES, TEMPLATE_SLOTS, cacheGeneration, chunkBase, chunkLength, nodes, takeNode,
  templateTable,
} from './region';
import { valueUnits } from './utf16';

// ---- nodes: 8 words ----
@inline export const N_KIND: usize = 0;
@inline export const N_NEXT: usize = 4;
@inline export const N_A: usize = 8;
@inline export const N_B: usize = 12;
@inline export const N_C: usize = 16;
@inline export const N_D: usize = 20;
@inline export const N_E: usize = 24;
@inline export const N_F: usize = 28;

@inline export const K_ELEMENT: u32 = 1;
@inline export const K_ATTR: u32 = 2;
/** Text stored in place (value token or CDATA): N_A its chunk offset, N_B its units (trimmed). */
@inline export const K_TEXT: u32 = 3;
/** A substitution: N_A its index, N_B 1 when optional. */
@inline export const K_SUBST: u32 = 4;
@inline export const K_CHARREF: u32 = 5;
@inline export const K_ENTREF: u32 = 6;
@inline export const K_PI: u32 = 7;
/**
 * A template's substitutions for the per-record check (record.ts checkInstance), in the tree's order: N_A the first
 * (then each SUBST node's N_C the next, its N_D its depth below the root << SUBST_DEPTH_SHIFT | SUBST_IN_CONTENT),
 * N_B the template's elements. Not in the tree: the root element's N_F is this node + 1.
 */
@inline export const K_INFO: u32 = 8;
/** K_INFO: the substitution index + 1 of System's EventRecordID and of TimeCreated/@SystemTime where the template
 * holds each as one substitution and nothing else (0: it does not), found as the reference's recordSystemValues
 * finds them (the first System child of the root, its first such child, the first such attribute). */
@inline export const INFO_RECORD_ID: usize = N_C;
@inline export const INFO_TIME: usize = N_D;
@inline export const SUBST_IN_CONTENT: u32 = 1;
@inline export const SUBST_DEPTH_SHIFT: u32 = 1;

// ELEMENT: N_A name, N_B first attribute, N_C first child, N_D EL_* flags, N_E element children.
@inline export const EL_ELEMENT_CHILD: u32 = 1;
/** A child text node with text, or a character or entity reference. */
@inline export const EL_STATIC_TEXT: u32 = 2;
@inline export const EL_NAMES_DISTINCT: u32 = 4;
/** The names of the element children other than `Data` are distinct. */
@inline export const EL_OTHER_NAMES_DISTINCT: u32 = 8;
@inline export const EL_DATA_CHILD: u32 = 16;
@inline export const EL_ATTR_NAMES_DISTINCT: u32 = 32;
/** Every `Data` child's `Name` attribute is absent or one text node in place. */
@inline export const EL_DATA_NAMES_STATIC: u32 = 64;
/** ... and the non-empty ones are distinct. */
@inline export const EL_DATA_NAMES_DISTINCT: u32 = 128;
@inline export const EL_SUBST_CHILD: u32 = 256;
/** A child element or attribute name starts with `#`: as JSON keys they could collide with `#text`, `#attributes`. */
@inline export const EL_HASH_NAMES: u32 = 512;
/** The content is one substitution and nothing else (most `Data` elements). */
@inline export const EL_ONE_SUBST: u32 = 1024;
// ATTR: N_A name, N_B first value node, N_C ATTR_* flags, N_D/N_E the K_Y lookup cache (flat.ts).
@inline export const ATTR_STATIC_TEXT: u32 = 1;
/** The value is one substitution and nothing else (TimeCreated's SystemTime, Execution's ProcessID, ...). */
@inline export const ATTR_ONE_SUBST: u32 = 2;
// TEXT: N_C..N_F the key lookup cache when the text is a `Name` (flat.ts).

/** Deepest element nesting in a template (its root is at depth 1), as the reference's MAX_DEPTH. */
@inline const MAX_DEPTH: u32 = 64;
@inline export const NONE: u32 = 0xffffffff;
@inline const MAX_DISTINCT_CHECK: u32 = 64;

// ---- template table: the cache generation << KEY_GENERATION_SHIFT | offset + 1, status, root element ----
@inline const KEY_GENERATION_SHIFT: u32 = 17;
@inline const KEY_OFFSET_MASK: u32 = (1 << KEY_GENERATION_SHIFT) - 1;
@inline const T_OFFSET: usize = 0;
@inline const T_STATUS: usize = 4;
@inline const T_ROOT: usize = 8;
@inline export const TEMPLATE_OK: u32 = 1;
/** The reference may refuse it, or it holds what the VM leaves to the host: its records go to the host. */
@inline export const TEMPLATE_HOST: u32 = 2;

// ---- parse state ----
let pos: usize = 0;
let end: usize = 0;
let failed: bool = false;

@inline export function node(n: u32): usize {
  return nodes + <usize>n * NODE_BYTES;
}

@inline export function kindOf(n: u32): u32 {
  return load<u32>(node(n), N_KIND);
}

@inline function fail(): u32 {
  failed = true;
  return NONE;
}

@inline function need(bytes: usize): bool {
  if (pos + bytes > end) {
    failed = true;
    return false;
  }
  return true;
}

@inline function chunkOffset(p: usize): u32 {
  return <u32>(p - chunkBase);
}

function newNode(kind: u32): u32 {
  let n = takeNode();
  if (n == NO_ENTRY) return fail();
  let p = node(n);
  store<u32>(p, kind, N_KIND);
  store<u32>(p, NONE, N_NEXT);
  store<u64>(p, 0, N_A);
  store<u64>(p, 0, N_C);
  store<u64>(p, 0, N_E);
  return n;
}

/** A name reference: the entry of the name at its offset; a name stored in place is stepped over. */
function nameRef(): u32 {
  if (!need(4)) return NONE;
  let offset = load<u32>(pos);
  pos += 4;
  if (offset >= chunkLength) return fail();
  let e = nameAt(offset);
  if (e == NO_ENTRY) return fail();
  if (offset == chunkOffset(pos)) {
    if (!need(<usize>F.NAME_HEADER_BYTES)) return NONE;
    pos += <usize>nameStoredBytes(e);
    if (pos > end) return fail();
  }
  return e;
}

/** Text in place: a character count, then the characters. */
function textNode(): u32 {
  if (!need(2)) return NONE;
  let chars = <u32>load<u16>(pos);
  pos += 2;
  if (!need(<usize>chars << 1)) return NONE;
  let n = newNode(K_TEXT);
  if (n == NONE) return NONE;
  store<u32>(node(n), chunkOffset(pos), N_A);
  store<u32>(node(n), valueUnits(pos, chars), N_B);
  pos += <usize>chars << 1;
  return n;
}

/** A text-like node at pos (value text, CDATA when allowed, substitution, character or entity reference), NONE when
 * the token is not one (`failed` tells errors apart). */
function contentNode(cdata: bool): u32 {
  if (!need(1)) return NONE;
  let t = <u32>load<u8>(pos);
  let base = t & ~F.TOKEN_MORE_FLAG;
  if (base == F.TOKEN_VALUE) {
    pos++;
    if (!need(1)) return NONE;
    if (<u32>load<u8>(pos) != F.TYPE_STRING) return fail();
    pos++;
    return textNode();
  }
  if (cdata && base == F.TOKEN_CDATA) {
    pos++;
    return textNode();
  }
  if (t == F.TOKEN_NORMAL_SUBSTITUTION || t == F.TOKEN_OPTIONAL_SUBSTITUTION) {
    pos++;
    if (!need(3)) return NONE;
    let n = newNode(K_SUBST);
    if (n == NONE) return NONE;
    store<u32>(node(n), <u32>load<u16>(pos), N_A);
    store<u32>(node(n), t == F.TOKEN_OPTIONAL_SUBSTITUTION ? 1 : 0, N_B);
    pos += 3;
    return n;
  }
  if (base == F.TOKEN_CHAR_REF) {
    pos++;
    if (!need(2)) return NONE;
    let n = newNode(K_CHARREF);
    if (n == NONE) return NONE;
    store<u32>(node(n), <u32>load<u16>(pos), N_A);
    pos += 2;
    return n;
  }
  if (base == F.TOKEN_ENTITY_REF) {
    pos++;
    let name = nameRef();
    if (name == NONE) return NONE;
    let n = newNode(K_ENTREF);
    if (n == NONE) return NONE;
    store<u32>(node(n), name, N_A);
    return n;
  }
  return NONE;
}

/** A processing instruction token (target name, or data text): skipped, as the reference renders nothing of it. */
function pi(): bool {
  let t = <u32>load<u8>(pos);
  pos++;
  if (t == F.TOKEN_PI_TARGET) return nameRef() != NONE;
  if (!need(2)) return false;
  let chars = <usize>load<u16>(pos);
  pos += 2;
  if (!need(chars << 1)) return false;
  pos += chars << 1;
  return true;
}

/** Is the node a text node with text? (static: in place, or a reference) */
@inline function staticText(n: u32): bool {
  let k = kindOf(n);
  return (k == K_TEXT && load<u32>(node(n), N_B) != 0) || k == K_CHARREF || k == K_ENTREF;
}

/** The `Name` attribute of element `el`, or NONE. */
export function nameAttribute(el: u32): u32 {
  for (let a = load<u32>(node(el), N_B); a != NONE; a = load<u32>(node(a), N_NEXT)) {
    if ((nameFlags(load<u32>(node(a), N_A)) & NAME_NAME) != 0) return a;
  }
  return NONE;
}

/** Same text of two text nodes (both in place). */
function sameText(a: u32, b: u32): bool {
  let units = load<u32>(node(a), N_B);
  if (units != load<u32>(node(b), N_B)) return false;
  let pa = chunkBase + <usize>load<u32>(node(a), N_A);
  let pb = chunkBase + <usize>load<u32>(node(b), N_A);
  // Most names differ in their first two characters: tell them apart before comparing the rest.
  if (units >= 2 && load<u32>(pa) != load<u32>(pb)) return false;
  return memory.compare(pa, pb, <usize>units << 1) == 0;
}

/** Facts about an element's children and attributes that hold for every record (EL_* flags). */
function elementFacts(el: u32): void {
  let p = node(el);
  let flags: u32 = EL_NAMES_DISTINCT | EL_OTHER_NAMES_DISTINCT | EL_ATTR_NAMES_DISTINCT | EL_DATA_NAMES_STATIC | EL_DATA_NAMES_DISTINCT;
  let elements: u32 = 0;
  let first = load<u32>(p, N_C);
  if (first != NONE && kindOf(first) == K_SUBST && load<u32>(node(first), N_NEXT) == NONE) flags |= EL_ONE_SUBST;
  for (let c = first; c != NONE; c = load<u32>(node(c), N_NEXT)) {
    let k = kindOf(c);
    if (k == K_SUBST) flags |= EL_SUBST_CHILD;
    if (staticText(c)) flags |= EL_STATIC_TEXT;
    if (k != K_ELEMENT) continue;
    flags |= EL_ELEMENT_CHILD;
    elements++;
    let name = load<u32>(node(c), N_A);
    if ((nameFlags(name) & NAME_HASH_SIGN) != 0) flags |= EL_HASH_NAMES;
    let isData = (nameFlags(name) & NAME_DATA) != 0;
    if (isData) {
      flags |= EL_DATA_CHILD;
      let a = nameAttribute(c);
      if (a != NONE) {
        let v = load<u32>(node(a), N_B);
        if (v == NONE || kindOf(v) != K_TEXT || load<u32>(node(v), N_NEXT) != NONE) flags &= ~(EL_DATA_NAMES_STATIC | EL_DATA_NAMES_DISTINCT);
      }
    }
    if (elements > MAX_DISTINCT_CHECK) {
      flags &= ~(EL_NAMES_DISTINCT | EL_OTHER_NAMES_DISTINCT | EL_DATA_NAMES_DISTINCT);
      continue;
    }
    // A `Data` child can only clear EL_NAMES_DISTINCT (its equals are `Data` too): once that is clear, nothing to
    // look for (EventData's twenty `Data` children need no 190 comparisons).
    if (isData && (flags & EL_NAMES_DISTINCT) == 0) continue;
    // Pairwise with the earlier children (at most MAX_DISTINCT_CHECK of them).
    for (let d = load<u32>(p, N_C); d != c; d = load<u32>(node(d), N_NEXT)) {
      if (kindOf(d) != K_ELEMENT) continue;
      if (!sameName(name, load<u32>(node(d), N_A))) continue;
      flags &= ~EL_NAMES_DISTINCT;
      if (!isData) flags &= ~EL_OTHER_NAMES_DISTINCT;
    }
  }
  if ((flags & EL_DATA_NAMES_STATIC) != 0 && (flags & EL_DATA_NAMES_DISTINCT) != 0 && !dataNamesDistinct(el)) flags &= ~EL_DATA_NAMES_DISTINCT;
  let attrs: u32 = 0;
  for (let a = load<u32>(p, N_B); a != NONE; a = load<u32>(node(a), N_NEXT)) {
    if ((nameFlags(load<u32>(node(a), N_A)) & NAME_HASH_SIGN) != 0) flags |= EL_HASH_NAMES;
    if (++attrs > MAX_DISTINCT_CHECK) {
      flags &= ~EL_ATTR_NAMES_DISTINCT;
      break;
    }
    for (let b = load<u32>(p, N_B); b != a; b = load<u32>(node(b), N_NEXT)) {
      if (sameName(load<u32>(node(a), N_A), load<u32>(node(b), N_A))) flags &= ~EL_ATTR_NAMES_DISTINCT;
    }
  }
  store<u32>(p, flags, N_D);
  store<u32>(p, elements, N_E);
}

/** The non-empty `Name` texts dataNamesDistinct compares: their text nodes and fingerprints. */
const nameTexts = memory.data(<i32>(MAX_DISTINCT_CHECK * 4));
const nameFingerprints = memory.data(<i32>(MAX_DISTINCT_CHECK * 8), 8);

/** Equal texts have equal fingerprints (their units, first and last two units); most different ones do not. */
function textFingerprint(t: u32): u64 {
  let units = load<u32>(node(t), N_B);
  let p = chunkBase + <usize>load<u32>(node(t), N_A);
  let bytes = <usize>units << 1;
  let edges: u64 = bytes >= 4 ? (<u64>load<u32>(p) << 32) | <u64>load<u32>(p + bytes - 4) : <u64>load<u16>(p);
  return edges ^ ((<u64>units) << 56) ^ (<u64>units);
}

/** Are the non-empty `Name` texts of the `Data` children (all in place) distinct? Fingerprints first, so twenty
 * names cost 190 integer comparisons rather than 190 text comparisons. */
function dataNamesDistinct(el: u32): bool {
  let count: u32 = 0;
  for (let c = load<u32>(node(el), N_C); c != NONE; c = load<u32>(node(c), N_NEXT)) {
    if (kindOf(c) != K_ELEMENT || (nameFlags(load<u32>(node(c), N_A)) & NAME_DATA) == 0) continue;
    let a = nameAttribute(c);
    if (a == NONE) continue;
    let t = load<u32>(node(a), N_B);
    if (load<u32>(node(t), N_B) == 0) continue;
    if (count == MAX_DISTINCT_CHECK) return false;
    let fingerprint = textFingerprint(t);
    for (let i: u32 = 0; i < count; i++) {
      if (load<u64>(nameFingerprints + (<usize>i << 3)) == fingerprint && sameText(t, load<u32>(nameTexts + (<usize>i << 2)))) return false;
    }
    store<u32>(nameTexts + (<usize>count << 2), t);
    store<u64>(nameFingerprints + (<usize>count << 3), fingerprint);
    count++;
  }
  return true;
}

/** Facts about an attribute's value nodes. */
function attributeFacts(a: u32): void {
  let flags: u32 = 0;
  let first = load<u32>(node(a), N_B);
  for (let v = first; v != NONE; v = load<u32>(node(v), N_NEXT)) if (staticText(v)) flags |= ATTR_STATIC_TEXT;
  if (first != NONE && kindOf(first) == K_SUBST && load<u32>(node(first), N_NEXT) == NONE) flags |= ATTR_ONE_SUBST;
  store<u32>(node(a), flags, N_C);
}

/** An element at pos (its open-start token), with its attributes and content. */
function element(depth: u32): u32 {
  if (depth > MAX_DEPTH) return fail();
  if (!need(1)) return NONE;
  let token = <u32>load<u8>(pos);
  pos++;
  if (!need(2 + 4)) return NONE;
  pos += 2 + 4; // dependency identifier, data size
  let name = nameRef();
  if (name == NONE) return NONE;
  let el = newNode(K_ELEMENT);
  if (el == NONE) return NONE;
  store<u32>(node(el), name, N_A);
  store<u32>(node(el), NONE, N_B);
  store<u32>(node(el), NONE, N_C);
  if ((token & F.TOKEN_MORE_FLAG) != 0) {
    if (!need(4)) return NONE;
    pos += 4; // attribute list size
    let last = NONE;
    while (true) {
      if (!need(1)) return NONE;
      if ((<u32>load<u8>(pos) & ~F.TOKEN_MORE_FLAG) != F.TOKEN_ATTRIBUTE) break;
      pos++;
      let attrName = nameRef();
      if (attrName == NONE) return NONE;
      let a = newNode(K_ATTR);
      if (a == NONE) return NONE;
      store<u32>(node(a), attrName, N_A);
      store<u32>(node(a), NONE, N_B);
      let lastValue = NONE;
      while (true) {
        let v = contentNode(false);
        if (v == NONE) break;
        if (lastValue == NONE) store<u32>(node(a), v, N_B);
        else store<u32>(node(lastValue), v, N_NEXT);
        lastValue = v;
      }
      if (failed) return NONE;
      attributeFacts(a);
      if (last == NONE) store<u32>(node(el), a, N_B);
      else store<u32>(node(last), a, N_NEXT);
      last = a;
    }
  }
  if (!need(1)) return NONE;
  let close = <u32>load<u8>(pos);
  pos++;
  if (close == F.TOKEN_CLOSE_EMPTY) {
    elementFacts(el);
    return el;
  }
  if (close != F.TOKEN_CLOSE_START) return fail();
  let last = NONE;
  while (true) {
    if (!need(1)) return NONE;
    let t = <u32>load<u8>(pos);
    let child: u32;
    if (t == F.TOKEN_END_ELEMENT) {
      pos++;
      break;
    }
    if ((t & ~F.TOKEN_MORE_FLAG) == F.TOKEN_OPEN_START) child = element(depth + 1);
    else if (t == F.TOKEN_TEMPLATE_INSTANCE) {
      // A template instance inside a definition: the host's reference reads such records.
      return fail();
    } else if (t == F.TOKEN_PI_TARGET || t == F.TOKEN_PI_DATA) {
      if (!pi()) return NONE;
      child = newNode(K_PI);
    } else {
      child = contentNode(true);
      if (child == NONE && !failed) return fail();
    }
    if (child == NONE) return NONE;
    if (last == NONE) store<u32>(node(el), child, N_C);
    else store<u32>(node(last), child, N_NEXT);
    last = child;
  }
  elementFacts(el);
  return el;
}

@inline function templateEntry(slot: u32): usize {
  return templateTable + <usize>slot * TEMPLATE_ENTRY_BYTES;
}

/**
 * The skeleton of the template defined at chunk offset `definition`: its root element, or NONE when its records go
 * to the host (the reference may refuse the definition, or it holds what the VM does not read).
 * Parsed the first time, then found in the table.
 */
export function templateAt(definition: u32): u32 {
  let slot = (definition * 0x9e3779b1) >> 20; // TEMPLATE_SLOTS = 2^12
  let t: usize = 0;
  for (let probes: u32 = 0; probes < TEMPLATE_SLOTS; probes++) {
    t = templateEntry(slot);
    let key = load<u32>(t, T_OFFSET);
    if (key >> KEY_GENERATION_SHIFT != cacheGeneration) break;
    if ((key & KEY_OFFSET_MASK) == definition + 1) return load<u32>(t, T_STATUS) == TEMPLATE_OK ? load<u32>(t, T_ROOT) : NONE;
    slot = (slot + 1) & (TEMPLATE_SLOTS - 1);
    t = 0;
  }
  let root = parseTemplate(definition);
  if (t != 0) {
    store<u32>(t, (cacheGeneration << KEY_GENERATION_SHIFT) | (definition + 1), T_OFFSET);
    store<u32>(t, root == NONE ? TEMPLATE_HOST : TEMPLATE_OK, T_STATUS);
    store<u32>(t, root, T_ROOT);
  }
  return root;
}

let lastSubst: u32 = NONE;
let infoNode: u32 = NONE;
let elementTotal: u32 = 0;

function listSubst(n: u32, depth: u32, inContent: bool): void {
  store<u32>(node(n), NONE, N_C);
  store<u32>(node(n), (depth << SUBST_DEPTH_SHIFT) | (inContent ? SUBST_IN_CONTENT : 0), N_D);
  if (lastSubst == NONE) store<u32>(node(infoNode), n, N_A);
  else store<u32>(node(lastSubst), n, N_C);
  lastSubst = n;
}

/** List the substitutions under `el` (attributes first, then content, as the reference resolves them). */
function listSubsts(el: u32, depth: u32): void {
  elementTotal++;
  for (let a = load<u32>(node(el), N_B); a != NONE; a = load<u32>(node(a), N_NEXT)) {
    for (let v = load<u32>(node(a), N_B); v != NONE; v = load<u32>(node(v), N_NEXT)) if (kindOf(v) == K_SUBST) listSubst(v, depth, false);
  }
  for (let c = load<u32>(node(el), N_C); c != NONE; c = load<u32>(node(c), N_NEXT)) {
    let k = kindOf(c);
    if (k == K_ELEMENT) listSubsts(c, depth + 1);
    else if (k == K_SUBST) listSubst(c, depth, true);
  }
}

/** The template's K_INFO node (its root is a parsed template's). */
@inline export function templateInfo(root: u32): u32 {
  return load<u32>(node(root), N_F) - 1;
}

function parseTemplate(definition: u32): u32 {
  let root = parseTemplateTree(definition);
  if (root == NONE) return NONE;
  infoNode = newNode(K_INFO);
  if (infoNode == NONE) return NONE;
  store<u32>(node(infoNode), NONE, N_A);
  lastSubst = NONE;
  elementTotal = 0;
  listSubsts(root, 0);
  store<u32>(node(infoNode), elementTotal, N_B);
  let system = firstChildNamed(root, NAME_SYSTEM);
  let recordId = firstChildNamed(system, NAME_EVENT_RECORD_ID);
  if (recordId != NONE) store<u32>(node(infoNode), oneSubstIndex(load<u32>(node(recordId), N_C)), INFO_RECORD_ID);
  let created = firstChildNamed(system, NAME_TIME_CREATED);
  if (created != NONE) {
    for (let a = load<u32>(node(created), N_B); a != NONE; a = load<u32>(node(a), N_NEXT)) {
      if ((nameFlags(load<u32>(node(a), N_A)) & NAME_SYSTEM_TIME) == 0) continue;
      store<u32>(node(infoNode), oneSubstIndex(load<u32>(node(a), N_B)), INFO_TIME);
      break;
    }
  }
  store<u32>(node(root), infoNode + 1, N_F);
  return root;
}

/** The first element child of `el` (NONE: none) whose name has `flag`. */
function firstChildNamed(el: u32, flag: u32): u32 {
  if (el == NONE) return NONE;
  for (let c = load<u32>(node(el), N_C); c != NONE; c = load<u32>(node(c), N_NEXT)) {
    if (kindOf(c) == K_ELEMENT && (nameFlags(load<u32>(node(c), N_A)) & flag) != 0) return c;
  }
  return NONE;
}

/** Nodes from `first` that are one substitution and nothing else: its index + 1, else 0. */
function oneSubstIndex(first: u32): u32 {
  if (first == NONE || kindOf(first) != K_SUBST || load<u32>(node(first), N_NEXT) != NONE) return 0;
  return load<u32>(node(first), N_A) + 1;
}

function parseTemplateTree(definition: u32): u32 {
  if (<u64>definition + <u64>F.TEMPLATE_DEFINITION_HEADER_BYTES > <u64>chunkLength) return NONE;
  let size = load<u32>(chunkBase + <usize>definition + <usize>F.TEMPLATE_DEFINITION_SIZE);
  let bodyStart = definition + F.TEMPLATE_DEFINITION_HEADER_BYTES;
  if (<u64>bodyStart + <u64>size > <u64>chunkLength) return NONE;
  pos = chunkBase + <usize>bodyStart;
  end = pos + <usize>size;
  failed = false;
  let root = NONE;
  while (pos < end) {
    let t = <u32>load<u8>(pos);
    if (t == F.TOKEN_EOF) break;
    if (t == F.TOKEN_FRAGMENT_HEADER) {
      if (!need(<usize>F.FRAGMENT_HEADER_BYTES)) break;
      pos += <usize>F.FRAGMENT_HEADER_BYTES;
    } else if ((t & ~F.TOKEN_MORE_FLAG) == F.TOKEN_OPEN_START) {
      let el = element(1);
      if (el == NONE) break;
      // One root: a template of several gives a record several roots, which the host reads.
      if (root != NONE) failed = true;
      root = el;
    } else if (t == F.TOKEN_PI_TARGET || t == F.TOKEN_PI_DATA) {
      if (!pi()) break;
    } else {
      failed = true;
      break;
    }
  }
  return failed ? NONE : root;
}

/** The chunk offset just past a template definition stored at `definition` (its header and body). */
export function templateEnd(definition: u32): u32 {
  return definition + F.TEMPLATE_DEFINITION_HEADER_BYTES + load<u32>(chunkBase + <usize>definition + <usize>F.TEMPLATE_DEFINITION_SIZE);
}
