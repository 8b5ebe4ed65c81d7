/**
 * The correlation section of an artifact (src/compiler/artifact.ts): the correlation rules a compiled rule set
 * carries, as UTF-8 JSON `{ timeFields, documents: [{ document, source }] }`. Each `document` is the correlation
 * document as written (its plain data, `raw`), and is read back through the rule parser itself, so a correlation
 * loaded from an artifact is validated exactly as one loaded from YAML and gets the same model (types, rules, chains,
 * group-by, aliases, timespan, condition and ranges, field, percentile, generate, the sigmatch.* window and action
 * attributes); `source` keeps where it was written, for alerts and explanations. Correlations are few, so parsing
 * them again costs little next to the program; rules stay YAML-free.
 */
import { parseRuleText } from '../rule/load.js';
import type { SigmaCorrelation } from '../rule/model.js';
import { ArtifactError } from './artifact-error.js';
import type { CarriedCorrelations } from './compile.js';

interface SectionJson {
  timeFields: string[];
  documents: { document: Record<string, unknown>; source: SigmaCorrelation['source'] }[];
}

export function encodeCorrelations(carried: CarriedCorrelations): string {
  const section: SectionJson = {
    timeFields: [...carried.timeFields],
    documents: carried.documents.map((c) => ({ document: c.raw, source: c.source })),
  };
  return JSON.stringify(section);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function isSource(v: unknown): v is SigmaCorrelation['source'] {
  return isObject(v) && (v.file === undefined || typeof v.file === 'string') && isCount(v.line) && isCount(v.column) && isCount(v.document);
}

/** The correlations of a section's bytes; anything that does not load is an ArtifactError (ARTIFACT_CORRELATIONS). */
export function decodeCorrelations(bytes: Uint8Array, name: string): CarriedCorrelations {
  const damaged = (what: string): ArtifactError =>
    new ArtifactError(`${name} is damaged: its correlation section ${what}; recompile it with sigmatch compile`, 'ARTIFACT_CORRELATIONS');
  let section: unknown;
  try {
    section = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw damaged(`is unreadable (${(e as Error).message})`);
  }
  if (!isObject(section) || !Array.isArray(section.timeFields) || !section.timeFields.every((f) => typeof f === 'string') || !Array.isArray(section.documents)) {
    throw damaged('is not a list of correlations with time fields');
  }
  const documents = section.documents.map((entry: unknown, k: number): SigmaCorrelation => {
    if (!isObject(entry) || !isObject(entry.document) || !isSource(entry.source)) throw damaged(`has an incomplete entry ${k + 1}`);
    const set = parseRuleText(JSON.stringify(entry.document), name);
    const correlation = set.correlations[0];
    if (set.errors.length > 0 || set.correlations.length !== 1 || set.rules.length > 0 || set.filters.length > 0) {
      const why = set.errors[0]?.message ?? 'it is not one correlation rule';
      throw damaged(`holds a correlation (entry ${k + 1}) that does not load: ${why}`);
    }
    return { ...correlation, source: entry.source };
  });
  return { documents, timeFields: section.timeFields as string[] };
}
