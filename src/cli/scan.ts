/** `sigmatch scan`: run rules over events (NDJSON, JSON arrays, concatenated JSON such as evtx_dump output). */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ArtifactError, readArtifact } from '../compiler/artifact.js';
import { type CompiledRuleSet, type RuleInfo } from '../compiler/compile.js';
import { eventSource } from '../correlation/index.js';
import { explainMatch, type Provenance } from '../eval/provenance.js';
import { ReferenceEvaluator } from '../eval/reference.js';
import { JsonEventReader } from '../input/json-events.js';
import { isEvtx, readEvtxFile } from '../input/evtx/index.js';
import { EvtxDamagedError, evtxInputNote, recordIdentity } from '../runtime/evtx-scanner.js';
import { EVTX_INFO_NOTES } from '../input/evtx/notes.js';
import type { SigmaCorrelation, SigmaRule } from '../rule/model.js';
import { Matcher, type Hit, type InputNote } from '../runtime/matcher.js';
import { looksLikeNdjson, ParallelScanner } from '../runtime/parallel.js';
import '../runtime/node-wasm.js'; // registers the Node loader of build/sigmatch.wasm
import { CliError, EXIT_FINDINGS, EXIT_OK, formatInputNote, parsePlaceholders, type LoadedRules } from './common.js';
import { CommandLine } from './options.js';
import {
  CORRELATION_HELP,
  CORRELATION_OPTIONS,
  correlationOptionsGiven,
  correlationSettings,
  outputCorrelation,
  ScanCorrelations,
  selectWithCorrelations,
} from './correlations.js';
import { loadScanRules, type RuleLogic, type ScanRules } from './scan-rules.js';
import { AUTO_PARALLEL_MIN_BYTES, capThreads, parseThreads, threadsFor } from './threads.js';
import { EXCLUSION_HELP, ScanTimeline, TIMELINE_HELP, TIMELINE_OPTIONS } from './timeline/index.js';
import { chunksOf, expandInputs, peekable, readInput, type EventInput } from './inputs.js';
import {
  colorEnabled,
  createProgress,
  formatSummary,
  hitEvidence,
  SummaryCollector,
  terminalWidth,
  type ColorChoice,
  type Output,
  type OutputHit,
  type Progress,
} from './output/index.js';

