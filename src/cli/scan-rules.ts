/**
 * The start-up of `sigmatch scan --rules`: find and read the rule files, parse them, apply the pipelines, select, and
 * compile, with a status on the progress line as it goes (files read, rules loaded, errors so far; then "compiling N
 * rules") and the time each part took. Through the compile cache (compile-cache.ts) when it can: the rule files are
 * still read (their contents are the key), but a cached program skips parsing, pipelines and compiling, and a rule's
 * logic (for the HTML report's rule pages; hits' provenance comes from the VM) is rebuilt from its file's text only when needed.
 */
import { compileRules, type CompiledRuleSet, type RuleInfo } from '../compiler/compile.js';
import { applyPipelines, applyPipelinesToRule, orderPipelines } from '../pipeline/apply.js';
import type { Pipeline } from '../pipeline/model.js';
import { pipelinePlaceholders } from '../pipeline/placeholders.js';
import { resolvePipelines } from '../pipeline/resolve.js';
import { readFileSync, statSync } from 'node:fs';
import { decodeRuleFile, findRuleFiles, readRuleBytes, unreadableRuleFile } from '../rule/files.js';
import type { SigmaError } from '../rule/errors.js';
import { applyFilters, combineRuleSets, parseRuleText, type LoadOptions, type RuleSet } from '../rule/load.js';
import type { SigmaCorrelation, SigmaFilter, SigmaRule } from '../rule/model.js';
import { CliError, type LoadedRules } from './common.js';
import { cacheDirectory, CacheKey, errorsOf, extrasOfErrors, readCacheEntry, readCachedLogic, writeCacheEntry, writeCachedLogic } from './compile-cache.js';
import { decodeLogic, encodeLogic, LogicDecodeError } from './logic-codec.js';
import { selectWithCorrelations, type Selected } from './correlations.js';
import type { Progress } from './output/index.js';
import { formatCount } from './output/progress.js';

/** Rules' logic by index: a plain array, or one that rebuilds a rule from its file when asked (the cached path). */
export interface RuleLogic {
  readonly length: number;
  at(index: number): SigmaRule | undefined;
  /**
   * Rules rebuilt so far and the seconds it took, reading kept logic included (the cached path: part of the start-up,
   * paid during the scan).
   */
  readonly rebuilt?: { rules: number; seconds: number };
  /** Keep what was rebuilt for the next start-up (the cached path; its time joins `rebuilt.seconds`). */
  persist?(): void;
}

export interface ScanRulesOptions {
  paths: readonly string[];
  pipelineArgs: readonly string[];
  placeholders: Readonly<Record<string, string[]>>;
  /** Which rules and correlations the scan runs (--level / --status / --tags). */
  select: (doc: SigmaRule | SigmaCorrelation) => boolean;
  /** The selection as text: part of the cache key. */
  selectionKey: string;
  /** Compile a program (false for the reference engine, which evaluates the rules themselves). */
  compile: boolean;
  /** Use the compile cache (false: --no-cache, and whenever the program is not wanted). */
  cache: boolean;
  progress: Progress;
  env?: NodeJS.ProcessEnv;
  /**
   * Looks at every loaded rule and correlation before the selection (e.g. counts what the exclusions skip) and gives
   * a JSON value, kept in the cache entry so that a cached start-up reports the same. Part of the key: `selectionKey`.
   */
  survey?: (docs: readonly (SigmaRule | SigmaCorrelation)[]) => unknown;
}

export interface ScanRules {
  infos: readonly RuleInfo[];
  /** Every scanned rule's logic (null from the cache, where `logic` rebuilds them one by one). */
  sigma: readonly SigmaRule[] | null;
  logic: RuleLogic;
  compiled: CompiledRuleSet | null;
  loaded: LoadedRules;
  /** The selection with its correlations (null from the cache, which holds rule sets without correlations only). */
  picked: Selected | null;
  times: { load: number; compile: number; cached: boolean };
  /** The survey's result (ScanRulesOptions.survey), from the cold path or the cache entry. */
  survey: unknown;
}

