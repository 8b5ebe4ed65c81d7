/**
 * Sharded consumption, for correlations: the events of a stream are split into K shard streams by a key
 * (`sigmatch route`, shard-key.ts) so that every event of one correlation group is in one shard, and each shard is
 * processed by one consumer at a time, which holds the shard's correlation state.
 *
 * Keys, for stream S, group G and shard k (S:k is the shard's stream):
 *   S:k:lease:G       the holder's token, with a time to live (SET NX PX; lease.ts)
 *   S:k:checkpoint:G  a hash: `id`, the last entry acknowledged, and `state`, the correlation state after it
 *                     (Matcher.snapshot), and `holder`, the token that wrote it
 *   S:consumers:G     a sorted set of live consumers (heartbeat times), to share the shards out evenly
 *
 * Protocol: a consumer takes free shards (SET NX) up to its share (shards / live consumers, rounded up), renews its
 * leases every third of the lease time, and gives back shards beyond its share. Taking a shard over: read the
 * checkpoint, restore its state into a fresh matcher, claim every entry pending in the shard's group (read by a
 * holder since its last checkpoint; XAUTOCLAIM with no idle time: the lease says nobody else works on the shard)
 * and process them in id order, then read new entries. Each batch ends in one script (commit.ts) that checks the
 * lease and writes the batch's alerts (each once: a dedupe key per alert id) and dead letters; at a checkpoint (every
 * --checkpoint-every, when the shard is idle, and before a shard is given back) the same script also acknowledges
 * every entry since the previous checkpoint and writes the new one. So the state in the checkpoint always covers
 * exactly the acknowledged entries: a takeover neither counts an event twice nor loses one, and the alerts it
 * writes again on the way (same ids: stream, completing entry, rule or correlation) are held back as duplicates.
 * The snapshot costs time in proportion to the groups held (BENCHMARKS.md): checkpoints by time, not by batch, keep
 * that cost off the events.
 *
 * A holder stops using a shard when its lease is not surely its own any more (lease.ts counts it from the command's
 * sending, less a margin), and the server checks the lease token again in every read that delivers entries
 * (shard-read.ts) and in the commit script (commit.ts): a stalled holder that wakes up after a takeover is delivered
 * nothing and writes nothing. A takeover's commits settle the entries it claimed (commit.ts): claiming them counted
 * one more delivery each, and a takeover that got through them must not count against them as a failed one.
 */
import { randomUUID } from 'node:crypto';
import type { Matcher } from '../../runtime/matcher.js';
import { alertId, correlationAlertEntry, ruleKeys, type Alert } from './alerts.js';
import { BatchScanner, type EntryAlert } from './batch.js';
import { Committer, LEASE_LOST } from './commit.js';
import { displayUrl, isConnectionError, isTransientServerError, RedisLink, scrub, serverErrorCode } from './connection.js';
import { deadLetterFields } from './dead-letters.js';
import { Lease, RENEW_FRACTION } from './lease.js';
import { emptyTotals, type ConsumeTotals, type ConsumerStatus } from './metrics.js';
import { deliveryCounts, ruleAlerts, scanEntries, type AlertContext } from './prepare.js';
import { infoNumber, infoText, readInfo, readInfoList, type StreamEntry } from './replies.js';
import { claimShard, readShards, waitForEntries, type ShardKeys, type ShardReader } from './shard-read.js';
import { checkShards, shardStream } from './shard-key.js';
import { CONSUMER_DEFAULTS, resolveStreamSettings, type StreamReadOptions, type StreamSettings } from './settings.js';

export const SHARD_DEFAULTS = {
  leaseMs: 15_000,
  checkpointEveryMs: 1000,
  /** A shard stream is all this group's: a group created here reads it from the start. */
  from: '0',
} as const;

/** A consumer whose heartbeat is older than this many lease times no longer counts in the share-out. */
const STALE_LEASES = 2;
/** The shortest lease: renewals (a third of it) must fit several round trips. */
export const MIN_LEASE_MS = 300;
/**
 * A shard is read only while its lease surely holds for this fraction of the lease time more, and the wait for new
 * entries blocks at most as long (the loop comes round to renewals' outcomes, give-backs and stops in time).
 */
const BLOCK_FRACTION = 0.25;
/**
 * How long an alert id is remembered (so that entries processed again after a takeover do not write their alerts
 * twice): at least this long, and at least this many checkpoint intervals and lease times.
 */
