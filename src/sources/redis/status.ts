/** `sigmatch consume --status`: a stream's groups, their consumers and what each holds pending. */
import { RedisLink, serverErrorCode, type RedisTarget } from './connection.js';
import { infoNumber, infoText, readInfoList } from './replies.js';

export interface ConsumerRow {
  name: string;
  pending: number;
  /** Since the consumer last read or was given an entry (ms). */
  idleMs: number;
}

export interface GroupRow {
  name: string;
  consumers: ConsumerRow[];
  pending: number;
  lastDeliveredId: string;
  /** Entries not yet delivered to the group (null: Redis cannot tell, e.g. after XDEL). */
  lag: number | null;
}

export interface StreamStatus {
  stream: string;
  /** Entries in the stream; null when it does not exist. */
  length: number | null;
  groups: GroupRow[];
  /** Lengths of the alerts and dead-letter streams (null: absent). */
  alerts: { key: string; length: number | null };
  deadLetter: { key: string; length: number | null };
}

export interface StatusQuery {
  redis: RedisTarget;
  stream: string;
  /** One group (default: every group of the stream). */
  group?: string;
  alerts?: string;
  deadLetter?: string;
}

/** Ask Redis once (no retries: a status query that cannot reach Redis says so). */
export async function streamStatus(q: StatusQuery): Promise<StreamStatus> {
  const link = await RedisLink.open(q.redis, () => {}, undefined, true);
  try {
    const length = async (key: string): Promise<number | null> => {
      const type = String(await link.call(['TYPE', key]));
      return type === 'stream' ? Number(await link.call(['XLEN', key])) : null;
    };
    const status: StreamStatus = {
      stream: q.stream,
      length: await length(q.stream),
      groups: [],
      alerts: { key: q.alerts ?? `${q.stream}:alerts`, length: null },
      deadLetter: { key: q.deadLetter ?? `${q.stream}:dead-letter`, length: null },
    };
    status.alerts.length = await length(status.alerts.key);
    status.deadLetter.length = await length(status.deadLetter.key);
    if (status.length === null) return status;
    const groups = readInfoList(await link.call(['XINFO', 'GROUPS', q.stream])).filter((g) => q.group === undefined || infoText(g, 'name') === q.group);
    for (const g of groups) {
      const name = infoText(g, 'name');
      let consumers: ConsumerRow[] = [];
      try {
        consumers = readInfoList(await link.call(['XINFO', 'CONSUMERS', q.stream, name])).map((c) => ({
          name: infoText(c, 'name'),
          pending: infoNumber(c, 'pending') ?? 0,
          idleMs: infoNumber(c, 'idle') ?? 0,
        }));
      } catch (e) {
        if (serverErrorCode(e) !== 'NOGROUP') throw e; // deleted between the two calls
      }
      status.groups.push({ name, consumers, pending: infoNumber(g, 'pending') ?? 0, lastDeliveredId: infoText(g, 'last-delivered-id'), lag: infoNumber(g, 'lag') });
    }
    return status;
  } finally {
    await link.close();
  }
}
