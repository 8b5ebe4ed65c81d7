/**
 * Bounded state on hostile streams: however large the group values, distinct values and waiting events, the
 * engine's estimated state stays within maxStateBytes (evicting the least recently updated groups and applying
 * waiting events early, counted), and the groups, entries and waiting events stay within their counts.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CorrelationEngine, eventSource, planCorrelations, type CorrelationAlert } from '../../src/correlation/index.js';
import { loadRulesFromText } from '../../src/rule/load.js';

const RULES = `title: Any
name: any
logsource: {product: test}
detection:
  selection: {k: x}
  condition: selection
---
title: Count
correlation:
  type: event_count
  rules: [any]
  group-by: [g]
  timespan: 1h
  condition: {gte: 1000000}
---
title: Distinct
correlation:
  type: value_count
  rules: [any]
  group-by: [g]
  timespan: 1h
  condition: {gte: 1000000, field: v}
`;

describe('the correlation state stays within its bounds', () => {
  const set = loadRulesFromText(RULES);
  const plan = planCorrelations(set.rules, set.correlations);
  const T0 = Date.UTC(2026, 0, 1);

  test('group values and distinct values of any size, out-of-order times within a long lateness', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ g: fc.nat(40), gSize: fc.constantFrom(1, 10, 2000), v: fc.nat(1000), vSize: fc.constantFrom(1, 3000), back: fc.nat(5000) }), { maxLength: 300 }),
        fc.record({ maxStateBytes: fc.integer({ min: 2_000, max: 200_000 }), maxGroups: fc.integer({ min: 1, max: 50 }), maxGroupEntries: fc.integer({ min: 1, max: 20 }), maxPending: fc.integer({ min: 1, max: 30 }) }),
        (stream, limits) => {
          const engine = new CorrelationEngine(plan, { ...limits, maxLateness: 10 });
          const out: CorrelationAlert[] = [];
          let groupsHeld = 0;
          stream.forEach((s, i) => {
            const event = { k: 'x', '@timestamp': new Date(T0 + i * 1000 - s.back).toISOString(), g: `${s.g}`.padEnd(s.gSize, '#'), v: `${s.v}`.padEnd(s.vSize, '.') };
            engine.observe({ event: i }, [0], eventSource(event), out);
            // One group (the one just updated) may exceed the budget on its own; nothing else may.
            const largest = Math.max(0, ...[...engine.groups.inOrder()].map((g) => g.bytes));
            expect(engine.stateBytes).toBeLessThanOrEqual(Math.max(limits.maxStateBytes, largest));
            expect(engine.groups.size).toBeLessThanOrEqual(limits.maxGroups);
            expect(engine.pending.size).toBeLessThanOrEqual(limits.maxPending);
            for (const g of engine.groups.inOrder()) expect(g.size).toBeLessThanOrEqual(limits.maxGroupEntries);
            groupsHeld = engine.groups.size;
          });
          expect(groupsHeld).toBeLessThanOrEqual(limits.maxGroups);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('a small budget evicts groups (counted) and applies waiting events early (counted)', () => {
    const engine = new CorrelationEngine(plan, { maxStateBytes: 20_000, maxLateness: 3600 });
    const out: CorrelationAlert[] = [];
    for (let i = 0; i < 200; i++) {
      engine.observe({ event: i }, [0], eventSource({ k: 'x', '@timestamp': new Date(T0 + i * 1000).toISOString(), g: `group ${i % 50}`.padEnd(100, '#'), v: `${i}` }), out);
    }
    expect(engine.stats.evictedGroups).toBeGreaterThan(0);
    expect(engine.stats.releasedEarly).toBeGreaterThan(0);
    expect(engine.stateBytes).toBeLessThanOrEqual(20_000);
  });
});