const DEDUPE_MIN_MS = 10 * 60_000;
const DEDUPE_INTERVALS = 20;

export interface ShardedOptions extends StreamReadOptions {
  /** The stream whose shards (`<stream>:0` ... `<stream>:<shards-1>`) are consumed. */
  stream: string;
  shards: number;
  /** How long a lease lasts without renewal, in ms. */
  leaseMs?: number;
  /** Checkpoint a busy shard this often, in ms (0: after every batch); an idle shard is checkpointed at once. */
  checkpointEveryMs?: number;
  /** Stop when every shard's entries are all acknowledged (by this consumer or others). */
  drain?: boolean;
  /** A fresh matcher over the rules, one per shard held (each holds its shard's correlation state). */
  createMatcher: () => Promise<Matcher>;
}

interface Settings extends StreamSettings {
  shards: number;
  leaseMs: number;
  checkpointEveryMs: number;
}

/** A shard this consumer holds a lease on. */
interface Shard {
  index: number;
  stream: string;
  lease: Lease;
  checkpointKey: string;
  /** Set once taken over (state restored, pending entries processed). */
  work: ShardWork | null;
  /** Give it back after the batch in hand (beyond this consumer's share). */
  release: boolean;
}

interface ShardWork {
  matcher: Matcher;
  scanner: BatchScanner;
  committer: Committer;
  /** The last entry id the state in hand covers. */
  processed: string;
  /** Entries processed since the last checkpoint (acknowledged with the next). */
  unacked: string[];
  /** When the last checkpoint was sent (performance.now). */
  checkpointedAt: number;
  /** How many entries the last read brought (0: the shard is idle). */
  lastRead: number;
}