const HELP = `sigmatch scan: match Sigma rules against events

Usage:
  sigmatch scan --rules <file|dir> [--rules ...] [options] <events>...
  sigmatch scan --compiled <rules.sigc> [options] <events>...

Events: files, directories (recursive: *.json, *.jsonl, *.ndjson, *.log, *.txt, *.evtx, each optionally .gz),
glob patterns (quote them), or - for stdin; gzip-compressed input is recognised by its content. Each input holds
NDJSON (one object per line), a JSON array of objects, or objects one after another (evtx_dump output; Event.System
/ Event.EventData are read as flat fields), or is a Windows event log (.evtx, recognised by its "ElfFile" signature),
read directly and mapped to the same flat fields.

Rules:
  -r, --rules <path>          rule file or directory (recursive *.yml, *.yaml); repeatable or comma-separated
  -c, --compiled <file>       a compiled rule set (sigmatch compile) instead of --rules
  -P, --pipeline <name|file>  processing pipeline: a built-in (sysmon, windows, ecs-windows; see sigmatch pipelines)
                              or a pySigma pipeline YAML file; repeatable or comma-separated
  -p, --placeholder <n=v>     value(s) for an expand placeholder %n% (n=a,b gives two); repeatable
      --no-cache              compile the rules again instead of using the compile cache (a program compiled
                              earlier from the same rule files, pipelines and options, kept in $SIGMATCH_CACHE_DIR,
                              else $XDG_CACHE_HOME/sigmatch, else ~/.cache/sigmatch)
      --level <level>         only rules at this level or above (informational, low, medium, high, critical)
      --status <list>         only rules with one of these statuses (comma-separated: stable,test,experimental,...)
      --tags <list>           only rules with one of these tags, or a tag below one (attack.t1059 takes attack.t1059.001);
                              --status and --tags are repeatable or comma-separated
      --routed-only           only rules the pipelines route to their log source (the rest would meet every event)
      --null-only             'F: null' matches only JSON null, not an absent F
${EXCLUSION_HELP}
Output:
  -f, --format <fmt>          table (the default on a terminal), jsonl (the default otherwise), json, csv, or
                              timesketch (CSV; JSONL with -o *.jsonl; or name it: timesketch-csv, timesketch-jsonl)
${TIMELINE_HELP}      --color <when>          auto (default), always or never; NO_COLOR is honoured
  -q, --quiet                 no progress line
      --fail-on <level>       exit 1 when a hit at this level or above was found
      --html <file>           also write a self-contained HTML report: summary, charts, hits table, rule pages
${CORRELATION_HELP}
Engine:
  -e, --engine <name>         wasm (default: the WebAssembly VM reading the JSON bytes itself) or reference
  -t, --threads <auto|n>      scan NDJSON and .evtx on n threads; auto (the default): one thread for inputs below
                              ${AUTO_PARALLEL_MIN_BYTES / (1024 * 1024)} MiB or of unknown size (stdin), else one per core; a count above the cores is
                              capped, with a note; other formats use one thread
      --strict-evtx           refuse a damaged .evtx file (bad checksums, cut-off or unreadable chunks and records)
                              instead of reading what can be read and noting the rest
  -h, --help                  show this help

Every hit carries the rule's id, title, level, status, tags and author (the SigmaHQ licence asks that matches keep
the author's attribution), the event's file, index (0-based, per input) and line (.evtx: record_id, the
EventRecordID, and the record's byte offset), and its provenance: the search
identifiers that matched and the field values that made them match (recorded by the VM, with --compiled too).
Malformed event records are reported on stderr with their file and line, counted, and the rest is scanned (.evtx:
damaged chunks and records with their file offsets). A
summary on stderr ends the run: events, events/s, hits by level, top rules, skipped rules and records.

Exit codes: 0 done (whether or not anything matched), 1 a hit at the --fail-on level, 2 usage error or unreadable
input.

Examples:
  sigmatch scan --rules rules/ events.ndjson
  sigmatch scan -r rules/windows -P sysmon -P windows --level high --format csv logs/*.json.gz > hits.csv
  sigmatch scan -r rules/windows -P sysmon -P windows --threads 2 C:/Windows/System32/winevt/Logs/
  evtx_dump -o json Security.evtx | sigmatch scan -r rules/windows -P sysmon -P windows -
`;

const CLI = new CommandLine('scan', HELP);

export const LEVEL_ORDER = ['informational', 'low', 'medium', 'high', 'critical'];

export function levelRank(level: string | undefined): number {
  return level === undefined ? -1 : LEVEL_ORDER.indexOf(level.toLowerCase());
}

export function parseLevel(option: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const rank = LEVEL_ORDER.indexOf(value.toLowerCase());
  if (rank < 0) throw new CliError(`${option} takes one of ${LEVEL_ORDER.join(', ')}, got "${value}"`);
  return rank;
}

/** A list option's values (already split at commas, src/cli/options.ts), compared in lower case. */
export function list(values: readonly string[] | undefined): string[] | null {
  return values === undefined ? null : values.map((s) => s.toLowerCase());
}

export interface Selection {
  minLevel: number | null;
  statuses: string[] | null;
  tags: string[] | null;
}

export function selected(rule: RuleInfo | SigmaCorrelation, s: Selection): boolean {
  if (s.minLevel !== null && levelRank(rule.level) < s.minLevel) return false;
  if (s.statuses && !s.statuses.includes((rule.status ?? '').toLowerCase())) return false;
  if (s.tags) {
    const tags = rule.tags.map((t) => t.toLowerCase());
    if (!s.tags.some((want) => tags.some((t) => t === want || t.startsWith(`${want}.`)))) return false;
  }
  return true;
}

