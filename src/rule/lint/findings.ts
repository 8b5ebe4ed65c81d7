/**
 * Lint findings: what `sigmatch validate` reports about rules that load but break the specification's conventions
 * or are likely mistakes. Each has a stable code, a level and a place. Errors are what the specification forbids and
 * what makes a rule behave wrongly in sigmatch (an unknown level escapes --level and --fail-on, a duplicate id makes
 * --id and correlation references ambiguous); warnings are conventions and likely slips that change nothing at run time.
 * `validate --strict` fails on warnings too.
 */
import type { SourceLocation } from '../errors.js';

export type LintLevel = 'error' | 'warning';

/** The closed set of lint codes with their levels. Codes are stable: tools and tests match on them. */
export const LINTS = {
  /** `level` is not informational, low, medium, high or critical. */
  INVALID_LEVEL: 'error',
  /** `status` is not stable, test, experimental, deprecated or unsupported. */
  INVALID_STATUS: 'error',
  /** Two documents (in one file or two) have the same `id`. */
  DUPLICATE_ID: 'error',
  /** `date` or `modified` is not a calendar date. */
  INVALID_DATE: 'error',
  /** A rule has no `id`. */
  MISSING_ID: 'warning',
  /** `id` (or a `related` id) is not a UUID. */
  INVALID_ID: 'warning',
  /** `date` or `modified` is written YYYY/MM/DD (old SigmaHQ rules) instead of YYYY-MM-DD. */
  LEGACY_DATE: 'warning',
  /** `modified` is earlier than `date`. */
  MODIFIED_BEFORE_DATE: 'warning',
  /** A rule has no `level`. */
  MISSING_LEVEL: 'warning',
  /** A rule or correlation has no `description`. */
  MISSING_DESCRIPTION: 'warning',
  /** Two rules have the same title. */
  DUPLICATE_TITLE: 'warning',
  /** A tag is not `namespace.name` in lower case. */
  INVALID_TAG: 'warning',
  /** A tag's namespace is none of attack, car, cve, d3fend, detection, stp, tlp. */
  UNKNOWN_TAG_NAMESPACE: 'warning',
  /** An ATT&CK technique tag that is not attack.tNNNN or attack.tNNNN.NNN (or a group / software id not gNNNN / sNNNN). */
  INVALID_ATTACK_TAG: 'warning',
  /** The same tag twice. */
  DUPLICATE_TAG: 'warning',
  /** The same reference twice. */
  DUPLICATE_REFERENCE: 'warning',
  /** `tags`, `references`, `falsepositives` or `fields` is a single value instead of a list. */
  NOT_A_LIST: 'warning',
  /** A `falsepositives` entry that is not text. */
  INVALID_FALSEPOSITIVE: 'warning',
  /** A `related` type other than derived, obsolete, merged, renamed, similar. */
  INVALID_RELATED_TYPE: 'warning',
  /** A top-level key that is a near miss of a Sigma key (`referances`, `Level`): it is ignored as a custom attribute. */
  UNKNOWN_KEY: 'warning',
  /** `|all` with a single value: the specification forbids it (it changes nothing; sigmatch still loads it). */
  SINGLE_VALUE_ALL: 'warning',
  /** A search identifier the condition never uses. */
  UNUSED_IDENTIFIER: 'warning',
  /** A field name with a space (SigmaHQ convention: event field names have none). */
  FIELD_NAME_SPACE: 'warning',
  /** A field name with `*` or `?`: field names are matched literally, not as patterns. */
  FIELD_NAME_WILDCARD: 'warning',
} as const satisfies Record<string, LintLevel>;

export type LintCode = keyof typeof LINTS;

export interface LintFinding {
  code: LintCode;
  level: LintLevel;
  message: string;
  file?: string;
  line: number;
  column: number;
  ruleId?: string;
  ruleTitle?: string;
}

/** A finding at `loc`; the level comes from the code. */
export function finding(code: LintCode, message: string, loc: SourceLocation): LintFinding {
  return { code, level: LINTS[code], message, file: loc.file, line: loc.line, column: loc.column };
}

/** `file:line:column: warning: CODE: message`, as compilers write it. */
export function formatFinding(f: LintFinding): string {
  return `${f.file ?? '<string>'}:${f.line}:${f.column}: ${f.level}: ${f.code}: ${f.message}`;
}
