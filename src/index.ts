/**
 * sigmatch for Node.js: rule loading from files, the reference evaluator, the compiler and the WASM matcher (its
 * module read from this package's build/sigmatch.wasm). Browsers and Workers use `sigma-match/browser`, which has no
 * file system access and takes the WASM module from the caller.
 */
import './runtime/node-wasm.js'; // the default WebAssembly module: build/sigmatch.wasm

export * from './core.js';
export { loadRules, loadRuleFile, findRuleFiles } from './rule/files.js';
export { loadPipeline, resolvePipelines } from './pipeline/resolve.js';
export { loadRulesWithPipelines, type RulesWithPipelines } from './pipeline/cli-support.js';
export { ParallelScanner, looksLikeNdjson, type ParallelOptions } from './runtime/parallel.js';
