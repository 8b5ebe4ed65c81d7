/**
 * The compile cache of `sigmatch scan --rules`: the compiled program of a rule set, kept in the user's cache directory
 * so the next scan of the same rules starts without parsing YAML, applying pipelines or compiling.
 *
 * An entry is found by a key that hashes everything the program depends on: the rule files' paths and contents, the
 * pipelines (built-in names; pipeline files' contents), placeholder values, the rule selection, the cache, artifact
 * and program format versions, and the identity of this sigmatch's code (its files' sizes and times, and the VM's),
 * so a rebuilt or upgraded sigmatch never reads an entry an older one wrote. An entry is trusted only when it is
 * whole: it names its own key and carries a SHA-256 of its content, and its program passes the artifact's checks
 * (src/compiler/artifact.ts); anything else (damaged, truncated, another version) is ignored and rebuilt.
 *
 * Layout (little-endian):
 *   0   "SGMK"                      magic
 *   4   u32 cache format version    (CACHE_FORMAT_VERSION)
 *   8   32 bytes                    the entry's key (SHA-256)
 *   40  32 bytes                    SHA-256 of the bytes from ENTRY_BODY to the end
 *   72  u32 length of the extras
 *   76  extras: UTF-8 JSON (CacheExtras)
 *   ..  the compiled artifact (writeArtifact) to the end
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACT_VERSION, ArtifactError, readArtifact, writeArtifact } from '../compiler/artifact.js';
import type { CompiledRuleSet } from '../compiler/compile.js';
import { PROGRAM_VERSION } from '../compiler/format.js';
import { ERROR_CODES, SigmaError, type SigmaErrorCode } from '../rule/errors.js';

export const CACHE_FORMAT_VERSION = 1;
const CACHE_MAGIC = 0x4b4d4753; // "SGMK" read as a little-endian u32
const DIGEST_BYTES = 32;
const KEY_AT = 8;
const DIGEST_AT = KEY_AT + DIGEST_BYTES;
const ENTRY_BODY = DIGEST_AT + DIGEST_BYTES;
const EXTRAS_AT = ENTRY_BODY + 4;
const ENTRY_SUFFIX = '.sigc-cache';
/** Entries kept: the least recently used beyond these go (a cache never grows without bound). */
export const MAX_CACHE_ENTRIES = 8;
export const MAX_CACHE_BYTES = 256 * 1024 * 1024;

/** What a cached scan needs besides the program: the load's outcome as the cold path reported it. */
export interface CacheExtras {
  /** Load errors and pipeline rejections, in the order they were reported. */
  errors: { code: string; message: string; file?: string; line?: number; column?: number; ruleTitle?: string; ruleId?: string }[];
  routed: number;
  unrouted: number;
  /** Of `unrouted`, rules of products no pipeline routes (LoadedRules.foreign). */
  foreign: number;
  /** Names of the pipelines, in the order they ran. */
  pipelines: string[];
  /** Rule files that hold filter documents (they apply across files: a rule's logic is rebuilt with them). */
  filterFiles: string[];
  /** What the caller's survey of every loaded document gave on the cold path (ScanRulesOptions.survey), as JSON. */
  survey?: unknown;
}

export interface CacheEntry {
  compiled: CompiledRuleSet;
  extras: CacheExtras;
}

/**
 * The directory of the cache: SIGMATCH_CACHE_DIR, else $XDG_CACHE_HOME/sigmatch, else ~/.cache/sigmatch.
 */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SIGMATCH_CACHE_DIR) return env.SIGMATCH_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'sigmatch');
  return join(homedir(), '.cache', 'sigmatch');
}

/** Builds a key: every part length-prefixed, so no two different sequences of parts hash alike. */
export class CacheKey {
  private readonly hash = createHash('sha256');

  constructor() {
    this.add(`sigmatch compile cache ${CACHE_FORMAT_VERSION}, artifact ${ARTIFACT_VERSION}, program ${PROGRAM_VERSION}`);
    this.add(codeIdentity());
  }

  /** The u64 length before each part (reused: update copies what it is given). */
  private readonly length = Buffer.alloc(8);

  add(part: string | Uint8Array): this {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    this.length.writeUInt32LE(bytes.length % 2 ** 32, 0);
    this.length.writeUInt32LE(Math.floor(bytes.length / 2 ** 32), 4);
    this.hash.update(this.length);
    this.hash.update(bytes);
    return this;
  }

  digest(): Buffer {
    return this.hash.digest();
  }
}

let identity: string | null = null;

/**
 * This sigmatch's code, as the sizes and modification times of its module files and of the VM: a rebuild or an
 * upgrade changes it, so an entry compiled by other code is never found. (Hashing the code itself would cost more
 * than the cache saves on small rule sets.)
 */
