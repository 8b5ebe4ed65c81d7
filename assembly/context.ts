// The context block: one struct in linear memory through which the host (src/runtime) and the VM talk. The host
// lays out every region (it owns memory growth, so its views are re-created after any growth), writes the inputs,
// calls one export per batch, and reads the outputs back. Offsets are byte offsets from the block's start; every
// field is a u32. src/runtime/context.ts is generated from this file (scripts/gen-mirrors.mjs).

// ---- regions (host writes) ----
@inline export const CTX_PROGRAM_PTR: usize = 0;
@inline export const CTX_PROGRAM_LEN: usize = 4;
@inline export const CTX_INPUT_PTR: usize = 8;
@inline export const CTX_INPUT_LEN: usize = 12;
@inline export const CTX_SLOTS_PTR: usize = 16;
@inline export const CTX_VALUES_PTR: usize = 20;
@inline export const CTX_VALUES_CAP: usize = 24;
@inline export const CTX_ARENA_PTR: usize = 28;
@inline export const CTX_ARENA_CAP: usize = 32;
@inline export const CTX_HITS_PTR: usize = 36;
/** Capacity in hit records; the host keeps it >= the rule count, so one event's hits always fit. */
@inline export const CTX_HITS_CAP: usize = 40;
@inline export const CTX_NOTES_PTR: usize = 44;
/** Capacity in note records: at least NOTES_MIN_CAP (one unit may write two notes, and units are never split). */
@inline export const CTX_NOTES_CAP: usize = 48;
@inline export const NOTES_MIN_CAP: u32 = 2;
/** Scratch for the VM's own per-event state (predicate memo, detection memo, scanner stack, regex threads). */
@inline export const CTX_SCRATCH_PTR: usize = 52;
@inline export const CTX_SCRATCH_CAP: usize = 56;

// ---- per call inputs (host writes) ----
/** Index the first event of this input gets (events are numbered across calls). */
@inline export const CTX_EVENT_BASE: usize = 60;
/** 1-based line number of the input's first byte. */
@inline export const CTX_LINE_BASE: usize = 64;
@inline export const CTX_FLAGS: usize = 68;
// (72: unused since the framing state moved to its own block below)

// ---- outputs (VM writes) ----
@inline export const CTX_STATUS: usize = 76;
@inline export const CTX_HIT_COUNT: usize = 80;
@inline export const CTX_NOTE_COUNT: usize = 84;
/** Input bytes fully processed: everything before this offset belongs to finished records. */
@inline export const CTX_CONSUMED: usize = 88;
/** Events numbered in this call (the next call's CTX_EVENT_BASE is base + this). */
@inline export const CTX_EVENT_COUNT: usize = 92;
/** Newlines inside the consumed bytes (the next call's CTX_LINE_BASE is base + this). */
@inline export const CTX_LINE_COUNT: usize = 96;
/** Detail for a status (e.g. the bytes an oversized record needs). */
@inline export const CTX_STATUS_DETAIL: usize = 100;

/** Rule programs run in this call (with the prefilter: the candidates plus the always-evaluated rules). */
@inline export const CTX_RULES_EVALUATED: usize = 108;

// ---- settings (host writes once) ----
/** Largest record the bytes path accepts; a longer one is a NOTE_TOO_LARGE and is skipped. 0 = the VM default. */
@inline export const CTX_MAX_RECORD_BYTES: usize = 104;

// ---- framing state (VM writes; the host keeps it per input and passes it back with the next chunk) ----
// FRAMING_WORDS words from CTX_FRAMING, owned by the scanner (assembly/json/scan.ts). The host zeroes them for a new
// input (the format is then decided by the input), or sets CTX_FRAMING to FRAMING_NDJSON to read the input as NDJSON
// from its first byte. Between calls they describe the input up to CTX_CONSUMED: the format, a skip in progress,
// and a record at CTX_CONSUMED whose first CTX_RESUME_AT bytes were already framed (framing resumes there).
@inline export const CTX_FRAMING: usize = 112;
/** Initial CTX_FRAMING for a piece of an NDJSON input cut at a line boundary (parallel scanning). */
@inline export const FRAMING_NDJSON: u32 = 1;
@inline export const CTX_FRAMING_DEPTH: usize = 116;
/** The current line's indentation (low 16 bits) and the cut column of the unit in hand (high 16 bits). */
@inline export const CTX_FRAMING_LINE: usize = 120;
/** First line of the unit being skipped (its note is written when the skip ends). */
@inline export const CTX_FRAMING_UNIT_LINE: usize = 124;
/** The note of the unit being skipped: NOTE_* kind (low 8 bits) and detail (bits 8-15). */
@inline export const CTX_FRAMING_UNIT_NOTE: usize = 128;
@inline export const CTX_RESUME_AT: usize = 132;
/** Newlines inside the first CTX_RESUME_AT bytes of the record being resumed. */
@inline export const CTX_RESUME_LINES: usize = 136;
/** An NDJSON record waiting for the end of its line: its length. */
@inline export const CTX_RESUME_END: usize = 140;
@inline export const FRAMING_WORDS: usize = 8;

