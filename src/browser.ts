/**
 * sigmatch for browsers and Cloudflare Workers (the package's `browser` and `workerd` export conditions, and
 * `sigma-match/browser`): everything in core.ts, nothing that needs Node (no `node:` imports, `Buffer` or `process`
 * anywhere in this module's import graph; test/runtimes/import-graph.test.ts walks it).
 *
 * There is no default WASM module here: give it to `Matcher.create(rules, { wasm })` as
 * - in a Worker: the module import, `import wasm from 'sigma-match/sigmatch.wasm'` (a `WebAssembly.Module`, which is
 *   instantiated and never recompiled: workerd refuses to compile bytes);
 * - in a browser: a URL to fetch, a `Response` (compiled while streaming when served as `application/wasm`), the
 *   bytes, or a `WebAssembly.Module`; `loadWasmModule` compiles once for several matchers.
 */
export * from './core.js';
export { loadWasmModule, type WasmSource } from './runtime/wasm-module.js';
