/**
 * The conformance table (test/conformance/cases) run against every engine: each case's rule set is loaded once,
 * then every engine must produce exactly the expected matches (or the expected load error).
 */
import { describe, expect, test } from 'vitest';
import { loadRulesFromText } from '../../src/rule/load.js';
import { allGroups } from './cases/index.js';
import { engines } from './engines.js';

for (const group of allGroups) {
  describe(group.group, () => {
    for (const c of group.cases) {
      test(c.name, async () => {
        const set = loadRulesFromText(c.rule, { placeholders: c.options?.placeholders });
        if (c.error) {
          expect(set.errors.map((e) => e.code), 'load errors').toContain(c.error);
          // The bad document does not load; documents beside it still do, and must match as expected.
          const loaded = set.rules.length + set.correlations.length + set.filters.length;
          expect(loaded, 'the bad document is not loaded').toBeLessThan(Math.max(set.documents, 1));
          if (!c.matches && !c.matchesByRule) return;
        } else {
          expect(set.errors.map((e) => e.format()), 'load errors').toEqual([]);
        }
        expect(set.rules.length, 'rules loaded').toBeGreaterThan(0);
        const events = c.events ?? [];
        for (const engine of engines) {
          const perRule = await engine.run(set, events, { nullMatchesAbsent: c.options?.nullMatchesAbsent, bytesInput: c.bytesInput });
          if (c.matchesByRule) {
            const byTitle = Object.fromEntries(set.rules.map((r, i) => [r.title, perRule[i]]));
            expect(byTitle, `${engine.name}: matches by rule`).toEqual(c.matchesByRule);
          } else {
            const any = [...new Set(perRule.flat())].sort((a, b) => a - b);
            expect(any, `${engine.name}: matching events`).toEqual([...(c.matches ?? [])].sort((a, b) => a - b));
          }
        }
      });
    }
  });
}
