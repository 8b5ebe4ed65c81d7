/**
 * `sigmatch route`: split events into the shard streams that `sigmatch consume --shards` holds, by a hash of key
 * fields (src/sources/redis/route.ts). The Redis adapter loads only when this command runs.
 */
import { createReadStream } from 'node:fs';
import { CliError, EXIT_OK } from './common.js';
import { CommandLine } from './options.js';
import { parseDuration } from './consume.js';
import { sanitize } from './output/index.js';

const HELP = `sigmatch route: write events to the shard streams of a stream, by a hash of key fields

Usage:
  sigmatch route --stream <key> --shards <k> --key <field>[,<field>...] [options] [<events.ndjson> | -]
  sigmatch route --stream <key> --shards <k> --key <field> --from-stream <key> [--follow] [options]

Each event goes to the stream <stream>:<n>, n = FNV-1a 32 of its key values modulo k, in the order it came; events
with none of the key fields, and lines that are not JSON objects, go to <stream>:0 (whose holder dead-letters what
is not an event). Choose as key the group-by fields the correlation rules have in common (all of a correlation's
events must meet in one shard): with "group-by: [IpAddress]" and "group-by: [IpAddress, User]", --key IpAddress.
A correlation without group-by, or correlations with no group-by field in common, need --shards 1.
Then run "sigmatch consume --stream <key> --shards <k> ..." on as many machines as you like.

Options:
      --redis <url>           as for consume (default $SIGMATCH_REDIS_URL, else redis://127.0.0.1:6379)
  -s, --stream <key>          the stream whose shards receive the events (required)
      --shards <k>            how many shards (required; 1 to 1024; keep it for the life of the streams)
  -k, --key <fields>          the key field(s), comma-separated or repeated (required)
      --maxlen <n>            approximate cap of each shard stream (default none)
Input (NDJSON, one event per line, from a file or stdin by default; or a stream):
      --from-stream <key>     route the entries of this stream (their fields copied as they are), from where the
                              last route of it stopped (kept in <stream>:route:<source>): each entry exactly once
      --follow                with --from-stream: wait for new entries instead of stopping when caught up
      --block <time>          with --follow: how long each read waits (default 2s)
      --fields-as-event       with --from-stream: the entry's fields are the event
      --event-field <name>    with --from-stream: the field holding the event's JSON (default event)
      --batch <n>             with --from-stream: entries per read and per script (default 500)
  -q, --quiet                 no summary line
  -h, --help                  show this help

Example:
  sigmatch route -s winlogs --shards 8 --key IpAddress < events.ndjson
  sigmatch consume -s winlogs --shards 8 -r rules/ --drain
`;

const MAX_ROUTE_BATCH = 10_000;

export async function runRoute(argv: string[]): Promise<number> {
  const CLI = new CommandLine('route', HELP);
  const { values, positionals } = CLI.parse({
    args: argv,
    allowPositionals: true,
    options: {
        redis: { type: 'string' },
        stream: { type: 'string', short: 's' },
        shards: { type: 'string' },
        key: { type: 'string', short: 'k', multiple: true },
        maxlen: { type: 'string' },
        'from-stream': { type: 'string' },
        follow: { type: 'boolean', default: false },
        block: { type: 'string' },
        'fields-as-event': { type: 'boolean', default: false },
        'event-field': { type: 'string' },
        batch: { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  if (!values.stream) throw CLI.error('give the stream with --stream <key>');
  const shards = whole('--shards', values.shards, 1, 1024);
  if (shards === undefined) throw CLI.error('give the shard count with --shards <k>');
  const key = (values.key ?? []).map((k) => k.trim());
  if (key.length === 0 || key.some((k) => k === '')) throw CLI.error('give the key field(s) with --key <field>[,<field>...]');
  const source = values['from-stream'];
  if (source === undefined && (values.follow || values['fields-as-event'] || values['event-field'] !== undefined || values.batch !== undefined || values.block !== undefined)) {
    throw CLI.error('--follow, --block, --fields-as-event, --event-field and --batch go with --from-stream');
  }
  if (source !== undefined && positionals.length > 0) throw CLI.error('give either --from-stream or an events file, not both');
  if (positionals.length > 1) throw CLI.error('give one events file (or - for stdin)');

  let redis: typeof import('../sources/redis/index.js');
  try {
    redis = await import('../sources/redis/index.js');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && /@redis\/client/.test((e as Error).message)) {
      throw new CliError('route: the Redis client is not installed (npm install @redis/client; it is an optional dependency of sigmatch)');
    }
    throw e;
  }
  let target;
  try {
    target = redis.resolveTarget(values.redis, process.env);
  } catch (e) {
    if (e instanceof redis.RedisConfigError) throw new CliError(`route: ${e.message}`);
    throw e;
  }
  const log = (line: string): void => {
    process.stderr.write(`${sanitize(line)}\n`);
  };
  let stopped = false;
  const onStop = (): void => {
    stopped = true;
  };
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  const file = positionals[0];
  let totals;
  try {
    const input =
      source !== undefined
        ? {
            source,
            followMs: values.follow ? Math.max(1, parseDuration('--block', values.block, 2000)) : undefined,
            fieldsAsEvent: values['fields-as-event'],
            eventField: values['event-field'],
            batch: whole('--batch', values.batch, 1, MAX_ROUTE_BATCH),
            stopped: () => stopped,
          }
        : file === undefined || file === '-'
          ? process.stdin
          : createReadStream(file);
    totals = await redis.route({ redis: target, stream: values.stream, shards, key, maxlen: whole('--maxlen', values.maxlen, 0, Number.MAX_SAFE_INTEGER), input, log });
  } catch (e) {
    throw new CliError(`route: ${(e as Error).message}`);
  } finally {
    process.off('SIGTERM', onStop);
    process.off('SIGINT', onStop);
  }
  if (!values.quiet) {
    const total = totals.perShard.reduce((a, b) => a + b, 0);
    log(
      `sigmatch: routed ${total} event${total === 1 ? '' : 's'} to ${shards} shard${shards === 1 ? '' : 's'} of ${values.stream} by ${key.join(', ')} (per shard: ${totals.perShard.join(' ')}; ` +
        `without the key: ${totals.missingKey}, not a JSON object: ${totals.notEvents}, both to ${values.stream}:${redis.MISSING_KEY_SHARD})`,
    );
  }
  return EXIT_OK;
}

function whole(option: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new CliError(`route: ${option} takes a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}
