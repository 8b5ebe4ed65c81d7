/**
 * The framing invariant (DESIGN.md section 4, "Framing"): one damaged record costs at most the lines it spans.
 * Random valid events are laid out in every input shape (NDJSON, objects one after another, evtx_dump output, JSON
 * arrays pretty and one element per line), some records are damaged (truncated, stray bytes, unbalanced braces,
 * binary junk, junk lines between records) at random positions, the first and the last record included; then, for the
 * VM's byte scanner in random chunks and for the reference reader with the objects path:
 * - every intact record is an event at its line, with exactly the hits it has alone;
 * - every damaged record is accounted for: a note covers one of its lines, or an event starts inside it;
 * - no event starts where nothing was (events start at record starts);
 * - nothing is reported on an intact record's lines.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { JsonEventReader, type EventRecord } from '../../src/input/json-events.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { Matcher } from '../../src/runtime/matcher.js';
import { wasmModule } from '../differential/harness.js';

const RULES = [
  `title: Encoded PowerShell\nid: 00000000-0000-4000-8000-000000000001\nlogsource: {product: windows}\ndetection:\n  sel:\n    CommandLine|contains: ' -enc '\n  condition: sel\n`,
  `title: Temp executable\nid: 00000000-0000-4000-8000-000000000002\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|endswith: '\\temp\\x.exe'\n  condition: sel\n`,
  `title: Any event\nid: 00000000-0000-4000-8000-000000000003\nlogsource: {product: windows}\ndetection:\n  sel:\n    NeverPresent: 'x'\n  condition: not sel\n`,
  `title: Keyword mimikatz\nid: 00000000-0000-4000-8000-000000000004\nlogsource: {product: windows}\ndetection:\n  keywords:\n    - mimikatz\n  condition: keywords\n`,
  `title: Evtx user\nid: 00000000-0000-4000-8000-000000000005\nlogsource: {product: windows}\ndetection:\n  sel:\n    User: 'CORP\\admin'\n    EventID: 4688\n  condition: sel\n`,
];
const ANY_EVENT_RULE = 2;

const rules = loadRulesFromText(RULES);
const reference = new ReferenceEvaluator(rules.rules);
let matcher: Matcher;
beforeAll(async () => {
  expect(rules.errors).toEqual([]);
  matcher = await Matcher.create(rules.rules, { wasm: wasmModule() });
});

// ---- events and shapes ----

const text = fc.oneof(
  fc.constantFrom('powershell.exe -enc SQBFAFgA', 'C:\\temp\\x.exe', 'mimikatz', 'CORP\\admin', 'a "quoted" {brace}', '[x]', 'caf\u00e9', '\u{1F600}', ''),
  fc.string({ maxLength: 12 }),
);
interface Ev {
  flat: Record<string, unknown>;
}
const eventArb = (id: number): fc.Arbitrary<Ev> =>
  fc.record({ cmd: text, image: text, user: text, eid: fc.constantFrom(1, 4688, 7), nested: fc.boolean() }).map((r) => ({
    flat: { Id: `rec-${id}`, CommandLine: r.cmd, Image: r.image, User: r.user, EventID: r.eid, ...(r.nested ? { Extra: { List: [r.cmd, { Deep: r.image }] } } : {}) },
  }));

type Shape = 'ndjson' | 'concat' | 'evtx-json' | 'array-pretty' | 'array-lines';
const SHAPES: Shape[] = ['ndjson', 'concat', 'evtx-json', 'array-pretty', 'array-lines'];

/** The record text of an event in a shape (an array element's text without its separator). */
function recordText(ev: Ev, shape: Shape): string {
  switch (shape) {
    case 'ndjson':
    case 'array-lines':
      return JSON.stringify(ev.flat);
    case 'concat':
      return JSON.stringify(ev.flat, null, 2);
    case 'evtx-json': {
      const { Id, EventID, User, ...data } = ev.flat;
      const event = { Event: { System: { EventID, Computer: Id, Security: { '#attributes': { UserID: 'S-1-5-18' } } }, EventData: { Id, User, ...data } } };
      return JSON.stringify(event, null, 2);
    }
    case 'array-pretty':
      // An element of JSON.stringify(array, null, 2): indented by two, nested lines by four and more.
      return JSON.stringify(ev.flat, null, 2).replace(/\n/g, '\n  ');
  }
}

// ---- damage ----

type Damage =
  | { kind: 'truncate'; at: number }
  | { kind: 'stray'; at: number; bytes: string }
  | { kind: 'open-brace'; at: number }
  | { kind: 'drop-close' }
  | { kind: 'binary'; at: number; bytes: number[] }
  | { kind: 'junk-line'; bytes: string };

