/**
 * The workbench's scan worker: loads and compiles rules (through the chosen pipelines), scans event files through the
 * WASM VM in slices, explains each hit (the search identifiers and values that matched), and analyses rules for their
 * pages. The page stays responsive; cancelling stops the scan between two slices.
 */
import {
  analyzeRule,
  applyPipelines,
  builtinPipelines,
  CorpusIndex,
  defaultCoveragePipelines,
  documentText,
  explainMatch,
  loadRulesFromText,
  loadWasmModule,
  Matcher,
  orderPipelines,
  parsePipeline,
  pipelinePlaceholders,
  isEvtx,
  type Hit,
  type InputNote,
  type Pipeline,
  type SigmaRule,
} from '../../src/browser.js';
import { reportHit, type ReportHit, type ReportRule } from '../../src/report/index.js';
import wasmUrl from '../../build/sigmatch.wasm?url';
import type { FromWorker, LoadRulesRequest, Problem, ScanRequest, ToWorker } from './protocol.js';
import { gzipChunks, plainChunks, sniff, SNIFF_BYTES } from './sources/event-stream.js';

/** Least time between two progress messages. */
const PROGRESS_INTERVAL_MS = 100;

interface Loaded {
  matcher: Matcher;
  /** The rules scanned (pipelines applied), index for index with the matcher's; null for a compiled rule set. */
  scanned: readonly SigmaRule[] | null;
  /** The rules as written, index for index with `scanned` (for analysis: pipelines only say which events apply). */
  written: readonly SigmaRule[];
  /** All rules as written (the corpus of indicator counts). */
  corpus: readonly SigmaRule[];
  texts: Map<string, string>;
  pipelines: Pipeline[];
}

