/**
 * Keyword atoms are looked for in the event's leaves (collected on demand), and short prefixes and suffixes by one
 * probe per value. These cases are the ways a leaf's text can differ from its raw bytes (escapes, case folding that
 * changes bytes, number spellings) and the shapes of the new atoms: the prefilter must never drop a match the
 * reference evaluator makes, and it must keep rules whose atoms are absent from running at all.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import '../../src/index.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { Matcher } from '../../src/runtime/matcher.js';

const RULE = `title: Keyword Filter
logsource: {product: test}
detection:
  keywords:
    - 'mimikatz'
    - 'lsadump::sam'
    - '\\\\mimilib.dll'
    - 'C:/Temp/evil'
    - 'kelvin temp'
  condition: keywords
`;

// Raw NDJSON lines, written by hand: what JSON.parse reads from them is what the reference sees.
const LINES = [
  '{"message":"run mimikatz now"}',
  '{"message":"run mimi\\u006batz now"}',
  '{"message":"run \\u004dIMIKATZ now"}',
  '{"message":"LSADUMP::SAM"}',
  '{"message":"load C:\\\\Windows\\\\MIMILIB.DLL"}',
  '{"message":"load C:\\\\Windows\\\\mimilib\\u002edll"}',
  '{"message":"C:\\/Temp\\/evil.exe"}',
  '{"message":"C:/Temp/evil.exe"}',
  '{"message":"\u212aelvin temp"}',
  '{"message":"nothing to see", "n": 42}',
  '{"nested":{"deep":["x","LsaDump::Sam"]}}',
  '{"Event":{"System":{"EventID":1},"EventData":{"CommandLine":"MiMiKaTz.exe"}}}',
];

/** Scan NDJSON lines; the hits' event indices and how many rule programs ran. */
async function scan(matcher: Matcher, lines: string[]): Promise<{ events: number[]; evaluated: number }> {
  const session = matcher.scanner();
  const hits = [...session.push(new TextEncoder().encode(lines.join('\n') + '\n')).hits, ...session.end().hits];
  return { events: hits.map((h) => h.event), evaluated: session.rulesEvaluated };
}

function referenceEvents(rulesText: string, lines: string[]): number[] {
  const reference = new ReferenceEvaluator(loadRulesFromText(rulesText).rules);
  return lines.flatMap((l, i) => (reference.match(JSON.parse(l)).length > 0 ? [i] : []));
}

describe('keyword atoms as rule requirements', () => {
  const RULES = `title: Slash And Quote Keywords
logsource: {product: test}
detection:
  keywords:
    - 'cd /tmp; wget'
    - 'say "hi"'
    - '4688'
  condition: keywords
`;
  const LINES = [
    '{"m":"cd /tmp; wget http://x"}',
    '{"m":"cd \\/tmp; wget"}',
    '{"m":"SAY \\"HI\\" twice"}',
    '{"n":4688}',
    '{"n":4.688e3}',
    '{"cd /tmp; wget":"key, not a leaf"}',
    '{"m":"nothing here","n":4689}',
    '{"m":"hello world"}',
  ];

  test('literals with escapable characters and number literals are found in the leaves, as the reference finds them', async () => {
    const expected = referenceEvents(RULES, LINES);
    expect(expected).toEqual([0, 1, 2, 3, 4]);
    for (const prefilter of [true, false]) {
      const matcher = await Matcher.create(RULES, { prefilter });
      expect((await scan(matcher, LINES)).events).toEqual(expected);
      expect(matcher.match(LINES.map((l) => JSON.parse(l))).map((h) => h.event)).toEqual(expected);
    }
  });

  test('a keyword rule runs only for events with one of its literals in a leaf', async () => {
    const matcher = await Matcher.create(RULES);
    const result = await scan(matcher, LINES);
    // Events 0-4 hold a literal; 5 has it in a key only, 6 and 7 nowhere: the rule is not evaluated for them.
    expect(result.evaluated).toBe(5);
  });

  test('a keyword rule that also needs a field value is a candidate only with both', async () => {
    const rules = `title: Routed Keyword
logsource: {product: test}
detection:
  selection:
    EventID: 4104
  keywords:
    - 'invoke-mimikatz'
  condition: selection and keywords
`;
    const lines = [
      '{"EventID":4104,"ScriptBlockText":"Invoke-Mimikatz -DumpCreds"}',
      '{"EventID":4104,"ScriptBlockText":"Get-Date"}',
      '{"EventID":1,"CommandLine":"invoke-mimikatz"}',
      '{"EventID":4104,"Nested":{"Deep":["INVOKE-MIMIKATZ"]}}',
    ];
    const expected = referenceEvents(rules, lines);
    expect(expected).toEqual([0, 3]);
    const matcher = await Matcher.create(rules);
    const result = await scan(matcher, lines);
    expect(result.events).toEqual(expected);
    expect(result.evaluated).toBe(2);
  });
});

