/**
 * A member of a Redis Streams consumer group running rules over the group's entries:
 *
 *   read (own pending list first, then entries idle too long elsewhere, then new ones)
 *     -> events, one per line -> one push into the VM -> alerts (with provenance) and dead letters
 *     -> one atomic commit: alerts in, dead letters in, entries acknowledged
 *
 * At-least-once: an entry is acknowledged only in the step that writes its alerts. Whatever fails in between (this
 * process, the connection, Redis) leaves the entry pending: this consumer reads it back after a reconnect, another
 * reclaims it with XAUTOCLAIM after --claim-idle. Alert ids depend only on the stream, the entry and the rule, so a
 * redelivery repeats ids, never invents new ones.
 */
import type { Matcher } from '../../runtime/matcher.js';
import { ruleKeys } from './alerts.js';
import { BatchScanner } from './batch.js';
import { Committer } from './commit.js';
import {
  backoffMs,
  displayUrl,
  isConnectionError,
  isTransientServerError,
  RedisLink,
  scrub,
  serverErrorCode,
} from './connection.js';
import { deadLetterFields } from './dead-letters.js';
import { emptyTotals, type ConsumeTotals, type ConsumerStatus } from './metrics.js';
import { deliveryCounts, ruleAlerts, scanEntries, type AlertContext } from './prepare.js';
import { CONSUMER_DEFAULTS, positiveSetting, resolveStreamSettings, type StreamReadOptions, type StreamSettings } from './settings.js';
import { infoNumber, infoText, readAutoClaim, readInfoList, readStreamReply, type StreamEntry } from './replies.js';

/** The claim sweep runs at this fraction of --claim-idle (so an idle entry waits at most 1.5x as long)... */
const SWEEP_FRACTION = 0.5;
/** ...and at least this often, at most this rarely. */
const SWEEP_MIN_MS = 100;
const SWEEP_MAX_MS = 30_000;

export interface ConsumerOptions extends StreamReadOptions {
  /** How long an entry stays pending with a consumer before another takes it over, in ms. */
  claimIdleMs?: number;
  /** Hold back an alert whose id was written within this many ms (0: off). */
  dedupeMs?: number;
  matcher: Matcher;
}

interface Settings extends StreamSettings {
  claimIdleMs: number;
}

/** How an entry reached this batch: its delivery count is known (1) for new entries, asked for otherwise. */
type Origin = 'new' | 'reclaimed' | 'recovered';

export class StreamConsumer {
  private readonly totals = emptyTotals();
  private readonly started = performance.now();
  private lastStatus = { at: performance.now(), events: 0 };
  private stopping = false;
  private gauges: { lag: number | null; pending: number | null } = { lag: null, pending: null };
  private readonly scanner: BatchScanner;
  private readonly committer: Committer;
  private readonly alertContext: AlertContext;
  private readonly log: (line: string) => void;
  /** Resolves with the totals when the consumer has stopped (rejects on a fatal error). */
  readonly done: Promise<ConsumeTotals>;

  private constructor(
    private readonly link: RedisLink,
    readonly settings: Settings,
    private readonly options: ConsumerOptions,
  ) {
    this.log = options.log ?? (() => {});
    this.scanner = new BatchScanner(options.matcher);
    this.alertContext = {
      stream: settings.stream,
      rules: options.matcher.rules,
      ruleKeys: ruleKeys(options.matcher.rules),
      matcher: options.matcher,
    };
    this.committer = new Committer(
      link,
      { stream: settings.stream, alerts: settings.alerts, deadLetter: settings.deadLetter, group: settings.group },
      { maxlen: settings.maxlen, dedupeMs: options.dedupeMs ?? 0, dedupePrefix: `sigmatch:dedupe:${settings.alerts}:` },
    );
    this.done = this.run();
  }

  /** Connect, check the keys, create the group if absent, and start consuming. */
  static async start(options: ConsumerOptions): Promise<StreamConsumer> {
    const settings = resolveSettings(options);
    if (options.sigma && options.sigma.length !== options.matcher.rules.length) {
      throw new Error(`the provenance rules (${options.sigma.length}) are not the matcher's rules (${options.matcher.rules.length})`);
    }
    const link = await RedisLink.open(options.redis, options.log ?? (() => {}), settings.consumer);
    try {
      await checkKeyTypes(link, [settings.stream, settings.alerts, settings.deadLetter]);
      await createGroup(link, settings);
    } catch (e) {
      await link.close();
      throw e;
    }
    return new StreamConsumer(link, settings, options);
  }

