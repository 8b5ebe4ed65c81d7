/**
 * `analyzeCorrelation`: what `sigmatch explain` says about a correlation rule, as data: its metadata and ATT&CK
 * coverage, the type in words, the rules it references (resolved against the rules loaded beside it), the group-by
 * fields (with aliases per rule), the window, the condition, the settings (action, suppress, window mode) and
 * what `generate` does to the referenced rules' own hits. Rendered as text or Markdown like a rule's page.
 */
import { conditionToString } from '../rule/condition.js';
import type { CorrelationBound, CorrelationType, SigmaCorrelation, SigmaDocumentBase } from '../rule/model.js';
import { attackCoverage, type AttackCoverage } from './attack.js';

export interface CorrelationAnalysis {
  kind: 'correlation';
  metadata: {
    title: string;
    id?: string;
    name?: string;
    status?: string;
    level?: string;
    description?: string;
    author?: string;
    date?: string;
    modified?: string;
    tags: string[];
    references: string[];
    falsepositives: string[];
    source: { file?: string; line: number; document: number };
  };
  attack: AttackCoverage;
  type: CorrelationType;
  /** What the type aggregates, in words. */
  meaning: string;
  /** Each reference of `rules`, and what it names among the documents given (empty: nothing loaded has it). */
  rules: { reference: string; resolves: { kind: 'rule' | 'correlation'; title: string; id?: string }[] }[];
  /** Each group-by name and, when aliases map it, the field each rule reads for it. */
  groupBy: { name: string; aliases: { reference: string; field: string }[] }[];
  window: { timespan: string; seconds: number; mode: string; gap?: number };
  /** The condition in words (evaluated after each counted event). */
  condition: string;
  action: string;
  /** Seconds after an alert in which the group does not alert again (0: none set). */
  suppress: number;
  generate: boolean;
}

/** The documents references resolve against (the rule set loaded with the correlation). */
export interface CorrelationContext {
  rules: readonly SigmaDocumentBase[];
  correlations: readonly SigmaDocumentBase[];
}

const OPERATOR: Readonly<Record<CorrelationBound['op'], string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '!=' };

const MEANING: Readonly<Record<CorrelationType, string>> = {
  event_count: 'counts the events of each group in the window',
  value_count: 'counts the distinct values of a field in each group\'s window',
  temporal: 'requires the referenced rules to match in the same group within the window, in any order',
  temporal_ordered: 'requires the referenced rules to match in the same group within the window, in the order listed',
  value_sum: 'sums a numeric field over each group\'s window',
  value_avg: 'averages a numeric field over each group\'s window',
  value_percentile: 'takes a percentile (nearest rank) of a numeric field over each group\'s window',
  value_median: 'takes the median (nearest rank: the lower middle) of a numeric field over each group\'s window',
};

function fieldText(field: string | string[] | undefined): string {
  return field === undefined ? '?' : Array.isArray(field) ? `(${field.join(', ')})` : field;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** The condition in words: the aggregate and its bounds. */
export function correlationConditionText(c: SigmaCorrelation): string {
  const field = fieldText(c.condition?.field);
  const bounds = (c.condition?.bounds ?? []).map((b) => `${OPERATOR[b.op]} ${b.value}`).join(' and ');
  const n = c.rules.length;
  switch (c.type) {
    case 'event_count':
      return `events ${bounds}`;
    case 'value_count':
      return `distinct values of ${field} ${bounds}`;
    case 'temporal':
      if (c.expression) return `rules seen satisfy: ${conditionToString(c.expression)}`;
      return bounds ? `distinct rules seen ${bounds}` : `all ${n} rules seen`;
    case 'temporal_ordered':
      if (c.expression) return `steps reached in order satisfy: ${conditionToString(c.expression)}`;
      return bounds ? `steps reached in order ${bounds}` : `all ${n} rules, in order`;
    case 'value_sum':
      return `sum of ${field} ${bounds}`;
    case 'value_avg':
      return `average of ${field} ${bounds}`;
    case 'value_percentile':
      return `${ordinal(c.condition?.percentile ?? 50)} percentile of ${field} ${bounds}`;
    case 'value_median':
      return `median of ${field} ${bounds}`;
  }
}

export function analyzeCorrelation(c: SigmaCorrelation, context: CorrelationContext = { rules: [], correlations: [] }): CorrelationAnalysis {
  const named = (doc: SigmaDocumentBase, ref: string): boolean => doc.id === ref || doc.name === ref;
  const settings = c.settings;
  const mode = settings.window ?? 'sliding';
  return {
    kind: 'correlation',
    metadata: {
      title: c.title,
      ...(c.id !== undefined ? { id: c.id } : {}),
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.status !== undefined ? { status: c.status } : {}),
      ...(c.level !== undefined ? { level: c.level } : {}),
      ...(c.description !== undefined ? { description: c.description.trim() } : {}),
      ...(c.author !== undefined ? { author: c.author } : {}),
      ...(c.date !== undefined ? { date: c.date } : {}),
      ...(c.modified !== undefined ? { modified: c.modified } : {}),
      tags: [...c.tags],
      references: [...c.references],
      falsepositives: [...c.falsepositives],
      source: { ...(c.source.file !== undefined ? { file: c.source.file } : {}), line: c.source.line, document: c.source.document },
    },
    attack: attackCoverage(c.tags),
    type: c.type,
    meaning: MEANING[c.type],
    rules: c.rules.map((reference) => ({
      reference,
      resolves: [
        ...context.rules.filter((r) => named(r, reference)).map((r) => ({ kind: 'rule' as const, title: r.title, ...(r.id !== undefined ? { id: r.id } : {}) })),
        ...context.correlations.filter((r) => r !== c && named(r, reference)).map((r) => ({ kind: 'correlation' as const, title: r.title, ...(r.id !== undefined ? { id: r.id } : {}) })),
      ],
    })),
    groupBy: c.groupBy.map((name) => ({ name, aliases: Object.entries(c.aliases[name] ?? {}).map(([reference, field]) => ({ reference, field })) })),
    window: { timespan: c.timespanText, seconds: c.timespan, mode, ...(mode === 'session' ? { gap: settings.gap ?? c.timespan } : {}) },
    condition: correlationConditionText(c),
    action: settings.action ?? 'alert',
    suppress: settings.suppress ?? 0,
    generate: c.generate,
  };
}
