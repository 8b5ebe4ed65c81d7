/**
 * The public engine: `Matcher.create(rules)` compiles a rule set and instantiates the VM; `match(events)` runs JS
 * objects through the objects path; `scanner()` / `scan(stream)` run raw JSON bytes through the bytes path.
 * Both paths cross into WASM once per batch and give exactly the reference evaluator's answers (the tests prove it).
 */
import type { CompiledRuleSet, RuleInfo } from '../compiler/compile.js';
import { readArtifact } from '../compiler/artifact.js';
import {
  CorrelationSession,
  eventSource,
  type CorrelationMatch,
  type CorrelationStats,
  type SessionOptions,
} from '../correlation/index.js';
import type { SigmaError } from '../rule/errors.js';
import { loadRulesFromText, type LoadOptions, type RuleSet } from '../rule/load.js';
import type { SigmaCorrelation, SigmaRule } from '../rule/model.js';
import * as C from './context.js';
import { VALUE_RECORD_BYTES, VmError, VmHost, type RegionSizes } from './host.js';
import { RecordWriter } from './records.js';
import { ByteScanner, type ScanHost } from './byte-scanner.js';
import { EvtxScanner, type EvtxScanHost, type EvtxScanOptions } from './evtx-scanner.js';
import type { EvtxNoteCode } from '../input/evtx/notes.js';
import type { JsonObject } from '../input/evtx/render.js';
import { CaptureReader } from './captures.js';
import { carriedCorrelations, compileRuleSet, type CompiledSet, type PlannedCorrelations } from './compile-set.js';
import { CorrelatingScanner, type ScanSession } from './correlating-scanner.js';
import { loadWasmModule, type WasmSource } from './wasm-module.js';
import { hitKey, indexProvenance, vmProvenance } from './provenance.js';
import type { Provenance } from '../eval/provenance.js';

export interface MatcherOptions extends LoadOptions {
  /** `F: null` also matches an absent F (default true). */
  nullMatchesAbsent?: boolean;
  /** Read evtx_dump-shaped events through the evtx mapping (default true). */
  evtx?: boolean;
  /** Select candidate rules per event with the prefilter (default true; false evaluates every rule, for tests). */
  prefilter?: boolean;
  /** Largest JSON record the bytes path accepts (default 64 MiB); larger ones are reported and skipped. */
  maxRecordBytes?: number;
  /** Initial region sizes (tests use tiny ones to exercise growth). */
  regions?: Partial<RegionSizes>;
  /**
   * The VM module: a `WebAssembly.Module` (used as it is: the form Cloudflare Workers import), its bytes, a
   * `Response`, a URL to fetch, or a promise of one. Defaults to the package's build/sigmatch.wasm in Node; must be
   * given in browsers and Workers.
   */
  wasm?: WasmSource;
  /** Correlation settings (event time fields, lateness, bounds, defaults for action, suppress and window). */
  correlation?: SessionOptions;
}

/** Rules as YAML text(s), a loaded rule set, rules, a compiled rule set, or the bytes of a compiled artifact
 * (`sigmatch compile`, src/compiler/artifact.ts). */
export type RuleSource = string | readonly string[] | RuleSet | readonly SigmaRule[] | CompiledRuleSet | Uint8Array;

export interface Hit {
  /** 0-based index of the event in its input (or in the array given to `match`). */
  event: number;
  /** Index of the rule in `matcher.rules`. */
  rule: number;
  /** 1-based line where the event starts in its input (bytes path only). */
  line?: number;
  /** The event's JSON text (bytes path, when the scanner was asked to keep records: for provenance; .evtx: the JSON
   * evtx_dump writes for the record). */
  record?: string;
  /** .evtx: the record's byte offset in the file, its EventRecordID and its time (TimeCreated, else when written). */
  offset?: number;
  recordId?: number;
  time?: string;
  /**
   * A correlation alert: what fired (`matcher.correlations[correlation.index]`). Its `rule` is
   * `matcher.rules.length + correlation.index`; `event` and `line` are those of the event that completed it.
   */
  correlation?: CorrelationMatch;
}

export interface InputNote {
  kind: 'malformed' | 'not-object' | 'too-large' | 'evtx';
  /** 1-based line where the record starts (0 for .evtx notes, which have `offset`). */
  line: number;
  /** Last line of the record: lines line..endLine were not read as events. */
  endLine: number;
  message: string;
  /** .evtx: what (a stable code) and the file offset of the chunk or record concerned. */
  code?: EvtxNoteCode;
  offset?: number;
}

export interface ScanBatch {
  hits: Hit[];
  notes: InputNote[];
  /** Events completed by this call. */
  events: number;
}

const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

type ModuleLoader = () => Promise<WebAssembly.Module>;
let defaultModuleLoader: ModuleLoader | null = null;

