/**
 * The prefilter tables (DESIGN.md section 7): from each rule's requirement sets to the PREFILTER section the VM
 * reads to pick candidate rules per event.
 *
 * Per slot with atoms, a slot filter holds up to three hash tables, all keyed by folded bytes:
 * - EXACT: the 32-bit FNV-1a hash of a whole value -> targets (exact atoms, e.g. EventID "1");
 * - WINDOW: a 4-byte window (as a little-endian u32) -> targets: every literal of 4 bytes or more is represented
 *   by one 4-byte window of it, chosen to be rare; a value containing the literal contains the window;
 * - SHORT: literals of 1-3 bytes, keyed by (length << 24 | bytes), and prefixes / suffixes of 1-3 bytes, keyed the
 *   same with SHORT_PREFIX / SHORT_SUFFIX set (one probe per value and length: its first / last bytes).
 * A map of 16 bits per window, in which each window sets two bits of one word, lets the scan skip most positions
 * with one load (windowMask).
 * A target is `rule << 1 | set` (the rule's requirement set that the hit satisfies) or `PREDICATE_TARGET | p`
 * (predicate p may be true: a predicate whose every way of being true implies one of its atoms is false when none
 * was seen, and the VM skips evaluating it). No table verifies the whole literal: a collision or a window without
 * its literal only lets a rule or predicate through that then fails, which the contract allows.
 *
 * Gates: a rule's routing atoms (requirements.ts) are not among its sets. Rules with the same routing set share a
 * gate, and the gate's atoms target `GATE_TARGET | gate`: one mark per event opens it, however many rules it has.
 * A gated rule is a candidate when its sets all hit and its gate is open; a gated rule without sets is one of the
 * gate's rules, all made candidates when the gate opens.
 *
 * Raw keyword filter: keyword atoms are looked for in every leaf of the event, which takes collecting, decoding and
 * folding them all. When every keyword atom is printable ASCII of 2 bytes or more once JSON-escaped (and could not
 * come from a number's text), the VM may instead scan the record's raw bytes, in which each leaf appears escaped:
 * windows and short literals (contains only: a leaf's start or end is not a record's) are keyed by the escaped atom
 * with 0x20 OR-ed into every byte (RAW_FOLD_BYTE), so case does not matter.
 *
 * Every-event keyword filter: a rule of keyword sets only and no gate (`Mimikatz Use`: product windows, a list of
 * keywords) makes every event need the keyword scan. When nothing else asks for it, only that rule's atoms need
 * looking for: the every-event filter holds their raw windows (at most TEDDY_MAX_WINDOWS) and Teddy masks
 * (Hyperscan's SIMD literal matcher): for each of a window's first three bytes, a low- and a high-nibble table of
 * 16 bytes whose bit b says some window of bucket b has such a nibble there. Sixteen positions are tested at once
 * with byte shuffles; the few that pass are probed in the window table. Any other keyword need (a predicate
 * evaluated, another rule's sets hit) takes the raw or leaf scan of every atom. The VM does
 * so only for records of ASCII bytes whose only escapes are `\\` and `\"` (the escapes rawEscape writes). A raw
 * hit may also come from a key or span two leaves: that only lets a rule through.
 *
 * Section layout (u32 words, offsets in words from the section start):
 *   header: rule count, always count, slot filter count, needed offset, always offset, filters offset,
 *           pool offset, pool length, gate count, gates offset, raw keyword filter offset (a slot filter record
 *           with windows and short contains literals only; 0: none), every-event keyword filter offset (0: none),
 *           negative gate count, negative gates offset, negative gate of each rule offset (both 0 when none)
 *   needed[rule]   sets the rule requires | the number of those sets that hold a keyword atom << NEEDED_KEYWORD_SHIFT
 *                  (the VM scans the leaves only when such a rule may still become a candidate) | (gate + 1) <<
 *                  NEEDED_GATE_SHIFT (0: not gated). No sets and no gate: the rule is in always[].
 *   always[]       rules evaluated for every event, ascending
 *   gates[]        GATE_WORDS each: the gate's rules without sets (offset in the pool, count), flags (GATE_KEYWORDS:
 *                  a rule behind the gate needs keyword atoms only, so an open gate asks for the leaves' scan)
 *   negative[]     the detection of each negative gate (requirements.ts negativeGate)
 *   negativeOf[rule]  its negative gate + 1 (0: none)
 *   filters[]      SLOT_FILTER_WORDS each: slot, exact table, exact mask, window table, window mask, short table,
 *                  short mask, short lengths (bit n: literals of n bytes exist), window bitmap, bitmap shift
 *                  (the map has 2^(32 - shift) bits; windowMask gives a window's word and two bits in it), pair map (PAIR_MAP_WORDS words, a bit
 *                  per first two bytes of the 2-3 byte literals, so most positions cost one bit test; 0: none),
 *                  longest exact value (longer values are not hashed)
 *   tables         ENTRY_WORDS each: key, 0, target list offset (in the pool; the target itself when it is the only
 *                  one), target count (0: empty entry)
 *   pool           targets, gate rule lists
 */
