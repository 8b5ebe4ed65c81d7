/**
 * Every group of every correlation: one map per correlation from group key to window, and the order in which
 * groups were last updated, for maxGroups (the least recently updated leaves first).
 *
 * The order is a queue of (group, stamp) pairs: updating a group stamps it and appends a pair, which costs two
 * sequential writes (moving the group within a linked list cost writes to three scattered objects per hit). A pair
 * whose stamp is no longer its group's is stale and skipped; the queue is compacted when stale pairs outnumber the
 * live ones, so it holds at most about three pairs per group.
 */
import type { GroupWindow } from './window.js';

/** Compact once the queue holds this many pairs more than twice the groups. */
const COMPACT_SLACK = 1024;

export class GroupTable {
  private readonly maps: Map<string, GroupWindow>[];
  private queue: GroupWindow[] = [];
  private stamps: number[] = [];
  private head = 0;
  private clock = 0;
  private count = 0;
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
    this.touch(g);
  }

  /** Mark a group as the most recently updated. */
  touch(g: GroupWindow): void {
    if (g.stamp === this.clock && this.queue.length > this.head && this.queue[this.queue.length - 1] === g) return;
    g.stamp = ++this.clock;
    this.queue.push(g);
    this.stamps.push(g.stamp);
    if (this.queue.length - this.head > 2 * this.count + COMPACT_SLACK) this.compact();
  }

  /** The group updated least recently, or null. */
  oldest(): GroupWindow | null {
    while (this.head < this.queue.length && !this.live(this.head)) this.head++;
    return this.head < this.queue.length ? this.queue[this.head] : null;
  }

  delete(g: GroupWindow): void {
    this.maps[g.correlation.index].delete(g.key);
    this.count--;
    this.bytes -= g.bytes;
    g.stamp = DELETED;
  }

  /** Every group, least recently updated first. */
  *inOrder(): IterableIterator<GroupWindow> {
    for (let i = this.head; i < this.queue.length; i++) if (this.live(i)) yield this.queue[i];
  }

  private live(i: number): boolean {
    return this.queue[i].stamp === this.stamps[i];
  }

  private compact(): void {
    const queue: GroupWindow[] = [];
    const stamps: number[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      if (!this.live(i)) continue;
      queue.push(this.queue[i]);
      stamps.push(this.stamps[i]);
    }
    this.queue = queue;
    this.stamps = stamps;
    this.head = 0;
  }
}

/** The stamp of a group no longer in the table: no pair matches it. */
const DELETED = -1;
