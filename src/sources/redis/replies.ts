/**
 * Redis replies (RESP2, bulk strings as Buffers) read into typed values, their shape checked: a reply of another
 * shape is a protocol error, never guessed at.
 */

/** One stream entry: its id and its field/value pairs (flat), or null when the entry was deleted while pending. */
export interface StreamEntry {
  id: string;
  fields: readonly Buffer[] | null;
}

export class RedisReplyError extends Error {
  constructor(what: string) {
    super(`unexpected Redis reply: ${what}`);
    this.name = 'RedisReplyError';
  }
}

function text(v: unknown, what: string): string {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'string') return v;
  throw new RedisReplyError(`${what} is not a string`);
}

function array(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new RedisReplyError(`${what} is not an array`);
  return v;
}

function integer(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new RedisReplyError(`${what} is not an integer`);
}

/** [[id, [field, value, ...] | nil], ...] */
export function readEntries(reply: unknown): StreamEntry[] {
  return array(reply, 'the entry list').map((item) => {
    const [id, fields] = array(item, 'an entry');
    if (fields === null) return { id: text(id, 'an entry id'), fields: null };
    const pairs = array(fields, "an entry's fields");
    if (pairs.length % 2 !== 0 || !pairs.every((p) => Buffer.isBuffer(p))) throw new RedisReplyError("an entry's fields are not field/value pairs");
    return { id: text(id, 'an entry id'), fields: pairs as Buffer[] };
  });
}

/** XREAD / XREADGROUP on one stream: nil (nothing within the block time) or [[stream, entries]]. */
export function readStreamReply(reply: unknown): StreamEntry[] {
  if (reply === null) return [];
  const streams = array(reply, 'the XREADGROUP reply');
  if (streams.length === 0) return [];
  if (streams.length !== 1) throw new RedisReplyError('XREADGROUP answered for more than one stream');
  const [, entries] = array(streams[0], 'a stream of the XREADGROUP reply');
  return readEntries(entries);
}

export interface AutoClaimReply {
  /** Where the next XAUTOCLAIM starts; 0-0 when the scan of the pending list came round. */
  cursor: string;
  entries: StreamEntry[];
  /** Pending ids whose entries are gone from the stream (XDEL, trimming): Redis removed them from the pending list. */
  deleted: string[];
}

/** XAUTOCLAIM: [cursor, entries, deleted ids] (the third element since Redis 7.0). */
export function readAutoClaim(reply: unknown): AutoClaimReply {
  const parts = array(reply, 'the XAUTOCLAIM reply');
  return {
    cursor: text(parts[0], 'the XAUTOCLAIM cursor'),
    entries: readEntries(parts[1]),
    deleted: parts.length > 2 ? array(parts[2], 'the deleted ids').map((id) => text(id, 'a deleted id')) : [],
  };
}

/** XPENDING key group id id 1: the delivery count of that one id (0 when it is no longer pending). */
export function readDeliveryCount(reply: unknown): number {
  const rows = array(reply, 'the XPENDING reply');
  if (rows.length === 0) return 0;
  const row = array(rows[0], 'an XPENDING row');
  return integer(row[3], 'the delivery count');
}

/** XINFO replies: a flat list of name/value pairs into an object (values as strings, numbers or nested lists). */
export function readInfo(reply: unknown): Record<string, unknown> {
  const flat = array(reply, 'the XINFO reply');
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const v = flat[i + 1];
    out[text(flat[i], 'an XINFO field name')] = Buffer.isBuffer(v) ? v.toString('utf8') : v;
  }
  return out;
}

export function readInfoList(reply: unknown): Record<string, unknown>[] {
  return array(reply, 'the XINFO list').map(readInfo);
}

export function infoNumber(info: Record<string, unknown>, name: string): number | null {
  const v = info[name];
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return null;
}

export function infoText(info: Record<string, unknown>, name: string): string {
  const v = info[name];
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}
