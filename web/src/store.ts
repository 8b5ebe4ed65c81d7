/**
 * The workbench's results: rules, hits (bounded: past MAX_KEPT_HITS they are counted, not kept), the JSON text of
 * hit events for the event view (within a character budget), problems, and the filters that select what the
 * table, the charts and the exports show.
 */
import { compareHits, levelOf, ruleTactics, type ReportHit, type ReportRule } from '../../src/report/index.js';
import type { Problem } from './protocol.js';

/** Most hits kept for the table (each costs a few hundred bytes; the table's height stays within browser limits). */
export const MAX_KEPT_HITS = 1_000_000;
/** Most characters of hit events kept for the event view. */
export const MAX_RECORD_CHARS = 128 * 1024 * 1024;

export interface Filters {
  /** Levels shown (all when empty). */
  levels: Set<string>;
  rule: number | null;
  computer: string | null;
  tactic: string | null;
  /** Tags, each also taking the tags below it (`attack.t1059` takes `attack.t1059.001`), as `scan --tags`. */
  tags: string[];
  /** Time range, ms since the epoch (NaN: open). */
  from: number;
  to: number;
  /** Text searched (without case) in the rule, computer, event ID, source, time and matched values. */
  text: string;
}

export function emptyFilters(): Filters {
  return { levels: new Set(), rule: null, computer: null, tactic: null, tags: [], from: NaN, to: NaN, text: '' };
}

export class HitStore {
  rules: ReportRule[] = [];
  hits: ReportHit[] = [];
  /** Hits found past MAX_KEPT_HITS. */
  uncounted = 0;
  problems: Problem[] = [];
  private records = new Map<string, string>();
  private recordChars = 0;
  /** Hit events whose text was not kept (budget). */
  recordsDropped = 0;
  private sorted = true;
  private ruleTags: string[][] = [];
  private ruleTacticList: string[][] = [];

  setRules(rules: ReportRule[]): void {
    this.rules = rules;
    this.ruleTags = rules.map((r) => r.tags.map((t) => t.toLowerCase()));
    this.ruleTacticList = rules.map((r) => ruleTactics(r.tags));
    this.clearHits();
  }

  clearHits(): void {
    this.hits = [];
    this.uncounted = 0;
    this.records.clear();
    this.recordChars = 0;
    this.recordsDropped = 0;
    this.sorted = true;
    this.problems = this.problems.filter((p) => p.kind !== 'input');
  }

  addHits(hits: readonly ReportHit[], records: readonly [string, number, string][]): void {
    for (const h of hits) {
      if (this.hits.length < MAX_KEPT_HITS) this.hits.push(h);
      else this.uncounted++;
    }
    this.sorted = false;
    for (const [file, event, text] of records) {
      if (this.recordChars + text.length > MAX_RECORD_CHARS) {
        this.recordsDropped++;
        continue;
      }
      this.records.set(`${file}\u0000${event}`, text);
      this.recordChars += text.length;
    }
  }

  record(hit: ReportHit): string | undefined {
    return this.records.get(`${hit.file}\u0000${hit.event}`);
  }

  /** The hits in timeline order. */
  timeline(): ReportHit[] {
    if (!this.sorted) {
      this.hits.sort(compareHits);
      this.sorted = true;
    }
    return this.hits;
  }

  select(f: Filters): ReportHit[] {
    const text = f.text.trim().toLowerCase();
    const tags = f.tags.map((t) => t.toLowerCase());
    return this.timeline().filter((h) => {
      const rule = this.rules[h.rule];
      if (f.levels.size > 0 && !f.levels.has(levelOf(rule))) return false;
      if (f.rule !== null && h.rule !== f.rule) return false;
      if (f.computer !== null && (h.computer ?? '') !== f.computer) return false;
      if (f.tactic !== null && !this.ruleTacticList[h.rule].includes(f.tactic)) return false;
      if (tags.length > 0 && !tags.some((want) => this.ruleTags[h.rule].some((t) => t === want || t.startsWith(`${want}.`)))) return false;
      if (!Number.isNaN(f.from) && !(h.ts >= f.from)) return false;
      if (!Number.isNaN(f.to) && !(h.ts < f.to)) return false;
      if (text !== '' && !searchText(h, rule).includes(text)) return false;
      return true;
    });
  }
}

function searchText(h: ReportHit, rule: ReportRule): string {
  const values = (h.fields ?? []).map((f) => `${f.field}=${f.value}`).join(' ');
  return `${rule.title} ${rule.id ?? ''} ${h.computer ?? ''} ${h.eventId ?? ''} ${h.file}:${h.line ?? ''} ${h.time ?? ''} ${values}`.toLowerCase();
}