interface RuleFile {
  path: string;
  /** The bytes, or why they could not be read. */
  read: { bytes: Uint8Array } | { error: SigmaError };
}

/** A rule file's text, or why it has none (unreadable, not UTF-8). */
function textOf(f: RuleFile): { text: string } | { error: SigmaError } {
  return 'error' in f.read ? f.read : decodeRuleFile(f.path, f.read.bytes);
}

/** Pipelines and the load options they give: resolved once, when first needed (a cached start-up may never need them). */
function pipelineSetup(o: ScanRulesOptions): () => { pipelines: readonly Pipeline[]; options: LoadOptions } {
  let setup: { pipelines: readonly Pipeline[]; options: LoadOptions } | null = null;
  return () => {
    if (setup) return setup;
    const resolved = resolvePipelines(o.pipelineArgs);
    if (resolved.errors.length > 0) {
      throw new CliError(`pipeline errors:\n${resolved.errors.map((e) => `  ${e.format()}`).join('\n')}`);
    }
    setup = { pipelines: orderPipelines(resolved.pipelines), options: { placeholders: { ...pipelinePlaceholders(resolved.pipelines), ...o.placeholders } } };
    return setup;
  };
}

const count = (n: number, what: string): string => `${formatCount(n)} ${what}${n === 1 ? '' : 's'}`;
const seconds = (from: number): number => (performance.now() - from) / 1000;

