/**
 * The prefilter tables (DESIGN.md section 8): from each rule's requirement sets to the PREFILTER section the VM
 * reads to pick candidate rules per event.
 *
 * Per slot with atoms, a slot filter holds up to three hash tables, all keyed by folded bytes:
 * - EXACT: the 32-bit FNV-1a hash of a whole value -> targets (exact atoms, e.g. EventID "1");
 * - WINDOW: a 4-byte window (as a little-endian u32) -> targets: every literal of 4 bytes or more is represented
 *   by one 4-byte window of it, chosen to be rare; a value containing the literal contains the window;
 * - SHORT: literals of 1-3 bytes, keyed by (length << 24 | bytes).
 * A 64 Ki-bit map of each window's first two bytes lets the scan skip most positions with one bit test.
 * A target is `rule << 1 | set`: the rule's requirement set that the hit satisfies. No table verifies the whole
 * literal: a collision or a window without its literal only makes a rule a candidate that then fails, which the
 * contract allows.
 */
import type { Atom, Requirement } from './requirements.js';

export const PREFILTER_WINDOW = 4;
export const SHORT_LENGTH_SHIFT = 24;
export const ENTRY_WORDS = 4;
export const SLOT_FILTER_WORDS = 10;
/** 2^16 bits: one per possible first two bytes of a window. */
export const WINDOW_BITMAP_WORDS = 65536 / 32;
export const HEADER_WORDS = 8;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const GOLDEN = 0x9e3779b1;

/** FNV-1a over bytes; the VM computes the same over folded event values. */
export function fnv1a(bytes: Uint8Array): number {
  let h = FNV_OFFSET;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
  return h >>> 0;
}

/** Slot of a key in a table of mask + 1 entries: a multiplicative hash with its high bits folded down. */
export function tableIndex(key: number, mask: number): number {
  const h = Math.imul(key, GOLDEN) >>> 0;
  return ((h ^ (h >>> 15)) >>> 0) & mask;
}

