// GENERATED from src/input/evtx/format.ts by scripts/gen-mirrors.mjs. Do not edit.

// ---- file header (4096 bytes; the first 128 are used) ----
// "ElfFile\0" as two little-endian u32 words.
@inline export const FILE_MAGIC_LO: u32 = 0x46666c45;
@inline export const FILE_MAGIC_HI: u32 = 0x00656c69;
@inline export const FILE_HEADER_BYTES: u32 = 4096;
@inline export const FILE_FIRST_CHUNK: u32 = 8;
@inline export const FILE_LAST_CHUNK: u32 = 16;
@inline export const FILE_NEXT_RECORD_ID: u32 = 24;
@inline export const FILE_HEADER_SIZE: u32 = 32;
@inline export const FILE_MINOR_VERSION: u32 = 36;
@inline export const FILE_MAJOR_VERSION: u32 = 38;
@inline export const FILE_CHUNK_COUNT: u32 = 42;
@inline export const FILE_FLAGS: u32 = 120;
@inline export const FILE_CHECKSUM: u32 = 124;
// The header checksum covers bytes [0, FILE_CHECKSUMMED).
@inline export const FILE_CHECKSUMMED: u32 = 120;
@inline export const FILE_FLAG_DIRTY: u32 = 1;
@inline export const FILE_FLAG_FULL: u32 = 2;

// ---- chunks (65536 bytes: a 512-byte header, then event records) ----
// "ElfChnk\0" as two little-endian u32 words.
@inline export const CHUNK_MAGIC_LO: u32 = 0x43666c45;
@inline export const CHUNK_MAGIC_HI: u32 = 0x006b6e68;
@inline export const CHUNK_BYTES: u32 = 65536;
@inline export const CHUNK_HEADER_BYTES: u32 = 512;
@inline export const CHUNK_FIRST_RECORD_NUMBER: u32 = 8;
@inline export const CHUNK_LAST_RECORD_NUMBER: u32 = 16;
@inline export const CHUNK_FIRST_RECORD_ID: u32 = 24;
@inline export const CHUNK_LAST_RECORD_ID: u32 = 32;
@inline export const CHUNK_HEADER_SIZE: u32 = 40;
@inline export const CHUNK_LAST_RECORD_OFFSET: u32 = 44;
@inline export const CHUNK_FREE_SPACE_OFFSET: u32 = 48;
@inline export const CHUNK_RECORDS_CHECKSUM: u32 = 52;
@inline export const CHUNK_CHECKSUM: u32 = 124;
// The chunk header checksum covers [0, CHUNK_CHECKSUMMED_A) and [CHUNK_CHECKSUMMED_B, CHUNK_HEADER_BYTES).
@inline export const CHUNK_CHECKSUMMED_A: u32 = 120;
@inline export const CHUNK_CHECKSUMMED_B: u32 = 128;

// ---- event records ----
// "**\0\0"
@inline export const RECORD_MAGIC: u32 = 0x00002a2a;
@inline export const RECORD_SIZE: u32 = 4;
@inline export const RECORD_ID: u32 = 8;
@inline export const RECORD_WRITTEN: u32 = 16;
@inline export const RECORD_HEADER_BYTES: u32 = 24;
// Header, one byte of binary XML and the trailing copy of the size.
@inline export const RECORD_MIN_BYTES: u32 = 29;
// Records start on 8-byte boundaries: the step of the search for the next record after a damaged one.
@inline export const RECORD_ALIGN: u32 = 8;

