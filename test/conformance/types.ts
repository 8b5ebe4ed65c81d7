/**
 * The conformance table: each case is a Sigma rule (YAML text), a few events and the expected outcome. One table,
 * run against every engine the project has (reference evaluator, WASM over objects, WASM over raw bytes), in the
 * manner of aho-corasick's test tables.
 */
export interface ConformanceCase {
  /** Unique within its group, kebab-case, says what is tested: 'contains-matches-middle'. */
  name: string;
  /** One YAML document (or several, for filters/collections), exactly as a user would write it. */
  rule: string;
  /** Events as parsed JSON objects. */
  events?: unknown[];
  /**
   * What the bytes engine scans instead of `events` written as NDJSON, when the spelling of the input matters
   * (numbers written otherwise than JSON.stringify writes them, ill-formed UTF-8): NDJSON text or bytes that read as
   * exactly `events` (JSON.parse per line after UTF-8 decoding with replacement).
   */
  bytesInput?: string | Uint8Array;
  /**
   * Indices of the events that must match (any rule of the document set). Every other event must not match.
   * For multi-rule documents, use `matchesByRule` instead.
   */
  matches?: number[];
  /** For documents holding several rules: rule title -> indices of matching events. */
  matchesByRule?: Record<string, number[]>;
  /** The case expects this load/compile error code for the (only) rule instead of matches. */
  error?: SigmaErrorCodeName;
  /** Options given to the loader/engine (placeholder values for `expand`, the null mode). */
  options?: {
    placeholders?: Record<string, string[]>;
    nullMatchesAbsent?: boolean;
  };
  /** SIGMA.md reference (section or decision row) this case proves. */
  spec?: string;
}

export interface ConformanceGroup {
  /** e.g. 'modifiers/windash'. */
  group: string;
  cases: ConformanceCase[];
}

/** The stable error codes a case may expect (src/rule/errors.ts defines the full set). */
export type SigmaErrorCodeName =
  | 'YAML_SYNTAX'
  | 'YAML_LIMIT'
  | 'DOCUMENT_TYPE'
  | 'MISSING_KEY'
  | 'INVALID_KEY'
  | 'INVALID_DETECTION'
  | 'UNKNOWN_MODIFIER'
  | 'INVALID_MODIFIER'
  | 'INVALID_VALUE'
  | 'INVALID_REGEX'
  | 'INVALID_CIDR'
  | 'CONDITION_SYNTAX'
  | 'UNKNOWN_IDENTIFIER'
  | 'EMPTY_SELECTOR'
  | 'UNSUPPORTED_AGGREGATION'
  | 'UNRESOLVED_PLACEHOLDER'
  | 'INVALID_ACTION'
  | 'INVALID_CORRELATION'
  | 'INVALID_FILTER'
  | 'CORRELATION_REFERENCE';
