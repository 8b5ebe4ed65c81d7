/**
 * value_count's distinct values. Each value is interned once per hit into a number, in one table that all of an
 * engine's windows share: a few thousand accounts or images make a small table that stays in cache, where a map of
 * strings per group was a cold lookup (and a large object for the collector) per hit. A window keeps the numbers in
 * its ring and counts its distinct ones (window.ts).
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
