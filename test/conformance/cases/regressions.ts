/**
 * Disagreements between engines found by differential and corpus testing, shrunk to their essence and kept here so
 * they never return. Each case names what went wrong.
 */
import type { ConformanceGroup } from '../types.js';

export const group: ConformanceGroup = {
  group: 'regressions/engines',
  cases: [
    {
      name: 'empty-literal-constant-does-not-alias-another-constant',
      spec: 'compiler: a zero-length constant once shared its offset with the next constant and took its length',
      rule: `title: Star Value
logsource: {product: kubernetes}
detection:
  selection:
    hostPath: '*'
  condition: selection
---
title: Empty Contains In A Filter
logsource: {product: windows}
detection:
  selection:
    Image|endswith: '\\wmic.exe'
  filter:
    CommandLine|contains:
      - 'qfe list'
      - ''
  condition: selection and not filter
`,
      events: [
        { Image: 'C:\\Windows\\System32\\wbem\\WMIC.exe', CommandLine: 'wmic useraccount get /ALL' },
        { hostPath: '' },
        { hostPath: '/var/run' },
      ],
      matchesByRule: { 'Star Value': [1, 2], 'Empty Contains In A Filter': [] },
    },
    {
      name: 'regex-alternative-shorter-than-a-window-keeps-its-hits',
      spec: 'DESIGN.md section 8 (the prefilter never stops a rule that would match): a regex needing one of its literals kept the atoms of its long alternatives and dropped the short one, so with predicate-level filtering `ab|cdefg` was false on "xab"',
      rule: `title: Short Regex Branch
logsource: {product: windows}
detection:
  selection:
    CommandLine|re: 'ab|cdefg'
  condition: selection
`,
      events: [{ CommandLine: 'xab' }, { CommandLine: 'cdefg' }, { CommandLine: 'x' }],
      matches: [0, 1],
    },
    {
      name: 'keyword-number-spelled-otherwise-in-the-raw-text',
      spec: 'SIGMA.md decisions (keywords search every number leaf as its text): keyword atoms are looked for in the raw JSON text, where 4688 may be written 4.688e+3; the bytes path missed the hit',
      rule: `title: Keyword Number
logsource: {product: windows}
detection:
  keywords:
    - '4688'
    - 'e+21'
  condition: keywords
`,
      events: [{ EventID: 4688 }, { Count: 1e21 }, { EventID: 4689 }],
      bytesInput: '{"EventID": 4.688e+3}\n{"Count": 1000000000000000000000}\n{"EventID": 46890e-1}\n',
      matches: [0, 1],
    },
    {
      name: 'keyword-replacement-character-from-ill-formed-utf8',
      spec: 'DESIGN.md section 4 (ill-formed UTF-8 reads as U+FFFD, as TextDecoder does): a keyword atom holding U+FFFD is not in the raw bytes, which hold the ill-formed sequence; the bytes path missed the hit',
      rule: `title: Keyword Replacement Character
logsource: {product: windows}
detection:
  keywords:
    - "ab\\uFFFDc"
  condition: keywords
`,
      events: [{ a: 'xab\ufffdcd' }, { a: 'xabcd' }],
      bytesInput: new Uint8Array([...new TextEncoder().encode('{"a": "xab'), 0xff, ...new TextEncoder().encode('cd"}\n{"a": "xabcd"}\n')]),
      matches: [0],
    },
    {
      name: 'keyword-after-an-ill-formed-byte-in-the-raw-text',
      spec: 'DESIGN.md section 4 (ill-formed UTF-8 reads as U+FFFD): the raw-text keyword filter folded the record as if it were well-formed, so a stray lead byte (C0, C1) or continuation byte (80) swallowed the next character and `true` was not found after it',
      rule: `title: Keyword After Ill-Formed Byte
logsource: {product: windows}
detection:
  keywords:
    - 'true'
  condition: keywords
`,
      events: [{ a: '\ufffdtrue' }, { a: '\ufffdtrue' }, { a: '\ufffdtrue' }, { a: '\ufffdtru' }],
      bytesInput: new Uint8Array([0xc0, 0x80, 0xc1, 0xe2].flatMap((bad, i) => [...new TextEncoder().encode('{"a": "'), bad, ...new TextEncoder().encode(i < 3 ? 'true"}\n' : 'tru"}\n')])),
      matches: [0, 1, 2],
    },
    {
      name: 'expansion-of-an-expansion-loads-and-matches',
      spec: 'SIGMA.md 1.6 (an expansion stays one OR group): expand then windash expands each placeholder value again; the loader once rejected the nested expansion ("contains needs a string value, got expansion")',
      rule: `title: Nested Expansion
logsource: {product: windows}
detection:
  selection:
    CommandLine|expand|windash|contains: '%flag% '
  condition: selection
`,
      options: { placeholders: { flag: ['-enc', '-e'] } },
      events: [
        { CommandLine: 'powershell /enc SQBFAFgA' },
        { CommandLine: 'powershell \u2014e SQBFAFgA' },
        { CommandLine: 'powershell -ENC SQBFAFgA' },
        { CommandLine: 'powershell enc SQBFAFgA' },
        { CommandLine: 'powershell +e SQBFAFgA' },
      ],
      matches: [0, 1, 2],
    },
    {
      name: 'evtx-member-named-proto-is-a-field',
      spec: 'DESIGN.md section 2 (evtx shape): EventData.K becomes the flat key K for any K; the reference once assigned `__proto__` as the prototype (so the field was absent) while the bytes path read it',
      rule: `title: Proto Field
logsource: {product: windows}
detection:
  selection:
    __proto__: 'x'
  condition: selection
---
title: Proto Absent
logsource: {product: windows}
detection:
  selection:
    __proto__: null
  condition: selection
`,
      // JSON.parse makes `__proto__` an ordinary key (an object literal would set the prototype).
      events: JSON.parse(`[
        {"Event": {"System": {"EventID": 1}, "EventData": {"__proto__": "x"}}},
        {"Event": {"System": {"EventID": 1, "__proto__": "x"}}},
        {"Event": {"System": {"EventID": 1}, "EventData": {"__proto__": {"#text": "x"}}}},
        {"__proto__": "x"},
        {"Event": {"System": {"EventID": 1}, "EventData": {"__proto__": "y"}}},
        {"Event": {"System": {"EventID": 1}, "EventData": {"Image": "x"}}}
      ]`),
      matchesByRule: { 'Proto Field': [0, 1, 2, 3], 'Proto Absent': [5] },
    },
  ],
};
