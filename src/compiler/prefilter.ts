/**
 * The prefilter tables (DESIGN.md section 8): from each rule's requirement sets to the PREFILTER section the VM
 * reads to pick candidate rules per event.
 *
 * Per slot with atoms, a slot filter holds up to three hash tables, all keyed by folded bytes:
 * - EXACT: the 32-bit FNV-1a hash of a whole value -> targets (exact atoms, e.g. EventID "1");
 * - WINDOW: a 4-byte window (as a little-endian u32) -> targets: every literal of 4 bytes or more is represented
 *   by one 4-byte window of it, chosen to be rare; a value containing the literal contains the window;
 * - SHORT: literals of 1-3 bytes, keyed by (length << 24 | bytes), and prefixes / suffixes of 1-3 bytes, keyed the
 *   same with SHORT_PREFIX / SHORT_SUFFIX set (one probe per value and length: its first / last bytes).
 * A 64 Ki-bit map indexed by a hash of each window lets the scan skip most positions with one bit test.
 * A target is `rule << 1 | set` (the rule's requirement set that the hit satisfies) or `PREDICATE_TARGET | p`
 * (predicate p may be true: a predicate whose every way of being true implies one of its atoms is false when none
 * was seen, and the VM skips evaluating it). No table verifies the whole literal: a collision or a window without
 * its literal only lets a rule or predicate through that then fails, which the contract allows.
 *
 * Section layout (u32 words, offsets in words from the section start):
 *   header: rule count, always count, slot filter count, needed offset, always offset, filters offset,
 *           pool offset, pool length
 *   needed[rule]   sets the rule requires (0: always evaluated), | the number of those sets that hold a keyword atom
 *                  << NEEDED_KEYWORD_SHIFT (the VM scans the leaves only when such a rule may still become a
 *                  candidate)
 *   always[]       rules evaluated for every event, ascending
 *   filters[]      SLOT_FILTER_WORDS each: slot, exact table, exact mask, window table, window mask, short table,
 *                  short mask, short lengths (bit n: literals of n bytes exist), window bitmap, bitmap shift
 *                  (the map has 2^(32 - shift) bits, indexed by windowBit), pair map (PAIR_MAP_WORDS words, a bit
 *                  per first two bytes of the 2-3 byte literals, so most positions cost one bit test; 0: none)
 *   tables         ENTRY_WORDS each: key, 0, target list offset (in the pool), target count (0: empty entry)
 *   pool           targets
 */
import type { Atom, Requirement } from './requirements.js';

export const PREFILTER_WINDOW = 4;
export const SHORT_LENGTH_SHIFT = 24;
export const SHORT_PREFIX = 1 << 28;
export const SHORT_SUFFIX = 1 << 29;
/** Short lengths bitmap: bit n for contains literals of n bytes, bit PREFIX_LENGTHS_SHIFT + n for prefixes,
 * SUFFIX_LENGTHS_SHIFT + n for suffixes. */
export const PREFIX_LENGTHS_SHIFT = 8;
export const SUFFIX_LENGTHS_SHIFT = 16;
export const ENTRY_WORDS = 4;
export const SLOT_FILTER_WORDS = 11;
/** The pair map: one bit per possible pair of bytes. */
export const PAIR_MAP_WORDS = 65536 / 32;
/** The window map holds about this many bits per window (a ~1/16 load: most positions of a value miss). */
const WINDOW_BITS_PER_KEY = 16;
const WINDOW_BITMAP_MIN_BITS = 1 << 12;
const WINDOW_BITMAP_MAX_BITS = 1 << 20;
const WINDOW_BITMAP_MIN_KEYS = 1;

/** Bit of a window in a map of 2^(32 - shift) bits: the high bits of a multiplicative hash. */
export function windowBit(key: number, shift: number): number {
  return Math.imul(key, GOLDEN) >>> shift;
}
export const HEADER_WORDS = 8;
/** needed[rule] = set count | (count of sets holding a keyword atom) << NEEDED_KEYWORD_SHIFT. */
export const NEEDED_KEYWORD_SHIFT = 8;
/** Targets with this bit name a predicate, not a rule requirement set. */
export const PREDICATE_TARGET = 0x80000000;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const GOLDEN = 0x9e3779b1;
const HASH_FOLD_SHIFT = 15;

/** FNV-1a over bytes; the VM computes the same over folded event values. */
export function fnv1a(bytes: Uint8Array): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], FNV_PRIME);
  return h >>> 0;
}

/** Slot of a key in a table of mask + 1 entries: a multiplicative hash with its high bits folded down. */
export function tableIndex(key: number, mask: number): number {
  const h = Math.imul(key, GOLDEN) >>> 0;
  return ((h ^ (h >>> HASH_FOLD_SHIFT)) >>> 0) & mask;
}

