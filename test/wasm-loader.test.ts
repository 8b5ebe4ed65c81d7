import { expect, test } from 'vitest';
import { loadTestVm } from './support/wasm.js';

test('the test build loads and memory above the heap base is usable', async () => {
  const vm = await loadTestVm();
  const { ptr, len } = vm.put('hello');
  expect(vm.readString(ptr, len)).toBe('hello');
  const big = vm.alloc(3 * 65536);
  expect(big).toBeGreaterThan(ptr);
  expect(vm.bytes().length).toBeGreaterThanOrEqual(big + 3 * 65536);
});
