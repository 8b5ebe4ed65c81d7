/**
 * What a rule needs from an event before it can match: the prefilter's analysis (DESIGN.md section 8).
 *
 * A requirement set is an OR of atoms: if the rule matches, at least one atom holds. An atom is either an exact
 * folded value of a slot (`EventID` is "1") or a literal that occurs in a folded value of a slot (CommandLine
 * contains "mimikatz"). Every predicate that implies its atom yields one; `not`, presence tests, numeric tests and
 * networks yield none. An `and` may keep several of its children's sets (a rule is a candidate only when each kept
 * set has a hit), an `or` needs a set from every branch and unites them. The contract: the prefilter may let
 * through a rule that then fails; it never stops one that would match.
 */

export interface Atom {
  kind: 'exact' | 'literal';
  slot: number;
  /** Folded UTF-8 bytes. */
  text: Uint8Array;
  /** Identity of (kind, slot, text), for deduplication. */
  key: string;
}

/** What the analysis knows of a predicate: the atom it implies, if any. */
export type PredicateAtoms = readonly Atom[] | null;

export type ReqExpr =
  | { kind: 'pred'; index: number }
  | { kind: 'det'; index: number }
  | { kind: 'and' | 'or'; args: ReqExpr[] }
  | { kind: 'not'; arg: ReqExpr };

/** A conjunction of OR-sets: every set must have a hit. Empty: the rule is always a candidate. */
export type Requirement = Atom[][];

/** How many sets a rule may require (the VM counts hits per rule up to this). */
export const MAX_SETS = 2;

/** Rough chance that an atom holds for a random event: lower is better. Exact values are selective; literals
 * get rarer with length, and a literal made of common path pieces is worth little. */
export function atomCost(atom: Atom): number {
  if (atom.kind === 'exact') return 0.05;
  const n = atom.text.length;
  return n >= 8 ? 0.01 : n >= 5 ? 0.05 : n >= 3 ? 0.2 : 0.6;
}

export function setCost(set: readonly Atom[]): number {
  let pass = 0;
  for (const a of set) pass += atomCost(a);
  return Math.min(1, pass);
}

export class RequirementAnalysis {
  private readonly detectionCache = new Map<number, Requirement | null>();

  constructor(
    private readonly predicateAtoms: (index: number) => PredicateAtoms,
    private readonly detectionExpr: (index: number) => ReqExpr,
  ) {}

  /** Requirement of a rule's condition (empty when the rule must always be evaluated). */
  rule(condition: ReqExpr): Requirement {
    return this.of(condition) ?? [];
  }

  private of(e: ReqExpr): Requirement | null {
    switch (e.kind) {
      case 'pred': {
        const atoms = this.predicateAtoms(e.index);
        return atoms && atoms.length > 0 ? [[...atoms]] : null;
      }
      case 'det': {
        if (!this.detectionCache.has(e.index)) this.detectionCache.set(e.index, this.of(this.detectionExpr(e.index)));
        return this.detectionCache.get(e.index)!;
      }
      case 'not':
        return null;
      case 'and': {
        const sets: Atom[][] = [];
        for (const a of e.args) {
          const r = this.of(a);
          if (r) sets.push(...r);
        }
        return sets.length === 0 ? null : best(sets);
      }
      case 'or': {
        const union: Atom[] = [];
        for (const a of e.args) {
          const r = this.of(a);
          if (!r) return null;
          // An OR keeps one set per branch: the branch's most selective.
          union.push(...r[0]);
        }
        return [dedupe(union)];
      }
    }
  }
}

/** The MAX_SETS most selective sets, most selective first; at most one per slot kind mix, preferring an exact set
 * (a hash lookup) together with a literal set (the window scan), which is what routing plus content gives. */
function best(sets: Atom[][]): Atom[][] {
  const ranked = [...sets].sort((a, b) => setCost(a) - setCost(b));
  return ranked.slice(0, MAX_SETS);
}

function dedupe(atoms: Atom[]): Atom[] {
  const seen = new Set<string>();
  return atoms.filter((a) => {
    if (seen.has(a.key)) return false;
    seen.add(a.key);
    return true;
  });
}
