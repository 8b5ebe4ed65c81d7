import { test } from 'vitest';
import { compileRegex, regexSearch } from '../../src/regex/index.js';
test('prof', () => {
  for (const p of ['.{1000,}', '(.){200,}', '(.*a){20}', '(a*)*b', 'foo\\d+bar']) {
    const c = compileRegex(p);
    const s = 'a'.repeat(100_000);
    regexSearch(c.program, s.slice(0, 2000));
    const t0 = performance.now(); const r = regexSearch(c.program, p === '.{1000,}' ? s.replace(/a{999}/g, m => m + '\n') : s); const t1 = performance.now();
    console.log(p, r, (t1 - t0).toFixed(1), 'ms', c.program.instructionCount);
  }
});
