/**
 * Compiled artifacts (`.sigc`): a compiled rule set as one portable file, so Workers, browsers and services load a
 * rule set in milliseconds without parsing YAML. It holds the program and what the host needs beside it: each
 * rule's metadata (for output), the field of each slot (for the objects path), the keyword slot, and the rule set's
 * correlation rules.
 *
 * Layout (little-endian):
 *   0   "SGMA"                      magic
 *   4   u32 artifact format version  (ARTIFACT_VERSION)
 *   8   u32 program format version   (PROGRAM_VERSION of src/compiler/format.ts)
 *   12  u32 metadata length in bytes
 *   16  u32 checksum of the program bytes (checksum)
 *   20  u32 checksum of the metadata bytes
 *   24  u32 correlation section length in bytes (0: no correlations)
 *   28  u32 checksum of the correlation section
 *   32  metadata: UTF-8 JSON, padded with spaces to a multiple of 8
 *   ..  correlation section: UTF-8 JSON, padded with spaces to a multiple of 8 (artifact-correlations.ts)
 *   ..  program bytes to the end
 * A file that is not an artifact, one written for another artifact or program format (format 2 and older carried no
 * correlations, format 3 no rule shapes: refused, since loading one would silently drop correlations or provenance), or one whose program or metadata no longer
 * matches its checksum is refused with an ArtifactError that says what to do (recompile with `sigmatch compile`).
 * A damaged correlation section is refused with code ARTIFACT_CORRELATIONS. The VM also validates the program
 * itself (every index and offset in range) before running it.
 */
import type { SigmaRule } from '../rule/model.js';
import { provenanceShape, type ProvenanceShape } from '../eval/provenance.js';
import type { CompiledRuleSet, RuleInfo } from './compile.js';
import { decodeCorrelations, encodeCorrelations } from './artifact-correlations.js';
import { ArtifactError } from './artifact-error.js';
import { PROGRAM_VERSION } from './format.js';

export { ArtifactError, type ArtifactErrorCode } from './artifact-error.js';

export const ARTIFACT_MAGIC = 0x414d4753; // "SGMA" read as a little-endian u32
/** 3: a metadata checksum and the correlation section. 4: each rule's shape (provenance of hits). */
export const ARTIFACT_VERSION = 4;
const HEADER_BYTES = 32;
const SECTION_ALIGN = 8;
// Header words (byte offsets).
const AT_MAGIC = 0;
const AT_VERSION = 4;
const AT_PROGRAM_VERSION = 8;
const AT_METADATA_LENGTH = 12;
const AT_PROGRAM_CHECKSUM = 16;
const AT_METADATA_CHECKSUM = 20;
const AT_CORRELATIONS_LENGTH = 24;
const AT_CORRELATIONS_CHECKSUM = 28;

interface ArtifactMetadata {
  generator: string;
  rules: RuleInfo[];
  /** Each rule's logic without values (its condition, identifiers and item fields), for the provenance of hits. */
  shapes: ProvenanceShape[];
  fields: (string | null)[];
  keywordSlot: number | null;
  stats: CompiledRuleSet['stats'];
}

/** The metadata of a rule an artifact keeps: everything output and explanations need, no detection logic. */
export function ruleInfo(rule: RuleInfo | SigmaRule): RuleInfo {
  const { title, id, name, description, status, level, author, date, modified, license, tags, references, falsepositives, fields, related, logsource, source } = rule;
  return { title, id, name, description, status, level, author, date, modified, license, tags, references, falsepositives, fields, related, logsource, source };
}

/** A fast checksum (word-wise multiply-xor), to tell a corrupted file from a valid one. */
export function checksum(bytes: Uint8Array): number {
  const words = Math.floor(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < words; i++) h = Math.imul(h ^ view.getUint32(i * 4, true), 0x9e3779b1) ^ (h >>> 15);
  for (let i = words * 4; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x9e3779b1);
  return h >>> 0;
}

/** UTF-8 JSON padded with spaces to a multiple of SECTION_ALIGN (sections after it stay aligned). */
function paddedJson(text: string): Uint8Array {
  const encoded = new TextEncoder().encode(text);
  const padded = new Uint8Array((encoded.length + SECTION_ALIGN - 1) & ~(SECTION_ALIGN - 1)).fill(0x20);
  padded.set(encoded);
  return padded;
}

