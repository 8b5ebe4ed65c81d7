/**
 * Correlation state carried between matchers: a stream split anywhere (inside windows, with events waiting within
 * the lateness) and continued by a fresh matcher from snapshot() gives the alerts of the whole stream, on the objects
 * and bytes paths; and restore() refuses anything that is not a whole state of the same correlations, leaving the
 * state it had.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import '../../src/index.js';
import { fnv1a } from '../../src/compiler/field-trie.js';
import { SnapshotError, SNAPSHOT_VERSION, type SessionOptions } from '../../src/correlation/index.js';
import { Matcher, type Hit } from '../../src/runtime/matcher.js';

const RULES = `title: Failed logon
name: failed_logon
logsource: {product: windows}
detection:
  selection: {EventID: 4625}
  condition: selection
---
title: Success
name: success
logsource: {product: windows}
detection:
  selection: {EventID: 4624}
  condition: selection
---
title: Brute force
name: brute_force
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 10s
  condition: {gte: 3}
  generate: true
---
title: Spraying
correlation:
  type: value_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 20s
  condition: {gte: 2, field: TargetUserName}
---
title: Brute force then success
correlation:
  type: temporal_ordered
  rules: [brute_force, success]
  group-by: [IpAddress]
  timespan: 30s
`;

const T0 = Date.UTC(2026, 10, 28, 7, 0, 0);

/** A deterministic stream: three addresses, failures and successes, times mostly rising with some out of order. */
function stream(n: number): Record<string, unknown>[] {
  let state = 7;
  const next = (m: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % m;
  };
  let t = T0;
  return Array.from({ length: n }, () => {
    t += next(3) * 1000;
    const late = next(10) === 0 ? next(4) * 1000 : 0;
    return { '@timestamp': new Date(t - late).toISOString(), EventID: next(5) === 0 ? 4624 : 4625, IpAddress: `10.0.0.${next(3)}`, TargetUserName: `u${next(4)}` };
  });
}

/**
 * Hits comparable across matchers: rule hits by event (offset by the events the first matcher read) and rule; alerts
 * by what fired and when (an alert may come after a cut for an event before it, numbered in the first input).
 */
const keys = (hits: readonly Hit[], offset = 0): string[] =>
  hits.map((h) => JSON.stringify(h.correlation ? [h.rule, h.correlation.time, h.correlation.group, h.correlation.value] : [h.event + offset, h.rule]));
const ndjson = (events: readonly unknown[]): Uint8Array => new TextEncoder().encode(events.map((e) => JSON.stringify(e)).join('\n') + '\n');

/** Compiled once: every matcher of these tests instantiates it (a fresh instance and state each time). */
const wasm = new WebAssembly.Module(readFileSync(new URL('../../build/sigmatch.wasm', import.meta.url)));

async function matcher(options: SessionOptions = {}): Promise<Matcher> {
  const m = await Matcher.create(RULES, { correlation: options, wasm });
  expect(m.errors).toEqual([]);
  return m;
}

