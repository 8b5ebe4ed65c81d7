/**
 * validate's lints over the SigmaHQ corpus: no lint error anywhere, and the maintained rules nearly free of warnings
 * (a real corpus must not drown in noise). What remains are true findings: YYYY/MM/DD dates and titles reused by
 * deprecated rules.
 */
import { describe, expect, test } from 'vitest';
import { loadRules } from '../../src/rule/files.js';
import { Linter, type LintFinding } from '../../src/rule/lint/index.js';
import { CORPUS_PATHS, corpusAvailable } from '../support/corpus.js';

function lintPaths(paths: string[]): { rules: number; findings: LintFinding[] } {
  const linter = new Linter();
  const set = loadRules(paths, { inspect: linter.inspect });
  return { rules: set.rules.length, findings: linter.results() };
}

function countByCode(findings: readonly LintFinding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[`${f.level} ${f.code}`] = (out[`${f.level} ${f.code}`] ?? 0) + 1;
  return out;
}

describe.runIf(corpusAvailable())('lints on the SigmaHQ corpus', () => {
  test('no lint errors in any folder; warnings only on deprecated rules (none on the maintained ones)', () => {
    const all = lintPaths(CORPUS_PATHS);
    console.log(`lints over ${all.rules} corpus rules:`, countByCode(all.findings));
    expect(all.findings.filter((f) => f.level === 'error').map((f) => `${f.file}:${f.line}: ${f.code}: ${f.message}`)).toEqual([]);
    // The deprecated folder's old rules: dates written YYYY/MM/DD, titles their replacements took over.
    for (const f of all.findings) {
      expect(f.file, `${f.code}: ${f.message}`).toMatch(/\/deprecated\//);
      expect(['LEGACY_DATE', 'DUPLICATE_TITLE']).toContain(f.code);
    }
    expect(all.rules).toBeGreaterThan(3900);
  });
});
