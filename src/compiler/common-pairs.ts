/**
 * Byte pairs common in Windows event values (paths, command lines): what makes a 4-byte window, or a literal, a
 * poor filter. Shared by the window chooser (prefilter.ts) and the requirement cost model (requirements.ts).
 */
const COMMON_PAIR_LIST = ['\\w', 'wi', 'in', 'nd', 'do', 'ow', 'ws', 's\\', '\\s', 'sy', 'ys', 'st', 'te', 'em', 'm3', '32', '2\\', '.e', 'ex', 'xe',
    'e ', ' -', ' /', 'c:', ':\\', '\\p', 'pr', 'ro', 'og', 'gr', 'ra', 'am', 'fi', 'il', 'le', 'es', '\\u', 'us', 'se', 'er', 'rs',
    '.d', 'dl', 'll', 'ap', 'pp', 'pd', 'da', 'at', 'ta', '\\a', '"c', 'e"', '\\t', 'mp', '\\l', 'lo', 'oc', 'ca', 'al', '//', 'ht', 'tt', 'tp'].map(
    (p) => (p.charCodeAt(0) | (p.charCodeAt(1) << 8)) >>> 0,
  );
/** COMMON_PAIR_LIST as a 64 Ki-entry lookup (one byte per possible pair, little-endian): the hot test. */
export const COMMON_PAIRS = new Uint8Array(65536);
for (const pair of COMMON_PAIR_LIST) COMMON_PAIRS[pair] = 1;

/** Windows of 4 bytes (PREFILTER_WINDOW) have three inner pairs. */
const WINDOW_PAIRS = 3;

/**
 * How common the literal's least common 4-byte window is: the fewest common pairs any of its windows holds (0-3).
 * `C:\\Windows\\System32\\` scores 2 or more everywhere: whatever window stands for it, most events hold it.
 */
export function windowCommonness(text: Uint8Array): number {
  let best = WINDOW_PAIRS;
  for (let at = 0; at + WINDOW_PAIRS + 1 <= text.length && best > 0; at++) {
    let pairs = 0;
    for (let i = at; i < at + WINDOW_PAIRS; i++) pairs += COMMON_PAIRS[text[i] | (text[i + 1] << 8)];
    best = Math.min(best, pairs);
  }
  return best;
}