export async function runScan(argv: string[]): Promise<number> {
  const { values, positionals } = CLI.parse(
    {
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        rules: { type: 'string', short: 'r', multiple: true, list: 'paths' },
        compiled: { type: 'string', short: 'c' },
        format: { type: 'string', short: 'f' },
        engine: { type: 'string', short: 'e', default: 'wasm' },
        threads: { type: 'string', short: 't', default: 'auto' },
        placeholder: { type: 'string', short: 'p', multiple: true, list: 'assignments' },
        pipeline: { type: 'string', short: 'P', multiple: true, list: 'paths' },
        'null-only': { type: 'boolean', default: false },
        'routed-only': { type: 'boolean', default: false },
        level: { type: 'string' },
        status: { type: 'string', multiple: true },
        tags: { type: 'string', multiple: true },
        'fail-on': { type: 'string' },
        html: { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        'strict-evtx': { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
        color: { type: 'string', default: 'auto' },
        help: { type: 'boolean', short: 'h', default: false },
        ...CORRELATION_OPTIONS,
        ...TIMELINE_OPTIONS,
      },
    },
  );
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  const hasRules = values.rules !== undefined && values.rules.length > 0;
  if (!hasRules && !values.compiled) throw CLI.error('give at least one --rules <file|dir>, or --compiled <rules.sigc>');
  if (hasRules && values.compiled) throw CLI.error('give either --rules or --compiled, not both');
  if (values.engine !== 'reference' && values.engine !== 'wasm') throw CLI.error(`unknown --engine "${values.engine}" (wasm or reference)`);
  if (values.compiled && values.engine === 'reference') throw CLI.error('a compiled rule set runs on the wasm engine only (the reference evaluator needs the rules themselves)');
  const color = values.color as ColorChoice;
  if (!['auto', 'always', 'never'].includes(color)) throw CLI.error(`--color takes auto, always or never, got "${values.color}"`);
  const threadsAsked = parseThreads(values.threads!);
  if (!threadsAsked.auto && threadsAsked.count > 1 && values.engine === 'reference') throw CLI.error('--threads needs the wasm engine');
  const selection: Selection = { minLevel: parseLevel('--level', values.level), statuses: list(values.status), tags: list(values.tags) };
  const failOn = parseLevel('--fail-on', values['fail-on']);
  if (positionals.length === 0) throw CLI.error('give the events to scan: files, directories, globs, or - for stdin');
  const inputs = expandInputs(positionals);
  const timeline = ScanTimeline.create('scan', values, inputs.map((i) => i.path), process.stdout);
  const correlationOptions = correlationSettings(values);

  // Rules: from YAML (through pipelines) or from an artifact; then the --level/--status/--tags selection.
  const startupBegan = performance.now();
  let infos: readonly RuleInfo[];
  let sigma: readonly SigmaRule[] | null = null;
  let compiled: CompiledRuleSet | null = null;
  let loaded: LoadedRules | null = null;
  let logic: RuleLogic | null = null;
  let startupTimes: ScanRules['times'] | null = null;
  let correlations: ScanCorrelations | null = null;
  /** Compiled rule sets hold every rule: the excluded ones run, their hits are not reported. */
  let hidden: readonly boolean[] | null = null;
  if (values.compiled) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(values.compiled);
    } catch (e) {
      throw new CliError(`scan: cannot read ${values.compiled}: ${(e as Error).message}`);
    }
    try {
      compiled = readArtifact(bytes, values.compiled);
    } catch (e) {
      if (e instanceof ArtifactError) throw new CliError(`scan: ${e.message}`);
      throw e;
    }
    infos = compiled.rules;
    startupTimes = { load: (performance.now() - startupBegan) / 1000, compile: 0, cached: false };
    if (selection.minLevel !== null || selection.statuses || selection.tags) {
      throw CLI.error('--level, --status and --tags select rules before compiling; use them with sigmatch compile, or scan --rules');
    }
    if (values['routed-only']) throw CLI.error('--routed-only selects rules before compiling; a compiled set keeps the rules it was compiled with');
    warnUnknownExclusions(timeline.exclusion.tally(infos));
    hidden = infos.map((r) => timeline.exclusion.reason(r) !== null);
    const carried = compiled.correlations;
    // The scan runs the correlations itself (below, as with --rules), not the matcher.
    compiled = { ...compiled, correlations: undefined };
    if (carried) {
      // Excluded correlations do not run, unless a correlation that runs counts their alerts (as with --rules).
      const picked = selectWithCorrelations({ rules: [], correlations: [...carried.documents] }, (d) => timeline.exclusion.reason(d) === null);
      const options = { ...correlationOptions, timeFields: [...new Set([...(correlationOptions.timeFields ?? []), ...carried.timeFields])] };
      const planned = ScanCorrelations.create({ rules: infos, correlations: picked.correlations, shown: [...infos.map(() => true), ...picked.shown] }, options, values.state);
      for (const e of planned.errors) process.stderr.write(`${e.format()}\n`);
      correlations = planned.correlations;
    } else if (correlationOptionsGiven(values)) {
      throw CLI.error(`${values.compiled} holds no correlation rules; the correlation options need correlation rules`);
    }
  } else {
    const routedOnly = values['routed-only'] ?? false;
    if (routedOnly && (values.pipeline ?? []).length === 0) throw CLI.error('--routed-only needs pipelines (-P) to route rules to their log sources');
    // Rules the pipelines did not route would meet every event (docs/pipelines.md); --routed-only leaves them out.
    const routedEnough = (d: SigmaRule | SigmaCorrelation): boolean => !routedOnly || d.kind === 'correlation' || d.logsourceRouted === true;
    const startupProgress = createProgress(process.stderr, { quiet: values.quiet, color: colorEnabled(process.stderr, process.env, color) });
    let prepared: ScanRules;
    try {
      prepared = loadScanRules({
        paths: values.rules!,
        pipelineArgs: values.pipeline ?? [],
        placeholders: parsePlaceholders(values.placeholder),
        select: (d) => selected(d, selection) && routedEnough(d) && timeline.exclusion.reason(d) === null,
        selectionKey: JSON.stringify({ ...selection, routedOnly, exclusion: timeline.exclusion.key() }),
        survey: (docs) => timeline.exclusion.survey(docs),
        compile: values.engine === 'wasm',
        cache: !values['no-cache'],
        progress: startupProgress,
      });
    } finally {
      startupProgress.done(); // erased before an error is reported too
    }
    ({ loaded, sigma, compiled } = prepared);
    warnUnknownExclusions(timeline.exclusion.adopt(prepared.survey));
    logic = prepared.logic;
    startupTimes = prepared.times;
    if (prepared.infos.length === 0) {
      throw new CliError(`scan: no rule is left after --level / --status / --tags${routedOnly ? ' / --routed-only' : ''} and the exclusions (deprecated and unsupported rules: --include-deprecated)`);
    }
    infos = prepared.infos;
    if (prepared.picked) {
      const planned = ScanCorrelations.create(prepared.picked, correlationOptions, values.state);
      for (const e of planned.errors) process.stderr.write(`${e.format()}\n`);
      loaded.set.errors.push(...planned.errors);
      correlations = planned.correlations;
    } else if (values.state !== undefined) {
      throw new CliError('scan: --state needs correlation rules among the --rules (none loaded)');
    }
  }

  const nullMatchesAbsent = !values['null-only'];
  const out = timeline.createOutput({ color: colorEnabled(process.stdout, process.env, color), width: terminalWidth(process.stdout) });
  const totalBytes = inputs.every((i) => i.size !== null) ? inputs.reduce((n, i) => n + (i.size ?? 0), 0) : undefined;
  const progress = createProgress(process.stderr, { total: totalBytes, quiet: values.quiet, color: colorEnabled(process.stderr, process.env, color) });
  const summary = new SummaryCollector();
  const totals = { events: 0, malformed: 0, bytes: 0, failed: false, threads: 1 };
  const evtxNotes: Record<string, number> = {};
  const started = performance.now();

  // Alert hits number their correlation after the rules.
  const described: readonly (RuleInfo | SigmaCorrelation)[] = correlations ? [...infos, ...correlations.correlations] : infos;
  const htmlPath = timeline.htmlPath(values);
  // The report's renderer is loaded only when a report is asked for (start-up: most scans write none).
  const html = htmlPath !== undefined ? new (await import('./html-report.js')).HtmlReportFile(htmlPath, described) : null;
  // Created on first use: a scan on worker threads needs no instance on this one until a hit is explained.
  let matcher: Promise<Matcher> | null = null;
  const single = (): Promise<Matcher> => (matcher ??= Matcher.create(compiled!, { nullMatchesAbsent }));
  const ctx: ScanContext = {
    infos,
    sigma,
    logic,
    nullMatchesAbsent,
    strictEvtx: values['strict-evtx'] ?? false,
    out,
    progress,
    correlate(input, hits, eventOf) {
      const kept = timeline.within(hits, eventOf);
      if (!correlations) return kept;
      return correlations.process(kept, (h) => eventSource(eventOf(h)), input.path !== null ? input.name : undefined);
    },
    explain: async (hits, events) => {
      // Hits of rules excluded from the output are not explained.
      const shown = hits.map((h) => !h.correlation && !hidden?.[h.rule]);
      const wanted = hits.flatMap((h, i) => (shown[i] ? [{ event: h.event, rule: h.rule }] : []));
      if (wanted.length === 0) return hits.map(() => null);
      let why: (Provenance | null)[];
      if (values.engine === 'reference') why = wanted.map((h) => explainMatch(sigma![h.rule], events[h.event], { nullMatchesAbsent }));
      else why = (await single()).explain(events, wanted);
      let next = 0;
      return shown.map((on) => (on ? why[next++] : null));
    },
    emit(input, hit, event, why) {
      if (hidden?.[hit.rule]) return;
      const rule = described[hit.rule];
      const oh: OutputHit = { event: hit.event, ...(input.path !== null ? { file: input.name } : {}), line: hit.line, rule };
      if (hit.recordId !== undefined) oh.recordId = hit.recordId;
      if (hit.offset !== undefined) oh.offset = hit.offset;
      if (hit.time !== undefined) oh.time = hit.time;
      if (hit.correlation) {
        // The completing event may belong to an earlier input (--max-lateness): the alert names its own.
        if (hit.correlation.input !== undefined) oh.file = hit.correlation.input;
        else delete oh.file;
        oh.time = hit.correlation.time;
        oh.correlation = outputCorrelation(hit.correlation);
      } else if (event !== undefined) {
        Object.assign(oh, hitEvidence(event, why ?? null));
      }
      if (!timeline.report(oh)) return;
      out.hit(oh);
      summary.hit(oh);
      html?.hit(hit.rule, oh, event);
      if (failOn !== null && levelRank(rule.level) >= failOn) totals.failed = true;
    },
    note(input, n) {
      if (n.kind === 'evtx') {
        evtxNotes[n.code!] = (evtxNotes[n.code!] ?? 0) + 1;
        progress.log(`${input.name}: ${n.message}\n`);
        return;
      }
      totals.malformed++;
      progress.log(`${formatInputNote(input.name, n)}\n`);
    },
    read(bytes, events) {
      totals.bytes += bytes;
      progress.update(totals.bytes, totals.events + events);
    },
  };

  if (values.engine === 'reference') {
    for (const input of inputs) totals.events += await scanWithReference(ctx, input);
  } else {
    const rules = compiled!;
    const capped = capThreads(threadsAsked);
    if (capped.note) progress.log(capped.note);
    for (const input of inputs) {
      const threads = threadsFor(capped.option, input.size);
      totals.threads = Math.max(totals.threads, threads);
      totals.events += await scanWithWasm(ctx, input, single, rules, threads);
    }
  }
  if (correlations) {
    const last = correlations.finish();
    for (const h of last) ctx.emit(STDIN_LIKE, h, undefined, null);
  }

  progress.done();
  await out.end();
  await timeline.close();
  const seconds = (performance.now() - started) / 1000;
  // The report's rule pages need the logic of the rules that fired: rebuilt from the compile cache's entry when the
  // rules came from there (start-up, not scanning), and kept for the next start-up.
  await html?.write(
    { events: totals.events, bytes: totals.bytes, seconds, rules: infos.length, ruleErrors: loaded?.set.errors.length ?? 0, malformed: totals.malformed, inputs: inputs.map((i) => i.name), pipelines: loaded?.pipelines },
    logic && values.rules ? { paths: values.rules, pipelineArgs: values.pipeline ?? [], placeholders: parsePlaceholders(values.placeholder), scanned: logic } : null,
  );
  logic?.persist?.();
  const rebuilt = logic?.rebuilt;
  process.stderr.write(
    formatSummary(
      summary.data({
        events: totals.events,
        seconds,
        bytes: totals.bytes,
        threads: totals.threads,
        ...(startupTimes ? { startup: { ...startupTimes, ...(rebuilt ? { rebuilt } : {}), wall: performance.now() / 1000 } } : {}),
        malformed: totals.malformed,
        evtxNotes,
        rules: infos.length,
        ruleErrors: loaded?.set.errors ?? [],
        ...(loaded && loaded.pipelines.length > 0 ? { routed: loaded.routed, unrouted: loaded.unrouted, foreign: loaded.foreign, pipelines: loaded.pipelines } : {}),
        ...(correlations ? { correlation: correlations.totals() } : {}),
        extra: timeline.summaryLines(),
      }),
      { color: colorEnabled(process.stderr, process.env, color) },
    ),
  );
  process.stderr.write(`sigmatch: peak memory ${peakMemoryMiB().toFixed(0)} MiB\n`);
  return totals.failed ? EXIT_FINDINGS : EXIT_OK;
}

