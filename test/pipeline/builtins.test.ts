/**
 * The built-in pipelines with the reference evaluator: which events each rule meets under sysmon, windows, both, and
 * ecs-windows (with ECS documents written here by hand, as Winlogbeat ships them).
 */
import { describe, expect, test } from 'vitest';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import { BUILTIN_PIPELINES, builtinPipeline, builtinPipelines } from '../../src/pipeline/builtins.js';
import type { Pipeline } from '../../src/pipeline/model.js';
import { parsePipeline } from '../../src/pipeline/parse.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { rules, yml } from './support.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

const RULES = rules(yml`
  title: proc_whoami
  logsource: {category: process_creation, product: windows}
  detection:
    sel:
      Image|endswith: '\whoami.exe'
    condition: sel
  ---
  title: proc_cmdline
  logsource: {category: process_creation, product: windows}
  detection:
    sel:
      CommandLine|contains: 'whoami /priv'
    condition: sel
  ---
  title: proc_system_cmd
  logsource: {category: process_creation, product: windows}
  detection:
    sel:
      Image|endswith: '\cmd.exe'
      User|contains: [AUTHORI, AUTORI]
      IntegrityLevel: [System, S-1-16-16384]
    filter:
      ParentImage|endswith: '\services.exe'
    condition: sel and not filter
  ---
  title: file_whoami
  logsource: {category: file_event, product: windows}
  detection:
    sel:
      Image|endswith: '\whoami.exe'
    condition: sel
  ---
  title: dns_evil
  logsource: {category: dns_query, product: windows}
  detection:
    sel:
      QueryName|endswith: '.evil.example'
    condition: sel
  ---
  title: reg_run
  logsource: {category: registry_set, product: windows}
  detection:
    sel:
      TargetObject|contains: '\CurrentVersion\Run\'
    condition: sel
  ---
  title: net_4444
  logsource: {category: network_connection, product: windows}
  detection:
    sel:
      DestinationPort: 4444
      Initiated: 'true'
    condition: sel
  ---
  title: sec_rdp_logon
  logsource: {product: windows, service: security}
  detection:
    sel:
      EventID: 4624
      LogonType: 10
    condition: sel
  ---
  title: sys_service_install
  logsource: {product: windows, service: system}
  detection:
    sel:
      Provider_Name: Service Control Manager
      EventID: 7045
    condition: sel
  ---
  title: ps_mimikatz
  logsource: {category: ps_script, product: windows}
  detection:
    sel:
      ScriptBlockText|contains: Invoke-Mimikatz
    condition: sel
  ---
  title: linux_whoami
  logsource: {category: process_creation, product: linux}
  detection:
    sel:
      Image|endswith: '/whoami'
    condition: sel
`);

