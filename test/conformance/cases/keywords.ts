import type { ConformanceGroup } from '../types.js';
import { det, r } from './_helpers.js';

export const group: ConformanceGroup = {
  group: 'keywords/search',
  cases: [
    {
      name: 'keyword-list-substring-of-any-leaf',
      spec: 'SIGMA.md decisions: keywords = case-insensitive substring of any string or number leaf; 1.9',
      rule: det`
        keywords:
          - 'mimikatz'
          - 'sekurlsa'
        condition: keywords
      `,
      events: [
        { CommandLine: 'C:\\tools\\mimikatz.exe' },
        { Other: 'x', Script: 'Invoke SEKURLSA::x' },
        { CommandLine: 'mimi katz' },
        {},
      ],
      matches: [0, 1],
    },
    {
      name: 'keyword-is-case-insensitive',
      spec: 'SIGMA.md 1.7/1.9',
      rule: det`
        keywords:
          - 'Authentication Failure'
        condition: keywords
      `,
      events: [{ msg: 'pam_unix: AUTHENTICATION FAILURE; user=x' }, { msg: 'authentication failure' }, { msg: 'authentication  failure' }],
      matches: [0, 1],
    },
    {
      name: 'keyword-in-nested-objects-and-arrays',
      spec: 'project decision: keyword leaves include nested objects and arrays',
      rule: det`
        keywords:
          - 'evil.example'
        condition: keywords
      `,
      events: [
        { dns: { answers: [{ name: 'ok.example' }, { name: 'cdn.evil.example' }] } },
        { list: ['a', ['b', 'x.evil.example.org']] },
        { dns: { answers: [{ name: 'ok.example' }] } },
      ],
      matches: [0, 1],
    },
    {
      name: 'keyword-matches-number-leaf',
      spec: 'SIGMA.md decisions: keywords match number leaves (as decimal text)',
      rule: det`
        keywords:
          - '4444'
        condition: keywords
      `,
      events: [{ DestinationPort: 4444 }, { DestinationPort: 44444 }, { DestinationPort: 444 }, { note: 'port 4444' }],
      matches: [0, 1, 3],
    },
    {
      name: 'keyword-substring-of-number-text',
      spec: 'SIGMA.md decisions: keywords as substring of a number leaf',
      rule: det`
        keywords:
          - '68'
        condition: keywords
      `,
      events: [{ EventID: 4688 }, { EventID: 4624 }, { Score: 1.68 }],
      matches: [0, 2],
    },
    {
      name: 'keyword-does-not-match-keys',
      spec: 'project decision: keywords match leaves, not keys',
      rule: det`
        keywords:
          - 'secretkey'
        condition: keywords
      `,
      events: [{ secretkey: 'x' }, { nested: { secretkey: 1 } }, { value: 'my secretkey' }],
      matches: [2],
    },
    {
      name: 'keyword-does-not-match-booleans-or-null',
      spec: 'project decision: keywords match string and number leaves only (not booleans or null)',
      rule: det`
        keywords:
          - 'true'
          - 'null'
        condition: keywords
      `,
      events: [{ Signed: true }, { Parent: null }, { Signed: 'true' }, { note: 'nullable' }, { flags: [false, null] }],
      matches: [2, 3],
    },
    {
      name: 'keyword-with-wildcards',
      spec: 'SIGMA.md decisions: keywords honour wildcards (implicitly *kw*)',
      rule: det`
        keywords:
          - 'evil*tool'
        condition: keywords
      `,
      events: [{ m: 'evil dropper tool' }, { m: 'tool evil' }, { a: 'evil', b: 'tool' }, { m: 'xxEVILtoolxx' }],
      matches: [0, 3],
    },
    {
      name: 'keyword-with-question-mark',
      spec: 'SIGMA.md 1.4/1.9',
      rule: det`
        keywords:
          - 'user=?oot'
        condition: keywords
      `,
      events: [{ m: 'login user=root ok' }, { m: 'user=boot' }, { m: 'user=oot' }],
      matches: [0, 1],
    },
    {
      name: 'keyword-escaped-star-is-literal',
      spec: 'SIGMA.md 1.4 applies to keywords',
      rule: det`
        keywords:
          - 'a\*b'
        condition: keywords
      `,
      events: [{ m: 'xa*by' }, { m: 'xaZby' }],
      matches: [0],
    },
    {
      name: 'single-scalar-keyword',
      spec: 'SIGMA.md 1.2: a single scalar',
      rule: det`
        keywords: 'segfault'
        condition: keywords
      `,
      events: [{ m: 'app: SEGFAULT at 0x0' }, { m: 'segmentation fault' }],
      matches: [0],
    },
    {
      name: 'plain-keyword-must-be-within-one-leaf',
      spec: 'SIGMA.md decisions: keywords are a substring of one leaf',
      rule: det`
        keywords:
          - 'foo bar'
        condition: keywords
      `,
      events: [{ a: 'foo', b: 'bar' }, { a: 'xfoo barx' }, { a: ['foo', 'bar'] }],
      matches: [1],
    },
    {
      name: 'all-keywords-across-leaves',
      spec: "SIGMA.md decisions: under '|all' each keyword must be found somewhere in the event, not necessarily the same leaf",
      rule: det`
        keywords:
          '|all':
            - 'useradd'
            - 'uid=0'
        condition: keywords
      `,
      events: [
        { cmd: 'useradd -o -u 0 x', audit: 'uid=0 auid=1000' },
        { cmd: 'useradd x uid=0' },
        { cmd: 'useradd x' },
        { audit: 'uid=0' },
        { nested: { a: ['USERADD'], b: { c: 'UID=0' } } },
      ],
      matches: [0, 1, 4],
    },
    {
      name: 'contains-keyword-map-key',
      spec: "SIGMA.md 1.2: '|contains' with empty field part is a keyword item",
      rule: det`
        keywords:
          '|contains':
            - 'wget '
            - 'curl '
        condition: keywords
      `,
      events: [{ cmd: 'sh -c wget http://x' }, { cmd: 'CURL http://x' }, { cmd: 'fetch http://x' }],
      matches: [0, 1],
    },
    {
      name: 'startswith-keyword-applies-per-leaf',
      spec: 'project decision: a keyword item with |startswith uses that shape against each leaf',
      rule: det`
        keywords:
          '|startswith': 'Failed password'
        condition: keywords
      `,
      events: [
        { msg: 'Failed password for root from 10.0.0.1' },
        { msg: 'sshd: Failed password for root' },
        { host: 'x', msg: 'ok', extra: 'failed PASSWORD!' },
      ],
      matches: [0, 2],
    },
    {
      name: 'endswith-keyword-applies-per-leaf',
      spec: 'project decision: a keyword item with |endswith uses that shape against each leaf',
      rule: det`
        keywords:
          '|endswith': '.onion'
        condition: keywords
      `,
      events: [{ q: 'abc.onion' }, { q: 'abc.onion.to' }, { a: ['x', 'y.ONION'] }],
      matches: [0, 2],
    },
    {
      name: 're-keyword-searches-each-leaf',
      spec: 'project decision: a keyword item with |re searches each leaf',
      rule: det`
        keywords:
          '|re': '^\d{3}-\d{4}$'
        condition: keywords
      `,
      events: [{ phone: '555-1234' }, { phone: 'call 555-1234' }, { a: 'x', b: { c: '123-4567' } }, { n: 5551234 }],
      matches: [0, 2],
    },
    {
      name: 'keyword-combined-with-not',
      spec: 'SIGMA.md 1.5/1.9',
      rule: det`
        keywords:
          - 'error'
        filter:
          level: 'debug'
        condition: keywords and not filter
      `,
      events: [{ level: 'info', m: 'an error' }, { level: 'debug', m: 'an error' }, { level: 'info', m: 'fine' }],
      matches: [0],
    },
    {
      name: 'keyword-float-leaf',
      spec: 'SIGMA.md decisions: number leaves as decimal text',
      rule: det`
        keywords:
          - '2.5'
        condition: keywords
      `,
      events: [{ version: 2.5 }, { version: 25 }, { version: '12.50' }],
      matches: [0, 2],
    },
    {
      name: 'keyword-backslash-path',
      spec: 'SIGMA.md 1.4 (backslash before ordinary character kept) applied to keywords',
      rule: det`
        keywords:
          - '\AppData\Roaming\'
        condition: keywords
      `,
      events: [{ p: r`C:\Users\x\AppData\Roaming\y.exe` }, { p: 'C:/Users/x/AppData/Roaming/y.exe' }],
      matches: [0],
    },
    {
      name: 'keywords-across-several-identifiers',
      spec: 'SIGMA.md 1.5/1.9',
      rule: det`
        keywords_a:
          - 'alpha'
        keywords_b:
          - 'beta'
        condition: all of keywords_*
      `,
      events: [{ x: 'alpha', y: 'beta' }, { x: 'alphabeta' }, { x: 'alpha' }],
      matches: [0, 1],
    },
  ],
};
