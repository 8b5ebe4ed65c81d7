/**
 * Random JSON records as bytes (fast-check), built from fragments so that they can hold what JSON.stringify never
 * writes: escapes of every kind, raw ill-formed UTF-8 inside strings, duplicate keys, numbers in every shape, and
 * evtx_dump-shaped events with #text / #attributes / UserData.
 */
import fc from 'fast-check';

export type Bytes = number[];
const enc = new TextEncoder();
export const text = (s: string): Bytes => Array.from(enc.encode(s));

const join = (open: string, items: Bytes[], close: string, sep: Bytes[] = []): Bytes => {
  const out: Bytes = text(open);
  items.forEach((item, i) => {
    if (i > 0) out.push(0x2c, ...(sep[i] ?? []));
    out.push(...item);
  });
  out.push(...text(close));
  return out;
};

const space = fc.constantFrom<Bytes>([], [], [], [0x20], [0x09], [0x20, 0x20], [0x0d]);

/** String content pieces (between the quotes). */
const stringPiece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 8 }).map((s) => text(JSON.stringify(s).slice(1, -1))) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }).map((s) => text(JSON.stringify(s).slice(1, -1))) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('\\\\', '\\"', '\\n', '\\t', '\\/', 'C:\\\\Windows\\\\System32', '\\u0041', '\\u00E9', '\\ud83d\\ude00', '\\ud83d', '\\ude00x', '}{][,:').map(text),
  },
  { weight: 1, arbitrary: fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98, 0x80], [0xc3, 0xa9], [0x80]) },
);
export const jsonString: fc.Arbitrary<Bytes> = fc.array(stringPiece, { maxLength: 4 }).map((parts) => [0x22, ...parts.flat(), 0x22]);

/** `arb` one time in `n`, else undefined. */
const rarely = <T>(arb: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: n - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
export const numberText: fc.Arbitrary<Bytes> = fc
  .tuple(
    fc.boolean(),
    fc.oneof(
      { weight: 2, arbitrary: fc.constant('0') },
      { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...'123456789'), digits(0, 9)).map(([a, b]) => a + b) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...'123456789'), digits(14, 18)).map(([a, b]) => a + b) },
    ),
    fc.option(digits(1, 6), { nil: undefined }),
    rarely(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.oneof({ weight: 6, arbitrary: digits(1, 2) }, { weight: 1, arbitrary: fc.constantFrom('21', '22', '307', '308', '309', '330', '400') })), 3),
  )
  .map(([neg, int, frac, exp]) => text(`${neg ? '-' : ''}${int}${frac !== undefined ? `.${frac}` : ''}${exp ? exp.join('') : ''}`));

const literal = fc.constantFrom('true', 'false', 'null').map(text);

/** Keys: referenced names (some escaped), evtx names, ill-formed ones, and random ones. */
export const KEY_POOL = [
  'a', 'b', 'c', 'a.b', 'b.c', 'x_y', 'x', 'y', 'K', 'K_Y', 'Y', 'é', '', 'Name', 'EventID', 'Provider', 'Data',
  'Provider_Name', '#text', '#attributes', 'System', 'EventData', 'UserData', 'Event', 'qa', 'z',
];
const keyText = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...KEY_POOL).map((k) => text(JSON.stringify(k))) },
  { weight: 2, arbitrary: fc.constantFrom('"\\u0061"', '"q\\u0061"', '"\\u0023text"', '"a\\ud800"', '"K\\u005fY"').map(text) },
  { weight: 1, arbitrary: fc.constantFrom<Bytes>([0x22, 0xff, 0x22], [0x22, 0x61, 0xc3, 0x22]) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }).map((k) => text(JSON.stringify(k))) },
);

const member = (key: fc.Arbitrary<Bytes>, value: fc.Arbitrary<Bytes>): fc.Arbitrary<Bytes> =>
  fc.tuple(key, space, space, value).map(([k, s1, s2, v]) => [...k, ...s1, 0x3a, ...s2, ...v]);

