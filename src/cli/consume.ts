/**
 * `sigmatch consume`: a member of a Redis Streams consumer group that runs rules over the group's entries and writes
 * alerts to another stream (src/sources/redis/). The Redis adapter, and the client it needs, load only when this
 * command runs.
 */
import { readFile } from 'node:fs/promises';
import { ArtifactError, readArtifact } from '../compiler/artifact.js';
import { compileRules, type CompiledRuleSet } from '../compiler/compile.js';
import type { RuleSet } from '../rule/load.js';
import type { SigmaRule } from '../rule/model.js';
import { Matcher } from '../runtime/matcher.js';
import '../runtime/node-wasm.js'; // registers the Node loader of build/sigmatch.wasm
import { selectWithCorrelations } from './correlations.js';
import { CliError, EXIT_OK, EXIT_USAGE, loadRulesReporting, parsePlaceholders } from './common.js';
import { CommandLine } from './options.js';
import { sanitize } from './output/index.js';
import { list, parseLevel, selected, type Selection } from './scan.js';

const HELP = `sigmatch consume: run rules over a Redis stream as a member of a consumer group

Usage:
  sigmatch consume --stream <key> --rules <file|dir> [--rules ...] [options]
  sigmatch consume --stream <key> --compiled <rules.sigc> [options]
  sigmatch consume --stream <key> --status [--group <name>] [--format text|json]

Producers XADD one event per entry: JSON in the field "event" (evtx_dump JSON included), or, with
--fields-as-event, the entry's fields. Any number of consumers, on any number of machines, share the stream through
the group; each batch of entries goes through the matcher at once, its alerts are written to the alerts stream and
the entries are acknowledged in the same atomic step (at-least-once: an entry whose alerts are not written stays
pending, and is taken over by another consumer after --claim-idle). Each alert carries an id made of the stream,
the entry id and the rule, the same on every delivery of the entry, and what "sigmatch scan" prints for a hit
(rule, level, tags, author, time, provenance). Entries that are not events (malformed JSON, not an object, too
large) or that were delivered more than --max-deliveries times go to the dead-letter stream with a code and the
reason, and are acknowledged.

Redis:
      --redis <url>           redis://[user:password@]host[:port][/db], rediss://... for TLS (default:
                              $SIGMATCH_REDIS_URL, else redis://127.0.0.1:6379); the credentials may come from
                              $SIGMATCH_REDIS_USERNAME / $SIGMATCH_REDIS_PASSWORD instead, a CA file for TLS from
                              $SIGMATCH_REDIS_CA. Credentials are never printed.
  -s, --stream <key>          the stream of events (required)
  -g, --group <name>          the consumer group (default sigmatch), created when absent
      --from <id>             where a group created here starts: $ (new entries, the default), 0 (the whole
                              stream) or an entry id
      --consumer <name>       this consumer's name in the group (default <host>-<pid>); a consumer restarted under
                              its name first processes what it left pending
      --alerts <key>          the alerts stream (default <stream>:alerts)
      --dead-letter <key>     the dead-letter stream (default <stream>:dead-letter)
      --maxlen <n>            approximate cap of the alerts and dead-letter streams (default 1000000; 0: none)
Events:
      --fields-as-event       the entry's fields are the event (a field named twice holds the list of its values)
      --event-field <name>    the field holding the event's JSON (default event)
Rules (as for sigmatch scan):
  -r, --rules <path>          rule file or directory (recursive *.yml, *.yaml); repeatable or comma-separated
  -c, --compiled <file>       a compiled rule set (sigmatch compile) instead of --rules
  -P, --pipeline <name|file>  processing pipeline; repeatable or comma-separated
  -p, --placeholder <n=v>     value(s) for an expand placeholder %n% (n=a,b gives two); repeatable
      --level <level>         only rules at this level or above
      --rule-status <list>    only rules with one of these statuses (scan's --status)
      --tags <list>           only rules with one of these tags, or a tag below one (both repeatable or
                              comma-separated)
      --null-only             'F: null' matches only JSON null, not an absent F
Flow:
      --batch <n>             entries per read and per VM call (default 500, at most 10000)
      --block <ms>            how long a read waits for new entries (default 2000)
      --claim-idle <time>     take over entries pending this long at another consumer (default 60s)
      --max-deliveries <n>    dead-letter an entry delivered more often without acknowledgement (default 5)
      --dedupe <time>         hold back an alert whose id was written within this window (Redis keys that
                              expire after it; default off)
      --drain                 stop when no new entry comes within --block and nothing is left to take over
Sharded, for correlation rules (see README "Sharded consumption"):
      --shards <k>            consume the k shard streams <stream>:0 ... <stream>:<k-1> that "sigmatch route"
                              fills; each shard is held by one consumer at a time under a lease, and its
                              correlation state is checkpointed with its acknowledgements and follows it to
                              whoever takes it over. Without --shards, correlation rules are not run.
      --lease <time>          how long a shard's lease lasts unless renewed (default 15s; renewed every third)
      --checkpoint-every <time>  write a busy shard's checkpoint (its correlation state, with the acknowledgement
                              of the entries it covers) this often (default 1s; 0: after every batch); an idle
                              shard is checkpointed at once. Alerts are written with each batch, each once.
Operations:
      --status-every <time>   a status line on stderr this often (default 30s; 0: none); also on SIGUSR1
      --metrics               each status as one JSON line on stdout instead (and a final one at exit)
  -q, --quiet                 no periodic status line (SIGUSR1 and the final line still print)
      --status                show the stream's groups, consumers and pending counts, and exit
      --format <fmt>          for --status: text (default) or json
  -h, --help                  show this help

Times take ms, s, m or h (30s, 5m); a bare number is milliseconds. SIGTERM or SIGINT finish the batch in hand,
acknowledge it and exit 0 (a second SIGINT exits at once: what is in hand stays pending for another consumer).
If Redis goes away the consumer reconnects with backoff and reads back what it had in hand.

Exit codes: 0 stopped, 2 usage error, unreadable rules, or a Redis error that retrying cannot cure (refused
credentials, a key of another type).

Examples:
  sigmatch consume --redis redis://10.0.0.5:6379 -s winlogs -r rules/windows -P sysmon -P windows
  SIGMATCH_REDIS_PASSWORD=... sigmatch consume --redis rediss://redis.internal:6380 -s winlogs -c windows.sigc --dedupe 10m
  sigmatch consume -s winlogs --status
`;

