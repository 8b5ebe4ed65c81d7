/**
 * Node: the default WebAssembly module is this package's build/sigmatch.wasm, read and compiled when a matcher first
 * needs it. Imported for this effect by the Node entry (src/index.ts), and by the CLI and the scan workers, which
 * need nothing else of the entry (loading all of it is a tenth of a cached CLI start-up).
 */
import { readFile } from 'node:fs/promises';
import { setDefaultModuleLoader } from './matcher.js';

const WASM_URL = new URL('../../build/sigmatch.wasm', import.meta.url);

setDefaultModuleLoader(async () => WebAssembly.compile(await readFile(WASM_URL)));