/** Entry points (Node, browser, Workers) register how to find the WASM module by default. */
export function setDefaultModuleLoader(loader: ModuleLoader): void {
  defaultModuleLoader = loader;
}

function isCompiled(s: RuleSource): s is CompiledRuleSet {
  return typeof s === 'object' && s !== null && 'program' in s && s.program instanceof Uint8Array;
}

function isRuleSet(s: RuleSource): s is RuleSet {
  return typeof s === 'object' && s !== null && !Array.isArray(s) && 'rules' in s && 'errors' in s;
}

export class Matcher implements ScanHost, EvtxScanHost {
  readonly compiled: CompiledRuleSet;
  /** Load errors of the rules given as text (rules with errors are skipped). */
  readonly errors: readonly SigmaError[];
  readonly host: VmHost;
  readonly flags: number;
  private readonly writer: RecordWriter;
  /** The objects path for events of .evtx files: always read through the evtx mapping. */
  private evtxWriter: RecordWriter | null = null;
  readonly maxRecordBytes: number;
  /** The state of the correlations, when the rules had any (null otherwise). */
  private readonly correlation: CorrelationSession | null;
  /** What the VM copies out of hit events for the correlations (bytes path), when there are correlations. */
  private readonly captures: CaptureReader | null;
  /** While provenance is asked for (`explain`): where each VM call's provenance records go. */
  private provenanceSink: ((records: Uint8Array) => void) | null = null;
  /** While a correlating scan runs: where fallback events (parsed here, not captured by the VM) go. */
  fallbackSink: ((index: number, event: unknown) => void) | null = null;

  private constructor(
    instance: WebAssembly.Instance,
    compiled: CompiledRuleSet,
    errors: readonly SigmaError[],
    correlations: PlannedCorrelations | null,
    options: MatcherOptions,
  ) {
    this.compiled = compiled;
    this.errors = errors;
    this.host = new VmHost(instance, options.regions);
    this.host.loadProgram(compiled.program, compiled.fields.length);
    this.host.grow('hits', compiled.rules.length + 1);
    const evtx = options.evtx ?? true;
    this.flags =
      ((options.nullMatchesAbsent ?? true) ? C.FLAG_NULL_MATCHES_ABSENT : 0) | (evtx ? C.FLAG_EVTX_JSON : 0) | (options.prefilter === false ? C.FLAG_NO_PREFILTER : 0);
    this.writer = new RecordWriter(compiled.fields, compiled.keywordSlot, evtx);
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.host.set(C.CTX_MAX_RECORD_BYTES, this.maxRecordBytes);
    this.correlation = correlations
      ? new CorrelationSession(correlations.plan, compiled.rules.length, { ...options.correlation, timeFields: correlations.timeFields })
      : null;
    this.captures = null;
    if (correlations) {
      const slots = correlations.fields.map((f) => compiled.fields.indexOf(f));
      this.captures = new CaptureReader(correlations.fields, slots, correlations.plan.ruleConsumers.map((c) => c.length > 0));
      this.host.setCapturePlan(this.captures.plan);
    }
  }

  static async create(source: RuleSource, options: MatcherOptions = {}): Promise<Matcher> {
    let built: CompiledSet;
    const timeFields = options.correlation?.timeFields ?? [];
    if (source instanceof Uint8Array || isCompiled(source)) {
      // An artifact, or a compiled rule set: its correlations come with it.
      const compiled = source instanceof Uint8Array ? readArtifact(source) : source;
      built = { compiled, ...carriedCorrelations(compiled, timeFields) };
    } else {
      let set: RuleSet | null = null;
      if (typeof source === 'string' || (Array.isArray(source) && source.every((s) => typeof s === 'string'))) {
        set = loadRulesFromText(source as string | string[], options);
      } else if (isRuleSet(source)) set = source;
      const rules = set ? set.rules : (source as readonly SigmaRule[]);
      // Correlations read fields of their rules' hit events: the VM extracts them too (captures.ts).
      built = compileRuleSet(rules, set?.correlations ?? [], timeFields);
      built.errors = [...(set?.errors ?? []), ...built.errors];
    }
    const module = await resolveModule(options.wasm);
    const instance = await WebAssembly.instantiate(module, { env: { abort: wasmAbort } });
    const version = (instance.exports as unknown as { vmVersion(): number }).vmVersion();
    if (version !== VM_FORMAT_VERSION) throw new VmError(`the WASM module is VM version ${version}; this package needs ${VM_FORMAT_VERSION}`);
    return new Matcher(instance, built.compiled, built.errors, built.correlations, options);
  }

  get rules(): readonly RuleInfo[] {
    return this.compiled.rules;
  }

