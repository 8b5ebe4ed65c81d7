/** `sigmatch validate`: load rules, report every error, and lint them (src/rule/lint). */
import { CliError, EXIT_FINDINGS, EXIT_OK, parsePlaceholders } from './common.js';
import { CommandLine } from './options.js';
import { planCorrelations } from '../correlation/plan.js';
import { loadRulesWithPipelines } from '../pipeline/cli-support.js';
import { formatFinding, isLintCode, Linter, LINTS, type LintCode, type LintLevel } from '../rule/lint/index.js';

const HELP_WIDTH = 116;

function codesAt(level: LintLevel): string {
  return Object.entries(LINTS)
    .filter(([, l]) => l === level)
    .map(([code]) => code)
    .join(', ');
}

/** `text` as indented lines of at most HELP_WIDTH characters, broken after commas. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = '  ';
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > HELP_WIDTH && line.trim() !== '') {
      lines.push(line.trimEnd());
      line = '    ';
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

const HELP = `sigmatch validate: check Sigma rules and report every error

Usage:
  sigmatch validate <file|dir>... [--strict] [--ignore CODE,...] [--format text|json]

Every rule is loaded as scan loads it (errors: file:line:column: CODE: message; such a rule is skipped by scan), then
linted: file:line:column: error|warning: CODE: message. Lint errors break the specification in ways that change
how sigmatch treats the rule (an unknown level or status, a duplicate id, a date that is no date); warnings are
conventions and likely slips (a missing id or description, single-value |all, unused search identifiers, malformed
tags, YYYY/MM/DD dates, near-miss keys such as "referances"). The codes:
${wrap(`errors: ${codesAt('error')}`)}
${wrap(`warnings: ${codesAt('warning')}`)}

Options:
  -f, --format <fmt>        text (default): one line per error and finding, then the counts
                            json: {"files", "rules", "errors": [{"file","line","column","code","level","message"}],
                            "lints": [{... "level", "rule": {"id","title"}}], "warnings": n}
      --strict              warnings fail too (exit code 1)
      --ignore <codes>      lint codes not to report; repeatable or comma-separated
  -P, --pipeline <name|file>  pipeline applied before checking (built-in name or file); repeatable or comma-separated
  -p, --placeholder <n=v>   value(s) for an expand placeholder %n% (n=a,b gives two); repeatable
  -h, --help                show this help

Exit code 0 when every rule loads and no lint error was found (with --strict: no warning either), 1 otherwise, 2 on
a usage error.

Examples:
  sigmatch validate rules/
  sigmatch validate --strict --ignore MISSING_DESCRIPTION my-rules/
  sigmatch validate --format json rules/ > report.json
`;

const CLI = new CommandLine('validate', HELP);

export async function runValidate(argv: string[]): Promise<number> {
  const { values, positionals } = CLI.parse(
    {
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f', default: 'text' },
        strict: { type: 'boolean', default: false },
        ignore: { type: 'string', multiple: true },
        placeholder: { type: 'string', short: 'p', multiple: true, list: 'assignments' },
        pipeline: { type: 'string', short: 'P', multiple: true, list: 'paths' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
  );
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw CLI.error('give at least one rule file or directory');
  const format = CLI.oneOf('--format', values.format, ['text', 'json']);
  const ignore = new Set<LintCode>();
  for (const code of values.ignore ?? []) {
    const upper = code.toUpperCase();
    if (!isLintCode(upper)) throw CLI.error(`--ignore: unknown lint code "${code}" (see sigmatch validate --help)`);
    ignore.add(upper);
  }
  const linter = new Linter(ignore);
  const withPipelines = loadRulesWithPipelines(positionals, values.pipeline ?? [], parsePlaceholders(values.placeholder), { inspect: linter.inspect });
  // Correlations reference rules of any file given: their references are checked against the whole set.
  const references = planCorrelations(withPipelines.set.rules, withPipelines.set.correlations).errors;
  const set = { ...withPipelines.set, errors: [...withPipelines.errors, ...withPipelines.set.errors, ...references] };
  const loaded = set.rules.length + set.correlations.length + set.filters.length - references.length;
  const lints = linter.results();
  const lintErrors = lints.filter((f) => f.level === 'error').length;
  const warnings = lints.length - lintErrors;
  const errors = set.errors.length + lintErrors;
  if (format === 'json') {
    const report = {
      files: set.files,
      rules: loaded,
      errors: set.errors.map((e) => ({ file: e.file ?? null, line: e.line ?? null, column: e.column ?? null, code: e.code, level: 'error', message: e.message })),
      lints: lints.map((f) => ({
        file: f.file ?? null,
        line: f.line,
        column: f.column,
        code: f.code,
        level: f.level,
        message: f.message,
        rule: { id: f.ruleId ?? null, title: f.ruleTitle ?? null },
      })),
      warnings,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    for (const e of set.errors) process.stdout.write(`${e.format()}\n`);
    for (const f of lints) process.stdout.write(`${formatFinding(f)}\n`);
    process.stdout.write(`${set.files} files, ${loaded} rules loaded, ${errors} errors, ${warnings} warnings\n`);
  }
  return errors > 0 || (values.strict && warnings > 0) ? EXIT_FINDINGS : EXIT_OK;
}