export function loadScanRules(o: ScanRulesOptions): ScanRules {
  const started = performance.now();
  const { progress } = o;
  const setup = pipelineSetup(o);
  const useCache = o.cache && o.compile;
  // Without the cache, a pipeline problem stops the run before any rule file is read; with it, only a miss needs the
  // pipelines (a hit was compiled with these very pipelines, which resolved then).
  if (!useCache) setup();
  const found = findRuleFiles(o.paths);
  const files: RuleFile[] = [];
  for (const path of found.files) {
    files.push({ path, read: readRuleBytes(path) });
    if (progress.enabled) progress.status(`loading rules: reading ${formatCount(files.length)} / ${formatCount(found.files.length)} files`, files.length === 1);
  }

  // The rule files are hashed once: a key computed again (below, after compiling) hashes only what may have changed.
  const filesDigest = useCache ? ruleFilesDigest(files, found.errors) : null;
  const key = filesDigest ? ruleSetKey(o, filesDigest) : null;
  const directory = cacheDirectory(o.env);
  const entry = key ? readCacheEntry(directory, key) : null;
  if (entry) {
    const errors = errorsOf(entry.extras);
    for (const e of errors) progress.log(`${e.format()}\n`);
    const infos = entry.compiled.rules;
    return {
      infos,
      sigma: null,
      logic: rebuiltLogic(infos, files, entry.extras.filterFiles, setup, keptLogic(directory, key!)),
      compiled: entry.compiled,
      loaded: { set: { rules: [], correlations: [], filters: [], errors, files: files.length, documents: 0 }, routed: entry.extras.routed, unrouted: entry.extras.unrouted, foreign: entry.extras.foreign ?? 0, pipelines: entry.extras.pipelines },
      picked: null,
      times: { load: seconds(started), compile: 0, cached: true },
      survey: entry.extras.survey,
    };
  }

  // Parse, file by file, with the count of rules and errors so far on the progress line (each phase shows at once,
  // then at most every redraw interval).
  const { pipelines, options } = setup();
  const sets: RuleSet[] = [];
  let rules = 0;
  let errors = found.errors.length;
  const filterFiles: string[] = [];
  for (const f of files) {
    const read = textOf(f);
    const set = 'error' in read ? unreadableRuleFile(read.error) : parseRuleText(read.text, f.path, options);
    sets.push(set);
    if (set.filters.length > 0) filterFiles.push(f.path);
    rules += set.rules.length;
    errors += set.errors.length;
    if (progress.enabled) progress.status(`loading rules: ${formatCount(sets.length)} / ${formatCount(files.length)} files, ${count(rules, 'rule')}, ${count(errors, 'error')}`, sets.length === 1);
  }
  const set = combineRuleSets(sets);
  set.errors.unshift(...found.errors);
  let loaded: LoadedRules;
  if (pipelines.length > 0) {
    progress.status(`loading rules: applying pipelines ${pipelines.map((p) => p.name).join(', ')} to ${formatCount(set.rules.length)} rules`, true);
    const applied = applyPipelines(set.rules, pipelines);
    loaded = {
      set: { ...set, rules: applied.rules, errors: [...set.errors, ...applied.errors] },
      routed: applied.routed,
      unrouted: applied.unrouted,
      foreign: applied.foreign,
      pipelines: pipelines.map((p) => p.name),
    };
  } else {
    loaded = { set, routed: 0, unrouted: set.rules.length, foreign: 0, pipelines: [] };
  }
  for (const e of loaded.set.errors) progress.log(`${e.format()}\n`);
  if (loaded.set.rules.length === 0) throw new CliError('scan: no rule loaded (see the errors above)');
  const survey = o.survey?.([...loaded.set.rules, ...loaded.set.correlations]);
  // A selected correlation brings the rules it references (they run to feed it; their hits show only if selected).
  const picked = selectWithCorrelations(loaded.set, o.select);
  const load = seconds(started);

  let compiled: CompiledRuleSet | null = null;
  const compileStarted = performance.now();
  if (o.compile && picked.rules.length > 0) {
    progress.status(`compiling ${formatCount(picked.rules.length)} rules`, true);
    compiled = compileRules(picked.rules);
    // Correlations need their rules' logic and state at hand: such sets are not cached. Nor are sets whose pipeline
    // files changed while they were read (the key would name other pipelines than the ones applied).
    if (key && loaded.set.correlations.length === 0 && ruleSetKey(o, filesDigest!).equals(key)) {
      const failed = writeCacheEntry(directory, key, compiled, {
        errors: extrasOfErrors(loaded.set.errors),
        routed: loaded.routed,
        unrouted: loaded.unrouted,
        foreign: loaded.foreign,
        pipelines: loaded.pipelines,
        filterFiles,
        survey,
      });
      if (failed) progress.log(`sigmatch: the compile cache in ${directory} cannot be written (${failed}): every start-up compiles; set SIGMATCH_CACHE_DIR or use --no-cache\n`);
    }
  }
  return {
    infos: picked.rules,
    sigma: picked.rules,
    logic: picked.rules,
    compiled,
    loaded,
    picked,
    times: { load, compile: compiled ? seconds(compileStarted) : 0, cached: false },
    survey,
  };
}