  /** The correlations that run (alerts' `correlation.index` indexes this list). */
  get correlations(): readonly SigmaCorrelation[] {
    return this.correlation?.plan.correlations.map((c) => c.source) ?? [];
  }

  /** Counters of the correlation state (events without time, late events, evictions, ...), or null. */
  get correlationStats(): Readonly<CorrelationStats> | null {
    return this.correlation?.stats ?? null;
  }

  /** End of the event stream: the alerts of events still waiting for later ones (correlation.maxLateness). */
  flush(): Hit[] {
    return this.correlation?.flush() ?? [];
  }

  /** The correlation state as bytes, versioned and checked on restore (another process or runtime can continue). */
  snapshot(): Uint8Array<ArrayBuffer> {
    if (!this.correlation) throw new VmError('these rules have no correlations: there is no correlation state to save');
    return this.correlation.snapshot();
  }

  /** Continue from a snapshot() of a matcher with the same correlations (a SnapshotError says why not). */
  restore(bytes: Uint8Array): void {
    if (!this.correlation) throw new VmError('these rules have no correlations: there is no correlation state to restore');
    this.correlation.restore(bytes);
  }

  /**
   * Every (event, rule) hit for a batch of JS events, in event order then rule order; with correlations, each
   * event's alerts follow its hits, and hits of rules that only feed correlations are left out (`generate`).
   */
  match(events: readonly unknown[]): Hit[] {
    const hits = this.matchWith(this.writer, events);
    return this.correlation ? this.correlation.process(hits, (h) => eventSource(events[h.event])) : hits;
  }

  /** `firstIndex`: the index of events[0] in its input (what an ObjectEventError names). */
  private matchWith(writer: RecordWriter, events: readonly unknown[], firstIndex = 0): Hit[] {
    const hits: Hit[] = [];
    let next = 0;
    this.host.claimInput(null);
    writer.forget();
    while (next < events.length) {
      const start = next;
      writer.reset(this.host.u8().subarray(this.host.inputPtr, this.host.inputPtr + this.host.inputCapacity));
      while (next < events.length && writer.encode(events[next], firstIndex + next)) next++;
      if (next === start) {
        // One event larger than the whole input region: make room for all of it (the writer measured it) and retry.
        this.host.grow('input', Math.max(this.host.inputCapacity * 2, writer.neededBytes));
        continue;
      }
      const done = this.runRecords(writer, start, hits);
      next = start + done;
    }
    return hits;
  }

  /** Run the records in the input region; returns how many events were completed (all, unless growth intervened). */
  private runRecords(writer: RecordWriter, eventBase: number, hits: Hit[]): number {
    const length = writer.length;
    const h = this.host;
    const input = h.inputPtr;
    let offset = 0;
    let done = 0;
    for (;;) {
      h.set(C.CTX_INPUT_PTR, input + offset);
      h.set(C.CTX_INPUT_LEN, length - offset);
      h.set(C.CTX_EVENT_BASE, eventBase + done);
      h.set(C.CTX_FLAGS, this.flags | C.FLAG_FINAL);
      h.runRecords();
      h.set(C.CTX_INPUT_PTR, input);
      this.drainHits(hits);
      if (this.provenanceSink) this.provenanceSink(h.takeProvenance().records);
      offset += h.get(C.CTX_CONSUMED);
      done += h.get(C.CTX_EVENT_COUNT);
      const status = h.get(C.CTX_STATUS);
      if (status === C.STATUS_OK) return done;
      if (status === C.STATUS_HITS_FULL) continue;
      if (status === C.STATUS_ARENA_FULL) {
        // A record needs at most one value per entry: the value table grows to hold the widest at once.
        this.growForEvent(Math.max(h.get(C.CTX_STATUS_DETAIL), writer.largestEntries * VALUE_RECORD_BYTES));
        return done; // the layout moved: the caller re-encodes from the first unfinished event
      }
      throw new VmError(`the VM stopped with status ${status}`);
    }
  }

  /**
   * The provenance of hits, from the VM (assembly/vm/provenance.ts): for each hit, what `explainMatch(rule, event)`
   * gives, without the rules' logic (compiled rule sets and artifacts carry their shapes). `events` are the hits'
   * events (parsed JSON objects, as the scanners keep them in `Hit.record`); each hit's `event` indexes them. The
   * events go through the VM once, in one call per batch, with provenance recorded for every hit. A hit the VM does
   * not find again (it never should) gets null.
   */
  explain(events: readonly unknown[], hits: readonly { event: number; rule: number }[], options: { maxValueLength?: number } = {}): (Provenance | null)[] {
    if (hits.length === 0) return [];
    const parts: Uint8Array[] = [];
    this.provenanceSink = (records) => {
      if (records.length > 0) parts.push(records);
    };
    this.host.provenanceEnabled(true);
    try {
      this.matchWith(this.writer, events);
    } finally {
      this.host.provenanceEnabled(false);
      this.provenanceSink = null;
    }
    const records = indexProvenance(parts.length === 1 ? parts[0] : concatBytes(parts));
    const evtx = (this.flags & C.FLAG_EVTX_JSON) !== 0;
    return hits.map((hit) => {
      const at = records.at.get(hitKey(hit.event, hit.rule));
      const shape = this.compiled.shapes[hit.rule];
      if (at === undefined || !shape) return null;
      return vmProvenance(shape, records, at, events[hit.event], { evtx, maxValueLength: options.maxValueLength });
    });
  }