describe('short prefix and suffix atoms', () => {
  const RULES = `title: Short Suffix
id: 00000000-0000-4000-8000-000000000001
logsource: {product: test}
detection:
  selection:
    Image|endswith: '/rm'
  condition: selection
---
title: Short Suffix Set
id: 00000000-0000-4000-8000-000000000002
logsource: {product: test}
detection:
  selection:
    Image|endswith: ['/ps', '/id', '/at', '/w']
  condition: selection
---
title: Short Prefix Cased
id: 00000000-0000-4000-8000-000000000003
logsource: {product: test}
detection:
  selection:
    CommandLine|startswith|cased: 'Ab'
  condition: selection
`;
  const LINES = [
    '{"Image":"/usr/bin/rm"}',
    '{"Image":"/USR/BIN/RM"}',
    '{"Image":"/usr/bin/rmdir"}',
    '{"Image":"/bin/ps"}',
    '{"Image":"/usr/bin/W"}',
    '{"Image":"/usr/bin/cat"}',
    '{"CommandLine":"Abc"}',
    '{"CommandLine":"abc"}',
    '{"CommandLine":"xAb"}',
    '{"Image":["/bin/true","/bin/id"]}',
    '{"Image":"rm"}',
  ];

  test('match exactly as the reference, with and without the prefilter', async () => {
    const expected = referenceEvents(RULES, LINES);
    expect(expected).toEqual([0, 1, 3, 4, 6, 9]);
    for (const prefilter of [true, false]) {
      const matcher = await Matcher.create(RULES, { prefilter });
      expect((await scan(matcher, LINES)).events).toEqual(expected);
    }
  });

  test('a rule runs only where the value starts or ends with one of its short literals', async () => {
    const matcher = await Matcher.create(RULES);
    // Candidates: events 0, 1, 3, 4, 9 (suffixes) and 6, 7 (the folded prefix "ab"; 7 then fails the cased test).
    expect((await scan(matcher, LINES)).evaluated).toBe(7);
  });
});

describe('slots with exact atoms only (hashed from the raw bytes, folded on the way)', () => {
  // Code and Port are tested for whole values only: their slots' filters hold exact atoms and nothing else.
  const RULES = `title: Exact Code
id: 00000000-0000-4000-8000-000000000011
logsource: {product: test}
detection:
  selection:
    Code: ['kelvin', 'Stra\u00dfe', 'x']
  condition: selection
---
title: Exact Port
id: 00000000-0000-4000-8000-000000000012
logsource: {product: test}
detection:
  selection:
    Port: 4444
  condition: selection
`;
  const LINES = [
    '{"Code":"kelvin"}',
    '{"Code":"KELVIN"}',
    // U+212A KELVIN SIGN folds to k: the raw value is longer than any atom, its fold is not.
    '{"Code":"\u212aELVIN"}',
    '{"Code":"\u212a\u212a"}',
    '{"Code":"\\u004belvin"}',
    '{"Code":"STRA\u00dfE"}',
    '{"Code":"strasse"}',
    '{"Code":"X"}',
    '{"Code":"kelvins"}',
    '{"Code":"a much longer value than any of the atoms"}',
    '{"Code":["y","X"]}',
    '{"Port":4444}',
    '{"Port":"4444"}',
    '{"Port":44444}',
    '{"Port":4444.0}',
    '{"Code":null,"Port":[1,4444]}',
  ];

  test('match exactly as the reference, with and without the prefilter', async () => {
    const expected = referenceEvents(RULES, LINES);
    expect(expected).toEqual([0, 1, 2, 4, 5, 7, 10, 11, 12, 14, 15]);
    for (const prefilter of [true, false]) {
      const matcher = await Matcher.create(RULES, { prefilter });
      expect((await scan(matcher, LINES)).events).toEqual(expected);
      // Objects (written by the host) go through the same selection.
      expect(matcher.match(LINES.map((l) => JSON.parse(l))).map((h) => h.event)).toEqual(expected);
    }
  });

  test('a rule runs only where a value equals one of its atoms', async () => {
    const matcher = await Matcher.create(RULES);
    expect((await scan(matcher, LINES)).evaluated).toBe(11);
  });
});