const post = (message: FromWorker, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(message, transfer);

let wasm: Promise<WebAssembly.Module> | null = null;
let loaded: Loaded | null = null;
let corpusIndex: CorpusIndex | null = null;
let cancelled = false;

function errorProblem(kind: Problem['kind'], e: { message: string; code?: string; file?: string; line?: number; column?: number }): Problem {
  return { kind, message: e.message, ...(e.code ? { code: e.code } : {}), ...(e.file ? { file: e.file } : {}), ...(e.line ? { line: e.line } : {}), ...(e.column ? { column: e.column } : {}) };
}

function ruleMeta(r: Pick<SigmaRule, 'id' | 'title' | 'level' | 'status' | 'author' | 'tags'>): ReportRule {
  return { id: r.id, title: r.title, level: r.level, status: r.status, author: r.author, tags: [...r.tags] };
}

const placeKey = (r: SigmaRule): string => `${r.source.file ?? ''}\u0000${r.source.document}`;

async function loadRules(req: LoadRulesRequest): Promise<void> {
  const started = performance.now();
  wasm ??= loadWasmModule(wasmUrl);
  const problems: Problem[] = [];
  loaded = null;
  corpusIndex = null;
  if (req.compiled) {
    const matcher = await Matcher.create(req.compiled.bytes, { wasm });
    loaded = { matcher, scanned: null, written: [], corpus: [], texts: new Map(), pipelines: [] };
    post({ type: 'rules-loaded', rules: matcher.rules.map(ruleMeta), problems, explained: false, pipelines: [], routed: 0, unrouted: 0, seconds: (performance.now() - started) / 1000 });
    return;
  }
  let pipelines: Pipeline[] = [];
  for (const name of req.builtinPipelines) for (const p of builtinPipelines(name)) if (!pipelines.includes(p)) pipelines.push(p);
  for (const f of req.pipelineFiles) {
    const { pipeline, errors } = parsePipeline(f.text, f.name.replace(/\.ya?ml$/i, ''), f.name);
    problems.push(...errors.map((e) => errorProblem('pipeline', e)));
    if (pipeline) pipelines.push(pipeline);
  }
  if (problems.length > 0) {
    problems.push({ kind: 'pipeline', message: 'no pipeline was applied: a pipeline never applies in part (fix or remove the pipeline file)' });
    pipelines = [];
  }
  pipelines = orderPipelines(pipelines);
  const set = loadRulesFromText(req.rules, { placeholders: pipelinePlaceholders(pipelines) });
  const applied = pipelines.length > 0 ? applyPipelines(set.rules, pipelines) : { rules: set.rules, errors: [], routed: 0, unrouted: set.rules.length };
  problems.push(...set.errors.map((e) => errorProblem('rule', e)), ...applied.errors.map((e) => errorProblem('rule', e)));
  const byPlace = new Map(set.rules.map((r) => [placeKey(r), r]));
  const written = applied.rules.map((r) => byPlace.get(placeKey(r)) ?? r);
  const matcher = await Matcher.create(applied.rules, { wasm });
  loaded = { matcher, scanned: applied.rules, written, corpus: set.rules, texts: new Map(req.rules.map((r) => [r.name, r.text])), pipelines };
  post({
    type: 'rules-loaded',
    rules: applied.rules.map(ruleMeta),
    problems,
    explained: true,
    pipelines: pipelines.map((p) => p.name),
    routed: applied.routed,
    unrouted: applied.unrouted,
    seconds: (performance.now() - started) / 1000,
  });
}

async function scan(req: ScanRequest): Promise<void> {
  if (!loaded) throw new Error('load rules before scanning');
  const { matcher, scanned } = loaded;
  cancelled = false;
  const started = performance.now();
  const totalBytes = req.files.reduce((n, f) => n + f.file.size, 0);
  let bytes = 0;
  let events = 0;
  let largestChunk = 0;
  let lastProgress = -Infinity;
  let wasmMemoryBytes = matcher.host.memory.buffer.byteLength;
  const progress = (file: string, fileEvents: number, force = false): void => {
    const now = performance.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    post({ type: 'progress', bytes, totalBytes, events: events + fileEvents, seconds: (now - started) / 1000, file });
  };
  for (const { file, name } of req.files) {
    if (cancelled) break;
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    const onBytes = (n: number): void => {
      bytes += n;
    };
    const chunks = sniff(head) === 'gzip' ? gzipChunks(file, onBytes) : plainChunks(file, onBytes);
    // A .evtx file (also gzip-compressed, told by its inflated first bytes, as the CLI does) goes through the .evtx
    // scanner, everything else through the JSON byte scanner; both report hits and notes the same way.
    const first = await chunks.next();
    const evtx = !first.done && isEvtx(first.value);
    const session = evtx ? matcher.evtxScanner({ events: true }) : matcher.scanner('auto', true);
    let fileEvents = 0;
    const report = (batch: { hits: Hit[]; notes: InputNote[]; events: number }): void => {
      fileEvents += batch.events;
      if (batch.hits.length > 0) post(explain(batch.hits, name, scanned));
      if (batch.notes.length > 0) post({ type: 'problems', problems: batch.notes.map((n) => noteProblem(name, n)) });
    };
    try {
      for (let next = first; !next.done; next = await chunks.next()) {
        largestChunk = Math.max(largestChunk, next.value.length);
        report(session.push(next.value));
        wasmMemoryBytes = Math.max(wasmMemoryBytes, matcher.host.memory.buffer.byteLength);
        progress(name, fileEvents);
        if (cancelled) break;
      }
      if (!cancelled) report(session.end());
    } catch (e) {
      post({ type: 'problems', problems: [{ kind: 'input', file: name, message: `cannot be read to the end: ${(e as Error).message} (the events before were scanned)` }] });
    } finally {
      await chunks.return(undefined);
    }
    events += fileEvents;
    progress(name, 0, true);
  }
  post({ type: 'done', events, bytes, seconds: (performance.now() - started) / 1000, cancelled, wasmMemoryBytes, largestChunk });
}

/** An input note as a problem: JSON notes name the lines they cover, .evtx notes the file offset of the damage. */
function noteProblem(file: string, n: InputNote): Problem {
  if (n.kind === 'evtx') return { kind: 'input', file, message: `${n.message} (at byte offset ${n.offset ?? 0})` };
  return { kind: 'input', file, line: n.line, message: n.endLine > n.line ? `${n.message} (lines ${n.line}-${n.endLine} skipped)` : n.message };
}

/** Hits as report records: time, computer and event ID from the event, and (with the rules) their provenance. */
function explain(hits: readonly Hit[], file: string, scanned: readonly SigmaRule[] | null): FromWorker {
  const out: ReportHit[] = [];
  const records: [string, number, string][] = [];
  let lastEvent = -1;
  let event: unknown;
  for (const h of hits) {
    if (h.event !== lastEvent) {
      lastEvent = h.event;
      event = undefined;
      if (h.record !== undefined) {
        records.push([file, h.event, h.record]);
        try {
          event = JSON.parse(h.record);
        } catch {
          event = undefined; // the VM read it; a record JSON.parse refuses keeps its hit, without event fields
        }
      }
    }
    const why = scanned && event !== undefined ? explainMatch(scanned[h.rule], event) : null;
    out.push(
      reportHit(
        {
          rule: h.rule,
          file,
          event: h.event,
          ...(h.line !== undefined ? { line: h.line } : {}),
          ...(why ? { detections: why.detections, fields: why.fields.map((f) => ({ field: f.field, value: f.value })) } : {}),
        },
        event,
      ),
    );
  }
  return { type: 'hits', hits: out, records };
}

function analyze(rule: number): void {
  if (!loaded || !loaded.scanned) {
    post({ type: 'analysis', rule, analysis: null, message: 'a compiled rule set holds no rule logic: load the rules themselves for their pages' });
    return;
  }
  const written = loaded.written[rule];
  corpusIndex ??= CorpusIndex.build(loaded.corpus);
  const pipelines = loaded.pipelines.length > 0 ? loaded.pipelines : defaultCoveragePipelines();
  const analysis = analyzeRule(written, { corpus: corpusIndex, pipelines });
  const text = written.source.file !== undefined ? loaded.texts.get(written.source.file) : undefined;
  const body = text !== undefined ? documentText(text, written.source.document) : undefined;
  post({ type: 'analysis', rule, analysis, ...(body !== undefined ? { body } : {}) });
}

self.onmessage = (e: MessageEvent<ToWorker>): void => {
  const msg = e.data;
  const run = async (): Promise<void> => {
    switch (msg.type) {
      case 'load-rules':
        return loadRules(msg);
      case 'scan':
        return scan(msg);
      case 'cancel':
        cancelled = true;
        return;
      case 'analyze':
        return analyze(msg.rule);
    }
  };
  run().catch((err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));
};