function windowKey(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

function shortKey(bytes: Uint8Array, flag = 0): number {
  let k = flag | (bytes.length << SHORT_LENGTH_SHIFT);
  for (let i = 0; i < bytes.length; i++) k |= bytes[i] << (8 * i);
  return k >>> 0;
}

/**
 * Byte pairs so common in Windows paths and command lines that a window made of them selects little. Windows are
 * scored by how many of their three inner pairs are common, then by how often the window occurs among the rule
 * set's literals.
 */
const COMMON_PAIR_LIST = ['\\w', 'wi', 'in', 'nd', 'do', 'ow', 'ws', 's\\', '\\s', 'sy', 'ys', 'st', 'te', 'em', 'm3', '32', '2\\', '.e', 'ex', 'xe',
    'e ', ' -', ' /', 'c:', ':\\', '\\p', 'pr', 'ro', 'og', 'gr', 'ra', 'am', 'fi', 'il', 'le', 'es', '\\u', 'us', 'se', 'er', 'rs',
    '.d', 'dl', 'll', 'ap', 'pp', 'pd', 'da', 'at', 'ta', '\\a', '"c', 'e"', '\\t', 'mp', '\\l', 'lo', 'oc', 'ca', 'al', '//', 'ht', 'tt', 'tp'].map(
    (p) => (p.charCodeAt(0) | (p.charCodeAt(1) << 8)) >>> 0,
  );
/** COMMON_PAIR_LIST as a 64 Ki-entry lookup (one byte per possible pair): the window chooser's hot test. */
const COMMON_PAIRS = new Uint8Array(65536);
for (const pair of COMMON_PAIR_LIST) COMMON_PAIRS[pair] = 1;
const COMMON_PAIR_PENALTY = 1_000_000;

function chooseWindow(text: Uint8Array, frequency: Map<number, number>): number {
  let bestKey = windowKey(text, text.length - PREFILTER_WINDOW);
  let bestScore = Infinity;
  for (let at = 0; at + PREFILTER_WINDOW <= text.length; at++) {
    let common = 0;
    for (let i = at; i < at + PREFILTER_WINDOW - 1; i++) common += COMMON_PAIRS[text[i] | (text[i + 1] << 8)];
    const key = windowKey(text, at);
    const score = common * COMMON_PAIR_PENALTY + (frequency.get(key) ?? 0);
    if (score < bestScore) {
      bestScore = score;
      bestKey = key;
    }
  }
  return bestKey;
}

/** A hash table under construction: key -> targets. */
type Table = Map<number, number[]>;

interface SlotFilter {
  slot: number;
  exact: Table;
  window: Table;
  short: Table;
  shortLengths: number;
  /** First two bytes of the 2-3 byte literals (little-endian u16). */
  pairs: Set<number>;
}

function add(table: Table, key: number, target: number): void {
  const targets = table.get(key);
  if (!targets) table.set(key, [target]);
  else if (targets[targets.length - 1] !== target) targets.push(target);
}

/** Growable u32 array. */
class Words {
  data = new Uint32Array(1024);
  length = 0;

  reserve(n: number): number {
    const at = this.length;
    this.length += n;
    if (this.length > this.data.length) {
      let cap = this.data.length;
      while (cap < this.length) cap *= 2;
      const next = new Uint32Array(cap);
      next.set(this.data.subarray(0, at));
      this.data = next;
    }
    return at;
  }

  push(v: number): void {
    this.data[this.reserve(1)] = v;
  }
}

export interface PrefilterStats {
  /** Rules evaluated for every event (no usable requirement). */
  alwaysRules: number;
  slotFilters: number;
  exactKeys: number;
  windowKeys: number;
  shortKeys: number;
}

/** Build the PREFILTER section from each rule's requirement (rule i has requirements[i]). */
export function buildPrefilter(requirements: readonly Requirement[], predicateAtoms: readonly (readonly Atom[] | null)[] = []): { words: Uint32Array; stats: PrefilterStats } {
  // Distinct literal atoms, and how often each 4-byte window occurs among them: rarer windows filter better.
  const literals = new Map<string, Atom>();
  for (const req of requirements) for (const set of req) for (const a of set) if (a.kind === 'literal') literals.set(a.key, a);
  for (const atoms of predicateAtoms) for (const a of atoms ?? []) if (a.kind === 'literal') literals.set(a.key, a);
  const frequency = new Map<number, number>();
  for (const a of literals.values()) {
    for (let at = 0; at + PREFILTER_WINDOW <= a.text.length; at++) {
      const k = windowKey(a.text, at);
      frequency.set(k, (frequency.get(k) ?? 0) + 1);
    }
  }
  const windowOf = new Map<string, number>();

  const filters = new Map<number, SlotFilter>();
  const always: number[] = [];
  const needed = new Uint32Array(requirements.length);
  requirements.forEach((req, rule) => {
    const keywordSets = req.filter((set) => set.some((a) => a.keyword === true)).length;
    needed[rule] = req.length | (keywordSets << NEEDED_KEYWORD_SHIFT);
    if (req.length === 0) always.push(rule);
    req.forEach((set, setIndex) => {
      for (const atom of set) addAtom(atom, (rule << 1) | setIndex);
    });
  });
  predicateAtoms.forEach((atoms, p) => {
    for (const atom of atoms ?? []) addAtom(atom, (PREDICATE_TARGET | p) >>> 0);
  });
  function addAtom(atom: Atom, target: number): void {
    let f = filters.get(atom.slot);
    if (!f) filters.set(atom.slot, (f = { slot: atom.slot, exact: new Map(), window: new Map(), short: new Map(), shortLengths: 0, pairs: new Set() }));
    if (atom.kind === 'exact') add(f.exact, fnv1a(atom.text), target);
    else if (atom.kind === 'prefix') {
      add(f.short, shortKey(atom.text, SHORT_PREFIX), target);
      f.shortLengths |= 1 << (PREFIX_LENGTHS_SHIFT + atom.text.length);
    } else if (atom.kind === 'suffix') {
      add(f.short, shortKey(atom.text, SHORT_SUFFIX), target);
      f.shortLengths |= 1 << (SUFFIX_LENGTHS_SHIFT + atom.text.length);
    } else if (atom.text.length >= PREFILTER_WINDOW) {
      let key = windowOf.get(atom.key);
      if (key === undefined) windowOf.set(atom.key, (key = chooseWindow(atom.text, frequency)));
      add(f.window, key, target);
    } else {
      add(f.short, shortKey(atom.text), target);
      f.shortLengths |= 1 << atom.text.length;
      if (atom.text.length >= 2) f.pairs.add(atom.text[0] | (atom.text[1] << 8));
    }
  }

  const ordered = [...filters.values()].sort((a, b) => a.slot - b.slot);
  const out = new Words();
  const pool = new Words();
  // Reserve before writing: reserve() may replace out.data, so never hold the array across a call.
  out.reserve(HEADER_WORDS);
  const neededAt = out.reserve(needed.length);
  out.data.set(needed, neededAt);
  const alwaysAt = out.length;
  for (const r of always) out.push(r);
  const filterAt = out.reserve(ordered.length * SLOT_FILTER_WORDS);
  out.data.set([requirements.length, always.length, ordered.length, neededAt, alwaysAt, filterAt], 0);
  const emitTable = (table: Table): { offset: number; mask: number } => {
    if (table.size === 0) return { offset: 0, mask: 0 };
    let capacity = 4;
    while (capacity < table.size * 2) capacity *= 2;
    const offset = out.reserve(capacity * ENTRY_WORDS);
    const mask = capacity - 1;
    for (const [key, targets] of table) {
      let i = tableIndex(key, mask);
      while (out.data[offset + i * ENTRY_WORDS + 3] !== 0) i = (i + 1) & mask;
      const e = offset + i * ENTRY_WORDS;
      const sorted = [...new Set(targets)].sort((a, b) => a - b);
      const at = pool.reserve(sorted.length);
      pool.data.set(sorted, at);
      out.data[e] = key;
      out.data[e + 2] = at;
      out.data[e + 3] = sorted.length;
    }
    return { offset, mask };
  };
  let exactKeys = 0;
  let windowKeys = 0;
  let shortKeys = 0;
  ordered.forEach((f, i) => {
    const exact = emitTable(f.exact);
    const window = emitTable(f.window);
    const short = emitTable(f.short);
    let bitmap = 0;
    let shift = 0;
    // A slot with few windows probes its small (cache-resident) table directly; the map pays off only when many
    // windows would make probes frequent.
    if (f.window.size >= WINDOW_BITMAP_MIN_KEYS) {
      let bits = WINDOW_BITMAP_MIN_BITS;
      while (bits < f.window.size * WINDOW_BITS_PER_KEY && bits < WINDOW_BITMAP_MAX_BITS) bits *= 2;
      shift = 32 - Math.log2(bits);
      bitmap = out.reserve(bits / 32);
      for (const key of f.window.keys()) {
        const bit = windowBit(key, shift);
        out.data[bitmap + (bit >>> 5)] |= 1 << (bit & 31);
      }
    }
    const rec = filterAt + i * SLOT_FILTER_WORDS;
    let pairs = 0;
    if (f.pairs.size > 0) {
      pairs = out.reserve(PAIR_MAP_WORDS);
      for (const pair of f.pairs) out.data[pairs + (pair >>> 5)] |= 1 << (pair & 31);
    }
    out.data.set([f.slot, exact.offset, exact.mask, window.offset, window.mask, short.offset, short.mask, f.shortLengths, bitmap, shift, pairs], rec);
    exactKeys += f.exact.size;
    windowKeys += f.window.size;
    shortKeys += f.short.size;
  });
  const poolAt = out.reserve(pool.length);
  out.data.set(pool.data.subarray(0, pool.length), poolAt);
  out.data[6] = poolAt;
  out.data[7] = pool.length;
  return {
    words: out.data.slice(0, out.length),
    stats: { alwaysRules: always.length, slotFilters: ordered.length, exactKeys, windowKeys, shortKeys },
  };
}