  /** Finish the batch in hand, acknowledge it, and stop. */
  stop(): void {
    this.stopping = true;
  }

  /** The counters and, when Redis answers, the group's lag and pending count. */
  async status(): Promise<ConsumerStatus> {
    const now = performance.now();
    const seconds = (now - this.started) / 1000;
    const interval = (now - this.lastStatus.at) / 1000;
    const eventsPerSecond = interval > 0 ? (this.totals.events - this.lastStatus.events) / interval : 0;
    this.lastStatus = { at: now, events: this.totals.events };
    await this.refreshGauges();
    const { stream, group, consumer } = this.settings;
    return { stream, group, consumer, seconds, eventsPerSecond, ...this.totals, reconnects: this.link.reconnects, ...this.gauges };
  }

  /** The group's lag and pending count, when Redis answers (the last known ones otherwise, e.g. once stopped). */
  private async refreshGauges(): Promise<void> {
    if (!this.link.ready) return;
    try {
      const group = readInfoList(await this.link.call(['XINFO', 'GROUPS', this.settings.stream])).find((g) => infoText(g, 'name') === this.settings.group);
      if (group) this.gauges = { lag: infoNumber(group, 'lag'), pending: infoNumber(group, 'pending') };
    } catch {
      // Unknown while Redis does not answer; the counters are still worth reporting.
    }
  }

  private async run(): Promise<ConsumeTotals> {
    // Own pending entries first: a consumer restarted under its name, or reconnected, may hold unacknowledged ones.
    let recover = true;
    let cursor = '0-0';
    let nextSweep = 0;
    let failures = 0;
    // The next batch, asked for while this one is scanned and committed (after a full batch: more is likely there).
    // Read ahead, it is pending with this consumer like the batch in hand, and processed before a stop.
    let ahead: Promise<unknown> | null = null;
    try {
      while (!this.stopping || ahead) {
        try {
          if (recover) {
            await this.recoverOwn();
            recover = false;
            continue;
          }
          if (!ahead && performance.now() >= nextSweep) {
            const claimed = await this.claimPage(cursor);
            cursor = claimed.cursor;
            if (cursor === '0-0') nextSweep = performance.now() + sweepInterval(this.settings.claimIdleMs);
            if (claimed.found > 0) continue;
          }
          const reply = ahead ?? this.readNew(true);
          ahead = null;
          const entries = readStreamReply(await this.timed(() => reply));
          failures = 0;
          if (entries.length === this.settings.batch && !this.stopping && performance.now() < nextSweep) {
            // Without BLOCK: a read that finds nothing must not hold back the commit queued behind it.
            ahead = this.readNew(false);
            ahead.catch(() => {}); // its failure is met where it is awaited, or made moot by the recovery
          }
          if (entries.length > 0) await this.process(entries, 'new', []);
          else if (this.settings.drain && (await this.sweepAll()) === 0) break;
        } catch (e) {
          ahead = null; // whatever it read is pending here: the recovery reads it back
          if (!(await this.survive(e, failures++))) break;
          recover = true;
        }
      }
    } finally {
      this.scanner.close();
      await this.refreshGauges();
      await this.link.close();
    }
    return { ...this.totals, reconnects: this.link.reconnects };
  }

  private readNew(block: boolean): Promise<unknown> {
    const { group, consumer, batch, blockMs, stream } = this.settings;
    return this.link.call(['XREADGROUP', 'GROUP', group, consumer, 'COUNT', String(batch), ...(block ? ['BLOCK', String(blockMs)] : []), 'STREAMS', stream, '>']);
  }

  /** Take over one page of entries idle past --claim-idle at other consumers, and process them. */
  private async claimPage(cursor: string): Promise<{ cursor: string; found: number }> {
    const { stream, group, consumer, claimIdleMs, batch } = this.settings;
    const reply = readAutoClaim(await this.timed(() => this.link.call(['XAUTOCLAIM', stream, group, consumer, String(claimIdleMs), cursor, 'COUNT', String(batch)])));
    const found = reply.entries.length + reply.deleted.length;
    if (found > 0) {
      this.totals.reclaimed += reply.entries.length;
      await this.process(reply.entries, 'reclaimed', reply.deleted);
    }
    return { cursor: reply.cursor, found };
  }

  /** A whole claim sweep (for --drain, before stopping): how many entries it found. */
  private async sweepAll(): Promise<number> {
    let cursor = '0-0';
    let found = 0;
    do {
      const page = await this.claimPage(cursor);
      cursor = page.cursor;
      found += page.found;
    } while (cursor !== '0-0' && !this.stopping);
    return found;
  }

