/**
 * value_count's distinct counting (window.ts, distinct.ts): a window's count of distinct values, by scanning its ring
 * while short and by counts once long, against counting them afresh, through any sequence of arrivals, departures
 * and clears, with rings that grow and wrap; and the shared table of values frees a value once no entry holds it.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { planCorrelations } from '../../src/correlation/index.js';
import { GroupTable } from '../../src/correlation/groups.js';
import { Windows } from '../../src/correlation/window.js';
import { loadRulesFromText } from '../../src/rule/load.js';

const RULES = `title: Any
name: any
logsource: {product: test}
detection:
  selection: {k: x}
  condition: selection
---
title: Distinct
correlation:
  type: value_count
  rules: [any]
  group-by: [g]
  timespan: 1h
  condition: {gte: 2, field: v}
`;

const set = loadRulesFromText(RULES);
const plan = planCorrelations(set.rules, set.correlations);
const c = plan.correlations[0];

test('the distinct count of a window is that of the values it holds, short or long', () => {
  // Windows of at most `size` entries slide over the values (some steps clear one), as sliding windows do; two
  // groups take turns so that their rings interleave in the slab.
  const stream = fc.record({
    size: fc.integer({ min: 1, max: 80 }),
    values: fc.array(fc.record({ group: fc.integer({ min: 0, max: 1 }), v: fc.integer({ min: 0, max: 60 }) }), { minLength: 50, maxLength: 400, size: 'max' }),
    clearEvery: fc.integer({ min: 20, max: 1000 }),
  });
  fc.assert(
    fc.property(stream, ({ size, values, clearEvery }) => {
      const table = new GroupTable([c.groupBy]);
      const windows = new Windows(table, plan.correlations);
      const groups = ['a', 'b'].map((k) => table.add(0, k, [k]));
      for (const g of groups) windows.init(g, c);
      const model: string[][] = [[], []];
      const check = (): void => {
        groups.forEach((g, k) => {
          expect(windows.value(g, c)).toBe(new Set(model[k]).size);
          expect([...windows.held(g)].map((e) => e.value)).toEqual(model[k]);
        });
        expect(windows.valueIds.size).toBe(new Set(model.flat()).size);
      };
      values.forEach(({ group: k, v }, step) => {
        const g = groups[k];
        if (step % clearEvery === clearEvery - 1) {
          windows.clear(g, c);
          model[k] = [];
          check();
        }
        windows.push(g, c, step, [], `v${v}`);
        model[k].push(`v${v}`);
        check();
        while (windows.size(g) > size) {
          windows.dropOldest(g, c);
          model[k].shift();
          check();
        }
      });
    }),
    { numRuns: 200 },
  );
});
