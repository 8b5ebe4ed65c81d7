/**
 * A lease on a shard: a Redis key holding the holder's token with a time to live (SET NX PX). Whoever sets it holds
 * the shard until the key expires or is released; the holder renews it well before expiry (compare-and-PEXPIRE).
 *
 * The holder counts its lease from the moment it sent the command, less a margin for clock rate differences: the
 * server's copy expires no sooner, so the holder believes it holds the lease only while nobody else can. A holder
 * that cannot renew in time (lost connection, stalled process) stops using the shard before anyone can take it over;
 * the commit script checks the token again (commit.ts), so even a holder stalled past that point cannot write.
 */
import type { RedisLink } from './connection.js';
import { Script } from './script.js';

/** Renew at this fraction of the lease time: two renewals can fail before the lease runs out. */
export const RENEW_FRACTION = 1 / 3;
/** The share of the lease time the holder does not count on (clock rates, the command's way to the server). */
export const LEASE_MARGIN_FRACTION = 0.1;

const RENEW_SCRIPT = new Script(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`);
const RELEASE_SCRIPT = new Script(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`);

export class Lease {
  /** Local time (performance.now) until which this holder may act on the shard; 0 when not held. */
  private validUntil = 0;

  constructor(
    private readonly link: RedisLink,
    readonly key: string,
    readonly token: string,
    readonly ms: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether the lease is held for at least `forMs` more milliseconds (as this holder can know). */
  held(forMs = 0): boolean {
    return this.now() + forMs < this.validUntil;
  }

  /** When the holder stops counting on it (local time), 0 when not held. */
  get until(): number {
    return this.validUntil;
  }

  /** Take the lease if nobody holds it. */
  async acquire(): Promise<boolean> {
    const sent = this.now();
    const reply = await this.link.call(['SET', this.key, this.token, 'NX', 'PX', String(this.ms)]);
    if (reply === null) return false;
    this.validUntil = sent + this.ms * (1 - LEASE_MARGIN_FRACTION);
    return true;
  }

  /** Extend the lease if this holder still holds it; false (and no longer held) if it was lost. */
  async renew(): Promise<boolean> {
    const sent = this.now();
    const renewed = (await RENEW_SCRIPT.run(this.link, [this.key], [this.token, String(this.ms)])) === 1;
    this.validUntil = renewed ? sent + this.ms * (1 - LEASE_MARGIN_FRACTION) : 0;
    return renewed;
  }

  /** A commit renewed it on the server (commit.ts): count from when the commit was sent. */
  renewedAt(sent: number): void {
    if (this.validUntil > 0) this.validUntil = Math.max(this.validUntil, sent + this.ms * (1 - LEASE_MARGIN_FRACTION));
  }

  /** Give the lease up (only if still this holder's): another consumer may take the shard at once. */
  async release(): Promise<void> {
    this.validUntil = 0;
    await RELEASE_SCRIPT.run(this.link, [this.key], [this.token]);
  }

  /** Forget the lease locally (it was lost, or the connection is gone): the shard is not used again. */
  drop(): void {
    this.validUntil = 0;
  }
}
