/**
 * Sigma wildcard patterns over whole values, in time linear in the value for a given pattern: the pattern is split
 * at `*` into segments; the first is anchored at the start, the last at the end, the middle ones are found
 * leftmost-first (which is optimal for `*`-separated segments, so there is no backtracking). `?` is exactly one
 * code point.
 */
import type { StringToken } from '../rule/sigma-string.js';

/** A segment between two `*`: text runs and single-character wildcards. */
type Segment = (string | null)[]; // null is `?`

export type GlobShape =
  | { kind: 'equals'; text: string }
  | { kind: 'prefix'; text: string }
  | { kind: 'suffix'; text: string }
  | { kind: 'contains'; text: string }
  | { kind: 'general'; segments: Segment[]; anchoredStart: boolean; anchoredEnd: boolean };

/** Classify tokens (text already folded as needed) into the cheapest shape that matches the same values. */
export function globShape(tokens: readonly StringToken[]): GlobShape {
  const segments: Segment[] = [[]];
  for (const t of tokens) {
    if (t.kind === 'any') segments.push([]);
    else if (t.kind === 'one') segments[segments.length - 1].push(null);
    else if (t.kind === 'text') segments[segments.length - 1].push(t.text);
    else throw new Error(`unresolved placeholder %${t.name}% reached the matcher`);
  }
  const anchoredStart = tokens.length === 0 || tokens[0].kind !== 'any';
  const anchoredEnd = tokens.length === 0 || tokens[tokens.length - 1].kind !== 'any';
  const plain = (s: Segment): string | null => (s.every((p) => p !== null) ? (s as string[]).join('') : null);
  const inner = segments.filter((s, i) => !(s.length === 0 && (i === 0 || i === segments.length - 1)));
  if (segments.length === 1) {
    const text = plain(segments[0]);
    if (text !== null) return { kind: 'equals', text };
  } else if (inner.length === 1) {
    const text = plain(inner[0]);
    if (text !== null) {
      if (anchoredStart && !anchoredEnd && segments.length === 2) return { kind: 'prefix', text };
      if (!anchoredStart && anchoredEnd && segments.length === 2) return { kind: 'suffix', text };
      if (!anchoredStart && !anchoredEnd && segments.length === 3) return { kind: 'contains', text };
    }
  } else if (inner.length === 0) {
    return { kind: 'contains', text: '' }; // only stars: anything
  }
  return { kind: 'general', segments, anchoredStart, anchoredEnd };
}

/** Match one segment at `pos`; returns the end position or -1. */
function matchAt(segment: Segment, s: string, pos: number): number {
  let p = pos;
  for (const part of segment) {
    if (part === null) {
      if (p >= s.length) return -1;
      p += s.codePointAt(p)! > 0xffff ? 2 : 1;
    } else {
      if (!s.startsWith(part, p)) return -1;
      p += part.length;
    }
  }
  return p;
}

function nextCodePoint(s: string, p: number): number {
  return p + (s.codePointAt(p)! > 0xffff ? 2 : 1);
}

function matchGeneral(shape: Extract<GlobShape, { kind: 'general' }>, s: string): boolean {
  const { segments, anchoredStart, anchoredEnd } = shape;
  if (segments.length === 1) return matchAt(segments[0], s, 0) === s.length;
  let pos = 0;
  let first = 0;
  if (anchoredStart) {
    pos = matchAt(segments[0], s, 0);
    if (pos < 0) return false;
    first = 1;
  }
  const last = anchoredEnd ? segments.length - 1 : segments.length;
  for (let i = first; i < last; i++) {
    const seg = segments[i];
    if (seg.length === 0) continue;
    let found = -1;
    for (let start = pos; start <= s.length; start = start < s.length ? nextCodePoint(s, start) : s.length + 1) {
      found = matchAt(seg, s, start);
      if (found >= 0) break;
    }
    if (found < 0) return false;
    pos = found;
  }
  if (!anchoredEnd) return true;
  // The last segment must end exactly at the end, starting at or after pos.
  const tail = segments[segments.length - 1];
  for (let start = pos; start <= s.length; start = start < s.length ? nextCodePoint(s, start) : s.length + 1) {
    if (matchAt(tail, s, start) === s.length) return true;
  }
  return false;
}

export function globMatch(shape: GlobShape, s: string): boolean {
  switch (shape.kind) {
    case 'equals':
      return s === shape.text;
    case 'prefix':
      return s.startsWith(shape.text);
    case 'suffix':
      return s.endsWith(shape.text);
    case 'contains':
      return s.includes(shape.text);
    case 'general':
      return matchGeneral(shape, s);
  }
}
