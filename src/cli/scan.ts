/** `sigmatch scan`: run rules over NDJSON, a JSON array, or concatenated JSON objects (evtx_dump output). */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ArtifactError, readArtifact } from '../compiler/artifact.js';
import { compileRules, type CompiledRuleSet, type RuleInfo } from '../compiler/compile.js';
import { ReferenceEvaluator } from '../eval/reference.js';
import { JsonEventReader, type EventRecord } from '../input/json-events.js';
import type { SigmaRule } from '../rule/model.js';
import { Matcher, type ScanBatch } from '../runtime/matcher.js';
import { looksLikeNdjson, ParallelScanner } from '../runtime/parallel.js';
import '../index.js'; // registers the Node loader of build/sigmatch.wasm
import { parseArgs } from 'node:util';
import { CliError, EXIT_OK, loadRulesReporting, type LoadedRules, withUsageErrors, parsePlaceholders } from './common.js';

const HELP = `sigmatch scan: match Sigma rules against events

Usage:
  sigmatch scan --rules <file|dir> [--rules ...] [options] <events file | ->

Events: NDJSON (one object per line), a JSON array of objects, or objects one after another
(evtx_dump output; Event.System / Event.EventData are read as flat fields).

Options:
  -r, --rules <path>        rule file or directory (recursive *.yml, *.yaml); repeatable
  -c, --compiled <file>     a compiled rule set (sigmatch compile) instead of --rules
  -f, --format <fmt>        output format: jsonl (default)
  -t, --threads <n>         scan NDJSON on n threads (default 1); other formats use one thread
  -e, --engine <name>       wasm (default: the WebAssembly VM reading the JSON bytes itself)
                            or reference (the TypeScript reference evaluator)
  -P, --pipeline <name|file>  processing pipeline: a built-in (sysmon, windows, ecs-windows; see
                            sigmatch pipelines) or a pySigma pipeline YAML file; repeatable
  -p, --placeholder <n=v>   value for an expand placeholder %n%; repeatable
      --null-only           'F: null' matches only JSON null, not an absent F
  -h, --help                show this help

Output: one JSON line per (event, rule) hit on stdout:
  {"event":0,"line":1,"id":"...","title":"...","level":"high"}
Rule errors and malformed event lines go to stderr with their file and line; a summary ends the run.
Exit code 0 whether or not anything matched; 2 on a usage error or unreadable input.

Examples:
  sigmatch scan --rules rules/ events.ndjson
  evtx_dump -o json Security.evtx | sigmatch scan --rules rules/windows -P sysmon -P windows -
`;

const CHUNK_BYTES = 1 << 20;
const MAX_THREADS = 64;

export async function runScan(argv: string[]): Promise<number> {
  const { values, positionals } = withUsageErrors('scan', () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        rules: { type: 'string', short: 'r', multiple: true },
        compiled: { type: 'string', short: 'c' },
        format: { type: 'string', short: 'f', default: 'jsonl' },
        engine: { type: 'string', short: 'e', default: 'wasm' },
        threads: { type: 'string', short: 't', default: '1' },
        placeholder: { type: 'string', short: 'p', multiple: true },
        pipeline: { type: 'string', short: 'P', multiple: true },
        'null-only': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  const hasRules = values.rules !== undefined && values.rules.length > 0;
  if (!hasRules && !values.compiled) throw new CliError('scan: give at least one --rules <file|dir>, or --compiled <rules.sigc>');
  if (hasRules && values.compiled) throw new CliError('scan: give either --rules or --compiled, not both');
  if (values.compiled && values.engine === 'reference') throw new CliError('scan: a compiled rule set runs on the wasm engine only (the reference evaluator needs the rules themselves)');
  if (positionals.length !== 1) throw new CliError(`scan: give exactly one events file (or - for stdin), got ${positionals.length}`);
  if (values.format !== 'jsonl') throw new CliError(`scan: unknown --format "${values.format}" (supported: jsonl)`);
  if (values.engine !== 'reference' && values.engine !== 'wasm') throw new CliError(`scan: unknown --engine "${values.engine}" (wasm or reference)`);
  const threads = Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) throw new CliError(`scan: --threads takes a whole number from 1 to ${MAX_THREADS}`);
  if (threads > 1 && values.engine === 'reference') throw new CliError('scan: --threads needs the wasm engine');
  const input = positionals[0];
  if (input !== '-') {
    const st = await stat(input).catch(() => null);
    if (!st) throw new CliError(`scan: no such events file: ${input}`);
    if (st.isDirectory()) throw new CliError(`scan: ${input} is a directory; give an events file`);
  }

  let source: { rules: readonly RuleInfo[]; compiled?: CompiledRuleSet; sigma?: readonly SigmaRule[] };
  let ruleErrors = 0;
  let routing: LoadedRules | null = null;
  if (values.compiled) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(values.compiled);
    } catch (e) {
      throw new CliError(`scan: cannot read ${values.compiled}: ${(e as Error).message}`);
    }
    let compiled: CompiledRuleSet;
    try {
      compiled = readArtifact(bytes, values.compiled);
    } catch (e) {
      if (e instanceof ArtifactError) throw new CliError(`scan: ${e.message}`);
      throw e;
    }
    source = { rules: compiled.rules, compiled };
  } else {
    routing = loadRulesReporting(values.rules!, values.pipeline ?? [], parsePlaceholders(values.placeholder), process.stderr);
    if (routing.set.rules.length === 0) throw new CliError('scan: no rule loaded (see the errors above)');
    ruleErrors = routing.set.errors.length;
    source = { rules: routing.set.rules, sigma: routing.set.rules };
  }
  const name = input === '-' ? '<stdin>' : input;
  const stream = input === '-' ? process.stdin : createReadStream(input, { highWaterMark: CHUNK_BYTES });
  const nullMatchesAbsent = !values['null-only'];
  const out = new OutputBuffer();
  const summary =
    values.engine === 'wasm'
      ? await scanWithWasm(source.compiled ?? compileRules(source.sigma!), nullMatchesAbsent, threads, stream, name, out)
      : await scanWithReference(source.sigma!, nullMatchesAbsent, stream, name, out);
  await out.flush();
  process.stderr.write(
    `sigmatch: ${summary.events} events, ${summary.hits} hits from ${source.rules.length} rules` +
      `${ruleErrors ? `, ${ruleErrors} rule errors` : ''}` +
      `${summary.malformed ? `, ${summary.malformed} malformed records` : ''}\n`,
  );
  if (routing && routing.pipelines.length > 0) {
    process.stderr.write(
      `sigmatch: pipelines ${routing.pipelines.join(', ')}: ${routing.routed} rules routed to their log source, ${routing.unrouted} not recognised by any pipeline (they meet every event)\n`,
    );
  }
  return EXIT_OK;
}

