/** `sigmatch pipelines`: list the built-in processing pipelines, show one, show what pipelines do to rules. */
import { readFileSync } from 'node:fs';
import { BUILTIN_PIPELINES, findBuiltin } from '../pipeline/builtins.js';
import { orderPipelines } from '../pipeline/apply.js';
import { pipelinePlaceholders } from '../pipeline/placeholders.js';
import { describePipeline, describeTransformations } from '../pipeline/render.js';
import { resolvePipelines } from '../pipeline/resolve.js';
import { loadRules } from '../rule/files.js';
import { CliError, EXIT_FINDINGS, EXIT_OK, parsePlaceholders } from './common.js';
import { CommandLine } from './options.js';

const HELP = `sigmatch pipelines: processing pipelines (field mappings and log source conditions)

Usage:
  sigmatch pipelines                                   list the built-in pipelines
  sigmatch pipelines show <name|file> [rule.yml...]    a pipeline's items; with rules, each rule before and after

Options:
  -P, --pipeline <name|file>   another pipeline applied with the one shown; repeatable or comma-separated
      --yaml                   print the pipeline's YAML text instead of its items
  -p, --placeholder <n=v>      value(s) for an expand placeholder %n% (n=a,b gives two); repeatable
  -h, --help                   show this help

A pipeline is a built-in name (sysmon, windows, ecs-windows) or a pySigma pipeline YAML file. Pipelines run by
priority (lower first). See docs/pipelines.md.

Examples:
  sigmatch pipelines show windows
  sigmatch pipelines show sysmon -P windows rules/windows/process_creation/proc_creation_win_whoami_execution.yml
  sigmatch pipelines show ./my-pipeline.yml --yaml
`;

const CLI = new CommandLine('pipelines', HELP);

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export async function runPipelines(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const { values, positionals } = CLI.parse(
    {
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        pipeline: { type: 'string', short: 'P', multiple: true, list: 'paths' },
        yaml: { type: 'boolean', default: false },
        placeholder: { type: 'string', short: 'p', multiple: true, list: 'assignments' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
  );
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const [command, target, ...rulePaths] = positionals;
  if (command === undefined || command === 'list') {
    if (positionals.length > 1) throw CLI.error('"list" takes no arguments');
    const width = Math.max(...BUILTIN_PIPELINES.map((b) => b.name.length));
    for (const b of BUILTIN_PIPELINES) {
      const requires = b.requires.length > 0 ? ` (with ${b.requires.join(', ')})` : '';
      io.stdout.write(`${b.name.padEnd(width)}  ${b.description}${requires}\n`);
    }
    return EXIT_OK;
  }
  if (command !== 'show') throw CLI.error(`unknown subcommand "${command}"; use "show" or no subcommand`);
  if (target === undefined) throw CLI.error('show: give a built-in pipeline name or a pipeline file');

  if (values.yaml) {
    const builtin = findBuiltin(target);
    let text: string;
    if (builtin) text = builtin.text;
    else {
      try {
        text = readFileSync(target, 'utf8');
      } catch {
        throw new CliError(`pipelines show: "${target}" is neither a built-in pipeline nor a readable file`);
      }
    }
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return EXIT_OK;
  }

  const resolved = resolvePipelines([target, ...(values.pipeline ?? [])]);
  for (const e of resolved.errors) io.stderr.write(`${e.format()}\n`);
  if (resolved.errors.length > 0) return EXIT_FINDINGS;
  const pipelines = orderPipelines(resolved.pipelines);
  if (rulePaths.length === 0) {
    io.stdout.write(pipelines.map(describePipeline).join('\n'));
    return EXIT_OK;
  }

  const placeholders = { ...pipelinePlaceholders(pipelines), ...parsePlaceholders(values.placeholder) };
  const set = loadRules(rulePaths, { placeholders });
  for (const e of set.errors) io.stderr.write(`${e.format()}\n`);
  let failed = set.errors.length > 0;
  io.stdout.write(`# pipelines, in the order they run: ${pipelines.map((p) => `${p.name} (priority ${p.priority})`).join(', ')}\n`);
  for (const rule of set.rules) {
    const report = describeTransformations(rule, pipelines);
    const where = `${rule.source.file ?? '<string>'}:${rule.source.line}`;
    io.stdout.write(`\n# ===== ${rule.title} (${where})\n# ----- before\n${report.before}`);
    io.stdout.write('# ----- applied\n');
    if (report.steps.length === 0) io.stdout.write('#   (no processing item matched this rule: it still meets every event)\n');
    for (const s of report.steps) io.stdout.write(`#   ${s.pipeline} ${s.item} (${s.type})${s.form > 0 ? ` on alternative ${s.form}` : ''}\n`);
    if (report.error) {
      failed = true;
      io.stdout.write(`# ----- rejected\n# ${report.error.message}\n`);
      io.stderr.write(`${report.error.format()}\n`);
    } else io.stdout.write(`# ----- after\n${report.after}`);
  }
  return failed ? EXIT_FINDINGS : EXIT_OK;
}