/** Stream ids compare as (milliseconds, sequence). */
export function compareIds(a: string, b: string): number {
  const [am, as = '0'] = a.split('-');
  const [bm, bs = '0'] = b.split('-');
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

export class ShardedConsumer {
  private readonly totals = { ...emptyTotals(), checkpoints: 0, checkpointMs: 0 };
  private readonly started = performance.now();
  private lastStatus = { at: performance.now(), events: 0 };
  private stopping = false;
  private readonly held = new Map<number, Shard>();
  private readonly token: string;
  private readonly log: (line: string) => void;
  private keys: { rules: string[]; correlations: string[] } | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();
  /** Shards taken over and given up (lost or released), for the status. */
  private takeovers = 0;
  private lost = 0;
  readonly done: Promise<ConsumeTotals>;

  private constructor(
    private readonly link: RedisLink,
    private readonly leaseLink: RedisLink,
    readonly settings: Settings,
    private readonly options: ShardedOptions,
  ) {
    this.log = options.log ?? (() => {});
    this.token = `${settings.consumer}:${randomUUID()}`;
    this.done = this.run();
  }

  static async start(options: ShardedOptions): Promise<ShardedConsumer> {
    const settings = resolveSettings(options);
    const log = options.log ?? (() => {});
    const link = await RedisLink.open(options.redis, log, settings.consumer);
    let leaseLink: RedisLink | null = null;
    try {
      // Leases are renewed on their own connection: a blocking read must never hold a renewal back.
      leaseLink = await RedisLink.open(options.redis, log, `${settings.consumer}:leases`);
      for (const key of [settings.alerts, settings.deadLetter, ...shardKeys(settings)]) {
        const type = String(await link.call(['TYPE', key]));
        if (type !== 'stream' && type !== 'none') throw new Error(`the key ${key} holds a ${type}, not a stream`);
      }
    } catch (e) {
      await link.close();
      await leaseLink?.close();
      throw e;
    }
    return new ShardedConsumer(link, leaseLink, settings, options);
  }

  /** Finish the batch in hand, commit it, give the leases back and stop. */
  stop(): void {
    this.stopping = true;
  }

  /** The shards held now. */
  get shards(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  async status(): Promise<ConsumerStatus & { shards: number[]; takeovers: number; lost: number; checkpoints: number; checkpointMs: number }> {
    const now = performance.now();
    const interval = (now - this.lastStatus.at) / 1000;
    const eventsPerSecond = interval > 0 ? (this.totals.events - this.lastStatus.events) / interval : 0;
    this.lastStatus = { at: now, events: this.totals.events };
    const { stream, group, consumer } = this.settings;
    return {
      stream,
      group,
      consumer,
      seconds: (now - this.started) / 1000,
      eventsPerSecond,
      ...this.totals,
      reconnects: this.link.reconnects,
      lag: null,
      pending: null,
      shards: this.shards,
      takeovers: this.takeovers,
      lost: this.lost,
      checkpoints: this.totals.checkpoints,
      checkpointMs: this.totals.checkpointMs,
    };
  }

  private async run(): Promise<ConsumeTotals> {
    const tickEvery = Math.max(1, Math.floor(this.settings.leaseMs * RENEW_FRACTION));
    const schedule = (): void => {
      this.tickTimer = setTimeout(() => {
        this.ticking = this.tick().finally(() => {
          if (!this.stopping) schedule();
        });
      }, tickEvery);
    };
    try {
      await this.tick();
      schedule();
      while (!this.stopping) {
        try {
          await this.step();
        } catch (e) {
          if (!(await this.survive(e))) break;
        }
      }
    } finally {
      if (this.tickTimer) clearTimeout(this.tickTimer);
      await this.ticking.catch(() => {});
      await this.giveBack();
      await this.link.close();
      await this.leaseLink.close();
    }
    return { ...this.totals, reconnects: this.link.reconnects };
  }

  /** One round: take over new shards, give back or drop others, then read and process one batch per shard. */
  private async step(): Promise<void> {
    for (const shard of [...this.held.values()]) {
      if (!shard.lease.held()) this.drop(shard, 'its lease could not be renewed in time');
      else if (shard.release) await this.releaseShard(shard);
      else if (!shard.work) await this.takeOver(shard);
      if (this.stopping) return;
    }
    // Shards with nothing new are checkpointed now (nothing more to wait for), before the read may block.
    for (const shard of [...this.held.values()]) {
      if (shard.work && shard.work.unacked.length > 0 && shard.work.lastRead === 0 && shard.lease.held()) await this.checkpoint(shard);
    }
    // Only shards whose lease surely holds for the read; the server checks it again (shard-read.ts).
    const readable = [...this.held.values()].filter((s) => s.work && !s.release && s.lease.held(this.settings.leaseMs * BLOCK_FRACTION));
    if (readable.length === 0) {
      if (this.settings.drain && (await this.drained())) this.stopping = true;
      else await sleep(Math.min(this.settings.blockMs, 50));
      return;
    }
    const reads = await this.timed(() => readShards(this.link, readable.map(shardKeysOf), this.reader(), this.settings.batch));
    const idle: { stream: string; id: string }[] = [];
    let found = 0;
    for (const [i, shard] of readable.entries()) {
      const read = reads[i];
      if (read.kind === 'lost') {
        this.drop(shard, 'another consumer holds its lease now');
        continue;
      }
      if (read.kind === 'idle') {
        shard.work!.lastRead = 0;
        idle.push({ stream: shard.stream, id: read.lastDelivered });
        continue;
      }
      shard.work!.lastRead = read.entries.length;
      found += read.entries.length;
      await this.process(shard, read.entries, null, []);
    }
    if (found > 0) return;
    if (this.settings.drain && (await this.drained())) this.stopping = true;
    else await this.timed(() => waitForEntries(this.link, idle, this.settings.blockMs));
  }

  /** Who reads shards: the server delivers to `consumer` only while `token` holds the shard's lease. */
  private reader(): ShardReader {
    return { token: this.token, group: this.settings.group, consumer: this.settings.consumer };
  }

  /**
   * Lease upkeep, every third of the lease time on the lease connection: renew the held leases, say this consumer
   * is alive, take free shards up to its share, mark shards beyond it for giving back.
   */
  private async tick(): Promise<void> {
    if (this.stopping) return;
    const s = this.settings;
    try {
      for (const shard of this.held.values()) {
        if (!(await shard.lease.renew())) shard.lease.drop();
      }
      const registry = `${s.stream}:consumers:${s.group}`;
      const now = Date.now();
      const stale = now - STALE_LEASES * s.leaseMs;
      const [, , live] = (await this.leaseLink.pipeline([
        ['ZADD', registry, String(now), s.consumer],
        ['ZREMRANGEBYSCORE', registry, '-inf', `(${stale}`],
        ['ZCARD', registry],
      ])).map((r) => {
        if (r.status === 'rejected') throw r.reason;
        return r.value;
      });
      const share = Math.ceil(s.shards / Math.max(1, Number(live)));
      // Start from a place of this consumer's own, so consumers starting together try different shards first.
      const first = hashName(s.consumer) % s.shards;
      for (let i = 0; i < s.shards && this.held.size < share && !this.stopping; i++) {
        const k = (first + i) % s.shards;
        if (this.held.has(k)) continue;
        const stream = shardStream(s.stream, k);
        const lease = new Lease(this.leaseLink, `${stream}:lease:${s.group}`, this.token, s.leaseMs);
        if (await lease.acquire()) {
          this.held.set(k, { index: k, stream, lease, checkpointKey: `${stream}:checkpoint:${s.group}`, work: null, release: false });
        }
      }
      let extra = this.held.size - share;
      for (const shard of [...this.held.values()].reverse()) {
        if (extra <= 0) break;
        if (!shard.release) shard.release = true;
        extra--;
      }
    } catch (e) {
      // Leases run out by themselves if this goes on: the work loop stops using shards it cannot be sure of.
      this.log(`sigmatch: lease upkeep failed (${scrub(this.leaseLink.target, (e as Error).message)}); retrying`);
    }
  }

  /** Restore the shard's checkpointed state and process what its previous holder read but did not commit. */
  private async takeOver(shard: Shard): Promise<void> {
    const s = this.settings;
    try {
      await this.link.call(['XGROUP', 'CREATE', shard.stream, s.group, s.from, 'MKSTREAM']);
    } catch (e) {
      if (serverErrorCode(e) !== 'BUSYGROUP') throw e;
    }
    const [id, state] = (await this.timed(() => this.link.call(['HMGET', shard.checkpointKey, 'id', 'state']))) as (Buffer | null)[];
    const matcher = await this.options.createMatcher();
    if (state && state.length > 0) {
      try {
        matcher.restore(new Uint8Array(state.buffer, state.byteOffset, state.byteLength));
      } catch (e) {
        throw new Error(`the checkpoint ${shard.checkpointKey} cannot be restored: ${(e as Error).message}`, { cause: e });
      }
    }
    const dedupeMs = Math.max(DEDUPE_MIN_MS, DEDUPE_INTERVALS * Math.max(s.checkpointEveryMs, s.leaseMs));
    const committer = new Committer(
      this.link,
      { stream: shard.stream, alerts: s.alerts, deadLetter: s.deadLetter, group: s.group },
      { maxlen: s.maxlen, dedupeMs, dedupePrefix: `${shard.stream}:alerted:${s.group}:` },
    );
    const processed = id ? id.toString('utf8') : '0-0';
    shard.work = { matcher, scanner: new BatchScanner(matcher), committer, processed, unacked: [], checkpointedAt: performance.now(), lastRead: 1 };
    this.takeovers++;
    this.log(`sigmatch: took shard ${shard.stream} over (checkpoint ${processed}${state ? `, ${state.length} bytes of correlation state` : ''})`);
    // Every entry pending in the shard's group, in id order: the lease says no other consumer works on them.
    let cursor = '0-0';
    do {
      let page;
      try {
        page = await this.timed(() => claimShard(this.link, shardKeysOf(shard), this.reader(), cursor, s.batch));
      } catch (e) {
        if (serverErrorCode(e) !== LEASE_LOST) throw e;
        this.drop(shard, 'another consumer holds its lease now');
        return;
      }
      cursor = page.cursor;
      if (page.entries.length + page.deleted.length === 0) continue;
      this.totals.reclaimed += page.entries.length;
      const deliveries = await this.timed(() => deliveryCounts(this.link, shard.stream, s.group, page.entries));
      if (!(await this.process(shard, page.entries, deliveries, page.deleted))) return;
    } while (cursor !== '0-0' && !this.stopping);
  }

  /** Acknowledge what the shard's state covers and write the checkpoint (false: the shard was given up). */
  private checkpoint(shard: Shard): Promise<boolean> {
    return this.process(shard, [], null, [], true);
  }

  /**
   * Scan a shard's batch and commit its alerts and dead letters in one step, with the acknowledgements and the
   * checkpoint when one is due (or `checkpoint`). False when the shard was given up (its lease is lost).
   */
  private async process(shard: Shard, all: readonly StreamEntry[], allDeliveries: readonly number[] | null, deletedIds: readonly string[], checkpoint = false): Promise<boolean> {
    const work = shard.work!;
    const s = this.settings;
    // Entries the state already covers (met again only after a group was reset) are acknowledged, not counted twice.
    const fresh: number[] = [];
    all.forEach((e, i) => {
      if (compareIds(e.id, work.processed) > 0) fresh.push(i);
    });
    const entries = fresh.map((i) => all[i]);
    const deliveries = allDeliveries ? fresh.map((i) => allDeliveries[i]) : null;
    const scanStart = performance.now();
    const { scanned, dead } = scanEntries(entries, deliveries, deletedIds, s, work.scanner, entries.map((e) => e.id));
    const alertStart = performance.now();
    this.totals.scanMs += alertStart - scanStart;
    const alerts = [...ruleAlerts(entries, scanned.hits, this.alertContext(work.matcher, shard.stream)), ...this.correlationAlerts(work.matcher, shard.stream, scanned.alerts)];
    this.totals.alertMs += performance.now() - alertStart;
    const last = all.length > 0 && compareIds(all[all.length - 1].id, work.processed) > 0 ? all[all.length - 1].id : work.processed;
    const ids = [...all.map((e) => e.id), ...deletedIds];
    const due = checkpoint || this.stopping || performance.now() - work.checkpointedAt >= s.checkpointEveryMs;
    const snapshotStart = performance.now();
    const state = due ? work.matcher.snapshot() : null;
    this.totals.checkpointMs += performance.now() - snapshotStart;
    const sent = performance.now();
    let result;
    try {
      result = await this.timed(() =>
        work.committer.commit(
          alerts,
          dead.map((d) => deadLetterFields(shard.stream, d)),
          state ? [...work.unacked, ...ids] : [],
          {
            lease: shard.lease.key,
            token: shard.lease.token,
            leaseMs: s.leaseMs,
            checkpoint: shard.checkpointKey,
            id: state ? last : '',
            state: state ?? new Uint8Array(0),
            consumer: s.consumer,
            // Claimed entries (a takeover's: they come with their delivery counts) are settled once committed.
            settle: state || !allDeliveries ? [] : all.map((e) => e.id),
          },
        ),
      );
    } catch (e) {
      if (serverErrorCode(e) === LEASE_LOST) {
        this.drop(shard, 'another consumer holds its lease now');
        return false;
      }
      // Committed or not, the state in hand may be ahead of the checkpoint: take the shard over again from it.
      this.resetWork(shard);
      throw e;
    }
    shard.lease.renewedAt(sent);
    work.processed = last;
    if (state) {
      work.unacked = [];
      work.checkpointedAt = sent;
      this.totals.checkpoints++;
    } else work.unacked.push(...ids);
    if (all.length + deletedIds.length === 0) return true;
    this.totals.batches++;
    this.totals.entries += all.length;
    this.totals.events += scanned.events;
    this.totals.alerts += result.written;
    this.totals.duplicates += result.duplicates;
    this.totals.deadLettered += result.deadLettered;
    this.totals.acknowledged += result.acknowledged;
    return true;
  }

  private alertContext(matcher: Matcher, stream: string): AlertContext {
    return { stream, rules: matcher.rules, ruleKeys: this.keysOf(matcher).rules, matcher };
  }

  /** Rule and correlation keys for alert ids (correlations numbered after the rules, as their hits are). */
  private keysOf(matcher: Matcher): { rules: string[]; correlations: string[] } {
    if (this.keys) return this.keys;
    const all = ruleKeys([...matcher.rules, ...matcher.correlations]);
    this.keys = { rules: all.slice(0, matcher.rules.length), correlations: all.slice(matcher.rules.length) };
    return this.keys;
  }

  /** Correlation alerts, with ids from the completing entry and the correlation (`#2`... when one repeats). */
  private correlationAlerts(matcher: Matcher, stream: string, alerts: readonly EntryAlert[]): Alert[] {
    const keys = this.keysOf(matcher).correlations;
    const seen = new Map<string, number>();
    return alerts.map((a) => {
      const key = keys[a.correlation.index];
      const base = alertId(stream, a.entryId, key);
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const id = n === 1 ? base : `${base}#${n}`;
      return correlationAlertEntry(id, stream, a.entryId, key, matcher.correlations[a.correlation.index], a.correlation);
    });
  }

  /** Whether every shard's entries are delivered and acknowledged (a backlog run may stop). */
  private async drained(): Promise<boolean> {
    const s = this.settings;
    for (const key of shardKeys(s)) {
      let stream: Record<string, unknown>;
      try {
        stream = readInfo(await this.link.call(['XINFO', 'STREAM', key]));
      } catch (e) {
        if (/no such key/i.test((e as Error).message)) continue;
        throw e;
      }
      const group = readInfoList(await this.link.call(['XINFO', 'GROUPS', key])).find((g) => infoText(g, 'name') === s.group);
      if (!group) return (infoNumber(stream, 'length') ?? 0) === 0;
      if (infoNumber(group, 'pending') !== 0) return false;
      if (infoText(group, 'last-delivered-id') !== infoText(stream, 'last-generated-id')) return false;
    }
    return true;
  }

  private drop(shard: Shard, why: string): void {
    this.held.delete(shard.index);
    shard.lease.drop();
    shard.work?.scanner.close();
    this.lost++;
    this.log(`sigmatch: gave up shard ${shard.stream}: ${why}; its uncommitted entries stay pending for the next holder`);
  }

  private resetWork(shard: Shard): void {
    shard.work?.scanner.close();
    shard.work = null;
  }

  private async releaseShard(shard: Shard): Promise<void> {
    if (shard.work && shard.work.unacked.length > 0 && !(await this.checkpoint(shard))) return;
    this.held.delete(shard.index);
    shard.work?.scanner.close();
    await shard.lease.release();
    this.log(`sigmatch: gave shard ${shard.stream} back (beyond this consumer's share)`);
  }

  /** At the end: give every lease back and leave the registry, so others take the shards over at once. */
  private async giveBack(): Promise<void> {
    const s = this.settings;
    for (const shard of this.held.values()) {
      try {
        // What was processed is acknowledged with its state, so the next holder need not do it again.
        if (shard.work && shard.work.unacked.length > 0 && shard.lease.held() && !(await this.checkpoint(shard))) continue;
      } catch {
        // Not checkpointed: the next holder processes those entries again from the last checkpoint.
      }
      shard.work?.scanner.close();
      try {
        await shard.lease.release();
      } catch {
        // Unreachable: the lease runs out by itself.
      }
    }
    this.held.clear();
    try {
      await this.leaseLink.call(['ZREM', `${s.stream}:consumers:${s.group}`, s.consumer]);
    } catch {
      // Unreachable: the heartbeat goes stale by itself.
    }
  }

  private async survive(e: unknown): Promise<boolean> {
    const target = this.link.target;
    if (isConnectionError(e)) {
      this.log(`sigmatch: lost the connection to ${displayUrl(target)} (${scrub(target, (e as Error).message)}); the shards are taken over again from their checkpoints`);
      for (const shard of this.held.values()) this.resetWork(shard);
      return this.link.waitReady(() => this.stopping);
    }
    if (isTransientServerError(e)) {
      this.log(`sigmatch: Redis is not ready (${scrub(target, (e as Error).message)}); retrying`);
      for (const shard of this.held.values()) this.resetWork(shard);
      await sleep(CONSUMER_DEFAULTS.blockMs / 4);
      return true;
    }
    throw e instanceof Error ? new Error(scrub(target, e.message), { cause: e }) : e;
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

function shardKeysOf(shard: Shard): ShardKeys {
  return { lease: shard.lease.key, stream: shard.stream };
}

function shardKeys(s: Settings): string[] {
  return Array.from({ length: s.shards }, (_, k) => shardStream(s.stream, k));
}

function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function resolveSettings(o: ShardedOptions): Settings {
  const common = resolveStreamSettings(o, SHARD_DEFAULTS.from);
  const leaseMs = o.leaseMs ?? SHARD_DEFAULTS.leaseMs;
  if (!Number.isInteger(leaseMs) || leaseMs < MIN_LEASE_MS) throw new RangeError(`the lease time must be a whole number of ms, at least ${MIN_LEASE_MS}, got ${leaseMs}`);
  const checkpointEveryMs = o.checkpointEveryMs ?? SHARD_DEFAULTS.checkpointEveryMs;
  if (!Number.isInteger(checkpointEveryMs) || checkpointEveryMs < 0) {
    throw new RangeError(`the checkpoint interval must be a whole number of ms, 0 or more, got ${checkpointEveryMs}`);
  }
  return {
    ...common,
    shards: checkShards(o.shards),
    // The wait for new entries ends while the lease surely holds (see step()).
    blockMs: Math.max(1, Math.min(common.blockMs, Math.floor(leaseMs * BLOCK_FRACTION))),
    leaseMs,
    checkpointEveryMs,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
