import type { ConformanceGroup } from '../types.js';
import { det, r } from './_helpers.js';

const shape: ConformanceGroup = {
  group: 'modifiers/contains-startswith-endswith',
  cases: [
    {
      name: 'contains-anywhere',
      spec: 'SIGMA.md 1.6 contains',
      rule: det`
        selection:
          CommandLine|contains: 'sekurlsa'
        condition: selection
      `,
      events: [
        { CommandLine: 'sekurlsa::logonpasswords' },
        { CommandLine: 'x sekurlsa' },
        { CommandLine: 'a SEKURLSA b' },
        { CommandLine: 'sekur lsa' },
        { CommandLine: 'sekurls' },
        {},
      ],
      matches: [0, 1, 2],
    },
    {
      name: 'startswith-prefix-only',
      spec: 'SIGMA.md 1.6 startswith',
      rule: det`
        selection:
          Image|startswith: 'C:\Users\Public\'
        condition: selection
      `,
      events: [
        { Image: r`C:\Users\Public\x.exe` },
        { Image: r`D:\C:\Users\Public\x.exe` },
        { Image: 'c:\\users\\public\\y.exe' },
        { Image: r`C:\Users\Publicity\x.exe` },
      ],
      matches: [0, 2],
    },
    {
      name: 'endswith-suffix-only',
      spec: 'SIGMA.md 1.6 endswith',
      rule: det`
        selection:
          Image|endswith: '\rundll32.exe'
        condition: selection
      `,
      events: [
        { Image: r`C:\Windows\System32\rundll32.exe` },
        { Image: r`C:\Windows\System32\rundll32.exe.mui` },
        { Image: 'rundll32.exe' },
        { Image: r`C:\x\RUNDLL32.EXE` },
        { Image: r`C:\x\myrundll32.exe` },
      ],
      matches: [0, 3],
    },
    {
      name: 'contains-list-is-or',
      spec: 'SIGMA.md 1.2/1.6',
      rule: det`
        selection:
          CommandLine|contains:
            - ' -enc '
            - ' -encodedcommand '
        condition: selection
      `,
      events: [
        { CommandLine: 'powershell -enc AAAA' },
        { CommandLine: 'powershell -EncodedCommand AAAA' },
        { CommandLine: 'powershell -e AAAA' },
        { CommandLine: 'powershell -enc' },
      ],
      matches: [0, 1],
    },
    {
      name: 'contains-with-inner-wildcard',
      spec: 'SIGMA.md 1.6 contains adds * around; inner * stays a wildcard',
      rule: det`
        selection:
          CommandLine|contains: 'net*user'
        condition: selection
      `,
      events: [{ CommandLine: 'c:\\net.exe user bob' }, { CommandLine: 'user net' }, { CommandLine: 'NETUSER' }],
      matches: [0, 2],
    },
    {
      name: 'contains-value-already-starred',
      spec: 'SIGMA.md 1.6: each * is added only if not already there',
      rule: det`
        selection:
          CommandLine|contains: '*vssadmin*'
        condition: selection
      `,
      events: [{ CommandLine: 'vssadmin delete shadows' }, { CommandLine: 'x vssadmin' }, { CommandLine: 'vss admin' }],
      matches: [0, 1],
    },
    {
      name: 'startswith-value-already-starred',
      spec: 'SIGMA.md 1.6',
      rule: det`
        selection:
          Name|startswith: 'ab*'
        condition: selection
      `,
      events: [{ Name: 'ab' }, { Name: 'abc' }, { Name: 'xab' }],
      matches: [0, 1],
    },
    {
      name: 'endswith-with-question-mark',
      spec: 'SIGMA.md 1.6 endswith + 1.4 ?',
      rule: det`
        selection:
          TargetFilename|endswith: '.ps?'
        condition: selection
      `,
      events: [{ TargetFilename: 'a.ps1' }, { TargetFilename: 'a.psm1' }, { TargetFilename: 'a.psd' }, { TargetFilename: 'a.ps' }],
      matches: [0, 2],
    },
    {
      name: 'contains-on-array-field',
      spec: 'SIGMA.md decisions: event arrays',
      rule: det`
        selection:
          Args|contains: 'evil'
        condition: selection
      `,
      events: [{ Args: ['ok', 'an evil one'] }, { Args: ['ok', 'fine'] }, { Args: 'evil' }, { Args: [] }],
      matches: [0, 2],
    },
    {
      name: 'contains-does-not-look-into-objects',
      spec: 'project decision: an object-valued field matches no string comparison',
      rule: det`
        selection:
          Details|contains: 'evil'
        condition: selection
      `,
      events: [{ Details: { text: 'evil' } }, { Details: '{"text":"evil"}' }, { Details: [{ text: 'evil' }] }],
      matches: [1],
    },
    {
      name: 'startswith-and-endswith-on-number-text',
      spec: 'project decision: string comparisons see a number event value as its decimal text',
      rule: det`
        prefix:
          Port|startswith: '44'
        suffix:
          Code|endswith: '04'
        condition: prefix or suffix
      `,
      events: [{ Port: 443 }, { Port: 8443 }, { Code: 404 }, { Code: 4040 }, { Port: '4433' }],
      matches: [0, 2, 4],
    },
    {
      name: 'contains-empty-string-matches-any-string',
      spec: "SIGMA.md 1.6 contains on '' gives * (any run); missing field is false",
      rule: det`
        selection:
          User|contains: ''
        condition: selection
      `,
      events: [{ User: '' }, { User: 'bob' }, {}],
      matches: [0, 1],
    },
  ],
};

