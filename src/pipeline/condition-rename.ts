/** Renaming search identifiers in a condition AST (forms of a rule merged by apply.ts). `x of` keeps its pattern. */
import type { ConditionNode } from '../rule/condition.js';

export type { ConditionNode };

export function renameCondition(node: ConditionNode, rename: (name: string) => string): ConditionNode {
  switch (node.kind) {
    case 'ref': {
      const name = rename(node.name);
      return name === node.name ? node : { kind: 'ref', name };
    }
    case 'of': {
      const names = node.names.map(rename);
      return names.every((n, i) => n === node.names[i]) ? node : { ...node, names };
    }
    case 'not': {
      const arg = renameCondition(node.arg, rename);
      return arg === node.arg ? node : { kind: 'not', arg };
    }
    case 'and':
    case 'or': {
      const args = node.args.map((a) => renameCondition(a, rename));
      return args.every((a, i) => a === node.args[i]) ? node : { kind: node.kind, args };
    }
  }
}
