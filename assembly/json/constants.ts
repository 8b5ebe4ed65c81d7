// Constants shared by the JSON scanner's modules: byte values, parse results, note details, limits.

// ---- bytes ----
@inline export const CH_TAB: u32 = 0x09;
@inline export const CH_LF: u32 = 0x0a;
@inline export const CH_CR: u32 = 0x0d;
@inline export const CH_SPACE: u32 = 0x20;
@inline export const CH_QUOTE: u32 = 0x22;
@inline export const CH_PLUS: u32 = 0x2b;
@inline export const CH_COMMA: u32 = 0x2c;
@inline export const CH_MINUS: u32 = 0x2d;
@inline export const CH_DOT: u32 = 0x2e;
@inline export const CH_SLASH: u32 = 0x2f;
@inline export const CH_0: u32 = 0x30;
@inline export const CH_1: u32 = 0x31;
@inline export const CH_9: u32 = 0x39;
@inline export const CH_COLON: u32 = 0x3a;
@inline export const CH_LBRACKET: u32 = 0x5b;
@inline export const CH_BACKSLASH: u32 = 0x5c;
@inline export const CH_RBRACKET: u32 = 0x5d;
@inline export const CH_UNDERSCORE: u32 = 0x5f;
@inline export const CH_A_LOWER: u32 = 0x61;
@inline export const CH_B_LOWER: u32 = 0x62;
@inline export const CH_E_LOWER: u32 = 0x65;
@inline export const CH_F_LOWER: u32 = 0x66;
@inline export const CH_N_LOWER: u32 = 0x6e;
@inline export const CH_R_LOWER: u32 = 0x72;
@inline export const CH_T_LOWER: u32 = 0x74;
@inline export const CH_U_LOWER: u32 = 0x75;
@inline export const CH_LBRACE: u32 = 0x7b;
@inline export const CH_RBRACE: u32 = 0x7d;
/** OR-ing an ASCII letter with this lowercases it (`E` -> `e`). */
@inline export const ASCII_CASE_BIT: u32 = 0x20;
/** Bytes below this are control characters: JSON.parse rejects them unescaped inside strings. */
@inline export const FIRST_PRINTABLE: u32 = 0x20;
@inline export const FIRST_NON_ASCII: u32 = 0x80;
/** The byte order mark U+FEFF in UTF-8: whitespace between records. */
@inline export const BOM_0: u32 = 0xef;
@inline export const BOM_1: u32 = 0xbb;
@inline export const BOM_2: u32 = 0xbf;
@inline export const BOM_BYTES: usize = 3;
/** One SIMD register: the width of the vector scans (inputs are padded by at least this much). */
@inline export const VECTOR_BYTES: usize = 16;

// ---- parse results (internal) ----
@inline export const P_OK: u32 = 0;
/** The parser could not finish the record (syntax error, end of input, a newline in NDJSON): the framer decides. */
@inline export const P_FAIL: u32 = 1;
/** The arena or the value table cannot hold the event (detail: bytes needed). */
@inline export const P_ARENA_FULL: u32 = 2;

// The NOTE_DETAIL codes of malformed notes (MALFORMED_*) and STATUS_EVENT_FALLBACK live in ../context.ts, where
// the host's generated mirror picks them up.
export {
  MALFORMED_ARRAY_JUNK, MALFORMED_ARRAY_REOPENED, MALFORMED_ARRAY_UNCLOSED, MALFORMED_CUT, MALFORMED_EMPTY_ELEMENT, MALFORMED_JUNK,
  MALFORMED_MISSING_COMMA, MALFORMED_NEWLINE, MALFORMED_STRING_NEWLINE, MALFORMED_SYNTAX, MALFORMED_TRAILING,
  MALFORMED_TRUNCATED, STATUS_EVENT_FALLBACK,
} from '../context';

// ---- limits ----
/** Frames of the extracting parser's stack: deeper referenced nesting makes the event a fallback. */
@inline export const MAX_DEPTH: u32 = 512;
/** Default largest record, in bytes (DESIGN.md framing rule 6). */
@inline export const DEFAULT_MAX_RECORD_BYTES: u32 = 64 << 20;
/** Deepest nesting tracked while a too-large record is skipped (framing rule 8). */
@inline export const SKIP_DEPTH_LIMIT: u32 = 0xffffff;
/** Indentations are counted up to this (16 bits of CTX_FRAMING_LINE; framing rule 2). */
@inline export const INDENT_LIMIT: u32 = 0xffff;
