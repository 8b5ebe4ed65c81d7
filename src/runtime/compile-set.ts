/**
 * A rule set with its correlations, compiled (Matcher.create, `sigmatch compile`) or loaded back (an artifact, or a
 * CompiledRuleSet that carries correlations): the correlation plan, and the fields the VM copies out of hit events for
 * it (captures.ts), which the program must extract. Compiling includes them; loading checks them, since a program
 * cannot be given fields after it was compiled.
 */
import { ArtifactError } from '../compiler/artifact-error.js';
import { compileRules, type CompiledRuleSet } from '../compiler/compile.js';
import { DEFAULT_TIME_FIELDS, planCorrelations, type CorrelationPlan } from '../correlation/index.js';
import type { SigmaError } from '../rule/errors.js';
import type { SigmaCorrelation, SigmaRule } from '../rule/model.js';
import { correlationFields } from './captures.js';

export interface PlannedCorrelations {
  plan: CorrelationPlan;
  /** The fields the correlations read (captured by the VM on the bytes path). */
  fields: readonly string[];
  /** The event time fields tried before the default ones: the run's, then those the set was compiled with. */
  timeFields: readonly string[];
}

export interface CompiledSet {
  compiled: CompiledRuleSet;
  /** null when no correlation planned. */
  correlations: PlannedCorrelations | null;
  /** Correlations left out (reference errors, cycles). */
  errors: SigmaError[];
}

const unique = (list: readonly string[]): string[] => [...new Set(list)];

/** Compile rules with their correlations: the program extracts what the correlations read; it carries them. */
export function compileRuleSet(rules: readonly SigmaRule[], correlations: readonly SigmaCorrelation[], timeFields: readonly string[] = []): CompiledSet {
  if (correlations.length === 0) return { compiled: compileRules(rules), correlations: null, errors: [] };
  const plan = planCorrelations(rules, correlations);
  if (plan.correlations.length === 0) return { compiled: compileRules(rules), correlations: null, errors: plan.errors };
  const fields = correlationFields(plan, unique([...timeFields, ...DEFAULT_TIME_FIELDS]));
  const compiled: CompiledRuleSet = {
    ...compileRules(rules, { extraFields: fields }),
    correlations: { documents: plan.correlations.map((c) => c.source), timeFields: unique(timeFields) },
  };
  return { compiled, correlations: { plan, fields, timeFields: unique(timeFields) }, errors: plan.errors };
}

/**
 * The correlations a compiled rule set carries, planned against its rules; `timeFields` (the run's) come before the
 * ones it was compiled with. A field the correlations read that its program does not extract (a time field not
 * given when compiling) is an ArtifactError (ARTIFACT_FIELDS).
 */
export function carriedCorrelations(compiled: CompiledRuleSet, timeFields: readonly string[] = []): { correlations: PlannedCorrelations | null; errors: SigmaError[] } {
  const carried = compiled.correlations;
  if (!carried || carried.documents.length === 0) return { correlations: null, errors: [] };
  const plan = planCorrelations(compiled.rules, carried.documents);
  if (plan.correlations.length === 0) return { correlations: null, errors: plan.errors };
  const ordered = unique([...timeFields, ...carried.timeFields]);
  const fields = correlationFields(plan, unique([...ordered, ...DEFAULT_TIME_FIELDS]));
  const extracted = new Set(compiled.fields);
  const missing = fields.filter((f) => !extracted.has(f));
  if (missing.length > 0) {
    throw new ArtifactError(
      `the compiled rule set does not extract ${missing.map((f) => `"${f}"`).join(', ')}, which its correlations read: time fields are chosen when compiling (sigmatch compile --time-field ${missing[0]})`,
      'ARTIFACT_FIELDS',
    );
  }
  return { correlations: { plan, fields, timeFields: ordered }, errors: plan.errors };
}