import type { Atom, Requirement } from './requirements.js';
import { COMMON_PAIRS } from './common-pairs.js';

export const PREFILTER_WINDOW = 4;
export const SHORT_LENGTH_SHIFT = 24;
export const SHORT_PREFIX = 1 << 28;
export const SHORT_SUFFIX = 1 << 29;
/** Short lengths bitmap: bit n for contains literals of n bytes, bit PREFIX_LENGTHS_SHIFT + n for prefixes,
 * SUFFIX_LENGTHS_SHIFT + n for suffixes. */
export const PREFIX_LENGTHS_SHIFT = 8;
export const SUFFIX_LENGTHS_SHIFT = 16;
export const ENTRY_WORDS = 4;
export const SLOT_FILTER_WORDS = 12;
/** The pair map: one bit per possible pair of bytes. */
export const PAIR_MAP_WORDS = 65536 / 32;
/** The window map holds about this many bits per window (a ~1/16 load: most positions of a value miss). */
const WINDOW_BITS_PER_KEY = 16;
const WINDOW_BITMAP_MIN_BITS = 1 << 12;
const WINDOW_BITMAP_MAX_BITS = 1 << 20;
const WINDOW_BITMAP_MIN_KEYS = 1;

/**
 * A window's place in a map of 2^(32 - shift) bits: a word (the high bits of a multiplicative hash) and two bits in
 * it (from a second multiplication). Two bits in one word cost one load and cut the chance that a window of no
 * literal passes from 1 in 16 (one bit, 16 bits per window) to about 1 in 70.
 */
export function windowMask(key: number, shift: number): { word: number; bits: number } {
  const h = Math.imul(key, GOLDEN);
  const h2 = Math.imul(h, MIX) >>> 0;
  return { word: (h >>> 0) >>> (shift + 5), bits: ((1 << (h2 >>> 27)) | (1 << ((h2 >>> 22) & 31))) >>> 0 };
}
const MIX = 0x85ebca6b;
export const H_NEGATIVE_COUNT = 12;
export const H_NEGATIVE_GATES = 13;
export const H_NEGATIVE_OF_RULE = 14;
export const HEADER_WORDS = 15;
/** Distinct negative gates at most (the VM keeps a bit per gate per event); the rules of further ones keep none. */
export const MAX_NEGATIVE_GATES = 32;
/** Every-event keyword filter: table offset, table mask, then TEDDY_MASK_WORDS words of masks. */
export const TEDDY_HEADER_WORDS = 2;
/** Fingerprint bytes per window, each with a low-nibble and a high-nibble mask of 16 bytes. */
export const TEDDY_FINGERPRINT = 3;
export const TEDDY_MASK_WORDS = TEDDY_FINGERPRINT * 2 * 4;
/** Buckets (one bit each in a mask byte). */
export const TEDDY_BUCKETS = 8;
/** Above this many windows the masks pass too many positions: no every-event filter. */
export const TEDDY_MAX_WINDOWS = 64;
/** needed[rule] = set count | (count of sets holding a keyword atom) << NEEDED_KEYWORD_SHIFT | (gate + 1) << NEEDED_GATE_SHIFT. */
export const NEEDED_KEYWORD_SHIFT = 8;
export const NEEDED_GATE_SHIFT = 16;
/** Gates at most (the gate index fills the upper half of needed[rule]); rules beyond it keep their sets only. */
export const MAX_GATES = 0xfffe;
export const GATE_WORDS = 3;
/** Gate flag: a rule behind this gate needs keyword atoms only. */
export const GATE_KEYWORDS = 1;
/** Targets with this bit name a predicate, not a rule requirement set. */
export const PREDICATE_TARGET = 0x80000000;
/** Targets with this bit (and not PREDICATE_TARGET) open a gate. */
export const GATE_TARGET = 0x40000000;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const GOLDEN = 0x9e3779b1;
const HASH_FOLD_SHIFT = 15;