const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0.05, max: 0.95, noNaN: true }).map((x) => x) }).map((d) => ({ kind: d.kind, at: d.at })),
  fc.record({ kind: fc.constant('stray' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.constantFrom('x', '"', '}', ']', ',', 'abc def', '{', ':::') }),
  fc.record({ kind: fc.constant('open-brace' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.constant({ kind: 'drop-close' as const }),
  fc.record({ kind: fc.constant('binary' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('junk-line' as const), bytes: fc.constantFrom('garbage', '  } ] ,', 'Record 7', '\u0000\u0001', '"str"', '42') }),
).map((d) => d as Damage);

const enc = new TextEncoder();
const cat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** The damaged bytes of a record (a `junk-line` leaves the record intact and adds a line before it). */
function damage(record: string, d: Damage): { bytes: Uint8Array; intact: boolean } {
  const b = enc.encode(record);
  const pos = (x: number): number => {
    // Damage inside the record, on a character boundary.
    const cut = Math.min(record.length, Math.max(0, Math.floor(x * record.length)));
    return enc.encode(record.slice(0, cut)).length;
  };
  switch (d.kind) {
    case 'truncate':
      return { bytes: b.subarray(0, Math.max(1, pos(d.at))), intact: false };
    case 'stray':
    case 'binary': {
      const at = pos(d.at);
      const extra = d.kind === 'stray' ? enc.encode(d.bytes) : Uint8Array.from(d.bytes);
      return { bytes: cat([b.subarray(0, at), extra, b.subarray(at)]), intact: false };
    }
    case 'open-brace': {
      const at = pos(d.at);
      return { bytes: cat([b.subarray(0, at), enc.encode('{'), b.subarray(at)]), intact: false };
    }
    case 'drop-close':
      return { bytes: b.subarray(0, b.length - 1), intact: false };
    case 'junk-line':
      return { bytes: b, intact: true };
  }
}

interface Layout {
  bytes: Uint8Array;
  /** Per record: its first and last line, whether it is intact, and its event when it is. */
  records: { first: number; last: number; intact: boolean; event: unknown }[];
  /** Lines that hold only inserted junk (not part of any record). */
  junk: { first: number; last: number }[];
}

const countLines = (b: Uint8Array): number => b.reduce((n, x) => n + (x === 0x0a ? 1 : 0), 0);

function layOut(events: Ev[], shape: Shape, damages: (Damage | null)[]): Layout {
  const parts: Uint8Array[] = [];
  const records: Layout['records'] = [];
  const junk: Layout['junk'] = [];
  let line = 1;
  const add = (b: Uint8Array): void => {
    parts.push(b);
    line += countLines(b);
  };
  const array = shape === 'array-pretty' || shape === 'array-lines';
  if (array) add(enc.encode('[\n'));
  events.forEach((ev, i) => {
    const d = damages[i];
    const text = recordText(ev, shape);
    if (d?.kind === 'junk-line') {
      const start = line;
      add(enc.encode(`${d.bytes}\n`));
      junk.push({ first: start, last: start });
    }
    if (array) add(enc.encode(shape === 'array-pretty' ? '  ' : ''));
    const { bytes, intact } = d ? damage(text, d) : { bytes: enc.encode(text), intact: true };
    const first = line;
    add(bytes);
    records.push({ first, last: line, intact, event: intact ? JSON.parse(text) : null });
    if (array) add(enc.encode(i < events.length - 1 ? ',\n' : '\n'));
    else add(enc.encode('\n'));
  });
  if (array) add(enc.encode(']\n'));
  return { bytes: cat(parts), records, junk };
}

// ---- running the engines ----

interface Outcome {
  /** Per event: its line and the rules it hit. */
  events: { line: number; rules: number[] }[];
  notes: { line: number; endLine: number }[];
}

/** The VM's bytes path, the input pushed in chunks of the given sizes (repeated). */
function scanVm(bytes: Uint8Array, chunkSizes: number[]): Outcome {
  const session = matcher.scanner();
  const hits = [];
  const notes = [];
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const n = Math.max(1, chunkSizes[k++ % chunkSizes.length]);
    const batch = session.push(bytes.slice(at, at + n));
    hits.push(...batch.hits);
    notes.push(...batch.notes);
    at += n;
  }
  const last = session.end();
  hits.push(...last.hits);
  notes.push(...last.notes);
  return outcome(hits, notes);
}

/** The reference reader (text chunks) and the objects path. */
function scanReference(bytes: Uint8Array, chunkSizes: number[]): Outcome {
  const reader = new JsonEventReader();
  const dec = new TextDecoder();
  const records: EventRecord[] = [];
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const n = Math.max(1, chunkSizes[k++ % chunkSizes.length]);
    records.push(...reader.push(dec.decode(bytes.subarray(at, at + n), { stream: true })));
    at += n;
  }
  records.push(...reader.push(dec.decode()));
  records.push(...reader.end());
  const hits = matcher.match(records.map((r) => r.event)).map((h) => ({ ...h, line: records[h.event].line }));
  return outcome(hits, reader.errors);
}

function outcome(hits: { event: number; rule: number; line?: number }[], notes: { line: number; endLine: number }[]): Outcome {
  const byEvent = new Map<number, { line: number; rules: number[] }>();
  for (const h of hits) {
    let e = byEvent.get(h.event);
    if (!e) byEvent.set(h.event, (e = { line: h.line ?? 0, rules: [] }));
    e.rules.push(h.rule);
  }
  return { events: [...byEvent.values()], notes: notes.map((n) => ({ line: n.line, endLine: n.endLine })) };
}

/** The invariant, for one engine's outcome. */
function checkInvariant(layout: Layout, got: Outcome): void {
  const eventsByLine = new Map<number, number[]>();
  for (const e of got.events) {
    expect(e.rules, `every event hits the catch-all rule (line ${e.line})`).toContain(ANY_EVENT_RULE);
    eventsByLine.set(e.line, e.rules);
  }
  const covered = (first: number, last: number): boolean => got.notes.some((n) => n.line <= last && n.endLine >= first);
  for (const r of layout.records) {
    if (r.intact) {
      const alone = reference.match(r.event).map((m) => m.index);
      expect(eventsByLine.get(r.first), `the intact record at line ${r.first} is an event with its own hits`).toEqual(alone);
      expect(got.notes.filter((n) => n.line > r.first && n.endLine < r.last), `nothing reported inside the intact record at ${r.first}-${r.last}`).toEqual([]);
    } else {
      const eventInside = [...eventsByLine.keys()].some((l) => l >= r.first && l <= r.last);
      expect(eventInside || covered(r.first, r.last), `the damaged record at lines ${r.first}-${r.last} is accounted for`).toBe(true);
    }
  }
  for (const j of layout.junk) expect(covered(j.first, j.last), `the junk line ${j.first} is reported`).toBe(true);
  const starts = new Set(layout.records.map((r) => r.first));
  for (const l of eventsByLine.keys()) {
    const inDamaged = layout.records.some((r) => !r.intact && l >= r.first && l <= r.last);
    expect(starts.has(l) || inDamaged, `an event starts at line ${l}, where a record starts`).toBe(true);
  }
}

const caseArb = fc
  .record({
    shape: fc.constantFrom(...SHAPES),
    count: fc.integer({ min: 1, max: 8 }),
    chunks: fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 4 }),
  })
  .chain(({ shape, count, chunks }) =>
    fc.record({
      shape: fc.constant(shape),
      chunks: fc.constant(chunks),
      events: fc.tuple(...Array.from({ length: count }, (_, i) => eventArb(i))),
      // First and last records are damaged often: the cases the issue names.
      damages: fc.array(fc.option(damageArb, { freq: 2 }), { minLength: count, maxLength: count }),
      damageFirst: fc.boolean(),
      damageLast: fc.boolean(),
      firstDamage: damageArb,
      lastDamage: damageArb,
    }),
  )
  .map((c) => {
    const damages = [...c.damages];
    if (c.damageFirst) damages[0] = c.firstDamage;
    if (c.damageLast) damages[damages.length - 1] = c.lastDamage;
    return { shape: c.shape, chunks: c.chunks, layout: layOut(c.events, c.shape, damages) };
  });

