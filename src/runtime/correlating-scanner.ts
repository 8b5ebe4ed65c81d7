/**
 * A bytes-path session with correlations: while it scans, the VM copies the fields the correlations read out of the
 * events their rules match (capture: assembly/vm/capture.ts, captures.ts), and the hits of each chunk go through the
 * matcher's correlation session with those fields. Fallback events (the few the VM hands back to be parsed here)
 * are read from their parsed objects.
 */
import { eventSource, type CorrelationSession, type FieldSource } from '../correlation/index.js';
import type { ByteScanner } from './byte-scanner.js';
import type { CaptureReader } from './captures.js';
import type { Hit, Matcher, ScanBatch } from './matcher.js';

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
  /** Names the input of each event (from its first hit) in alerts' references; a stream consumer names entries. */
  inputOf: ((hit: Hit) => string | undefined) | null = null;

  constructor(
    private readonly inner: ByteScanner,
    private readonly matcher: Matcher,
    private readonly correlations: CorrelationSession,
    private readonly captures: CaptureReader,
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
    return this.run(() => this.inner.push(chunk));
  }

  end(): ScanBatch {
    return this.run(() => this.inner.end());
  }

  private run(scan: () => ScanBatch): ScanBatch {
    const { host } = this.matcher;
    const captured = this.captures.events();
    const fallbacks = new Map<number, FieldSource>();
    host.afterScan = () => captured.add(host.takeCaptures().records);
    this.matcher.fallbackSink = (index, event) => fallbacks.set(index, eventSource(event));
    host.captureEnabled(true);
    let batch: ScanBatch;
    try {
      batch = scan();
    } finally {
      host.captureEnabled(false);
      host.afterScan = null;
      this.matcher.fallbackSink = null;
    }
    const hits = this.correlations.process(batch.hits, (h) => {
      const f = fallbacks.get(h.event) ?? captured.fieldsOf(h.event);
      if (!f) throw new Error(`internal: event ${h.event} matched a correlated rule but its fields were not captured`);
      return f;
    }, this.inputOf ?? undefined);
    return { ...batch, hits };
  }
}
