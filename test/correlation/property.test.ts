/**
 * The correlation engine against the brute-force oracle (oracle.ts) on random streams: many groups, every
 * correlation type, chains, ties and out-of-order times, events without time or values, and random run options
 * (window mode, action, suppression, lateness). The engine is driven the way the matchers drive it: rules written
 * as Sigma YAML, hits from the reference evaluator, alerts from a CorrelationSession.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CorrelationSession, eventSource, isAlertHit, planCorrelations } from '../../src/correlation/index.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { ExactSum } from '../../src/correlation/exact-sum.js';
import { exactTotal, runOracle, type OracleEvent, type OracleOptions, type OracleSpec } from './oracle.js';

const BASE_RULES = ['a', 'b', 'c'].map(
  (tag) => `title: Rule ${tag}\nname: rule_${tag}\nlogsource: {product: test}\ndetection:\n  selection:\n    tags: ${tag}\n  condition: selection\n`,
);

const b = (op: OracleSpec['bounds'][number]['op'], value: number): OracleSpec['bounds'][number] => ({ op, value });

export const SPECS: OracleSpec[] = [
  { title: 'S0 count', name: 's0', type: 'event_count', rules: ['rule_a', 'rule_b'], groupBy: ['g'], timespanSeconds: 10, bounds: [b('gte', 3)] },
  { title: 'S1 distinct', name: 's1', type: 'value_count', rules: ['rule_a'], groupBy: ['g'], timespanSeconds: 5, bounds: [b('gte', 2)], field: 'v' },
  { title: 'S2 temporal', name: 's2', type: 'temporal', rules: ['rule_a', 'rule_b', 'rule_c'], groupBy: ['g'], timespanSeconds: 10, bounds: [] },
  { title: 'S3 ordered', name: 's3', type: 'temporal_ordered', rules: ['rule_a', 'rule_b', 'rule_c'], groupBy: ['g'], timespanSeconds: 8, bounds: [b('gte', 2)] },
  { title: 'S4 sum', name: 's4', type: 'value_sum', rules: ['rule_c'], groupBy: ['g'], timespanSeconds: 10, bounds: [b('gt', 10)], field: 'n' },
  { title: 'S5 avg', name: 's5', type: 'value_avg', rules: ['rule_b'], groupBy: ['g'], timespanSeconds: 6, bounds: [b('lt', 3)], field: 'n' },
  { title: 'S6 p75', name: 's6', type: 'value_percentile', rules: ['rule_a', 'rule_c'], groupBy: ['g'], timespanSeconds: 10, bounds: [b('gte', 5)], field: 'n', percentile: 75 },
  { title: 'S7 median', name: 's7', type: 'value_median', rules: ['rule_b'], groupBy: [], timespanSeconds: 4, bounds: [b('gt', 1), b('lte', 4)], field: 'n' },
  { title: 'S8 chain count', name: 's8', type: 'event_count', rules: ['s0'], groupBy: ['g'], timespanSeconds: 30, bounds: [b('gte', 2)] },
  { title: 'S9 neq', name: 's9', type: 'event_count', rules: ['rule_c'], groupBy: [], timespanSeconds: 3, bounds: [b('neq', 2)] },
  { title: 'S10 chain temporal', name: 's10', type: 'temporal', rules: ['s0', 'rule_c'], groupBy: ['g'], timespanSeconds: 20, bounds: [] },
  { title: 'S11 exact sum', name: 's11', type: 'value_sum', rules: ['rule_a'], groupBy: ['g'], timespanSeconds: 7, bounds: [b('eq', 0.6)], field: 'n' },
];

function specYaml(s: OracleSpec): string {
  const condition =
    s.bounds.length === 0 && !s.field
      ? ''
      : `  condition: {${[...s.bounds.map((x) => `${x.op}: ${x.value}`), ...(s.field ? [`field: ${s.field}`] : []), ...(s.percentile !== undefined ? [`percentile: ${s.percentile}`] : [])].join(', ')}}\n`;
  return (
    `title: ${s.title}\nname: ${s.name}\ncorrelation:\n  type: ${s.type}\n  rules: [${s.rules.join(', ')}]\n` +
    (s.groupBy.length > 0 ? `  group-by: [${s.groupBy.join(', ')}]\n` : '') +
    `  timespan: ${s.timespanSeconds}s\n${condition}` +
    // Every alert is reported, so the oracle's list (every correlation's alerts) compares in full.
    '  generate: true\n'
  );
}

const T0 = Date.UTC(2026, 0, 1);

interface Generated {
  groups: number;
  steps: { dt: number; back: number; timeless: boolean; group: number; tags: string[]; v: string | null; n: unknown }[];
}

const generatedStream = fc.record({
  groups: fc.integer({ min: 1, max: 25 }),
  steps: fc.array(
    fc.record({
      // Whole seconds often, so events land exactly on window edges, gaps and bucket starts.
      dt: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0, 500, 1000, 2000, 3000) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 2000 }) }),
      back: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(1000, 2000, 6000), fc.integer({ min: 1, max: 8000 })) }),
      timeless: fc.oneof({ weight: 19, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      group: fc.integer({ min: -2, max: 24 }),
      tags: fc.subarray(['a', 'b', 'c']),
      v: fc.constantFrom('x', 'y', 'z', null),
      n: fc.constantFrom(-2, 0, 1, 2, 3, 5, 9, 0.1, 0.2, 0.3, 2.5, '4', 'junk', null),
    }),
    { maxLength: 250 },
  ),
});

const generatedOptions = fc.record({
  window: fc.constantFrom<OracleOptions['window']>('sliding', 'sliding', 'tumbling', 'session'),
  gapSeconds: fc.constantFrom(2, 5),
  action: fc.constantFrom<OracleOptions['action']>('alert', 'alert', 'reset'),
  suppressSeconds: fc.constantFrom(0, 0, 3),
  latenessSeconds: fc.constantFrom(0, 0, 2, 6),
});

function materialise(g: Generated): { oracle: OracleEvent[]; json: Record<string, unknown>[] } {
  let clock = T0;
  const oracle: OracleEvent[] = [];
  const json: Record<string, unknown>[] = [];
  for (const s of g.steps) {
    clock += s.dt;
    const time = clock - s.back;
    const group = s.group < 0 ? undefined : `g${s.group % g.groups}`;
    const e: Record<string, unknown> = { tags: s.tags };
    if (!s.timeless) e['@timestamp'] = new Date(time).toISOString();
    if (group !== undefined) e.g = group;
    if (s.v !== null) e.v = s.v;
    if (s.n !== null) e.n = s.n;
    json.push(e);
    oracle.push({ time: s.timeless ? null : time, ...(group !== undefined ? { g: group } : {}), rules: s.tags.map((t) => `rule_${t}`).sort(), ...(s.v !== null ? { v: s.v } : {}), ...(s.n !== null ? { n: s.n } : {}) });
  }
  return { oracle, json };
}

const canonical = (alerts: { title: string; event: number; group: Record<string, unknown>; value: number }[]): string[] =>
  alerts.map((a) => JSON.stringify([a.event, a.title, a.group, a.value])).sort();

describe('correlation engine vs brute-force oracle', () => {
  const set = loadRulesFromText([...BASE_RULES, ...SPECS.map(specYaml)].join('---\n'));
  const plan = planCorrelations(set.rules, set.correlations);
  const evaluator = new ReferenceEvaluator(set.rules);
  const titles = [...set.rules.map((r) => r.title), ...plan.correlations.map((c) => c.source.title)];

  test('the rule set loads and plans', () => {
    expect([...set.errors, ...plan.errors].map((e) => e.format())).toEqual([]);
    expect(plan.correlations.length).toBe(SPECS.length);
  });

  test('random streams of many groups', () => {
    fc.assert(
      fc.property(generatedStream, generatedOptions, (stream, options) => {
        const { oracle, json } = materialise(stream);
        const expected = runOracle(SPECS, oracle, options);
        const session = new CorrelationSession(plan, set.rules.length, {
          window: options.window,
          gap: options.gapSeconds,
          action: options.action,
          suppress: options.suppressSeconds,
          maxLateness: options.latenessSeconds,
          emitBaseHits: true,
        });
        const hits = json.flatMap((e, i) => evaluator.match(e).map((m) => ({ event: i, rule: m.index })));
        const out = [...session.process(hits, (h) => eventSource(json[h.event])), ...session.flush()];
        const alerts = out.flatMap((h) => (isAlertHit(h) ? [{ title: titles[h.rule], event: h.event, group: h.correlation.group, value: h.correlation.value }] : []));
        expect(canonical(alerts)).toEqual(canonical(expected.alerts));
        expect(session.stats).toMatchObject(expected.stats);
      }),
      { numRuns: 300 },
    );
  });
});

describe('exact sums', () => {
  test('a sum values come into and leave (first in, first out) equals the exact sum of what it holds', () => {
    const value = fc.oneof(fc.constantFrom(0.1, 0.2, 0.3, 1e16, -1e16, 1, 2.5, -0.7, 1e-3), fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.boolean()), { maxLength: 200 }), (steps) => {
        const sum = new ExactSum();
        const held: number[] = [];
        for (const [v, leave] of steps) {
          sum.add(v);
          held.push(v);
          if (leave) sum.subtract(held.shift()!);
          expect(sum.value()).toBe(exactTotal(held));
        }
      }),
      { numRuns: 300 },
    );
  });
});