describe('two- and three-byte contains atoms (the pair map)', () => {
  const RULES = `title: Short Contains
logsource: {product: test}
detection:
  selection:
    Image|contains: ['~1\\', '☝', 'ab']
  condition: selection
`;
  const LINES = [
    '{"Image":"C:\\\\PROGRA~1\\\\x.exe"}',
    '{"Image":"C:\\\\tools\\\\x.exe"}',
    '{"Image":"hand ☝ up"}',
    '{"Image":"hand ✌ up"}',
    '{"Image":"xAB"}',
    '{"Image":"a"}',
    '{"Image":"~1"}',
    '{"Image":["zz","zzab"]}',
  ];

  test('match exactly as the reference, with and without the prefilter', async () => {
    const expected = referenceEvents(RULES, LINES);
    expect(expected).toEqual([0, 2, 4, 7]);
    for (const prefilter of [true, false]) {
      const matcher = await Matcher.create(RULES, { prefilter });
      expect((await scan(matcher, LINES)).events).toEqual(expected);
    }
  });

  test('the rule runs only where one of its short literals occurs', async () => {
    const matcher = await Matcher.create(RULES);
    expect((await scan(matcher, LINES)).evaluated).toBe(4);
  });
});

describe('keyword prefilter over leaves', () => {
  test('every escape and folding variant matches exactly as the reference', async () => {
    const set = loadRulesFromText(RULE);
    expect(set.errors).toEqual([]);
    const reference = new ReferenceEvaluator(set.rules);
    const expected = LINES.flatMap((l, i) => (reference.matches(0, JSON.parse(l)) ? [i] : []));
    expect(expected).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11]);
    for (const prefilter of [true, false]) {
      const matcher = await Matcher.create(set.rules, { prefilter });
      const bytes = matcher.scanBytes(LINES.join('\n') + '\n');
      expect(bytes.notes).toEqual([]);
      expect(bytes.hits.map((h) => h.event)).toEqual(expected);
      expect(matcher.match(LINES.map((l) => JSON.parse(l))).map((h) => h.event)).toEqual(expected);
    }
  });
});

describe('keyword prefilter over raw bytes', () => {
  // Every atom is printable ASCII of 4 bytes or more: the VM may scan a record's raw bytes instead of its leaves.
  const lines = [
    '{"message":"Run MimiKatz now"}',
    '{"message":"Microsoft® Windows®, then mimikatz"}',
    '{"message":"first line\\nmimikatz\\tsecond"}',
    '{"message":"load C:\\\\Windows\\\\MIMILIB.DLL"}',
    '{"mimikatz":"the literal is only a key"}',
    '{"message":"nothing to see"}',
    '{"message":"café olé"}',
    '{"message":"mimi\\u006batz (escaped: the leaves decide)"}',
  ];

  test('matches exactly as the reference', async () => {
    const set = loadRulesFromText(RULE);
    const reference = new ReferenceEvaluator(set.rules);
    const expected = lines.flatMap((l, i) => (reference.matches(0, JSON.parse(l)) ? [i] : []));
    expect(expected).toEqual([0, 1, 2, 3, 7]);
    for (const prefilter of [true, false]) {
      const matcher = await Matcher.create(set.rules, { prefilter });
      expect((await scan(matcher, lines)).events).toEqual(expected);
    }
  });

  test('the rule runs where the raw bytes hold an atom, keys included, and not elsewhere', async () => {
    const matcher = await Matcher.create(RULE);
    // Events 0-3 and 7 hold a literal in a leaf; 4 only in a key (the raw scan lets it through; it then fails);
    // 5 and 6 nowhere, whatever their other bytes.
    expect((await scan(matcher, lines)).evaluated).toBe(6);
  });
});

describe('short keyword atoms over raw bytes', () => {
  const rules = `title: Short Keywords
logsource: {product: test}
detection:
  keywords:
    - 'LDP'
    - '=\${'
  condition: keywords
`;
  const lines = [
    '{"m":"ldp auth failed"}',
    '{"m":"x=${jndi}"}',
    '{"m":"X=${JNDI}","n":1}',
    '{"m":"no such thing"}',
    '{"LDP":"in a key only"}',
    '{"m":"l\\u0064p (escaped)"}',
  ];

  test('match exactly as the reference, and the rule runs only where the raw bytes hold one', async () => {
    const expected = referenceEvents(rules, lines);
    expect(expected).toEqual([0, 1, 2, 5]);
    for (const prefilter of [true, false]) {
      const matcher = await Matcher.create(rules, { prefilter });
      expect((await scan(matcher, lines)).events).toEqual(expected);
    }
    // 3 has neither; 4 has one in a key (let through by the raw scan, then false); 5 goes by its leaves.
    expect((await scan(await Matcher.create(rules), lines)).evaluated).toBe(5);
  });
});

