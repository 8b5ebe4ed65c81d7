// What a hit reports of its record besides its place: EventRecordID and TimeCreated/@SystemTime. The VM hands the
// host the two values (context.ts HIT_EVTX_VALUES, HIT_EVTX_TIME: types, chunk offsets, the time's size) with the
// record's hits, found through its template's skeleton (skeleton.ts INFO_RECORD_ID, INFO_TIME), so the host renders
// them without parsing the template again. The record id is handed over when it has a fixed-size type and exactly
// its size, the time when it is a value the VM reads (not binary XML, not an array); else the type is 0 and the
// host reads the record with the reference (src/runtime/evtx-scanner.ts).
import { EVTX_HIT_ID_TYPE_SHIFT, EVTX_HIT_SIZE_SHIFT, EVTX_HIT_TIME_TYPE_SHIFT } from '../context';
import * as F from './format';
import { flatRecord } from './flat';
import { contextValue } from './record';
import { chunkBase } from './region';
import { INFO_RECORD_ID, INFO_TIME, node, templateInfo } from './skeleton';
import { fixedBytes, valuePtr, valueSize, valueType } from './values';

/** The record's value whose substitution index + 1 is `index` (0: none): its entry, or 0. */
function systemValue(index: u32): usize {
  return index == 0 ? 0 : contextValue(0, index - 1);
}

@inline function chunkOffset(v: usize): u32 {
  return <u32>(valuePtr(v) - chunkBase);
}

let timeWord: u32 = 0;

/** The record's HIT_EVTX_VALUES word; the HIT_EVTX_TIME word is then hitTimeWord. */
export function hitValuesWord(): u32 {
  let info = node(templateInfo(flatRecord()));
  let word: u32 = 0;
  let id = systemValue(load<u32>(info, INFO_RECORD_ID));
  if (id != 0) {
    let type = valueType(id);
    let bytes = fixedBytes(type);
    if (bytes != 0 && valueSize(id) == bytes) word = (type << EVTX_HIT_ID_TYPE_SHIFT) | chunkOffset(id);
  }
  timeWord = 0;
  let time = systemValue(load<u32>(info, INFO_TIME));
  if (time != 0) {
    let type = valueType(time);
    if (type != F.TYPE_NULL && type != F.TYPE_BINXML && (type & F.TYPE_ARRAY) == 0) {
      word |= type << EVTX_HIT_TIME_TYPE_SHIFT;
      timeWord = (valueSize(time) << EVTX_HIT_SIZE_SHIFT) | chunkOffset(time);
    }
  }
  return word;
}

export function hitTimeWord(): u32 {
  return timeWord;
}