interface ScanSummary {
  events: number;
  hits: number;
  malformed: number;
}

/** Collects output lines and writes them with backpressure. */
class OutputBuffer {
  private lines: string[] = [];

  push(line: string): void {
    this.lines.push(line);
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  }
}

async function* chunksOf(stream: AsyncIterable<unknown>, name: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (e) {
    throw new CliError(`scan: cannot read ${name}: ${(e as Error).message}`);
  }
}

async function scanWithWasm(
  compiled: CompiledRuleSet,
  nullMatchesAbsent: boolean,
  threads: number,
  stream: AsyncIterable<unknown>,
  name: string,
  out: OutputBuffer,
): Promise<ScanSummary> {
  const rules = compiled.rules;
  const summary: ScanSummary = { events: 0, hits: 0, malformed: 0 };
  const report = (batch: ScanBatch): void => {
    for (const h of batch.hits) {
      summary.hits++;
      out.push(hitLine(h.event, h.line ?? 0, rules[h.rule]));
    }
    for (const n of batch.notes) process.stderr.write(`${name}:${n.line}: ${n.message}\n`);
    summary.malformed += batch.notes.length;
  };
  const chunks = peekable(chunksOf(stream, name));
  const head = await chunks.peek();
  if (threads > 1 && head && !looksLikeNdjson(head)) {
    process.stderr.write(`sigmatch: ${name} is not NDJSON (a JSON array or objects spanning lines): scanning on one thread\n`);
  }
  if (threads > 1 && head && looksLikeNdjson(head)) {
    const parallel = await ParallelScanner.create(compiled, { threads, nullMatchesAbsent });
    try {
      for await (const batch of parallel.scan(chunks)) {
        report(batch);
        await out.flush();
      }
    } finally {
      await parallel.close();
    }
    summary.events = parallel.events;
    return summary;
  }
  const matcher = await Matcher.create(compiled, { nullMatchesAbsent });
  const session = matcher.scanner();
  for await (const chunk of chunks) {
    report(session.push(chunk));
    await out.flush();
  }
  report(session.end());
  summary.events = session.events;
  return summary;
}

/** An async iterator whose first item can be looked at before iterating. */
function peekable<T>(source: AsyncGenerator<T>): AsyncIterable<T> & { peek(): Promise<T | undefined> } {
  let first: IteratorResult<T> | null = null;
  return {
    async peek() {
      first ??= await source.next();
      return first.done ? undefined : first.value;
    },
    async *[Symbol.asyncIterator]() {
      if (first) {
        if (first.done) return;
        yield first.value;
      }
      yield* source;
    },
  };
}

async function scanWithReference(rules: readonly SigmaRule[], nullMatchesAbsent: boolean, stream: AsyncIterable<unknown>, name: string, out: OutputBuffer): Promise<ScanSummary> {
  const evaluator = new ReferenceEvaluator(rules, { nullMatchesAbsent });
  const reader = new JsonEventReader();
  const decoder = new TextDecoder('utf-8');
  const summary: ScanSummary = { events: 0, hits: 0, malformed: 0 };
  let reported = 0;
  const evaluate = (records: EventRecord[]): void => {
    for (const r of records) {
      for (const m of evaluator.match(r.event)) {
        summary.hits++;
        out.push(hitLine(r.index, r.line, m.rule));
      }
    }
    for (; reported < reader.errors.length; reported++) {
      const e = reader.errors[reported];
      process.stderr.write(`${name}:${e.line}: ${e.message}\n`);
    }
  };
  for await (const chunk of chunksOf(stream, name)) {
    evaluate(reader.push(decoder.decode(chunk, { stream: true })));
    await out.flush();
  }
  evaluate(reader.push(decoder.decode()));
  evaluate(reader.end());
  summary.events = reader.count;
  summary.malformed = reader.errors.length;
  return summary;
}

function hitLine(event: number, line: number, rule: RuleInfo): string {
  return `${JSON.stringify({ event, line, id: rule.id ?? null, title: rule.title, level: rule.level ?? null })}\n`;
}
