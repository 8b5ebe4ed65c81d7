/**
 * What a rule needs from an event before it can match: the prefilter's analysis (DESIGN.md section 7).
 *
 * A requirement set is an OR of atoms: if the rule matches, at least one atom holds. An atom is either an exact
 * folded value of a slot (`EventID` is "1") or a literal that occurs in a folded value of a slot (CommandLine
 * contains "mimikatz"). Every predicate that implies its atom yields one; `not`, presence tests, numeric tests and
 * networks yield none. An `and` may keep several of its children's sets (a rule is a candidate only when each kept
 * set has a hit), an `or` needs a set from every branch and unites them. The contract: the prefilter may let
 * through a rule that then fails; it never stops one that would match.
 */
import { windowCommonness } from './common-pairs.js';

export interface Atom {
  /** exact: the whole value; literal: anywhere in it; prefix / suffix: at its start / end (1-3 bytes only: longer
   * ones are literals, found by the window scan). */
  kind: 'exact' | 'literal' | 'prefix' | 'suffix';
  slot: number;
  /** Folded UTF-8 bytes. */
  text: Uint8Array;
  /** Identity of (kind, slot, text), for deduplication. */
  key: string;
  /** A keyword atom: looked for in every leaf of the event (the keyword slot's values, collected on demand). */
  keyword?: boolean;
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
/** Sets kept per rule before the corpus-wide selection (bounds the analysis of very large `and`s). */
const MAX_CANDIDATE_SETS = 16;
/** An atom shared by this many rules costs twice its base: atoms many rules share tend to be common in events
 * too (every process_creation rule routes on EventID 1), so they filter little. */
const POPULARITY_HALF = 20;

/** Rough chance that an atom holds for a random event, before popularity: lower is better. Exact values are
 * selective; literals get rarer with length. */
export function atomCost(atom: Atom): number {
  if (atom.kind === 'exact') return 0.02;
  const n = atom.text.length;
  if (atom.kind === 'prefix' || atom.kind === 'suffix') return n >= 3 ? 0.05 : n === 2 ? 0.15 : 0.5;
  // Text outside ASCII (emoji, Cyrillic look-alikes) is rare in the logs rules read: such a literal is selective
  // whatever its length.
  let base = atom.text.some((b) => b >= 0x80) ? 0.005 : n >= 8 ? 0.01 : n >= 5 ? 0.05 : n >= 3 ? 0.2 : 0.6;
  // A literal all of whose windows are made of common pairs (`c:\\windows\\system32\\`) is in most events whatever
  // its length: its window is what the prefilter looks for (prefilter.ts chooseWindow).
  if (n >= 4) base *= COMMONNESS_FACTOR[windowCommonness(atom.text)];
  // A keyword atom is looked for in the whole raw record (field names included), and needing one makes the VM fold
  // and scan that record: a field atom is the better requirement where a rule has both.
  return atom.keyword ? base * KEYWORD_ATOM_PENALTY : base;
}

const KEYWORD_ATOM_PENALTY = 4;
/** By the fewest common pairs in any window of the literal (0-3). */
const COMMONNESS_FACTOR = [1, 2, 20, 60];

export function setCost(set: readonly Atom[], popularity?: ReadonlyMap<string, number>): number {
  let pass = 0;
  for (const a of set) pass += atomCost(a) * (1 + (popularity?.get(a.key) ?? 0) / POPULARITY_HALF);
  // Not capped at 1: between two sets that both look certain to hit, the smaller estimate is still the better bet.
  return pass;
}

/**
 * Predicate atoms split by origin. An atom of a condition a pipeline added to route a rule to its log source
 * (EventID 1, the Sysmon channel) holds for every event of that source, so it is not a requirement set of the rule
 * (hundreds of rules would be marked by every event of their source) but its gate: a rule's gate is one set of
 * routing atoms, shared by every rule of the source, that must also hit (DESIGN.md section 7). A predicate with
 * any routing atom gives no own atoms: dropping only some of an OR's atoms would make the set unsound.
 */
export function splitRoutingAtoms(
  predicateAtoms: (index: number) => PredicateAtoms,
  routing: ReadonlySet<string>,
): { own: (index: number) => PredicateAtoms; routing: (index: number) => PredicateAtoms } {
  const isRouting = (a: Atom): boolean => routing.has(a.key);
  return {
    own: (p) => {
      const atoms = predicateAtoms(p);
      return atoms && atoms.some(isRouting) ? null : atoms;
    },
    routing: (p) => {
      const atoms = predicateAtoms(p);
      return atoms && atoms.length > 0 && atoms.every(isRouting) ? atoms : null;
    },
  };
}

/** How many rules use each atom (reached from their conditions through detections and predicates). */
export function atomPopularity(
  conditions: readonly ReqExpr[],
  predicateAtoms: (index: number) => PredicateAtoms,
  detectionExpr: (index: number) => ReqExpr,
): Map<string, number> {
  const popularity = new Map<string, number>();
  for (const condition of conditions) {
    for (const k of atomKeys([condition], predicateAtoms, detectionExpr)) popularity.set(k, (popularity.get(k) ?? 0) + 1);
  }
  return popularity;
}

/** Keys of every atom the expressions reach (through detections, `not`s and all). */
export function atomKeys(
  roots: readonly ReqExpr[],
  predicateAtoms: (index: number) => PredicateAtoms,
  detectionExpr: (index: number) => ReqExpr,
): Set<string> {
  const keys = new Set<string>();
  const stack: ReqExpr[] = [...roots];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'pred') for (const a of predicateAtoms(e.index) ?? []) keys.add(a.key);
    else if (e.kind === 'det') stack.push(detectionExpr(e.index));
    else if (e.kind === 'not') stack.push(e.arg);
    else stack.push(...e.args);
  }
  return keys;
}

