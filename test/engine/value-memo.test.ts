/**
 * The value memo of candidate selection (assembly/vm/value-memo.ts): a value seen before in the same slot replays
 * the table hits of its first scan. Whatever the memo holds, hits must equal the reference's and the prefilter-off
 * engine's: values repeated across events and slots, values that differ by one byte or in case, more distinct
 * values than the memo's rings hold (its epochs turn over), and very long values (never kept).
 */
import { describe, expect, test } from 'vitest';
import '../../src/index.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { Matcher } from '../../src/runtime/matcher.js';

const RULES = `title: Image Suffix
id: 00000000-0000-4000-8000-000000000101
logsource: {product: test}
detection:
  selection:
    Image|endswith: ['\\\\evil.exe', '\\\\bad.exe']
    CommandLine|contains: ' -steal'
  condition: selection
---
title: Parent Exact
id: 00000000-0000-4000-8000-000000000102
logsource: {product: test}
detection:
  selection:
    ParentImage: 'C:\\\\Tools\\\\evil.exe'
  condition: selection
---
title: Not Filtered
id: 00000000-0000-4000-8000-000000000103
logsource: {product: test}
detection:
  selection:
    Image|contains: 'temp'
  filter:
    User|contains: 'admin'
  condition: selection and not filter
`;

function events(n: number, seed: number): string[] {
  const images = ['C:\\\\Windows\\\\cmd.exe', 'C:\\\\Tools\\\\evil.exe', 'C:\\\\TOOLS\\\\EVIL.EXE', 'C:\\\\Temp\\\\bad.exe', 'C:\\\\Temp\\\\bad.exf', 'D:\\\\temp\\\\x.exe'];
  const lines = ['run -steal now', 'run -stea', 'RUN -STEAL', 'nothing'];
  const users = ['admin', 'ADMIN', 'bob', 'administrator', ''];
  let x = seed;
  const pick = <T>(a: T[]): T => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return a[(x >>> 8) % a.length];
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    // The same strings in different slots: Image values also appear as ParentImage.
    out.push(JSON.stringify({ Image: pick(images), ParentImage: pick(images), CommandLine: pick(lines), User: pick(users) }));
  }
  return out;
}

async function check(lines: string[]): Promise<void> {
  const reference = new ReferenceEvaluator(loadRulesFromText(RULES).rules);
  const expected = lines.flatMap((l, i) => reference.match(JSON.parse(l)).map((m) => [i, m.index]));
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  for (const prefilter of [true, false]) {
    const matcher = await Matcher.create(RULES, { prefilter });
    // Twice through one matcher: the second pass finds every value in the memo.
    for (let pass = 0; pass < 2; pass++) {
      expect(matcher.scanBytes(bytes).hits.map((h) => [h.event, h.rule])).toEqual(expected);
    }
    expect(matcher.match(lines.map((l) => JSON.parse(l))).map((h) => [h.event, h.rule])).toEqual(expected);
  }
}

describe('value memo', () => {
  test('repeated values across events and slots, in any case: hits as the reference', async () => {
    const lines = events(3000, 7);
    await check(lines);
  });

  test('more distinct values than the memo holds (its epochs turn over), and values too long to keep', async () => {
    const lines: string[] = [];
    // About 2 MiB of distinct Image values (the memo keeps 1 MiB of value bytes), some too long to keep.
    for (let i = 0; i < 14000; i++) {
      const pad = 'x'.repeat(100 + (i % 150));
      const image = i % 97 === 0 ? `C:\\\\${pad}${i}\\\\evil.exe` : `C:\\\\${pad}${i}\\\\ok.exe`;
      const long = `C:\\\\${'y'.repeat(300 + (i % 50))}\\\\temp\\\\${i}.exe`;
      lines.push(JSON.stringify({ Image: i % 3 === 0 ? long : image, CommandLine: i % 5 === 0 ? 'a -steal b' : 'a b', ParentImage: image, User: 'u' }));
    }
    await check(lines);
  });
});
