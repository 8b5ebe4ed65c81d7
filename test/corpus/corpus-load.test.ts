/**
 * Every file under ../shared/sigma loads; the only errors are rules that the specification rejects or that need
 * placeholder values, each with the right code.
 */
import { describe, expect, test } from 'vitest';
import { loadRules } from '../../src/rule/files.js';
import { CORPUS_PATHS, corpusAvailable } from '../support/corpus.js';

describe.runIf(corpusAvailable())('SigmaHQ corpus', () => {
  test('loads, with only placeholder and aggregation errors', () => {
    const set = loadRules(CORPUS_PATHS);
    const byCode: Record<string, number> = {};
    for (const e of set.errors) byCode[e.code] = (byCode[e.code] ?? 0) + 1;
    const rejectedFiles = new Set(set.errors.map((e) => e.file));
    console.log(`corpus: ${set.files} files, ${set.documents} documents, ${set.rules.length} rules, ${set.errors.length} errors in ${rejectedFiles.size} files`, byCode);
    expect(set.files).toBeGreaterThan(3900);
    expect(set.files).toBe(set.documents);
    // Every document is a rule except the rejected ones.
    expect(set.rules.length + rejectedFiles.size).toBe(set.files);
    expect(Object.keys(byCode).sort()).toEqual(['UNRESOLVED_PLACEHOLDER', 'UNSUPPORTED_AGGREGATION']);
    for (const e of set.errors) {
      expect(e.file, e.format()).toBeDefined();
      expect(e.line, e.format()).toBeGreaterThan(0);
      if (e.code === 'UNRESOLVED_PLACEHOLDER') expect(e.message).toMatch(/placeholders? %[^%]+%/);
      // The one Sigma 1 aggregation rule (deprecated/other/generic_brute_force.yml): timeframe and `| count()`.
      if (e.code === 'UNSUPPORTED_AGGREGATION') expect(e.file).toMatch(/generic_brute_force\.yml$/);
    }
    // Placeholder rules load once their values are given.
    const placeholders = new Set(set.errors.filter((e) => e.code === 'UNRESOLVED_PLACEHOLDER').flatMap((e) => [...e.message.matchAll(/%([^%\s]+)%/g)].map((m) => m[1])));
    const withValues = loadRules(CORPUS_PATHS, { placeholders: Object.fromEntries([...placeholders].map((p) => [p, [`value-of-${p}`]])) });
    expect(withValues.errors.map((e) => e.code)).toEqual(['UNSUPPORTED_AGGREGATION', 'UNSUPPORTED_AGGREGATION']);
  });
});
