/**
 * Checks the conformance table itself (not any engine): names, shapes, index ranges, YAML well-formedness, size.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { allGroups } from './cases/index.js';
import type { ConformanceCase } from './types.js';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const GROUP = /^[a-z0-9-]+(\/[a-z0-9-]+)+$/;

function titles(c: ConformanceCase): string[] {
  const out: string[] = [];
  for (const doc of parseAllDocuments(c.rule) as ReturnType<typeof parseAllDocuments> & unknown[]) {
    const value = doc.toJS() as Record<string, unknown> | null;
    if (value && typeof value === 'object' && typeof value.title === 'string') out.push(value.title);
  }
  return out;
}

function yamlErrors(text: string): string[] {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  return list.flatMap((d) => d.errors.map((e) => e.message));
}

describe('conformance table', () => {
  const all = allGroups.flatMap((g) => g.cases.map((c) => ({ group: g.group, c })));

  it('has at least 320 cases', () => {
    expect(all.length).toBeGreaterThanOrEqual(320);
  });

  it('has unique, well-formed group names', () => {
    const names = allGroups.map((g) => g.group);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n, n).toMatch(GROUP);
  });

  for (const g of allGroups) {
    describe(g.group, () => {
      it('has unique kebab-case case names', () => {
        const names = g.cases.map((c) => c.name);
        const dupes = names.filter((n, i) => names.indexOf(n) !== i);
        expect(dupes).toEqual([]);
        for (const n of names) expect(n, n).toMatch(KEBAB);
      });

      for (const c of g.cases) {
        it(c.name, () => {
          expect(typeof c.rule).toBe('string');
          expect(c.rule.length).toBeGreaterThan(0);
          expect(c.spec, 'spec reference').toBeTruthy();

          // Either an error, or events with expected matches (an error case may also carry events and
          // matchesByRule for the other, valid rules of the same file).
          if (c.error === undefined) {
            expect(Array.isArray(c.events), 'events').toBe(true);
            expect(c.matches !== undefined || c.matchesByRule !== undefined, 'matches or matchesByRule').toBe(true);
          }
          expect(c.matches !== undefined && c.matchesByRule !== undefined, 'not both matches and matchesByRule').toBe(false);
          if (c.matches !== undefined || c.matchesByRule !== undefined) expect(Array.isArray(c.events)).toBe(true);

          const n = c.events?.length ?? 0;
          const lists = [c.matches ?? [], ...Object.values(c.matchesByRule ?? {})];
          for (const list of lists) {
            expect(new Set(list).size, 'no duplicate indices').toBe(list.length);
            for (const i of list) {
              expect(Number.isInteger(i) && i >= 0 && i < n, `index ${i} in range 0..${n - 1}`).toBe(true);
            }
            expect([...list].sort((a, b) => a - b), 'indices sorted').toEqual(list);
          }
          for (const e of c.events ?? []) expect(JSON.parse(JSON.stringify(e))).toEqual(e);
          if (c.bytesInput !== undefined) {
            const text = typeof c.bytesInput === 'string' ? c.bytesInput : new TextDecoder().decode(c.bytesInput);
            const parsed = text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
            expect(parsed, 'bytesInput reads as the events').toEqual(c.events);
          }

          const errs = yamlErrors(c.rule);
          if (c.error === 'YAML_SYNTAX') {
            expect(errs.length, 'YAML_SYNTAX case must not parse').toBeGreaterThan(0);
          } else {
            expect(errs, 'YAML parses').toEqual([]);
            if (c.matchesByRule) {
              const known = titles(c);
              for (const t of Object.keys(c.matchesByRule)) expect(known, `rule title ${t}`).toContain(t);
            }
          }
        });
      }
    });
  }
});