// ---- binary XML tokens (the 0x40 bit of some means "more data follows") ----
@inline export const TOKEN_EOF: u32 = 0x00;
@inline export const TOKEN_OPEN_START: u32 = 0x01;
@inline export const TOKEN_CLOSE_START: u32 = 0x02;
@inline export const TOKEN_CLOSE_EMPTY: u32 = 0x03;
@inline export const TOKEN_END_ELEMENT: u32 = 0x04;
@inline export const TOKEN_VALUE: u32 = 0x05;
@inline export const TOKEN_ATTRIBUTE: u32 = 0x06;
@inline export const TOKEN_CDATA: u32 = 0x07;
@inline export const TOKEN_CHAR_REF: u32 = 0x08;
@inline export const TOKEN_ENTITY_REF: u32 = 0x09;
@inline export const TOKEN_PI_TARGET: u32 = 0x0a;
@inline export const TOKEN_PI_DATA: u32 = 0x0b;
@inline export const TOKEN_TEMPLATE_INSTANCE: u32 = 0x0c;
@inline export const TOKEN_NORMAL_SUBSTITUTION: u32 = 0x0d;
@inline export const TOKEN_OPTIONAL_SUBSTITUTION: u32 = 0x0e;
@inline export const TOKEN_FRAGMENT_HEADER: u32 = 0x0f;
@inline export const TOKEN_MORE_FLAG: u32 = 0x40;
// Fragment header: token, major version, minor version, flags.
@inline export const FRAGMENT_HEADER_BYTES: u32 = 4;
// A name stored in place: next string offset (4), hash (2), character count (2), the characters, a NUL (2).
@inline export const NAME_HEADER_BYTES: u32 = 8;
// A template definition: next definition offset (4), GUID (16), data size (4), then the fragment.
@inline export const TEMPLATE_DEFINITION_HEADER_BYTES: u32 = 24;
@inline export const TEMPLATE_DEFINITION_SIZE: u32 = 20;
// A template value descriptor: size (2), type (1), unused (1).
@inline export const DESCRIPTOR_BYTES: u32 = 4;

// ---- value types (0x80: an array of the type) ----
@inline export const TYPE_NULL: u32 = 0x00;
@inline export const TYPE_STRING: u32 = 0x01;
@inline export const TYPE_ANSI_STRING: u32 = 0x02;
@inline export const TYPE_INT8: u32 = 0x03;
@inline export const TYPE_UINT8: u32 = 0x04;
@inline export const TYPE_INT16: u32 = 0x05;
@inline export const TYPE_UINT16: u32 = 0x06;
@inline export const TYPE_INT32: u32 = 0x07;
@inline export const TYPE_UINT32: u32 = 0x08;
@inline export const TYPE_INT64: u32 = 0x09;
@inline export const TYPE_UINT64: u32 = 0x0a;
@inline export const TYPE_REAL32: u32 = 0x0b;
@inline export const TYPE_REAL64: u32 = 0x0c;
@inline export const TYPE_BOOL: u32 = 0x0d;
@inline export const TYPE_BINARY: u32 = 0x0e;
@inline export const TYPE_GUID: u32 = 0x0f;
@inline export const TYPE_SIZE: u32 = 0x10;
@inline export const TYPE_FILETIME: u32 = 0x11;
@inline export const TYPE_SYSTEMTIME: u32 = 0x12;
@inline export const TYPE_SID: u32 = 0x13;
@inline export const TYPE_HEX32: u32 = 0x14;
@inline export const TYPE_HEX64: u32 = 0x15;
@inline export const TYPE_BINXML: u32 = 0x21;
@inline export const TYPE_ARRAY: u32 = 0x80;
@inline export const GUID_BYTES: u32 = 16;
@inline export const SYSTEMTIME_BYTES: u32 = 16;
// A SID: revision (1), sub-authority count (1), 48-bit big-endian authority (6), then 4-byte sub-authorities.
@inline export const SID_HEADER_BYTES: u32 = 8;

// ---- time ----
// FILETIME counts 100 ns intervals since 1601-01-01; days from 1601-01-01 to 1970-01-01.
@inline export const FILETIME_TICKS_PER_MICROSECOND: u32 = 10;
@inline export const FILETIME_EPOCH_DAYS: u32 = 134774;

// ---- notes about a file (src/input/evtx/notes.ts names them; the VM reports these numbers) ----
@inline export const EVTX_NOTE_NOT_EVTX: u32 = 0;
@inline export const EVTX_NOTE_NO_FILE_HEADER: u32 = 1;
@inline export const EVTX_NOTE_FILE_HEADER_CHECKSUM: u32 = 2;
@inline export const EVTX_NOTE_DIRTY: u32 = 3;
@inline export const EVTX_NOTE_FILE_TRUNCATED: u32 = 4;
@inline export const EVTX_NOTE_CHUNK_BAD_MAGIC: u32 = 5;
@inline export const EVTX_NOTE_CHUNK_HEADER_CHECKSUM: u32 = 6;
@inline export const EVTX_NOTE_CHUNK_RECORDS_CHECKSUM: u32 = 7;
@inline export const EVTX_NOTE_CHUNK_TRUNCATED: u32 = 8;
@inline export const EVTX_NOTE_CHUNK_RECORD_COUNT: u32 = 9;
@inline export const EVTX_NOTE_RECORD_BAD_HEADER: u32 = 10;
@inline export const EVTX_NOTE_RECORD_BAD_XML: u32 = 11;