  /** A streaming session over JSON bytes (NDJSON, a JSON array, or concatenated objects such as evtx_dump). */
  /**
   * @param format 'auto' lets the input decide; 'ndjson' reads it as NDJSON from the first byte
   * @param records keep each hit event's JSON text in `Hit.record` (for provenance)
   */
  scanner(format: 'auto' | 'ndjson' = 'auto', records = false): ScanSession {
    if (!this.correlation || !this.captures) return new ByteScanner(this, format, records);
    return new CorrelatingScanner(new ByteScanner(this, format, records), this, this.correlation, this.captures);
  }

  /** Scan a whole input at once. */
  scanBytes(input: Uint8Array | string): ScanBatch {
    const session = this.scanner();
    const first = session.push(typeof input === 'string' ? new TextEncoder().encode(input) : input);
    const last = session.end();
    return { hits: [...first.hits, ...last.hits], notes: [...first.notes, ...last.notes], events: first.events + last.events };
  }

  /** Scan a stream of byte chunks, yielding each chunk's results as they are ready. */
  async *scan(input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<ScanBatch> {
    const session = this.scanner();
    for await (const chunk of input) yield session.push(chunk);
    yield session.end();
  }

  /**
   * A streaming session over the bytes of one .evtx file (any piece sizes; one 64 KiB chunk is held at a time).
   * `events`: keep each hit's event as JSON text in `Hit.record`; `strict`: throw EvtxDamagedError at the first damage.
   */
  evtxScanner(options: EvtxScanOptions = {}): EvtxScanner {
    return new EvtxScanner(this, options);
  }

  /** Scan a whole .evtx file at once. */
  scanEvtx(bytes: Uint8Array, options: EvtxScanOptions = {}): ScanBatch {
    const session = this.evtxScanner(options);
    const first = session.push(bytes);
    const last = session.end();
    return { hits: [...first.hits, ...last.hits], notes: [...first.notes, ...last.notes], events: first.events + last.events };
  }

  /** Objects path for an event of a .evtx file (the .evtx path's host records), as event `index`. */
  matchEvtxEvent(event: JsonObject, index: number): Hit[] {
    this.evtxWriter ??= new RecordWriter(this.compiled.fields, this.compiled.keywordSlot, true);
    return this.matchWith(this.evtxWriter, [event], index).map((h) => ({ event: index, rule: h.rule }));
  }

  /** Objects path for one event with a given index (the bytes path's fallback). */
  matchFallback(event: unknown, index: number, line: number): Hit[] {
    this.fallbackSink?.(index, event);
    return this.matchWith(this.writer, [event], index).map((h) => ({ event: index, rule: h.rule, line }));
  }

  /**
   * Room for an event that did not fit: `needBytes` (0: unknown) is the larger of the arena bytes and value-record
   * bytes it needs (assembly/json/leaves.ts), so both regions grow to cover it and the event is re-run once.
   */
  growForEvent(needBytes: number): void {
    const h = this.host;
    h.grow('arena', Math.max(h.sizes.arena * 2, needBytes));
    h.grow('values', Math.max(h.sizes.values * 2, Math.ceil(needBytes / VALUE_RECORD_BYTES)));
  }

  private drainHits(out: Hit[]): void {
    const h = this.host;
    const count = h.get(C.CTX_HIT_COUNT);
    const u32 = h.u32();
    const base = h.get(C.CTX_HITS_PTR) >>> 2;
    const words = C.HIT_BYTES / 4;
    for (let i = 0; i < count; i++) out.push({ event: u32[base + words * i], rule: u32[base + words * i + 1] });
  }
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The VM_VERSION this package's host speaks (assembly/index.ts). */
export const VM_FORMAT_VERSION = 7;

function wasmAbort(): never {
  throw new VmError('the sigmatch VM aborted (an internal invariant failed)');
}

async function resolveModule(wasm: WasmSource | undefined): Promise<WebAssembly.Module> {
  if (wasm !== undefined && wasm !== null) return loadWasmModule(wasm);
  if (!defaultModuleLoader) throw new VmError('no WebAssembly module: pass options.wasm (browsers and Workers import sigmatch.wasm themselves)');
  return defaultModuleLoader();
}
