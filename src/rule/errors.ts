/**
 * Errors are values: every problem with a rule is a SigmaError with a stable code, the place it comes from and a
 * message that says what is wrong and what to do. The loader collects them and skips the bad rule; the rest loads.
 */

/** The closed set of error codes. Codes are stable: tools and tests match on them, never on messages. */
export const ERROR_CODES = [
  /** The file could not be read (missing, unreadable, not UTF-8). */
  'FILE_READ',
  /** The YAML text does not parse. */
  'YAML_SYNTAX',
  /** A resource bound was exceeded: file size, alias expansion, nesting depth. */
  'YAML_LIMIT',
  /** A YAML document is neither a rule (detection), a correlation (correlation) nor a filter (filter). */
  'DOCUMENT_TYPE',
  /** A required key is missing (title, logsource, detection, condition, ...). */
  'MISSING_KEY',
  /** A key has the wrong type or an invalid value (title not a string, tags not a list, ...). */
  'INVALID_KEY',
  /** A detection definition has a shape Sigma does not allow. */
  'INVALID_DETECTION',
  /** A modifier name that Sigma does not define. */
  'UNKNOWN_MODIFIER',
  /** A modifier in the wrong place or combination (re not first, exists with others, i without re, ...). */
  'INVALID_MODIFIER',
  /** A value of the wrong type for its modifiers (contains on a number, wildcard in base64, ...). */
  'INVALID_VALUE',
  /** A regular expression that does not parse or uses an unsupported construct. */
  'INVALID_REGEX',
  /** A cidr value that is not an IPv4 or IPv6 network. */
  'INVALID_CIDR',
  /** The condition does not parse. */
  'CONDITION_SYNTAX',
  /** The condition names a search identifier the detection does not define. */
  'UNKNOWN_IDENTIFIER',
  /** An `x of pattern` selector matches no search identifier. */
  'EMPTY_SELECTOR',
  /** Sigma 1 aggregations (`| count()`, `timeframe`): use a correlation rule instead. */
  'UNSUPPORTED_AGGREGATION',
  /** An `expand` placeholder with no value supplied. */
  'UNRESOLVED_PLACEHOLDER',
  /** A legacy collection `action` that is unknown or out of place. */
  'INVALID_ACTION',
  /** A correlation document that does not follow the specification. */
  'INVALID_CORRELATION',
  /** A filter document that does not follow the specification. */
  'INVALID_FILTER',
  /** A processing pipeline that is malformed or uses something unsupported. */
  'INVALID_PIPELINE',
  /** A correlation whose `rules` name nothing loaded, that references a correlation left out, or a cycle of them. */
  'CORRELATION_REFERENCE',
] as const;

export type SigmaErrorCode = (typeof ERROR_CODES)[number];

/** Where something is in its source: 1-based line and column; file is absent for rules loaded from strings. */
export interface SourceLocation {
  file?: string;
  line: number;
  column: number;
}

export interface SigmaErrorContext extends Partial<SourceLocation> {
  ruleTitle?: string;
  ruleId?: string;
}

export class SigmaError extends Error {
  readonly code: SigmaErrorCode;
  file?: string;
  line?: number;
  column?: number;
  ruleTitle?: string;
  ruleId?: string;

  constructor(code: SigmaErrorCode, message: string, context: SigmaErrorContext = {}) {
    super(message);
    this.name = 'SigmaError';
    this.code = code;
    this.file = context.file;
    this.line = context.line;
    this.column = context.column;
    this.ruleTitle = context.ruleTitle;
    this.ruleId = context.ruleId;
  }

  /** `file:line:column: CODE: message`, the form compilers and editors understand. */
  format(): string {
    const where = [this.file ?? '<string>', this.line, this.column].filter((p) => p !== undefined).join(':');
    const rule = this.ruleTitle ? ` (rule "${this.ruleTitle}")` : '';
    return `${where}: ${this.code}: ${this.message}${rule}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      file: this.file ?? null,
      line: this.line ?? null,
      column: this.column ?? null,
      code: this.code,
      message: this.message,
      ...(this.ruleTitle !== undefined ? { rule: this.ruleTitle } : {}),
      ...(this.ruleId !== undefined ? { id: this.ruleId } : {}),
    };
  }
}

/** Fill in the position and rule context of an error thrown deep inside a parser that did not know them. */
export function withContext(error: SigmaError, context: SigmaErrorContext): SigmaError {
  if (error.file === undefined) error.file = context.file;
  if (error.line === undefined) {
    error.line = context.line;
    error.column = context.column;
  }
  if (error.ruleTitle === undefined) error.ruleTitle = context.ruleTitle;
  if (error.ruleId === undefined) error.ruleId = context.ruleId;
  return error;
}
