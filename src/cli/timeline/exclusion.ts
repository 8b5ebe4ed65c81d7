/**
 * Rule exclusion: `--exclude-id` (ids or titles), `--exclude-tags`, `--exclude-status`, `--exclude-file` (ids or
 * titles, one per line, `#` comments), and rules whose status is `deprecated` or `unsupported`, skipped unless
 * `--include-deprecated`. Each skipped rule is counted under the first reason that applies, for the summary.
 */
import { readFileSync, statSync } from 'node:fs';
import { CliError } from '../common.js';

/** What exclusion reads of a rule (rules, correlations and compiled rule metadata fit). */
export interface ExcludableRule {
  id?: string;
  name?: string;
  title: string;
  status?: string;
  tags: readonly string[];
}

export const SKIPPED_STATUSES = ['deprecated', 'unsupported'] as const;
/** An exclude file larger than this is not a list of rule names. */
export const MAX_EXCLUDE_FILE_BYTES = 16 * 1024 * 1024;

export type ExclusionReason = 'deprecated' | 'unsupported' | 'id' | 'tag' | 'status';

/** One name read from an exclude file, with where it was. */
interface ListedName {
  name: string;
  file: string;
  line: number;
}

export interface ExclusionOptions {
  ids: readonly string[];
  tags: readonly string[];
  statuses: readonly string[];
  files: readonly string[];
  includeDeprecated: boolean;
}

function lower(values: readonly string[]): string[] {
  return values.map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
}

/** The names in an exclude file: one per line, blank lines and lines starting with `#` ignored. */
export function readExcludeFile(command: string, path: string): ListedName[] {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_EXCLUDE_FILE_BYTES) throw new Error(`it is ${size} bytes, more than the ${MAX_EXCLUDE_FILE_BYTES} a list of rules may be`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`${command}: cannot read --exclude-file ${path}: ${(e as Error).message}`);
  }
  const names: ListedName[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const name = raw.replace(/^\uFEFF/, '').trim();
    if (name !== '' && !name.startsWith('#')) names.push({ name, file: path, line: i + 1 });
  });
  return names;
}

export class Exclusion {
  private readonly names = new Set<string>();
  private readonly listed: ListedName[];
  private readonly tags: string[];
  private readonly statuses: string[];
  private readonly counts = new Map<ExclusionReason, number>();

  constructor(
    command: string,
    private readonly options: ExclusionOptions,
  ) {
    this.listed = [...options.ids.flatMap((v) => v.split(',')).map((name) => ({ name: name.trim(), file: '', line: 0 })), ...options.files.flatMap((f) => readExcludeFile(command, f))];
    for (const l of this.listed) if (l.name !== '') this.names.add(l.name.toLowerCase());
    this.tags = lower(options.tags.flatMap((v) => v.split(',')));
    this.statuses = lower(options.statuses.flatMap((v) => v.split(',')));
  }

  /** Whether any explicit exclusion was asked for (deprecated rules aside). */
  get explicit(): boolean {
    return this.names.size > 0 || this.tags.length > 0 || this.statuses.length > 0;
  }

  /** Why a rule is skipped, or null when it runs. */
  reason(rule: ExcludableRule): ExclusionReason | null {
    const status = (rule.status ?? '').toLowerCase();
    if (!this.options.includeDeprecated && (SKIPPED_STATUSES as readonly string[]).includes(status)) return status as ExclusionReason;
    for (const key of [rule.id, rule.name, rule.title]) if (key !== undefined && this.names.has(key.toLowerCase())) return 'id';
    if (this.tags.length > 0) {
      const tags = rule.tags.map((t) => t.toLowerCase());
      if (this.tags.some((x) => tags.some((t) => t === x || t.startsWith(`${x}.`)))) return 'tag';
    }
    if (this.statuses.includes(status)) return 'status';
    return null;
  }

  /** Counts the rules skipped, by reason (call once over the loaded rules). Returns names no rule has, to warn of. */
  tally(rules: readonly ExcludableRule[]): ListedName[] {
    for (const r of rules) {
      const why = this.reason(r);
      if (why !== null) this.counts.set(why, (this.counts.get(why) ?? 0) + 1);
    }
    const known = new Set(rules.flatMap((r) => [r.id, r.name, r.title].filter((k): k is string => k !== undefined).map((k) => k.toLowerCase())));
    return this.listed.filter((l) => l.name !== '' && !known.has(l.name.toLowerCase()));
  }

  /** What decides the selection, as text (part of the compile cache's key). */
  key(): string {
    return JSON.stringify({ includeDeprecated: this.options.includeDeprecated, names: [...this.names].sort(), tags: this.tags, statuses: this.statuses });
  }

  /** `tally` as a JSON value (the counts and the names no rule has), for a start-up that may come from the cache. */
  survey(rules: readonly ExcludableRule[]): { counts: [ExclusionReason, number][]; unknown: ListedName[] } {
    const unknown = this.tally(rules);
    return { counts: [...this.counts], unknown };
  }

  /** Take a survey's result (from `survey` now, or from a cache entry): the counts, and the names to warn of. */
  adopt(survey: unknown): ListedName[] {
    const s = survey as { counts?: [ExclusionReason, number][]; unknown?: ListedName[] } | undefined;
    this.counts.clear();
    for (const [reason, n] of s?.counts ?? []) this.counts.set(reason, n);
    return s?.unknown ?? [];
  }

  /** The summary's words: `3 deprecated, 1 unsupported (--include-deprecated runs them), 2 by id or title`. */
  summary(): string | null {
    const parts: string[] = [];
    const n = (r: ExclusionReason): number => this.counts.get(r) ?? 0;
    const old = [n('deprecated') > 0 ? `${n('deprecated')} deprecated` : '', n('unsupported') > 0 ? `${n('unsupported')} unsupported` : ''].filter(Boolean);
    if (old.length > 0) parts.push(`${old.join(', ')} (--include-deprecated runs them)`);
    if (n('id') > 0) parts.push(`${n('id')} by id or title (--exclude-id, --exclude-file)`);
    if (n('tag') > 0) parts.push(`${n('tag')} by tag (--exclude-tags)`);
    if (n('status') > 0) parts.push(`${n('status')} by status (--exclude-status)`);
    if (parts.length === 0) return null;
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    return `${total} rule${total === 1 ? '' : 's'}: ${parts.join(', ')}`;
  }
}
