// The .evtx decoder's region (CTX_EVTX_PTR, laid out by the host the first time it scans a chunk) and the chunk at
// hand. Per chunk: the names and the parsed template definitions, both keyed by their offset in the chunk (names and
// templates are stored once per chunk and referenced by offset); per record: the substitution values.
//
//   [name table: NAME_SLOTS u32][name entries][name text (UTF-8)][template table][nodes][record values][contexts]
//
// Every table is bounded; a chunk that needs more (a hostile one: names and templates may overlap) gets no more,
// and the records that need it go to the host's reference decoder.

@inline export const NAME_SLOTS: u32 = 16384;
@inline export const NAME_ENTRIES: u32 = 8192;
@inline export const NAME_ENTRY_BYTES: usize = 32;
@inline export const NAME_TEXT_BYTES: u32 = 1 << 17;
@inline export const TEMPLATE_SLOTS: u32 = 4096;
@inline export const TEMPLATE_ENTRY_BYTES: usize = 12;
@inline export const NODE_CAPACITY: u32 = 24576;
@inline export const NODE_BYTES: usize = 32;
@inline export const VALUE_CAPACITY: u32 = 16384;
/** Type, size, pointer, for a binary XML value the root element and context it was read as, and an empty flag. */
@inline export const VALUE_ENTRY_BYTES: usize = 24;
/** Template instances one record may hold (its own and those of binary XML values), each with its values. */
@inline export const CONTEXT_CAPACITY: u32 = 1024;
@inline export const CONTEXT_BYTES: usize = 8;

@inline const NAME_TABLE_AT: usize = 0;
@inline const NAME_ENTRIES_AT: usize = NAME_TABLE_AT + <usize>NAME_SLOTS * 4;
@inline const NAME_TEXT_AT: usize = NAME_ENTRIES_AT + <usize>NAME_ENTRIES * NAME_ENTRY_BYTES;
@inline const TEMPLATE_TABLE_AT: usize = NAME_TEXT_AT + <usize>NAME_TEXT_BYTES;
@inline const NODES_AT: usize = TEMPLATE_TABLE_AT + <usize>TEMPLATE_SLOTS * TEMPLATE_ENTRY_BYTES;
@inline const VALUES_AT: usize = NODES_AT + <usize>NODE_CAPACITY * NODE_BYTES;
@inline const CONTEXTS_AT: usize = VALUES_AT + <usize>VALUE_CAPACITY * VALUE_ENTRY_BYTES;
@inline const REGION_BYTES: usize = CONTEXTS_AT + <usize>CONTEXT_CAPACITY * CONTEXT_BYTES;

export let nameTable: usize = 0;
export let nameEntries: usize = 0;
export let nameText: usize = 0;
export let templateTable: usize = 0;
export let nodes: usize = 0;
export let valueTable: usize = 0;
export let contextTable: usize = 0;

/** The chunk at hand: its first byte and the bytes present (CHUNK_BYTES, fewer when the file ends inside it). */
export let chunkBase: usize = 0;
export let chunkLength: u32 = 0;
let regionBase: usize = 0;
let cachedChunk: u32 = 0;

/**
 * The caches' generation: a name or template table slot holds it beside its entry, and a slot of another generation
 * is empty, so emptying the caches for a new chunk costs no clearing of the tables (112 KiB per chunk, and the cache
 * lines they evict). The tables are cleared only when the generation wraps.
 */
export let cacheGeneration: u32 = 0;
@inline export const GENERATION_LIMIT: u32 = 1 << 14;

/** Per-chunk fill levels (reset with the caches). */
export let nameCount: u32 = 0;
export let nameTextUsed: u32 = 0;
export let nodeCount: u32 = 0;

export function evtxRegionBytes(): usize {
  return REGION_BYTES;
}

/**
 * Point the decoder at its region and at this call's chunk. The caches are kept when the host says it is the same
 * chunk as the last call's (the same number in CTX_EVTX_CHUNK), else emptied.
 */
export function evtxAttach(region: usize, chunk: usize, length: u32, chunkNumber: u32): void {
  chunkBase = chunk;
  chunkLength = length;
  if (region != regionBase || chunkNumber != cachedChunk || chunkNumber == 0) {
    let moved = region != regionBase;
    regionBase = region;
    nameTable = region + NAME_TABLE_AT;
    nameEntries = region + NAME_ENTRIES_AT;
    nameText = region + NAME_TEXT_AT;
    templateTable = region + TEMPLATE_TABLE_AT;
    nodes = region + NODES_AT;
    valueTable = region + VALUES_AT;
    contextTable = region + CONTEXTS_AT;
    if (moved || ++cacheGeneration >= GENERATION_LIMIT) {
      memory.fill(nameTable, 0, <usize>NAME_SLOTS * 4);
      memory.fill(templateTable, 0, <usize>TEMPLATE_SLOTS * TEMPLATE_ENTRY_BYTES);
      cacheGeneration = 1;
    }
    nameCount = 0;
    nameTextUsed = 0;
    nodeCount = 0;
    cachedChunk = chunkNumber;
  }
}

/** Take `bytes` of name text; 0 when the chunk's share is used up. */
export function takeNameText(bytes: u32): usize {
  if (bytes > NAME_TEXT_BYTES - nameTextUsed) return 0;
  let p = nameText + <usize>nameTextUsed;
  nameTextUsed += bytes;
  return p;
}

/** Take a name entry; NO_ENTRY when the chunk's share is used up. */
export function takeNameEntry(): u32 {
  if (nameCount >= NAME_ENTRIES) return NO_ENTRY;
  return nameCount++;
}

/** Take a node; NO_ENTRY when the chunk's share is used up. */
export function takeNode(): u32 {
  if (nodeCount >= NODE_CAPACITY) return NO_ENTRY;
  return nodeCount++;
}

@inline export const NO_ENTRY: u32 = 0xffffffff;
