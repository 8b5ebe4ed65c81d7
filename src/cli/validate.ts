/** `sigmatch validate`: load rules and report every error. */
import { loadRules } from '../rule/files.js';
import { CliError, EXIT_FINDINGS, EXIT_OK, parsePlaceholders } from './common.js';
import { CommandLine } from './options.js';
import { planCorrelations } from '../correlation/plan.js';
import { loadRulesWithPipelines } from '../pipeline/cli-support.js';

const HELP = `sigmatch validate: check Sigma rules and report every error

Usage:
  sigmatch validate <file|dir>... [--format text|json]

Options:
  -f, --format <fmt>        text (default): one error per line as file:line:column: CODE: message
                            json: {"files": n, "rules": n, "errors": [{"file","line","column","code","message"}]}
  -P, --pipeline <name|file>  pipeline applied before checking (built-in name or file); repeatable or comma-separated
  -p, --placeholder <n=v>   value(s) for an expand placeholder %n% (n=a,b gives two); repeatable
  -h, --help                show this help

Exit code 0 when every rule is valid, 1 when any error was found, 2 on a usage error.

Examples:
  sigmatch validate rules/
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
  if (values.format !== 'text' && values.format !== 'json') throw CLI.error(`unknown --format "${values.format}" (text or json)`);
  const withPipelines = loadRulesWithPipelines(positionals, values.pipeline ?? [], parsePlaceholders(values.placeholder));
  // Correlations reference rules of any file given: their references are checked against the whole set.
  const references = planCorrelations(withPipelines.set.rules, withPipelines.set.correlations).errors;
  const set = { ...withPipelines.set, errors: [...withPipelines.errors, ...withPipelines.set.errors, ...references] };
  const loaded = set.rules.length + set.correlations.length + set.filters.length - references.length;
  if (values.format === 'json') {
    const report = {
      files: set.files,
      rules: loaded,
      errors: set.errors.map((e) => ({ file: e.file ?? null, line: e.line ?? null, column: e.column ?? null, code: e.code, message: e.message })),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    for (const e of set.errors) process.stdout.write(`${e.format()}\n`);
    process.stdout.write(`${set.files} files, ${loaded} rules loaded, ${set.errors.length} errors\n`);
  }
  return set.errors.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
