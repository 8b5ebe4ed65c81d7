/**
 * A correlation plan: the loaded correlations resolved against the loaded rules. References (`rules`) are ids or
 * names of rules or of other correlations (chains); each resolves to every loaded document with that id or name. A
 * reference that resolves to nothing, a correlation that references one with errors, and correlations that
 * reference each other in a cycle are errors (CORRELATION_REFERENCE) and are left out; the rest is planned.
 *
 * The plan says, for each rule, which correlations count its hits and at which position of their `rules` list
 * (temporal types tell the rules apart by position), which fields each correlation reads for each position (group-by
 * names through `aliases`), and whose hits and alerts are emitted (`generate`).
 */
import type { ConditionNode } from '../rule/condition.js';
import { SigmaError } from '../rule/errors.js';
import type { CorrelationBound, CorrelationType, SigmaCorrelation } from '../rule/model.js';

/** What a reference needs of a rule: the names it can be referenced by. */
export interface ReferencedRule {
  id?: string;
  name?: string;
}

/** A correlation that counts some rule's hits (or another correlation's alerts) at a position of its `rules`. */
export interface Consumer {
  correlation: number;
  position: number;
  /**
   * The field each group-by name reads for this rule: the alias's field when `aliases` lists the rule (by the
   * reference as written, or by the rule's id or name), else the name itself.
   */
  groupFields: readonly string[];
}

/** A temporal expression with its rule names resolved to positions of `rules`. */
export type TemporalExpression =
  | { kind: 'position'; positions: number[] }
  | { kind: 'and' | 'or'; args: TemporalExpression[] }
  | { kind: 'not'; arg: TemporalExpression }
  | { kind: 'of'; quantifier: 'any' | 'all'; args: TemporalExpression[] };

export interface PlannedCorrelation {
  /** Index in `CorrelationPlan.correlations`. */
  index: number;
  source: SigmaCorrelation;
  type: CorrelationType;
  timespanMs: number;
  /** The group-by names, as alerts report them. */
  groupBy: readonly string[];
  /** Every field a group-by name reads for some rule (aliases included), for the VM to extract. */
  groupFields: readonly string[];
  /** value_* types: the aggregated field(s); null otherwise. */
  valueFields: readonly string[] | null;
  bounds: readonly CorrelationBound[];
  /** value_percentile (and value_median, 50): the percentile compared. */
  percentile: number;
  /** temporal types: the expression over positions, when the document gave one. */
  expression: TemporalExpression | null;
  /** Number of positions (`rules` entries). */
  positions: number;
  /** Whether its alerts are output: false when only correlations with `generate: false` reference it. */
  emits: boolean;
  /** Correlations that count this one's alerts. */
  consumers: Consumer[];
}

export interface CorrelationPlan {
  correlations: PlannedCorrelation[];
  /** For each rule (by index in the rule list the plan was made for): the correlations that count its hits. */
  ruleConsumers: Consumer[][];
  /** For each rule: whether its own hits are output (`generate`). */
  ruleEmits: boolean[];
  /** Correlations left out, and why. */
  errors: SigmaError[];
}

const DEFAULT_PERCENTILE = 50;
const MS_PER_SECOND = 1000;

type Target = { kind: 'rule'; index: number } | { kind: 'correlation'; index: number };

function byIdAndName<T extends ReferencedRule>(docs: readonly T[], kind: Target['kind']): Map<string, Target[]> {
  const map = new Map<string, Target[]>();
  docs.forEach((d, index) => {
    for (const key of new Set([d.id, d.name])) {
      if (key === undefined) continue;
      const list = map.get(key) ?? [];
      list.push({ kind, index });
      map.set(key, list);
    }
  });
  return map;
}

function referenceError(c: SigmaCorrelation, message: string): SigmaError {
  return new SigmaError('CORRELATION_REFERENCE', message, {
    file: c.source.file,
    line: c.source.line,
    column: c.source.column,
    ruleTitle: c.title,
    ruleId: c.id,
  });
}

function resolveExpression(node: ConditionNode, rules: readonly string[]): TemporalExpression {
  const positionsOf = (name: string): number[] => rules.flatMap((r, k) => (r === name ? [k] : []));
  switch (node.kind) {
    case 'ref':
      return { kind: 'position', positions: positionsOf(node.name) };
    case 'not':
      return { kind: 'not', arg: resolveExpression(node.arg, rules) };
    case 'and':
    case 'or':
      return { kind: node.kind, args: node.args.map((a) => resolveExpression(a, rules)) };
    case 'of':
      return { kind: 'of', quantifier: node.quantifier, args: node.names.map((n) => ({ kind: 'position', positions: positionsOf(n) })) };
  }
}

/**
 * Plan `correlations` over `rules` (the rule list whose indices hits carry). Correlations with reference errors are
 * left out (their errors are in the plan); every other correlation keeps its load order.
 */
