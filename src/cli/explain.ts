/** `sigmatch explain`: a detection catalog's page for a rule (metadata, ATT&CK, events, stages, exclusions, indicators). */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeRule } from '../analysis/analyze.js';
import { analyzeCorrelation } from '../analysis/correlation.js';
import { renderCorrelationMarkdown, renderCorrelationText } from '../analysis/render-correlation.js';
import { CorpusIndex } from '../analysis/corpus.js';
import { defaultCoveragePipelines } from '../analysis/events.js';
import { renderMarkdown, renderText } from '../analysis/render.js';
import { documentTexts } from '../analysis/yaml.js';
import { orderPipelines } from '../pipeline/apply.js';
import type { Pipeline } from '../pipeline/model.js';
import { pipelinePlaceholders } from '../pipeline/placeholders.js';
import { resolvePipelines } from '../pipeline/resolve.js';
import { loadRules } from '../rule/files.js';
import type { RuleSet } from '../rule/load.js';
import type { SigmaCorrelation, SigmaRule } from '../rule/model.js';
import { CliError, EXIT_FINDINGS, EXIT_OK, parsePlaceholders } from './common.js';
import { CommandLine } from './options.js';
import type { CliIo } from './pipelines.js';

const HELP = `sigmatch explain: explain a Sigma rule (or correlation rule) the way a detection catalog does

Usage:
  sigmatch explain <rule file|dir>... [--id <id>] [--corpus <dir>]... [-P pipeline]... [--format text|json|markdown]

For each rule: metadata; MITRE ATT&CK coverage from its tags; the events its log source maps to (through the
pipelines: e.g. category dns_query is Sysmon event ID 22); the condition in stages (each top-level conjunct with its
search identifiers); the exclusions (predicates of the top-level "not" conjuncts) and the indicators (predicates the
rule requires), as field / kind / value rows. With --corpus, each row counts the other rules of the corpus that have
the same field, kind and value in the same role. For a correlation rule: its type, the rules it references (resolved
against the rules given beside it), group-by fields and aliases, the window, the condition, what an alert does and
what generate does to the referenced rules' hits.

Options:
  -i, --id <id>               explain only the rule with this id (useful with a directory)
  -c, --corpus <dir|file>     rules to compare with (repeatable, or comma-separated paths)
  -P, --pipeline <name|file>  pipelines for the event coverage; repeatable or comma-separated (default: sysmon
                              and windows; "-P none" for none, leaving only the rule's own EventID / Channel)
  -f, --format <fmt>          text (default), markdown, or json (one analysis object per rule and line)
      --no-body               leave the rule's YAML text out of text and markdown
  -p, --placeholder <n=v>     value(s) for an expand placeholder %n% (n=a,b gives two); repeatable
  -h, --help                  show this help

Kinds: eq, starts_with, ends_with, match (contains), glob (other wildcard patterns), regex, cidr, null, exists,
fieldref, gt/gte/lt/lte, timepart. Values are as written in the rule with Sigma escapes resolved; transformed values
(windash, base64offset, ...) are shown as written with the modifier next to the kind.

Exit code 0 when every rule given was explained; 1 when a rule file has errors (they are printed as
file:line:column: CODE: message; the rules that load are still explained) or no rule has the --id; 2 on a usage
error (bad option, unreadable path, unknown pipeline).

Examples:
  sigmatch explain rules/windows/dns_query/dns_query_win_domain_azurewebsites.yml
  sigmatch explain rules/ --id e043f529-8514-4205-8ab0-7f7d2927b400 --corpus rules/ --format markdown > page.md
  sigmatch explain my-rule.yml -P ecs-windows --format json | jq '.indicators'
`;

const CLI = new CommandLine('explain', HELP);

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * The YAML text of one document of a file (the whole file when it holds one document), or undefined when the file
 * cannot be read. Each file's documents are found once (documentTexts): explain runs in time linear in the files.
 */
export function fileDocumentText(file: string, document: number, cache: Map<string, string[] | null>): string | undefined {
  let texts = cache.get(file);
  if (texts === undefined) {
    try {
      texts = documentTexts(readFileSync(file, 'utf8'));
    } catch {
      texts = null;
    }
    cache.set(file, texts);
  }
  if (texts === null) return undefined;
  return texts.length === 1 ? texts[0] : texts[document];
}

