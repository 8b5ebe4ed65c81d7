/**
 * Compiled artifacts (`.sigc`): a compiled rule set as one portable file, so Workers, browsers and services load a
 * rule set in milliseconds without parsing YAML. It holds the program and what the host needs beside it: each
 * rule's metadata (for output), the field of each slot (for the objects path), the keyword slot.
 *
 * Layout (little-endian):
 *   0   "SGMA"                      magic
 *   4   u32 artifact format version  (ARTIFACT_VERSION)
 *   8   u32 program format version   (PROGRAM_VERSION of src/compiler/format.ts)
 *   12  u32 metadata length in bytes
 *   16  u32 checksum of the program bytes (programChecksum)
 *   20  u32 0
 *   24  metadata: UTF-8 JSON, padded with spaces to a multiple of 8
 *   ..  program bytes to the end
 * A file that is not an artifact, one written for another program format, or one whose program no longer matches
 * its checksum is refused with an ArtifactError that says what to do (recompile with `sigmatch compile`). The VM
 * also validates the program itself (every index and offset in range) before running it.
 */
import type { SigmaRule } from '../rule/model.js';
import type { CompiledRuleSet, RuleInfo } from './compile.js';
import { PROGRAM_VERSION } from './format.js';

export const ARTIFACT_MAGIC = 0x414d4753; // "SGMA" read as a little-endian u32
export const ARTIFACT_VERSION = 2;
const HEADER_BYTES = 24;
const METADATA_ALIGN = 8;

export class ArtifactError extends Error {
  constructor(
    message: string,
    readonly code: 'NOT_AN_ARTIFACT' | 'ARTIFACT_VERSION' | 'ARTIFACT_CORRUPT',
  ) {
    super(message);
    this.name = 'ArtifactError';
  }
}

interface ArtifactMetadata {
  generator: string;
  rules: RuleInfo[];
  fields: (string | null)[];
  keywordSlot: number | null;
  stats: CompiledRuleSet['stats'];
}

/** The metadata of a rule an artifact keeps: everything output and explanations need, no detection logic. */
export function ruleInfo(rule: RuleInfo | SigmaRule): RuleInfo {
  const { title, id, name, description, status, level, author, date, modified, license, tags, references, falsepositives, fields, related, logsource, source } = rule;
  return { title, id, name, description, status, level, author, date, modified, license, tags, references, falsepositives, fields, related, logsource, source };
}

/** A fast checksum of the program (word-wise multiply-xor), to tell a corrupted file from a valid one. */
export function programChecksum(program: Uint8Array): number {
  const words = Math.floor(program.length / 4);
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < words; i++) h = Math.imul(h ^ view.getUint32(i * 4, true), 0x9e3779b1) ^ (h >>> 15);
  for (let i = words * 4; i < program.length; i++) h = Math.imul(h ^ program[i], 0x9e3779b1);
  return h >>> 0;
}

export function writeArtifact(compiled: CompiledRuleSet, generator = 'sigmatch'): Uint8Array {
  const metadata: ArtifactMetadata = {
    generator,
    rules: compiled.rules.map(ruleInfo),
    fields: [...compiled.fields],
    keywordSlot: compiled.keywordSlot,
    stats: compiled.stats,
  };
  let json = JSON.stringify(metadata);
  const encoded = new TextEncoder().encode(json);
  const padded = (encoded.length + METADATA_ALIGN - 1) & ~(METADATA_ALIGN - 1);
  json += ' '.repeat(padded - encoded.length);
  const out = new Uint8Array(HEADER_BYTES + padded + compiled.program.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, ARTIFACT_MAGIC, true);
  view.setUint32(4, ARTIFACT_VERSION, true);
  view.setUint32(8, PROGRAM_VERSION, true);
  view.setUint32(12, padded, true);
  view.setUint32(16, programChecksum(compiled.program), true);
  out.set(new TextEncoder().encode(json), HEADER_BYTES);
  out.set(compiled.program, HEADER_BYTES + padded);
  return out;
}

export function isArtifact(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_BYTES && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true) === ARTIFACT_MAGIC;
}

export function readArtifact(bytes: Uint8Array, name = 'the artifact'): CompiledRuleSet {
  if (!isArtifact(bytes)) {
    throw new ArtifactError(`${name} is not a sigmatch compiled rule set (no SGMA header); create one with: sigmatch compile <rules> -o rules.sigc`, 'NOT_AN_ARTIFACT');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  const programVersion = view.getUint32(8, true);
  if (version !== ARTIFACT_VERSION || programVersion !== PROGRAM_VERSION) {
    throw new ArtifactError(
      `${name} was compiled for artifact format ${version}, program format ${programVersion}; this sigmatch reads artifact format ${ARTIFACT_VERSION}, program format ${PROGRAM_VERSION}: recompile it with this version's sigmatch compile`,
      'ARTIFACT_VERSION',
    );
  }
  const length = view.getUint32(12, true);
  if (HEADER_BYTES + length > bytes.length) throw new ArtifactError(`${name} is truncated (metadata runs past the end)`, 'ARTIFACT_CORRUPT');
  let metadata: ArtifactMetadata;
  try {
    metadata = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + length)));
  } catch (e) {
    throw new ArtifactError(`${name} has unreadable metadata (${(e as Error).message})`, 'ARTIFACT_CORRUPT');
  }
  if (!Array.isArray(metadata.rules) || !Array.isArray(metadata.fields)) throw new ArtifactError(`${name} has incomplete metadata`, 'ARTIFACT_CORRUPT');
  const program = bytes.slice(HEADER_BYTES + length);
  if (programChecksum(program) !== view.getUint32(16, true)) {
    throw new ArtifactError(`${name} is corrupted (its program does not match its checksum); recompile it with sigmatch compile`, 'ARTIFACT_CORRUPT');
  }
  return {
    program,
    rules: metadata.rules,
    fields: metadata.fields,
    keywordSlot: metadata.keywordSlot,
    stats: metadata.stats,
    requirements: [],
    gates: [],
  };
}