/** Flat events as evtx_dump + sigmatch's evtx reading (or a Sysmon NDJSON shipper) give them. */
const EVENTS: Record<string, Record<string, unknown>> = {
  sysmon1_whoami: {
    Channel: SYSMON, EventID: 1, Provider_Name: 'Microsoft-Windows-Sysmon', Computer: 'ws1.corp.example',
    Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /priv', User: 'CORP\\alice', IntegrityLevel: 'Medium',
    ParentImage: 'C:\\Windows\\System32\\cmd.exe', ParentCommandLine: 'cmd.exe', OriginalFileName: 'whoami.exe',
  },
  sysmon1_system_cmd: {
    Channel: SYSMON, EventID: 1, Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd.exe /c ver', User: 'NT AUTHORITY\\SYSTEM',
    IntegrityLevel: 'System', ParentImage: 'C:\\Temp\\evil.exe',
  },
  sysmon11_whoami: { Channel: SYSMON, EventID: 11, Image: 'C:\\Windows\\System32\\whoami.exe', TargetFilename: 'C:\\Temp\\out.txt', User: 'CORP\\alice' },
  sysmon22_whoami: { Channel: SYSMON, EventID: 22, Image: 'C:\\Windows\\System32\\whoami.exe', QueryName: 'c2.evil.example', CommandLine: 'whoami /priv' },
  sysmon13_run: { Channel: SYSMON, EventID: 13, Image: 'C:\\Temp\\evil.exe', TargetObject: 'HKU\\S-1-5-21\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\evil', Details: 'C:\\Temp\\evil.exe' },
  sysmon3_4444: { Channel: SYSMON, EventID: 3, Image: 'C:\\Temp\\evil.exe', DestinationIp: '203.0.113.7', DestinationPort: 4444, Initiated: 'true', Protocol: 'tcp' },
  security4688_whoami: {
    Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /priv',
    ParentProcessName: 'C:\\Windows\\System32\\cmd.exe', SubjectUserName: 'alice', SubjectDomainName: 'CORP', MandatoryLabel: 'S-1-16-8192',
    NewProcessId: '0x1a2c', ProcessId: '0x1b00',
  },
  security4688_system_cmd: {
    Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd.exe /c ver',
    ParentProcessName: 'C:\\Temp\\evil.exe', SubjectUserName: 'LOCAL SERVICE', SubjectDomainName: 'NT AUTHORITY', MandatoryLabel: 'S-1-16-16384',
  },
  security4688_system_cmd_from_services: {
    Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\cmd.exe', ParentProcessName: 'C:\\Windows\\System32\\services.exe',
    SubjectUserName: 'LOCAL SERVICE', SubjectDomainName: 'NT AUTHORITY', MandatoryLabel: 'S-1-16-16384',
  },
  security4624_rdp: { Channel: 'Security', EventID: 4624, LogonType: 10, TargetUserName: 'alice', TargetDomainName: 'CORP', IpAddress: '198.51.100.4' },
  system_4624_lookalike: { Channel: 'System', EventID: 4624, LogonType: 10 },
  system7045: { Channel: 'System', EventID: 7045, Provider_Name: 'Service Control Manager', ServiceName: 'evil', ImagePath: 'C:\\Temp\\evil.exe' },
  powershell4104: { Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4104, ScriptBlockText: 'IEX (New-Object Net.WebClient); Invoke-Mimikatz -DumpCreds', ScriptBlockId: 'b1' },
  powershell4104_core: { Channel: 'PowerShellCore/Operational', EventID: 4104, ScriptBlockText: 'Invoke-Mimikatz' },
  sysmon1_as_4104: { Channel: SYSMON, EventID: 4104, ScriptBlockText: 'Invoke-Mimikatz' },
  /** The same Sysmon process creation as evtx_dump writes it. */
  evtx_sysmon1_whoami: {
    Event: {
      System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, EventID: 1, Channel: SYSMON, Computer: 'ws1' },
      EventData: { Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /priv', User: 'CORP\\alice' },
    },
  },
};

function hits(ruleSet: readonly SigmaRule[], events: Record<string, unknown>): Record<string, string[]> {
  const evaluator = new ReferenceEvaluator(ruleSet);
  const out: Record<string, string[]> = {};
  for (const [name, event] of Object.entries(events)) {
    for (const m of evaluator.match(event)) (out[m.rule.title] ??= []).push(name);
  }
  return out;
}

function withPipelines(names: string[]): SigmaRule[] {
  const ps: Pipeline[] = names.flatMap((n) => builtinPipelines(n));
  const r = applyPipelines(RULES, ps);
  expect(r.errors).toEqual([]);
  return r.rules;
}

