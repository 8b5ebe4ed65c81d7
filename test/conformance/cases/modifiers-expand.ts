import type { ConformanceGroup } from '../types.js';
import { det, r } from './_helpers.js';

export const group: ConformanceGroup = {
  group: 'modifiers/expand',
  cases: [
    {
      name: 'placeholder-value-list-is-or',
      spec: 'SIGMA.md 1.6 expand: %name% resolved from configuration into a value list (OR)',
      options: { placeholders: { sysdir: [r`C:\Windows\System32`, r`C:\Windows\SysWOW64`] } },
      rule: det`
        selection:
          Image|expand: '%sysdir%\cmd.exe'
        condition: selection
      `,
      events: [
        { Image: r`C:\Windows\System32\cmd.exe` },
        { Image: r`c:\windows\syswow64\CMD.EXE` },
        { Image: r`C:\Temp\cmd.exe` },
        { Image: r`%sysdir%\cmd.exe` },
      ],
      matches: [0, 1],
    },
    {
      name: 'contains-expand',
      spec: 'SIGMA.md 1.6: corpus chain contains|expand',
      options: { placeholders: { admin_tools: ['psexec', 'paexec'] } },
      rule: det`
        selection:
          CommandLine|contains|expand: '%admin_tools%'
        condition: selection
      `,
      events: [{ CommandLine: 'run PsExec.exe \\\\host' }, { CommandLine: 'paexec -s cmd' }, { CommandLine: 'winrs -r:host cmd' }],
      matches: [0, 1],
    },
    {
      name: 'placeholder-values-are-sigma-strings-with-wildcards',
      spec: 'project decision: placeholder values are Sigma strings, so wildcards in them work',
      options: { placeholders: { user_dirs: ['*\\Downloads', '*\\Desktop'] } },
      rule: det`
        selection:
          TargetFilename|expand: '%user_dirs%\payload.exe'
        condition: selection
      `,
      events: [
        { TargetFilename: r`C:\Users\bob\Downloads\payload.exe` },
        { TargetFilename: r`C:\Users\eve\Desktop\payload.exe` },
        { TargetFilename: r`C:\Users\bob\Documents\payload.exe` },
        { TargetFilename: r`C:\Users\bob\Downloads\other.exe` },
      ],
      matches: [0, 1],
    },
    {
      name: 'placeholder-with-question-mark-wildcard',
      spec: 'project decision: placeholder values are Sigma strings',
      options: { placeholders: { drive: ['?:'] } },
      rule: det`
        selection:
          Image|expand: '%drive%\Tools\x.exe'
        condition: selection
      `,
      events: [{ Image: r`C:\Tools\x.exe` }, { Image: r`D:\Tools\x.exe` }, { Image: r`CD:\Tools\x.exe` }],
      matches: [0, 1],
    },
    {
      name: 'two-placeholders-in-one-value',
      spec: 'SIGMA.md 1.6 expand: each placeholder a value list; every combination is a variant (ORed)',
      options: { placeholders: { verb: ['add', 'delete'], obj: ['user', 'group'] } },
      rule: det`
        selection:
          CommandLine|contains|expand: 'net %obj% /%verb%'
        condition: selection
      `,
      events: [
        { CommandLine: 'net user /add bob' },
        { CommandLine: 'net group /delete x' },
        { CommandLine: 'net user /delete bob' },
        { CommandLine: 'net group /add x' },
        { CommandLine: 'net localgroup /add x' },
        { CommandLine: 'net user bob' },
      ],
      matches: [0, 1, 2, 3],
    },
    {
      name: 'escaped-percent-is-literal',
      spec: 'project decision: with expand, \\% is a literal % (so no placeholder is needed)',
      rule: det`
        selection:
          Data|expand: '\%notaplaceholder\%'
        condition: selection
      `,
      events: [{ Data: '%notaplaceholder%' }, { Data: r`\%notaplaceholder\%` }, { Data: 'notaplaceholder' }],
      matches: [0],
    },
    {
      name: 'without-expand-percent-is-literal-even-with-options',
      spec: 'SIGMA.md 1.6 expand: without expand, %x% is literal',
      options: { placeholders: { temp: [r`C:\Temp`] } },
      rule: det`
        selection:
          Image: '%temp%\x.exe'
        condition: selection
      `,
      events: [{ Image: r`%temp%\x.exe` }, { Image: r`%TEMP%\X.EXE` }, { Image: r`C:\Temp\x.exe` }],
      matches: [0, 1],
    },
    {
      name: 'expansion-stays-or-grouped-under-all',
      spec: 'SIGMA.md 1.6: an expansion stays OR-grouped even under all',
      options: { placeholders: { tool: ['psexec', 'paexec'] } },
      rule: det`
        selection:
          CommandLine|contains|all|expand:
            - '%tool%'
            - ' -accepteula'
        condition: selection
      `,
      events: [
        { CommandLine: 'psexec -accepteula \\\\h cmd' },
        { CommandLine: 'paexec -accepteula \\\\h cmd' },
        { CommandLine: 'psexec \\\\h cmd' },
        { CommandLine: 'tool -accepteula' },
      ],
      matches: [0, 1],
    },
    {
      name: 'placeholder-value-list-of-one',
      spec: 'SIGMA.md 1.6 expand',
      options: { placeholders: { domain: ['corp.example'] } },
      rule: det`
        selection:
          QueryName|endswith|expand: '.%domain%'
        condition: selection
      `,
      events: [{ QueryName: 'host.CORP.example' }, { QueryName: 'corp.example' }, { QueryName: 'host.corp.example.evil' }],
      matches: [0],
    },
    {
      name: 'rule-value-list-with-placeholders',
      spec: 'SIGMA.md 1.2/1.6',
      options: { placeholders: { a: ['alpha'], b: ['beta', 'gamma'] } },
      rule: det`
        selection:
          Name|expand:
            - '%a%-1'
            - '%b%-2'
        condition: selection
      `,
      events: [{ Name: 'alpha-1' }, { Name: 'gamma-2' }, { Name: 'beta-2' }, { Name: 'alpha-2' }, { Name: 'beta-1' }],
      matches: [0, 1, 2],
    },
  ],
};