/** Names given to --exclude-id / --exclude-file that no loaded rule has: likely typos, said on stderr. */
function warnUnknownExclusions(names: readonly { name: string; file: string; line: number }[]): void {
  for (const n of names) process.stderr.write(`sigmatch: ${n.file ? `${n.file}:${n.line}` : '--exclude-id'}: no loaded rule has the id or title "${n.name}"\n`);
}

/**
 * Peak resident memory of this process, worker threads included. Linux's VmHWM belongs to this process image;
 * getrusage's maxRSS (the fallback elsewhere) survives execve, so a process started by a large parent would report
 * the parent's peak.
 */
function peakMemoryMiB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Where alerts flushed at the end of a run come from: they name their own input (EventInput is only a fallback). */
const STDIN_LIKE: EventInput = { name: '<end of input>', path: null, size: null };

interface ScanContext {
  infos: readonly RuleInfo[];
  sigma: readonly SigmaRule[] | null;
  logic: RuleLogic | null;
  nullMatchesAbsent: boolean;
  strictEvtx: boolean;
  out: Output;
  progress: Progress;
  /** An input's hits -> the hits to report (correlation alerts added, hits of rules that only feed them dropped). */
  correlate(input: EventInput, hits: readonly Hit[], eventOf: (hit: Hit) => unknown): readonly Hit[];
  /**
   * The provenance of hits (null for alerts and hits not shown): `events[hit.event]` is each hit's event. From the VM
   * (one call per batch), or with the reference engine from explainMatch.
   */
  explain(hits: readonly Hit[], events: readonly unknown[]): Promise<(Provenance | null)[]>;
  emit(input: EventInput, hit: Hit, event: unknown, why: Provenance | null): void;
  note(input: EventInput, note: InputNote): void;
  read(bytes: number, eventsSoFar: number): void;
}