export async function runExplain(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const { values, positionals } = CLI.parse(
    {
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        id: { type: 'string', short: 'i' },
        corpus: { type: 'string', short: 'c', multiple: true, list: 'paths' },
        pipeline: { type: 'string', short: 'P', multiple: true, list: 'paths' },
        format: { type: 'string', short: 'f', default: 'text' },
        'no-body': { type: 'boolean', default: false },
        placeholder: { type: 'string', short: 'p', multiple: true, list: 'assignments' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
  );
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const format = CLI.oneOf('--format', values.format!, ['text', 'markdown', 'json']);
  if (positionals.length === 0) throw CLI.error('give a rule file or directory');
  for (const p of positionals) if (!existsSync(p)) throw new CliError(`explain: no such rule file or directory: ${p}`);

  let pipelines: Pipeline[];
  const pipelineArgs = values.pipeline ?? [];
  if (pipelineArgs.length === 0) pipelines = defaultCoveragePipelines();
  else if (pipelineArgs.length === 1 && pipelineArgs[0] === 'none') pipelines = [];
  else {
    const resolved = resolvePipelines(pipelineArgs);
    if (resolved.errors.length > 0) throw new CliError(`explain: pipeline errors:\n${resolved.errors.map((e) => `  ${e.format()}`).join('\n')}`);
    pipelines = orderPipelines(resolved.pipelines);
  }
  const placeholders = { ...pipelinePlaceholders(pipelines), ...parsePlaceholders(values.placeholder) };

  let corpus: CorpusIndex | undefined;
  let corpusSet: RuleSet | undefined;
  const corpusPaths = values.corpus ?? [];
  if (corpusPaths.length > 0) {
    for (const p of corpusPaths) if (!existsSync(p)) throw new CliError(`explain: no such corpus file or directory: ${p}`);
    corpusSet = loadRules(corpusPaths, { placeholders });
    corpus = CorpusIndex.build(corpusSet.rules);
    io.stderr.write(
      `sigmatch: corpus: ${corpusSet.rules.length} rules from ${corpusSet.files} files${corpusSet.errors.length > 0 ? ` (${corpusSet.errors.length} rules skipped with errors; sigmatch validate lists them)` : ''}\n`,
    );
  }
  // Explaining rules of the corpus itself (explain rules/ --id X --corpus rules/): load once.
  const same = corpusSet !== undefined && sameSet(positionals.map((p) => resolve(p)), corpusPaths.map((p) => resolve(p)));
  const set = same ? corpusSet! : loadRules(positionals, { placeholders });
  // With --id, only that rule's errors matter; other rules of the directory are not being explained.
  const relevant = values.id !== undefined ? set.errors.filter((e) => e.ruleId === values.id) : set.errors;
  for (const e of relevant) io.stderr.write(`${e.format()}\n`);
  const others = set.errors.length - relevant.length;
  if (others > 0 && !same) io.stderr.write(`sigmatch: explain: ${others} other rules under ${positionals.join(', ')} have errors (sigmatch validate lists them)\n`);
  let rules: SigmaRule[] = set.rules;
  let correlations: SigmaCorrelation[] = set.correlations;
  if (values.id !== undefined) {
    rules = rules.filter((r) => r.id === values.id);
    correlations = correlations.filter((c) => c.id === values.id || c.name === values.id);
  }
  const failed = relevant.length > 0;
  if (rules.length === 0 && correlations.length === 0) {
    const what = values.id !== undefined ? `no rule with id ${values.id} under ${positionals.join(', ')}` : `no rule loaded from ${positionals.join(', ')}`;
    io.stderr.write(`sigmatch: explain: ${what}${relevant.length > 0 ? ' (see the errors above; sigmatch validate checks rules)' : ''}\n`);
    return EXIT_FINDINGS;
  }
  if (relevant.length > 0) io.stderr.write(`sigmatch: explain: ${relevant.length} rule errors above; fix them (sigmatch validate <file>) to explain those rules\n`);

  const texts = new Map<string, string[] | null>();
  const pages: string[] = [];
  for (const rule of rules) {
    const analysis = analyzeRule(rule, { corpus, pipelines });
    if (format === 'json') {
      pages.push(`${JSON.stringify(analysis)}\n`);
      continue;
    }
    const body = values['no-body'] || rule.source.file === undefined ? undefined : fileDocumentText(rule.source.file, rule.source.document, texts);
    pages.push(format === 'markdown' ? renderMarkdown(analysis, { body }) : renderText(analysis, { body }));
  }
  for (const c of correlations) {
    const analysis = analyzeCorrelation(c, set);
    if (format === 'json') {
      pages.push(`${JSON.stringify(analysis)}\n`);
      continue;
    }
    const body = values['no-body'] || c.source.file === undefined ? undefined : fileDocumentText(c.source.file, c.source.document, texts);
    pages.push(format === 'markdown' ? renderCorrelationMarkdown(analysis, { body }) : renderCorrelationText(analysis, { body }));
  }
  io.stdout.write(format === 'json' ? pages.join('') : pages.join(format === 'markdown' ? '\n---\n\n' : '\n\n'));
  return failed ? EXIT_FINDINGS : EXIT_OK;
}
