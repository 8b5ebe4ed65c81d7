import type { ConformanceGroup } from '../types.js';
import { det, r } from './_helpers.js';

export const group: ConformanceGroup = {
  group: 'modifiers/re',
  cases: [
    {
      name: 'unanchored-search',
      spec: 'SIGMA.md decisions: regex is an unanchored search',
      rule: det`
        selection:
          CommandLine|re: 'evil\d+'
        condition: selection
      `,
      events: [{ CommandLine: 'xxevil42yy' }, { CommandLine: 'evil' }, { CommandLine: 'evil7' }, { CommandLine: 'evilx9' }],
      matches: [0, 2],
    },
    {
      name: 'explicit-anchors',
      spec: 'SIGMA.md decisions: ^/$ anchor explicitly; 1.6 re: the raw string is the regex',
      rule: det`
        selection:
          Image|re: '^C:\\Windows\\[a-z]+\.exe$'
        condition: selection
      `,
      events: [
        { Image: r`C:\Windows\notepad.exe` },
        { Image: r`C:\Windows\System32\calc.exe` },
        { Image: r`C:\Windows\notepad.exe.bak` },
        { Image: r`C:\Windows\Notepad.exe` },
        { Image: r`X:\C:\Windows\notepad.exe` },
        { Image: r`C:\Windows\notepadXexe` },
      ],
      matches: [0],
    },
    {
      name: 'case-sensitive-by-default',
      spec: 'SIGMA.md decisions: regex case-sensitive unless |i or leading (?i)',
      rule: det`
        selection:
          CommandLine|re: 'Mimikatz'
        condition: selection
      `,
      events: [{ CommandLine: 'run Mimikatz' }, { CommandLine: 'run mimikatz' }, { CommandLine: 'run MIMIKATZ' }],
      matches: [0],
    },
    {
      name: 're-i-flag',
      spec: 'SIGMA.md 1.6 re + i; corpus chain re|i',
      rule: det`
        selection:
          CommandLine|re|i: 'mimi[a-z]+'
        condition: selection
      `,
      events: [{ CommandLine: 'run MIMIKATZ' }, { CommandLine: 'run mimikatz' }, { CommandLine: 'run mimi' }],
      matches: [0, 1],
    },
    {
      name: 're-ignorecase-long-name',
      spec: 'SIGMA.md 1.6 re (+ i / ignorecase)',
      rule: det`
        selection:
          CommandLine|re|ignorecase: '^net\s+user'
        condition: selection
      `,
      events: [{ CommandLine: 'NET  USER bob' }, { CommandLine: 'net user' }, { CommandLine: ' net user' }],
      matches: [0, 1],
    },
    {
      name: 'leading-inline-ignore-case',
      spec: 'SIGMA.md decisions: a leading (?i) makes the regex case-insensitive',
      rule: det`
        selection:
          CommandLine|re: '(?i)\s(-u|--user)\s*:'
        condition: selection
      `,
      events: [{ CommandLine: 'curl -U : x' }, { CommandLine: 'curl --USER: x' }, { CommandLine: 'curl --user x' }, { CommandLine: 'curl-u:' }],
      matches: [0, 1],
    },
    {
      name: 're-m-multiline',
      spec: 'SIGMA.md 1.6 re + m: ^ and $ match at line breaks',
      rule: det`
        selection:
          Script|re|m: '^second$'
        condition: selection
      `,
      events: [{ Script: 'first\nsecond\nthird' }, { Script: 'first\nsecondx\nthird' }, { Script: 'second' }, { Script: 'first second' }],
      matches: [0, 2],
    },
    {
      name: 're-without-m-anchors-whole-value',
      spec: 'SIGMA.md 1.6 re: without m, ^ and $ anchor the whole value',
      rule: det`
        selection:
          Script|re: '^second$'
        condition: selection
      `,
      events: [{ Script: 'first\nsecond\nthird' }, { Script: 'second' }],
      matches: [1],
    },
    {
      name: 're-multiline-long-name',
      spec: 'SIGMA.md 1.6 re (+ m / multiline)',
      rule: det`
        selection:
          Script|re|multiline: '^Invoke-'
        condition: selection
      `,
      events: [{ Script: '$a = 1\nInvoke-Expression $a' }, { Script: '$a = 1; Invoke-Expression $a' }],
      matches: [0],
    },
    {
      name: 're-s-dotall',
      spec: 'SIGMA.md 1.6 re + s: . matches a line break',
      rule: det`
        selection:
          Script|re|s: 'begin.end'
        condition: selection
      `,
      events: [{ Script: 'begin\nend' }, { Script: 'beginxend' }, { Script: 'begin\n\nend' }],
      matches: [0, 1],
    },
    {
      name: 're-without-s-dot-excludes-newline',
      spec: 'SIGMA.md 1.6 re: without s, . does not match a line break',
      rule: det`
        selection:
          Script|re: 'begin.end'
        condition: selection
      `,
      events: [{ Script: 'begin\nend' }, { Script: 'beginxend' }],
      matches: [1],
    },
    {
      name: 're-dotall-long-name',
      spec: 'SIGMA.md 1.6 re (+ s / dotall)',
      rule: det`
        selection:
          Script|re|dotall: 'a.+z'
        condition: selection
      `,
      events: [{ Script: 'a\n\nz' }, { Script: 'az' }],
      matches: [0],
    },
    {
      name: 'character-classes-and-counted-repetition',
      spec: 'SIGMA.md 1.7 regex flavour: classes, {n,m}',
      rule: det`
        selection:
          Hash|re: '^[A-Fa-f0-9]{32}$'
        condition: selection
      `,
      events: [
        { Hash: 'd41d8cd98f00b204e9800998ecf8427e' },
        { Hash: 'D41D8CD98F00B204E9800998ECF8427E' },
        { Hash: 'd41d8cd98f00b204e9800998ecf8427' },
        { Hash: 'd41d8cd98f00b204e9800998ecf8427ee' },
        { Hash: 'g41d8cd98f00b204e9800998ecf8427e' },
      ],
      matches: [0, 1],
    },
    {
      name: 'shorthand-classes',
      spec: 'SIGMA.md 1.7: \\d \\w \\s \\S \\W',
      rule: det`
        selection:
          Line|re: '^\w+\s\d{2,4}\W\S$'
        condition: selection
      `,
      events: [{ Line: 'abc_1 123!x' }, { Line: 'abc 1!x' }, { Line: 'abc 12345!x' }, { Line: 'abc 12!' }, { Line: 'a-b 12!x' }],
      matches: [0],
    },
    {
      name: 'non-capturing-group-alternation',
      spec: 'SIGMA.md 1.7: (?: and |',
      rule: det`
        selection:
          Image|re: '\\(?:cmd|powershell)\.exe$'
        condition: selection
      `,
      events: [{ Image: r`C:\x\cmd.exe` }, { Image: r`C:\x\powershell.exe` }, { Image: r`C:\x\pwsh.exe` }, { Image: 'cmd.exe' }],
      matches: [0, 1],
    },
    {
      name: 'top-level-alternation-unanchored',
      spec: 'SIGMA.md decisions: unanchored search',
      rule: det`
        selection:
          CommandLine|re: 'wget|curl'
        condition: selection
      `,
      events: [{ CommandLine: '/usr/bin/curl -o x' }, { CommandLine: 'wget x' }, { CommandLine: 'fetch x' }],
      matches: [0, 1],
    },
    {
      name: 'lazy-quantifier',
      spec: 'SIGMA.md 1.7: lazy quantifiers occur in the corpus',
      rule: det`
        selection:
          Data|re: 'a.*?b'
        condition: selection
      `,
      events: [{ Data: 'xaxxbx' }, { Data: 'ab' }, { Data: 'ba' }],
      matches: [0, 1],
    },
    {
      name: 'word-boundary',
      spec: 'SIGMA.md 1.7: \\b',
      rule: det`
        selection:
          CommandLine|re: '\bnet\b'
        condition: selection
      `,
      events: [{ CommandLine: 'net user' }, { CommandLine: 'netstat -an' }, { CommandLine: 'c:\\x\\net.exe' }, { CommandLine: 'dotnet run' }],
      matches: [0, 2],
    },
    {
      name: 'negated-class',
      spec: 'SIGMA.md 1.7: [^..]',
      rule: det`
        selection:
          Name|re: '^[^a-z]+$'
        condition: selection
      `,
      events: [{ Name: 'ABC123' }, { Name: 'ABc' }, { Name: '' }],
      matches: [0],
    },
    {
      name: 'newline-escape-in-regex',
      spec: 'SIGMA.md 1.7: \\n in regexes',
      rule: det`
        selection:
          Script|re: 'a\nb'
        condition: selection
      `,
      events: [{ Script: 'a\nb' }, { Script: r`a\nb` }, { Script: 'a b' }],
      matches: [0],
    },
    {
      name: 'literal-backslash-in-regex',
      spec: 'SIGMA.md 1.6 re: no Sigma escape processing; \\\\ in the regex is one literal backslash',
      rule: det`
        selection:
          Path|re: '\\Temp\\'
        condition: selection
      `,
      events: [{ Path: r`C:\Temp\x` }, { Path: 'C:/Temp/x' }, { Path: r`C:\temp\x` }],
      matches: [0],
    },
    {
      name: 'regex-star-is-not-a-sigma-wildcard',
      spec: 'SIGMA.md 1.4: re values bypass the wildcard parser',
      rule: det`
        selection:
          Data|re: '^ab*c$'
        condition: selection
      `,
      events: [{ Data: 'ac' }, { Data: 'abbbc' }, { Data: 'axc' }, { Data: 'ab*c' }],
      matches: [0, 1],
    },
    {
      name: 're-value-list',
      spec: 'SIGMA.md 1.2: values ORed',
      rule: det`
        selection:
          User|re:
            - '^adm_'
            - '_svc$'
        condition: selection
      `,
      events: [{ User: 'adm_bob' }, { User: 'backup_svc' }, { User: 'bob_adm' }],
      matches: [0, 1],
    },
    {
      name: 're-on-array-field',
      spec: 'SIGMA.md decisions: event arrays',
      rule: det`
        selection:
          Hosts|re: '\.onion$'
        condition: selection
      `,
      events: [{ Hosts: ['a.com', 'b.onion'] }, { Hosts: ['a.com', 'b.onion.com'] }],
      matches: [0],
    },
    {
      name: 're-on-number-uses-decimal-text',
      spec: 'project decision: a regex sees a number event value as its decimal text',
      rule: det`
        selection:
          EventID|re: '^46\d\d$'
        condition: selection
      `,
      events: [{ EventID: 4688 }, { EventID: '4624' }, { EventID: 46880 }, { EventID: 5156 }],
      matches: [0, 1],
    },
    {
      name: 're-startswith-anchors-start',
      spec: 'project decision: re|startswith adds ^',
      rule: det`
        selection:
          Data|re|startswith: 'ab+'
        condition: selection
      `,
      events: [{ Data: 'abbbx' }, { Data: 'xab' }, { Data: 'a' }],
      matches: [0],
    },
    {
      name: 're-endswith-anchors-end',
      spec: 'project decision: re|endswith adds $',
      rule: det`
        selection:
          Data|re|endswith: '\.ps1'
        condition: selection
      `,
      events: [{ Data: 'run.ps1' }, { Data: 'run.ps1.txt' }, { Data: 'runxps1' }],
      matches: [0],
    },
    {
      name: 're-contains-changes-nothing',
      spec: 'project decision: re|contains keeps the unanchored search',
      rule: det`
        selection:
          Data|re|contains: 'b+c'
        condition: selection
      `,
      events: [{ Data: 'abbcd' }, { Data: 'bc' }, { Data: 'ac' }],
      matches: [0, 1],
    },
    {
      name: 're-in-double-quoted-yaml',
      spec: 'SIGMA.md 1.6 re: YAML decoding happens first ("\\\\d" decodes to \\d)',
      rule: det`
        selection:
          Data|re: "^\\d{3}$"
        condition: selection
      `,
      events: [{ Data: '123' }, { Data: '12a' }, { Data: r`\ddd` }],
      matches: [0],
    },
    {
      name: 're-dot-matches-one-code-point',
      spec: 'project decision: regex operates on code points (an emoji is one character for .)',
      rule: det`
        selection:
          Name|re: '^x.y$'
        condition: selection
      `,
      events: [{ Name: 'x😀y' }, { Name: 'xay' }, { Name: 'x😀😀y' }, { Name: 'xy' }],
      matches: [0, 1],
    },
    {
      name: 're-i-non-ascii',
      spec: 'project decision: |i folds non-ASCII with the same simple lowercasing as strings',
      rule: det`
        selection:
          Name|re|i: 'änderung'
        condition: selection
      `,
      events: [{ Name: 'ÄNDERUNG' }, { Name: 'Änderung' }, { Name: 'anderung' }],
      matches: [0, 1],
    },
  ],
};