export function writeArtifact(compiled: CompiledRuleSet, generator = 'sigmatch'): Uint8Array {
  const metadata: ArtifactMetadata = {
    generator,
    rules: compiled.rules.map(ruleInfo),
    shapes: compiled.shapes.map(provenanceShape),
    fields: [...compiled.fields],
    keywordSlot: compiled.keywordSlot,
    stats: compiled.stats,
  };
  const meta = paddedJson(JSON.stringify(metadata));
  const carried = compiled.correlations;
  const correlations = carried && carried.documents.length > 0 ? paddedJson(encodeCorrelations(carried)) : new Uint8Array(0);
  const out = new Uint8Array(HEADER_BYTES + meta.length + correlations.length + compiled.program.length);
  const view = new DataView(out.buffer);
  view.setUint32(AT_MAGIC, ARTIFACT_MAGIC, true);
  view.setUint32(AT_VERSION, ARTIFACT_VERSION, true);
  view.setUint32(AT_PROGRAM_VERSION, PROGRAM_VERSION, true);
  view.setUint32(AT_METADATA_LENGTH, meta.length, true);
  view.setUint32(AT_PROGRAM_CHECKSUM, checksum(compiled.program), true);
  view.setUint32(AT_METADATA_CHECKSUM, checksum(meta), true);
  view.setUint32(AT_CORRELATIONS_LENGTH, correlations.length, true);
  view.setUint32(AT_CORRELATIONS_CHECKSUM, checksum(correlations), true);
  out.set(meta, HEADER_BYTES);
  out.set(correlations, HEADER_BYTES + meta.length);
  out.set(compiled.program, HEADER_BYTES + meta.length + correlations.length);
  return out;
}

export function isArtifact(bytes: Uint8Array): boolean {
  return bytes.length >= AT_VERSION + 4 && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(AT_MAGIC, true) === ARTIFACT_MAGIC;
}

export function readArtifact(bytes: Uint8Array, name = 'the artifact'): CompiledRuleSet {
  if (!isArtifact(bytes)) {
    throw new ArtifactError(`${name} is not a sigmatch compiled rule set (no SGMA header); create one with: sigmatch compile <rules> -o rules.sigc`, 'NOT_AN_ARTIFACT');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(AT_VERSION, true);
  const programVersion = bytes.length >= AT_PROGRAM_VERSION + 4 ? view.getUint32(AT_PROGRAM_VERSION, true) : 0;
  if (version !== ARTIFACT_VERSION || programVersion !== PROGRAM_VERSION) {
    throw new ArtifactError(
      `${name} was compiled for artifact format ${version}, program format ${programVersion}; this sigmatch reads artifact format ${ARTIFACT_VERSION}, program format ${PROGRAM_VERSION}: recompile it with this version's sigmatch compile`,
      'ARTIFACT_VERSION',
    );
  }
  if (bytes.length < HEADER_BYTES) throw new ArtifactError(`${name} is truncated (its header is incomplete)`, 'ARTIFACT_CORRUPT');
  const metaLength = view.getUint32(AT_METADATA_LENGTH, true);
  const correlationsLength = view.getUint32(AT_CORRELATIONS_LENGTH, true);
  if (HEADER_BYTES + metaLength > bytes.length) throw new ArtifactError(`${name} is truncated (metadata runs past the end)`, 'ARTIFACT_CORRUPT');
  const metaBytes = bytes.subarray(HEADER_BYTES, HEADER_BYTES + metaLength);
  if (checksum(metaBytes) !== view.getUint32(AT_METADATA_CHECKSUM, true)) {
    throw new ArtifactError(`${name} is corrupted (its metadata does not match its checksum); recompile it with sigmatch compile`, 'ARTIFACT_CORRUPT');
  }
  let metadata: ArtifactMetadata;
  try {
    metadata = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(metaBytes));
  } catch (e) {
    throw new ArtifactError(`${name} has unreadable metadata (${(e as Error).message})`, 'ARTIFACT_CORRUPT');
  }
  if (!Array.isArray(metadata.rules) || !Array.isArray(metadata.fields) || !Array.isArray(metadata.shapes) || metadata.shapes.length !== metadata.rules.length) throw new ArtifactError(`${name} has incomplete metadata`, 'ARTIFACT_CORRUPT');
  const correlationsAt = HEADER_BYTES + metaLength;
  if (correlationsAt + correlationsLength > bytes.length) {
    throw new ArtifactError(`${name} is damaged: its correlation section (${correlationsLength} bytes) runs past the end; recompile it with sigmatch compile`, 'ARTIFACT_CORRELATIONS');
  }
  const correlationBytes = bytes.subarray(correlationsAt, correlationsAt + correlationsLength);
  if (checksum(correlationBytes) !== view.getUint32(AT_CORRELATIONS_CHECKSUM, true)) {
    throw new ArtifactError(`${name} is damaged: its correlation section does not match its checksum; recompile it with sigmatch compile`, 'ARTIFACT_CORRELATIONS');
  }
  const program = bytes.slice(correlationsAt + correlationsLength);
  if (checksum(program) !== view.getUint32(AT_PROGRAM_CHECKSUM, true)) {
    throw new ArtifactError(`${name} is corrupted (its program does not match its checksum); recompile it with sigmatch compile`, 'ARTIFACT_CORRUPT');
  }
  const correlations = correlationsLength > 0 ? decodeCorrelations(correlationBytes, name) : undefined;
  return {
    program,
    rules: metadata.rules,
    shapes: metadata.shapes,
    fields: metadata.fields,
    keywordSlot: metadata.keywordSlot,
    stats: metadata.stats,
    requirements: [],
    gates: [],
    ...(correlations ? { correlations } : {}),
  };
}