describe('snapshot and restore', () => {
  const events = stream(80);

  const settings: [SessionOptions, number][] = [
    [{}, 1],
    [{ maxLateness: 3 }, 1],
    [{ action: 'reset', suppress: 5 }, 3],
    [{ window: 'session', gap: 4 }, 3],
    [{ window: 'tumbling' }, 3],
  ];
  for (const [options, step] of settings) {
    test(`a stream split at every ${step === 1 ? '' : `${step}rd `}point continues exactly (objects path, ${JSON.stringify(options)})`, async () => {
      const whole = await matcher(options);
      const all = [...whole.match(events), ...whole.flush()];
      const expected = keys(all);
      expect(all.filter((h) => h.correlation).length, 'the stream fires correlations').toBeGreaterThan(5);
      for (let cut = 0; cut <= events.length; cut += step) {
        const first = await matcher(options);
        const before = keys(first.match(events.slice(0, cut)));
        const second = await matcher(options);
        second.restore(first.snapshot());
        const after = keys([...second.match(events.slice(cut)), ...second.flush()], cut);
        expect([...before, ...after], `cut at ${cut}`).toEqual(expected);
      }
    });
  }

  test('the bytes path: split at random byte offsets, state carried between matchers', async () => {
    const options = { maxLateness: 3 };
    const whole = await matcher(options);
    const all = whole.scanBytes(ndjson(events));
    const expected = keys([...all.hits, ...whole.flush()]);
    const bytes = ndjson(events);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length }), async (cut) => {
        // Cut at a line boundary at or after the offset: each process reads whole records.
        let at = cut;
        while (at < bytes.length && at > 0 && bytes[at - 1] !== 0x0a) at++;
        const first = await matcher(options);
        const a = first.scanBytes(bytes.subarray(0, at));
        const second = await matcher(options);
        second.restore(first.snapshot());
        const b = second.scanBytes(bytes.subarray(at));
        const got = [...keys(a.hits), ...keys([...b.hits, ...second.flush()], a.events)];
        expect(got).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  test('a snapshot restores into the same state (snapshot of the restored equals the original)', async () => {
    const first = await matcher({ maxLateness: 3, events: 'refs' });
    first.match(events.slice(0, 50));
    const saved = first.snapshot();
    const second = await matcher({ maxLateness: 3, events: 'refs' });
    second.restore(saved);
    expect(second.snapshot()).toEqual(saved);
  });
});

/** Replace a snapshot's body (JSON) and reseal it with a valid checksum: what a careless tool could write. */
function reseal(snapshot: Uint8Array, edit: (body: any) => unknown): Uint8Array {
  const body = JSON.parse(new TextDecoder().decode(snapshot.subarray(12)));
  const json = new TextEncoder().encode(JSON.stringify(edit(body)));
  const out = new Uint8Array(12 + json.length);
  out.set(snapshot.subarray(0, 12));
  new DataView(out.buffer).setUint32(8, fnv1a(json), true);
  out.set(json, 12);
  return out;
}

describe('restore refuses what does not fit', () => {
  const events = stream(40);

  async function saved(): Promise<Uint8Array> {
    const m = await matcher();
    m.match(events);
    return m.snapshot();
  }

  async function refusal(bytes: Uint8Array, options: SessionOptions = {}): Promise<string> {
    const m = await matcher(options);
    m.match(events.slice(0, 10));
    const before = m.snapshot();
    let code = 'none';
    try {
      m.restore(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(SnapshotError);
      code = (e as SnapshotError).code;
    }
    expect(m.snapshot(), 'the state is left as it was').toEqual(before);
    return code;
  }

  test('foreign bytes, another version, damaged bytes', async () => {
    const good = await saved();
    expect(await refusal(new Uint8Array([1, 2, 3]))).toBe('NOT_A_SNAPSHOT');
    expect(await refusal(new TextEncoder().encode('{"fingerprint": "x"}'))).toBe('NOT_A_SNAPSHOT');
    const newer = good.slice();
    new DataView(newer.buffer).setUint32(4, SNAPSHOT_VERSION + 1, true);
    expect(await refusal(newer)).toBe('VERSION');
    for (const at of [12, 40, good.length - 1]) {
      const flipped = good.slice();
      flipped[at] ^= 0x20;
      expect(await refusal(flipped)).toBe('CORRUPT');
    }
    expect(await refusal(good.subarray(0, good.length - 5))).toBe('CORRUPT');
  });

  test('another rule set, or more state than the bounds allow', async () => {
    const good = await saved();
    const other = await Matcher.create(RULES.replace('timespan: 20s', 'timespan: 21s'));
    expect(() => other.restore(good)).toThrow(/saved for other correlation rules/);
    expect(await refusal(good, { maxGroups: 2 })).toBe('TOO_LARGE');
    expect(await refusal(good, { maxGroupEntries: 1 })).toBe('TOO_LARGE');
  });

  test('well-sealed bodies of the wrong shape are refused, field by field', async () => {
    const good = await saved();
    const edits: [string, (b: any) => unknown][] = [
      ['body not an object', () => [1, 2]],
      ['groups missing', (b) => ({ ...b, groups: undefined })],
      ['a group of the wrong arity', (b) => ({ ...b, groups: [[0, 'k']] })],
      ['a correlation index out of range', (b) => ({ ...b, groups: b.groups.map((g: any[]) => [99, ...g.slice(1)]) })],
      ['a group value of the wrong type', (b) => ({ ...b, groups: b.groups.map((g: any[]) => [g[0], g[1], { IpAddress: 5 }, ...g.slice(3)]) })],
      ['a group without its field', (b) => ({ ...b, groups: b.groups.map((g: any[]) => [g[0], g[1], {}, ...g.slice(3)]) })],
      ['entries out of time order', (b) => ({ ...b, groups: b.groups.map((g: any[]) => [...g.slice(0, 5), [...g[5]].reverse().concat(g[5])]) })],
      ['a position out of range', (b) => ({ ...b, groups: b.groups.map((g: any[]) => [...g.slice(0, 5), g[5].map((e: any[]) => [e[0], [7], e[2]])]) })],
      ['a value where none belongs', (b) => ({ ...b, groups: b.groups.map((g: any[]) => (g[0] === 0 ? [...g.slice(0, 5), g[5].map((e: any[]) => [e[0], e[1], 'x'])] : g)) })],
      ['a time that is not a whole number', (b) => ({ ...b, maxSeen: 1.5 })],
      ['a pending event of the wrong shape', (b) => ({ ...b, pending: [[1, 2]] })],
      ['a duplicated group', (b) => ({ ...b, groups: [...b.groups, b.groups[0]] })],
      ['a bad event reference', (b) => ({ ...b, pending: [[T0, 1, { event: 'x' }, []]] })],
    ];
    for (const [what, edit] of edits) expect(await refusal(reseal(good, edit)), what).toBe('CORRUPT');
  });

  test('random damage never crashes the host: a SnapshotError or (only for harmless edits) success', async () => {
    const good = await saved();
    const m = await matcher();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), (flips) => {
        const bytes = good.slice();
        for (const [at, x] of flips) bytes[at] ^= x;
        try {
          m.restore(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(SnapshotError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
