/**
 * A regex set: many patterns searched as few programs. Patterns that share their effective flags are compiled
 * together as one alternation `p1|p2|...` of up to MAX_PROGRAM_INSTRUCTIONS instructions, which matches some
 * substring of an input exactly when one of its patterns does (a boolean search has no captures or priorities to
 * keep apart). A 100,000-pattern `re` list is then a hundred programs instead of 100,000 programs, AST-free
 * compiled regexes and their prefilter literals, and each member is bounded as any single regex is.
 */
import type { AltNode, RegexAst, RegexFlags, RegexNode } from './ast.js';
import { compileProgram, instructionsNeeded, type RegexProgram } from './compile.js';
import { requiredLiterals } from './literals.js';
import { MAX_PROGRAM_INSTRUCTIONS } from './opcodes.js';
import { parseRegex } from './parse.js';

/** SPLIT + JMP per alternation branch except the last (compile.ts BRANCH_OVERHEAD). */
const BRANCH_INSTRUCTIONS = 2;
/** The MATCH at the end of every program. */
const MATCH_INSTRUCTIONS = 1;

/** Patterns [first, end) of a set compiled as one program. */
export interface RegexSetMember {
  readonly first: number;
  readonly end: number;
  readonly program: RegexProgram;
  /** The members' effective flags (all alike). */
  readonly flags: RegexFlags;
  /**
   * Literals one of which every match contains (folded under the i flag): the union of the patterns' required
   * literals, or null when one pattern requires none or the union would be longer than the caller's bound.
   */
  readonly literals: readonly string[] | null;
}

export interface RegexSetOptions {
  /** Most literals a member keeps (its union of required literals); beyond it the member has none. 0: none. */
  readonly maxLiterals: number;
}

/**
 * How deep common prefixes are factored out (each level nests an alternation in a concatenation): deep enough for
 * the shared heads of real pattern lists, shallow enough that compiling the program never recurses far.
 */
const MAX_FACTOR_DEPTH = 24;

/** A node as the items it matches one after another (groups are transparent to a boolean match). */
function sequence(node: RegexNode): RegexNode[] {
  if (node.kind === 'group') return sequence(node.body);
  if (node.kind === 'concat') return node.items.flatMap(sequence);
  return node.kind === 'empty' ? [] : [node];
}

/** A key equal for two single-step nodes exactly when they match alike; null for the others (never shared). */
function stepKey(node: RegexNode): string | null {
  switch (node.kind) {
    case 'char':
      return `c${node.cp}`;
    case 'any':
      return node.dotAll ? 'A' : 'a';
    case 'assert':
      return `^${node.assertion}`;
    case 'class':
      return `[${node.negated ? '^' : ''}${JSON.stringify(node.items)}`;
    default:
      return null;
  }
}

function concat(items: RegexNode[]): RegexNode {
  if (items.length === 0) return { kind: 'empty', offset: 0, end: 0 };
  return items.length === 1 ? items[0] : { kind: 'concat', items, offset: 0, end: 0 };
}

/**
 * The alternation of `branches` (each a sequence of items) with common first steps factored out, `ab|ac` as
 * `a(?:b|c)`: the same language, but a 1,000-pattern list of shared heads (`^needle-1..`, `^needle-2..`) is one
 * path through its head rather than 1,000, smaller and with fewer threads alive in the VM.
 */
function factorAlternation(branches: RegexNode[][], depth: number): RegexNode {
  if (branches.length === 1) return concat(branches[0]);
  const groups = new Map<string, RegexNode[][]>();
  const order: (RegexNode[] | RegexNode[][])[] = [];
  for (const branch of branches) {
    const key = depth < MAX_FACTOR_DEPTH && branch.length > 0 ? stepKey(branch[0]) : null;
    if (key === null) {
      order.push(branch);
      continue;
    }
    let group = groups.get(key);
    if (!group) {
      groups.set(key, (group = []));
      order.push(group);
    }
    group.push(branch);
  }
  const alternatives = order.map((entry): RegexNode => {
    // A group is an array of branches (arrays); a branch kept apart is an array of nodes.
    if (entry.length === 0 || !Array.isArray(entry[0])) return concat(entry as RegexNode[]);
    const group = entry as RegexNode[][];
    if (group.length === 1) return concat(group[0]);
    const rest = factorAlternation(group.map((b) => b.slice(1)), depth + 1);
    return concat(rest.kind === 'empty' ? [group[0][0]] : [group[0][0], rest]);
  });
  return alternatives.length === 1 ? alternatives[0] : ({ kind: 'alt', branches: alternatives, offset: 0, end: 0 } satisfies AltNode);
}

const sameFlags = (a: RegexFlags, b: RegexFlags): boolean => a.ignoreCase === b.ignoreCase && a.multiline === b.multiline && a.dotAll === b.dotAll;

/**
 * Compile `count` patterns (pattern(i) gives each, with `flags` as the caller's flags) into set members, calling
 * `take` with each as it is made (so only one member's patterns are parsed at a time). Patterns are grouped in
 * order; throws RegexSyntaxError as compileRegex would for the first pattern that does not compile.
 */
export function compileRegexSet(
  count: number,
  pattern: (index: number) => string,
  flags: RegexFlags,
  options: RegexSetOptions,
  take: (member: RegexSetMember) => void,
): void {
  let asts: RegexAst[] = [];
  let first = 0;
  let size = MATCH_INSTRUCTIONS;
  let literals: string[] | null = [];
  const flush = (end: number): void => {
    if (asts.length === 0) return;
    const root: RegexNode = asts.length === 1 ? asts[0].root : factorAlternation(asts.map((a) => sequence(a.root)), 0);
    const source = asts.length === 1 ? asts[0].source : '';
    const ast: RegexAst = { ...asts[0], source, root };
    take({ first, end, program: compileProgram(ast), flags: asts[0].flags, literals });
    asts = [];
    first = end;
    size = MATCH_INSTRUCTIONS;
    literals = [];
  };
  for (let i = 0; i < count; i++) {
    const ast = parseRegex(pattern(i), flags);
    // Throws, as compileRegex does, for a pattern too large on its own.
    const own = instructionsNeeded(ast) - MATCH_INSTRUCTIONS;
    if (asts.length > 0 && (size + BRANCH_INSTRUCTIONS + own > MAX_PROGRAM_INSTRUCTIONS || !sameFlags(asts[0].flags, ast.flags))) flush(i);
    size += own + (asts.length > 0 ? BRANCH_INSTRUCTIONS : 0);
    asts.push(ast);
    if (literals !== null) {
      const required = options.maxLiterals > 0 ? requiredLiterals(ast) : null;
      if (required === null || required.literals.length === 0 || literals.length + required.literals.length > options.maxLiterals) literals = null;
      else for (const l of required.literals) literals.push(l);
    }
  }
  flush(count);
}
