/**
 * A corpus index for explanations: for every predicate (field, kind, value, modifiers) in each role (indicator,
 * exclusion), the rules of a corpus that have it. Values compare as the matcher compares them: case-insensitively
 * (simple Unicode lowercasing), except regexes, field references and `cased` values, which compare exactly.
 */
import type { SigmaRule } from '../rule/model.js';
import { foldString } from '../text/fold.js';
import { predicateRoles, type Predicate } from './predicates.js';

export type PredicateRole = 'indicator' | 'exclusion';

/** How a rule is told apart from the others: its id, else its file, line and document. */
export function ruleKey(rule: SigmaRule): string {
  return rule.id ?? `${rule.source.file ?? '<string>'}:${rule.source.line}:${rule.source.document}`;
}

const EXACT_KINDS = new Set(['regex', 'fieldref']);

/** The identity of a predicate across rules (the `all` modifier does not change the predicate itself). */
export function corpusKey(p: Predicate): string {
  const exact = EXACT_KINDS.has(p.kind) || p.modifiers.includes('cased');
  const value = exact ? p.value : foldString(p.value);
  const modifiers = p.modifiers.filter((m) => m !== 'all').join('|');
  return `${p.field ?? ''}\u0000${p.kind}\u0000${value}\u0000${modifiers}`;
}

export class CorpusIndex {
  /** Rules indexed. */
  readonly size: number;
  private readonly roles: Record<PredicateRole, Map<string, Set<string>>> = { indicator: new Map(), exclusion: new Map() };

  private constructor(rules: readonly SigmaRule[]) {
    this.size = rules.length;
    for (const rule of rules) {
      const key = ruleKey(rule);
      const { indicators, exclusions } = predicateRoles(rule);
      for (const p of indicators) this.add('indicator', corpusKey(p), key);
      for (const p of exclusions) this.add('exclusion', corpusKey(p), key);
    }
  }

  static build(rules: readonly SigmaRule[]): CorpusIndex {
    return new CorpusIndex(rules);
  }

  private add(role: PredicateRole, key: string, rule: string): void {
    let set = this.roles[role].get(key);
    if (!set) this.roles[role].set(key, (set = new Set()));
    set.add(rule);
  }

  /** The keys of the rules that have predicate `p` in `role`. */
  rulesWith(role: PredicateRole, p: Predicate): ReadonlySet<string> {
    return this.roles[role].get(corpusKey(p)) ?? new Set();
  }

  /** How many rules other than `self` have predicate `p` in `role`. */
  count(role: PredicateRole, p: Predicate, self: SigmaRule): number {
    const rules = this.rulesWith(role, p);
    return rules.size - (rules.has(ruleKey(self)) ? 1 : 0);
  }
}
