/**
 * A scanning thread of ParallelScanner: its own WASM instance, loaded from the artifact it was given; each message
 * is one piece of NDJSON (cut at a line boundary), scanned as NDJSON from its first byte.
 */
import { parentPort, workerData } from 'node:worker_threads';
import '../index.js'; // registers the Node loader of build/sigmatch.wasm
import { Matcher, type Hit, type InputNote } from './matcher.js';
import type { PieceRequest, PieceResult } from './parallel.js';

interface WorkerSetup {
  artifact: Uint8Array;
  nullMatchesAbsent?: boolean;
  evtx?: boolean;
  maxRecordBytes?: number;
  records?: boolean;
}

const setup = workerData as WorkerSetup;
const ready = Matcher.create(setup.artifact, {
  nullMatchesAbsent: setup.nullMatchesAbsent,
  evtx: setup.evtx,
  maxRecordBytes: setup.maxRecordBytes,
});

parentPort!.on('message', async (request: PieceRequest) => {
  let result: PieceResult;
  try {
    const matcher = await ready;
    const session = matcher.scanner('ndjson', setup.records === true);
    const first = session.push(request.bytes);
    const last = session.end();
    const hits: Hit[] = [...first.hits, ...last.hits];
    const notes: InputNote[] = [...first.notes, ...last.notes];
    const triples = new Uint32Array(hits.length * 3);
    hits.forEach((h, i) => triples.set([h.event, h.rule, (h.line ?? 1) - 1], i * 3));
    // Lines are re-based by the main thread: relative lines are 0-based offsets from the piece's first line.
    result = {
      seq: request.seq,
      hits: triples,
      notes: notes.map((n) => ({ ...n, line: n.line - 1 })),
      events: session.events,
      lines: countLines(request.bytes),
      ...(setup.records ? { records: hits.map((h) => h.record ?? '') } : {}),
      rulesEvaluated: session.rulesEvaluated,
    };
  } catch (e) {
    result = { seq: request.seq, hits: new Uint32Array(), notes: [], events: 0, lines: 0, rulesEvaluated: 0, error: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(result, [result.hits.buffer as ArrayBuffer]);
});

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}
