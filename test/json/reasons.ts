/**
 * Independent statement of when the scanner may give up on an event (DESIGN.md section 4: fallbacks): a tokenizer
 * over the record's text that finds duplicate keys, numbers the scanner cannot print as JavaScript does, and
 * nesting deeper than its frame stack. Tests accept a fallback only when one of these holds somewhere.
 */
import { readEvtxJson } from '../../src/input/evtx-json.js';
import { MAX_DEPTH } from './harness.js';

export interface Reasons {
  duplicateKey: boolean;
  nonCanonicalNumber: boolean;
  deep: boolean;
}

const MIN_NORMAL = 2.2250738585072014e-308;
const MAX_SIGNIFICANT = 15;

/** Significant digits of a JSON number's text (leading and trailing zeros stripped). */
export function significantDigits(text: string): number {
  const mantissa = text.replace(/^-/, '').split(/[eE]/)[0].replace('.', '');
  const stripped = mantissa.replace(/^0+/, '').replace(/0+$/, '');
  return stripped.length;
}

/**
 * True when String(Number(text)) is beyond what the scanner reproduces (it must then fall back): more than 15
 * significant digits, Infinity, or a nonzero subnormal. Values that underflow to 0 print "0".
 */
export function numberNeedsFallback(text: string): boolean {
  const digits = significantDigits(text);
  if (digits === 0) return false;
  if (digits > MAX_SIGNIFICANT) return true;
  const n = Math.abs(Number(text));
  return !Number.isFinite(n) || (n !== 0 && n < MIN_NORMAL);
}

/** Scan JSON text (assumed valid) for the fallback reasons. */
export function fallbackReasons(text: string): Reasons {
  const reasons: Reasons = { duplicateKey: false, nonCanonicalNumber: false, deep: false };
  const keys: Set<string>[] = [];
  const containers: ('{' | '[')[] = [];
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const raw = text.slice(i, j + 1);
      i = j + 1;
      if (expectKey && containers[containers.length - 1] === '{') {
        // Keys compare as the scanner compares them: decoded, lone surrogates as U+FFFD.
        const key = (JSON.parse(raw) as string).toWellFormed();
        const set = keys[keys.length - 1];
        if (set.has(key)) reasons.duplicateKey = true;
        set.add(key);
        expectKey = false;
      }
      continue;
    }
    if (c === '{' || c === '[') {
      containers.push(c);
      keys.push(new Set());
      if (containers.length >= MAX_DEPTH) reasons.deep = true;
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      containers.pop();
      keys.pop();
    } else if (c === ',') expectKey = containers[containers.length - 1] === '{';
    else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400000))!;
      if (numberNeedsFallback(m[0])) reasons.nonCanonicalNumber = true;
      i += m[0].length;
      continue;
    }
    i++;
  }
  return reasons;
}

export function anyReason(r: Reasons): boolean {
  return r.duplicateKey || r.nonCanonicalNumber || r.deep;
}

function containsObject(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(containsObject);
  return typeof v === 'object' && v !== null;
}

/**
 * Evtx shape: an object among the values the mapping assigns, while some field name is a nested path (the
 * scanner does not follow nested paths into evtx values; it falls back instead).
 */
export function evtxNestedReason(event: unknown, fields: readonly string[]): boolean {
  const flat = readEvtxJson(event);
  if (!flat || !fields.some((f) => f.includes('.'))) return false;
  return flat.values.some(containsObject);
}

/**
 * Evtx shape: a member name with spaces in EventData or a UserData element whose space-less form is a field, while
 * the name itself is a field too or the element also holds the space-less name (the scanner gives each value one
 * target; it falls back instead).
 */
export function evtxAliasReason(event: unknown, fields: readonly string[]): boolean {
  if (!readEvtxJson(event)) return false;
  const wanted = new Set(fields);
  const root = (event as { Event: Record<string, unknown> }).Event;
  const containers: unknown[] = [root.EventData];
  if (typeof root.UserData === 'object' && root.UserData !== null) containers.push(...Object.values(root.UserData));
  return containers.some((c) => {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return false;
    const keys = Object.keys(c);
    return keys.some((k) => {
      const bare = k.replaceAll(' ', '');
      return bare !== k && wanted.has(bare) && (wanted.has(k) || keys.includes(bare));
    });
  });
}
