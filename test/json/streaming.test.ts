/**
 * Streaming is linear: a record that spans many chunks is copied and framed once (the VM resumes where it stopped),
 * so its cost does not grow with (record size)^2 / chunk size. Times are compared as a ratio between a record and
 * one four times larger in the same process (4x the bytes must cost about 4x, never 16x); no absolute time is
 * asserted.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { loadRulesFromText } from '../../src/rule/load.js';
import { Matcher } from '../../src/runtime/matcher.js';
import { wasmModule } from '../differential/harness.js';

const RULE = `title: Long value\nid: 00000000-0000-4000-8000-0000000000aa\nlogsource: {product: windows}\ndetection:\n  sel:\n    CommandLine|endswith: 'tail-marker'\n  condition: sel\n`;
const CHUNK = 4096;
const MIB = 1 << 20;

let matcher: Matcher;
let small: Matcher;
beforeAll(async () => {
  const rules = loadRulesFromText(RULE).rules;
  matcher = await Matcher.create(rules, { wasm: wasmModule() });
  small = await Matcher.create(rules, { wasm: wasmModule(), maxRecordBytes: MIB });
});

const enc = new TextEncoder();

/** One NDJSON record of about `bytes` bytes (a long command line), then a short one. */
function longLine(bytes: number): Uint8Array {
  return enc.encode(`{"CommandLine":"${'a'.repeat(bytes)} tail-marker"}\n{"CommandLine":"x tail-marker"}\n`);
}

/** One pretty-printed record of about `bytes` bytes over many lines, then a short one. */
function longPretty(bytes: number): Uint8Array {
  const members = Array.from({ length: Math.ceil(bytes / 40) }, (_, i) => `  "f${i}": "${'b'.repeat(28)}"`);
  return enc.encode(`{\n${members.join(',\n')},\n  "CommandLine": "tail-marker"\n}\n{\n  "CommandLine": "y tail-marker"\n}\n`);
}

/** Push in CHUNK-byte pieces; returns [milliseconds, hits, notes]. */
function push(m: Matcher, bytes: Uint8Array): [number, number, number] {
  const started = performance.now();
  const session = m.scanner();
  let hits = 0;
  let notes = 0;
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const b = session.push(bytes.subarray(at, at + CHUNK));
    hits += b.hits.length;
    notes += b.notes.length;
  }
  const last = session.end();
  return [performance.now() - started, hits + last.hits.length, notes + last.notes.length];
}

/**
 * The ratio of the fastest of five runs of a 16 MiB record to the fastest of five runs of a 4 MiB one, interleaved so
 * that a busy moment of the machine hits both sizes alike.
 */
function ratio(m: Matcher, make: (bytes: number) => Uint8Array, expectHits: number, expectNotes: number): number {
  const a = make(4 * MIB);
  const b = make(16 * MIB);
  let ta = Infinity;
  let tb = Infinity;
  for (let i = 0; i < 5; i++) {
    for (const [bytes, keep] of [[a, (t: number) => (ta = Math.min(ta, t))], [b, (t: number) => (tb = Math.min(tb, t))]] as const) {
      const [ms, hits, notes] = push(m, bytes);
      expect([hits, notes]).toEqual([expectHits, expectNotes]);
      keep(ms);
    }
  }
  return tb / ta;
}

describe('streaming: a record spanning many chunks costs linear time', () => {
  // Linear is ~4; rescanning the pending record on every chunk is ~16 (before the fix: 1 MiB 1.8 s, 4 MiB 23.5 s).
  const LINEAR_BOUND = 10;

  test('a long NDJSON line in 4 KiB chunks', () => {
    expect(ratio(matcher, longLine, 2, 0)).toBeLessThan(LINEAR_BOUND);
  });

  test('a long multi-line record in 4 KiB chunks', () => {
    expect(ratio(matcher, longPretty, 2, 0)).toBeLessThan(LINEAR_BOUND);
  });

  test('a record over the size limit, skipped, in 4 KiB chunks', () => {
    expect(ratio(small, longLine, 1, 1)).toBeLessThan(LINEAR_BOUND);
    expect(ratio(small, longPretty, 1, 1)).toBeLessThan(LINEAR_BOUND);
  });
});
