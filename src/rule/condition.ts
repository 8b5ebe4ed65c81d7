/**
 * The condition grammar of SIGMA.md 1.5 as an AST, resolved against a rule's search identifiers.
 *
 *   expr     := or_expr
 *   or_expr  := and_expr ("or" and_expr)*
 *   and_expr := not_expr ("and" not_expr)*
 *   not_expr := "not" not_expr | atom
 *   atom     := "(" expr ")" | ("1" | "any" | "all") "of" (PATTERN | "them") | IDENT
 *
 * Identifiers are opaque: any run of characters other than whitespace, parentheses and `|` (so `sel.a` works);
 * `|` is the Sigma 1 aggregation syntax and is rejected with a pointer to correlation rules.
 */
import { SigmaError } from './errors.js';

export type ConditionNode =
  | { kind: 'ref'; name: string }
  | { kind: 'and'; args: ConditionNode[] }
  | { kind: 'or'; args: ConditionNode[] }
  | { kind: 'not'; arg: ConditionNode }
  /** `1 of` / `any of` (quantifier 'any') or `all of`; `names` are the identifiers the pattern resolved to. */
  | { kind: 'of'; quantifier: 'any' | 'all'; pattern: string; names: string[] };

/** Nesting bound for parentheses and `not` chains: deeper conditions are hostile, not real. */
export const MAX_CONDITION_DEPTH = 256;

interface Token {
  text: string;
  offset: number;
}

const OPERATOR_WORDS = new Set(['and', 'or', 'not', 'of', 'them']);
/** The operator words in any letter case (`them` in upper case is a pattern that matches nothing). */
const MISCASED_OPERATOR = /^(and|or|not|of|them)$/i;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ text: c, offset: i });
      i++;
    } else if (c === '|') {
      throw new SigmaError(
        'UNSUPPORTED_AGGREGATION',
        `the condition uses the Sigma 1 aggregation syntax "${text.slice(i).trim()}" (column ${i + 1}); write a correlation rule instead`,
      );
    } else {
      const start = i;
      while (i < text.length && !/[\s()|]/.test(text[i])) i++;
      tokens.push({ text: text.slice(start, i), offset: start });
    }
  }
  return tokens;
}