function parseRecord(record: string | undefined): unknown {
  if (record === undefined) return undefined;
  try {
    return JSON.parse(record);
  } catch {
    return undefined;
  }
}

/**
 * Reports a batch's hits (through the correlations) and notes; each hit event is parsed from its record once, for its
 * time and provenance (hits of one event come together), and the batch's hits are explained in one go.
 */
function hitReporter(ctx: ScanContext, input: EventInput): (hits: readonly Hit[], notes: readonly InputNote[]) => Promise<void> {
  let lastEvent = -1;
  let lastParsed: unknown;
  const parsed = (h: Hit): unknown => {
    if (h.event !== lastEvent) {
      lastEvent = h.event;
      lastParsed = parseRecord(h.record);
    }
    return lastParsed;
  };
  return async (hits, notes) => {
    const reported = ctx.correlate(input, hits, parsed);
    // The batch's hit events, each once, and each hit renumbered to its event there.
    const events: unknown[] = [];
    const local: Hit[] = [];
    let last = -1;
    for (const h of reported) {
      if (h.correlation) {
        local.push(h);
        continue;
      }
      if (h.event !== last || events.length === 0) {
        last = h.event;
        events.push(parsed(h));
      }
      local.push({ ...h, event: events.length - 1 });
    }
    const why = await ctx.explain(local, events);
    reported.forEach((h, i) => ctx.emit(input, h, h.correlation ? undefined : events[local[i].event], why[i]));
    for (const n of notes) ctx.note(input, n);
  };
}