describe('the built-ins', () => {
  test('parse with the pipeline parser; names, priorities, what they bring', () => {
    for (const b of BUILTIN_PIPELINES) {
      const { pipeline, errors } = parsePipeline(b.text, b.name);
      expect(errors).toEqual([]);
      expect(pipeline!.name).toBe(b.name);
    }
    expect(BUILTIN_PIPELINES.map((b) => [b.name, builtinPipeline(b.name).priority])).toEqual([['sysmon', 10], ['windows', 10], ['ecs-windows', 20]]);
    expect(builtinPipelines('ecs-windows').map((p) => p.name)).toEqual(['sysmon', 'windows', 'ecs-windows']);
  });

  test('sysmon: every category of the taxonomy table to its Sysmon event ids', () => {
    const table = builtinPipeline('sysmon').items.map((i) => {
      const cond = i.ruleConditions.conditions[0].condition as { category: string; product: string };
      const t = i.transformation as { detection: { root: { children: { field: string; values: readonly { value: unknown }[] }[] } } };
      const eid = t.detection.root.children.find((c) => c.field === 'EventID')!.values.map((v) => v.value);
      const channel = t.detection.root.children.find((c) => c.field === 'Channel')!.values.map((v) => String(v.value));
      expect(cond.product).toBe('windows');
      expect(channel).toEqual([SYSMON]);
      return [cond.category, eid.join(',')];
    });
    expect(Object.fromEntries(table)).toEqual({
      process_creation: '1', file_change: '2', network_connection: '3', sysmon_status: '4,16', process_termination: '5', driver_load: '6',
      image_load: '7', create_remote_thread: '8', raw_access_thread: '9', process_access: '10', file_event: '11', registry_add: '12',
      registry_delete: '12', registry_set: '13', registry_rename: '14', registry_event: '12,13,14', create_stream_hash: '15',
      pipe_created: '17,18', wmi_event: '19,20,21', dns_query: '22', file_delete: '23,26', clipboard_capture: '24', process_tampering: '25',
      file_delete_detected: '26', file_block_executable: '27', file_block_shredding: '28', file_executable_detected: '29', sysmon_error: '255',
    });
  });

  test('windows: the services of the taxonomy appendix and thor.yml to their channels', () => {
    const services = Object.fromEntries(
      builtinPipeline('windows')
        .items.filter((i) => i.id?.startsWith('windows_service_'))
        .map((i) => {
          const cond = i.ruleConditions.conditions[0].condition as { service: string };
          const t = i.transformation as { detection: { root: { field: string; values: readonly { value: unknown }[] } } };
          return [cond.service, t.detection.root.values.map((v) => String(v.value))];
        }),
    );
    expect(services).toMatchObject({
      security: ['Security'],
      system: ['System'],
      application: ['Application'],
      powershell: ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'],
      'powershell-classic': ['Windows PowerShell'],
      sysmon: [SYSMON],
      windefend: ['Microsoft-Windows-Windows Defender/Operational'],
      applocker: [
        'Microsoft-Windows-AppLocker/MSI and Script',
        'Microsoft-Windows-AppLocker/EXE and DLL',
        'Microsoft-Windows-AppLocker/Packaged app-Deployment',
        'Microsoft-Windows-AppLocker/Packaged app-Execution',
      ],
      taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
      wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
      'dns-server': ['DNS Server'],
      'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
      'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
      'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
      'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
      ntlm: ['Microsoft-Windows-NTLM/Operational'],
      'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
      'msexchange-management': ['MSExchange Management'],
      'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
      'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
      'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
      'terminalservices-localsessionmanager': ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
      openssh: ['OpenSSH/Operational'],
      ldap: ['Microsoft-Windows-LDAP-Client/Debug'],
    });
    expect(Object.keys(services)).toHaveLength(50);
  });
});

describe('which events each rule meets', () => {
  const events = EVENTS;
  // Without a pipeline: log sources are not checked, so rules fire on any event with matching fields.
  test('no pipeline: every rule meets every event', () => {
    const h = hits(RULES, events);
    expect(h.proc_whoami).toEqual(['sysmon1_whoami', 'sysmon11_whoami', 'sysmon22_whoami', 'evtx_sysmon1_whoami']);
    expect(h.sec_rdp_logon).toEqual(['security4624_rdp', 'system_4624_lookalike']);
  });

  test('sysmon: Sysmon categories meet only their Sysmon events; services stay unrouted', () => {
    const h = hits(withPipelines(['sysmon']), events);
    expect(h).toEqual({
      proc_whoami: ['sysmon1_whoami', 'evtx_sysmon1_whoami'],
      proc_cmdline: ['sysmon1_whoami', 'evtx_sysmon1_whoami'],
      proc_system_cmd: ['sysmon1_system_cmd'],
      file_whoami: ['sysmon11_whoami'],
      dns_evil: ['sysmon22_whoami'],
      reg_run: ['sysmon13_run'],
      net_4444: ['sysmon3_4444'],
      // unrouted under sysmon alone:
      sec_rdp_logon: ['security4624_rdp', 'system_4624_lookalike'],
      sys_service_install: ['system7045'],
      ps_mimikatz: ['powershell4104', 'powershell4104_core', 'sysmon1_as_4104'],
    });
  });

  test('sysmon + windows: a process_creation rule meets Sysmon 1 and Security 4688, nothing else; services meet their channel only', () => {
    const h = hits(withPipelines(['sysmon', 'windows']), events);
    expect(h).toEqual({
      proc_whoami: ['sysmon1_whoami', 'security4688_whoami', 'evtx_sysmon1_whoami'],
      proc_cmdline: ['sysmon1_whoami', 'security4688_whoami', 'evtx_sysmon1_whoami'],
      // 4688: User|contains AUTHORI via SubjectDomainName, IntegrityLevel via MandatoryLabel, the filter via ParentProcessName
      proc_system_cmd: ['sysmon1_system_cmd', 'security4688_system_cmd'],
      file_whoami: ['sysmon11_whoami'],
      dns_evil: ['sysmon22_whoami'],
      reg_run: ['sysmon13_run'],
      net_4444: ['sysmon3_4444'],
      sec_rdp_logon: ['security4624_rdp'],
      sys_service_install: ['system7045'],
      ps_mimikatz: ['powershell4104', 'powershell4104_core'],
    });
  });

  test('the order of sysmon and windows does not matter', () => {
    expect(hits(withPipelines(['windows', 'sysmon']), events)).toEqual(hits(withPipelines(['sysmon', 'windows']), events));
  });

  test('windows alone: 4688 fires the process_creation rule; its Sysmon form stays unrouted (add sysmon to route it)', () => {
    const h = hits(withPipelines(['windows']), events);
    expect(h.proc_whoami).toEqual(['sysmon1_whoami', 'sysmon11_whoami', 'sysmon22_whoami', 'security4688_whoami', 'evtx_sysmon1_whoami']);
    expect(h.sec_rdp_logon).toEqual(['security4624_rdp']);
    expect(h.ps_mimikatz).toEqual(['powershell4104', 'powershell4104_core']);
  });

  test('routed and unrouted counts', () => {
    expect(applyPipelines(RULES, [...builtinPipelines('sysmon'), ...builtinPipelines('windows')])).toMatchObject({ routed: 10, unrouted: 1 });
    expect(applyPipelines(RULES, builtinPipelines('sysmon'))).toMatchObject({ routed: 7, unrouted: 4 });
    expect(applyPipelines(RULES, builtinPipelines('windows'))).toMatchObject({ routed: 3, unrouted: 8 });
    expect(applyPipelines(RULES, builtinPipelines('ecs-windows'))).toMatchObject({ routed: 10, unrouted: 1 });
  });
});

