/** The reference .evtx decoder (the VM's assembly/evtx/ is tested against it). */
export { readEvtxFile, EvtxReader, isEvtx, isFileMagic, readFileHeader, type EvtxFile, type EvtxRecord } from './reader.js';
export { walkChunk, type ChunkVisitor, type EvtxRecordHeader } from './chunk.js';
export { renderEvent, type JsonObject } from './render.js';
export { parseRecordXml, ChunkContext, type XmlElement, type XmlNode } from './binxml.js';
export { EvtxFormatError } from './values.js';
export { evtxNoteMessage, EVTX_INFO_NOTES, EVTX_NOTE_CODES, type EvtxNote, type EvtxNoteCode } from './notes.js';