/** OR-ed into every byte of a raw keyword atom (and of the raw record's windows by the VM): case-blind for ASCII. */
const RAW_FOLD_BYTE = 0x20;
/** A backslash as the raw keyword tables hold it: JSON escapes it as two, each OR-ed with RAW_FOLD_BYTE. */
const RAW_BACKSLASH = 0x5c | RAW_FOLD_BYTE;

/** Characters of a number's text (JSON.parse then String): a keyword atom made of them only could match a number
 * leaf whose raw form differs (`1e3` is "1000"), so it cannot be looked for in raw bytes. */
const NUMBER_TEXT = new Uint8Array(128);
for (const c of '0123456789.eE+-') NUMBER_TEXT[c.charCodeAt(0)] = 1;

/** The atom as it appears in raw JSON (escaped, case-blind), or null when the raw scan cannot look for it. */
export function rawKeywordText(text: Uint8Array): Uint8Array | null {
  if (text.every((b) => b < 0x80 && NUMBER_TEXT[b] === 1)) return null;
  const out: number[] = [];
  for (const b of text) {
    if (b < 0x20 || b >= 0x7f) return null;
    if (b === 0x5c || b === 0x22) out.push(RAW_BACKSLASH);
    out.push(b | RAW_FOLD_BYTE);
  }
  // As for leaves, a one-byte literal would make every position a candidate (requirements.ts atoms).
  return out.length >= 2 ? Uint8Array.from(out) : null;
}

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

/** Windows are scored by how many of their three inner pairs are common (common-pairs.ts), then by how often the
 * window occurs among the rule set's literals. */
const COMMON_PAIR_PENALTY = 1_000_000;
/** A window found in this many distinct literals of the rule set counts as one more common pair. */
const FREQUENT_WINDOW_LITERALS = 16;

/** Keys of the evtx_dump shape (src/input/evtx-json.ts), in every record of that shape. */
const EVTX_KEYS = ['Event', 'System', 'EventData', 'UserData', '#text', '#attributes'];

/**
 * Windows of texts that most events hold, each with the number of such texts it is in (a common pair's worth each,
 * for chooseWindow): the whole values rules test for, which events carry (every Sysmon event has
 * `Microsoft-Windows-Sysmon/Operational`, and twenty other channel names end in `operational`), and, for the raw
 * keyword scan (`raw`: the texts as rawKeywordText writes them), the keys, quoted: the field names the rules read
 * and the evtx_dump shape's.
 */
function commonWindows(exactValues: Iterable<Uint8Array>, fieldNames: readonly string[] | null): WindowCounts {
  const counts = new WindowCounts();
  const encoder = new TextEncoder();
  const texts: Uint8Array[] = [...exactValues];
  if (fieldNames) texts.push(...[...fieldNames, ...EVTX_KEYS].map((name) => encoder.encode(`"${name.toLowerCase()}"`)));
  for (const text of texts) {
    const t = fieldNames ? rawKeywordText(text) : text;
    if (t === null) continue;
    const windows = new Set<number>();
    for (let at = 0; at + PREFILTER_WINDOW <= t.length; at++) windows.add(windowKey(t, at));
    for (const key of windows) counts.add(key);
  }
  return counts;
}

/**
 * The window a literal is looked for by: the one with the fewest common pairs (and, given `common`, the fewest
 * common texts holding it), then the rarest among the rule set's literals. `raw`: the text is rawKeywordText's.
 */
function chooseWindow(text: Uint8Array, frequency: WindowCounts, common?: WindowCounts, raw = false): number {
  let bestKey = windowKey(text, text.length - PREFILTER_WINDOW);
  let bestScore = Infinity;
  for (let at = 0; at + PREFILTER_WINDOW <= text.length; at++) {
    let pairs = 0;
    for (let i = at; i < at + PREFILTER_WINDOW - 1; i++) pairs += COMMON_PAIRS[text[i] | (text[i + 1] << 8)];
    const key = windowKey(text, at);
    if (common) pairs += common.get(key);
    // In raw bytes every Windows path separator is an escaped backslash.
    if (raw) for (let i = at; i < at + PREFILTER_WINDOW; i++) if (text[i] === RAW_BACKSLASH) pairs++;
    // A window in many of the rule set's literals is a common piece of the values they describe (`rvic` of every
    // `\services\` registry path), whatever its pairs.
    const seen = frequency.get(key);
    if (seen >= FREQUENT_WINDOW_LITERALS) pairs++;
    const score = pairs * COMMON_PAIR_PENALTY + seen;
    if (score < bestScore) {
      bestScore = score;
      bestKey = key;
    }
  }
  return bestKey;
}

