/**
 * The numbers of the Windows XML Event Log (.evtx) format: file header, chunks, event records, binary XML tokens and
 * value types. Sources: libyal/libevtx "Windows XML Event Log (EVTX).asciidoc" and MS-EVEN6 (BinXml). Both
 * decoders read them from here: assembly/evtx/format.ts is generated from this file (scripts/gen-mirrors.mjs).
 * Offsets are in bytes, little-endian.
 */

// ---- file header (4096 bytes; the first 128 are used) ----
/** "ElfFile\0" as two little-endian u32 words. */
export const FILE_MAGIC_LO = 0x46666c45;
export const FILE_MAGIC_HI = 0x00656c69;
export const FILE_HEADER_BYTES = 4096;
export const FILE_FIRST_CHUNK = 8;
export const FILE_LAST_CHUNK = 16;
export const FILE_NEXT_RECORD_ID = 24;
export const FILE_HEADER_SIZE = 32;
export const FILE_MINOR_VERSION = 36;
export const FILE_MAJOR_VERSION = 38;
export const FILE_CHUNK_COUNT = 42;
export const FILE_FLAGS = 120;
export const FILE_CHECKSUM = 124;
/** The header checksum covers bytes [0, FILE_CHECKSUMMED). */
export const FILE_CHECKSUMMED = 120;
export const FILE_FLAG_DIRTY = 1;
export const FILE_FLAG_FULL = 2;

// ---- chunks (65536 bytes: a 512-byte header, then event records) ----
/** "ElfChnk\0" as two little-endian u32 words. */
export const CHUNK_MAGIC_LO = 0x43666c45;
export const CHUNK_MAGIC_HI = 0x006b6e68;
export const CHUNK_BYTES = 65536;
export const CHUNK_HEADER_BYTES = 512;
export const CHUNK_FIRST_RECORD_NUMBER = 8;
export const CHUNK_LAST_RECORD_NUMBER = 16;
export const CHUNK_FIRST_RECORD_ID = 24;
export const CHUNK_LAST_RECORD_ID = 32;
export const CHUNK_HEADER_SIZE = 40;
export const CHUNK_LAST_RECORD_OFFSET = 44;
export const CHUNK_FREE_SPACE_OFFSET = 48;
export const CHUNK_RECORDS_CHECKSUM = 52;
export const CHUNK_CHECKSUM = 124;
/** The chunk header checksum covers [0, CHUNK_CHECKSUMMED_A) and [CHUNK_CHECKSUMMED_B, CHUNK_HEADER_BYTES). */
export const CHUNK_CHECKSUMMED_A = 120;
export const CHUNK_CHECKSUMMED_B = 128;

// ---- event records ----
/** "**\0\0" */
export const RECORD_MAGIC = 0x00002a2a;
export const RECORD_SIZE = 4;
export const RECORD_ID = 8;
export const RECORD_WRITTEN = 16;
export const RECORD_HEADER_BYTES = 24;
/** Header, one byte of binary XML and the trailing copy of the size. */
export const RECORD_MIN_BYTES = 29;
/** Records start on 8-byte boundaries: the step of the search for the next record after a damaged one. */
export const RECORD_ALIGN = 8;

// ---- binary XML tokens (the 0x40 bit of some means "more data follows") ----
export const TOKEN_EOF = 0x00;
export const TOKEN_OPEN_START = 0x01;
export const TOKEN_CLOSE_START = 0x02;
export const TOKEN_CLOSE_EMPTY = 0x03;
export const TOKEN_END_ELEMENT = 0x04;
export const TOKEN_VALUE = 0x05;
export const TOKEN_ATTRIBUTE = 0x06;
export const TOKEN_CDATA = 0x07;
export const TOKEN_CHAR_REF = 0x08;
export const TOKEN_ENTITY_REF = 0x09;
export const TOKEN_PI_TARGET = 0x0a;
export const TOKEN_PI_DATA = 0x0b;
export const TOKEN_TEMPLATE_INSTANCE = 0x0c;
export const TOKEN_NORMAL_SUBSTITUTION = 0x0d;
export const TOKEN_OPTIONAL_SUBSTITUTION = 0x0e;
export const TOKEN_FRAGMENT_HEADER = 0x0f;
export const TOKEN_MORE_FLAG = 0x40;
/** Fragment header: token, major version, minor version, flags. */
export const FRAGMENT_HEADER_BYTES = 4;
/** A name stored in place: next string offset (4), hash (2), character count (2), the characters, a NUL (2). */
export const NAME_HEADER_BYTES = 8;
/** A template definition: next definition offset (4), GUID (16), data size (4), then the fragment. */
export const TEMPLATE_DEFINITION_HEADER_BYTES = 24;
export const TEMPLATE_DEFINITION_SIZE = 20;
/** A template value descriptor: size (2), type (1), unused (1). */
export const DESCRIPTOR_BYTES = 4;

// ---- value types (0x80: an array of the type) ----
export const TYPE_NULL = 0x00;
export const TYPE_STRING = 0x01;
export const TYPE_ANSI_STRING = 0x02;
export const TYPE_INT8 = 0x03;
export const TYPE_UINT8 = 0x04;
export const TYPE_INT16 = 0x05;
export const TYPE_UINT16 = 0x06;
export const TYPE_INT32 = 0x07;
export const TYPE_UINT32 = 0x08;
export const TYPE_INT64 = 0x09;
export const TYPE_UINT64 = 0x0a;
export const TYPE_REAL32 = 0x0b;
export const TYPE_REAL64 = 0x0c;
export const TYPE_BOOL = 0x0d;
export const TYPE_BINARY = 0x0e;
export const TYPE_GUID = 0x0f;
export const TYPE_SIZE = 0x10;
export const TYPE_FILETIME = 0x11;
export const TYPE_SYSTEMTIME = 0x12;
export const TYPE_SID = 0x13;
export const TYPE_HEX32 = 0x14;
export const TYPE_HEX64 = 0x15;
export const TYPE_BINXML = 0x21;
export const TYPE_ARRAY = 0x80;
export const GUID_BYTES = 16;
export const SYSTEMTIME_BYTES = 16;
/** A SID: revision (1), sub-authority count (1), 48-bit big-endian authority (6), then 4-byte sub-authorities. */
export const SID_HEADER_BYTES = 8;

// ---- time ----
/** FILETIME counts 100 ns intervals since 1601-01-01; days from 1601-01-01 to 1970-01-01. */
export const FILETIME_TICKS_PER_MICROSECOND = 10;
export const FILETIME_EPOCH_DAYS = 134774;

// ---- notes about a file (src/input/evtx/notes.ts names them; the VM reports these numbers) ----
export const EVTX_NOTE_NOT_EVTX = 0;
export const EVTX_NOTE_NO_FILE_HEADER = 1;
export const EVTX_NOTE_FILE_HEADER_CHECKSUM = 2;
export const EVTX_NOTE_DIRTY = 3;
export const EVTX_NOTE_FILE_TRUNCATED = 4;
export const EVTX_NOTE_CHUNK_BAD_MAGIC = 5;
export const EVTX_NOTE_CHUNK_HEADER_CHECKSUM = 6;
export const EVTX_NOTE_CHUNK_RECORDS_CHECKSUM = 7;
export const EVTX_NOTE_CHUNK_TRUNCATED = 8;
export const EVTX_NOTE_CHUNK_RECORD_COUNT = 9;
export const EVTX_NOTE_RECORD_BAD_HEADER = 10;
export const EVTX_NOTE_RECORD_BAD_XML = 11;
