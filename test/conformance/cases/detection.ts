import type { ConformanceGroup } from '../types.js';
import { det, r } from './_helpers.js';

const structure: ConformanceGroup = {
  group: 'detection/structure',
  cases: [
    {
      name: 'map-entries-are-and',
      spec: 'SIGMA.md 1.2: a map (entries ANDed)',
      rule: det`
        selection:
          Image|endswith: '\schtasks.exe'
          CommandLine|contains: '/create'
          User|startswith: 'CORP\'
        condition: selection
      `,
      events: [
        { Image: r`C:\W\schtasks.exe`, CommandLine: 'schtasks /create /tn x', User: r`CORP\bob` },
        { Image: r`C:\W\schtasks.exe`, CommandLine: 'schtasks /query', User: r`CORP\bob` },
        { Image: r`C:\W\schtasks.exe`, CommandLine: 'schtasks /create /tn x', User: r`HOME\bob` },
        { Image: r`C:\W\at.exe`, CommandLine: 'at /create', User: r`CORP\bob` },
      ],
      matches: [0],
    },
    {
      name: 'list-of-maps-is-or',
      spec: 'SIGMA.md 1.2: a list of maps (ORed)',
      rule: det`
        selection:
          - Image|endswith: '\certutil.exe'
            CommandLine|contains: 'urlcache'
          - Image|endswith: '\bitsadmin.exe'
            CommandLine|contains: '/transfer'
        condition: selection
      `,
      events: [
        { Image: r`C:\certutil.exe`, CommandLine: 'certutil -urlcache -f http://x' },
        { Image: r`C:\bitsadmin.exe`, CommandLine: 'bitsadmin /transfer j http://x' },
        { Image: r`C:\certutil.exe`, CommandLine: 'bitsadmin /transfer j' },
        { Image: r`C:\bitsadmin.exe`, CommandLine: 'certutil -urlcache' },
      ],
      matches: [0, 1],
    },
    {
      name: 'list-of-single-entry-maps',
      spec: 'SIGMA.md 1.2: a list of maps (ORed)',
      rule: det`
        selection:
          - OriginalFileName: 'procdump.exe'
          - Description: 'Sysinternals process dump utility'
        condition: selection
      `,
      events: [{ OriginalFileName: 'PROCDUMP.EXE' }, { Description: 'Sysinternals process dump utility' }, { OriginalFileName: 'x.exe', Description: 'x' }],
      matches: [0, 1],
    },
    {
      name: 'list-of-scalars-is-keyword-or',
      spec: 'SIGMA.md 1.2/1.9: a list of scalars (keyword search, ORed)',
      rule: det`
        keywords:
          - 'rm -rf /'
          - 'mkfifo'
        condition: keywords
      `,
      events: [{ cmd: 'sudo rm -rf / --no-preserve-root' }, { msg: 'MKFIFO /tmp/p' }, { cmd: 'rm -r /tmp/x' }],
      matches: [0, 1],
    },
    {
      name: 'single-scalar-is-keyword',
      spec: 'SIGMA.md 1.2: a single scalar (keyword search)',
      rule: det`
        keyword: 'Possible SYN flooding'
        condition: keyword
      `,
      events: [{ message: 'kernel: TCP: Possible SYN flooding on port 80' }, { message: 'SYN received' }],
      matches: [0],
    },
    {
      name: 'nested-list-of-scalars',
      spec: 'SIGMA.md 1.2: [pySigma] recurses into nested lists',
      rule: det`
        keywords:
          - - 'alpha'
            - 'beta'
          - 'gamma'
        condition: keywords
      `,
      events: [{ m: 'x alpha' }, { m: 'BETA y' }, { m: 'gamma' }, { m: 'delta' }],
      matches: [0, 1, 2],
    },
    {
      name: 'nested-list-of-maps',
      spec: 'SIGMA.md 1.2: [pySigma] recurses into nested lists',
      rule: det`
        selection:
          - - Image: 'a.exe'
            - Image: 'b.exe'
          - Image: 'c.exe'
        condition: selection
      `,
      events: [{ Image: 'a.exe' }, { Image: 'b.exe' }, { Image: 'c.exe' }, { Image: 'd.exe' }],
      matches: [0, 1, 2],
    },
    {
      name: 'same-field-in-two-selections',
      spec: 'SIGMA.md 1.2/1.5',
      rule: det`
        selection:
          Image|endswith: '.exe'
        filter:
          Image|startswith: 'C:\Windows\'
        condition: selection and not filter
      `,
      events: [{ Image: r`C:\Temp\x.exe` }, { Image: r`C:\Windows\x.exe` }, { Image: r`C:\Temp\x.dll` }],
      matches: [0],
    },
    {
      name: 'map-with-many-fields',
      spec: 'SIGMA.md 1.2: all map entries ANDed',
      rule: det`
        selection:
          F1: 'v1'
          F2: 'v2'
          F3: 'v3'
          F4: 'v4'
          F5: 'v5'
          F6: 'v6'
          F7: 'v7'
          F8: 'v8'
        condition: selection
      `,
      events: [
        { F1: 'v1', F2: 'v2', F3: 'v3', F4: 'v4', F5: 'v5', F6: 'v6', F7: 'v7', F8: 'v8' },
        { F1: 'v1', F2: 'v2', F3: 'v3', F4: 'v4', F5: 'v5', F6: 'v6', F7: 'v7', F8: 'x' },
        { F1: 'v1', F2: 'v2', F3: 'v3', F4: 'v4', F5: 'v5', F6: 'v6', F7: 'v7' },
      ],
      matches: [0],
    },
    {
      name: 'keyword-item-and-field-item-in-one-map',
      spec: "SIGMA.md 1.2: a key with empty field part ('|all') is a keyword item; map entries ANDed",
      rule: det`
        selection:
          '|all':
            - 'login'
            - 'failed'
          service: 'sshd'
        condition: selection
      `,
      events: [
        { service: 'sshd', msg: 'login failed for root' },
        { service: 'sshd', msg: 'login ok' },
        { service: 'cron', msg: 'login failed' },
        { service: 'sshd', a: 'Login', b: 'FAILED' },
      ],
      matches: [0, 3],
    },
    {
      name: 'keyword-and-map-selections-combined',
      spec: 'SIGMA.md 1.2/1.9',
      rule: det`
        keywords:
          - 'segfault'
        selection:
          host: 'web01'
        condition: keywords and selection
      `,
      events: [{ host: 'web01', msg: 'app[12]: segfault at 0' }, { host: 'web02', msg: 'segfault' }, { host: 'web01', msg: 'ok' }],
      matches: [0],
    },
    {
      name: 'empty-list-value-in-map',
      spec: 'SIGMA.md 1.2: field: [] is treated as field: null',
      rule: det`
        selection:
          EventID: 1
          ParentCommandLine: []
        condition: selection
      `,
      events: [{ EventID: 1 }, { EventID: 1, ParentCommandLine: null }, { EventID: 1, ParentCommandLine: 'x' }],
      matches: [0, 1],
    },
    {
      name: 'value-list-of-one',
      spec: 'SIGMA.md 1.2',
      rule: det`
        selection:
          Image|endswith:
            - '\mshta.exe'
        condition: selection
      `,
      events: [{ Image: r`C:\W\mshta.exe` }, { Image: r`C:\W\wscript.exe` }],
      matches: [0],
    },
    {
      name: 'flow-style-yaml',
      spec: 'SIGMA.md 1.1: any valid YAML (flow maps and lists)',
      rule: det`
        selection: {Image|endswith: ['\a.exe', '\b.exe'], User: bob}
        condition: selection
      `,
      events: [{ Image: r`C:\a.exe`, User: 'bob' }, { Image: r`C:\b.exe`, User: 'BOB' }, { Image: r`C:\c.exe`, User: 'bob' }, { Image: r`C:\a.exe` }],
      matches: [0, 1],
    },
    {
      name: 'rule-with-optional-metadata',
      spec: 'SIGMA.md 1.1: optional keys and unknown keys are kept and do not affect matching',
      rule: `title: Metadata does not change matching
id: 5f0b3c34-8a42-4ad7-a2e5-7a4b1a3c9f10
name: metadata_rule
status: test
description: A rule with every optional key
references:
  - https://example.org/ref
author: conformance
date: 2025-03-07
modified: 2025-03-08
tags:
  - attack.execution
  - attack.t1059
level: high
license: MIT
falsepositives:
  - Administrators
fields:
  - CommandLine
related:
  - id: 0e95725d-7320-415d-80f7-004da920fc11
    type: similar
regression_tests_path: regression_data/x/info.yml
custom_vendor_key: anything
logsource:
  category: process_creation
  product: windows
  definition: 'Requirements: Sysmon'
detection:
  selection:
    CommandLine|contains: 'vssadmin delete'
  condition: selection
`,
      events: [{ CommandLine: 'vssadmin delete shadows /all' }, { CommandLine: 'vssadmin list shadows' }],
      matches: [0],
    },
  ],
};

export const groups: ConformanceGroup[] = [structure];
