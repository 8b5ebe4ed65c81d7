// GENERATED from assembly/context.ts by scripts/gen-mirrors.mjs. Do not edit.

// The context block: one struct in linear memory through which the host (src/runtime) and the VM talk. The host
// lays out every region (it owns memory growth, so its views are re-created after any growth), writes the inputs,
// calls one export per batch, and reads the outputs back. Offsets are byte offsets from the block's start; every
// field is a u32. src/runtime/context.ts is generated from this file (scripts/gen-mirrors.mjs).

// ---- regions (host writes) ----
export const CTX_PROGRAM_PTR = 0;
export const CTX_PROGRAM_LEN = 4;
export const CTX_INPUT_PTR = 8;
export const CTX_INPUT_LEN = 12;
export const CTX_SLOTS_PTR = 16;
export const CTX_VALUES_PTR = 20;
export const CTX_VALUES_CAP = 24;
export const CTX_ARENA_PTR = 28;
export const CTX_ARENA_CAP = 32;
export const CTX_HITS_PTR = 36;
export const CTX_HITS_CAP = 40;
export const CTX_NOTES_PTR = 44;
export const CTX_NOTES_CAP = 48;
export const NOTES_MIN_CAP = 2;
export const CTX_SCRATCH_PTR = 52;
export const CTX_SCRATCH_CAP = 56;

// ---- per call inputs (host writes) ----
export const CTX_EVENT_BASE = 60;
export const CTX_LINE_BASE = 64;
export const CTX_FLAGS = 68;
// (72: unused since the framing state moved to its own block below)

// ---- outputs (VM writes) ----
export const CTX_STATUS = 76;
export const CTX_HIT_COUNT = 80;
export const CTX_NOTE_COUNT = 84;
export const CTX_CONSUMED = 88;
export const CTX_EVENT_COUNT = 92;
export const CTX_LINE_COUNT = 96;
export const CTX_STATUS_DETAIL = 100;

export const CTX_RULES_EVALUATED = 108;

// ---- settings (host writes once) ----
export const CTX_MAX_RECORD_BYTES = 104;

// ---- framing state (VM writes; the host keeps it per input and passes it back with the next chunk) ----
// FRAMING_WORDS words from CTX_FRAMING, owned by the scanner (assembly/json/scan.ts). The host zeroes them for a new
// input (the format is then decided by the input), or sets CTX_FRAMING to FRAMING_NDJSON to read the input as NDJSON
// from its first byte. Between calls they describe the input up to CTX_CONSUMED: the format, a skip in progress,
// and a record at CTX_CONSUMED whose first CTX_RESUME_AT bytes were already framed (framing resumes there).
export const CTX_FRAMING = 112;
export const FRAMING_NDJSON = 1;
export const CTX_FRAMING_DEPTH = 116;
export const CTX_FRAMING_LINE = 120;
export const CTX_FRAMING_UNIT_LINE = 124;
export const CTX_FRAMING_UNIT_NOTE = 128;
export const CTX_RESUME_AT = 132;
export const CTX_RESUME_LINES = 136;
export const CTX_RESUME_END = 140;
export const FRAMING_WORDS = 8;

// ---- .evtx chunks (vmScanEvtx; DESIGN.md "Reading .evtx files") ----
export const CTX_EVTX_PTR = 144;
export const CTX_EVTX_CAP = 148;
export const CTX_EVTX_CHUNK = 152;
export const CTX_EVTX_STATE = 156;
export const EVTX_STATE_UNUSED = 1;
export const EVTX_POSITION_MASK = 0x1ffff;
export const EVTX_FOUND_SHIFT = 17;

// ---- correlation capture (host writes once per layout) ----
export const CTX_CAPTURE_PTR = 160;

// ---- provenance of hits (host writes; 0: none; assembly/vm/provenance.ts) ----
export const CTX_PROVENANCE_PTR = 164;

export const CTX_BYTES = 168;

// ---- flags ----
export const FLAG_FINAL = 1;
export const FLAG_NULL_MATCHES_ABSENT = 2;
export const FLAG_EVTX_JSON = 4;
export const FLAG_NO_PREFILTER = 8;

// ---- status ----
export const STATUS_OK = 0;
export const STATUS_HITS_FULL = 1;
export const STATUS_NOTES_FULL = 2;
export const STATUS_ARENA_FULL = 3;
export const STATUS_BAD_PROGRAM = 4;
export const STATUS_BAD_RECORD = 5;
export const STATUS_EVTX_RECORD = 6;

// ---- hit records: (event index, rule index, line, record start, record end), 20 bytes ----
export const HIT_EVENT = 0;
export const HIT_RULE = 4;
export const HIT_LINE = 8;
export const HIT_RECORD_START = 12;
export const HIT_RECORD_END = 16;
export const HIT_BYTES = 20;
export const HIT_EVTX_VALUES = 8;
export const HIT_EVTX_TIME = 16;
export const EVTX_HIT_OFFSET_MASK = 0xffff;
export const EVTX_HIT_ID_TYPE_SHIFT = 16;
export const EVTX_HIT_TIME_TYPE_SHIFT = 24;
export const EVTX_HIT_TYPE_MASK = 0xff;
export const EVTX_HIT_SIZE_SHIFT = 16;

// ---- note records: things the host must know about a record, 24 bytes ----
export const NOTE_KIND = 0;
export const NOTE_LINE = 4;
export const NOTE_END_LINE = 20;
export const NOTE_START = 8;
export const NOTE_END = 12;
export const NOTE_DETAIL = 16;
export const NOTE_BYTES = 24;

export const NOTE_MALFORMED = 1;
export const NOTE_NOT_OBJECT = 2;
export const NOTE_TOO_LARGE = 3;
// NOTE_DETAIL of NOTE_MALFORMED notes: why the record is malformed (DESIGN.md section 4, framing).
export const MALFORMED_SYNTAX = 1;
export const MALFORMED_JUNK = 2;
export const MALFORMED_TRAILING = 3;
export const MALFORMED_NEWLINE = 4;
export const MALFORMED_TRUNCATED = 5;
export const MALFORMED_EMPTY_ELEMENT = 6;
export const MALFORMED_ARRAY_JUNK = 7;
export const MALFORMED_ARRAY_UNCLOSED = 8;
export const MALFORMED_CUT = 9;
export const MALFORMED_STRING_NEWLINE = 10;
export const MALFORMED_MISSING_COMMA = 11;
export const MALFORMED_ARRAY_REOPENED = 12;

export const STATUS_EVENT_FALLBACK = 16;

export const NOTE_FALLBACK = 4;

export const NOTE_EVTX = 5;
