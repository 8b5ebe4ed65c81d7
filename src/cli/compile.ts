/** `sigmatch compile`: compile rules (through pipelines) into a portable artifact that loads without YAML. */
import { writeFile } from 'node:fs/promises';
import { writeArtifact } from '../compiler/artifact.js';
import { compileRuleSet } from '../runtime/compile-set.js';
import { CliError, EXIT_OK, loadRulesReporting, parsePlaceholders } from './common.js';
import { CommandLine } from './options.js';

const HELP = `sigmatch compile: compile Sigma rules into a .sigc artifact

Usage:
  sigmatch compile --rules <file|dir> [--rules ...] [-P <pipeline>]... [--time-field <name>]... -o <out.sigc>

The artifact holds the bytecode, the prefilter tables, each rule's metadata and the correlation rules. "sigmatch
scan --compiled" and Matcher.create(bytes) load it in milliseconds, without parsing the rules' YAML (browsers and
Workers included), and run its correlations as --rules would. An artifact is tied to the sigmatch version that
wrote it; an older or foreign file is refused with a message to recompile.

Options:
  -r, --rules <path>          rule file or directory; repeatable or comma-separated
  -P, --pipeline <name|file>  processing pipeline (see sigmatch pipelines); repeatable or comma-separated
  -p, --placeholder <n=v>     value(s) for an expand placeholder %n% (n=a,b gives two); repeatable
      --time-field <name>     a field holding the event time for the correlations, tried before @timestamp,
                              timestamp, UtcTime and the evtx SystemTime; repeatable or comma-separated (the
                              artifact's program extracts it, so Matcher.create(bytes) can read it on the bytes path)
  -o, --output <file>         where to write the artifact
  -h, --help                  show this help

Examples:
  sigmatch compile -r rules/windows -P sysmon -P windows -o windows.sigc
  sigmatch scan --compiled windows.sigc events.ndjson
`;

const CLI = new CommandLine('compile', HELP);

export async function runCompile(argv: string[]): Promise<number> {
  const { values } = CLI.parse(
    {
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        rules: { type: 'string', short: 'r', multiple: true, list: 'paths' },
        pipeline: { type: 'string', short: 'P', multiple: true, list: 'paths' },
        placeholder: { type: 'string', short: 'p', multiple: true, list: 'assignments' },
        output: { type: 'string', short: 'o' },
        'time-field': { type: 'string', multiple: true, list: 'values' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
  );
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  if (!values.rules || values.rules.length === 0) throw CLI.error('give at least one --rules <file|dir>');
  if (!values.output) throw CLI.error('give the artifact to write with -o <file.sigc>');
  const { set, pipelines, routed, unrouted } = loadRulesReporting(values.rules, values.pipeline ?? [], parsePlaceholders(values.placeholder), process.stderr);
  if (set.rules.length === 0) throw new CliError('compile: no rule loaded (see the errors above)');
  const started = performance.now();
  const { compiled, correlations, errors } = compileRuleSet(set.rules, set.correlations, values['time-field'] ?? []);
  for (const e of errors) process.stderr.write(`${e.format()}\n`);
  const artifact = writeArtifact(compiled);
  const ms = performance.now() - started;
  try {
    await writeFile(values.output, artifact);
  } catch (e) {
    throw new CliError(`compile: cannot write ${values.output}: ${(e as Error).message}`);
  }
  const s = compiled.stats;
  process.stderr.write(
    `sigmatch: compiled ${s.rules} rules (${set.errors.length} skipped with errors) and ${correlations?.plan.correlations.length ?? 0} correlations in ${ms.toFixed(0)} ms: ` +
      `${s.predicates} predicates (${s.predicateReferences} before sharing), ${s.slots} fields, ${s.prefilter.alwaysRules} rules without a prefilter requirement; ` +
      `${artifact.length} bytes -> ${values.output}\n`,
  );
  if (pipelines.length > 0) process.stderr.write(`sigmatch: pipelines ${pipelines.join(', ')}: ${routed} rules routed, ${unrouted} not recognised\n`);
  return EXIT_OK;
}
