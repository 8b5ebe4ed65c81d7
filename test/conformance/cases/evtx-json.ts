import type { ConformanceGroup } from '../types.js';
import { det, r } from './_helpers.js';

/** An evtx_dump-shaped event (SIGMA.md "Regression data"; 1.10 EVTX naming). */
function evtx(system: Record<string, unknown>, body: Record<string, unknown>): unknown {
  return {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9' } },
        EventID: 1,
        Version: 5,
        Level: 4,
        Keywords: '0x8000000000000000',
        TimeCreated: { '#attributes': { SystemTime: '2025-11-28T07:59:01.340553Z' } },
        EventRecordID: 2455038,
        Correlation: null,
        Execution: { '#attributes': { ProcessID: 3544, ThreadID: 4264 } },
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        Computer: 'ws01.corp.example',
        Security: { '#attributes': { UserID: 'S-1-5-18' } },
        ...system,
      },
      ...body,
    },
  };
}

function sysmon1(eventData: Record<string, unknown>, system: Record<string, unknown> = {}): unknown {
  return evtx(system, { EventData: { RuleName: '-', UtcTime: '2025-11-28 07:59:01.337', ...eventData } });
}

export const group: ConformanceGroup = {
  group: 'events/evtx',
  cases: [
    {
      name: 'eventdata-children-are-top-level-fields',
      spec: 'project decision: evtx_dump events behave as flat events (EventData children top-level; System EventID, Channel)',
      rule: det`
        selection:
          EventID: 1
          Channel: 'Microsoft-Windows-Sysmon/Operational'
          Image|endswith: '\cmd.exe'
          CommandLine|contains: ' /c '
        condition: selection
      `,
      events: [
        sysmon1({ Image: r`C:\Windows\System32\cmd.exe`, CommandLine: 'cmd.exe /c whoami' }),
        sysmon1({ Image: r`C:\Windows\System32\cmd.exe`, CommandLine: 'cmd.exe' }),
        sysmon1({ Image: r`C:\Windows\System32\cmd.exe`, CommandLine: 'cmd.exe /c whoami' }, { EventID: 3 }),
        { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: r`C:\x\cmd.exe`, CommandLine: 'cmd /c x' },
      ],
      matches: [0, 3],
    },
    {
      name: 'provider-name-from-attributes',
      spec: 'SIGMA.md 1.10: a System attribute becomes Tag_Attr (Provider_Name)',
      rule: det`
        selection:
          Provider_Name: 'Microsoft-Windows-Sysmon'
        condition: selection
      `,
      events: [
        sysmon1({ Image: 'x' }),
        sysmon1({ Image: 'x' }, { Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } } }),
        { Provider_Name: 'Microsoft-Windows-Sysmon' },
      ],
      matches: [0, 2],
    },
    {
      name: 'execution-process-id-from-attributes',
      spec: 'SIGMA.md 1.10: Execution_ProcessID; numbers match number rules',
      rule: det`
        selection:
          Execution_ProcessID: 4
          Execution_ThreadID|gt: 100
        condition: selection
      `,
      events: [
        sysmon1({}, { Execution: { '#attributes': { ProcessID: 4, ThreadID: 101 } } }),
        sysmon1({}, { Execution: { '#attributes': { ProcessID: 4, ThreadID: 99 } } }),
        sysmon1({}),
      ],
      matches: [0],
    },
    {
      name: 'text-and-attributes-child',
      spec: 'project decision: a System child {"#text": v, "#attributes": {...}} gives <Child>: v (and <Child>_<Attr>)',
      rule: det`
        selection:
          EventID: 4688
          EventID_Qualifiers: 0
          Channel: Security
        condition: selection
      `,
      events: [
        evtx(
          {
            Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } },
            EventID: { '#text': 4688, '#attributes': { Qualifiers: 0 } },
            Channel: 'Security',
          },
          { EventData: { NewProcessName: r`C:\x.exe` } },
        ),
        evtx(
          {
            Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } },
            EventID: { '#text': 4624, '#attributes': { Qualifiers: 0 } },
            Channel: 'Security',
          },
          { EventData: { TargetUserName: 'bob' } },
        ),
      ],
      matches: [0],
    },
    {
      name: 'userdata-child-children-are-fields',
      spec: 'project decision: UserData has one child element whose children become top-level fields',
      rule: det`
        selection:
          EventID: 1102
          SubjectUserName: 'eve'
        condition: selection
      `,
      events: [
        evtx(
          { Provider: { '#attributes': { Name: 'Microsoft-Windows-Eventlog' } }, EventID: 1102, Channel: 'Security' },
          { UserData: { LogFileCleared: { SubjectUserSid: 'S-1-5-21-1', SubjectUserName: 'eve', SubjectDomainName: 'CORP' } } },
        ),
        evtx(
          { Provider: { '#attributes': { Name: 'Microsoft-Windows-Eventlog' } }, EventID: 1102, Channel: 'Security' },
          { UserData: { LogFileCleared: { SubjectUserSid: 'S-1-5-21-2', SubjectUserName: 'bob', SubjectDomainName: 'CORP' } } },
        ),
      ],
      matches: [0],
    },
    {
      name: 'time-created-system-time',
      spec: 'SIGMA.md 1.10 (TimeCreated_SystemTime); project decision: time parts',
      rule: det`
        selection:
          TimeCreated_SystemTime|hour: 7
          Computer|startswith: 'ws01'
        condition: selection
      `,
      events: [sysmon1({}), sysmon1({}, { TimeCreated: { '#attributes': { SystemTime: '2025-11-28T17:59:01.340553Z' } } }), sysmon1({}, { Computer: 'dc01' })],
      matches: [0],
    },
    {
      name: 'security-user-id',
      spec: 'SIGMA.md 1.10: System attribute Tag_Attr (Security_UserID)',
      rule: det`
        selection:
          Security_UserID: 'S-1-5-18'
        condition: selection
      `,
      events: [sysmon1({}), sysmon1({}, { Security: { '#attributes': { UserID: 'S-1-5-21-5' } } })],
      matches: [0],
    },
    {
      name: 'keywords-see-eventdata-values',
      spec: 'SIGMA.md decisions: keywords against every string or number leaf',
      rule: det`
        keywords:
          - 'setup_bun.js'
        condition: keywords
      `,
      events: [
        sysmon1({ Image: r`C:\Windows\System32\cmd.exe`, CommandLine: r`C:\WINDOWS\system32\cmd.exe /d /s /c node setup_bun.js` }),
        sysmon1({ Image: r`C:\Windows\System32\cmd.exe`, CommandLine: 'node index.js' }),
      ],
      matches: [0],
    },
    {
      name: 'eventdata-number-values',
      spec: 'SIGMA.md decisions: numbers (ProcessId is a JSON number in evtx_dump output)',
      rule: det`
        by_number:
          ProcessId: 6180
        by_string:
          ParentProcessId: '4321'
        condition: by_number and by_string
      `,
      events: [
        sysmon1({ ProcessId: 6180, ParentProcessId: 4321 }),
        sysmon1({ ProcessId: 6181, ParentProcessId: 4321 }),
        sysmon1({ ProcessId: '6180', ParentProcessId: '4321' }),
      ],
      matches: [0, 2],
    },
    {
      name: 'eventdata-null-and-missing',
      spec: 'SIGMA.md 1.8 null/absent on flattened fields',
      rule: det`
        selection:
          EventID: 1
        filter_null:
          OriginalFileName: null
        condition: selection and not filter_null
      `,
      events: [
        sysmon1({ OriginalFileName: 'Cmd.Exe' }),
        sysmon1({ OriginalFileName: null }),
        sysmon1({ Image: 'x' }),
      ],
      matches: [0],
    },
    {
      name: 'system-correlation-null-child',
      spec: 'project decision: plain System children become fields (here "Correlation": null)',
      rule: det`
        selection:
          Correlation|exists: true
          Level: 4
        condition: selection
      `,
      events: [sysmon1({}), sysmon1({}, { Level: 2 })],
      matches: [0],
    },
  ],
};
