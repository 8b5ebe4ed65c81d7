/**
 * Rule sets from the file system (Node only): files and directories (recursive *.yml / *.yaml, in sorted order),
 * every read problem reported as a FILE_READ error with the path.
 */
import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describeUtf8Error, utf8ErrorAt } from '../text/utf8.js';
import { SigmaError } from './errors.js';
import { combineRuleSets, emptyRuleSet, parseRuleText, type LoadOptions, type RuleSet } from './load.js';

const RULE_FILE = /\.ya?ml$/i;
const utf8 = new TextDecoder('utf-8');
/** Stops at the first byte that is not UTF-8 (what firstInvalidUtf8 finds, in native code). */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Every rule file under the given paths, sorted, each once. Missing paths and empty directories are errors. */
export function findRuleFiles(paths: readonly string[]): { files: string[]; errors: SigmaError[] } {
  const files: string[] = [];
  const errors: SigmaError[] = [];
  /** Rule files under each real directory walked; 0 while its walk is in progress (a symlink loop back into it). */
  const found = new Map<string, number>();
  /** Real paths of the files listed: a file reached twice (two arguments, a symlink) is loaded once. */
  const seenFiles = new Set<string>();
  /** Walk a directory; the number of rule files under it, including ones already listed through another path. */
  const walk = (dir: string): number => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return 0;
    }
    const known = found.get(real);
    if (known !== undefined) return known; // walked already (a nested or repeated argument), or a symlink loop
    found.set(real, 0);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push(new SigmaError('FILE_READ', `cannot read directory: ${(e as Error).message}`, { file: dir }));
      return 0;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let count = 0;
    for (const entry of entries) {
      const path = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = statSync(path);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) count += walk(path);
      else if (isFile && RULE_FILE.test(entry.name)) {
        // A plain file's real path is its name in the real directory: no realpath call per file (a third of the
        // walk's time on 2,400 rules).
        add(path, entry.isSymbolicLink() ? undefined : join(real, entry.name));
        count++;
      }
    }
    found.set(real, count);
    return count;
  };
  const add = (file: string, knownReal?: string): void => {
    let real = knownReal ?? file;
    if (knownReal === undefined) {
      try {
        real = realpathSync(file);
      } catch {
        // unreadable: loadRuleFile reports it
      }
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push(file);
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      errors.push(new SigmaError('FILE_READ', `no such file or directory: ${p}`, { file: p }));
      continue;
    }
    if (st.isDirectory()) {
      if (walk(p) === 0) errors.push(new SigmaError('FILE_READ', `no .yml or .yaml rule files under ${p}`, { file: p }));
    } else add(p);
  }
  return { files, errors };
}

/** The most a rule file may hold, as readFileSync has it (a device such as /dev/zero named as a rule stops here). */
const MAX_FILE_BYTES = 2 ** 31 - 1;
/** Where rule files are read before their bytes are copied out; grows for a larger file, and shrinks back after it. */
const SCRATCH_BYTES = 64 * 1024;
let scratch = Buffer.allocUnsafe(SCRATCH_BYTES);

/**
 * A file's bytes through one reused buffer: open, read to the end, close. Rule files are small and many; this spares
 * readFileSync's stat and buffer per file (a tenth of reading 2,400 rules, which every cached start-up does).
 */
function readWhole(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  let length = 0;
  try {
    for (;;) {
      if (length === scratch.length) {
        if (length >= MAX_FILE_BYTES) throw new RangeError(`the file is larger than ${MAX_FILE_BYTES} bytes`);
        const larger = Buffer.allocUnsafe(Math.min(scratch.length * 2, MAX_FILE_BYTES));
        scratch.copy(larger, 0, 0, length);
        scratch = larger;
      }
      const read = readSync(fd, scratch, length, scratch.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return Buffer.from(scratch.subarray(0, length));
  } finally {
    closeSync(fd);
    if (scratch.length > SCRATCH_BYTES) scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  }
}

/** A rule file's bytes, or why it cannot be read (FILE_READ). */
export function readRuleBytes(file: string): { bytes: Uint8Array } | { error: SigmaError } {
  try {
    return { bytes: readWhole(file) };
  } catch (e) {
    return { error: new SigmaError('FILE_READ', `cannot read rule file: ${(e as Error).message}`, { file, line: 1, column: 1 }) };
  }
}

/** A rule file's text from its bytes (UTF-8, byte order mark removed), or where it is not UTF-8 (FILE_READ). */
export function decodeRuleFile(file: string, bytes: Uint8Array): { text: string } | { error: SigmaError } {
  let text: string;
  try {
    text = strictUtf8.decode(bytes); // the native check; where it fails, utf8ErrorAt finds the place
  } catch {
    const bad = utf8ErrorAt(bytes);
    if (bad) return { error: new SigmaError('FILE_READ', `cannot read rule file: ${describeUtf8Error(bad)}`, { file, line: bad.line, column: bad.column }) };
    text = utf8.decode(bytes);
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** A rule file's text, or why it cannot be read (FILE_READ, with its place). */
export function readRuleFile(file: string): { text: string } | { error: SigmaError } {
  const read = readRuleBytes(file);
  return 'error' in read ? read : decodeRuleFile(file, read.bytes);
}

/** The rule set of a file that could not be read: its one error. */
export function unreadableRuleFile(error: SigmaError): RuleSet {
  const set = emptyRuleSet();
  set.errors.push(error);
  set.files = 1;
  return set;
}

/** Read one rule file. */
export function loadRuleFile(file: string, options: LoadOptions = {}): RuleSet {
  const read = readRuleFile(file);
  return 'error' in read ? unreadableRuleFile(read.error) : parseRuleText(read.text, file, options);
}

/** Load rules from files and directories; filters apply across the whole set. */
export function loadRules(paths: string | readonly string[], options: LoadOptions = {}): RuleSet {
  const list = typeof paths === 'string' ? [paths] : paths;
  const { files, errors } = findRuleFiles(list);
  const set = combineRuleSets(files.map((f) => loadRuleFile(f, options)));
  set.errors.unshift(...errors);
  return set;
}