function codeIdentity(): string {
  if (identity !== null) return identity;
  const root = dirname(dirname(fileURLToPath(import.meta.url))); // dist/ (or src/ when run from source)
  const parts: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(js|mjs|ts)$/.test(e.name) && !e.name.endsWith('.d.ts')) stamp(path); // code, not declarations
    }
  };
  const stamp = (path: string): void => {
    try {
      const st = statSync(path);
      parts.push(`${path}\u0000${st.size}\u0000${st.mtimeMs}`);
    } catch {
      parts.push(`${path}\u0000missing`);
    }
  };
  walk(root);
  stamp(join(dirname(root), 'build', 'sigmatch.wasm'));
  identity = parts.join('\n');
  return identity;
}

function entryPath(directory: string, key: Buffer): string {
  return join(directory, `${key.toString('hex')}${ENTRY_SUFFIX}`);
}

/*
 * The logic file of an entry (`<key>.sigc-logic`, beside it): the logic of rules a cached start-up rebuilt for the
 * HTML report's rule pages (logic-codec.ts; hits' provenance comes from the VM), so the next start-up need not rebuild them. It grows as other rules fire, up to
 * MAX_LOGIC_BYTES, and goes with its entry when that is pruned. Each record carries its own SHA-256: a damaged record
 * is skipped (its rule rebuilt), never trusted.
 *
 * Layout (little-endian):
 *   0   "SGML"                      magic
 *   4   u32 cache format version    (CACHE_FORMAT_VERSION)
 *   8   32 bytes                    the entry's key
 *   40  records to the end: u32 rule index, u32 length, 32 bytes SHA-256 of the text, the text (UTF-8 JSON)
 */
const LOGIC_SUFFIX = '.sigc-logic';
const LOGIC_MAGIC = 0x4c4d4753; // "SGML" read as a little-endian u32
const LOGIC_RECORDS_AT = KEY_AT + DIGEST_BYTES;
const RECORD_HEADER = 8 + DIGEST_BYTES;
/** The most a logic file holds: records past it are not kept (their rules are rebuilt each time). */
export const MAX_LOGIC_BYTES = 16 * 1024 * 1024;

function logicPath(directory: string, key: Buffer): string {
  return join(directory, `${key.toString('hex')}${LOGIC_SUFFIX}`);
}

/** The kept logic of an entry's rules, by rule index (none when there is no file or it is not this entry's). */
export function readCachedLogic(directory: string, key: Buffer): Map<number, string> {
  const out = new Map<number, string>();
  let bytes: Buffer;
  try {
    bytes = readFileSync(logicPath(directory, key));
  } catch {
    return out;
  }
  if (bytes.length < LOGIC_RECORDS_AT || bytes.length > MAX_LOGIC_BYTES) return out;
  if (bytes.readUInt32LE(0) !== LOGIC_MAGIC || bytes.readUInt32LE(4) !== CACHE_FORMAT_VERSION || !bytes.subarray(KEY_AT, KEY_AT + DIGEST_BYTES).equals(key)) return out;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let at = LOGIC_RECORDS_AT; at + RECORD_HEADER <= bytes.length; ) {
    const index = bytes.readUInt32LE(at);
    const length = bytes.readUInt32LE(at + 4);
    const start = at + RECORD_HEADER;
    if (start + length > bytes.length) break; // cut short: the rest is lost, what came before stands
    const text = bytes.subarray(start, start + length);
    if (sha256(text).equals(bytes.subarray(at + 8, start))) {
      try {
        out.set(index, decoder.decode(text));
      } catch {
        // not UTF-8 although its digest matched: skipped like a damaged record
      }
    }
    at = start + length;
  }
  return out;
}

/** Keep the logic of an entry's rules (the whole map; temporary file and rename). Returns why it could not, or null. */
export function writeCachedLogic(directory: string, key: Buffer, logic: ReadonlyMap<number, string>): string | null {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(LOGIC_RECORDS_AT);
  head.writeUInt32LE(LOGIC_MAGIC, 0);
  head.writeUInt32LE(CACHE_FORMAT_VERSION, 4);
  key.copy(head, KEY_AT);
  parts.push(head);
  let size = head.length;
  for (const [index, text] of logic) {
    const body = Buffer.from(text, 'utf8');
    if (size + RECORD_HEADER + body.length > MAX_LOGIC_BYTES) break;
    const header = Buffer.alloc(RECORD_HEADER);
    header.writeUInt32LE(index, 0);
    header.writeUInt32LE(body.length, 4);
    sha256(body).copy(header, 8);
    parts.push(header, body);
    size += RECORD_HEADER + body.length;
  }
  return writeAtomically(logicPath(directory, key), () => Buffer.concat(parts, size));
}

/**
 * Write `bytes()` to `path` through a temporary file renamed over it (readers see the old file or the new, never a
 * part); the error's message, or null.
 */
