/**
 * Fuzz targets: each is an input generator (fast-check) and a check that must hold for every input. Inputs are plain
 * JSON-able values, so a failing one can be saved as it is (test/fuzz/crashers/) and replayed as a test case forever.
 *
 * - `rules`: Sigma YAML, valid rules damaged at the byte level (truncations, inserted YAML syntax, deep nesting,
 *   long lists). Loading reports errors (SigmaError, with a code) and never throws anything else; whatever loads
 *   compiles and instantiates.
 * - `events`: a valid rule set and a stream of events in some layout (NDJSON, pretty, array) damaged at the byte
 *   level, pushed in random chunks. The VM's bytes path and the reference (JsonEventReader, JSON.parse, the reference
 *   evaluator) agree on events, notes (lines and kinds) and hits.
 * Every input must finish within INPUT_TIME_LIMIT_MS.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { compileRules } from '../../src/compiler/compile.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { DEFAULT_MAX_RECORD_BYTES, JsonEventReader, type EventRecord } from '../../src/input/json-events.js';
import { SigmaError } from '../../src/rule/errors.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { Matcher } from '../../src/runtime/matcher.js';
import { eventArb, PLACEHOLDERS, renderRuleSet, ruleSetArb } from '../differential/arbitraries.js';

export const INPUT_TIME_LIMIT_MS = 5000;

export interface Target<I> {
  name: string;
  arbitrary: fc.Arbitrary<I>;
  /** Throws (an assertion error) when the input breaks the target's property. */
  check(input: I): Promise<void>;
}

class FuzzFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzFailure';
  }
}

function fail(message: string): never {
  throw new FuzzFailure(message);
}

let wasm: WebAssembly.Module | null = null;
function wasmModule(): WebAssembly.Module {
  wasm ??= new WebAssembly.Module(readFileSync(new URL('../../build/sigmatch.wasm', import.meta.url)));
  return wasm;
}

/** Run `body`, failing when it takes longer than the limit (checked after the fact: the input is recorded anyway). */
async function timed<T>(what: string, body: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const result = await body();
  const ms = performance.now() - started;
  if (ms > INPUT_TIME_LIMIT_MS) fail(`${what} took ${ms.toFixed(0)} ms (limit ${INPUT_TIME_LIMIT_MS} ms)`);
  return result;
}

// ---- byte-level damage ----

export type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: number[] }
  | { op: 'delete'; at: number; length: number }
  | { op: 'flip'; at: number; byte: number }
  | { op: 'repeat'; at: number; length: number; times: number };

/** Bytes that mean something to YAML or JSON framing, and some that mean nothing. */
const SYNTAX = [...'{}[]",:\\\n\r\t -#&*!|>\'%@`?'].map((c) => c.charCodeAt(0));
const byteArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SYNTAX) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(byteArb, { minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: byteArb }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }), times: fc.integer({ min: 2, max: 2000 }) }),
);

export function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = input;
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    switch (m.op) {
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'insert':
        b = concat([b.subarray(0, at), Uint8Array.from(m.bytes), b.subarray(at)]);
        break;
      case 'delete':
        b = concat([b.subarray(0, at), b.subarray(at + m.length)]);
        break;
      case 'flip':
        if (at < b.length) {
          b = b.slice();
          b[at] = m.byte;
        }
        break;
      case 'repeat': {
        const piece = b.subarray(at, at + m.length);
        b = concat([b.subarray(0, at), ...Array.from({ length: m.times }, () => piece), b.subarray(at)]);
        break;
      }
    }
  }
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8 = new TextEncoder();
const toBase64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const fromBase64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

// ---- target: rules ----

export interface RulesInput {
  /** The rule texts, base64 (they may be any bytes). */
  texts: string[];
}

export const rulesTarget: Target<RulesInput> = {
  name: 'rules',
  arbitrary: fc
    .tuple(ruleSetArb, fc.array(fc.array(mutationArb, { maxLength: 4 }), { maxLength: 3 }))
    .map(([model, mutations]) => {
      const texts = renderRuleSet(model).map((t, i) => toBase64(mutate(utf8.encode(t), mutations[i] ?? [])));
      return { texts };
    }),
  async check(input) {
    const texts = input.texts.map((t) => new TextDecoder().decode(fromBase64(t)));
    const set = await timed('loading', () => {
      try {
        return loadRulesFromText(texts.map((text, i) => ({ text, name: `rule${i}.yml` })), { placeholders: PLACEHOLDERS });
      } catch (e) {
        return fail(`loading threw ${(e as Error).stack ?? e} (errors must be reported, not thrown)`);
      }
    });
    for (const e of set.errors) if (!(e instanceof SigmaError) || !e.code) fail(`a load error without a code: ${String(e)}`);
    await timed('compiling and instantiating', async () => {
      try {
        const compiled = compileRules(set.rules);
        await Matcher.create(compiled, { wasm: wasmModule() });
      } catch (e) {
        fail(`compiling the loaded rules threw ${(e as Error).stack ?? e}`);
      }
    });
  },
};

// ---- target: events ----

