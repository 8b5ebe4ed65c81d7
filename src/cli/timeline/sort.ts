/**
 * `--sort time`: hits in time order across every input, in bounded memory. Hits are held as JSON text up to a byte
 * budget; past it the held hits are sorted and written to a temporary file (a run), and at the end the runs and what
 * is still held are merged k ways (at most MAX_FAN_IN files open at once: more runs are first merged into bigger
 * ones). Order: by time, then by arrival, so hits of one time keep their input order and hits without a usable time
 * come last, in input order.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CliError } from '../common.js';
import type { Output, OutputHit, OutputRule } from '../output/index.js';

/** The default --sort-buffer: 256 MiB of held hits. */
export const DEFAULT_SORT_BUFFER = 256 * 1024 * 1024;
/** Runs merged at once (open files). */
export const MAX_FAN_IN = 32;
/** What one held hit costs beside its text: the entry object and array slot (an estimate). */
const ENTRY_OVERHEAD = 64;
const BYTES_PER_CHAR = 2;
/** Writes to a run file are batched to about this many characters. */
const WRITE_BATCH = 1 << 20;
/** While draining, the output is waited on every this many hits. */
const DRAIN_EVERY = 1024;
/** The sort key of a hit without a usable time: after every time. */
const NO_TIME = Number.POSITIVE_INFINITY;

interface Entry {
  time: number;
  seq: number;
  /** The hit's rule, as an index into the sorter's rules (a rule object can be large: it stays in memory once). */
  rule: number;
  /** The hit without its rule. */
  json: string;
}

function before(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

function compare(a: Entry, b: Entry): number {
  return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/** A run file line: time (empty for none), sequence, rule index and the hit's JSON (which holds no raw tab or newline). */
function serialise(e: Entry): string {
  return `${e.time === NO_TIME ? '' : e.time}\t${e.seq}\t${e.rule}\t${e.json}\n`;
}

function deserialise(line: string): Entry {
  const a = line.indexOf('\t');
  const b = line.indexOf('\t', a + 1);
  const c = line.indexOf('\t', b + 1);
  const time = line.slice(0, a);
  return { time: time === '' ? NO_TIME : Number(time), seq: Number(line.slice(a + 1, b)), rule: Number(line.slice(b + 1, c)), json: line.slice(c + 1) };
}

/** A min-heap of sources by their current entry. */
class Heap<T extends { head: Entry }> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(a[i].head, a[parent].head)) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  /** The least item (its head may then change: call `fix()`), or undefined. */
  top(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      this.fix();
    }
    return top;
  }

  /** Restore the order after the top's head changed. */
  fix(): void {
    const a = this.items;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < a.length && before(a[l].head, a[least].head)) least = l;
      if (r < a.length && before(a[r].head, a[least].head)) least = r;
      if (least === i) return;
      [a[i], a[least]] = [a[least], a[i]];
      i = least;
    }
  }
}

type EntrySource = AsyncIterator<Entry>;

async function* runEntries(path: string): AsyncGenerator<Entry> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') yield deserialise(line);
}

async function* arrayEntries(entries: readonly Entry[]): AsyncGenerator<Entry> {
  yield* entries;
}

async function* merge(sources: readonly EntrySource[]): AsyncGenerator<Entry> {
  const heap = new Heap<{ head: Entry; source: EntrySource }>();
  for (const source of sources) {
    const first = await source.next();
    if (!first.done) heap.push({ head: first.value, source });
  }
  while (heap.size > 0) {
    const top = heap.top()!;
    yield top.head;
    const next = await top.source.next();
    if (next.done) heap.pop();
    else {
      top.head = next.value;
      heap.fix();
    }
  }
}

/** Writes entries to a new file in batches. */
async function writeRun(path: string, entries: AsyncIterable<Entry> | Iterable<Entry>): Promise<void> {
  let file: FileHandle | null = null;
  try {
    file = await open(path, 'wx');
    let batch = '';
    for await (const e of entries) {
      batch += serialise(e);
      if (batch.length >= WRITE_BATCH) {
        await file.write(batch);
        batch = '';
      }
    }
    if (batch !== '') await file.write(batch);
  } finally {
    await file?.close();
  }
}

export interface TimeSorterOptions {
  /** Bytes of hits held before a run is written (estimated from their JSON text). */
  budget: number;
  /** Where the temporary directory goes (default: the system's). */
  tempRoot?: string;
}