/**
 * Requirements of rules. Set costs include each atom's popularity (how many rules use it): atoms many rules share
 * tend to be common in events too (every process_creation rule tests a parent image or `.exe`), so a rule keeps its
 * most distinctive sets, and an `or` unites each branch's most distinctive set.
 */
export class RequirementAnalysis {
  private readonly detectionCache = new Map<number, Requirement | null>();

  constructor(
    private readonly predicateAtoms: (index: number) => PredicateAtoms,
    private readonly detectionExpr: (index: number) => ReqExpr,
    private readonly popularity: ReadonlyMap<string, number> = new Map(),
  ) {}

  /** The requirement of a rule's condition: at most MAX_SETS sets (empty: the rule is always evaluated). */
  rule(condition: ReqExpr): Requirement {
    return (this.of(condition) ?? []).slice(0, MAX_SETS);
  }

  /** The single most selective set of a condition, or null (a rule's gate, from an analysis of routing atoms). */
  gate(condition: ReqExpr): Atom[] | null {
    return this.of(condition)?.[0] ?? null;
  }

  private best(sets: Atom[][]): Atom[][] {
    return sets
      .map((set) => ({ set, cost: setCost(set, this.popularity) }))
      .sort((a, b) => a.cost - b.cost)
      .slice(0, MAX_CANDIDATE_SETS)
      .map((x) => x.set);
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
        return sets.length === 0 ? null : this.best(sets);
      }
      case 'or': {
        // If every branch i requires sets S_i1 and S_i2, the `or` requires (S_11 | S_21 | ...) and
        // (S_12 | S_22 | ...): the j-th set of the result unites each branch's j-th best set.
        const branches: Requirement[] = [];
        for (const a of e.args) {
          const r = this.of(a);
          if (!r) return null;
          branches.push(r);
        }
        const depth = Math.min(MAX_SETS, ...branches.map((b) => b.length));
        const sets: Atom[][] = [];
        for (let j = 0; j < depth; j++) sets.push(dedupe(branches.flatMap((b) => b[j])));
        return this.best(sets);
      }
    }
  }
}

function dedupe(atoms: Atom[]): Atom[] {
  const seen = new Set<string>();
  return atoms.filter((a) => {
    if (seen.has(a.key)) return false;
    seen.add(a.key);
    return true;
  });
}

/**
 * A rule's negative gate: a detection whose truth rules the rule out, because the rule's condition is a conjunction
 * with `not <detection>` among its terms (`not _pipeline_other_source and (...)`: the rules of foreign products,
 * src/pipeline/apply.ts). Only detections `qualifies` accepts are used: the VM evaluates a negative gate once per
 * event, before the rules it gates, so it must be cheap (pipeline-added log-source conditions: event IDs, channels).
 * Null: none.
 */
export function negativeGate(condition: ReqExpr, qualifies: (detection: number) => boolean): number | null {
  const terms: ReqExpr[] = [condition];
  for (let i = 0; i < terms.length; i++) {
    const e = terms[i];
    if (e.kind === 'and') terms.push(...e.args);
    else if (e.kind === 'not' && e.arg.kind === 'det' && qualifies(e.arg.index)) return e.arg.index;
  }
  return null;
}
