/**
 * Turning whatever the caller has into a `WebAssembly.Module`, in any runtime: a Module is used as it is (never
 * recompiled: Cloudflare Workers refuse to compile bytes and hand out the Module from `import wasm from '...wasm'`),
 * a `Response` is compiled while it streams when the server says `application/wasm`, a URL is fetched, bytes are
 * compiled. Nothing here needs Node.
 */
import { VmError } from './host.js';

/** What `MatcherOptions.wasm` and `loadWasmModule` accept: the module, its bytes, a `Response`, a URL, or a promise of one. */
export type WasmSource = WasmSourceValue | PromiseLike<WasmSourceValue>;
type WasmSourceValue = WebAssembly.Module | BufferSource | Response | URL | string;

const WORKERS_HINT = "where code generation from bytes is disallowed (Cloudflare Workers), pass the imported module: import wasm from 'sigma-match/sigmatch.wasm'";

function isModule(x: unknown): x is WebAssembly.Module {
  return x instanceof WebAssembly.Module || Object.prototype.toString.call(x) === '[object WebAssembly.Module]';
}

function isBufferSource(x: unknown): x is BufferSource {
  if (ArrayBuffer.isView(x) || x instanceof ArrayBuffer) return true;
  const tag = Object.prototype.toString.call(x);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
}

function isResponse(x: unknown): x is Response {
  return typeof x === 'object' && x !== null && typeof (x as Response).arrayBuffer === 'function' && 'headers' in x && 'status' in x;
}

async function compileBytes(bytes: BufferSource): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    throw new VmError(`could not compile the sigmatch WASM module: ${(e as Error).message}; ${WORKERS_HINT}`);
  }
}

async function compileResponse(response: Response): Promise<WebAssembly.Module> {
  if (!response.ok) throw new VmError(`could not load the sigmatch WASM module: HTTP ${response.status} ${response.statusText} from ${response.url || 'the response'}`);
  const type = response.headers.get('content-type') ?? '';
  // compileStreaming insists on application/wasm; anything else (file servers often send octet-stream) is read whole.
  if (typeof WebAssembly.compileStreaming === 'function' && type.split(';')[0].trim().toLowerCase() === 'application/wasm') {
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (e) {
      throw new VmError(`could not compile the sigmatch WASM module from ${response.url || 'the response'}: ${(e as Error).message}; ${WORKERS_HINT}`);
    }
  }
  return compileBytes(await response.arrayBuffer());
}

/**
 * The VM module from a `WebAssembly.Module` (returned as is), bytes, a `Response`, a URL (fetched) or a promise of
 * any of these. Compile once and pass the Module to every `Matcher.create` to avoid compiling per matcher.
 */
export async function loadWasmModule(source: WasmSource): Promise<WebAssembly.Module> {
  const value = await source;
  if (isModule(value)) return value;
  if (isBufferSource(value)) return compileBytes(value);
  if (isResponse(value)) return compileResponse(value);
  if (typeof value === 'string' || (value as unknown) instanceof URL) {
    let response: Response;
    try {
      response = await fetch(value);
    } catch (e) {
      throw new VmError(`could not fetch the sigmatch WASM module from ${String(value)}: ${(e as Error).message}`);
    }
    return compileResponse(response);
  }
  throw new VmError('options.wasm must be a WebAssembly.Module, its bytes, a Response, a URL, or a promise of one');
}