describe('the every-event keyword filter (Teddy masks over raw bytes)', () => {
  // K needs keywords only and has no gate: every event is scanned for its atoms, by the every-event filter alone
  // when nothing else needs keywords. F is a candidate by its Image atom; its `not keywords` then needs every
  // keyword atom looked for (the full scan happens on demand).
  const rules = `title: K
id: 00000000-0000-4000-8000-00000000000a
logsource: {product: test}
detection:
  keywords:
    - 'mimikatz'
    - 'sekurlsa::'
    - 'say "hi"'
    - 'C:\\Temp\\x'
  condition: keywords
---
title: F
id: 00000000-0000-4000-8000-00000000000b
logsource: {product: test}
detection:
  selection:
    Image|endswith: '\\evil.exe'
  keywords:
    - 'needle'
  condition: selection and not keywords
`;
  const lines = [
    '{"m":"run MimiKatz"}',
    '{"Image":"C:\\\\evil.exe","m":"a needle"}',
    '{"Image":"C:\\\\evil.exe","m":"hay"}',
    '{"m":"SEKURLSA::logonpasswords","Image":"C:\\\\evil.exe"}',
    '{"m":"they SAY \\"HI\\""}',
    '{"p":"c:\\\\temp\\\\X.txt"}',
    '{"m":"nothing"}',
    '{"m":"mimi\\u006batz"}',
  ];

  test('match exactly as the reference, with and without the prefilter', async () => {
    const expected = lines.flatMap((l, i) => (new ReferenceEvaluator(loadRulesFromText(rules).rules).match(JSON.parse(l)).length > 0 ? [i] : []));
    expect(expected).toEqual([0, 2, 3, 4, 5, 7]);
    for (const prefilter of [true, false]) {
      const matcher = await Matcher.create(rules, { prefilter });
      const session = matcher.scanner();
      const hits = [...session.push(new TextEncoder().encode(lines.join('\n') + '\n')).hits, ...session.end().hits];
      const reference = new ReferenceEvaluator(loadRulesFromText(rules).rules);
      expect(hits.map((h) => [h.event, h.rule])).toEqual(lines.flatMap((l, i) => reference.match(JSON.parse(l)).map((m) => [i, m.index])));
    }
  });

  test('K runs only where one of its atoms is in the raw bytes', async () => {
    // K: 0, 3, 4, 5, 7 (7 is escaped: its leaves are scanned); F: 1, 2, 3 (its Image atom).
    expect((await scan(await Matcher.create(rules), lines)).evaluated).toBe(8);
  });

  test('an atom anywhere in a record, at every offset and record length, in any case (fast-check)', async () => {
    const matcher = await Matcher.create(rules);
    const reference = new ReferenceEvaluator(loadRulesFromText(rules).rules);
    const atoms = ['mimikatz', 'sekurlsa::', 'say \\"hi\\"', 'c:\\\\temp\\\\x'];
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom('a', 'k', 'M', ' ', ':', 'x', 's'), maxLength: 40 }),
        fc.string({ unit: fc.constantFrom('a', 'z', 'I', '-', ':'), maxLength: 40 }),
        fc.option(fc.constantFrom(...atoms.keys())),
        fc.boolean(),
        async (before, after, atom, upper) => {
          const inner = atom === null ? '' : upper ? atoms[atom].toUpperCase() : atoms[atom];
          const line = `{"m":"${before}${inner}${after}"}`;
          const expected = reference.match(JSON.parse(line)).length;
          const got = matcher.scanBytes(line + '\n').hits.length;
          expect(got).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('lines of array elements when keyword leaves are collected', () => {
  test('an element after a newline reports its own line (collecting leaves re-runs the lexer)', async () => {
    const set = loadRulesFromText(`title: Keyword
logsource: {product: test}
detection:
  keywords:
    - 'needle'
  condition: keywords
`);
    const matcher = await Matcher.create(set.rules);
    const result = matcher.scanBytes('[{"a":"needle"}\n,{"a":"needle"}\n,\n{"a":"needle"}]');
    expect(result.hits.map((h) => [h.event, h.line])).toEqual([[0, 1], [1, 2], [2, 4]]);
  });
});