/** The same events as Winlogbeat (7+) ships them: ECS fields, winlog.event_data for the rest. Written by hand. */
const ECS_EVENTS: Record<string, Record<string, unknown>> = {
  sysmon1_whoami: {
    event: { code: '1', provider: 'Microsoft-Windows-Sysmon' },
    winlog: { channel: SYSMON, event_id: 1, provider_name: 'Microsoft-Windows-Sysmon', computer_name: 'ws1.corp.example', event_data: { IntegrityLevel: 'Medium' } },
    process: {
      executable: 'C:\\Windows\\System32\\whoami.exe', command_line: 'whoami /priv', pe: { original_file_name: 'whoami.exe' },
      parent: { executable: 'C:\\Windows\\System32\\cmd.exe', command_line: 'cmd.exe' },
    },
    user: { name: 'CORP\\alice' },
    host: { name: 'ws1' },
  },
  sysmon1_system_cmd: {
    event: { code: '1' },
    winlog: { channel: SYSMON, event_id: 1, event_data: { IntegrityLevel: 'System' } },
    process: { executable: 'C:\\Windows\\System32\\cmd.exe', command_line: 'cmd.exe /c ver', parent: { executable: 'C:\\Temp\\evil.exe' } },
    user: { name: 'NT AUTHORITY\\SYSTEM' },
  },
  sysmon11_whoami: { event: { code: '11' }, winlog: { channel: SYSMON, event_id: 11 }, process: { executable: 'C:\\Windows\\System32\\whoami.exe' }, file: { path: 'C:\\Temp\\out.txt' }, user: { name: 'CORP\\alice' } },
  sysmon22_whoami: {
    event: { code: '22' },
    winlog: { channel: SYSMON, event_id: 22, event_data: { CommandLine: 'whoami /priv' } },
    process: { executable: 'C:\\Windows\\System32\\whoami.exe' },
    dns: { question: { name: 'c2.evil.example' } },
  },
  sysmon13_run: {
    event: { code: '13' },
    winlog: { channel: SYSMON, event_id: 13, event_data: { Details: 'C:\\Temp\\evil.exe' } },
    process: { executable: 'C:\\Temp\\evil.exe' },
    registry: { path: 'HKU\\S-1-5-21\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\evil' },
  },
  sysmon3_4444: {
    event: { code: '3' },
    winlog: { channel: SYSMON, event_id: 3, event_data: { Initiated: 'true' } },
    process: { executable: 'C:\\Temp\\evil.exe' },
    destination: { ip: '203.0.113.7', port: 4444 },
    network: { transport: 'tcp' },
  },
  security4688_whoami: {
    event: { code: '4688' },
    winlog: { channel: 'Security', event_id: '4688', event_data: { MandatoryLabel: 'S-1-16-8192' } },
    process: { executable: 'C:\\Windows\\System32\\whoami.exe', command_line: 'whoami /priv', pid: '0x1a2c', parent: { executable: 'C:\\Windows\\System32\\cmd.exe', pid: '0x1b00' } },
    user: { name: 'alice', domain: 'CORP' },
  },
  security4688_system_cmd: {
    event: { code: '4688' },
    winlog: { channel: 'Security', event_id: 4688, event_data: { MandatoryLabel: 'S-1-16-16384' } },
    process: { executable: 'C:\\Windows\\System32\\cmd.exe', command_line: 'cmd.exe /c ver', parent: { executable: 'C:\\Temp\\evil.exe' } },
    user: { name: 'LOCAL SERVICE', domain: 'NT AUTHORITY' },
  },
  security4688_system_cmd_from_services: {
    event: { code: '4688' },
    winlog: { channel: 'Security', event_id: 4688, event_data: { MandatoryLabel: 'S-1-16-16384' } },
    process: { executable: 'C:\\Windows\\System32\\cmd.exe', parent: { executable: 'C:\\Windows\\System32\\services.exe' } },
    user: { name: 'LOCAL SERVICE', domain: 'NT AUTHORITY' },
  },
  security4624_rdp: {
    event: { code: '4624' },
    winlog: { channel: 'Security', event_id: 4624, event_data: { LogonType: 10 } },
    user: { target: { name: 'alice', domain: 'CORP' } },
    source: { ip: '198.51.100.4' },
  },
  system_4624_lookalike: { event: { code: '4624' }, winlog: { channel: 'System', event_id: 4624, event_data: { LogonType: 10 } } },
  system7045: {
    event: { code: '7045' },
    winlog: { channel: 'System', event_id: 7045, provider_name: 'Service Control Manager', event_data: { ServiceName: 'evil', ImagePath: 'C:\\Temp\\evil.exe' } },
  },
  powershell4104: {
    event: { code: '4104' },
    winlog: { channel: 'Microsoft-Windows-PowerShell/Operational', event_id: 4104 },
    powershell: { file: { script_block_text: 'IEX (New-Object Net.WebClient); Invoke-Mimikatz -DumpCreds', script_block_id: 'b1' } },
  },
  powershell4104_core: { event: { code: '4104' }, winlog: { channel: 'PowerShellCore/Operational', event_id: 4104 }, powershell: { file: { script_block_text: 'Invoke-Mimikatz' } } },
  sysmon1_as_4104: { event: { code: '4104' }, winlog: { channel: SYSMON, event_id: 4104 }, powershell: { file: { script_block_text: 'Invoke-Mimikatz' } } },
  /** Dotted keys, as some shippers flatten ECS documents: looked up as literal keys first. */
  evtx_sysmon1_whoami: {
    'event.code': '1',
    'winlog.channel': SYSMON,
    'process.executable': 'C:\\Windows\\System32\\whoami.exe',
    'process.command_line': 'whoami /priv',
    'user.name': 'CORP\\alice',
  },
};