class ConditionParser {
  private pos = 0;
  private depth = 0;
  /** The identifiers as a set: a condition may name thousands of them, each looked up once. */
  private readonly defined: ReadonlySet<string>;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly identifiers: readonly string[],
  ) {
    this.defined = new Set(identifiers);
  }

  parse(): ConditionNode {
    if (this.tokens.length === 0) this.error('the condition is empty', 0);
    const node = this.orExpr();
    const rest = this.peek();
    if (rest) this.unexpected(rest);
    return node;
  }

  /** A token that cannot stand here; an operator in the wrong letter case gets the hint (`a AND b`). */
  private unexpected(t: Token): never {
    if (MISCASED_OPERATOR.test(t.text) && !OPERATOR_WORDS.has(t.text)) {
      this.error(`"${t.text}": Sigma operators are lower-case (and, or, not, of)`, t.offset);
    }
    this.error(`unexpected "${t.text}"`, t.offset);
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private error(message: string, offset: number): never {
    throw new SigmaError('CONDITION_SYNTAX', `${message} at column ${offset + 1} of condition "${this.text}"`);
  }

  private enter(offset: number): void {
    if (++this.depth > MAX_CONDITION_DEPTH) this.error(`the condition nests deeper than ${MAX_CONDITION_DEPTH} levels`, offset);
  }

  private orExpr(): ConditionNode {
    const args = [this.andExpr()];
    while (this.peek()?.text === 'or') {
      this.pos++;
      args.push(this.andExpr());
    }
    return args.length === 1 ? args[0] : { kind: 'or', args };
  }

  private andExpr(): ConditionNode {
    const args = [this.notExpr()];
    while (this.peek()?.text === 'and') {
      this.pos++;
      args.push(this.notExpr());
    }
    return args.length === 1 ? args[0] : { kind: 'and', args };
  }

  private notExpr(): ConditionNode {
    const t = this.peek();
    if (t?.text === 'not') {
      this.pos++;
      this.enter(t.offset);
      const arg = this.notExpr();
      this.depth--;
      return { kind: 'not', arg };
    }
    return this.atom();
  }

  private atom(): ConditionNode {
    const t = this.peek();
    if (!t) this.error('the condition ends where an identifier, "(" or "not" is expected', this.text.length);
    if (t.text === '(') {
      this.pos++;
      this.enter(t.offset);
      const inner = this.orExpr();
      this.depth--;
      const close = this.peek();
      if (close?.text !== ')') this.error(`"(" at column ${t.offset + 1} is not closed`, close?.offset ?? this.text.length);
      this.pos++;
      return inner;
    }
    if (t.text === ')') this.error('unexpected ")"', t.offset);
    const next = this.tokens[this.pos + 1];
    if (next?.text === 'of') return this.selector(t);
    if (next && /^of$/i.test(next.text)) this.unexpected(next); // `all OF sel*`
    if (MISCASED_OPERATOR.test(t.text)) this.unexpected(t);
    if (t.text.includes('*')) this.error(`the pattern "${t.text}" needs a quantifier ("1 of ${t.text}" or "all of ${t.text}")`, t.offset);
    this.pos++;
    if (!this.defined.has(t.text)) {
      throw new SigmaError(
        'UNKNOWN_IDENTIFIER',
        `the condition refers to "${t.text}" (column ${t.offset + 1}), which the detection does not define; defined: ${this.identifiers.join(', ') || '(none)'}`,
      );
    }
    return { kind: 'ref', name: t.text };
  }

  private selector(quantifierToken: Token): ConditionNode {
    const q = quantifierToken.text;
    if (q !== '1' && q !== 'any' && q !== 'all') {
      this.error(`"${q} of" is not a Sigma quantifier: use "1 of", "any of" or "all of"`, quantifierToken.offset);
    }
    this.pos += 2;
    const target = this.peek();
    if (!target || target.text === '(' || target.text === ')' || (OPERATOR_WORDS.has(target.text) && target.text !== 'them')) {
      this.error(`"${q} of" needs a pattern or "them"`, target?.offset ?? this.text.length);
    }
    this.pos++;
    const names = resolvePattern(target.text, this.identifiers);
    if (names.length === 0) {
      throw new SigmaError(
        'EMPTY_SELECTOR',
        `"${q} of ${target.text}" (column ${quantifierToken.offset + 1}) matches no search identifier; defined: ${this.identifiers.join(', ') || '(none)'}`,
      );
    }
    return { kind: 'of', quantifier: q === 'all' ? 'all' : 'any', pattern: target.text, names };
  }
}

/** The identifiers an `x of` target names: `them` is every identifier not starting with `_`; in a pattern each `*`
 * matches any run and the whole name must match; `_` names only match a pattern that itself starts with `_`. */
export function resolvePattern(pattern: string, identifiers: readonly string[]): string[] {
  if (pattern === 'them') return identifiers.filter((n) => !n.startsWith('_'));
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 's');
  return identifiers.filter((n) => re.test(n) && (!n.startsWith('_') || pattern.startsWith('_')));
}

/** Parse one condition string against the rule's search identifiers. Throws SigmaError. */
export function parseCondition(text: string, identifiers: readonly string[]): ConditionNode {
  return new ConditionParser(text, tokenize(text), identifiers).parse();
}

/** Render a condition AST back to Sigma text (explanations, filters, debugging). */
export function conditionToString(node: ConditionNode, parentPrecedence = 0): string {
  const precedence = { or: 1, and: 2, not: 3, of: 4, ref: 4 }[node.kind];
  let s: string;
  switch (node.kind) {
    case 'ref':
      s = node.name;
      break;
    case 'of':
      s = `${node.quantifier === 'all' ? 'all' : '1'} of ${node.pattern}`;
      break;
    case 'not':
      s = `not ${conditionToString(node.arg, precedence)}`;
      break;
    case 'and':
    case 'or':
      s = node.args.map((a) => conditionToString(a, precedence)).join(` ${node.kind} `);
      break;
  }
  return precedence < parentPrecedence ? `(${s})` : s;
}

/** The search identifiers a condition names (`of` patterns already resolved to names), added to `out`. */
export function referencedNames(node: ConditionNode, out = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'ref':
      out.add(node.name);
      break;
    case 'of':
      for (const n of node.names) out.add(n);
      break;
    case 'not':
      referencedNames(node.arg, out);
      break;
    case 'and':
    case 'or':
      for (const a of node.args) referencedNames(a, out);
      break;
  }
  return out;
}