function writeAtomically(path: string, bytes: () => Uint8Array, before?: () => void): string | null {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    before?.();
    writeFileSync(temporary, bytes(), { mode: 0o600 });
    renameSync(temporary, path);
  } catch (e) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was written
    }
    return (e as Error).message;
  }
  return null;
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** The entry of a key, or null when there is none or it cannot be trusted (it is then rebuilt and replaced). */
export function readCacheEntry(directory: string, key: Buffer): CacheEntry | null {
  const path = entryPath(directory, key);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  const entry = decodeEntry(bytes, key);
  if (entry) {
    try {
      const now = new Date();
      utimesSync(path, now, now); // recently used: kept when older entries are pruned
    } catch {
      // a read-only cache still serves
    }
  }
  return entry;
}

export function decodeEntry(bytes: Uint8Array, key: Uint8Array): CacheEntry | null {
  if (bytes.length < EXTRAS_AT) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== CACHE_MAGIC || view.getUint32(4, true) !== CACHE_FORMAT_VERSION) return null;
  if (!Buffer.from(bytes.subarray(KEY_AT, KEY_AT + DIGEST_BYTES)).equals(key)) return null;
  if (!sha256(bytes.subarray(ENTRY_BODY)).equals(bytes.subarray(DIGEST_AT, DIGEST_AT + DIGEST_BYTES))) return null;
  const extrasLength = view.getUint32(ENTRY_BODY, true);
  if (EXTRAS_AT + extrasLength > bytes.length) return null;
  try {
    const extras = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(EXTRAS_AT, EXTRAS_AT + extrasLength))) as CacheExtras;
    if (!Array.isArray(extras.errors) || !Array.isArray(extras.pipelines) || !Array.isArray(extras.filterFiles)) return null;
    if (extras.errors.some((e) => !(ERROR_CODES as readonly string[]).includes(e.code))) return null;
    const compiled = readArtifact(bytes.subarray(EXTRAS_AT + extrasLength), 'the cache entry');
    return { compiled, extras };
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof TypeError || e instanceof ArtifactError) return null;
    throw e;
  }
}

export function encodeEntry(key: Uint8Array, compiled: CompiledRuleSet, extras: CacheExtras): Uint8Array {
  const json = Buffer.from(JSON.stringify(extras), 'utf8');
  const artifact = writeArtifact(compiled, 'sigmatch compile cache');
  const out = new Uint8Array(EXTRAS_AT + json.length + artifact.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, CACHE_MAGIC, true);
  view.setUint32(4, CACHE_FORMAT_VERSION, true);
  out.set(key, KEY_AT);
  view.setUint32(ENTRY_BODY, json.length, true);
  out.set(json, EXTRAS_AT);
  out.set(artifact, EXTRAS_AT + json.length);
  out.set(sha256(out.subarray(ENTRY_BODY)), DIGEST_AT);
  return out;
}

/**
 * Store an entry (written to a temporary file and renamed, so a reader never sees half of one), then prune the
 * least recently used entries beyond MAX_CACHE_ENTRIES / MAX_CACHE_BYTES. Returns why it could not, or null.
 */
export function writeCacheEntry(directory: string, key: Buffer, compiled: CompiledRuleSet, extras: CacheExtras): string | null {
  const failed = writeAtomically(
    entryPath(directory, key),
    () => encodeEntry(key, compiled, extras),
    () => mkdirSync(directory, { recursive: true, mode: 0o700 }),
  );
  if (failed !== null) return failed;
  pruneCache(directory);
  return null;
}

function pruneCache(directory: string): void {
  let entries: { path: string; size: number; used: number }[];
  try {
    entries = readdirSync(directory)
      .filter((n) => n.endsWith(ENTRY_SUFFIX))
      .map((n) => {
        const st = statSync(join(directory, n));
        return { path: join(directory, n), size: st.size, used: st.mtimeMs };
      })
      .sort((a, b) => b.used - a.used);
  } catch {
    return;
  }
  let bytes = 0;
  const kept = new Set<string>();
  entries.forEach((e, i) => {
    bytes += e.size;
    if (i >= MAX_CACHE_ENTRIES || (i > 0 && bytes > MAX_CACHE_BYTES)) {
      try {
        rmSync(e.path, { force: true });
      } catch {
        // another process pruned it, or it cannot be removed: the next write tries again
      }
    } else kept.add(e.path.slice(0, -ENTRY_SUFFIX.length));
  });
  // A logic file goes with its entry.
  try {
    for (const n of readdirSync(directory)) {
      if (n.endsWith(LOGIC_SUFFIX) && !kept.has(join(directory, n.slice(0, -LOGIC_SUFFIX.length)))) rmSync(join(directory, n), { force: true });
    }
  } catch {
    // the next write tries again
  }
}

export function errorsOf(extras: CacheExtras): SigmaError[] {
  return extras.errors.map((e) => new SigmaError(e.code as SigmaErrorCode, e.message, e));
}

export function extrasOfErrors(errors: readonly SigmaError[]): CacheExtras['errors'] {
  return errors.map((e) => ({ code: e.code, message: e.message, file: e.file, line: e.line, column: e.column, ruleTitle: e.ruleTitle, ruleId: e.ruleId }));
}
