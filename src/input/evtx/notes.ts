/**
 * What a reader of a damaged or unusual .evtx file reports, with a stable code and the file offset it concerns. Both
 * decoders (this reference and the VM) give the same codes at the same offsets; `evtxNoteMessage` words them. The
 * numeric codes are the VM's (assembly/evtx/format.ts, generated from format.ts: EVTX_NOTE_*).
 */
import * as F from './format.js';

export type EvtxNoteCode =
  | 'not-evtx'
  | 'no-file-header'
  | 'file-header-checksum'
  | 'dirty'
  | 'file-truncated'
  | 'chunk-bad-magic'
  | 'chunk-header-checksum'
  | 'chunk-records-checksum'
  | 'chunk-truncated'
  | 'chunk-record-count'
  | 'record-bad-header'
  | 'record-bad-xml';

export interface EvtxNote {
  code: EvtxNoteCode;
  /** Byte offset in the file (of the chunk, or of the record). */
  offset: number;
  /** Code-specific numbers: bytes present (truncated), records expected and read (record count). */
  detail: number;
  detail2: number;
  /** For record-bad-xml: what was wrong, in the decoder's words. */
  reason?: string;
}

/** Notes about the file that are not damage: `--strict-evtx` lets them pass. */
export const EVTX_INFO_NOTES: ReadonlySet<EvtxNoteCode> = new Set(['dirty', 'no-file-header']);

/** Numeric codes (the VM's note details) in the order of format.ts EVTX_NOTE_*. */
export const EVTX_NOTE_CODES: readonly EvtxNoteCode[] = [
  'not-evtx',
  'no-file-header',
  'file-header-checksum',
  'dirty',
  'file-truncated',
  'chunk-bad-magic',
  'chunk-header-checksum',
  'chunk-records-checksum',
  'chunk-truncated',
  'chunk-record-count',
  'record-bad-header',
  'record-bad-xml',
];

export function evtxNoteMessage(n: EvtxNote): string {
  const at = `at offset ${n.offset} (0x${n.offset.toString(16)})`;
  switch (n.code) {
    case 'not-evtx':
      return 'not an EVTX file (no "ElfFile" or "ElfChnk" signature)';
    case 'no-file-header':
      return 'no EVTX file header (carved chunks?); reading the chunks from the start';
    case 'file-header-checksum':
      return 'the EVTX file header checksum does not match; reading the chunks anyway';
    case 'dirty':
      return 'the EVTX file is marked dirty (copied while the log was open?); reading every chunk';
    case 'file-truncated':
      return `the file ends inside the EVTX file header (${n.detail} of ${F.FILE_HEADER_BYTES} bytes)`;
    case 'chunk-bad-magic':
      return `chunk ${at} has no "ElfChnk" signature: skipped`;
    case 'chunk-header-checksum':
      return `chunk ${at}: header checksum does not match; reading its records anyway`;
    case 'chunk-records-checksum':
      return `chunk ${at}: event records checksum does not match; reading its records anyway`;
    case 'chunk-truncated':
      return `chunk ${at} is cut off (${n.detail} of ${F.CHUNK_BYTES} bytes); reading the whole records in it`;
    case 'chunk-record-count':
      return `chunk ${at}: its header lists ${n.detail} records, ${n.detail2} were found`;
    case 'record-bad-header':
      return `no valid event record ${at} (bad signature or size): skipped to the next record`;
    case 'record-bad-xml':
      return `event record ${at} cannot be decoded${n.reason ? ` (${n.reason})` : ''}: skipped`;
  }
}