const all: ConformanceGroup = {
  group: 'modifiers/all',
  cases: [
    {
      name: 'contains-all-requires-every-value',
      spec: 'SIGMA.md 1.2/1.6 all: values ANDed',
      rule: det`
        selection:
          CommandLine|contains|all:
            - '-nop'
            - 'hidden'
            - 'http'
        condition: selection
      `,
      events: [
        { CommandLine: 'powershell -nop -w hidden iwr http://x' },
        { CommandLine: 'powershell -nop -w hidden' },
        { CommandLine: 'http hidden -NOP' },
        { CommandLine: 'powershell' },
      ],
      matches: [0, 2],
    },
    {
      name: 'contains-all-single-value-accepted',
      spec: 'project decision: field-bound all with a single value is accepted',
      rule: det`
        selection:
          CommandLine|contains|all: 'bypass'
        condition: selection
      `,
      events: [{ CommandLine: '-ep Bypass' }, { CommandLine: '-ep unrestricted' }],
      matches: [0],
    },
    {
      name: 'all-without-contains-is-equality-and',
      spec: 'project decision: field-bound all without contains is accepted (AND of equalities)',
      rule: det`
        selection:
          User|all:
            - 'admin'
            - 'ADMIN'
        condition: selection
      `,
      events: [{ User: 'admin' }, { User: 'Admin' }, { User: 'administrator' }],
      matches: [0, 1],
    },
    {
      name: 'all-without-contains-different-values-never-match',
      spec: 'SIGMA.md 1.6 all: [pySigma] flags field-bound all without contains (it can never match)',
      rule: det`
        selection:
          User|all:
            - 'alice'
            - 'bob'
        condition: selection
      `,
      events: [{ User: 'alice' }, { User: 'bob' }, { User: 'alice bob' }],
      matches: [],
    },
    {
      name: 'startswith-all',
      spec: 'SIGMA.md 1.6',
      rule: det`
        selection:
          Name|startswith|all:
            - 'ab'
            - 'abc'
        condition: selection
      `,
      events: [{ Name: 'abcd' }, { Name: 'abd' }, { Name: 'abc' }, { Name: 'xabc' }],
      matches: [0, 2],
    },
    {
      name: 'endswith-all',
      spec: 'SIGMA.md 1.6',
      rule: det`
        selection:
          Name|endswith|all:
            - '.exe'
            - 'tool.exe'
        condition: selection
      `,
      events: [{ Name: 'mytool.exe' }, { Name: 'my.exe' }, { Name: 'tool.exe.txt' }],
      matches: [0],
    },
    {
      name: 'contains-all-with-wildcards',
      spec: 'SIGMA.md 1.4/1.6',
      rule: det`
        selection:
          CommandLine|contains|all:
            - 'reg*add'
            - '\Run'
        condition: selection
      `,
      events: [
        { CommandLine: r`reg.exe add HKCU\Software\Microsoft\Windows\CurrentVersion\Run /v x` },
        { CommandLine: r`reg.exe query HKCU\...\Run` },
        { CommandLine: 'reg add HKCU /v x' },
      ],
      matches: [0],
    },
    {
      name: 'contains-all-values-may-match-different-array-elements',
      spec: 'project decision: F|contains|all: [a, b] = (F contains a) and (F contains b), each over any array element',
      rule: det`
        selection:
          Args|contains|all:
            - 'alpha'
            - 'beta'
        condition: selection
      `,
      events: [{ Args: ['alpha', 'beta'] }, { Args: ['alpha beta'] }, { Args: ['alpha', 'gamma'] }],
      matches: [0, 1],
    },
  ],
};

