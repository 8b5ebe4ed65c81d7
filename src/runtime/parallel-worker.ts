/**
 * A scanning thread of ParallelScanner: its own WASM instance, loaded with the program it was given (shared with the
 * other workers); each message is one piece of NDJSON (cut at a line boundary), scanned as NDJSON from its first
 * byte, or a piece of whole .evtx chunks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import './node-wasm.js'; // registers the Node loader of build/sigmatch.wasm
import type { CompiledRuleSet, RuleInfo } from '../compiler/compile.js';
import { Matcher, type Hit, type InputNote } from './matcher.js';
import type { PieceRequest, PieceResult, WorkerSetup } from './parallel.js';

const setup = workerData as WorkerSetup;
const compiled: CompiledRuleSet = {
  program: setup.program,
  // Hits carry rule indices; the rules' descriptions stay with the main thread.
  rules: new Array<RuleInfo>(setup.ruleCount),
  shapes: [],
  fields: setup.fields,
  keywordSlot: setup.keywordSlot,
  stats: setup.stats,
  requirements: [],
  gates: [],
};
const ready = Matcher.create(compiled, {
  nullMatchesAbsent: setup.nullMatchesAbsent,
  evtx: setup.evtx,
  maxRecordBytes: setup.maxRecordBytes,
});

parentPort!.on('message', async (request: PieceRequest) => {
  let result: PieceResult;
  try {
    const matcher = await ready;
    const bytes = new Uint8Array(request.buffer, 0, request.length);
    if (request.evtxAt !== undefined) {
      // Whole .evtx chunks: hits carry their record's offset, id and time (and event, with records).
      const session = matcher.evtxScanner({ chunksAt: request.evtxAt, events: setup.records === true });
      const first = session.push(bytes);
      const last = session.end();
      result = {
        seq: request.seq,
        hits: new Uint32Array(),
        evtxHits: [...first.hits, ...last.hits],
        notes: [...first.notes, ...last.notes],
        events: session.events,
        lines: 0,
        rulesEvaluated: session.rulesEvaluated,
      };
      result.buffer = request.buffer;
      parentPort!.postMessage(result, [request.buffer]);
      return;
    }
    const session = matcher.scanner('ndjson', setup.records === true);
    const first = session.push(bytes);
    const last = session.end();
    const hits: Hit[] = [...first.hits, ...last.hits];
    const notes: InputNote[] = [...first.notes, ...last.notes];
    const triples = new Uint32Array(hits.length * 3);
    hits.forEach((h, i) => triples.set([h.event, h.rule, (h.line ?? 1) - 1], i * 3));
    // Lines are re-based by the main thread: relative lines are 0-based offsets from the piece's first line.
    result = {
      seq: request.seq,
      hits: triples,
      notes: notes.map((n) => ({ ...n, line: n.line - 1, endLine: n.endLine - 1 })),
      events: session.events,
      lines: countLines(bytes),
      ...(setup.records ? { records: hits.map((h) => h.record ?? '') } : {}),
      rulesEvaluated: session.rulesEvaluated,
    };
  } catch (e) {
    result = { seq: request.seq, hits: new Uint32Array(), notes: [], events: 0, lines: 0, rulesEvaluated: 0, error: (e as Error).stack ?? String(e) };
  }
  // The piece's buffer goes back for reuse.
  result.buffer = request.buffer;
  parentPort!.postMessage(result, [result.hits.buffer as ArrayBuffer, request.buffer]);
});

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}