async function scanWithWasm(ctx: ScanContext, input: EventInput, single: () => Promise<Matcher>, compiled: CompiledRuleSet, threads: number): Promise<number> {
  // Hit events are read back from their records (hits are rare): for their time, and for provenance (keyword paths).
  const records = true;
  const chunks = peekable(chunksOf(input));
  const head = await chunks.peek();
  if (head && isEvtx(head)) return scanEvtxWithWasm(ctx, input, chunks, single, compiled, threads);
  const report = hitReporter(ctx, input);
  if (threads > 1 && head && !looksLikeNdjson(head)) {
    ctx.progress.log(`sigmatch: ${input.name} is not NDJSON (a JSON array or objects spanning lines): scanning it on one thread\n`);
  }
  if (threads > 1 && head && looksLikeNdjson(head)) {
    const parallel = await ParallelScanner.create(compiled, { threads, nullMatchesAbsent: ctx.nullMatchesAbsent, records });
    let bytes = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const c of chunks) {
        bytes += c.length;
        yield c;
      }
    }
    try {
      for await (const batch of parallel.scan(counted())) {
        await report(batch.hits, batch.notes);
        ctx.read(bytes, parallel.events);
        bytes = 0;
        await ctx.out.flush();
      }
    } finally {
      await parallel.close();
    }
    return parallel.events;
  }
  const session = (await single()).scanner('auto', records);
  for await (const chunk of chunks) {
    const batch = session.push(chunk);
    await report(batch.hits, batch.notes);
    ctx.read(chunk.length, session.events);
    await ctx.out.flush();
  }
  const last = session.end();
  await report(last.hits, last.notes);
  return session.events;
}

