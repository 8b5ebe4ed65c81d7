/**
 * A group-by value that begins with U+FEFF is its own value: the VM captures it byte for byte and the host must not
 * drop it as a byte order mark when it decodes the capture (TextDecoder does unless told `ignoreBOM`), or the bytes
 * path would merge the groups "\uFEFFx" and "x" that the objects path keeps apart.
 */
import { expect, test } from 'vitest';
import { Matcher } from '../../src/index.js';
import { loadRulesFromText } from '../../src/rule/load.js';

const RULES = loadRulesFromText(`title: Base
name: base
logsource: {product: test}
detection:
  sel:
    kind: logon
  condition: sel
---
title: Two logons per user
correlation:
  type: event_count
  rules: [base]
  group-by: [user]
  timespan: 1m
  condition: {gte: 2}
`);

const EVENTS = [
  { kind: 'logon', user: '\uFEFFalice', '@timestamp': '2026-12-07T10:00:00Z' },
  { kind: 'logon', user: 'alice', '@timestamp': '2026-12-07T10:00:01Z' },
  { kind: 'logon', user: '\uFEFFalice', '@timestamp': '2026-12-07T10:00:02Z' },
];

test('a group-by value beginning with U+FEFF is a group of its own on both paths', async () => {
  expect(RULES.errors).toEqual([]);
  const alerts = (hits: { correlation?: { group: Record<string, unknown> } }[]) => hits.filter((h) => h.correlation).map((h) => h.correlation!.group);
  const objects = alerts((await Matcher.create(RULES)).match(EVENTS));
  const bytes = (await Matcher.create(RULES)).scanBytes(EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n');
  expect(objects).toEqual([{ user: '\uFEFFalice' }]);
  expect(alerts(bytes.hits)).toEqual(objects);
});
