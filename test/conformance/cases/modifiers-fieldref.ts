import type { ConformanceGroup } from '../types.js';
import { det, r } from './_helpers.js';

export const group: ConformanceGroup = {
  group: 'modifiers/fieldref',
  cases: [
    {
      name: 'equality-with-other-field',
      spec: 'SIGMA.md 1.6 fieldref (corpus: User|fieldref: ParentUser); project decision: case-insensitive string forms',
      rule: det`
        selection:
          User|fieldref: ParentUser
        condition: selection
      `,
      events: [
        { User: r`CORP\bob`, ParentUser: r`CORP\bob` },
        { User: r`CORP\BOB`, ParentUser: r`corp\bob` },
        { User: r`CORP\bob`, ParentUser: r`CORP\alice` },
        { User: r`CORP\bob` },
        { ParentUser: r`CORP\bob` },
        {},
      ],
      matches: [0, 1],
    },
    {
      name: 'referenced-value-is-literal-not-a-pattern',
      spec: 'SIGMA.md 1.6 fieldref compares field values; the other value is not parsed for wildcards',
      rule: det`
        selection:
          User|fieldref: ParentUser
        condition: selection
      `,
      events: [
        { User: 'bob', ParentUser: '*' },
        { User: '*', ParentUser: '*' },
        { User: 'bob', ParentUser: 'b?b' },
        { User: 'a\\*b', ParentUser: 'a\\*b' },
      ],
      matches: [1, 3],
    },
    {
      name: 'fieldref-contains',
      spec: 'SIGMA.md 1.6 fieldref with contains',
      rule: det`
        selection:
          CommandLine|fieldref|contains: TargetUser
        condition: selection
      `,
      events: [
        { CommandLine: 'net user eve /add', TargetUser: 'EVE' },
        { CommandLine: 'net user eve /add', TargetUser: 'mallory' },
        { CommandLine: 'net user eve /add' },
      ],
      matches: [0],
    },
    {
      name: 'fieldref-startswith',
      spec: 'SIGMA.md 1.6 fieldref with startswith',
      rule: det`
        selection:
          TargetFilename|fieldref|startswith: CurrentDirectory
        condition: selection
      `,
      events: [
        { TargetFilename: r`C:\Work\out\x.dll`, CurrentDirectory: 'C:\\Work\\' },
        { TargetFilename: r`D:\C:\Work\x.dll`, CurrentDirectory: r`C:\Work` },
        { TargetFilename: r`c:\work\y.dll`, CurrentDirectory: r`C:\WORK` },
      ],
      matches: [0, 2],
    },
    {
      name: 'fieldref-endswith',
      spec: 'SIGMA.md 1.6 fieldref with endswith',
      rule: det`
        selection:
          Image|fieldref|endswith: OriginalFileName
        condition: selection
      `,
      events: [
        { Image: r`C:\x\Cmd.exe`, OriginalFileName: 'cmd.exe' },
        { Image: r`C:\x\renamed.exe`, OriginalFileName: 'cmd.exe' },
        { Image: r`C:\x\cmd.exe.bak`, OriginalFileName: 'cmd.exe' },
      ],
      matches: [0],
    },
    {
      name: 'number-and-decimal-string-are-equal',
      spec: 'project decision: fieldref compares string forms',
      rule: det`
        selection:
          SourcePort|fieldref: DestinationPort
        condition: selection
      `,
      events: [
        { SourcePort: 443, DestinationPort: '443' },
        { SourcePort: 443, DestinationPort: 443 },
        { SourcePort: 443, DestinationPort: 4430 },
        { SourcePort: '0443', DestinationPort: 443 },
      ],
      matches: [0, 1],
    },
    {
      name: 'arrays-any-element-against-any-element',
      spec: 'project decision: fieldref on arrays compares any element with any element',
      rule: det`
        selection:
          Recipients|fieldref: Senders
        condition: selection
      `,
      events: [
        { Recipients: ['a@x', 'b@x'], Senders: ['c@x', 'B@X'] },
        { Recipients: ['a@x'], Senders: 'a@x' },
        { Recipients: 'c@x', Senders: ['a@x', 'c@x'] },
        { Recipients: ['a@x', 'b@x'], Senders: ['c@x', 'd@x'] },
        { Recipients: [], Senders: [] },
      ],
      matches: [0, 1, 2],
    },
    {
      name: 'nested-paths-on-both-sides',
      spec: 'SIGMA.md decisions: dotted names; 1.6 fieldref',
      rule: det`
        selection:
          source.user.name|fieldref: destination.user.name
        condition: selection
      `,
      events: [
        { source: { user: { name: 'root' } }, destination: { user: { name: 'root' } } },
        { source: { user: { name: 'root' } }, destination: { user: { name: 'admin' } } },
        { source: { user: { name: 'root' } }, 'destination.user.name': 'ROOT' },
        { source: { user: { name: 'root' } } },
      ],
      matches: [0, 2],
    },
    {
      name: 'fieldref-value-list-is-or',
      spec: 'SIGMA.md 1.2/1.6',
      rule: det`
        selection:
          User|fieldref:
            - ParentUser
            - TargetUser
        condition: selection
      `,
      events: [
        { User: 'a', ParentUser: 'a', TargetUser: 'b' },
        { User: 'b', ParentUser: 'a', TargetUser: 'b' },
        { User: 'c', ParentUser: 'a', TargetUser: 'b' },
        { User: 'b', TargetUser: 'b' },
      ],
      matches: [0, 1, 3],
    },
    {
      name: 'not-fieldref',
      spec: 'SIGMA.md 1.6 fieldref with 1.5 not; missing field = no match, so not is true',
      rule: det`
        selection:
          EventID: 4624
        same:
          TargetUserName|fieldref: SubjectUserName
        condition: selection and not same
      `,
      events: [
        { EventID: 4624, TargetUserName: 'a', SubjectUserName: 'b' },
        { EventID: 4624, TargetUserName: 'a', SubjectUserName: 'A' },
        { EventID: 4624, TargetUserName: 'a' },
        { EventID: 4625, TargetUserName: 'a', SubjectUserName: 'b' },
      ],
      matches: [0, 2],
    },
  ],
};
