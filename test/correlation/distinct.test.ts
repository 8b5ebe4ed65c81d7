/**
 * value_count's distinct counting (distinct.ts): a window's count of distinct values, by scanning while short and by
 * counts once long, against counting them afresh, through any sequence of arrivals, departures and clears; and the
 * shared table of values frees a value once no entry holds it.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { DistinctIds, ValueIds } from '../../src/correlation/distinct.js';

test('the distinct count of a window is that of the values it holds, short or long', () => {
  // A window of at most `size` entries slides over the values (some steps clear it), as a sliding window does.
  const stream = fc.record({
    size: fc.integer({ min: 1, max: 80 }),
    values: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 50, maxLength: 300, size: 'max' }),
    clearEvery: fc.integer({ min: 20, max: 1000 }),
  });
  fc.assert(
    fc.property(stream, ({ size, values, clearEvery }) => {
      const table = new ValueIds();
      const distinct = new DistinctIds();
      let ids: number[] = [];
      let head = 0;
      const check = (): void => {
        const held = ids.slice(head).map((id) => table.text(id));
        expect(distinct.distinct).toBe(new Set(held).size);
        expect(table.size).toBe(new Set(held).size);
      };
      values.forEach((v, step) => {
        if (step % clearEvery === clearEvery - 1) {
          for (let i = head; i < ids.length; i++) table.release(ids[i]);
          distinct.clear();
          ids = [];
          head = 0;
          check();
        }
        const id = table.acquire(`v${v}`);
        distinct.add(id, ids, head);
        ids.push(id);
        check();
        while (ids.length - head > size) {
          const left = ids[head++];
          distinct.remove(left, ids, head);
          table.release(left);
          check();
        }
      });
    }),
    { numRuns: 200 },
  );
});