/** The cache key of a start-up: the pipelines, placeholders, selection and rule files (CacheKey adds the rest). */
function ruleSetKey(o: ScanRulesOptions, filesDigest: Buffer): Buffer {
  const key = new CacheKey();
  key.add(JSON.stringify(o.pipelineArgs));
  for (const arg of o.pipelineArgs) {
    // A built-in's definition is part of the code (CacheKey's identity); a file's is its content.
    let content: string | Uint8Array = '';
    try {
      if (statSync(arg).isFile()) content = readFileSync(arg);
    } catch {
      content = '';
    }
    key.add(content);
  }
  key.add(JSON.stringify(Object.entries(o.placeholders).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  key.add(o.selectionKey);
  key.add(filesDigest);
  return key.digest();
}

/** The rule files' part of the key: what finding them reported, and every file's path and bytes (or read error). */
function ruleFilesDigest(files: readonly RuleFile[], findErrors: readonly SigmaError[]): Buffer {
  const key = new CacheKey();
  key.add(JSON.stringify(findErrors.map((e) => e.format())));
  key.add(String(files.length));
  for (const f of files) {
    key.add(f.path);
    key.add('error' in f.read ? `\u0000unreadable: ${f.read.error.format()}` : f.read.bytes);
  }
  return key.digest();
}

/** The logic file of a cache entry: what it holds, and how to keep more. */
interface KeptLogic {
  texts: ReadonlyMap<number, string>;
  write(texts: ReadonlyMap<number, string>): void;
}

function keptLogic(directory: string, key: Buffer): KeptLogic {
  return { texts: readCachedLogic(directory, key), write: (texts) => void writeCachedLogic(directory, key, texts) };
}

/**
 * The logic of cached rules, on demand: kept from an earlier start-up (the entry's logic file), else rebuilt from the
 * texts read for the key (so it is the logic the program was compiled from): the rule's file parsed again, the filters
 * applied, the pipelines applied to that rule. Kept logic is used only when it names the rule of its index (title, id,
 * file and document); anything else is rebuilt.
 */
function rebuiltLogic(infos: readonly RuleInfo[], files: readonly RuleFile[], filterFiles: readonly string[], setup: ReturnType<typeof pipelineSetup>, kept: KeptLogic): RuleLogic {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const parsed = new Map<string, RuleSet>();
  const parse = (path: string): RuleSet => {
    let set = parsed.get(path);
    if (!set) {
      const file = byPath.get(path);
      const read = file ? textOf(file) : null;
      if (!read || 'error' in read) throw new Error(`the compile cache names ${path}, which is not among the rule files read`);
      set = parseRuleText(read.text, path, setup().options);
      parsed.set(path, set);
    }
    return set;
  };
  let filters: SigmaFilter[] | null = null;
  const built = new Map<number, SigmaRule>();
  const rebuilt = { rules: 0, seconds: 0 };
  /** Rules rebuilt here, encoded for the logic file (null: this rule's logic cannot be encoded). */
  const fresh = new Map<number, string>();
  const fromKept = (index: number, info: RuleInfo): SigmaRule | null => {
    const text = kept.texts.get(index);
    if (text === undefined) return null;
    try {
      const rule = decodeLogic(text);
      const same = rule.title === info.title && rule.id === info.id && rule.source.file === info.source.file && rule.source.document === info.source.document;
      return same ? rule : null;
    } catch (e) {
      if (e instanceof LogicDecodeError) return null;
      throw e;
    }
  };
  return {
    length: infos.length,
    rebuilt,
    persist() {
      if (fresh.size === 0) return;
      const started = performance.now();
      kept.write(new Map([...kept.texts, ...fresh]));
      rebuilt.seconds += seconds(started);
    },
    at(index) {
      const info = infos[index];
      if (!info) return undefined;
      const known = built.get(index);
      if (known) return known;
      const started = performance.now();
      const stored = fromKept(index, info);
      if (stored) {
        built.set(index, stored);
        rebuilt.seconds += seconds(started);
        return stored;
      }
      const file = info.source.file;
      if (file === undefined) throw new Error(`cached rule "${info.title}" has no file`);
      const original = parse(file).rules.find((r) => r.source.document === info.source.document);
      if (!original || original.title !== info.title || original.id !== info.id) {
        throw new Error(`cached rule "${info.title}" is not document ${info.source.document} of ${file}`);
      }
      filters ??= filterFiles.flatMap((f) => parse(f).filters);
      // A copy: applyFilters changes the rule it is given, and the parsed file may serve another rule of it.
      const rule = { ...original };
      applyFilters([rule], filters);
      const { pipelines } = setup();
      const logic = pipelines.length > 0 ? applyPipelinesToRule(rule, pipelines) : rule;
      built.set(index, logic);
      const text = encodeLogic(logic);
      if (text !== null) fresh.set(index, text);
      rebuilt.rules++;
      rebuilt.seconds += seconds(started);
      return logic;
    },
  };
}
