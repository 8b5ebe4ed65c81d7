/**
 * The correlation conformance table (test/conformance/correlations) run on every engine, and checked for shape.
 */
import { describe, expect, test } from 'vitest';
import { correlationGroups } from './correlations/cases/index.js';
import { correlationEngines } from './correlations/engines.js';
import type { CorrelationCase } from './correlations/types.js';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function expectedHits(c: CorrelationCase): { base: Record<string, number[]>; alerts: unknown[] } {
  return {
    base: c.reported ?? {},
    alerts: c.alerts.map((a) => ({
      title: a.title,
      event: a.event,
      ...(a.value !== undefined ? { value: a.value } : {}),
      ...(a.group !== undefined ? { group: a.group } : {}),
      ...(a.events !== undefined ? { events: a.events } : {}),
    })),
  };
}

describe('correlation table', () => {
  test('has unique groups and kebab-case case names, each with a spec reference', () => {
    const groups = correlationGroups.map((g) => g.group);
    expect(new Set(groups).size).toBe(groups.length);
    for (const g of correlationGroups) {
      const names = g.cases.map((c) => c.name);
      expect(new Set(names).size, g.group).toBe(names.length);
      for (const c of g.cases) {
        expect(c.name, c.name).toMatch(KEBAB);
        expect(c.spec, c.name).toBeTruthy();
        for (const a of c.alerts) expect(a.event >= 0 && a.event < c.events.length, `${c.name}: alert event in range`).toBe(true);
      }
    }
    expect(correlationGroups.flatMap((g) => g.cases).length).toBeGreaterThanOrEqual(60);
  });
});

for (const group of correlationGroups) {
  describe(group.group, () => {
    for (const c of group.cases) {
      test(c.name, async () => {
        const expected = expectedHits(c);
        for (const engine of correlationEngines) {
          const result = await engine.run(c.rules, c.events, c.options ?? {});
          const codes = result.errors.map((e) => e.code);
          if (c.error) expect(codes, `${engine.name}: errors`).toContain(c.error);
          else expect(result.errors.map((e) => e.format()), `${engine.name}: errors`).toEqual([]);
          const base: Record<string, number[]> = {};
          for (const h of result.hits) if (!h.alert) (base[h.title] ??= []).push(h.event);
          expect(base, `${engine.name}: reported base hits`).toEqual(expected.base);
          const alerts = result.hits
            .filter((h) => h.alert)
            .map((h, i) => {
              const want = c.alerts[i];
              return {
                title: h.title,
                event: h.event,
                ...(want?.value !== undefined ? { value: h.alert!.value } : {}),
                ...(want?.group !== undefined ? { group: h.alert!.group } : {}),
                ...(want?.events !== undefined ? { events: h.alert!.events?.map((r) => r.event) } : {}),
              };
            });
          expect(alerts, `${engine.name}: alerts`).toEqual(expected.alerts);
          if (c.stats) expect(result.stats, `${engine.name}: stats`).toMatchObject(c.stats);
        }
      });
    }
  });
}
