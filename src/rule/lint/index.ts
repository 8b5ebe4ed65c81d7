/** Rule lints for `sigmatch validate` (src/rule/lint): codes and levels, per-document and cross-document checks. */
export { finding, formatFinding, LINTS, type LintCode, type LintFinding, type LintLevel } from './findings.js';
export { isLintCode, Linter } from './linter.js';
