/**
 * A read-only array whose elements are built when read. A rule's long value list is held packed (a YAML sequence of
 * scalars as parallel arrays, a detection item's plain strings as one string array), and every consumer that does
 * not know the packed form still sees the array it always saw: `length`, indexing, iteration and every Array method
 * work, `Array.isArray` is true. Nothing is cached (an element is built at each read, so `view[0] !== view[0]`) and
 * nothing can be written (in strict mode a write throws): the packed form stays the only copy.
 */

/**
 * Lists this long or longer are held packed; shorter ones cost little as they are and stay plain arrays (which keeps
 * the common small rule exactly as it always was).
 */
export const MIN_PACKED_LENGTH = 32;

/** The packed form behind each view, for the consumers that read it directly (`packedOf`). */
const packed = new WeakMap<object, unknown>();

/** A canonical array index below `length` (property keys reach a proxy as strings), or -1. */
function indexOf(key: string | symbol, length: number): number {
  if (typeof key !== 'string' || key.length === 0 || key.length > 10) return -1;
  const first = key.charCodeAt(0);
  if (first < 0x30 || first > 0x39 || (first === 0x30 && key.length > 1)) return -1;
  let n = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n < length ? n : -1;
}

/**
 * An array of `length` elements, element i being `at(i)` built at each read; `source` is the packed form
 * `packedOf` gives back for the view.
 */
export function arrayView<T, P extends object>(length: number, at: (index: number) => T, source: P): readonly T[] {
  const view = new Proxy([] as T[], {
    get(target, key, receiver) {
      if (key === 'length') return length;
      const i = indexOf(key, length);
      return i >= 0 ? at(i) : Reflect.get(target, key, receiver);
    },
    has(target, key) {
      return indexOf(key, length) >= 0 || Reflect.has(target, key);
    },
    ownKeys(target) {
      const keys: (string | symbol)[] = [];
      for (let i = 0; i < length; i++) keys.push(String(i));
      for (const k of Reflect.ownKeys(target)) keys.push(k);
      return keys;
    },
    getOwnPropertyDescriptor(target, key) {
      if (key === 'length') return { value: length, writable: true, enumerable: false, configurable: false };
      const i = indexOf(key, length);
      if (i >= 0) return { value: at(i), writable: false, enumerable: true, configurable: true };
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
  packed.set(view, source);
  return view;
}

/** The packed form behind an array view made by `arrayView` (null for any other array), when it is of `kind`. */
export function packedOf<P>(array: readonly unknown[], kind: abstract new (...args: never[]) => P): P | null {
  const source = packed.get(array);
  return source instanceof kind ? source : null;
}