const CLI = new CommandLine('consume', HELP);

/** A consumer of either kind, as the command drives it. */
interface Running {
  stop(): void;
  status(): Promise<import('../sources/redis/index.js').ConsumerStatus>;
  done: Promise<unknown>;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DEFAULT_STATUS_EVERY_MS = 30_000;
const DEFAULT_GROUP = 'sigmatch';
/** A forced exit (second SIGINT) exits as shells report a SIGINT death. */
const EXIT_INTERRUPTED = 130;

/** `30s`, `5m`, `250ms`, `1h`, or a bare number of milliseconds. */
export function parseDuration(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw CLI.error(`${option} takes a time such as 500ms, 30s, 5m or 1h, got "${value}"`);
  const ms = Math.round(Number(m[1]) * DURATION_UNITS[m[2] ?? 'ms']);
  if (!Number.isSafeInteger(ms)) throw new CliError(`consume: ${option} is too large`);
  return ms;
}

function wholeNumber(option: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw CLI.error(`${option} takes a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

interface Rules {
  compiled: CompiledRuleSet;
  sigma: readonly SigmaRule[] | null;
  /** Sharded: the rules with their correlations (each shard held gets a matcher of its own). */
  set: RuleSet | null;
}

async function loadRules(values: { rules?: string[]; compiled?: string; pipeline?: string[]; placeholder?: string[] }, selection: Selection, sharded: boolean): Promise<Rules> {
  const hasRules = values.rules !== undefined && values.rules.length > 0;
  if (!hasRules && !values.compiled) throw CLI.error('give at least one --rules <file|dir>, or --compiled <rules.sigc>');
  if (hasRules && values.compiled) throw CLI.error('give either --rules or --compiled, not both');
  if (values.compiled) {
    if (selection.minLevel !== null || selection.statuses || selection.tags) {
      throw CLI.error('--level, --rule-status and --tags select rules before compiling; use them with sigmatch compile, or consume --rules');
    }
    let bytes: Uint8Array;
    try {
      bytes = await readFile(values.compiled);
    } catch (e) {
      throw new CliError(`consume: cannot read ${values.compiled}: ${(e as Error).message}`);
    }
    let compiled: CompiledRuleSet;
    try {
      compiled = readArtifact(bytes, values.compiled);
    } catch (e) {
      if (e instanceof ArtifactError) throw new CliError(`consume: ${e.message}`);
      throw e;
    }
    // Sharded, the matchers run the correlations the artifact carries; otherwise they are not run (as with --rules).
    if (sharded) return { compiled, sigma: null, set: null };
    const carried = compiled.correlations?.documents.length ?? 0;
    if (carried > 0) process.stderr.write(`consume: ${carried} correlation rule${carried === 1 ? '' : 's'} of ${values.compiled} not run (they need a sharded stream: route and consume --shards)\n`);
    return { compiled: { ...compiled, correlations: undefined }, sigma: null, set: null };
  }
  const loaded = loadRulesReporting(values.rules!, values.pipeline ?? [], parsePlaceholders(values.placeholder), process.stderr);
  if (loaded.set.rules.length === 0) throw new CliError('consume: no rule loaded (see the errors above)');
  if (sharded) {
    // A selected correlation brings the rules it references, as in scan.
    const picked = selectWithCorrelations(loaded.set, (d) => selected(d, selection));
    if (picked.rules.length === 0) throw new CliError('consume: no rule is left after --level / --rule-status / --tags');
    return { compiled: compileRules(picked.rules), sigma: picked.rules, set: { ...loaded.set, rules: picked.rules, correlations: picked.correlations, errors: [] } };
  }
  // Correlation state would have to follow the stream's commits and be shared by the consumers; until it is, say so.
  const correlations = loaded.set.correlations.length;
  if (correlations > 0) process.stderr.write(`consume: ${correlations} correlation rule${correlations === 1 ? '' : 's'} not run (they need a sharded stream: route and consume --shards)\n`);
  const sigma = loaded.set.rules.filter((r) => selected(r, selection));
  if (sigma.length === 0) throw new CliError('consume: no rule is left after --level / --rule-status / --tags');
  return { compiled: compileRules(sigma), sigma, set: null };
}

/** The Redis adapter, loaded on first use; a missing optional client is a clear usage error. */
async function redisAdapter(): Promise<typeof import('../sources/redis/index.js')> {
  try {
    return await import('../sources/redis/index.js');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && /@redis\/client/.test((e as Error).message)) {
      throw new CliError('consume: the Redis client is not installed (npm install @redis/client; it is an optional dependency of sigmatch)');
    }
    throw e;
  }
}

export async function runConsume(argv: string[]): Promise<number> {
  const { values } = CLI.parse(
    {
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        redis: { type: 'string' },
        stream: { type: 'string', short: 's' },
        group: { type: 'string', short: 'g' },
        from: { type: 'string' },
        consumer: { type: 'string' },
        alerts: { type: 'string' },
        'dead-letter': { type: 'string' },
        maxlen: { type: 'string' },
        'fields-as-event': { type: 'boolean', default: false },
        'event-field': { type: 'string' },
        rules: { type: 'string', short: 'r', multiple: true, list: 'paths' },
        compiled: { type: 'string', short: 'c' },
        pipeline: { type: 'string', short: 'P', multiple: true, list: 'paths' },
        placeholder: { type: 'string', short: 'p', multiple: true, list: 'assignments' },
        level: { type: 'string' },
        'rule-status': { type: 'string', multiple: true },
        tags: { type: 'string', multiple: true },
        'null-only': { type: 'boolean', default: false },
        batch: { type: 'string' },
        block: { type: 'string' },
        'claim-idle': { type: 'string' },
        'max-deliveries': { type: 'string' },
        dedupe: { type: 'string' },
        drain: { type: 'boolean', default: false },
        'status-every': { type: 'string' },
        shards: { type: 'string' },
        lease: { type: 'string' },
        'checkpoint-every': { type: 'string' },
        metrics: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        status: { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
  );
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  if (!values.stream) throw CLI.error('give the stream with --stream <key>');
  const redis = await redisAdapter();
  let target;
  try {
    target = redis.resolveTarget(values.redis, process.env);
  } catch (e) {
    if (e instanceof redis.RedisConfigError) throw new CliError(`consume: ${e.message}`);
    throw e;
  }

  if (values.status) {
    CLI.oneOf('--format', values.format!, ['text', 'json']);
    let status;
    try {
      status = await redis.streamStatus({ redis: target, stream: values.stream, group: values.group, alerts: values.alerts, deadLetter: values['dead-letter'] });
    } catch (e) {
      throw new CliError(`consume: ${(e as Error).message}`);
    }
    process.stdout.write(values.format === 'json' ? `${JSON.stringify(status)}\n` : formatStreamStatus(status));
    return EXIT_OK;
  }

  const log = (line: string): void => {
    process.stderr.write(`${sanitize(line)}\n`);
  };
  // Signals from now on: one arriving while the rules load stops the consumer as soon as it exists.
  let consumer: Running | null = null as Running | null;
  let stopRequested = false;
  let signals = 0;
  let report: (final: boolean) => Promise<void> = async () => {};
  const onStop = (signal: string): void => {
    signals++;
    if (signals === 1) {
      log(`sigmatch: ${signal}: finishing the batch in hand`);
      stopRequested = true;
      consumer?.stop();
    } else if (signal === 'SIGINT') {
      log('sigmatch: stopping now; the entries in hand stay pending for another consumer');
      process.exit(EXIT_INTERRUPTED);
    }
  };
  const onTerm = (): void => onStop('SIGTERM');
  const onInt = (): void => onStop('SIGINT');
  const onUsr1 = (): void => void report(false);
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  process.on('SIGUSR1', onUsr1);
  let timer: NodeJS.Timeout | null = null;
  try {
    const selection: Selection = { minLevel: parseLevel('--level', values.level), statuses: list(values['rule-status']), tags: list(values.tags) };
    const shards = wholeNumber('--shards', values.shards, 1, redis.MAX_SHARDS);
    if (shards === undefined && (values.lease !== undefined || values['checkpoint-every'] !== undefined)) throw new CliError('consume: --lease and --checkpoint-every go with --shards');
    if (shards !== undefined && (values['claim-idle'] !== undefined || values.dedupe !== undefined)) {
      throw new CliError('consume: --claim-idle and --dedupe do not apply with --shards (a shard taken over is reclaimed at once; its alerts are written once)');
    }
    const { compiled, sigma, set } = await loadRules(values, selection, shards !== undefined);
    const nullMatchesAbsent = !values['null-only'];
    const matcher = await Matcher.create(set ?? compiled, { nullMatchesAbsent });
    const statusEvery = parseDuration('--status-every', values['status-every'], DEFAULT_STATUS_EVERY_MS);
    const options = {
      redis: target,
      stream: values.stream,
      group: values.group ?? DEFAULT_GROUP,
      consumer: values.consumer,
      alerts: values.alerts,
      deadLetter: values['dead-letter'],
      from: values.from,
      batch: wholeNumber('--batch', values.batch, 1, redis.MAX_BATCH),
      blockMs: wholeNumber('--block', values.block, 1, 2 ** 31 - 1),
      claimIdleMs: values['claim-idle'] === undefined ? undefined : Math.max(1, parseDuration('--claim-idle', values['claim-idle'], 0)),
      maxDeliveries: wholeNumber('--max-deliveries', values['max-deliveries'], 1, 2 ** 31 - 1),
      dedupeMs: parseDuration('--dedupe', values.dedupe, 0),
      maxlen: wholeNumber('--maxlen', values.maxlen, 0, Number.MAX_SAFE_INTEGER),
      fieldsAsEvent: values['fields-as-event'],
      eventField: values['event-field'],
      drain: values.drain,
      matcher,
      sigma,
      nullMatchesAbsent,
      log,
    };
    const leaseMs = shards === undefined ? undefined : parseDuration('--lease', values.lease, redis.SHARD_DEFAULTS.leaseMs);
    let running: Running;
    try {
      if (shards === undefined) {
        const single = await redis.StreamConsumer.start(options);
        log(`sigmatch: consuming ${describe(single.settings)} with ${matcher.rules.length} rule${matcher.rules.length === 1 ? '' : 's'} (${redis.displayUrl(target)})`);
        running = single;
      } else {
        const sharded = await redis.ShardedConsumer.start({
          ...options,
          from: values.from ?? redis.SHARD_DEFAULTS.from,
          shards,
          leaseMs,
          checkpointEveryMs: parseDuration('--checkpoint-every', values['checkpoint-every'], redis.SHARD_DEFAULTS.checkpointEveryMs),
          createMatcher: () => Matcher.create(set ?? compiled, { nullMatchesAbsent }),
        });
        const s = sharded.settings;
        const n = matcher.correlations.length;
        log(
          `sigmatch: consuming ${s.shards} shard${s.shards === 1 ? '' : 's'} of ${s.stream} as ${s.consumer} in group ${s.group} (alerts to ${s.alerts}, dead letters to ${s.deadLetter}) with ${matcher.rules.length} rule${matcher.rules.length === 1 ? '' : 's'} and ${n} correlation${n === 1 ? '' : 's'} (${redis.displayUrl(target)})`,
        );
        running = sharded;
      }
    } catch (e) {
      if (e instanceof RangeError) throw new CliError(`consume: ${e.message}`);
      throw new CliError(`consume: ${(e as Error).message}`);
    }
    consumer = running;
    if (stopRequested) running.stop();
    report = async (final) => {
      const s = await running.status();
      if (values.metrics) process.stdout.write(`${redis.formatStatusJson(s, final)}\n`);
      else log(redis.formatStatusLine(s));
    };
    if (statusEvery > 0 && !values.quiet) timer = setInterval(() => void report(false), statusEvery);
    try {
      await running.done;
    } catch (e) {
      log(`sigmatch: consume stopped: ${(e as Error).message}`);
      return EXIT_USAGE;
    }
    await report(true);
    return EXIT_OK;
  } finally {
    if (timer) clearInterval(timer);
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    process.off('SIGUSR1', onUsr1);
  }
}

function describe(s: { stream: string; group: string; consumer: string; alerts: string; deadLetter: string }): string {
  return `${s.stream} as ${s.consumer} in group ${s.group} (alerts to ${s.alerts}, dead letters to ${s.deadLetter})`;
}

type StreamStatus = Awaited<ReturnType<(typeof import('../sources/redis/index.js'))['streamStatus']>>;

const count = (n: number | null): string => (n === null ? '?' : n.toLocaleString('en-US'));

function formatStreamStatus(s: StreamStatus): string {
  const lines: string[] = [];
  const name = sanitize;
  lines.push(s.length === null ? `stream ${name(s.stream)}: absent` : `stream ${name(s.stream)}: ${count(s.length)} entries, ${s.groups.length} group${s.groups.length === 1 ? '' : 's'}`);
  lines.push(`alerts ${name(s.alerts.key)}: ${s.alerts.length === null ? 'absent' : `${count(s.alerts.length)} entries`}`);
  lines.push(`dead letters ${name(s.deadLetter.key)}: ${s.deadLetter.length === null ? 'absent' : `${count(s.deadLetter.length)} entries`}`);
  for (const g of s.groups) {
    lines.push(`group ${name(g.name)}: ${count(g.pending)} pending, lag ${count(g.lag)}, last delivered ${g.lastDeliveredId}, ${g.consumers.length} consumer${g.consumers.length === 1 ? '' : 's'}`);
    const names = g.consumers.map((c) => name(c.name));
    const width = Math.max('consumer'.length, ...names.map((n) => n.length));
    if (g.consumers.length > 0) lines.push(`  ${'consumer'.padEnd(width)}  ${'pending'.padStart(9)}  ${'idle'.padStart(10)}`);
    g.consumers.forEach((c, i) => lines.push(`  ${names[i].padEnd(width)}  ${count(c.pending).padStart(9)}  ${`${(c.idleMs / 1000).toFixed(1)}s`.padStart(10)}`));
  }
  return `${lines.join('\n')}\n`;
}

