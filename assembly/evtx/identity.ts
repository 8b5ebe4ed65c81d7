// What a hit reports of its record besides its place: EventRecordID and TimeCreated/@SystemTime. The VM hands the
// host the two values (context.ts HIT_EVTX_RECORD_ID, HIT_EVTX_TIME: type and chunk offset) with the record's hits,
// found through its template's skeleton (skeleton.ts INFO_RECORD_ID, INFO_TIME), so the host renders them without
// parsing the template again. Only values of a fixed-size type and of exactly its size are handed over; for any
// other the handle is 0 and the host reads the record with the reference (src/runtime/evtx-scanner.ts).
import { EVTX_VALUE_PRESENT, EVTX_VALUE_TYPE_SHIFT } from '../context';
import { flatRecord } from './flat';
import { contextValue } from './record';
import { chunkBase } from './region';
import { INFO_RECORD_ID, INFO_TIME, node, templateInfo } from './skeleton';
import { fixedBytes, valuePtr, valueSize, valueType } from './values';

/** The handle of the value whose substitution index + 1 is `index` (0: none), or 0. */
function systemValueHandle(index: u32): u32 {
  if (index == 0) return 0;
  let v = contextValue(0, index - 1);
  if (v == 0) return 0;
  let type = valueType(v);
  let bytes = fixedBytes(type);
  if (bytes == 0 || valueSize(v) != bytes) return 0;
  return EVTX_VALUE_PRESENT | (type << EVTX_VALUE_TYPE_SHIFT) | <u32>(valuePtr(v) - chunkBase);
}

/** The record's EventRecordID value (a handle, or 0). */
export function recordIdHandle(): u32 {
  return systemValueHandle(load<u32>(node(templateInfo(flatRecord())), INFO_RECORD_ID));
}

/** The record's TimeCreated/@SystemTime value (a handle, or 0). */
export function recordTimeHandle(): u32 {
  return systemValueHandle(load<u32>(node(templateInfo(flatRecord())), INFO_TIME));
}