/**
 * Teddy masks for windows (little-endian u32 keys): windows sorted and cut into TEDDY_BUCKETS runs, so that a
 * bucket's windows share leading bytes and its masks stay sparse; then for fingerprint byte k and bucket b, bit b of
 * lo[k][n] (hi[k][n]) is set when some window of b has low (high) nibble n at byte k. Layout: lo0 hi0 lo1 hi1 lo2 hi2.
 */
export function teddyMasks(windows: readonly number[]): Uint8Array {
  const masks = new Uint8Array(TEDDY_FINGERPRINT * 2 * 16);
  const sorted = [...windows].sort((a, b) => {
    for (let k = 0; k < TEDDY_FINGERPRINT; k++) {
      const d = ((a >>> (8 * k)) & 0xff) - ((b >>> (8 * k)) & 0xff);
      if (d !== 0) return d;
    }
    return 0;
  });
  const perBucket = Math.ceil(sorted.length / TEDDY_BUCKETS);
  sorted.forEach((key, i) => {
    const bit = 1 << Math.floor(i / perBucket);
    for (let k = 0; k < TEDDY_FINGERPRINT; k++) {
      const byte = (key >>> (8 * k)) & 0xff;
      masks[k * 32 + (byte & 15)] |= bit;
      masks[k * 32 + 16 + (byte >>> 4)] |= bit;
    }
  });
  return masks;
}

/**
 * Counts per 32-bit key in one typed open-addressing table: the window counts of a large rule set are hundreds of
 * thousands of updates, which a Map pays for in time and garbage.
 */
export class WindowCounts {
  private keys = new Uint32Array(1 << 12);
  private counts = new Uint32Array(1 << 12);
  private size = 0;

  get(key: number): number {
    const i = this.find(key >>> 0);
    return this.counts[i];
  }

  add(key: number, n = 1): void {
    key >>>= 0;
    let i = this.find(key);
    if (this.counts[i] === 0) {
      if ((this.size + 1) * 2 > this.keys.length) {
        this.rehash();
        i = this.find(key);
      }
      this.size++;
      this.keys[i] = key;
    }
    this.counts[i] += n;
  }

