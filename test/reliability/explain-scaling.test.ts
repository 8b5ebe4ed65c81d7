/**
 * `explain` and rule loading in time linear in the input: a file of many documents (each document's text was found
 * by re-parsing the whole file, once per rule) and a detection of many identifiers in one condition (the yaml
 * package's duplicate-key check compares each key with every earlier one; the condition parser looked each
 * identifier up in a list; explain's stages scanned every definition for every conjunct). Each check compares the
 * time at n and 4n (test/support/scaling.ts), never an absolute time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ruleStages } from '../../src/analysis/predicates.js';
import { runExplain } from '../../src/cli/explain.js';
import { parseCondition } from '../../src/rule/condition.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { readBlockYaml } from '../../src/rule/yaml-block.js';
import { DEFAULT_YAML_LIMITS, parseYamlWithPackage } from '../../src/rule/yaml-tree.js';
import { tempFiles } from '../support/cli.js';
import { LINEAR_BOUND, measureScaling } from '../support/scaling.js';

/** A file of `n` small rules, one document each. */
export function manyDocuments(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(
      `title: rule ${i}\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n` +
        `  sel:\n    Image|endswith: '\\proc${i}.exe'\n    CommandLine|contains: 'arg${i}'\n  condition: sel\nlevel: high\n`,
    );
  }
  return docs.join('---\n');
}

/** One rule of `n` search identifiers joined by `op` in its condition. */
export function manyIdentifiers(n: number, op: 'and' | 'or'): string {
  const lines = ['title: wide condition', 'logsource:', '  product: windows', 'detection:'];
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(`  s${i}:`, `    F${i}: v${i}`);
    names.push(`s${i}`);
  }
  lines.push(`  condition: ${names.join(` ${op} `)}`);
  return `${lines.join('\n')}\n`;
}

const discard = { write: (): boolean => true };

describe('explain is linear in the documents of a file', () => {
  test('160 documents take about 4x the time of 40 (each document text found once per file)', async () => {
    const dir = tempFiles({});
    const scaling = await measureScaling({
      n: 40,
      repeat: 4,
      prepare: (n) => {
        const file = join(dir, `docs-${n}.yml`);
        writeFileSync(file, manyDocuments(n));
        return file;
      },
      work: async (file) => {
        const pages: string[] = [];
        const code = await runExplain([file, '-P', 'none'], { stdout: { write: (t: string) => pages.push(t) }, stderr: discard });
        expect(code).toBe(0);
        // Every rule's page carries its own document, not the whole file.
        expect(pages.join('').match(/^  title: rule /gm)?.length).toBe(Number(/docs-(\d+)/.exec(file)![1]));
      },
    });
    expect(scaling.ratio, JSON.stringify(scaling)).toBeLessThan(LINEAR_BOUND);
  });
});

describe('many identifiers in one condition', () => {
  const mapping = (n: number): string => Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join('\n');

  test('the yaml package reads a mapping of 4n keys in about 4x the time of n (duplicate keys found with a set)', async () => {
    const scaling = await measureScaling({
      n: 8000,
      prepare: mapping,
      work: (text) => expect(parseYamlWithPackage(text, 'f.yml', DEFAULT_YAML_LIMITS).errors).toEqual([]),
    });
    expect(scaling.ratio, JSON.stringify(scaling)).toBeLessThan(LINEAR_BOUND);
  });

  test('the block reader likewise', async () => {
    const scaling = await measureScaling({
      n: 32000,
      prepare: mapping,
      work: (text) => expect(readBlockYaml(text, 'f.yml', DEFAULT_YAML_LIMITS)?.[0].root).toMatchObject({ kind: 'map' }),
    });
    expect(scaling.ratio, JSON.stringify(scaling)).toBeLessThan(LINEAR_BOUND);
  });

  test('a condition of 4n identifiers parses in about 4x the time of n', async () => {
    const scaling = await measureScaling({
      n: 10000,
      repeat: 10,
      prepare: (n) => {
        const names = Array.from({ length: n }, (_, i) => `s${i}`);
        return { names, text: names.join(' or ') };
      },
      work: ({ names, text }) => expect(parseCondition(text, names).kind).toBe('or'),
    });
    expect(scaling.ratio, JSON.stringify(scaling)).toBeLessThan(LINEAR_BOUND);
  });

  test("explain's stages of an AND of 4n identifiers take about 4x the time of n", async () => {
    const scaling = await measureScaling({
      n: 2000,
      repeat: 6,
      prepare: (n) => loadRulesFromText(manyIdentifiers(n, 'and')).rules[0],
      work: (rule) => expect(ruleStages(rule, () => undefined).length).toBe(rule.detections.length + 1),
    });
    expect(scaling.ratio, JSON.stringify(scaling)).toBeLessThan(LINEAR_BOUND);
  });
});
