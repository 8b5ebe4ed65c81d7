// One event record's binary XML as the VM reads it: fragment header(s), a template instance (the definition, parsed
// once per chunk by skeleton.ts, and the record's substitution values), then the end of the fragment. A binary XML
// value (type 0x21; Sysmon's EventData is one) is read the same way: a template instance of its own, with its own
// values, a context. The whole tree is then checked as the reference resolves it (src/input/evtx/binxml.ts
// resolveElement / resolveNodes), with the same depth and size limits, through each template's list of its
// substitutions (no walk of the tree): every value the tree holds must be one the VM renders exactly as the reference
// does. Anything else (raw elements, trailing tokens, templates with
// several roots, floats, arrays, what the reference may refuse) leaves the record to the host's reference decoder.
import * as F from './format';
import { CONTEXT_BYTES, CONTEXT_CAPACITY, VALUE_CAPACITY, VALUE_ENTRY_BYTES, chunkBase, contextTable, valueTable } from './region';
import { NONE, N_A, N_B, N_C, N_D, SUBST_DEPTH_SHIFT, SUBST_IN_CONTENT, node, templateAt, templateEnd, templateInfo } from './skeleton';
import { V_CONTEXT, V_EMPTY, V_PTR, V_ROOT, V_SIZE, V_TYPE, valueEmpty, valueInVm, valueIsEmpty } from './values';

/** Resolution depth and size limits of the reference (binxml.ts MAX_DEPTH, MAX_NODES). */
@inline const MAX_DEPTH: u32 = 64;
@inline const MAX_NODES: u32 = 1 << 18;
/** Context fields: the instance's first value entry and its value count. */
@inline const C_VALUES: usize = 0;
@inline const C_COUNT: usize = 4;

let valuesUsed: u32 = 0;
let contextsUsed: u32 = 0;
let resolved: u32 = 0;

/** The value `index` of context `ctx` (its entry), or 0 when the instance has no such value. */
@inline export function contextValue(ctx: u32, index: u32): usize {
  let c = contextTable + <usize>ctx * CONTEXT_BYTES;
  return index < load<u32>(c, C_COUNT) ? <usize>load<u32>(c, C_VALUES) + <usize>index * VALUE_ENTRY_BYTES : 0;
}

/** A template instance's token at `pos` (in [pos, end)): its root element, with a new context for its values
 * (instanceContext); NONE when the VM does not read it. `instanceEnd` is where it ends. */
let instanceContext: u32 = 0;
let instanceEnd: usize = 0;

function readInstance(pos: usize, end: usize): u32 {
  // token, unknown byte, template identifier, definition offset
  if (pos + 10 > end) return NONE;
  let definition = load<u32>(pos + 6);
  pos += 10;
  let root = templateAt(definition);
  if (root == NONE) return NONE;
  // A definition stored in place follows the instance header; the values come after it.
  if (<usize>definition == pos - chunkBase) pos = chunkBase + <usize>templateEnd(definition);
  if (pos + 4 > end) return NONE;
  let count = load<u32>(pos);
  pos += 4;
  if (<u64>count * <u64>F.DESCRIPTOR_BYTES > <u64>(end - pos)) return NONE;
  if (count > VALUE_CAPACITY - valuesUsed || contextsUsed >= CONTEXT_CAPACITY) return NONE;
  let first = valueTable + <usize>valuesUsed * VALUE_ENTRY_BYTES;
  let data = pos + <usize>count * <usize>F.DESCRIPTOR_BYTES;
  for (let i: u32 = 0; i < count; i++) {
    let d = pos + <usize>i * <usize>F.DESCRIPTOR_BYTES;
    let bytes = <u32>load<u16>(d);
    if (data + <usize>bytes > end) return NONE;
    let v = first + <usize>i * VALUE_ENTRY_BYTES;
    let type = <u32>load<u8>(d, 2);
    store<u32>(v, type, V_TYPE);
    store<u32>(v, bytes, V_SIZE);
    store<u32>(v, <u32>data, V_PTR);
    store<u32>(v, NONE, V_ROOT);
    store<u32>(v, valueIsEmpty(type, bytes, data) ? 1 : 0, V_EMPTY);
    data += <usize>bytes;
  }
  valuesUsed += count;
  let c = contextTable + <usize>contextsUsed * CONTEXT_BYTES;
  store<u32>(c, <u32>first, C_VALUES);
  store<u32>(c, count, C_COUNT);
  instanceContext = contextsUsed++;
  instanceEnd = data;
  return root;
}

/** A fragment in [pos, end): fragment header(s), one template instance, then the end (EOF or nothing). */
function readFragment(pos: usize, end: usize): u32 {
  while (true) {
    if (pos >= end) return NONE;
    let t = <u32>load<u8>(pos);
    if (t == F.TOKEN_FRAGMENT_HEADER) {
      if (pos + <usize>F.FRAGMENT_HEADER_BYTES > end) return NONE;
      pos += <usize>F.FRAGMENT_HEADER_BYTES;
    } else if (t == F.TOKEN_TEMPLATE_INSTANCE) break;
    else return NONE;
  }
  let root = readInstance(pos, end);
  if (root == NONE) return NONE;
  if (instanceEnd < end && load<u8>(instanceEnd) != F.TOKEN_EOF) return NONE;
  return root;
}

/** Check a substitution as the reference resolves it; read a binary XML value's element. */
function checkSubst(n: u32, ctx: u32, depth: u32, inContent: bool): bool {
  let v = contextValue(ctx, load<u32>(node(n), N_A));
  if (v == 0) return true;
  if (load<u32>(node(n), N_B) != 0 && valueEmpty(v)) return true;
  if (++resolved > MAX_NODES) return false;
  if (load<u32>(v, V_TYPE) != F.TYPE_BINXML) return valueInVm(v);
  let size = load<u32>(v, V_SIZE);
  if (size == 0) return true;
  // An element in an attribute's value, or nested past the reference's limit: the host's.
  if (!inContent || depth + 1 > MAX_DEPTH) return false;
  let p = <usize>load<u32>(v, V_PTR);
  let root = readFragment(p, p + <usize>size);
  if (root == NONE) return false;
  let nested = instanceContext;
  store<u32>(v, root, V_ROOT);
  store<u32>(v, nested, V_CONTEXT);
  return checkInstance(root, nested, depth + 2);
}

/**
 * Check an instance whose root is at `depth` as the reference resolves it: its template's elements counted, then its
 * substitutions in the tree's order (skeleton.ts K_INFO), without walking the tree.
 */
function checkInstance(root: u32, ctx: u32, depth: u32): bool {
  let info = templateInfo(root);
  resolved += load<u32>(node(info), N_B);
  if (resolved > MAX_NODES) return false;
  for (let s = load<u32>(node(info), N_A); s != NONE; s = load<u32>(node(s), N_C)) {
    let facts = load<u32>(node(s), N_D);
    if (!checkSubst(s, ctx, depth + (facts >> SUBST_DEPTH_SHIFT), (facts & SUBST_IN_CONTENT) != 0)) return false;
  }
  return true;
}

/**
 * Read the binary XML of the record at chunk offset `at` with `size` bytes (header and trailing size included):
 * the root element of its template (its context is 0), or NONE when the host must read the record.
 */
export function readRecordInstance(at: u32, size: u32): u32 {
  valuesUsed = 0;
  contextsUsed = 0;
  resolved = 0;
  let root = readFragment(chunkBase + <usize>at + <usize>F.RECORD_HEADER_BYTES, chunkBase + <usize>at + <usize>size - 4);
  if (root == NONE) return NONE;
  return checkInstance(root, 0, 1) ? root : NONE;
}