// ---- .evtx chunks (vmScanEvtx; DESIGN.md "Reading .evtx files") ----
/** The decoder's own region (name and template caches of the chunk, per-record tables): evtxRegionBytes() bytes,
 * laid out by the host the first time it scans a chunk. */
@inline export const CTX_EVTX_PTR: usize = 144;
@inline export const CTX_EVTX_CAP: usize = 148;
/** A number the host gives each chunk it pushes (never 0): the caches stay valid while it stays the same. */
@inline export const CTX_EVTX_CHUNK: usize = 152;
/** Out: EVTX_STATE_* bits about the chunk. */
@inline export const CTX_EVTX_STATE: usize = 156;
/** The chunk slot holds only zeros (unused). */
@inline export const EVTX_STATE_UNUSED: u32 = 1;
/** CTX_FRAMING of a chunk: where to go on (0: the chunk's start, not yet checked) and the records found so far. */
@inline export const EVTX_POSITION_MASK: u32 = 0x1ffff;
@inline export const EVTX_FOUND_SHIFT: u32 = 17;

// ---- correlation capture (host writes once per layout) ----
/** The capture block (assembly/vm/capture.ts): field values of hit events for correlations. 0 = no capture. */
@inline export const CTX_CAPTURE_PTR: usize = 160;

// ---- provenance of hits (host writes; 0: none; assembly/vm/provenance.ts) ----
@inline export const CTX_PROVENANCE_PTR: usize = 164;

@inline export const CTX_BYTES: usize = 168;

// ---- flags ----
/** No more input after this chunk: a record cut off at the end is malformed, not carried over. */
@inline export const FLAG_FINAL: u32 = 1;
/** `F: null` also matches an absent F (SIGMA.md decision, the default). */
@inline export const FLAG_NULL_MATCHES_ABSENT: u32 = 2;
/** Read evtx_dump-shaped events through the evtx flattening (the default). */
@inline export const FLAG_EVTX_JSON: u32 = 4;
/** Evaluate every rule for every event (prefilter off; for differential tests). */
@inline export const FLAG_NO_PREFILTER: u32 = 8;

// ---- status ----
@inline export const STATUS_OK: u32 = 0;
/** The hits buffer cannot take another event's hits: drain hits and call again from CTX_CONSUMED. */
@inline export const STATUS_HITS_FULL: u32 = 1;
/** The notes buffer is full: drain notes and call again from CTX_CONSUMED. */
@inline export const STATUS_NOTES_FULL: u32 = 2;
/** One event needs more arena/value/scratch space than given: grow (CTX_STATUS_DETAIL says how much) and call
 * again from CTX_CONSUMED. */
@inline export const STATUS_ARENA_FULL: u32 = 3;
/** The program is not a sigmatch program of this VM's version. */
@inline export const STATUS_BAD_PROGRAM: u32 = 4;
/** An objects-path record is malformed (a host bug: records are written by src/runtime/records.ts). */
@inline export const STATUS_BAD_RECORD: u32 = 5;
/** vmScanEvtx leaves an event record to the host (one the VM does not decode itself: DESIGN.md): CTX_CONSUMED is its
 * offset in the input, CTX_STATUS_DETAIL its size. The host decodes it and calls again with CTX_FRAMING past it. */
@inline export const STATUS_EVTX_RECORD: u32 = 6;

// ---- hit records: (event index, rule index, line, record start, record end), 20 bytes ----
@inline export const HIT_EVENT: usize = 0;
@inline export const HIT_RULE: usize = 4;
/** 1-based line where the event starts (bytes path), 0 for the objects path. */
@inline export const HIT_LINE: usize = 8;
/** Byte range of the event's record in the input region (bytes path; 0, 0 for the objects path), so the host can
 * read the event back for a hit (provenance) without keeping anything else. */
@inline export const HIT_RECORD_START: usize = 12;
@inline export const HIT_RECORD_END: usize = 16;
@inline export const HIT_BYTES: usize = 20;
/** .evtx hits (no line; the host reads the record's end from its header) carry the record's EventRecordID and
 * TimeCreated/@SystemTime values, so the host need not parse the record's template again: HIT_EVTX_VALUES holds the
 * record id's chunk offset (EVTX_HIT_OFFSET_MASK), its type (a fixed-size one, of exactly its size) at
 * EVTX_HIT_ID_TYPE_SHIFT and the time's type at EVTX_HIT_TIME_TYPE_SHIFT; HIT_EVTX_TIME the time's chunk offset and
 * its size (EVTX_HIT_SIZE_SHIFT). A type 0: not handed over (the host then reads the record with the reference). */
