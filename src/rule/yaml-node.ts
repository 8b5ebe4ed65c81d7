/**
 * The YAML tree rule parsing works on: maps, sequences and scalars, each with its source position, keys in order.
 * Both readers build it (yaml-block.ts for the block style rule files use, yaml-tree.ts through the yaml package for
 * the rest), so both type scalars here.
 */
import type { SourceLocation } from './errors.js';
import { wellFormed } from '../text/fold.js';
import { arrayView, MIN_PACKED_LENGTH, packedOf } from './array-view.js';

export interface YamlLimits {
  /** Largest rule file accepted, in bytes of text. */
  maxBytes: number;
  /** Largest number of nodes one document may expand into (aliases included): stops alias bombs. */
  maxNodes: number;
  /** Deepest nesting of maps and sequences accepted. */
  maxDepth: number;
  /**
   * Sequences of this many scalars or more are held packed (ScalarList; default MIN_PACKED_LENGTH). Infinity holds
   * every one as plain nodes, as the packed form's oracle in tests.
   */
  packedLength?: number;
}

/** The shortest sequence of scalars held packed under `limits`. */
export function packedLength(limits: YamlLimits): number {
  return limits.packedLength ?? MIN_PACKED_LENGTH;
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

/**
 * A sequence of scalars held packed: values, their written forms and positions in parallel arrays, instead of a
 * node and a location object per item (~110 bytes each, more than the YAML of a short value). The sequence's
 * `items` is an array view (array-view.ts) building each node when read; rule parsing reads the packed arrays.
 */
export class ScalarList {
  constructor(
    readonly values: readonly YScalarValue[],
    /** Each item's written form; null for all, or an item, whose written form is its value (every string). */
    private readonly sources: readonly (string | null)[] | null,
    private readonly lines: Int32Array,
    private readonly columns: Int32Array,
    private readonly file: string | undefined,
  ) {}

  get length(): number {
    return this.values.length;
  }

  /** Item i's node, as the reader made it. */
  node(index: number): YNode {
    const value = this.values[index];
    const source = this.sources?.[index] ?? (value as string);
    return { kind: 'scalar', value, source, loc: { file: this.file, line: this.lines[index], column: this.columns[index] } };
  }

  /** The items as an array view. */
  items(): readonly YNode[] {
    return arrayView(this.values.length, (i) => this.node(i), this);
  }
}

/** Collects a sequence's scalar items one by one into a ScalarList. */
export class ScalarListBuilder {
  private readonly values: YScalarValue[] = [];
  private sources: (string | null)[] | null = null;
  private readonly lines: number[] = [];
  private readonly columns: number[] = [];

  constructor(private readonly file: string | undefined) {}

  get length(): number {
    return this.values.length;
  }

  /** Take a scalar node made by scalarNode; false when it has no written form to rebuild it from (it is not taken). */
  add(node: YNode): boolean {
    if (node.kind !== 'scalar' || typeof node.source !== 'string' || node.loc.file !== this.file) return false;
    const i = this.values.length;
    if (node.source !== node.value) {
      this.sources ??= new Array<string | null>(i).fill(null);
      this.sources.push(node.source);
    } else this.sources?.push(null);
    this.values.push(node.value);
    this.lines.push(node.loc.line);
    this.columns.push(node.loc.column);
    return true;
  }

  finish(): ScalarList {
    return new ScalarList(this.values, this.sources, Int32Array.from(this.lines), Int32Array.from(this.columns), this.file);
  }
}

/** The packed list behind a sequence's items, or null when they are an ordinary array. */
export function scalarListOf(items: readonly YNode[]): ScalarList | null {
  return packedOf(items, ScalarList);
}
