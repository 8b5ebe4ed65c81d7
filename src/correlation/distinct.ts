/**
 * value_count's distinct values. Each value is interned once per hit into a number, in one table that all of an
 * engine's windows share: a few thousand accounts or images make a small table that stays in cache, where a map of
 * strings per group was a cold lookup (and a large object for the collector) per hit. A window keeps the numbers in
 * a column and counts its distinct ones by scanning the column while it is short, in a map of counts once it is not.
 */

/** Interned distinct values, reference-counted by the window entries holding them; a number is reused once free. */
export class ValueIds {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly refs: number[] = [];
  private readonly free: number[] = [];

  /** The number of `value`, held once more. */
  acquire(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.free.length > 0 ? this.free.pop()! : this.texts.length;
      this.ids.set(value, id);
      this.texts[id] = value;
      this.refs[id] = 0;
    }
    this.refs[id]++;
    return id;
  }

  /** One holder of `id` lets it go; the last frees it. */
  release(id: number): void {
    if (--this.refs[id] > 0) return;
    this.ids.delete(this.texts[id]);
    this.texts[id] = '';
    this.free.push(id);
  }

  text(id: number): string {
    return this.texts[id];
  }

  /** Distinct values held. */
  get size(): number {
    return this.ids.size;
  }
}

/** Windows up to this many entries count distinct values by scanning their column; longer ones keep counts. */
const SCAN_UP_TO = 32;

/** The number of distinct ids in a window's column (`ids[from..]`), kept as entries come and go. */
export class DistinctIds {
  distinct = 0;
  private counts: Map<number, number> | null = null;

  /** `id` arrives; `ids[from..]` are the ids held before it. */
  add(id: number, ids: readonly number[], from: number): void {
    const counts = this.counts;
    if (counts) {
      const n = counts.get(id);
      counts.set(id, n === undefined ? 1 : n + 1);
      if (n === undefined) this.distinct++;
      return;
    }
    if (ids.indexOf(id, from) < 0) this.distinct++;
    if (ids.length - from >= SCAN_UP_TO) {
      const built = new Map<number, number>([[id, 1]]);
      for (let i = from; i < ids.length; i++) built.set(ids[i], (built.get(ids[i]) ?? 0) + 1);
      this.counts = built;
    }
  }

  /** `id` left; `ids[from..]` are the ids still held. */
  remove(id: number, ids: readonly number[], from: number): void {
    const counts = this.counts;
    if (counts) {
      const n = counts.get(id)! - 1;
      if (n > 0) counts.set(id, n);
      else {
        counts.delete(id);
        this.distinct--;
      }
      return;
    }
    if (ids.indexOf(id, from) < 0) this.distinct--;
  }

  clear(): void {
    this.counts = null;
    this.distinct = 0;
  }
}
