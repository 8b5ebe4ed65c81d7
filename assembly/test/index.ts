// Test build (build/sigmatch-test.wasm): the VM's internals exported one by one, so test/ can check each mechanism
// against the TypeScript reference. Never shipped.
export * from './json';
export * from './match';

/** First byte the host may use: everything below is the module's static data. */
export function testHeapBase(): usize {
  return __heap_base;
}
export * from './evtx';