  /** The slot holding key, or the empty slot where it would go (a zero count marks an empty slot). */
  private find(key: number): number {
    const mask = this.keys.length - 1;
    let i = tableIndex(key, mask);
    while (this.counts[i] !== 0 && this.keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  private rehash(): void {
    const keys = this.keys;
    const counts = this.counts;
    this.keys = new Uint32Array(keys.length * 2);
    this.counts = new Uint32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (counts[i] === 0) continue;
      const j = this.find(keys[i]);
      this.keys[j] = keys[i];
      this.counts[j] = counts[i];
    }
  }
}

/** A hash table under construction: key -> targets. */
type Table = Map<number, number[]>;

interface SlotFilter {
  slot: number;
  exact: Table;
  /** Longest exact atom (bytes). */
  exactMax: number;
  window: Table;
  short: Table;
  shortLengths: number;
  /** First two bytes of the 2-3 byte literals (little-endian u16). */
  pairs: Set<number>;
}

function emptyFilter(slot: number): SlotFilter {
  return { slot, exact: new Map(), exactMax: 0, window: new Map(), short: new Map(), shortLengths: 0, pairs: new Set() };
}

/** A contains literal of 1-3 bytes: its SHORT key, its length, its first two bytes in the pair map. */
function addShortLiteral(f: SlotFilter, text: Uint8Array, target: number): void {
  add(f.short, shortKey(text), target);
  f.shortLengths |= 1 << text.length;
  if (text.length >= 2) f.pairs.add(text[0] | (text[1] << 8));
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
  /** Rules evaluated for every event (no usable requirement, no gate). */
  alwaysRules: number;
  /** Distinct gates, and rules behind one. */
  gates: number;
  gatedRules: number;
  /** Distinct negative gates, and rules skipped when theirs holds. */
  negativeGates: number;
  negativelyGatedRules: number;
  slotFilters: number;
  exactKeys: number;
  windowKeys: number;
  shortKeys: number;
}

/** Build the PREFILTER section from each rule's requirement and gate (rule i has requirements[i] and gates[i]). */
export function buildPrefilter(
  requirements: readonly Requirement[],
  predicateAtoms: readonly (readonly Atom[] | null)[] = [],
  gates: readonly (readonly Atom[] | null)[] = [],
  /** The program's field names: the raw keyword scan avoids windows of them. */
  fieldNames: readonly string[] = [],
  /** Which predicates the tables stamp (PF_PREFILTERED; all with atoms when absent). The others' atoms still count
   * for window commonness and exact values. */
  stamped: readonly boolean[] | null = null,
  /** Rule i's negative gate: a detection that, when true, rules the rule out (null: none; requirements.ts). */
  negativeGates: readonly (number | null)[] = [],
): { words: Uint32Array; stats: PrefilterStats } {
  // Distinct literal atoms, and how often each 4-byte window occurs among them: rarer windows filter better.
  const literals = new Map<string, Atom>();
  for (const req of requirements) for (const set of req) for (const a of set) if (a.kind === 'literal') literals.set(a.key, a);
  for (const atoms of predicateAtoms) for (const a of atoms ?? []) if (a.kind === 'literal') literals.set(a.key, a);
  const frequency = new WindowCounts();
  for (const a of literals.values()) {
    for (let at = 0; at + PREFILTER_WINDOW <= a.text.length; at++) {
      const k = windowKey(a.text, at);
      frequency.add(k);
    }
  }
  const windowOf = new Map<string, number>();

  const filters = new Map<number, SlotFilter>();
  /** The raw keyword filter (windows and short literals only); null once some keyword atom cannot be looked for in
   * raw bytes. */
  let rawKeyword: SlotFilter | null = emptyFilter(0);
  /** Distinct exact values (by atom key: each counts once however many rules test it). */
  const exactValues = (): Uint8Array[] => {
    const byKey = new Map<string, Uint8Array>();
    const visit = (atoms: readonly Atom[] | null): void => {
      for (const a of atoms ?? []) if (a.kind === 'exact') byKey.set(a.key, a.text);
    };
    for (const req of requirements) req.forEach(visit);
    predicateAtoms.forEach(visit);
    gates.forEach(visit);
    return [...byKey.values()];
  };
  /** rawKeywordText per atom key (an atom is added once per target). */
  const rawTextOf = new Map<string, Uint8Array | null>();
  const rawText = (atom: Atom): Uint8Array | null => {
    let raw = rawTextOf.get(atom.key);
    if (raw === undefined) rawTextOf.set(atom.key, (raw = rawKeywordText(atom.text)));
    return raw;
  };
  /** Raw windows chosen per atom key (an atom is added once per target). */
  const rawWindowOf = new Map<string, number>();
  const rawWindow = (atom: Atom, raw: Uint8Array): number => {
    let key = rawWindowOf.get(atom.key);
    if (key === undefined) rawWindowOf.set(atom.key, (key = chooseWindow(raw, frequency, (commonRawWindows ??= commonWindows(exactValues(), fieldNames)), true)));
    return key;
  };
  let commonValueWindows: WindowCounts | null = null;
  let commonRawWindows: WindowCounts | null = null;
  const always: number[] = [];
  const needed = new Uint32Array(requirements.length);
  // Negative gates by detection, each rule's as its index + 1 (0: none).
  const negativeIndex = new Map<number, number>();
  const negativeDetections: number[] = [];
  const negativeOf = new Uint32Array(requirements.length);
  negativeGates.forEach((d, rule) => {
    if (d === null) return;
    let g = negativeIndex.get(d);
    if (g === undefined) {
      if (negativeDetections.length >= MAX_NEGATIVE_GATES) return;
      negativeIndex.set(d, (g = negativeDetections.length));
      negativeDetections.push(d);
    }
    negativeOf[rule] = g + 1;
  });
  /** Gates by the identity of their atom set. */
  const gateIndex = new Map<string, number>();
  const gateList: { atoms: readonly Atom[]; rules: number[]; flags: number }[] = [];
  requirements.forEach((req, rule) => {
    const keywordSets = req.filter((set) => set.some((a) => a.keyword === true)).length;
    needed[rule] = req.length | (keywordSets << NEEDED_KEYWORD_SHIFT);
    const gateAtoms = gates[rule];
    let gate = -1;
    if (gateAtoms && gateAtoms.length > 0) {
      const id = gateAtoms.map((a) => a.key).sort().join('\n');
      gate = gateIndex.get(id) ?? -1;
      if (gate < 0 && gateList.length < MAX_GATES) {
        gate = gateList.length;
        gateIndex.set(id, gate);
        gateList.push({ atoms: gateAtoms, rules: [], flags: 0 });
      }
    }
    if (gate >= 0) {
      needed[rule] |= (gate + 1) << NEEDED_GATE_SHIFT;
      if (req.length === 0) gateList[gate].rules.push(rule);
      else if (keywordSets === req.length) gateList[gate].flags |= GATE_KEYWORDS;
    } else if (req.length === 0) always.push(rule);
    req.forEach((set, setIndex) => {
      for (const atom of set) addAtom(atom, (rule << 1) | setIndex);
    });
  });
  gateList.forEach((g, i) => {
    for (const atom of g.atoms) addAtom(atom, (GATE_TARGET | i) >>> 0);
  });
  predicateAtoms.forEach((atoms, p) => {
    if (stamped !== null && !stamped[p]) return;
    for (const atom of atoms ?? []) addAtom(atom, (PREDICATE_TARGET | p) >>> 0);
  });
  function addAtom(atom: Atom, target: number): void {
    if (atom.keyword === true && rawKeyword !== null) {
      const raw = rawText(atom);
      if (raw === null) rawKeyword = null;
      else if (raw.length >= PREFILTER_WINDOW) add(rawKeyword.window, rawWindow(atom, raw), target);
      else addShortLiteral(rawKeyword, raw, target);
    }
    let f = filters.get(atom.slot);
    if (!f) filters.set(atom.slot, (f = emptyFilter(atom.slot)));
    if (atom.kind === 'exact') {
      add(f.exact, fnv1a(atom.text), target);
      f.exactMax = Math.max(f.exactMax, atom.text.length);
    }
    else if (atom.kind === 'prefix') {
      add(f.short, shortKey(atom.text, SHORT_PREFIX), target);
      f.shortLengths |= 1 << (PREFIX_LENGTHS_SHIFT + atom.text.length);
    } else if (atom.kind === 'suffix') {
      add(f.short, shortKey(atom.text, SHORT_SUFFIX), target);
      f.shortLengths |= 1 << (SUFFIX_LENGTHS_SHIFT + atom.text.length);
    } else if (atom.text.length >= PREFILTER_WINDOW) {
      let key = windowOf.get(atom.key);
      // Keyword atoms are looked for in every leaf: values common in events (a channel's name) are to be avoided.
      const common = atom.keyword === true ? (commonValueWindows ??= commonWindows(exactValues(), null)) : undefined;
      if (key === undefined) windowOf.set(atom.key, (key = chooseWindow(atom.text, frequency, common)));
      add(f.window, key, target);
    } else addShortLiteral(f, atom.text, target);
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
  const gatesAt = out.reserve(gateList.length * GATE_WORDS);
  gateList.forEach((g, i) => {
    const at = pool.reserve(g.rules.length);
    pool.data.set(g.rules, at);
    out.data.set([at, g.rules.length, g.flags], gatesAt + i * GATE_WORDS);
  });
  if (negativeDetections.length > 0) {
    const gatesAt = out.reserve(negativeDetections.length);
    out.data.set(negativeDetections, gatesAt);
    const ofAt = out.reserve(negativeOf.length);
    out.data.set(negativeOf, ofAt);
    out.data.set([negativeDetections.length, gatesAt, ofAt], H_NEGATIVE_COUNT);
  }
  const filterAt = out.reserve(ordered.length * SLOT_FILTER_WORDS);
  out.data.set([requirements.length, always.length, ordered.length, neededAt, alwaysAt, filterAt], 0);
  out.data.set([gateList.length, gatesAt], 8);
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
      out.data[e] = key;
      out.data[e + 3] = sorted.length;
      // A single target is kept in the entry itself.
      if (sorted.length === 1) out.data[e + 2] = sorted[0];
      else {
        const at = pool.reserve(sorted.length);
        pool.data.set(sorted, at);
        out.data[e + 2] = at;
      }
    }
    return { offset, mask };
  };
  const emitBitmap = (windows: Table): { bitmap: number; shift: number } => {
    // A slot with few windows probes its small (cache-resident) table directly; the map pays off only when many
    // windows would make probes frequent.
    if (windows.size < WINDOW_BITMAP_MIN_KEYS) return { bitmap: 0, shift: 0 };
    let bits = WINDOW_BITMAP_MIN_BITS;
    while (bits < windows.size * WINDOW_BITS_PER_KEY && bits < WINDOW_BITMAP_MAX_BITS) bits *= 2;
    const shift = 32 - Math.log2(bits);
    const bitmap = out.reserve(bits / 32);
    for (const key of windows.keys()) {
      const { word, bits } = windowMask(key, shift);
      out.data[bitmap + word] |= bits;
    }
    return { bitmap, shift };
  };
  let exactKeys = 0;
  let windowKeys = 0;
  let shortKeys = 0;
  const emitFilter = (f: SlotFilter, rec: number): void => {
    const exact = emitTable(f.exact);
    const window = emitTable(f.window);
    const short = emitTable(f.short);
    const { bitmap, shift } = emitBitmap(f.window);
    let pairs = 0;
    if (f.pairs.size > 0) {
      pairs = out.reserve(PAIR_MAP_WORDS);
      for (const pair of f.pairs) out.data[pairs + (pair >>> 5)] |= 1 << (pair & 31);
    }
    out.data.set([f.slot, exact.offset, exact.mask, window.offset, window.mask, short.offset, short.mask, f.shortLengths, bitmap, shift, pairs, f.exactMax], rec);
  };
  ordered.forEach((f, i) => {
    emitFilter(f, filterAt + i * SLOT_FILTER_WORDS);
    exactKeys += f.exact.size;
    windowKeys += f.window.size;
    shortKeys += f.short.size;
  });
  // The every-event filter: the raw windows of the ungated rules whose sets are all keyword sets (a rule with a
  // negative gate asks for the full scan when its gate does not hold: the VM, prefilter.ts keywordScanWanted).
  const everyEvent: Table = new Map();
  let everyEventUsable = true;
  requirements.forEach((req, rule) => {
    const keywordSets = (needed[rule] >>> NEEDED_KEYWORD_SHIFT) & 0xff;
    if (req.length === 0 || keywordSets !== req.length || needed[rule] >>> NEEDED_GATE_SHIFT !== 0 || negativeOf[rule] !== 0) return;
    req.forEach((set, setIndex) => {
      for (const atom of set) {
        const text = atom.keyword === true ? rawText(atom) : null;
        if (text === null || text.length < PREFILTER_WINDOW) everyEventUsable = false;
        else add(everyEvent, rawWindow(atom, text), (rule << 1) | setIndex);
      }
    });
  });
  if (everyEventUsable && everyEvent.size > 0 && everyEvent.size <= TEDDY_MAX_WINDOWS) {
    const rec = out.reserve(TEDDY_HEADER_WORDS + TEDDY_MASK_WORDS);
    const table = emitTable(everyEvent);
    const masks = teddyMasks([...everyEvent.keys()]);
    out.data.set([table.offset, table.mask], rec);
    out.data.set(new Uint32Array(masks.buffer), rec + TEDDY_HEADER_WORDS);
    out.data[11] = rec;
  }
  const raw = rawKeyword as SlotFilter | null;
  if (raw !== null && (raw.window.size > 0 || raw.short.size > 0)) {
    const rec = out.reserve(SLOT_FILTER_WORDS);
    emitFilter(raw, rec);
    out.data[10] = rec;
  }
  const poolAt = out.reserve(pool.length);
  out.data.set(pool.data.subarray(0, pool.length), poolAt);
  out.data[6] = poolAt;
  out.data[7] = pool.length;
  return {
    words: out.data.slice(0, out.length),
    stats: { alwaysRules: always.length, gates: gateList.length, gatedRules: needed.filter((n) => n >>> NEEDED_GATE_SHIFT !== 0).length, negativeGates: negativeDetections.length, negativelyGatedRules: negativeOf.filter((g) => g !== 0).length, slotFilters: ordered.length, exactKeys, windowKeys, shortKeys },
  };
}