describe('ecs-windows', () => {
  test('ECS documents produce the same hits with ecs-windows as the flat events with sysmon + windows', () => {
    const flat = hits(withPipelines(['sysmon', 'windows']), EVENTS);
    const ecs = hits(withPipelines(['ecs-windows']), ECS_EVENTS);
    expect(ecs).toEqual(flat);
    expect(Object.values(ecs).flat().length).toBe(16);
  });

  test('the Sysmon-named flat events do not match under ecs-windows (the names are ECS names now)', () => {
    const ecsRules = withPipelines(['ecs-windows']).filter((r) => r.logsource.product === 'windows');
    expect(hits(ecsRules, EVENTS)).toEqual({});
  });

  test('routes test winlog.channel and winlog.event_id / event.code', () => {
    const proc = withPipelines(['ecs-windows']).find((r) => r.title === 'proc_whoami')!;
    const routeFields = proc.detections
      .filter((d) => d.name.startsWith('_pipeline_'))
      .map((d) => JSON.stringify(d.root, (k, v) => (k === 'loc' || k === 'values' || k === 'modifiers' ? undefined : v)));
    expect(routeFields.join(' ')).toMatch(/winlog\.channel.*winlog\.event_id.*event\.code/);
    // Image (Sysmon) and NewProcessName (4688) are both process.executable in ECS: the two forms share "sel".
    expect(proc.detections.map((d) => d.name)).toEqual(['sel', '_pipeline_sysmon_process_creation', '_pipeline_security_4688_event']);
  });
});