/** A damaged .evtx file under --strict-evtx: refused (exit 2). */
function refuseDamaged(input: EventInput, message: string): never {
  throw new CliError(`scan: ${input.name}: ${message}; refused (--strict-evtx)`);
}

/** A .evtx file on the VM: chunk by chunk through the decoder in WebAssembly (on n threads: ParallelEvtxScanner). */
async function scanEvtxWithWasm(
  ctx: ScanContext,
  input: EventInput,
  chunks: AsyncIterable<Uint8Array>,
  single: () => Promise<Matcher>,
  compiled: CompiledRuleSet,
  threads: number,
): Promise<number> {
  const report = hitReporter(ctx, input);
  if (threads > 1) {
    const parallel = await ParallelScanner.create(compiled, { threads, nullMatchesAbsent: ctx.nullMatchesAbsent, records: true });
    let bytes = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const c of chunks) {
        bytes += c.length;
        yield c;
      }
    }
    try {
      for await (const batch of parallel.scanEvtx(counted(), ctx.strictEvtx)) {
        await report(batch.hits, batch.notes);
        ctx.read(bytes, parallel.events);
        bytes = 0;
        await ctx.out.flush();
      }
    } catch (e) {
      if (e instanceof EvtxDamagedError) refuseDamaged(input, e.note.message);
      throw e;
    } finally {
      await parallel.close();
    }
    return parallel.events;
  }
  const session = (await single()).evtxScanner({ events: true, strict: ctx.strictEvtx });
  try {
    for await (const chunk of chunks) {
      const batch = session.push(chunk);
      await report(batch.hits, batch.notes);
      ctx.read(chunk.length, session.events);
      await ctx.out.flush();
    }
    const last = session.end();
    await report(last.hits, last.notes);
  } catch (e) {
    if (e instanceof EvtxDamagedError) refuseDamaged(input, e.note.message);
    throw e;
  }
  return session.events;
}