const cased: ConformanceGroup = {
  group: 'modifiers/cased',
  cases: [
    {
      name: 'cased-exact',
      spec: 'SIGMA.md 1.6 cased: case-sensitive string match',
      rule: det`
        selection:
          Name|cased: 'CmD'
        condition: selection
      `,
      events: [{ Name: 'CmD' }, { Name: 'cmd' }, { Name: 'CMD' }],
      matches: [0],
    },
    {
      name: 'contains-cased',
      spec: 'SIGMA.md 1.6 cased',
      rule: det`
        selection:
          CommandLine|contains|cased: 'Invoke-Mimikatz'
        condition: selection
      `,
      events: [{ CommandLine: 'x Invoke-Mimikatz y' }, { CommandLine: 'x invoke-mimikatz y' }, { CommandLine: 'x INVOKE-MIMIKATZ y' }],
      matches: [0],
    },
    {
      name: 'startswith-cased',
      spec: 'SIGMA.md 1.6 cased',
      rule: det`
        selection:
          Name|startswith|cased: 'Setup'
        condition: selection
      `,
      events: [{ Name: 'Setup.exe' }, { Name: 'setup.exe' }, { Name: 'MySetup.exe' }],
      matches: [0],
    },
    {
      name: 'endswith-cased',
      spec: 'SIGMA.md 1.6 cased',
      rule: det`
        selection:
          Name|endswith|cased: '.EXE'
        condition: selection
      `,
      events: [{ Name: 'A.EXE' }, { Name: 'a.exe' }, { Name: 'a.Exe' }],
      matches: [0],
    },
    {
      name: 'cased-with-wildcards',
      spec: 'SIGMA.md 1.6 cased; wildcards still apply',
      rule: det`
        selection:
          Name|cased: 'A*Z?'
        condition: selection
      `,
      events: [{ Name: 'AbcZ1' }, { Name: 'abcz1' }, { Name: 'AZx' }, { Name: 'AbcZ' }, { Name: 'ABCZQ' }],
      matches: [0, 2, 4],
    },
    {
      name: 'cased-non-ascii',
      spec: 'SIGMA.md 1.6 cased; 1.7',
      rule: det`
        selection:
          Name|cased: 'Ärger'
        condition: selection
      `,
      events: [{ Name: 'Ärger' }, { Name: 'ärger' }, { Name: 'ÄRGER' }],
      matches: [0],
    },
    {
      name: 'cased-list',
      spec: 'SIGMA.md 1.2/1.6',
      rule: det`
        selection:
          Tag|cased:
            - 'Alpha'
            - 'BETA'
        condition: selection
      `,
      events: [{ Tag: 'Alpha' }, { Tag: 'BETA' }, { Tag: 'alpha' }, { Tag: 'Beta' }],
      matches: [0, 1],
    },
    {
      name: 'cased-on-one-item-only',
      spec: 'SIGMA.md 1.6/1.7: other items stay case-insensitive',
      rule: det`
        selection:
          Name|cased: 'Tool'
          Path|contains: 'TEMP'
        condition: selection
      `,
      events: [{ Name: 'Tool', Path: r`C:\temp\x` }, { Name: 'tool', Path: r`C:\temp\x` }, { Name: 'Tool', Path: r`C:\x` }],
      matches: [0],
    },
  ],
};

