/**
 * The group table's order for maxGroups: the least recently updated group is found lazily (groups.ts), and must be
 * the one a plain list in update order names, through any mix of new groups, updates, evictions and deletions.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { planCorrelations } from '../../src/correlation/index.js';
import { GroupTable } from '../../src/correlation/groups.js';
import { GroupWindow } from '../../src/correlation/window.js';
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
  condition: {gte: 2}
---
title: Other
correlation:
  type: event_count
  rules: [any]
  group-by: [g]
  timespan: 1h
  condition: {gte: 3}
`;

const set = loadRulesFromText(RULES);
const plan = planCorrelations(set.rules, set.correlations);

type Step = { op: 'update'; correlation: number; key: number } | { op: 'evict' } | { op: 'delete'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('update' as const), correlation: fc.integer({ min: 0, max: 1 }), key: fc.integer({ min: 0, max: 12 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('evict' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
);

test('the oldest group is the least recently updated, as a list in update order says', () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 20, maxLength: 300, size: 'max' }), (steps) => {
      const table = new GroupTable(plan.correlations.length);
      const model: GroupWindow[] = []; // least recently updated first
      for (const s of steps) {
        if (s.op === 'update') {
          const key = `k${s.key}`;
          let g = table.get(s.correlation, key);
          if (g) {
            table.touch(g);
            model.splice(model.indexOf(g), 1);
          } else {
            g = new GroupWindow(plan.correlations[s.correlation], key, { g: key });
            table.add(g);
          }
          model.push(g);
        } else if (s.op === 'evict') {
          const oldest = table.oldest();
          expect(oldest).toBe(model[0] ?? null);
          if (oldest) {
            table.delete(oldest);
            model.shift();
          }
        } else if (model.length > 0) {
          const g = model.splice(s.pick % model.length, 1)[0];
          table.delete(g);
        }
        expect(table.size).toBe(model.length);
      }
      expect(table.inOrder()).toEqual(model);
      expect(table.oldest()).toBe(model[0] ?? null);
    }),
    { numRuns: 300 },
  );
});

test('a group updated after the oldest were collected is no longer the oldest', () => {
  const table = new GroupTable(1);
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((k) => new GroupWindow(plan.correlations[0], k, { g: k }));
  for (const g of [a, b, c, d]) table.add(g);
  expect(table.oldest()).toBe(a);
  table.delete(a);
  table.touch(b);
  expect(table.oldest()).toBe(c);
  expect(table.inOrder()).toEqual([c, d, b]);
});