export function planCorrelations(rules: readonly ReferencedRule[], correlations: readonly SigmaCorrelation[]): CorrelationPlan {
  const errors: SigmaError[] = [];
  const ruleNames = byIdAndName(rules, 'rule');
  const correlationNames = byIdAndName(correlations, 'correlation');
  const targets = correlations.map((c) => c.rules.map((ref) => [...(ruleNames.get(ref) ?? []), ...(correlationNames.get(ref) ?? [])]));

  // Unknown references, then cycles, then correlations that depend on a left-out one.
  const valid = correlations.map(() => true);
  correlations.forEach((c, i) => {
    const unknown = c.rules.filter((_, k) => targets[i][k].length === 0);
    if (unknown.length > 0) {
      valid[i] = false;
      errors.push(referenceError(c, `the correlation references ${unknown.map((u) => `"${u}"`).join(', ')}, which no loaded rule or correlation has as its id or name`));
    }
  });
  const state = correlations.map(() => 0); // 0 unvisited, 1 on the path, 2 done
  const path: number[] = [];
  const visit = (i: number): void => {
    state[i] = 1;
    path.push(i);
    for (const t of targets[i].flat()) {
      if (t.kind !== 'correlation') continue;
      if (state[t.index] === 1) {
        const cycle = path.slice(path.indexOf(t.index));
        const names = [...cycle, t.index].map((j) => correlations[j].name ?? correlations[j].id ?? correlations[j].title).join(' -> ');
        for (const j of cycle) {
          if (!valid[j]) continue;
          valid[j] = false;
          errors.push(referenceError(correlations[j], `correlations reference each other in a cycle: ${names}`));
        }
      } else if (state[t.index] === 0) visit(t.index);
    }
    path.pop();
    state[i] = 2;
  };
  correlations.forEach((_, i) => state[i] === 0 && visit(i));
  for (let changed = true; changed; ) {
    changed = false;
    correlations.forEach((c, i) => {
      if (!valid[i]) return;
      const broken = targets[i].flat().find((t) => t.kind === 'correlation' && !valid[t.index]);
      if (broken) {
        valid[i] = false;
        changed = true;
        const other = correlations[broken.index];
        errors.push(referenceError(c, `the correlation references "${other.name ?? other.id ?? other.title}", which was left out (see its error)`));
      }
    });
  }

  const newIndex = new Map<number, number>();
  correlations.forEach((_, i) => valid[i] && newIndex.set(i, newIndex.size));
  const planned: PlannedCorrelation[] = [];
  const ruleConsumers: Consumer[][] = rules.map(() => []);
  const ruleGenerate = rules.map(() => ({ referenced: false, generate: false }));
  const correlationGenerate = correlations.map(() => ({ referenced: false, generate: false }));
  const chained: [from: number, consumer: Consumer][] = [];
  correlations.forEach((c, i) => {
    if (!valid[i]) return;
    const index = newIndex.get(i)!;
    const field = c.condition?.field;
    planned.push({
      index,
      source: c,
      type: c.type,
      timespanMs: c.timespan * MS_PER_SECOND,
      groupBy: c.groupBy,
      groupFields: [...new Set(c.groupBy.flatMap((g) => [g, ...Object.values(c.aliases[g] ?? {})]))],
      valueFields: field === undefined || !c.type.startsWith('value_') ? null : typeof field === 'string' ? [field] : field,
      bounds: c.condition?.bounds ?? [],
      percentile: c.type === 'value_median' ? DEFAULT_PERCENTILE : (c.condition?.percentile ?? DEFAULT_PERCENTILE),
      expression: c.expression ? resolveExpression(c.expression, c.rules) : null,
      positions: c.rules.length,
      emits: true,
      consumers: [],
    });
    targets[i].forEach((list, position) => {
      for (const t of list) {
        const generate = t.kind === 'rule' ? ruleGenerate[t.index] : correlationGenerate[t.index];
        generate.referenced = true;
        generate.generate ||= c.generate;
        const target = t.kind === 'rule' ? rules[t.index] : correlations[t.index];
        const names = [c.rules[position], target.id, target.name];
        const groupFields = c.groupBy.map((g) => names.map((n) => (n === undefined ? undefined : c.aliases[g]?.[n])).find((f) => f !== undefined) ?? g);
        const consumer = { correlation: index, position, groupFields };
        if (t.kind === 'rule') ruleConsumers[t.index].push(consumer);
        else chained.push([t.index, consumer]);
      }
    });
  });
  for (const [from, consumer] of chained) planned[newIndex.get(from)!].consumers.push(consumer);
  correlations.forEach((_, i) => {
    if (valid[i]) planned[newIndex.get(i)!].emits = !correlationGenerate[i].referenced || correlationGenerate[i].generate;
  });
  return {
    correlations: planned,
    ruleConsumers,
    ruleEmits: ruleGenerate.map((g) => !g.referenced || g.generate),
    errors,
  };
}