/** Collects hits and gives them back in time order. */
export class TimeSorter {
  private held: Entry[] = [];
  private heldBytes = 0;
  private seq = 0;
  private dir: string | null = null;
  private readonly runs: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private spills = 0;
  private readonly rules: OutputRule[] = [];
  private readonly ruleIndex = new Map<OutputRule, number>();
  private passes = 0;
  private readonly cleanup = (): void => this.removeFiles();

  constructor(private readonly options: TimeSorterOptions) {}

  /** Runs written to disk so far. */
  get spilled(): number {
    return this.spills;
  }

  /** Intermediate merges written because there were more runs than MAX_FAN_IN. */
  get mergePasses(): number {
    return this.passes;
  }

  add(hit: OutputHit): void {
    const { rule, ...rest } = hit;
    let index = this.ruleIndex.get(rule);
    if (index === undefined) {
      index = this.rules.push(rule) - 1;
      this.ruleIndex.set(rule, index);
    }
    const e: Entry = { time: hit.timestamp ?? NO_TIME, seq: this.seq++, rule: index, json: JSON.stringify(rest) };
    this.held.push(e);
    this.heldBytes += e.json.length * BYTES_PER_CHAR + ENTRY_OVERHEAD;
    if (this.heldBytes >= this.options.budget) this.spill();
  }

  /** Waits for the runs being written (keeps memory to the budget plus one run in flight per input chunk). */
  async settle(): Promise<void> {
    await this.writing;
    if (this.failure) throw this.failure;
  }

  /** Every hit added, in time order; the temporary files are removed when done (or abandoned). */
  async *sorted(): AsyncGenerator<OutputHit> {
    try {
      await this.settle();
      const held = this.held.sort(compare);
      this.held = [];
      if (this.runs.length === 0) {
        for (const e of held) yield this.revive(e);
        return;
      }
      // Too many runs to open at once: merge the oldest into bigger runs until they fit beside the held hits.
      while (this.runs.length + 1 > MAX_FAN_IN) {
        const group = this.runs.splice(0, MAX_FAN_IN);
        const merged = this.nextRunPath();
        await this.guard(writeRun(merged, merge(group.map((p) => runEntries(p)))));
        for (const p of group) rmSync(p, { force: true });
        this.runs.push(merged);
        this.passes++;
      }
      const sources = [...this.runs.map((p) => runEntries(p)), arrayEntries(held)];
      for await (const e of merge(sources)) yield this.revive(e);
    } finally {
      this.removeFiles();
    }
  }

  private revive(e: Entry): OutputHit {
    return { ...(JSON.parse(e.json) as Omit<OutputHit, 'rule'>), rule: this.rules[e.rule] };
  }

  private spill(): void {
    const run = this.held.sort(compare);
    this.held = [];
    this.heldBytes = 0;
    if (this.dir === null) {
      this.dir = mkdtempSync(join(this.options.tempRoot ?? tmpdir(), 'sigmatch-sort-'));
      process.once('exit', this.cleanup);
    }
    const path = this.nextRunPath();
    this.runs.push(path);
    this.spills++;
    this.writing = this.writing.then(() => (this.failure ? undefined : this.guard(writeRun(path, run)).catch((e: Error) => void (this.failure = e))));
  }

  private nextRunPath(): string {
    return join(this.dir!, `run-${this.runs.length}-${this.seq}.tsv`);
  }

  private async guard(work: Promise<void>): Promise<void> {
    try {
      await work;
    } catch (e) {
      throw new CliError(`scan: --sort time cannot write its temporary files under ${this.dir}: ${(e as Error).message}`);
    }
  }

  private removeFiles(): void {
    if (this.dir === null) return;
    rmSync(this.dir, { recursive: true, force: true });
    process.off('exit', this.cleanup);
    this.dir = null;
  }
}

/** An output that holds hits back and writes them to `inner` in time order at the end. */
export function sortedOutput(inner: Output, sorter: TimeSorter): Output {
  return {
    hit: (h) => sorter.add(h),
    flush: () => sorter.settle(),
    async end() {
      let n = 0;
      for await (const h of sorter.sorted()) {
        inner.hit(h);
        if (++n % DRAIN_EVERY === 0) await inner.flush();
      }
      await inner.end();
    },
    leftOut: () => inner.leftOut?.() ?? null,
  };
}

/** `--sort-buffer`: a byte count with an optional K, M or G (powers of 1024). */
export function parseByteSize(command: string, option: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(text.trim());
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
  const bytes = m ? Math.floor(Number(m[1]) * scale) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new CliError(`${command}: ${option} takes a size such as 512K, 256M or 2G, got "${text}"`);
  return bytes;
}

