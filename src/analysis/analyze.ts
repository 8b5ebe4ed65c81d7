/**
 * `analyzeRule`: what a detection catalog says about a Sigma rule, as data: metadata, ATT&CK coverage, the events its
 * log source maps to (through processing pipelines), the condition in stages, and its exclusions and indicators with,
 * given a corpus, how many other rules share each. `sigmatch explain` renders it (render.ts). Pure: no file system.
 */
import type { Pipeline } from '../pipeline/model.js';
import type { LogSource, RelatedRule, SigmaRule } from '../rule/model.js';
import { attackCoverage, type AttackCoverage } from './attack.js';
import { CorpusIndex } from './corpus.js';
import { defaultCoveragePipelines, eventCoverage, type EventCoverage } from './events.js';
import { predicateRoles, rawDefinition, ruleStages, type PredicateRow, type Stage } from './predicates.js';
import { yamlEntry } from './yaml.js';

export interface AnalyzeOptions {
  /** Other rules to compare indicators and exclusions with (or an index built once for many analyses). */
  corpus?: readonly SigmaRule[] | CorpusIndex;
  /**
   * Pipelines for event coverage (e.g. from `resolvePipelines` or `builtinPipelines`); default the built-in sysmon and
   * windows pipelines. An empty list: coverage from the rule's own EventID / Channel predicates only.
   */
  pipelines?: readonly Pipeline[];
}

export interface RuleMetadata {
  title: string;
  id?: string;
  status?: string;
  level?: string;
  description?: string;
  author?: string;
  date?: string;
  modified?: string;
  license?: string;
  logsource: LogSource;
  tags: string[];
  references: string[];
  falsepositives: string[];
  related: RelatedRule[];
  /** Filters (meta rules) applied to the rule. */
  filters: string[];
  /** Where the rule is: file (absent for rules from strings), line, document index in the file. */
  source: { file?: string; line: number; document: number };
}

export interface RuleAnalysis {
  metadata: RuleMetadata;
  attack: AttackCoverage;
  events: EventCoverage;
  /** The condition as written (filters applied: the effective condition). */
  condition: string;
  stages: Stage[];
  /** Predicates of the top-level NOT conjuncts: what the rule actively suppresses. */
  exclusions: PredicateRow[];
  /** Predicates the rule requires positively. */
  indicators: PredicateRow[];
  /** Present when a corpus was given: its size; each row's `corpus` counts the other rules sharing it. */
  corpus?: { rules: number };
}

/** `logsource` as a catalog writes it: `product windows, category dns_query`. */
export function logsourceText(ls: LogSource): string {
  const order = ['product', 'category', 'service', 'definition'];
  const keys = [...order.filter((k) => ls[k] !== undefined), ...Object.keys(ls).filter((k) => !order.includes(k) && ls[k] !== undefined)];
  return keys.map((k) => `${k} ${ls[k]}`).join(', ');
}

export function analyzeRule(rule: SigmaRule, options: AnalyzeOptions = {}): RuleAnalysis {
  const metadata: RuleMetadata = {
    title: rule.title,
    ...(rule.id !== undefined ? { id: rule.id } : {}),
    ...(rule.status !== undefined ? { status: rule.status } : {}),
    ...(rule.level !== undefined ? { level: rule.level } : {}),
    ...(rule.description !== undefined ? { description: rule.description.trim() } : {}),
    ...(rule.author !== undefined ? { author: rule.author } : {}),
    ...(rule.date !== undefined ? { date: rule.date } : {}),
    ...(rule.modified !== undefined ? { modified: rule.modified } : {}),
    ...(rule.license !== undefined ? { license: rule.license } : {}),
    logsource: { ...rule.logsource },
    tags: [...rule.tags],
    references: [...rule.references],
    falsepositives: [...rule.falsepositives],
    related: rule.related.map((r) => ({ ...r })),
    filters: [...rule.appliedFilters],
    source: { ...(rule.source.file !== undefined ? { file: rule.source.file } : {}), line: rule.source.line, document: rule.source.document },
  };
  const stages = ruleStages(rule, (name) => {
    const def = rawDefinition(rule, name);
    return def === undefined ? undefined : yamlEntry(name, def);
  });
  const { exclusions, indicators } = predicateRoles(rule);
  const index = options.corpus === undefined ? undefined : options.corpus instanceof CorpusIndex ? options.corpus : CorpusIndex.build(options.corpus);
  if (index) {
    for (const row of exclusions) row.corpus = index.count('exclusion', row, rule);
    for (const row of indicators) row.corpus = index.count('indicator', row, rule);
  }
  return {
    metadata,
    attack: attackCoverage(rule.tags),
    events: eventCoverage(rule, options.pipelines ?? defaultCoveragePipelines()),
    condition: stages[0].label,
    stages,
    exclusions,
    indicators,
    ...(index ? { corpus: { rules: index.size } } : {}),
  };
}
