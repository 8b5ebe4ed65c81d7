/**
 * A bytes-path session with correlations: the VM's hits of each chunk go through the matcher's correlation session
 * (src/correlation), which reads the fields a correlation needs from the hit events' JSON text. The scanner below
 * keeps the records of hit events for that (and drops them from the hits unless the caller asked for them).
 */
import { eventSource, type CorrelationSession } from '../correlation/index.js';
import type { ByteScanner } from './byte-scanner.js';
import type { Hit, ScanBatch } from './matcher.js';

/** What a streaming scan offers, with or without correlations (ByteScanner and CorrelatingScanner). */
export interface ScanSession {
  push(chunk: Uint8Array): ScanBatch;
  end(): ScanBatch;
  /** Events read so far. */
  readonly events: number;
  /** Lines read so far. */
  readonly lines: number;
  /** Rule programs run so far. */
  readonly rulesEvaluated: number;
}

export class CorrelatingScanner implements ScanSession {
  /**
   * @param inner a ByteScanner that keeps records (`records = true`)
   * @param keepRecords whether the caller wants `Hit.record` too
   */
  constructor(
    private readonly inner: ByteScanner,
    private readonly correlations: CorrelationSession,
    private readonly keepRecords: boolean,
  ) {}

  get events(): number {
    return this.inner.events;
  }

  get lines(): number {
    return this.inner.lines;
  }

  get rulesEvaluated(): number {
    return this.inner.rulesEvaluated;
  }

  push(chunk: Uint8Array): ScanBatch {
    return this.correlate(this.inner.push(chunk));
  }

  end(): ScanBatch {
    return this.correlate(this.inner.end());
  }

  private correlate(batch: ScanBatch): ScanBatch {
    let lastRecord: string | undefined;
    let lastEvent: unknown;
    const hits = this.correlations.process(batch.hits, (h) => {
      if (h.record !== lastRecord) {
        lastRecord = h.record;
        lastEvent = JSON.parse(h.record!);
      }
      return eventSource(lastEvent);
    });
    return { ...batch, hits: this.keepRecords ? hits : hits.map(withoutRecord) };
  }
}

function withoutRecord(h: Hit): Hit {
  if (h.record === undefined) return h;
  const { record: _record, ...rest } = h;
  return rest;
}