const exists: ConformanceGroup = {
  group: 'modifiers/exists',
  cases: [
    {
      name: 'exists-true-present-even-if-null-or-empty',
      spec: 'SIGMA.md 1.6 exists; 1.8',
      rule: det`
        selection:
          CommandLine|exists: true
        condition: selection
      `,
      events: [
        { CommandLine: 'x' },
        { CommandLine: '' },
        { CommandLine: null },
        { CommandLine: 0 },
        { CommandLine: false },
        { CommandLine: { a: 1 } },
        {},
        { commandline: 'x' },
      ],
      matches: [0, 1, 2, 3, 4, 5],
    },
    {
      name: 'exists-false-means-absent',
      spec: 'SIGMA.md 1.6 exists',
      rule: det`
        selection:
          CommandLine|exists: false
        condition: selection
      `,
      events: [{}, { CommandLine: null }, { CommandLine: '' }, { CommandLine: 'x' }, { Other: 1 }],
      matches: [0, 4],
    },
    {
      name: 'exists-independent-of-null-option',
      spec: 'SIGMA.md 1.6 exists; option nullMatchesAbsent only changes F: null',
      options: { nullMatchesAbsent: false },
      rule: det`
        selection:
          CommandLine|exists: true
        condition: selection
      `,
      events: [{ CommandLine: null }, {}, { CommandLine: 'x' }],
      matches: [0, 2],
    },
    {
      name: 'exists-nested-path',
      spec: 'SIGMA.md 1.6 exists; decisions: dotted names',
      rule: det`
        selection:
          user.domain|exists: true
        condition: selection
      `,
      events: [{ user: { domain: 'CORP' } }, { user: { name: 'x' } }, { user: 'CORP' }, { 'user.domain': null }, {}],
      matches: [0, 3],
    },
    {
      name: 'not-exists-true',
      spec: 'SIGMA.md 1.6 exists; 1.8 not',
      rule: det`
        selection:
          EventID: 1
        has_parent:
          ParentImage|exists: true
        condition: selection and not has_parent
      `,
      events: [{ EventID: 1 }, { EventID: 1, ParentImage: 'x' }, { EventID: 1, ParentImage: null }, { EventID: 2 }],
      matches: [0],
    },
    {
      name: 'exists-with-other-item-in-map',
      spec: 'SIGMA.md 1.2 map AND; 1.6 exists',
      rule: det`
        selection:
          Image|endswith: '\svchost.exe'
          ParentImage|exists: false
        condition: selection
      `,
      events: [
        { Image: r`C:\Windows\svchost.exe` },
        { Image: r`C:\Windows\svchost.exe`, ParentImage: r`C:\Windows\services.exe` },
        { Image: r`C:\Windows\lsass.exe` },
      ],
      matches: [0],
    },
    {
      name: 'exists-on-empty-array',
      spec: 'project decision: exists is presence; an empty array is present',
      rule: det`
        selection:
          Tags|exists: true
        condition: selection
      `,
      events: [{ Tags: [] }, { Tags: ['a'] }, {}],
      matches: [0, 1],
    },
    {
      name: 'exists-is-case-sensitive-on-field-name',
      spec: 'SIGMA.md decisions: field names exact, case-sensitive',
      rule: det`
        selection:
          Hashes|exists: true
        condition: selection
      `,
      events: [{ hashes: 'x' }, { HASHES: 'x' }, { Hashes: 'x' }],
      matches: [2],
    },
  ],
};

export const groups: ConformanceGroup[] = [shape, all, cased, exists];
