/**
 * Every group of every correlation: one map per correlation from group key to window, and the order in which
 * groups were last updated, for maxGroups (the least recently updated leaves first).
 *
 * The order costs one write per update: the group is stamped with a clock that only goes up. Finding the least
 * recently updated group is deferred to when one must leave: a pass over all groups collects the half with the
 * oldest stamps as candidates, oldest first. Groups updated or deleted since then are skipped (their stamp changed);
 * every group not among the candidates was stamped later than any candidate, and groups updated afterwards later
 * still, so the first candidate whose stamp is unchanged is the least recently updated group. When the candidates
 * run out, another pass collects them again: a pass over n groups serves at least n/2 evictions.
 */
import type { GroupWindow } from './window.js';

export class GroupTable {
  private readonly maps: Map<string, GroupWindow>[];
  private clock = 0;
  private count = 0;
  /** The oldest groups when last collected, oldest first, with the stamps they had then; `next` is the first unused. */
  private candidates: GroupWindow[] = [];
  private candidateStamps: number[] = [];
  private next = 0;
  /** Estimated bytes of every group held (the engine keeps it up to date as windows change). */
  bytes = 0;

  constructor(correlations: number) {
    this.maps = Array.from({ length: correlations }, () => new Map());
  }

  get size(): number {
    return this.count;
  }

  get(correlation: number, key: string): GroupWindow | undefined {
    return this.maps[correlation].get(key);
  }

  /** Add a new group as the most recently updated. */
  add(g: GroupWindow): void {
    this.maps[g.correlation.index].set(g.key, g);
    this.count++;
    this.bytes += g.bytes;
    g.stamp = ++this.clock;
  }

  /** Mark a group as the most recently updated. */
  touch(g: GroupWindow): void {
    g.stamp = ++this.clock;
  }

  /** The group updated least recently, or null. */
  oldest(): GroupWindow | null {
    if (this.count === 0) return null;
    for (;;) {
      while (this.next < this.candidates.length) {
        const g = this.candidates[this.next];
        if (g.stamp === this.candidateStamps[this.next]) return g;
        this.next++;
      }
      this.collect();
    }
  }

  delete(g: GroupWindow): void {
    this.maps[g.correlation.index].delete(g.key);
    this.count--;
    this.bytes -= g.bytes;
    g.stamp = DELETED;
  }

  /** Every group, least recently updated first. */
  inOrder(): GroupWindow[] {
    return this.byStamp();
  }

  /** Every group ordered by stamp, oldest first. */
  private byStamp(): GroupWindow[] {
    const all: GroupWindow[] = [];
    for (const m of this.maps) for (const g of m.values()) all.push(g);
    return all.sort((a, b) => a.stamp - b.stamp);
  }

  private collect(): void {
    const all = this.byStamp();
    all.length = Math.max(1, all.length >> 1);
    this.candidates = all;
    this.candidateStamps = all.map((g) => g.stamp);
    this.next = 0;
  }
}

/** The stamp of a group no longer in the table: no candidate's stamp matches it. */
const DELETED = -1;
