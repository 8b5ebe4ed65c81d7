import { compileRegex, regexSearch } from './src/regex/index.ts';
const c = compileRegex('.{1000,}');
const s = 'a'.repeat(100_000).replace(/a{999}/g, m => m + '\n');
for (let i = 0; i < 2; i++) { const t0 = performance.now(); const r = regexSearch(c.program, s); console.log(r, (performance.now() - t0).toFixed(1)); }
