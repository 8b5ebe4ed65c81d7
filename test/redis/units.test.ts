/** The Redis adapter's pure parts, no server needed: events from entries, alert ids, targets and secrets, durations. */
import { describe, expect, test } from 'vitest';
import { parseDuration } from '../../src/cli/consume.js';
import { alertId, ruleKeys } from '../../src/sources/redis/alerts.js';
import { displayUrl, REDIS_ENV, RedisConfigError, resolveTarget, scrub } from '../../src/sources/redis/connection.js';
import { eventLine } from '../../src/sources/redis/events.js';

const entry = (...fields: string[]) => ({ id: '1-0', fields: fields.map((f) => Buffer.from(f)) });
const text = (v: Uint8Array | { code: string }): string | { code: string } => (v instanceof Uint8Array ? Buffer.from(v).toString() : v);
const field = { kind: 'field', name: 'event' } as const;

describe('eventLine', () => {
  test('JSON in the event field, one line as it is', () => {
    expect(text(eventLine(entry('event', '{"a":1}'), field))).toBe('{"a":1}');
    expect(text(eventLine(entry('x', '1', 'event', '{"a":1}'), field))).toBe('{"a":1}');
  });
  test('line breaks between tokens become spaces; inside a string they are malformed', () => {
    expect(text(eventLine(entry('event', '{\r\n  "a": "x\\ny",\n  "b": 2\n}'), field))).toBe('{    "a": "x\\ny",   "b": 2 }');
    expect(eventLine(entry('event', '{"a":"x\ny"}'), field)).toMatchObject({ code: 'malformed', message: 'a line ends inside a JSON string' });
    expect(eventLine(entry('event', '{"a":"x\\\ny"}'), field)).toMatchObject({ code: 'malformed' });
    expect(eventLine(entry('event', '{"a":"\\"\n"}'), field)).toMatchObject({ code: 'malformed' });
  });
  test('no event field, or an empty one', () => {
    expect(eventLine(entry('other', '1'), field)).toMatchObject({ code: 'no-event' });
    expect(eventLine(entry('event', ' \n\t'), field)).toMatchObject({ code: 'no-event' });
    expect(eventLine({ id: '1-0', fields: null }, field)).toMatchObject({ code: 'deleted' });
  });
  test('fields as the event: strings, repeated names as lists, __proto__ an ordinary field', () => {
    const line = eventLine(entry('a', '1', 'b', 'x', 'a', '2', '__proto__', 'p'), { kind: 'fields' });
    expect(JSON.parse(text(line) as string)).toEqual(JSON.parse('{"a":["1","2"],"b":"x","__proto__":"p"}'));
  });
});

describe('alert ids', () => {
  test('rule keys: the id, else the title; shared keys numbered in rule order', () => {
    expect(ruleKeys([{ id: 'u1', title: 'A' }, { title: 'B' }, { id: 'u1', title: 'C' }, { title: 'B' }] as never)).toEqual(['u1', 'title:B', 'u1#2', 'title:B#2']);
    expect(alertId('s', '1-2', 'u1')).toBe('s/1-2/u1');
  });
});

describe('Redis targets', () => {
  test('URL forms, database, TLS, credentials from the URL before the environment', () => {
    expect(resolveTarget('redis://h:7000/3')).toEqual({ host: 'h', port: 7000, database: 3, tls: false });
    expect(resolveTarget(undefined, {})).toMatchObject({ host: '127.0.0.1', port: 6379, database: 0 });
    expect(resolveTarget(undefined, { [REDIS_ENV.url]: 'rediss://[::1]:6380' })).toMatchObject({ host: '::1', port: 6380, tls: true });
    expect(resolveTarget('redis://u:p%40ss@h', { [REDIS_ENV.password]: 'env' })).toMatchObject({ username: 'u', password: 'p@ss' });
    expect(resolveTarget('redis://h', { [REDIS_ENV.password]: 'env', [REDIS_ENV.username]: 'eu' })).toMatchObject({ username: 'eu', password: 'env' });
  });
  test('bad URLs say what is wrong without quoting a password', () => {
    expect(() => resolveTarget('http://u:secret@h')).toThrow(RedisConfigError);
    expect(() => resolveTarget('redis://h/x')).toThrow(/database number/);
    expect(() => resolveTarget('not a url secret')).toThrow(/not a URL/);
    expect(() => resolveTarget('not a url secret')).not.toThrow(/secret/);
    expect(() => resolveTarget('redis://h', { [REDIS_ENV.ca]: '/x.pem' })).toThrow(/not rediss/);
  });
  test('what is printed has no credentials', () => {
    const t = resolveTarget('rediss://user:p%2Fw@h:1/2');
    expect(displayUrl(t)).toBe('rediss://h:1/2 (with password)');
    expect(scrub(t, 'failed for user:p/w and p%2Fw')).toBe('failed for ***:*** and ***');
  });
});

describe('durations', () => {
  test('units and bare milliseconds', () => {
    expect(parseDuration('--x', '250ms', 0)).toBe(250);
    expect(parseDuration('--x', '30s', 0)).toBe(30_000);
    expect(parseDuration('--x', '1.5m', 0)).toBe(90_000);
    expect(parseDuration('--x', '2h', 0)).toBe(7_200_000);
    expect(parseDuration('--x', '40', 0)).toBe(40);
    expect(parseDuration('--x', undefined, 7)).toBe(7);
    expect(() => parseDuration('--x', '5 minutes', 0)).toThrow(/--x takes a time/);
  });
});
