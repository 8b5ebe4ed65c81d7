/**
 * Every group of every correlation: one map per correlation from group key to window, and one list through all of
 * them in the order they were last updated (intrusive links on the windows, so moving a group to the recent end
 * and finding the least recently updated one cost no allocation). maxGroups is enforced by the engine through
 * `oldest()` and `delete()`.
 */
import type { GroupWindow } from './window.js';

export class GroupTable {
  private readonly maps: Map<string, GroupWindow>[];
  /** Least recently updated end, and most recently updated end. */
  private head: GroupWindow | null = null;
  private tail: GroupWindow | null = null;
  private count = 0;

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
    this.append(g);
  }

  /** Mark a group as the most recently updated. */
  touch(g: GroupWindow): void {
    if (this.tail === g) return;
    this.unlink(g);
    this.append(g);
  }

  oldest(): GroupWindow | null {
    return this.head;
  }

  delete(g: GroupWindow): void {
    this.maps[g.correlation.index].delete(g.key);
    this.count--;
    this.unlink(g);
  }

  /** Every group, least recently updated first. */
  *inOrder(): IterableIterator<GroupWindow> {
    for (let g = this.head; g; g = g.newer) yield g;
  }

  private append(g: GroupWindow): void {
    g.older = this.tail;
    g.newer = null;
    if (this.tail) this.tail.newer = g;
    else this.head = g;
    this.tail = g;
  }

  private unlink(g: GroupWindow): void {
    if (g.older) g.older.newer = g.newer;
    else this.head = g.newer;
    if (g.newer) g.newer.older = g.older;
    else this.tail = g.older;
    g.older = g.newer = null;
  }
}
