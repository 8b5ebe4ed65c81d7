/**
 * Counts of a run's hits, kept as they arrive, in bounded memory whatever the number of hits: by level, rule,
 * computer and ATT&CK tactic, matched events, and a time histogram whose buckets double in width when there are too
 * many of them (so a run over years costs as little as a run over minutes).
 */
import { ATTACK_TACTICS } from '../analysis/attack.js';
import { LEVELS, UNKNOWN_LEVEL, levelOf, type ReportHit, type ReportRule } from './model.js';

/** Levels as chart series: LEVELS then unknown. */
export const SERIES = [...LEVELS, UNKNOWN_LEVEL] as const;

/** Most time buckets kept; past it the width doubles and neighbours merge. */
export const MAX_TIME_BUCKETS = 4096;
/** Most distinct computers counted by name; hits of further computers are counted under OTHER_COMPUTERS. */
export const MAX_COMPUTERS = 100_000;
export const OTHER_COMPUTERS = '(other computers)';
export const NO_COMPUTER = '(none)';

export interface Counted<K> {
  key: K;
  count: number;
}

export interface TacticCount {
  /** `execution`: the tag's tactic name. */
  tactic: string;
  id: string;
  name: string;
  count: number;
}

/** Tactics a rule's tags name (`attack.defense-evasion`, `attack.defense_evasion`), as keys of ATTACK_TACTICS. */
export function ruleTactics(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const m = /^attack\.([a-z_-]+)$/i.exec(tag);
    const name = m?.[1].toLowerCase().replace(/_/g, '-');
    if (name && ATTACK_TACTICS[name] && !out.includes(name)) out.push(name);
  }
  return out;
}

export class HitStats {
  hits = 0;
  /** Distinct events with at least one hit (hits of one event arrive together: scan order and timeline order). */
  matchedEvents = 0;
  /** Hits without a readable time. */
  untimed = 0;
  minTime = Infinity;
  maxTime = -Infinity;
  readonly byLevel = new Map<string, number>();
  readonly byRule = new Map<number, number>();
  readonly byComputer = new Map<string, number>();
  readonly byTactic = new Map<string, number>();
  /** Histogram: bucket start / width -> counts per SERIES entry. */
  private buckets = new Map<number, number[]>();
  private width = 1;
  private lastEvent = '';
  private readonly ruleLevel: number[];
  private readonly ruleTacticsList: string[][];

  constructor(readonly rules: readonly ReportRule[]) {
    this.ruleLevel = rules.map((r) => SERIES.indexOf(levelOf(r)));
    this.ruleTacticsList = rules.map((r) => ruleTactics(r.tags));
  }

  add(hit: ReportHit): void {
    this.hits++;
    const eventKey = `${hit.file}\u0000${hit.event}`;
    if (eventKey !== this.lastEvent) {
      this.matchedEvents++;
      this.lastEvent = eventKey;
    }
    const series = this.ruleLevel[hit.rule];
    const level = SERIES[series];
    this.byLevel.set(level, (this.byLevel.get(level) ?? 0) + 1);
    this.byRule.set(hit.rule, (this.byRule.get(hit.rule) ?? 0) + 1);
    let computer = hit.computer ?? NO_COMPUTER;
    if (!this.byComputer.has(computer) && this.byComputer.size >= MAX_COMPUTERS) computer = OTHER_COMPUTERS;
    this.byComputer.set(computer, (this.byComputer.get(computer) ?? 0) + 1);
    for (const t of this.ruleTacticsList[hit.rule]) this.byTactic.set(t, (this.byTactic.get(t) ?? 0) + 1);
    if (Number.isNaN(hit.ts)) {
      this.untimed++;
      return;
    }
    if (hit.ts < this.minTime) this.minTime = hit.ts;
    if (hit.ts > this.maxTime) this.maxTime = hit.ts;
    let key = Math.floor(hit.ts / this.width);
    if (!this.buckets.has(key)) {
      this.buckets.set(key, new Array<number>(SERIES.length).fill(0));
      if (this.buckets.size > MAX_TIME_BUCKETS) {
        this.coarsen();
        key = Math.floor(hit.ts / this.width);
      }
    }
    this.buckets.get(key)![series]++;
  }

  private coarsen(): void {
    while (this.buckets.size > MAX_TIME_BUCKETS) {
      this.width *= 2;
      const merged = new Map<number, number[]>();
      for (const [key, counts] of this.buckets) {
        const k = Math.floor(key / 2);
        const into = merged.get(k);
        if (into) for (let i = 0; i < counts.length; i++) into[i] += counts[i];
        else merged.set(k, counts);
      }
      this.buckets = merged;
    }
  }

  /** The time histogram at the kept resolution: [bucket start ms, counts per SERIES], in time order. */
  histogram(): { width: number; buckets: [number, number[]][] } {
    const buckets = [...this.buckets].map(([k, c]): [number, number[]] => [k * this.width, c]).sort((a, b) => a[0] - b[0]);
    return { width: this.width, buckets };
  }

  topRules(limit: number): Counted<number>[] {
    return top(this.byRule, limit);
  }

  topComputers(limit: number): Counted<string>[] {
    return top(this.byComputer, limit);
  }

  /** Hits per tactic, in ATT&CK's kill-chain order, tactics without hits left out. */
  tactics(): TacticCount[] {
    return Object.entries(ATTACK_TACTICS)
      .filter(([t]) => this.byTactic.has(t))
      .map(([tactic, { id, name }]) => ({ tactic, id, name, count: this.byTactic.get(tactic)! }));
  }
}

/** The `limit` largest counts, most first; ties in first-seen order. */
function top<K>(counts: Map<K, number>, limit: number): Counted<K>[] {
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count)
    .slice(0, limit);
}