/** A .evtx file with the reference decoder and evaluator (the whole file is read first). */
async function scanEvtxWithReference(ctx: ScanContext, input: EventInput, chunks: AsyncIterable<Uint8Array>, evaluator: ReferenceEvaluator): Promise<number> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    parts.push(chunk.slice());
    total += chunk.length;
    ctx.read(chunk.length, 0);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  const file = readEvtxFile(bytes);
  const damage = file.notes.find((n) => !EVTX_INFO_NOTES.has(n.code));
  if (ctx.strictEvtx && damage) refuseDamaged(input, evtxInputNote(damage).message);
  for (const n of file.notes) ctx.note(input, evtxInputNote(n));
  for (const r of file.records) {
    const id = recordIdentity(r.event, r.recordId, r.time);
    const hits = evaluator.match(r.event).map((m): Hit => ({ event: r.index, rule: m.index, offset: r.offset, ...id }));
    const why = await ctx.explain(hits.map((h) => ({ ...h, event: 0 })), [r.event]);
    hits.forEach((h, i) => ctx.emit(input, h, r.event, why[i]));
  }
  return file.records.length;
}

async function scanWithReference(ctx: ScanContext, input: EventInput): Promise<number> {
  const evaluator = new ReferenceEvaluator(ctx.sigma!, { nullMatchesAbsent: ctx.nullMatchesAbsent });
  const chunks = peekable(chunksOf(input));
  const head = await chunks.peek();
  if (head && isEvtx(head)) return scanEvtxWithReference(ctx, input, chunks, evaluator);
  const reader = new JsonEventReader();
  const decoder = new TextDecoder('utf-8');
  let reported = 0;
  const evaluate = async (records: ReturnType<JsonEventReader['push']>): Promise<void> => {
    const events = new Map<number, unknown>();
    const hits: Hit[] = [];
    for (const r of records) {
      for (const m of evaluator.match(r.event)) {
        hits.push({ event: r.index, rule: m.index, line: r.line });
        events.set(r.index, r.event);
      }
    }
    const reportedHits = ctx.correlate(input, hits, (hit) => events.get(hit.event));
    const order = [...events.keys()];
    const position = new Map(order.map((e, i) => [e, i]));
    const why = await ctx.explain(reportedHits.map((h) => (h.correlation ? h : { ...h, event: position.get(h.event)! })), order.map((e) => events.get(e)));
    reportedHits.forEach((h, i) => ctx.emit(input, h, h.correlation ? undefined : events.get(h.event), why[i]));
    for (; reported < reader.errors.length; reported++) ctx.note(input, reader.errors[reported]);
  };
  for await (const chunk of chunks) {
    await evaluate(reader.push(decoder.decode(chunk, { stream: true })));
    ctx.read(chunk.length, reader.count);
    await ctx.out.flush();
  }
  await evaluate(reader.push(decoder.decode()));
  await evaluate(reader.end());
  return reader.count;
}