export const { value: jsonValue, object: jsonObject } = fc.letrec<{ value: Bytes; array: Bytes; object: Bytes }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 5, depthIdentifier: 'json' },
    { weight: 4, arbitrary: jsonString },
    { weight: 3, arbitrary: numberText },
    { weight: 1, arbitrary: literal },
    { weight: 2, arbitrary: tie('array') },
    { weight: 3, arbitrary: tie('object') },
  ),
  array: fc.array(tie('value'), { maxLength: 4, depthIdentifier: 'json' }).map((items) => join('[', items, ']')),
  object: fc.array(member(keyText, tie('value')), { maxLength: 6, depthIdentifier: 'json' }).map((items) => join('{', items, '}')),
}));

// ---- evtx_dump shape ----

const evtxKey = fc
  .constantFrom('EventID', 'Provider', 'K', 'x', 'Name', 'Data', 'a', 'x_y', 'TimeCreated', '#attributes', '#text', 'Level', 'Threat Name', 'ThreatName', 'Source Name', 'SourceName')
  .map((k) => text(JSON.stringify(k)));
const attrKey = fc.constantFrom('Name', 'Y', 'y', 'SystemTime', 'Guid', 'b').map((k) => text(JSON.stringify(k)));
const scalar = fc.oneof(jsonString, numberText, literal);
const attributes = fc.array(member(attrKey, fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: jsonValue })), { maxLength: 3 }).map((m) => join('{', m, '}'));
const element = fc
  .tuple(fc.option(fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: jsonValue }), { nil: undefined }), fc.option(attributes, { nil: undefined }), fc.option(member(evtxKey, scalar), { nil: undefined }))
  .map(([t, a, other]) => {
    const members: Bytes[] = [];
    if (t) members.push([...text('"#text":'), ...t]);
    if (a) members.push([...text('"#attributes":'), ...a]);
    if (other) members.push(other);
    return join('{', members, '}');
  });
const memberValue = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 3, arbitrary: element },
  { weight: 2, arbitrary: fc.array(fc.oneof(scalar, element, fc.array(scalar, { maxLength: 2 }).map((i) => join('[', i, ']'))), { maxLength: 3 }).map((i) => join('[', i, ']')) },
  { weight: 1, arbitrary: jsonValue },
);
/** Members with distinct names, now and then followed by a repeat of the first name (a duplicate key). */
const container = fc
  .tuple(
    fc.uniqueArray(fc.tuple(evtxKey, memberValue), { maxLength: 6, selector: ([k]) => k.join(',') }),
    rarely(memberValue, 12),
  )
  .map(([members, repeat]) => {
    const items = members.map(([k, v]) => [...k, 0x3a, ...v]);
    if (repeat && members.length > 0) items.push([...members[0][0], 0x3a, ...repeat]);
    return join('{', items, '}');
  });
const userData = fc.array(member(fc.constantFrom('"E"', '"F"', '"#attributes"').map(text), fc.oneof({ weight: 4, arbitrary: container }, { weight: 1, arbitrary: scalar })), { maxLength: 2 }).map((m) => join('{', m, '}'));

export const evtxEvent: fc.Arbitrary<Bytes> = fc
  .tuple(
    fc.oneof({ weight: 8, arbitrary: container }, { weight: 1, arbitrary: scalar }),
    fc.option(container, { nil: undefined }),
    fc.option(userData, { nil: undefined }),
    rarely(member(keyText, jsonValue), 3),
    rarely(member(fc.constant(text('"System"')), container), 20),
    rarely(member(keyText, jsonValue), 8),
  )
  .map(([system, data, user, inner, dupSystem, outer]) => {
    const members: Bytes[] = [[...text('"System":'), ...system]];
    if (data) members.push([...text('"EventData":'), ...data]);
    if (user) members.push([...text('"UserData":'), ...user]);
    if (inner) members.push(inner);
    if (dupSystem) members.push(dupSystem);
    const top: Bytes[] = [[...text('"Event":'), ...join('{', members, '}')]];
    if (outer) top.push(outer);
    return join('{', top, '}');
  });

/** NDJSON lines of records. */
export const ndjson = (record: fc.Arbitrary<Bytes>, maxLines = 4): fc.Arbitrary<Uint8Array> =>
  fc.array(record, { minLength: 1, maxLength: maxLines }).map((lines) => Uint8Array.from(lines.flatMap((l) => [...l, 0x0a])));
