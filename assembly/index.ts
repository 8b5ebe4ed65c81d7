// The sigmatch VM: exports for the host (src/runtime). Every export takes the context block pointer.
import { storeSlotCount } from './store/values';

/** Version of the program format this VM executes; the host refuses programs of another version. */
export const VM_VERSION: u32 = 1;

export function vmVersion(): u32 {
  return VM_VERSION;
}

export function vmSlotCount(): u32 {
  return storeSlotCount();
}