describe('framing invariant: damage stays local', () => {
  test('VM and reference: intact records survive with their hits, damage is reported, in any chunking', () => {
    fc.assert(
      fc.property(caseArb, ({ layout, chunks }) => {
        const vm = scanVm(layout.bytes, chunks);
        const ref = scanReference(layout.bytes, chunks);
        checkInvariant(layout, vm);
        checkInvariant(layout, ref);
        expect(vm).toEqual(ref);
      }),
      { numRuns: 400, ...(process.env.RECOVERY_SEED ? { seed: Number(process.env.RECOVERY_SEED) } : {}) },
    );
  });

  test('the issue: a broken first line before 20,000 NDJSON lines costs that line only', () => {
    const lines = ['{"bad json', ...Array.from({ length: 20000 }, (_, i) => JSON.stringify({ Id: `rec-${i}`, CommandLine: i % 100 === 0 ? 'x -enc y' : 'ok' }))];
    const bytes = enc.encode(lines.join('\n') + '\n');
    for (const chunks of [[1 << 20], [65536], [4093]]) {
      const vm = scanVm(bytes, chunks);
      expect(vm.events).toHaveLength(20000);
      expect(vm.notes).toEqual([{ line: 1, endLine: 1 }]);
      expect(vm.events.filter((e) => e.rules.includes(0))).toHaveLength(200);
    }
    const ref = scanReference(bytes, [1 << 20]);
    expect(ref.events).toHaveLength(20000);
    expect(ref.notes).toEqual([{ line: 1, endLine: 1 }]);
  });

  test('an unbalanced first record, pretty-printed records, and a truncated tail', () => {
    const pretty = (i: number): string => JSON.stringify({ Id: `rec-${i}`, CommandLine: 'a' }, null, 2);
    const text = `{"Id": "rec-x", "CommandLine": [1,\n${pretty(1)}\n${pretty(2).slice(0, 20)}\n${pretty(3)}\n${pretty(4).slice(0, 25)}`;
    const vm = scanVm(enc.encode(text), [7]);
    expect(vm.events.map((e) => e.line)).toEqual([2, 9]);
    expect(vm.notes).toEqual([
      { line: 1, endLine: 1 },
      { line: 6, endLine: 8 },
      { line: 13, endLine: 15 },
    ]);
    expect(scanReference(enc.encode(text), [7])).toEqual(vm);
  });
});
