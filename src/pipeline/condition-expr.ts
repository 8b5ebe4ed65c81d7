/**
 * Processing conditions and how an item combines them (pySigma's ProcessingItem): a list linked by `*_cond_op`
 * (`and`, the default, or `or`), or named conditions combined by an expression `*_cond_expr` such as
 * `cond1 and not (cond2 or cond3)`; `*_cond_not` negates the result.
 */
import type { ConditionExpr, ConditionSet } from './model.js';

export class ConditionExprError extends Error {}

/** Parse `a and not (b or c)`: `or` < `and` < `not`, parentheses; names are word characters, dots and dashes. */
export function parseConditionExpr(text: string, names: readonly string[]): ConditionExpr {
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? [];
  let pos = 0;
  const used = new Set<string>();
  const peek = (): string | undefined => tokens[pos];
  const orExpr = (): ConditionExpr => {
    const args = [andExpr()];
    while (peek() === 'or') {
      pos++;
      args.push(andExpr());
    }
    return args.length === 1 ? args[0] : { kind: 'or', args };
  };
  const andExpr = (): ConditionExpr => {
    const args = [notExpr()];
    while (peek() === 'and') {
      pos++;
      args.push(notExpr());
    }
    return args.length === 1 ? args[0] : { kind: 'and', args };
  };
  const notExpr = (): ConditionExpr => {
    if (peek() === 'not') {
      pos++;
      return { kind: 'not', arg: notExpr() };
    }
    return atom();
  };
  const atom = (): ConditionExpr => {
    const t = peek();
    if (t === undefined) throw new ConditionExprError(`"${text}" ends where a condition name, "(" or "not" is expected`);
    pos++;
    if (t === '(') {
      const inner = orExpr();
      if (peek() !== ')') throw new ConditionExprError(`"(" is not closed in "${text}"`);
      pos++;
      return inner;
    }
    if (t === ')' || t === 'and' || t === 'or') throw new ConditionExprError(`unexpected "${t}" in "${text}"`);
    if (!names.includes(t)) throw new ConditionExprError(`"${text}" refers to "${t}", which is not among the conditions (${names.join(', ') || 'none'})`);
    used.add(t);
    return { kind: 'ref', name: t };
  };
  if (tokens.length === 0) throw new ConditionExprError('the condition expression is empty');
  const expr = orExpr();
  if (pos < tokens.length) throw new ConditionExprError(`unexpected "${tokens[pos]}" in "${text}"`);
  const unused = names.filter((n) => !used.has(n));
  if (unused.length > 0) throw new ConditionExprError(`the expression "${text}" does not use the condition${unused.length > 1 ? 's' : ''} ${unused.join(', ')}`);
  return expr;
}

function evaluateExpr<C>(e: ConditionExpr, set: ConditionSet<C>, test: (condition: C) => boolean): boolean {
  switch (e.kind) {
    case 'ref':
      // Sets are small (a handful of conditions): a scan beats building a map on every evaluation.
      for (const c of set.conditions) if (c.name === e.name) return test(c.condition);
      return false;
    case 'not':
      return !evaluateExpr(e.arg, set, test);
    case 'and':
      for (const a of e.args) if (!evaluateExpr(a, set, test)) return false;
      return true;
    case 'or':
      for (const a of e.args) if (evaluateExpr(a, set, test)) return true;
      return false;
  }
}

/** Evaluate a condition set: each named condition through `test`, combined by the expression, then `negate`. */
export function evaluateConditionSet<C>(set: ConditionSet<C>, test: (condition: C) => boolean): boolean {
  const result = evaluateExpr(set.expr, set, test);
  return set.negate ? !result : result;
}

/** The empty set: no conditions (an AND of nothing, true). */
export function emptyConditionSet<C>(): ConditionSet<C> {
  return { conditions: [], expr: { kind: 'and', args: [] }, negate: false };
}

/** Render a condition expression (for `sigmatch pipelines show`). */
export function conditionExprToString(e: ConditionExpr, parent = 0): string {
  const prec = { or: 1, and: 2, not: 3, ref: 4 }[e.kind];
  let s: string;
  switch (e.kind) {
    case 'ref':
      s = e.name;
      break;
    case 'not':
      s = `not ${conditionExprToString(e.arg, prec)}`;
      break;
    case 'and':
    case 'or':
      s = e.args.length === 0 ? (e.kind === 'and' ? 'true' : 'false') : e.args.map((a) => conditionExprToString(a, prec)).join(` ${e.kind} `);
      break;
  }
  return prec < parent ? `(${s})` : s;
}