export interface EventsInput {
  rules: string[];
  /** The event stream, base64. */
  bytes: string;
  /** Chunk sizes the stream is pushed in (repeated). */
  chunks: number[];
  maxRecordBytes: number;
}

type Layout = 'ndjson' | 'pretty' | 'array';

function layOut(events: unknown[], layout: Layout): string {
  switch (layout) {
    case 'ndjson':
      return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
    case 'pretty':
      return events.map((e) => JSON.stringify(e, null, 2)).join('\n') + '\n';
    case 'array':
      return JSON.stringify(events, null, 2) + '\n';
  }
}

export const eventsTarget: Target<EventsInput> = {
  name: 'events',
  arbitrary: fc
    .tuple(
      ruleSetArb,
      fc.array(eventArb, { minLength: 1, maxLength: 12 }),
      fc.constantFrom<Layout>('ndjson', 'ndjson', 'pretty', 'array'),
      fc.array(mutationArb, { maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 }),
      fc.constantFrom(DEFAULT_MAX_RECORD_BYTES, 64, 300),
    )
    .map(([model, events, layout, mutations, chunks, maxRecordBytes]) => ({
      rules: renderRuleSet(model),
      bytes: toBase64(mutate(utf8.encode(layOut(events, layout)), mutations)),
      chunks,
      maxRecordBytes,
    })),
  async check(input) {
    const set = loadRulesFromText(input.rules, { placeholders: PLACEHOLDERS });
    if (set.errors.length > 0) fail(`the generated rules do not load: ${set.errors[0].message}`);
    const bytes = fromBase64(input.bytes);
    const max = sizesComparable(input) ? input.maxRecordBytes : DEFAULT_MAX_RECORD_BYTES;
    const vm = await timed('the bytes path', () => scanVm(set.rules, bytes, input.chunks, max));
    const ref = await timed('the reference', () => scanReference(set.rules, bytes, input.chunks, max));
    const show = (o: Outcome): string => JSON.stringify(o).slice(0, 2000);
    if (vm.events !== ref.events) fail(`events: VM ${vm.events}, reference ${ref.events}\nVM ${show(vm)}\nreference ${show(ref)}`);
    if (JSON.stringify(vm.notes) !== JSON.stringify(ref.notes)) fail(`notes differ\nVM ${JSON.stringify(vm.notes)}\nreference ${JSON.stringify(ref.notes)}`);
    if (JSON.stringify(vm.hits) !== JSON.stringify(ref.hits)) fail(`hits differ\nVM ${JSON.stringify(vm.hits)}\nreference ${JSON.stringify(ref.hits)}`);
  },
};

interface Outcome {
  events: number;
  notes: [number, number, string][];
  hits: [number, number, number][];
}

async function scanVm(rules: readonly SigmaRule[], bytes: Uint8Array, chunks: number[], maxRecordBytes: number): Promise<Outcome> {
  const matcher = await Matcher.create(compileRules(rules), { wasm: wasmModule(), maxRecordBytes });
  const session = matcher.scanner();
  const out: Outcome = { events: 0, notes: [], hits: [] };
  const take = (b: ReturnType<typeof session.push>): void => {
    out.events += b.events;
    for (const n of b.notes) out.notes.push([n.line, n.endLine, n.kind]);
    for (const h of b.hits) out.hits.push([h.event, h.rule, h.line ?? 0]);
  };
  let k = 0;
  for (let at = 0; at < bytes.length; ) {
    const n = chunks[k++ % chunks.length];
    take(session.push(bytes.slice(at, at + n)));
    at += n;
  }
  take(session.end());
  return out;
}

function scanReference(rules: readonly SigmaRule[], bytes: Uint8Array, chunks: number[], maxRecordBytes: number): Outcome {
  const reader = new JsonEventReader({ maxRecordBytes });
  const evaluator = new ReferenceEvaluator(rules);
  const decoder = new TextDecoder();
  const records: EventRecord[] = [];
  let k = 0;
  for (let at = 0; at < bytes.length; ) {
    const n = chunks[k++ % chunks.length];
    records.push(...reader.push(decoder.decode(bytes.subarray(at, at + n), { stream: true })));
    at += n;
  }
  records.push(...reader.push(decoder.decode()));
  records.push(...reader.end());
  const hits: [number, number, number][] = [];
  for (const r of records) for (const m of evaluator.match(r.event)) hits.push([r.index, m.index, r.line]);
  return { events: records.length, notes: reader.errors.map((e) => [e.line, e.endLine, e.kind]), hits };
}

export const TARGETS: readonly Target<never>[] = [rulesTarget, eventsTarget] as unknown as Target<never>[];

/** Record sizes are counted alike by the VM and the reference only in valid UTF-8 (DESIGN.md framing, rule 9). */
function sizesComparable(input: EventsInput): boolean {
  if (input.maxRecordBytes >= DEFAULT_MAX_RECORD_BYTES) return true;
  const bytes = fromBase64(input.bytes);
  return utf8.encode(new TextDecoder().decode(bytes)).length === bytes.length;
}
