/**
 * The regex AST. Flag-dependent meaning that the parser can settle (`^`/`$` under m, `.` under s) is settled there;
 * case-insensitivity is left to the consumers (compiler, literal analysis) because they fold differently.
 * Offsets are 0-based UTF-16 indexes into the source pattern, `end` exclusive, so errors can point at a construct.
 */

export interface RegexFlags {
  /** i: compare code points after foldCodePoint. */
  ignoreCase: boolean;
  /** m: `^` and `$` also match at line terminators. */
  multiline: boolean;
  /** s: `.` also matches line terminators. */
  dotAll: boolean;
}

export type AssertionKind =
  | 'textStart'
  | 'textEnd'
  | 'lineStart'
  | 'lineEnd'
  | 'wordBoundary'
  | 'notWordBoundary';

/** The shorthand sets `\d`, `\w`, `\s`; `negated` is `\D`, `\W`, `\S`. */
export type ShorthandSet = 'digit' | 'word' | 'space';

export type ClassItem =
  | { readonly kind: 'range'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'shorthand'; readonly set: ShorthandSet; readonly negated: boolean };

interface NodeBase {
  readonly offset: number;
  readonly end: number;
}

export interface EmptyNode extends NodeBase {
  readonly kind: 'empty';
}
export interface CharNode extends NodeBase {
  readonly kind: 'char';
  /** The literal code point as written (not folded). */
  readonly cp: number;
}
export interface AnyNode extends NodeBase {
  readonly kind: 'any';
  /** `.` under the s flag also matches line terminators. */
  readonly dotAll: boolean;
}
/** A bracket class, or a shorthand escape outside brackets (`\d` is a class with one shorthand item). */
export interface ClassNode extends NodeBase {
  readonly kind: 'class';
  readonly negated: boolean;
  readonly items: readonly ClassItem[];
}
export interface AssertNode extends NodeBase {
  readonly kind: 'assert';
  readonly assertion: AssertionKind;
}
export interface GroupNode extends NodeBase {
  readonly kind: 'group';
  /** Captures are irrelevant to a boolean match; kept so error messages and tooling can describe the pattern. */
  readonly capturing: boolean;
  readonly name: string | null;
  readonly body: RegexNode;
}
export interface ConcatNode extends NodeBase {
  readonly kind: 'concat';
  readonly items: readonly RegexNode[];
}
export interface AltNode extends NodeBase {
  readonly kind: 'alt';
  readonly branches: readonly RegexNode[];
}
export interface RepeatNode extends NodeBase {
  readonly kind: 'repeat';
  readonly min: number;
  /** Infinity for `*`, `+`, `{n,}`. */
  readonly max: number;
  /** Lazy and greedy are the same for a boolean match; recorded for fidelity only. */
  readonly lazy: boolean;
  readonly body: RegexNode;
}

export type RegexNode =
  | EmptyNode
  | CharNode
  | AnyNode
  | ClassNode
  | AssertNode
  | GroupNode
  | ConcatNode
  | AltNode
  | RepeatNode;

export interface RegexAst {
  readonly source: string;
  /** The caller's flags united with the leading inline flag group. */
  readonly flags: RegexFlags;
  /** Only the flags set by the leading `(?ims)` group(s). */
  readonly inlineFlags: RegexFlags;
  /** Offset where the pattern proper starts, after the leading inline flag group(s). */
  readonly bodyOffset: number;
  readonly root: RegexNode;
}