  /** Read back and process this consumer's own pending entries (delivered to it, never acknowledged). */
  private async recoverOwn(): Promise<void> {
    let after = '0';
    while (!this.stopping) {
      const entries = readStreamReply(
        await this.timed(() => this.link.call(['XREADGROUP', 'GROUP', this.settings.group, this.settings.consumer, 'COUNT', String(this.settings.batch), 'STREAMS', this.settings.stream, after])),
      );
      if (entries.length === 0) return;
      this.totals.recovered += entries.length;
      after = entries[entries.length - 1].id;
      await this.process(entries, 'recovered', []);
    }
  }

  /**
   * Whether to go on after an error: connection failures wait for the connection to come back, transient server
   * errors wait a while, a vanished group is created again; anything else is fatal (thrown).
   */
  private async survive(e: unknown, failures: number): Promise<boolean> {
    const target = this.link.target;
    if (isConnectionError(e)) {
      this.log(`sigmatch: lost the connection to ${displayUrl(target)} (${scrub(target, (e as Error).message)}); entries in hand stay pending and are read again`);
      return this.link.waitReady(() => this.stopping);
    }
    if (isTransientServerError(e)) {
      this.log(`sigmatch: Redis is not ready (${scrub(target, (e as Error).message)}); retrying`);
      await sleep(backoffMs(failures));
      return true;
    }
    if (serverErrorCode(e) === 'NOGROUP') {
      this.log(`sigmatch: the stream ${this.settings.stream} or its group ${this.settings.group} is gone; creating it again from ${this.settings.from}`);
      await createGroup(this.link, this.settings);
      return true;
    }
    throw e instanceof Error ? new Error(scrub(target, e.message), { cause: e }) : e;
  }

  /** Scan a batch, build its alerts and dead letters, and commit them with the acknowledgement of every entry. */
  private async process(entries: readonly StreamEntry[], origin: Origin, deletedIds: readonly string[]): Promise<void> {
    const { settings } = this;
    const deliveries = origin === 'new' ? null : await this.timed(() => deliveryCounts(this.link, settings.stream, settings.group, entries));
    const scanStart = performance.now();
    const { scanned, dead } = scanEntries(entries, deliveries, deletedIds, settings, this.scanner);
    const alertStart = performance.now();
    this.totals.scanMs += alertStart - scanStart;
    const alerts = ruleAlerts(entries, scanned.hits, this.alertContext);
    this.totals.alertMs += performance.now() - alertStart;

    const result = await this.timed(() =>
      this.committer.commit(
        alerts,
        dead.map((d) => deadLetterFields(settings.stream, d)),
        entries.map((e) => e.id),
      ),
    );
    this.totals.batches++;
    this.totals.entries += entries.length;
    this.totals.events += scanned.events;
    this.totals.alerts += result.written;
    this.totals.duplicates += result.duplicates;
    this.totals.deadLettered += result.deadLettered;
    this.totals.acknowledged += result.acknowledged;
  }

  private async timed<T>(call: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await call();
    } finally {
      this.totals.redisMs += performance.now() - start;
    }
  }
}

function resolveSettings(o: ConsumerOptions): Settings {
  return {
    ...resolveStreamSettings(o, CONSUMER_DEFAULTS.from),
    claimIdleMs: positiveSetting('the claim idle time', o.claimIdleMs, CONSUMER_DEFAULTS.claimIdleMs),
  };
}

function sweepInterval(claimIdleMs: number): number {
  return Math.min(Math.max(claimIdleMs * SWEEP_FRACTION, SWEEP_MIN_MS), SWEEP_MAX_MS);
}

/** The stream, alerts and dead-letter keys must be streams (or absent): a wrong type would fail every commit. */
async function checkKeyTypes(link: RedisLink, keys: readonly string[]): Promise<void> {
  for (const key of new Set(keys)) {
    const type = String(await link.call(['TYPE', key]));
    if (type !== 'stream' && type !== 'none') throw new Error(`the key ${key} holds a ${type}, not a stream`);
  }
}

/** XGROUP CREATE ... MKSTREAM, an existing group being fine. */
async function createGroup(link: RedisLink, s: Settings): Promise<void> {
  try {
    await link.call(['XGROUP', 'CREATE', s.stream, s.group, s.from, 'MKSTREAM']);
  } catch (e) {
    if (serverErrorCode(e) !== 'BUSYGROUP') throw e;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

