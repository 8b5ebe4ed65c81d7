/**
 * Capture (assembly/vm/capture.ts, src/runtime/captures.ts): the bytes path reads correlation fields from what the
 * VM copied out of hit events instead of parsing their JSON again. On hostile random records (escapes, ill-formed
 * UTF-8, numbers of every shape, arrays, objects, duplicate keys that send events to the fallback, evtx_dump shape),
 * with a capture area too small for one event at first, the alerts must equal the reference's: the reference
 * evaluator fed the events as the JSON reader parses them.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import '../../src/index.js';
import { CorrelationSession, eventSource, planCorrelations, type AlertHit } from '../../src/correlation/index.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { JsonEventReader } from '../../src/input/json-events.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { Matcher } from '../../src/runtime/matcher.js';
import { evtxEvent, jsonObject, ndjson } from '../json/generators.js';

const T0 = Date.UTC(2026, 10, 28);
const RULES = `title: Everything
name: everything
logsource: {product: test}
detection:
  selection: {K: null}
  condition: selection or not selection
---
title: Groups
correlation:
  type: event_count
  rules: [everything]
  group-by: [a, a.b, K_Y, Provider_Name, EventID, x_y]
  timespan: 1h
  condition: {gte: 1}
---
title: Distinct
correlation:
  type: value_count
  rules: [everything]
  timespan: 1h
  condition: {gte: 1, field: [x, b.c, '#text']}
---
title: Sum
correlation:
  type: value_sum
  rules: [everything]
  group-by: [Name]
  timespan: 1h
  condition: {gte: -1e300, field: y}
`;
const OPTIONS = { timeFallback: 'now' as const, now: () => T0 };
const wasm = new WebAssembly.Module(readFileSync(new URL('../../build/sigmatch.wasm', import.meta.url)));

type Alert = [event: number, rule: number, group: unknown, value: number];
const alerts = (hits: readonly { event: number; rule: number; correlation?: AlertHit['correlation'] }[]): Alert[] =>
  hits.flatMap((h) => (h.correlation ? [[h.event, h.rule, h.correlation.group, h.correlation.value] as Alert] : []));

/** The reference: the events as the JSON reader reads the bytes, the reference evaluator, a correlation session. */
function referenceAlerts(bytes: Uint8Array): Alert[] {
  const set = loadRulesFromText(RULES);
  const reader = new JsonEventReader();
  const records = [...reader.push(new TextDecoder().decode(bytes)), ...reader.end()];
  const evaluator = new ReferenceEvaluator(set.rules);
  const hits = records.flatMap((r) => evaluator.match(r.event).map((m) => ({ event: r.index, rule: m.index })));
  const events = new Map(records.map((r) => [r.index, r.event]));
  const session = new CorrelationSession(planCorrelations(set.rules, set.correlations), set.rules.length, OPTIONS);
  return alerts([...session.process(hits, (h) => eventSource(events.get(h.event))), ...session.flush()]);
}

async function bytesAlerts(bytes: Uint8Array, chunk: number): Promise<Alert[]> {
  const matcher = await Matcher.create(RULES, { wasm, correlation: OPTIONS, regions: { capture: 16, input: 256 } });
  const session = matcher.scanner();
  const hits = [];
  for (let at = 0; at < bytes.length; at += chunk) hits.push(...session.push(bytes.subarray(at, at + chunk)).hits);
  hits.push(...session.end().hits, ...matcher.flush());
  return alerts(hits);
}

describe('captured fields equal the reference reading of the JSON', () => {
  test('hostile flat records and evtx_dump events, chunked, with a capture area that must grow', async () => {
    await fc.assert(
      fc.asyncProperty(ndjson(fc.oneof(jsonObject, evtxEvent), 6), fc.integer({ min: 1, max: 97 }), async (bytes, chunk) => {
        expect(await bytesAlerts(bytes, chunk)).toEqual(referenceAlerts(bytes));
      }),
      { numRuns: 150 },
    );
  });

  test('fallback events (duplicate keys on a referenced path) are read from their parsed objects', async () => {
    const bytes = new TextEncoder().encode('{"a":"1","a":"2","y":5}\n{"a":"3","y":2.5,"x":"q"}\n{"Name":"n","Name":"m","y":1}\n');
    const got = await bytesAlerts(bytes, bytes.length);
    expect(got).toEqual(referenceAlerts(bytes));
    expect(got.filter(([, rule]) => rule === 1).map(([, , group]) => (group as Record<string, unknown>).a)).toEqual(['2', '3', null]);
  });
});
