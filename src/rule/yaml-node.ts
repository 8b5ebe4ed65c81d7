/**
 * The YAML tree rule parsing works on: maps, sequences and scalars, each with its source position, keys in order.
 * Both readers build it (yaml-block.ts for the block style rule files use, yaml-tree.ts through the yaml package for
 * the rest), so both type scalars here.
 */
import type { SourceLocation } from './errors.js';
import { wellFormed } from '../text/fold.js';

export interface YamlLimits {
  /** Largest rule file accepted, in bytes of text. */
  maxBytes: number;
  /** Largest number of nodes one document may expand into (aliases included): stops alias bombs. */
  maxNodes: number;
  /** Deepest nesting of maps and sequences accepted. */
  maxDepth: number;
}

export type YScalarValue = string | number | boolean | null;

export type YNode =
  | { kind: 'map'; entries: YEntry[]; loc: SourceLocation }
  | { kind: 'seq'; items: YNode[]; loc: SourceLocation }
  | { kind: 'scalar'; value: YScalarValue; source?: string; loc: SourceLocation };

export interface YEntry {
  key: string;
  keyLoc: SourceLocation;
  value: YNode;
}

export interface YamlDocument {
  /** 0-based index of the document in its file. */
  index: number;
  /** Null for an empty (or null) document. */
  root: YNode | null;
  loc: SourceLocation;
}

/** A plain integer literal with a leading zero (and more digits after it). */
const LEADING_ZERO_INTEGER = /^[-+]?0[0-9]+$/;

/**
 * The tree node of a scalar the yaml package's core schema typed as `value`; `source` is its text before typing
 * (the yaml package's `Scalar.source`).
 */
export function scalarNode(value: unknown, source: string | undefined, loc: SourceLocation): YNode {
  if (typeof value === 'number' && typeof source === 'string' && LEADING_ZERO_INTEGER.test(source)) {
    // `00000429` is text to the YAML 1.1 loaders Sigma rules are written for (PyYAML, pySigma), an integer to
    // YAML 1.2: keep it as written, or `Details|contains: 00000429` would be a type error.
    return { kind: 'scalar', value: source, source, loc };
  }
  if (typeof value === 'string') {
    // A YAML escape like "\uD800" gives a lone surrogate, which no UTF-8 engine can hold; read it as U+FFFD, as
    // the event side does.
    return { kind: 'scalar', value: wellFormed(value), source, loc };
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', value, source, loc };
  if (typeof value === 'bigint') return { kind: 'scalar', value: Number(value), source: String(value), loc };
  return { kind: 'scalar', value: String(value), loc };
}
