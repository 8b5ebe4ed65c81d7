/**
 * sigmatch on Redis Streams, for Node (`sigma-match/redis`): `consumeRedis` joins a consumer group and runs rules over
 * its entries, writing alerts to another stream (at-least-once; see consumer.ts); `streamStatus` reports a stream's
 * groups and what their consumers hold pending. The Redis client (@redis/client) is needed here only: the core
 * library (`sigma-match`, `sigma-match/browser`) never imports this module.
 */
import { compileRules } from '../../compiler/compile.js';
import '../../index.js'; // registers the Node loader of build/sigmatch.wasm
import { loadRulesFromText, type RuleSet } from '../../rule/load.js';
import type { SigmaRule } from '../../rule/model.js';
import { Matcher, type MatcherOptions, type RuleSource } from '../../runtime/matcher.js';
import { RedisLink, resolveTarget, type RedisTarget } from './connection.js';
import { StreamConsumer, type ConsumerOptions } from './consumer.js';
import { CONSUMER_DEFAULTS } from './settings.js';
import type { EventSource } from './events.js';
import { routeLines, routeStream, type RouteSettings, type RouteTotals, type StreamRouteOptions } from './route.js';
import { ShardedConsumer, type ShardedOptions } from './shards.js';

export interface ConsumeRedisOptions extends Omit<ConsumerOptions, 'redis' | 'matcher' | 'sigma'> {
  /** redis://[user:password@]host:port/db or rediss://... (default: SIGMATCH_REDIS_URL, else redis://127.0.0.1:6379). */
  redis?: string | RedisTarget;
  /** Where SIGMATCH_REDIS_* are read (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The rules: a Matcher, or anything Matcher.create takes. Alerts carry provenance when the rules' logic is at
   * hand (YAML text, a rule set, rules; or `sigma` given with a Matcher), not for a compiled rule set.
   */
  rules: Matcher | RuleSource;
  /** With a Matcher: its rules' logic, in its rule order, for provenance. */
  sigma?: readonly SigmaRule[];
  matcherOptions?: MatcherOptions;
}

function isRuleSet(s: RuleSource): s is RuleSet {
  return typeof s === 'object' && s !== null && !Array.isArray(s) && 'rules' in s && 'errors' in s;
}

/** Start a consumer; it runs until `stop()` (or, with `drain`, until the stream is consumed): await `done`. */
export async function consumeRedis(options: ConsumeRedisOptions): Promise<StreamConsumer> {
  const { rules, env, sigma: givenSigma, matcherOptions, redis, ...rest } = options;
  let matcher: Matcher;
  let sigma: readonly SigmaRule[] | null = givenSigma ?? null;
  if (rules instanceof Matcher) matcher = rules;
  else {
    let source: RuleSource = rules;
    if (typeof rules === 'string' || (Array.isArray(rules) && rules.every((r) => typeof r === 'string'))) {
      const set = loadRulesFromText(rules as string | string[], matcherOptions);
      // A bad rule is reported and skipped, as everywhere: the rest of the set runs.
      for (const e of set.errors) rest.log?.(e.format());
      source = set.rules;
    }
    if (isRuleSet(source)) source = source.rules;
    if (Array.isArray(source)) {
      sigma = source as readonly SigmaRule[];
      source = compileRules(sigma);
    }
    matcher = await Matcher.create(source, { nullMatchesAbsent: rest.nullMatchesAbsent, ...matcherOptions });
  }
  const target = typeof redis === 'object' ? redis : resolveTarget(redis, env ?? process.env);
  return StreamConsumer.start({ ...rest, redis: target, matcher, sigma });
}

export interface ConsumeShardsOptions extends Omit<ShardedOptions, 'redis' | 'createMatcher' | 'sigma'> {
  redis?: string | RedisTarget;
  env?: Readonly<Record<string, string | undefined>>;
  /** The rules with their correlations: YAML text(s) or a loaded rule set (each shard held gets a matcher of them). */
  rules: string | readonly string[] | RuleSet;
  matcherOptions?: MatcherOptions;
}

/**
 * Hold shards of a stream split by `route` (shards.ts): each shard's correlation state is checkpointed with its
 * acknowledgements and follows the shard to whoever holds it. Runs until `stop()` (or, with `drain`, until every
 * shard is consumed): await `done`.
 */
export async function consumeShards(options: ConsumeShardsOptions): Promise<ShardedConsumer> {
  const { rules, env, matcherOptions, redis, ...rest } = options;
  const set = isRuleSet(rules as RuleSource) ? (rules as RuleSet) : loadRulesFromText(rules as string | string[], matcherOptions);
  for (const e of set.errors) rest.log?.(e.format());
  const createMatcher = (): Promise<Matcher> => Matcher.create(set, { nullMatchesAbsent: rest.nullMatchesAbsent, ...matcherOptions });
  const target = typeof redis === 'object' ? redis : resolveTarget(redis, env ?? process.env);
  return ShardedConsumer.start({ ...rest, redis: target, createMatcher, sigma: set.rules });
}

export interface RouteOptions extends RouteSettings {
  redis?: string | RedisTarget;
  env?: Readonly<Record<string, string | undefined>>;
  /** NDJSON bytes (one event per line), or a source stream to route (see StreamRouteOptions). */
  input: AsyncIterable<Uint8Array> | (Omit<StreamRouteOptions, 'eventSource' | 'batch'> & { fieldsAsEvent?: boolean; eventField?: string; batch?: number });
  log?: (line: string) => void;
}

/** Write events to the shard streams of `stream` by the hash of their key fields (route.ts): `sigmatch route`. */
export async function route(options: RouteOptions): Promise<RouteTotals> {
  const { redis, env, input, log, ...settings } = options;
  const target = typeof redis === 'object' ? redis : resolveTarget(redis, env ?? process.env);
  const link = await RedisLink.open(target, log ?? (() => {}), 'route');
  try {
    if (Symbol.asyncIterator in input) return await routeLines(link, settings, input);
    const eventSource: EventSource = input.fieldsAsEvent ? { kind: 'fields' } : { kind: 'field', name: input.eventField ?? CONSUMER_DEFAULTS.eventField };
    return await routeStream(link, settings, { ...input, eventSource, batch: input.batch ?? CONSUMER_DEFAULTS.batch });
  } finally {
    await link.close();
  }
}

export { ShardedConsumer, SHARD_DEFAULTS, MIN_LEASE_MS, type ShardedOptions } from './shards.js';
export { shardOf, shardStream, MISSING_KEY_SHARD, MAX_SHARDS } from './shard-key.js';
export { routeCheckpointKey, type RouteSettings, type RouteTotals, type StreamRouteOptions } from './route.js';
export { Lease } from './lease.js';
export { StreamConsumer, type ConsumerOptions } from './consumer.js';
export { CONSUMER_DEFAULTS, MAX_BATCH, type StreamReadOptions } from './settings.js';
export { streamStatus, type StreamStatus, type GroupRow, type ConsumerRow, type StatusQuery } from './status.js';
export { resolveTarget, displayUrl, REDIS_ENV, DEFAULT_REDIS_URL, RedisConfigError, type RedisTarget } from './connection.js';
export { formatStatusLine, formatStatusJson, type ConsumeTotals, type ConsumerStatus } from './metrics.js';
export { DEAD_LETTER_CODES, type DeadLetterCode } from './dead-letters.js';
export { alertId, ruleKeys } from './alerts.js';