function windowKey(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

function shortKey(bytes: Uint8Array): number {
  let k = bytes.length << SHORT_LENGTH_SHIFT;
  for (let i = 0; i < bytes.length; i++) k |= bytes[i] << (8 * i);
  return k >>> 0;
}

/**
 * Byte pairs so common in Windows paths and command lines that a window made of them selects nothing.
 * Windows are scored by how many of their three inner pairs are common, then by how often the window itself
 * occurs among the rule set's literals.
 */
const COMMON_PAIRS = new Set(
  ['\\w', 'wi', 'in', 'nd', 'do', 'ow', 'ws', 's\\', '\\s', 'sy', 'ys', 'st', 'te', 'em', 'm3', '32', '2\\', '.e', 'ex', 'xe',
    'e ', ' -', ' /', 'c:', ':\\', '\\p', 'pr', 'ro', 'og', 'gr', 'ra', 'am', 'fi', 'il', 'le', 'es', '\\u', 'us', 'se', 'er', 'rs',
    '.d', 'dl', 'll', 'ap', 'pp', 'pd', 'da', 'at', 'ta', '\\a', '"c', 'e"', '\\t', 'mp', '\\l', 'lo', 'oc', 'ca', 'al', '//', 'ht', 'tt', 'tp'].map(
    (p) => (p.charCodeAt(0) | (p.charCodeAt(1) << 8)) >>> 0,
  ),
);

function chooseWindow(text: Uint8Array, frequency: Map<number, number>): number {
  let bestAt = text.length - PREFILTER_WINDOW;
  let bestScore = Infinity;
  for (let at = 0; at + PREFILTER_WINDOW <= text.length; at++) {
    let common = 0;
    for (let i = at; i < at + PREFILTER_WINDOW - 1; i++) if (COMMON_PAIRS.has(text[i] | (text[i + 1] << 8))) common++;
    const score = common * 1000 + (frequency.get(windowKey(text, at)) ?? 0);
    if (score < bestScore) {
      bestScore = score;
      bestAt = at;
    }
  }
  return bestAt;
}

interface Table {
  keys: Map<number, Set<number>>;
}

interface SlotFilter {
  slot: number;
  exact: Table;
  window: Table;
  short: Table;
  shortLengths: number;
}

function add(table: Table, key: number, target: number): void {
  let targets = table.keys.get(key);
  if (!targets) table.keys.set(key, (targets = new Set()));
  targets.add(target);
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
export function buildPrefilter(requirements: readonly Requirement[]): { words: Uint32Array; stats: PrefilterStats } {
  // How often each 4-byte window occurs across all literal atoms: rarer windows make better filters.
  const frequency = new Map<number, number>();
  for (const req of requirements) {
    for (const set of req) {
      for (const atom of set) {
        if (atom.kind !== 'literal') continue;
        for (let at = 0; at + PREFILTER_WINDOW <= atom.text.length; at++) {
          const k = windowKey(atom.text, at);
          frequency.set(k, (frequency.get(k) ?? 0) + 1);
        }
      }
    }
  }
  const filters = new Map<number, SlotFilter>();
  const filterOf = (slot: number): SlotFilter => {
    let f = filters.get(slot);
    if (!f) filters.set(slot, (f = { slot, exact: { keys: new Map() }, window: { keys: new Map() }, short: { keys: new Map() }, shortLengths: 0 }));
    return f;
  };
  const always: number[] = [];
  const needed = new Uint32Array(requirements.length);
  requirements.forEach((req, rule) => {
    needed[rule] = req.length;
    if (req.length === 0) always.push(rule);
    req.forEach((set, setIndex) => {
      const target = (rule << 1) | setIndex;
      for (const atom of set) addAtom(filterOf(atom.slot), atom, target, frequency);
    });
  });

  const ordered = [...filters.values()].sort((a, b) => a.slot - b.slot);
  const out: number[] = new Array(HEADER_WORDS).fill(0);
  const pool: number[] = [];
  out[0] = requirements.length;
  out[1] = always.length;
  out[2] = ordered.length;
  out[3] = out.length;
  out.push(...needed);
  out[4] = out.length;
  out.push(...always);
  out[5] = out.length;
  const filterAt = out.length;
  out.push(...new Array(ordered.length * SLOT_FILTER_WORDS).fill(0));
  const emitTable = (table: Table): { offset: number; mask: number } => {
    if (table.keys.size === 0) return { offset: 0, mask: 0 };
    let capacity = 4;
    while (capacity < table.keys.size * 2) capacity *= 2;
    const offset = out.length;
    out.push(...new Array(capacity * ENTRY_WORDS).fill(0));
    for (const [key, targets] of table.keys) {
      let i = tableIndex(key, capacity - 1);
      while (out[offset + i * ENTRY_WORDS + 3] !== 0) i = (i + 1) & (capacity - 1);
      const e = offset + i * ENTRY_WORDS;
      out[e] = key;
      out[e + 2] = pool.length;
      out[e + 3] = targets.size;
      pool.push(...[...targets].sort((a, b) => a - b));
    }
    return { offset, mask: capacity - 1 };
  };
  ordered.forEach((f, i) => {
    const rec = filterAt + i * SLOT_FILTER_WORDS;
    const exact = emitTable(f.exact);
    const window = emitTable(f.window);
    const short = emitTable(f.short);
    let bitmap = 0;
    if (f.window.keys.size > 0) {
      bitmap = out.length;
      out.push(...new Array(WINDOW_BITMAP_WORDS).fill(0));
      for (const key of f.window.keys.keys()) {
        const pair = key & 0xffff;
        out[bitmap + (pair >>> 5)] |= 1 << (pair & 31);
      }
    }
    out[rec] = f.slot;
    out[rec + 1] = exact.offset;
    out[rec + 2] = exact.mask;
    out[rec + 3] = window.offset;
    out[rec + 4] = window.mask;
    out[rec + 5] = short.offset;
    out[rec + 6] = short.mask;
    out[rec + 7] = f.shortLengths;
    out[rec + 8] = bitmap;
    out[rec + 9] = 0;
  });
  out[6] = out.length;
  out[7] = pool.length;
  out.push(...pool);
  const words = new Uint32Array(out.length);
  out.forEach((w, i) => (words[i] = w >>> 0));
  let exactKeys = 0;
  let windowKeys = 0;
  let shortKeys = 0;
  for (const f of ordered) {
    exactKeys += f.exact.keys.size;
    windowKeys += f.window.keys.size;
    shortKeys += f.short.keys.size;
  }
  return { words, stats: { alwaysRules: always.length, slotFilters: ordered.length, exactKeys, windowKeys, shortKeys } };
}

function addAtom(f: SlotFilter, atom: Atom, target: number, frequency: Map<number, number>): void {
  if (atom.kind === 'exact') {
    add(f.exact, fnv1a(atom.text), target);
  } else if (atom.text.length >= PREFILTER_WINDOW) {
    add(f.window, windowKey(atom.text, chooseWindow(atom.text, frequency)), target);
  } else {
    add(f.short, shortKey(atom.text), target);
    f.shortLengths |= 1 << atom.text.length;
  }
}
