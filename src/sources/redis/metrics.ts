/** What a consumer has done (counters), how its group stands (gauges), and the two ways of saying so. */

export interface ConsumeTotals {
  /** Entries taken in: read new, reclaimed from other consumers, read back from this consumer's pending list. */
  entries: number;
  /** Entries read as events by the matcher. */
  events: number;
  /** Alerts written to the alerts stream. */
  alerts: number;
  /** Alerts held back because --dedupe had seen their id within the window. */
  duplicates: number;
  deadLettered: number;
  /** Entries taken over from other consumers (idle past --claim-idle). */
  reclaimed: number;
  /** Entries read back from this consumer's own pending list (after a restart under the same name, or a reconnect). */
  recovered: number;
  acknowledged: number;
  batches: number;
  reconnects: number;
  /** Time spent, in ms: waiting for Redis (reads, claims, commits), in the VM, building alerts (provenance). */
  redisMs: number;
  scanMs: number;
  alertMs: number;
}

export function emptyTotals(): ConsumeTotals {
  return {
    entries: 0,
    events: 0,
    alerts: 0,
    duplicates: 0,
    deadLettered: 0,
    reclaimed: 0,
    recovered: 0,
    acknowledged: 0,
    batches: 0,
    reconnects: 0,
    redisMs: 0,
    scanMs: 0,
    alertMs: 0,
  };
}

export interface ConsumerStatus extends ConsumeTotals {
  stream: string;
  group: string;
  consumer: string;
  /** Seconds since the consumer started. */
  seconds: number;
  /** Events per second since the previous status (or the start). */
  eventsPerSecond: number;
  /** Entries of the stream not yet delivered to the group (null: Redis cannot tell, e.g. after XDEL). */
  lag: number | null;
  /** Entries delivered to the group and not yet acknowledged, all consumers together. */
  pending: number | null;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** One human line for stderr. */
export function formatStatusLine(s: ConsumerStatus): string {
  const parts = [
    `${count(s.events)} events (${count(Math.round(s.eventsPerSecond))}/s)`,
    `${count(s.alerts)} alerts`,
    ...(s.duplicates > 0 ? [`${count(s.duplicates)} duplicates held back`] : []),
    `${count(s.deadLettered)} dead-lettered`,
    `${count(s.reclaimed)} reclaimed`,
    `lag ${s.lag === null ? '?' : count(s.lag)}`,
    `pending ${s.pending === null ? '?' : count(s.pending)}`,
    ...(s.reconnects > 0 ? [`${count(s.reconnects)} reconnects`] : []),
  ];
  return `sigmatch: ${s.stream}/${s.group}/${s.consumer}: ${parts.join(', ')}`;
}

/** One JSON object per line (for a log pipeline): every counter and gauge, times rounded to ms. */
export function formatStatusJson(s: ConsumerStatus, final: boolean): string {
  return JSON.stringify({
    type: final ? 'final' : 'status',
    ...s,
    eventsPerSecond: Math.round(s.eventsPerSecond),
    seconds: Math.round(s.seconds * 1000) / 1000,
    redisMs: Math.round(s.redisMs),
    scanMs: Math.round(s.scanMs),
    alertMs: Math.round(s.alertMs),
  });
}
