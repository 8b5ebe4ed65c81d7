/**
 * A rule's logic (a SigmaRule with its pipelines and filters applied) as JSON text and back, for the compile cache's
 * logic file (compile-cache.ts): a rule rebuilt once for the HTML report's rule page is kept, so later cached
 * start-ups give its page without parsing its YAML again or the built-in pipelines.
 *
 * The encoding is of the object graph, not of the rule model's types: plain objects, arrays, typed arrays, Maps, Sets,
 * every number (NaN, infinities, -0), undefined, objects frozen or shared (one object reached twice comes back as
 * one), and instances of the classes named in CLASSES (their own properties on their prototype). Anything else (a
 * function, a symbol, an accessor, an instance of an unnamed class) makes `encodeLogic` give null: that rule is then
 * rebuilt from its file as before, so a change of the rule model costs speed, never correctness. A class added to
 * CLASSES must keep its state in own enumerable properties (no #private fields, which no copy can carry).
 */
import { SigmaString } from '../rule/sigma-string.js';
import type { SigmaRule } from '../rule/model.js';

/** Classes whose instances the graph may hold, by a stable name. */
const CLASSES: Readonly<Record<string, { prototype: object }>> = { SigmaString };
const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

/** Tags of the encoded nodes: the first element of an encoded array. */
const ARRAY = 'a';
const OBJECT = 'o';
const MAP = 'm';
const SET = 's';
const TYPED = 't';
const NUMBER = 'n';
const UNDEFINED = 'u';
const SEEN = 'r';

class NotEncodable extends Error {}

function plainData(v: object): void {
  if (Object.getOwnPropertySymbols(v).length > 0) throw new NotEncodable();
  const names = Object.getOwnPropertyNames(v);
  for (const name of names) {
    const d = Object.getOwnPropertyDescriptor(v, name)!;
    if (!('value' in d) || (!d.enumerable && !(Array.isArray(v) && name === 'length'))) throw new NotEncodable();
  }
}

/** The rule as JSON text, or null when its graph holds something the encoding does not carry. */
export function encodeLogic(rule: SigmaRule): string | null {
  const ids = new Map<object, number>();
  const classNames = new Map<object, string>(Object.entries(CLASSES).map(([name, c]) => [c.prototype, name]));
  const encode = (v: unknown): unknown => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        return Number.isFinite(v) && !Object.is(v, -0) ? v : [NUMBER, Object.is(v, -0) ? '-0' : String(v)];
      case 'undefined':
        return [UNDEFINED];
      case 'object':
        break;
      default:
        throw new NotEncodable();
    }
    if (v === null) return null;
    const known = ids.get(v);
    if (known !== undefined) return [SEEN, known];
    ids.set(v, ids.size);
    const frozen = Object.isFrozen(v) ? 1 : 0;
    if (ArrayBuffer.isView(v)) {
      const name = v.constructor.name as TypedArrayName;
      if (TYPED_ARRAYS[name] !== v.constructor) throw new NotEncodable();
      return [TYPED, name, Array.from(v as unknown as ArrayLike<number>, (n) => encode(n))];
    }
    if (Array.isArray(v)) {
      plainData(v);
      if (Object.keys(v).length !== v.length) throw new NotEncodable(); // holes or extra properties
      return [ARRAY, frozen, ...v.map(encode)];
    }
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Map.prototype) return [MAP, frozen, ...[...(v as Map<unknown, unknown>)].flatMap(([k, x]) => [encode(k), encode(x)])];
    if (proto === Set.prototype) return [SET, frozen, ...[...(v as Set<unknown>)].map(encode)];
    const className = proto === Object.prototype ? '' : classNames.get(proto!);
    if (className === undefined) throw new NotEncodable();
    plainData(v);
    const out: unknown[] = [OBJECT, frozen, className];
    for (const [key, x] of Object.entries(v)) out.push(key, encode(x));
    return out;
  };
  try {
    return JSON.stringify(encode(rule));
  } catch (e) {
    if (e instanceof NotEncodable) return null;
    throw e;
  }
}

/** Thrown for text that is not an encoded graph (a damaged cache entry: the caller rebuilds the rule). */
export class LogicDecodeError extends Error {}

function fail(): never {
  throw new LogicDecodeError('not an encoded rule');
}

/** The rule an `encodeLogic` text describes. */
export function decodeLogic(text: string): SigmaRule {
  let tree: unknown;
  try {
    tree = JSON.parse(text);
  } catch {
    fail();
  }
  const seen: object[] = [];
  const decode = (node: unknown): unknown => {
    if (node === null || typeof node === 'string' || typeof node === 'boolean' || typeof node === 'number') return node;
    if (!Array.isArray(node) || typeof node[0] !== 'string') fail();
    const done = <T extends object>(value: T): T => {
      if (node[1] === 1) Object.freeze(value);
      return value;
    };
    switch (node[0]) {
      case NUMBER:
        return Number(node[1]);
      case UNDEFINED:
        return undefined;
      case SEEN: {
        const known = seen[node[1] as number];
        if (known === undefined) fail();
        return known;
      }
      case TYPED: {
        const Typed = TYPED_ARRAYS[node[1] as TypedArrayName];
        if (!Typed || !Array.isArray(node[2])) fail();
        const out = new Typed(node[2].length);
        seen.push(out);
        (node[2] as unknown[]).forEach((n, i) => (out[i] = decode(n) as number));
        return out;
      }
      case ARRAY: {
        const out: unknown[] = [];
        seen.push(out);
        for (let i = 2; i < node.length; i++) out.push(decode(node[i]));
        return done(out);
      }
      case MAP: {
        const out = new Map<unknown, unknown>();
        seen.push(out);
        for (let i = 2; i + 1 < node.length; i += 2) out.set(decode(node[i]), decode(node[i + 1]));
        return done(out);
      }
      case SET: {
        const out = new Set<unknown>();
        seen.push(out);
        for (let i = 2; i < node.length; i++) out.add(decode(node[i]));
        return done(out);
      }
      case OBJECT: {
        const className = node[2];
        const proto = className === '' ? Object.prototype : typeof className === 'string' && Object.hasOwn(CLASSES, className) ? CLASSES[className].prototype : fail();
        const out = Object.create(proto) as Record<string, unknown>;
        seen.push(out);
        for (let i = 3; i + 1 < node.length; i += 2) {
          const key = node[i];
          if (typeof key !== 'string') fail();
          const value = decode(node[i + 1]);
          // `__proto__` from a rule's own keys is data, not the prototype.
          if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
          else out[key] = value;
        }
        return done(out);
      }
      default:
        fail();
    }
  };
  const rule = decode(tree) as SigmaRule;
  if (rule === null || typeof rule !== 'object' || rule.kind !== 'rule') fail();
  return rule;
}