@inline export const HIT_EVTX_VALUES: usize = 8;
@inline export const HIT_EVTX_TIME: usize = 16;
@inline export const EVTX_HIT_OFFSET_MASK: u32 = 0xffff;
@inline export const EVTX_HIT_ID_TYPE_SHIFT: u32 = 16;
@inline export const EVTX_HIT_TIME_TYPE_SHIFT: u32 = 24;
@inline export const EVTX_HIT_TYPE_MASK: u32 = 0xff;
@inline export const EVTX_HIT_SIZE_SHIFT: u32 = 16;

// ---- note records: things the host must know about a record, 24 bytes ----
@inline export const NOTE_KIND: usize = 0;
/** 1-based line where the record starts. */
@inline export const NOTE_LINE: usize = 4;
/** Last line of the record (malformed, not-object and too-large notes: lines NOTE_LINE..NOTE_END_LINE were not
 * read as events). */
@inline export const NOTE_END_LINE: usize = 20;
/** Byte range of the record in the input. */
@inline export const NOTE_START: usize = 8;
@inline export const NOTE_END: usize = 12;
/** Event index (fallback notes) or a detail code (malformed notes). */
@inline export const NOTE_DETAIL: usize = 16;
@inline export const NOTE_BYTES: usize = 24;

/** The record is not valid JSON (NOTE_DETAIL: a MALFORMED_* reason). It takes no event index. */
@inline export const NOTE_MALFORMED: u32 = 1;
/** The record is valid JSON but not an object. It takes no event index. */
@inline export const NOTE_NOT_OBJECT: u32 = 2;
/** The record is larger than the host's limit; skipped. It takes no event index. */
@inline export const NOTE_TOO_LARGE: u32 = 3;
// NOTE_DETAIL of NOTE_MALFORMED notes: why the record is malformed (DESIGN.md section 4, framing).
/** The record is not valid JSON (as JSON.parse judges the UTF-8-decoded text). */
@inline export const MALFORMED_SYNTAX: u32 = 1;
/** Text between records that starts no record: skipped to the end of its line (NDJSON) or the next record line. */
@inline export const MALFORMED_JUNK: u32 = 2;
/** NDJSON: the line goes on after the record closed; the whole line is dropped. */
@inline export const MALFORMED_TRAILING: u32 = 3;
/** NDJSON: the line ends inside the record. */
@inline export const MALFORMED_NEWLINE: u32 = 4;
/** The input ends inside the record. */
@inline export const MALFORMED_TRUNCATED: u32 = 5;
/** A JSON array with an empty element (`[,` `,,` `,]`). */
@inline export const MALFORMED_EMPTY_ELEMENT: u32 = 6;
/** Text where a JSON array needs `,` or `]`, or after its closing `]`. */
@inline export const MALFORMED_ARRAY_JUNK: u32 = 7;
/** The input ends before the JSON array's closing `]`. */
@inline export const MALFORMED_ARRAY_UNCLOSED: u32 = 8;
/** The record was still open when the next record line began (outside NDJSON). */
@inline export const MALFORMED_CUT: u32 = 9;
/** A line ended inside a string (outside NDJSON): the record runs to the next record line. */
@inline export const MALFORMED_STRING_NEWLINE: u32 = 10;
/** An object follows an array element on a record line without a `,` (nothing is lost: the object is read). */
@inline export const MALFORMED_MISSING_COMMA: u32 = 11;
/** An object starts a line after the JSON array's `]`: read as another element (nothing is lost). */
@inline export const MALFORMED_ARRAY_REOPENED: u32 = 12;

/**
 * Status an event handler (or collectLeaves) returns when the event must fall back to the objects path: the scanner
 * writes a NOTE_FALLBACK note for it. Outside the range of the context block's STATUS_* codes.
 */
@inline export const STATUS_EVENT_FALLBACK: u32 = 16;

/** A valid event the VM cannot evaluate exactly as JSON.parse would read it (duplicate keys, numbers beyond the
 * canonical range, nesting past the scanner's stack): the host parses bytes [start, end) and evaluates the event
 * through the objects path. NOTE_DETAIL is its event index; its hits are the host's to produce. */
@inline export const NOTE_FALLBACK: u32 = 4;

/** Something about a .evtx chunk or record (NOTE_DETAIL: an EVTX_NOTE_* code of assembly/evtx/format.ts): NOTE_START
 * is its offset in the chunk, NOTE_END and NOTE_LINE the code's numbers (bytes present; records listed, found). */
@inline export const NOTE_EVTX: u32 = 5;
