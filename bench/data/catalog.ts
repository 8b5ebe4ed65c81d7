/**
 * Static vocabulary of the synthetic fleet: people, binaries, DLLs, domains, registry keys, file locations.
 * All values are invented for this generator (no rule or event text from SigmaHQ); they are shaped like what a
 * Windows 10/11 + Server fleet with Sysmon writes.
 */

export const DOMAIN = 'CORP';
export const DNS_SUFFIX = 'corp.example.com';
export const DOMAIN_SID = 'S-1-5-21-3623811015-3361044348-30300820';

/** Account names of the people in the fleet; some with non-ASCII characters, as real directories have. */
export const PEOPLE: readonly string[] = [
  'alice.nguyen', 'bob.smith', 'carlos.ruiz', 'José', 'jürgen.müller', 'françoise.dubois', 'søren.nielsen',
  'zoë.adams', 'łukasz.kowalski', '王伟', 'ahmed.khan', 'priya.sharma', 'olga.ivanova', 'kim.minjun',
  'yuki.tanaka', 'emma.johnson', 'liam.brown', 'noah.davis', 'mia.wilson', 'ethan.moore', 'ava.taylor',
  'chloé.martin', 'matías.fernández', 'björn.andersson', 'ana.souza', 'mehmet.yılmaz', 'dimitris.papadopoulos',
  'sarah.cohen', 'tom.becker', 'lena.schmidt',
];

export const ADMINS: readonly string[] = ['adm.jdoe', 'adm.kwalker', 'Administrator'];
export const SERVICE_ACCOUNTS: readonly string[] = ['svc_backup', 'svc_sql', 'svc_sccm', 'svc_web'];

/** Servers (the rest of the fleet are workstations named WS-NNNN). */
export const SERVERS: readonly string[] = [
  'DC01', 'DC02', 'FS01', 'SQL01', 'WEB01', 'EXCH01', 'APP01', 'APP02', 'SCCM01', 'PRINT01',
];

/** Windows build strings for FileVersion, by OS family. */
export const WIN_VERSION = '10.0.22621.3085 (WinBuild.160101.0800)';
export const WIN_PRODUCT = 'Microsoft® Windows® Operating System';
export const MS_COMPANY = 'Microsoft Corporation';

export interface BinaryDef {
  /** Short key used by parent lists and pickers. */
  key: string;
  /** Full image path; `{profile}` is replaced by the user's profile directory. */
  path: string;
  originalFileName: string;
  description: string;
  product: string;
  company: string;
  fileVersion: string;
  /** Who usually runs it. */
  runAs: 'user' | 'system' | 'localservice' | 'networkservice';
  integrity: 'Low' | 'Medium' | 'High' | 'System';
  /** Keys of usual parents (the first is the most common). */
  parents: readonly string[];
  /** Command line templates: `{image}` is the image path, `{profile}` the profile, `{user}` the account name. */
  commands: readonly string[];
  /** Code signature subject. */
  signer: string;
  /** Relative weight among process creations. */
  spawnWeight: number;
  /** Weight as the process behind network, DNS, file, registry and image-load events. */
  activityWeight: number;
}

const MS = (
  key: string,
  path: string,
  originalFileName: string,
  description: string,
  runAs: BinaryDef['runAs'],
  integrity: BinaryDef['integrity'],
  parents: string[],
  commands: string[],
  spawnWeight: number,
  activityWeight: number,
): BinaryDef => ({
  key,
  path,
  originalFileName,
  description,
  product: WIN_PRODUCT,
  company: MS_COMPANY,
  fileVersion: WIN_VERSION,
  runAs,
  integrity,
  parents,
  commands,
  signer: 'Microsoft Windows',
  spawnWeight,
  activityWeight,
});

const APP = (
  key: string,
  path: string,
  originalFileName: string,
  description: string,
  product: string,
  company: string,
  fileVersion: string,
  signer: string,
  parents: string[],
  commands: string[],
  spawnWeight: number,
  activityWeight: number,
  runAs: BinaryDef['runAs'] = 'user',
): BinaryDef => ({
  key,
  path,
  originalFileName,
  description,
  product,
  company,
  fileVersion,
  runAs,
  integrity: runAs === 'user' ? 'Medium' : 'System',
  parents,
  commands,
  signer,
  spawnWeight,
  activityWeight,
});

const CHROME_DIR = 'C:\\Program Files\\Google\\Chrome\\Application';
const EDGE_DIR = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application';
const OFFICE_DIR = 'C:\\Program Files\\Microsoft Office\\root\\Office16';
const DEFENDER_DIR = 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24010.12-0';

export const BINARIES: readonly BinaryDef[] = [
  MS('svchost', 'C:\\Windows\\System32\\svchost.exe', 'svchost.exe', 'Host Process for Windows Services', 'system', 'System',
    ['services'],
    ['C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule', 'C:\\Windows\\system32\\svchost.exe -k LocalServiceNetworkRestricted -p -s lmhosts',
      'C:\\Windows\\System32\\svchost.exe -k NetworkService -p -s Dnscache', 'C:\\Windows\\system32\\svchost.exe -k UnistackSvcGroup -s CDPUserSvc_{hex5}',
      'C:\\Windows\\system32\\svchost.exe -k wsappx -p -s ClipSVC', 'C:\\Windows\\System32\\svchost.exe -k netsvcs -p -s BITS',
      'C:\\Windows\\system32\\svchost.exe -k LocalSystemNetworkRestricted -p -s DeviceAssociationService'],
    4, 10),
  MS('services', 'C:\\Windows\\System32\\services.exe', 'services.exe', 'Services and Controller app', 'system', 'System',
    ['wininit'], ['C:\\Windows\\system32\\services.exe'], 0, 0.2),
  MS('wininit', 'C:\\Windows\\System32\\wininit.exe', 'wininit.exe', 'Windows Start-Up Application', 'system', 'System',
    ['smss'], ['wininit.exe'], 0, 0),
  MS('smss', 'C:\\Windows\\System32\\smss.exe', 'smss.exe', 'Windows Session Manager', 'system', 'System',
    ['system'], ['\\SystemRoot\\System32\\smss.exe'], 0, 0),
  MS('lsass', 'C:\\Windows\\System32\\lsass.exe', 'lsass.exe', 'Local Security Authority Process', 'system', 'System',
    ['wininit'], ['C:\\Windows\\system32\\lsass.exe'], 0, 0.5),
  MS('csrss', 'C:\\Windows\\System32\\csrss.exe', 'CSRSS.Exe', 'Client Server Runtime Process', 'system', 'System',
    ['smss'], ['%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16'],
    0, 0),
  MS('explorer', 'C:\\Windows\\explorer.exe', 'EXPLORER.EXE', 'Windows Explorer', 'user', 'Medium',
    ['userinit'], ['C:\\Windows\\Explorer.EXE'], 0.2, 6),
  MS('userinit', 'C:\\Windows\\System32\\userinit.exe', 'USERINIT.EXE', 'Userinit Logon Application', 'user', 'Medium',
    ['winlogon'], ['C:\\Windows\\system32\\userinit.exe'], 0.2, 0),
  MS('winlogon', 'C:\\Windows\\System32\\winlogon.exe', 'WINLOGON.EXE', 'Windows Logon Application', 'system', 'System',
    ['smss'], ['winlogon.exe'], 0, 0),
  MS('conhost', 'C:\\Windows\\System32\\conhost.exe', 'CONHOST.EXE', 'Console Window Host', 'user', 'Medium',
    ['cmd', 'powershell', 'git', 'node', 'python'],
    ['\\??\\C:\\Windows\\system32\\conhost.exe 0x4', '\\??\\C:\\Windows\\system32\\conhost.exe 0x4', '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1'],
    9, 0.3),
  MS('cmd', 'C:\\Windows\\System32\\cmd.exe', 'Cmd.Exe', 'Windows Command Processor', 'user', 'Medium',
    ['explorer', 'code', 'node', 'git'],
    ['"C:\\Windows\\system32\\cmd.exe" ', 'C:\\Windows\\system32\\cmd.exe /d /s /c "npm run build"',
      'C:\\Windows\\system32\\cmd.exe /c "C:\\Program Files\\Git\\cmd\\git.exe" rev-parse --show-toplevel',
      'C:\\Windows\\system32\\cmd.exe /c ""{profile}\\Documents\\scripts\\sync_reports.bat" "',
      'cmd.exe /c echo %PROCESSOR_ARCHITECTURE%', 'C:\\Windows\\system32\\cmd.exe /c chcp 65001 > NUL',
      'C:\\Windows\\system32\\cmd.exe /d /c "C:\\Program Files\\nodejs\\npx.cmd" tsc --noEmit'],
    5, 0.8),
  MS('powershell', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'PowerShell.EXE', 'Windows PowerShell',
    'user', 'Medium', ['explorer', 'code', 'svchost', 'cmd'],
    ['"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" ',
      'powershell.exe -NoLogo -NoProfile -NonInteractive -Command "Get-Service -Name \'Spooler\' | Select-Object -ExpandProperty Status"',
      '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -File "C:\\Scripts\\inventory.ps1" -OutDir "\\\\FS01\\inventory$\\{host}"',
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoProfile -Command "& {Import-Module PSReadLine; Get-History | Measure-Object}"'],
    2.5, 1.5),
  MS('rundll32', 'C:\\Windows\\System32\\rundll32.exe', 'RUNDLL32.EXE', 'Windows host process (Rundll32)', 'user', 'Medium',
    ['svchost'],
    ['C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\PcaSvc.dll,PcaPatchSdbTask',
      '"C:\\Windows\\system32\\rundll32.exe" C:\\Windows\\System32\\shell32.dll,SHCreateLocalServerRunDll {9aa46009-3ce0-458a-a354-715610a075e6} -Embedding',
      'C:\\Windows\\System32\\rundll32.exe C:\\Windows\\System32\\Windows.Storage.ApplicationData.dll,CleanupTemporaryState'],
    1.2, 0.3),
  MS('dllhost', 'C:\\Windows\\System32\\dllhost.exe', 'DllHost.exe', 'COM Surrogate', 'user', 'Medium',
    ['svchost'], ['C:\\Windows\\system32\\DllHost.exe /Processid:{3EB3C877-1F16-487C-9050-104DBCD66683}',
      'C:\\Windows\\system32\\DllHost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}',
      'C:\\Windows\\system32\\DllHost.exe /Processid:{973D20D7-562D-44B9-B70B-5A0F49CCDF3F}'],
    4, 0.8),
  MS('runtimebroker', 'C:\\Windows\\System32\\RuntimeBroker.exe', 'RuntimeBroker.exe', 'Runtime Broker', 'user', 'Medium',
    ['svchost'], ['C:\\Windows\\System32\\RuntimeBroker.exe -Embedding'], 4, 1),
  MS('backgroundtaskhost', 'C:\\Windows\\System32\\backgroundTaskHost.exe', 'backgroundTaskHost.exe', 'Background Task Host',
    'user', 'Low', ['svchost'],
    ['"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:App.AppXmtcan0h2tfbfy7k9kn8hbxb6dmzz1zh0.mca',
      '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider'],
    4, 0.6),
  MS('taskhostw', 'C:\\Windows\\System32\\taskhostw.exe', 'taskhostw.exe', 'Host Process for Windows Tasks', 'user', 'Medium',
    ['svchost'], ['taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}', 'taskhostw.exe Install $(Arg0)', 'taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly'],
    3, 0.6),
  MS('searchprotocolhost', 'C:\\Windows\\System32\\SearchProtocolHost.exe', 'SearchProtocolHost.exe', 'Microsoft Windows Search Protocol Host',
    'system', 'System', ['searchindexer'],
    ['"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe{n2}_ Global\\UsGthrCtrlFltPipeMssGthrPipe{n2} 1 -2147483646 "Software\\Microsoft\\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc" "DownLevelDaemon" "1"'],
    4, 0.5),
  MS('searchfilterhost', 'C:\\Windows\\System32\\SearchFilterHost.exe', 'SearchFilterHost.exe', 'Microsoft Windows Search Filter Host',
    'system', 'System', ['searchindexer'], ['"C:\\Windows\\system32\\SearchFilterHost.exe" 0 788 792 800 8192 796 772 '], 3, 0.2),
  MS('searchindexer', 'C:\\Windows\\System32\\SearchIndexer.exe', 'SearchIndexer.exe', 'Microsoft Windows Search Indexer',
    'system', 'System', ['services'], ['C:\\Windows\\system32\\SearchIndexer.exe /Embedding'], 0.1, 1.2),
  MS('wmiprvse', 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', 'Wmiprvse.exe', 'WMI Provider Host', 'networkservice', 'System',
    ['svchost'], ['C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding'],
    2, 0.6),
  MS('wermgr', 'C:\\Windows\\System32\\wermgr.exe', 'wermgr.exe', 'Windows Problem Reporting', 'system', 'System',
    ['svchost'], ['C:\\Windows\\system32\\wermgr.exe -upload', '"C:\\Windows\\system32\\wermgr.exe" -queuereporting'], 0.8, 0.3),
  MS('compattelrunner', 'C:\\Windows\\System32\\CompatTelRunner.exe', 'CompatTelRunner.exe', 'Microsoft Compatibility Telemetry',
    'system', 'System', ['svchost'],
    ['C:\\Windows\\system32\\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun -cv:{cv}.2',
      'C:\\Windows\\system32\\CompatTelRunner.exe -m:aeinv.dll -f:UpdateSoftwareInventoryW invsvc'],
    0.6, 0.3),
  MS('consent', 'C:\\Windows\\System32\\consent.exe', 'consent.exe', 'Consent UI for administrative applications', 'system', 'System',
    ['svchost'], ['consent.exe {n4} 482 00000{hex8}'], 0.3, 0),
  MS('msiexec', 'C:\\Windows\\System32\\msiexec.exe', 'msiexec.exe', 'Windows® installer', 'system', 'System',
    ['services', 'explorer'], ['C:\\Windows\\system32\\msiexec.exe /V', 'C:\\Windows\\System32\\MsiExec.exe -Embedding 5C2A{hex4}B9D1E0A6F1F3C4B2D7E8A9C0B1D2 E Global\\MSI0000'],
    0.6, 0.3),
  MS('notepad', 'C:\\Windows\\System32\\notepad.exe', 'NOTEPAD.EXE', 'Notepad', 'user', 'Medium',
    ['explorer'], ['"C:\\Windows\\system32\\NOTEPAD.EXE" {profile}\\Desktop\\notas reunión.txt', '"C:\\Windows\\System32\\notepad.exe" "{profile}\\Documents\\会议记录.txt"',
      '"C:\\Windows\\system32\\NOTEPAD.EXE" C:\\Windows\\System32\\drivers\\etc\\hosts'],
    0.6, 0.3),
  MS('smartscreen', 'C:\\Windows\\System32\\smartscreen.exe', 'smartscreen.exe', 'Windows Defender SmartScreen', 'user', 'Medium',
    ['svchost'], ['C:\\Windows\\System32\\smartscreen.exe -Embedding'], 1.2, 0.6),
  MS('sihost', 'C:\\Windows\\System32\\sihost.exe', 'sihost.exe', 'Shell Infrastructure Host', 'user', 'Medium',
    ['svchost'], ['sihost.exe'], 0.1, 0.3),
  MS('ctfmon', 'C:\\Windows\\System32\\ctfmon.exe', 'CTFMON.EXE', 'CTF Loader', 'user', 'Medium',
    ['svchost'], ['"ctfmon.exe"'], 0.1, 0.2),
  MS('audiodg', 'C:\\Windows\\System32\\audiodg.exe', 'AUDIODG.EXE', 'Windows Audio Device Graph Isolation', 'localservice', 'System',
    ['svchost'], ['C:\\Windows\\system32\\AUDIODG.EXE 0x{hex3}'], 0.8, 0.1),
  MS('tiworker', 'C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.3070_none_5e3a6e0e9b1e7b4a\\TiWorker.exe',
    'TiWorker.exe', 'Windows Modules Installer Worker', 'system', 'System', ['svchost'], ['C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.3070_none_5e3a6e0e9b1e7b4a\\TiWorker.exe -Embedding'],
    0.3, 0.8),
  MS('ipconfig', 'C:\\Windows\\System32\\ipconfig.exe', 'ipconfig.exe', 'IP Configuration Utility', 'user', 'Medium',
    ['cmd', 'powershell'], ['ipconfig /renew', 'ipconfig  /flushdns'], 0.2, 0),
  MS('gpupdate', 'C:\\Windows\\System32\\gpupdate.exe', 'GPUpdate.exe', 'Microsoft® Windows Group Policy Update Utility', 'user', 'Medium',
    ['cmd', 'powershell'], ['gpupdate  /target:computer /force', 'gpupdate /force'], 0.2, 0),
  MS('cmd32', 'C:\\Windows\\SysWOW64\\cmd.exe', 'Cmd.Exe', 'Windows Command Processor', 'user', 'Medium',
    ['explorer'], ['C:\\Windows\\SysWOW64\\cmd.exe /c ver', 'C:\\Windows\\SysWOW64\\cmd.exe /c "reg query HKLM\\SOFTWARE\\JavaSoft /s > nul"'],
    0.3, 0.1),
  MS('rundll32_32', 'C:\\Windows\\SysWOW64\\rundll32.exe', 'RUNDLL32.EXE', 'Windows host process (Rundll32)', 'user', 'Medium',
    ['svchost'], ['C:\\Windows\\SysWOW64\\rundll32.exe "C:\\Windows\\SysWOW64\\shell32.dll",#44'], 0.2, 0.1),
  APP('msmpeng', `${DEFENDER_DIR}\\MsMpEng.exe`, 'MsMpEng.exe', 'Antimalware Service Executable', 'Microsoft® Windows® Operating System',
    MS_COMPANY, '4.18.24010.12 (WinBuild.160101.0800)', 'Microsoft Windows Publisher', ['services'], [`"${DEFENDER_DIR}\\MsMpEng.exe"`], 0, 3, 'system'),
  APP('mpcmdrun', `${DEFENDER_DIR}\\MpCmdRun.exe`, 'MpCmdRun.exe', 'Microsoft Malware Protection Command Line Utility',
    'Microsoft® Windows® Operating System', MS_COMPANY, '4.18.24010.12 (WinBuild.160101.0800)', 'Microsoft Windows Publisher', ['msmpeng', 'svchost'],
    [`"${DEFENDER_DIR}\\MpCmdRun.exe" SignaturesUpdateService -ScheduleJob -UnmanagedUpdate`, `"${DEFENDER_DIR}\\MpCmdRun.exe" -wdenable`,
      `"${DEFENDER_DIR}\\MpCmdRun.exe" GetDeviceTicket -AccessKey {guid}`],
    0.8, 0.4, 'system'),
  APP('chrome', `${CHROME_DIR}\\chrome.exe`, 'chrome.exe', 'Google Chrome', 'Google Chrome', 'Google LLC', '121.0.6167.161', 'Google LLC',
    ['explorer', 'chrome'],
    [`"${CHROME_DIR}\\chrome.exe" --type=renderer --lang={lang} --device-scale-factor=1 --num-raster-threads=4 --enable-main-frame-before-activation --renderer-client-id={n3} --time-ticks-at-unix-epoch=-1709{n9} --launch-time-ticks={n10} --field-trial-handle=1920,i,{n19},{n19},262144 --variations-seed-version=20240205-180058.591000 /prefetch:1`,
      `"${CHROME_DIR}\\chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang={lang} --service-sandbox-type=none --mojo-platform-channel-handle={n4} --field-trial-handle=1920,i,{n19},{n19},262144 /prefetch:8`,
      `"${CHROME_DIR}\\chrome.exe" --type=gpu-process --gpu-preferences=UAAAAAAAAADgAAAEAAAAAAAAAAAAAAAAAABgAAEAAAAAAAAAAAAAAAAAAAACAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAIAAAAAAAAAAgAAAAAAAAA --mojo-platform-channel-handle={n4} --field-trial-handle=1920,i,{n19},{n19},262144 /prefetch:2`,
      `"${CHROME_DIR}\\chrome.exe" --single-argument https://intranet.${'corp.example.com'}/wiki/Übersicht`],
    14, 12),
  APP('msedge', `${EDGE_DIR}\\msedge.exe`, 'msedge.exe', 'Microsoft Edge', 'Microsoft Edge', MS_COMPANY, '121.0.2277.128', 'Microsoft Corporation',
    ['explorer', 'msedge', 'outlook'],
    [`"${EDGE_DIR}\\msedge.exe" --type=renderer --disable-gpu-compositing --lang={lang} --js-flags=--ms-user-locale= --device-scale-factor=1.25 --num-raster-threads=4 --enable-main-frame-before-activation --renderer-client-id={n3} --time-ticks-at-unix-epoch=-1709{n9} --launch-time-ticks={n10} --mojo-platform-channel-handle={n4} --field-trial-handle=2056,i,{n19},{n19},262144 /prefetch:1`,
      `"${EDGE_DIR}\\msedge.exe" --type=utility --utility-sub-type=storage.mojom.StorageService --lang={lang} --service-sandbox-type=service --mojo-platform-channel-handle={n4} --field-trial-handle=2056,i,{n19},{n19},262144 /prefetch:8`,
      `"${EDGE_DIR}\\msedge.exe" --single-argument https://contoso.sharepoint.com/sites/Finanzen/Freigegebene%20Dokumente/Forms/AllItems.aspx`],
    9, 8),
  APP('teams', '{profile}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe', 'Teams.exe', 'Microsoft Teams', 'Microsoft Teams', MS_COMPANY,
    '1.6.00.33567', 'Microsoft Corporation', ['explorer', 'teams'],
    ['"{profile}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe" --type=renderer --autoplay-policy=no-user-gesture-required --disable-background-timer-throttling --field-trial-handle=1712,{n19},{n19},131072 --lang={lang} --app-user-model-id=com.squirrel.Teams.Teams --app-path="{profile}\\AppData\\Local\\Microsoft\\Teams\\current\\resources\\app.asar" --no-sandbox --no-zygote --enable-blink-features=CSSColorSchemeUARendering --device-scale-factor=1 --num-raster-threads=4 --renderer-client-id={n2} --mojo-platform-channel-handle={n4} /prefetch:1',
      '"{profile}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe" --system-initiated'],
    3, 6),
  APP('onedrive', '{profile}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe', 'OneDrive.exe', 'Microsoft OneDrive', 'Microsoft OneDrive',
    MS_COMPANY, '24.010.0114.0003', 'Microsoft Corporation', ['explorer'],
    ['"{profile}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background', '"{profile}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /updateInstalled /background'],
    0.4, 4),
  APP('outlook', `${OFFICE_DIR}\\OUTLOOK.EXE`, 'Outlook.exe', 'Microsoft Outlook', 'Microsoft Outlook', MS_COMPANY, '16.0.17126.20132', 'Microsoft Corporation',
    ['explorer'], [`"${OFFICE_DIR}\\OUTLOOK.EXE" `, `"${OFFICE_DIR}\\OUTLOOK.EXE" /recycle`], 0.3, 5),
  APP('winword', `${OFFICE_DIR}\\WINWORD.EXE`, 'WinWord.exe', 'Microsoft Word', 'Microsoft Office', MS_COMPANY, '16.0.17126.20132', 'Microsoft Corporation',
    ['explorer', 'outlook'],
    [`"${OFFICE_DIR}\\WINWORD.EXE" /n "{profile}\\Documents\\Contrato — versión 2.docx" /o ""`,
      `"${OFFICE_DIR}\\WINWORD.EXE" /n "{profile}\\OneDrive - Corp\\项目\\季度报告.docx"`, `"${OFFICE_DIR}\\WINWORD.EXE" /n /dde`],
    0.8, 1.5),
  APP('excel', `${OFFICE_DIR}\\EXCEL.EXE`, 'Excel.exe', 'Microsoft Excel', 'Microsoft Office', MS_COMPANY, '16.0.17126.20132', 'Microsoft Corporation',
    ['explorer', 'outlook'],
    [`"${OFFICE_DIR}\\EXCEL.EXE" "{profile}\\Documents\\Budget 2025 (Entwurf) – Übersicht.xlsx"`, `"${OFFICE_DIR}\\EXCEL.EXE" /dde`],
    0.8, 1.5),
  APP('code', '{profile}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', 'electron.exe', 'Visual Studio Code', 'Visual Studio Code', MS_COMPANY,
    '1.86.1', 'Microsoft Corporation', ['explorer', 'code'],
    ['"{profile}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe" --type=utility --utility-sub-type=node.mojom.NodeService --lang={lang} --service-sandbox-type=none --user-data-dir="{profile}\\AppData\\Roaming\\Code" --standard-schemes=vscode-webview,vscode-file --secure-schemes=vscode-webview,vscode-file --cors-schemes=vscode-webview,vscode-file --fetch-schemes=vscode-webview,vscode-file --service-worker-schemes=vscode-webview --code-cache-schemes=vscode-webview,vscode-file --mojo-platform-channel-handle={n4} --field-trial-handle=1860,i,{n19},{n19},262144 --disable-features=CalculateNativeWinOcclusion,SpareRendererForSitePerProcess /prefetch:8',
      '"{profile}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe" "{profile}\\source\\repos\\billing-service"'],
    2, 2),
  APP('git', 'C:\\Program Files\\Git\\cmd\\git.exe', 'git.exe', 'Git for Windows', 'Git', 'The Git Development Community', '2.43.0.windows.1',
    'Johannes Schindelin', ['code', 'cmd'],
    ['"C:\\Program Files\\Git\\cmd\\git.exe" fetch --quiet origin', '"C:\\Program Files\\Git\\cmd\\git.exe" status -z -uall',
      'git.exe -c core.quotepath=false -c color.ui=false rev-parse --show-toplevel', '"C:\\Program Files\\Git\\cmd\\git.exe" log --format=%H%n%aN%n%aE -n 50 -- "src/módulos/facturación.ts"'],
    3, 1),
  APP('node', 'C:\\Program Files\\nodejs\\node.exe', 'node.exe', 'Node.js JavaScript Runtime', 'Node.js', 'Node.js', '20.11.0', 'OpenJS Foundation',
    ['cmd', 'code'],
    ['"C:\\Program Files\\nodejs\\node.exe" "C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js" run build',
      '"C:\\Program Files\\nodejs\\node.exe" "{profile}\\source\\repos\\billing-service\\node_modules\\vitest\\vitest.mjs" run'],
    1.2, 1),
  APP('python', '{profile}\\AppData\\Local\\Programs\\Python\\Python312\\python.exe', 'python.exe', 'Python', 'Python', 'Python Software Foundation',
    '3.12.1', 'Python Software Foundation', ['code', 'cmd'],
    ['"{profile}\\AppData\\Local\\Programs\\Python\\Python312\\python.exe" "{profile}\\.vscode\\extensions\\ms-python.python-2024.0.1\\pythonFiles\\lib\\jedilsp\\jedi_language_server\\__main__.py"',
      'python.exe -m pytest -q tests\\test_reports.py'],
    0.8, 0.6),
  APP('java', 'C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.9.9-hotspot\\bin\\java.exe', 'java.exe', 'OpenJDK Platform binary', 'OpenJDK Platform 17.0.9',
    'Eclipse Adoptium', '17.0.9.0', 'Eclipse.org Foundation, Inc.', ['explorer', 'cmd'],
    ['"C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.9.9-hotspot\\bin\\java.exe" -Xmx2g -Dfile.encoding=UTF-8 -jar "{profile}\\tools\\report-builder.jar" --input "\\\\FS01\\Finance\\Q4"'],
    0.3, 0.8),
  APP('sevenzip', 'C:\\Program Files\\7-Zip\\7zG.exe', '7zg.exe', '7-Zip GUI', '7-Zip', 'Igor Pavlov', '23.01', '',
    ['explorer'], ['"C:\\Program Files\\7-Zip\\7zG.exe" x -o"{profile}\\Downloads\\Präsentation\\" -spe -an -ai#7zMap{n5}:{n3}:7zEvent{n5}'],
    0.2, 0.2),
  APP('googleupdate', 'C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe', 'GoogleUpdate.exe', 'Google Installer', 'Google Update', 'Google LLC',
    '1.3.36.352', 'Google LLC', ['svchost'],
    ['"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe" /ua /installsource scheduler', '"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe" /c'],
    0.5, 0.5, 'system'),
  APP('edgeupdate', 'C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe', 'msedgeupdate.dll', 'Microsoft Edge Update',
    'Microsoft Edge Update', MS_COMPANY, '1.3.185.17', 'Microsoft Corporation', ['svchost'],
    ['"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe" /ua /installsource core', '"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe" /c'],
    0.5, 0.5, 'system'),
  APP('zoom', '{profile}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe', 'Zoom.exe', 'Zoom Meetings', 'Zoom Meetings', 'Zoom Video Communications, Inc.',
    '5.17.5.29101', 'Zoom Video Communications, Inc.', ['explorer'], ['"{profile}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe" "--url=zoommtg://zoom.us/join?action=join&confno={n10}&pwd={hex16}"'],
    0.3, 1.5),
  APP('sqlservr', 'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe', 'sqlservr.exe', 'SQL Server Windows NT - 64 Bit',
    'Microsoft SQL Server', MS_COMPANY, '2022.0160.1000.06 ((SQLServer).220823-0745)', 'Microsoft Corporation', ['services'],
    ['"C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe" -sMSSQLSERVER'], 0, 1, 'system'),
  APP('w3wp', 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', 'w3wp.exe', 'IIS Worker Process', WIN_PRODUCT, MS_COMPANY, WIN_VERSION, 'Microsoft Windows',
    ['svchost'], ['c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool" -v "v4.0" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm{guid} -h "C:\\inetpub\\temp\\apppools\\DefaultAppPool\\DefaultAppPool.config" -w "" -m 0 -t 20 -ta 0'],
    0, 1, 'networkservice'),
];

export const BINARY_BY_KEY: ReadonlyMap<string, BinaryDef> = new Map(BINARIES.map((b) => [b.key, b]));

export interface DllDef {
  name: string;
  description: string;
  /** Directory the DLL is loaded from (absent: System32 or SysWOW64 by the process bitness). */
  dir?: string;
  product?: string;
  company?: string;
  fileVersion?: string;
  signer?: string;
  signed?: boolean;
}

/** System DLLs loaded by everything. */
export const SYSTEM_DLLS: readonly DllDef[] = [
  { name: 'ntdll.dll', description: 'NT Layer DLL' },
  { name: 'kernel32.dll', description: 'Windows NT BASE API Client DLL' },
  { name: 'KernelBase.dll', description: 'Windows NT BASE API Client DLL' },
  { name: 'user32.dll', description: 'Multi-User Windows USER API Client DLL' },
  { name: 'advapi32.dll', description: 'Advanced Windows 32 Base API' },
  { name: 'combase.dll', description: 'Microsoft COM for Windows' },
  { name: 'ole32.dll', description: 'Microsoft OLE for Windows' },
  { name: 'oleaut32.dll', description: 'OLEAUT32.DLL' },
  { name: 'ws2_32.dll', description: 'Windows Socket 2.0 32-Bit DLL' },
  { name: 'crypt32.dll', description: 'Crypto API32' },
  { name: 'wininet.dll', description: 'Internet Extensions for Win32' },
  { name: 'winhttp.dll', description: 'Windows HTTP Services' },
  { name: 'bcrypt.dll', description: 'Windows Cryptographic Primitives Library' },
  { name: 'sechost.dll', description: 'Host for SCM/SDDL/LSA Lookup APIs' },
  { name: 'rpcrt4.dll', description: 'Remote Procedure Call Runtime' },
  { name: 'shell32.dll', description: 'Windows Shell Common Dll' },
  { name: 'msvcrt.dll', description: 'Windows NT CRT DLL' },
  { name: 'ucrtbase.dll', description: 'Microsoft® C Runtime Library' },
  { name: 'uxtheme.dll', description: 'Microsoft UxTheme Library' },
  { name: 'dwmapi.dll', description: 'Microsoft Desktop Window Manager API' },
  { name: 'version.dll', description: 'Version Checking and File Installation Libraries' },
  { name: 'cryptbase.dll', description: 'Base cryptographic API DLL' },
  { name: 'propsys.dll', description: 'Microsoft Property System' },
  { name: 'windows.storage.dll', description: 'Microsoft WinRT Storage API' },
  { name: 'apphelp.dll', description: 'Application Compatibility Client Library' },
  { name: 'WinTypes.dll', description: 'Windows Base Types DLL' },
  { name: 'dnsapi.dll', description: 'DNS Client API DLL' },
  { name: 'IPHLPAPI.DLL', description: 'IP Helper API' },
  { name: 'mswsock.dll', description: 'Microsoft Windows Sockets 2.0 Service Provider' },
  { name: 'nsi.dll', description: 'NSI User-mode interface DLL' },
  { name: 'profapi.dll', description: 'User Profile Basic API' },
  { name: 'gdi32.dll', description: 'GDI Client DLL' },
  { name: 'win32u.dll', description: 'Win32u' },
  { name: 'imm32.dll', description: 'Multi-User Windows IMM32 API Client DLL' },
  { name: 'clbcatq.dll', description: 'COM+ Configuration Catalog' },
  { name: 'msctf.dll', description: 'MSCTF Server DLL' },
  { name: 'CoreMessaging.dll', description: 'Microsoft CoreMessaging Dll' },
  { name: 'wldp.dll', description: 'Windows Lockdown Policy' },
  { name: 'ntmarta.dll', description: 'Windows NT MARTA provider' },
  { name: 'kernel.appcore.dll', description: 'AppModel API Host' },
  { name: 'powrprof.dll', description: 'Power Profile Helper DLL' },
  { name: 'SspiCli.dll', description: 'Security Support Provider Interface' },
  { name: 'userenv.dll', description: 'Userenv' },
  { name: 'wintrust.dll', description: 'Microsoft Trust Verification APIs' },
  { name: 'msasn1.dll', description: 'ASN.1 Runtime APIs' },
  { name: 'rsaenh.dll', description: 'Microsoft Enhanced Cryptographic Provider' },
  { name: 'schannel.dll', description: 'TLS / SSL Security Provider' },
  { name: 'ncrypt.dll', description: 'Windows NCrypt Router' },
  { name: 'FWPUCLNT.DLL', description: 'FWP/IPsec User-Mode API' },
  { name: 'TextShaping.dll', description: 'Text Shaping' },
];

/** DLLs shipped with applications, by binary key. */
export const APP_DLLS: Readonly<Record<string, readonly DllDef[]>> = {
  chrome: [
    { name: 'chrome.dll', dir: `${CHROME_DIR}\\121.0.6167.161`, description: 'Google Chrome', product: 'Google Chrome', company: 'Google LLC', fileVersion: '121.0.6167.161', signer: 'Google LLC' },
    { name: 'chrome_elf.dll', dir: `${CHROME_DIR}\\121.0.6167.161`, description: 'Google Chrome', product: 'Google Chrome', company: 'Google LLC', fileVersion: '121.0.6167.161', signer: 'Google LLC' },
    { name: 'libEGL.dll', dir: `${CHROME_DIR}\\121.0.6167.161`, description: 'ANGLE libEGL Dynamic Link Library', product: 'ANGLE libEGL Dynamic Link Library', company: 'Google LLC', fileVersion: '2.1.22006', signer: 'Google LLC' },
  ],
  msedge: [
    { name: 'msedge.dll', dir: `${EDGE_DIR}\\121.0.2277.128`, description: 'Microsoft Edge', product: 'Microsoft Edge', company: MS_COMPANY, fileVersion: '121.0.2277.128', signer: 'Microsoft Corporation' },
    { name: 'msedge_elf.dll', dir: `${EDGE_DIR}\\121.0.2277.128`, description: 'Microsoft Edge', product: 'Microsoft Edge', company: MS_COMPANY, fileVersion: '121.0.2277.128', signer: 'Microsoft Corporation' },
  ],
  teams: [
    { name: 'ffmpeg.dll', dir: '{profile}\\AppData\\Local\\Microsoft\\Teams\\current', description: '-', product: '-', company: '-', fileVersion: '-', signed: false },
    { name: 'skypert.dll', dir: '{profile}\\AppData\\Local\\Microsoft\\Teams\\current\\resources\\app.asar.unpacked\\node_modules\\slimcore\\bin', description: 'Skype Runtime', product: 'Skype Runtime', company: 'Skype', fileVersion: '2022.36.1.0', signer: 'Microsoft Corporation' },
  ],
  outlook: [
    { name: 'OLMAPI32.DLL', dir: OFFICE_DIR, description: 'Microsoft Outlook Messaging API', product: 'Microsoft Outlook', company: MS_COMPANY, fileVersion: '16.0.17126.20132', signer: 'Microsoft Corporation' },
    { name: 'mso20win32client.dll', dir: 'C:\\Program Files\\Common Files\\Microsoft Shared\\Office16', description: 'Microsoft Office 2016 component', product: 'Microsoft Office', company: MS_COMPANY, fileVersion: '16.0.17126.20132', signer: 'Microsoft Corporation' },
  ],
  code: [
    { name: 'ffmpeg.dll', dir: '{profile}\\AppData\\Local\\Programs\\Microsoft VS Code', description: '-', product: '-', company: '-', fileVersion: '-', signed: false },
  ],
  onedrive: [
    { name: 'FileSyncShell64.dll', dir: '{profile}\\AppData\\Local\\Microsoft\\OneDrive\\24.010.0114.0003', description: 'Microsoft OneDrive Shell Extension', product: 'Microsoft OneDrive', company: MS_COMPANY, fileVersion: '24.010.0114.0003', signer: 'Microsoft Corporation' },
  ],
};

/** Popular destinations (DNS and connections), with a weight. */
export const DOMAINS: ReadonlyArray<readonly [string, number]> = [
  ['www.google.com', 8], ['login.microsoftonline.com', 8], ['outlook.office365.com', 7], ['teams.microsoft.com', 5],
  ['settings-win.data.microsoft.com', 4], ['v10.events.data.microsoft.com', 5], ['ctldl.windowsupdate.com', 2],
  ['update.googleapis.com', 2], ['clients2.google.com', 3], ['github.com', 2], ['api.github.com', 1.5],
  ['slack.com', 1], ['zoom.us', 1], ['cdn.jsdelivr.net', 1], ['fonts.gstatic.com', 2], ['ocsp.digicert.com', 2],
  ['crl.microsoft.com', 1], ['www.bing.com', 2], ['edge.microsoft.com', 2], ['nav.smartscreen.microsoft.com', 2],
  ['wdcp.microsoft.com', 1], ['contoso.sharepoint.com', 4], ['contoso-my.sharepoint.com', 3],
  ['graph.microsoft.com', 3], ['officeclient.microsoft.com', 1], ['registry.npmjs.org', 1], ['pypi.org', 0.5],
  ['www.wikipedia.org', 0.5], ['www.linkedin.com', 0.5], ['www.youtube.com', 1], ['xn--bcher-kva.example', 0.1],
  ['www.amazon.de', 0.3], ['news.ycombinator.com', 0.2], ['www.bbc.co.uk', 0.3], ['weather.service.msn.com', 0.5],
  ['ntp.msn.com', 0.5], ['api.msn.com', 0.5], ['img-s-msn-com.akamaized.net', 0.5], ['wpad.corp.example.com', 0.5],
  ['dc01.corp.example.com', 3], ['dc02.corp.example.com', 2], ['fs01.corp.example.com', 2], ['sql01.corp.example.com', 1],
  ['sccm01.corp.example.com', 1], ['intranet.corp.example.com', 1.5],
];

/** Destinations of Microsoft's own clients (Office, Teams, OneDrive, Windows services). */
export const MS_DOMAINS: ReadonlyArray<readonly [string, number]> = [
  ['login.microsoftonline.com', 8], ['outlook.office365.com', 8], ['teams.microsoft.com', 4], ['settings-win.data.microsoft.com', 3],
  ['v10.events.data.microsoft.com', 4], ['ctldl.windowsupdate.com', 1], ['contoso.sharepoint.com', 4], ['contoso-my.sharepoint.com', 3],
  ['graph.microsoft.com', 3], ['officeclient.microsoft.com', 1], ['nav.smartscreen.microsoft.com', 1], ['wdcp.microsoft.com', 1],
  ['config.teams.microsoft.com', 1], ['substrate.office.com', 2], ['www.bing.com', 0.5],
];

/** Destinations of developer tools. */
export const DEV_DOMAINS: ReadonlyArray<readonly [string, number]> = [
  ['dev.azure.com', 3], ['registry.npmjs.org', 3], ['pypi.org', 1], ['files.pythonhosted.org', 1],
  ['marketplace.visualstudio.com', 1], ['update.code.visualstudio.com', 1], ['repo.maven.apache.org', 0.5],
];

/** Microsoft address blocks (used for the answers of Microsoft names, as real DNS gives). */
export const MS_PREFIXES: readonly string[] = ['13.107.6', '13.107.42', '20.190.151', '20.42.65', '40.99.10', '40.126.32', '52.97.146', '52.113.194', '52.123.128', '204.79.197'];

/** Ports and their Sysmon port names. */
export const PORT_NAMES: Readonly<Record<number, string>> = {
  53: 'domain', 80: 'http', 88: 'kerberos', 135: 'epmap', 389: 'ldap', 443: 'https', 445: 'microsoft-ds',
  3268: 'msft-gc', 3389: 'ms-wbt-server', 1433: 'ms-sql-s', 5985: '-', 8080: 'http-alt', 137: 'netbios-ns',
};

/** Benign registry values (Sysmon 13): [key under HKLM or HKU\<sid>, details template, writer binary key]. */
export const REGISTRY_SETS: ReadonlyArray<readonly [string, string, string]> = [
  ['HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\{sid}\\\\Device\\HarddiskVolume3\\Windows\\System32\\{exe}', 'Binary Data', 'svchost'],
  ['HKU\\{sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\UserAssist\\{CEBFF5CD-ACE2-4F4F-9178-9926F41749EA}\\Count\\HRZR_PGYFRFFVBA', 'Binary Data', 'explorer'],
  ['HKU\\{sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs\\.docx\\{n1}', 'Binary Data', 'explorer'],
  ['HKU\\{sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\FeatureUsage\\AppSwitched\\{exe}', 'DWORD (0x000000{hex2})', 'explorer'],
  ['HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\SignaturesLastUpdated', 'QWORD (0x01da{hex4}-0x{hex8})', 'msmpeng'],
  ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WINEVT\\Channels\\Microsoft-Windows-Sysmon/Operational\\Enabled', 'DWORD (0x00000001)', 'svchost'],
  ['HKLM\\System\\CurrentControlSet\\Services\\W32Time\\Config\\LastKnownGoodTime', 'QWORD (0x01da{hex4}-0x{hex8})', 'svchost'],
  ['HKU\\{sid}\\Software\\Microsoft\\Office\\16.0\\Common\\Roaming\\Identities\\{hex8}_ADAL\\LastSwitchedTime', 'QWORD (0x01da{hex4}-0x{hex8})', 'winword'],
  ['HKU\\{sid}\\Software\\Microsoft\\Office\\16.0\\Word\\Reading Locations\\Document 0\\File Path', '{profile}\\Documents\\Contrato — versión 2.docx', 'winword'],
  ['HKU\\{sid}\\Software\\Microsoft\\Office\\16.0\\Excel\\Resiliency\\DocumentRecovery\\{hex6}\\{hex6}', 'Binary Data', 'excel'],
  ['HKU\\{sid}\\Software\\Microsoft\\OneDrive\\Accounts\\Business1\\LastSignInTime', 'DWORD (0x65c{hex5})', 'onedrive'],
  ['HKU\\{sid}\\Software\\Google\\Chrome\\PreferenceMACs\\Default\\extensions.settings\\{lower32}', '{hex64}', 'chrome'],
  ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Diagnostics\\DiagTrack\\HeartBeats\\Default\\LastHeartBeatTime', 'QWORD (0x01da{hex4}-0x{hex8})', 'svchost'],
  ['HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\NetworkList\\Profiles\\{{guid}}\\DateLastConnected', 'Binary Data', 'svchost'],
  ['HKU\\{sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\ComDlg32\\OpenSavePidlMRU\\*\\{n1}', 'Binary Data', 'explorer'],
  ['HKU\\{sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\ZoneMap\\ProxyBypass', 'DWORD (0x00000001)', 'svchost'],
  ['HKLM\\SOFTWARE\\Microsoft\\SMS\\Mobile Client\\Software Distribution\\State\\ActiveRequestsCount', 'DWORD (0x00000000)', 'svchost'],
  ['HKU\\{sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\OneDrive', '"{profile}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background', 'onedrive'],
  ['HKU\\{sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\com.squirrel.Teams.Teams', '{profile}\\AppData\\Local\\Microsoft\\Teams\\Update.exe --processStart "Teams.exe" --process-start-args "--system-initiated"', 'teams'],
];

/** Benign registry key operations (Sysmon 12): [event type, key, writer binary key]. */
export const REGISTRY_KEYS: ReadonlyArray<readonly [string, string, string]> = [
  ['CreateKey', 'HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\{sid}', 'svchost'],
  ['CreateKey', 'HKU\\{sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\SessionInfo\\{n1}\\VirtualDesktops', 'explorer'],
  ['DeleteKey', 'HKU\\{sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\SessionInfo\\{n1}\\ApplicationViewManagement\\W32:0000000000{hex6}', 'explorer'],
  ['CreateKey', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\GoogleUpdateTaskMachineUA{{guid}}', 'svchost'],
  ['DeleteValue', 'HKU\\{sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs\\.xlsx\\{n1}', 'explorer'],
  ['CreateKey', 'HKU\\{sid}\\Software\\Microsoft\\Office\\16.0\\Common\\Internet\\Server Cache\\https://contoso.sharepoint.com/sites/Finanzen/', 'winword'],
  ['CreateKey', 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Diagnostics', 'msmpeng'],
  ['DeleteKey', 'HKLM\\System\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces\\{{guid}}\\DhcpDomainSearchList', 'svchost'],
];

/** Benign file creations (Sysmon 11): [path template, writer binary key]. */
export const FILE_CREATES: ReadonlyArray<readonly [string, string]> = [
  ['{profile}\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\f_{hex6}', 'chrome'],
  ['{profile}\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Code Cache\\js\\{hex16}_0', 'chrome'],
  ['{profile}\\AppData\\Local\\Microsoft\\Edge\\User Data\\Default\\Cache\\Cache_Data\\f_{hex6}', 'msedge'],
  ['{profile}\\AppData\\Local\\Temp\\~DF{hex4}{hex4}.TMP', 'winword'],
  ['{profile}\\AppData\\Roaming\\Microsoft\\Office\\Recent\\Presupuesto 2025 (versión final).xlsx.LNK', 'excel'],
  ['{profile}\\Documents\\项目计划\\季度报告_{n2}.docx', 'winword'],
  ['{profile}\\Downloads\\Rechnung_{n5}_Müller GmbH.pdf', 'msedge'],
  ['{profile}\\Downloads\\Unconfirmed {n6}.crdownload', 'chrome'],
  ['{profile}\\AppData\\Local\\Microsoft\\Outlook\\RoamCache\\Stream_Autocomplete_0_{hex32}.dat', 'outlook'],
  ['{profile}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\{hex8}\\Angebot Nr. {n4} (São Paulo).pdf', 'outlook'],
  ['{profile}\\OneDrive - Corp\\Projekte\\Übergabe\\Notizen {n2}.docx', 'onedrive'],
  ['{profile}\\AppData\\Local\\Microsoft\\OneDrive\\logs\\Business1\\SyncDiagnostics.log', 'onedrive'],
  ['C:\\Windows\\Prefetch\\{exeupper}-{hex8}.pf', 'svchost'],
  ['C:\\Windows\\SoftwareDistribution\\Download\\{lower32}\\metadata.cab', 'svchost'],
  ['C:\\Windows\\Temp\\MpCmdRun.log', 'mpcmdrun'],
  ['C:\\ProgramData\\Microsoft\\Windows Defender\\Scans\\History\\Service\\DetectionHistory\\{n2}\\{hex16}', 'msmpeng'],
  ['C:\\ProgramData\\Microsoft\\Windows\\WER\\Temp\\WER{hex4}.tmp.WERInternalMetadata.xml', 'wermgr'],
  ['{profile}\\source\\repos\\billing-service\\dist\\módulos\\facturación.js', 'node'],
  ['{profile}\\source\\repos\\billing-service\\node_modules\\.vite\\deps\\chunk-{hex8}.js', 'node'],
  ['{profile}\\source\\repos\\billing-service\\.git\\objects\\{lower2}\\{lower38}', 'git'],
  ['{profile}\\AppData\\Local\\Microsoft\\Teams\\current\\resources\\locales\\{lang}.pak', 'teams'],
  ['{profile}\\AppData\\Roaming\\Microsoft\\Teams\\Cache\\f_{hex6}', 'teams'],
  ['C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Backup\\Finance_{n8}.bak', 'sqlservr'],
  ['C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex{n6}.log', 'w3wp'],
  ['{profile}\\AppData\\Local\\Temp\\vscode-inline-{hex6}.tmp', 'code'],
  ['{profile}\\AppData\\Local\\Temp\\__PSScriptPolicyTest_{lower8}.{lower3}.ps1', 'powershell'],
];

/** Benign file deletions (Sysmon 23): [path template, deleter binary key]. */
export const FILE_DELETES: ReadonlyArray<readonly [string, string]> = [
  ['{profile}\\AppData\\Local\\Temp\\~DF{hex4}{hex4}.TMP', 'winword'],
  ['{profile}\\AppData\\Local\\Temp\\{lower8}.tmp', 'msedge'],
  ['{profile}\\Downloads\\Unconfirmed {n6}.crdownload', 'chrome'],
  ['{profile}\\AppData\\Local\\Temp\\__PSScriptPolicyTest_{lower8}.{lower3}.ps1', 'powershell'],
  ['C:\\Windows\\Temp\\{guid}\\DismHost.exe', 'tiworker'],
  ['{profile}\\AppData\\Local\\Microsoft\\Teams\\packages\\SquirrelTemp\\tempb\\lib\\net45\\{lower8}.tmp', 'teams'],
  ['C:\\ProgramData\\Microsoft\\Windows\\WER\\Temp\\WER{hex4}.tmp.csv', 'wermgr'],
  ['{profile}\\source\\repos\\billing-service\\dist\\módulos\\facturación.js', 'node'],
  ['C:\\Windows\\SoftwareDistribution\\Download\\{lower32}\\metadata.cab', 'svchost'],
];

/** Benign PowerShell script blocks (4104). Newlines and tabs are real: they show up as JSON escapes. */
export const SCRIPT_BLOCKS: readonly string[] = [
  'prompt',
  '{ Set-StrictMode -Version 1; $_.PSMessageDetails }',
  '{ Set-StrictMode -Version 1; $this.Exception.InnerException.PSMessageDetails }',
  '$global:?',
  'Get-ChildItem -Path \'C:\\Logs\' -Filter *.log | Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-30) } | Remove-Item -Force',
  'function Get-Inventory {\r\n\tparam([string]$ComputerName = $env:COMPUTERNAME)\r\n\t$os = Get-CimInstance -ClassName Win32_OperatingSystem -ComputerName $ComputerName\r\n\t[pscustomobject]@{\r\n\t\tName    = $ComputerName\r\n\t\tVersion = $os.Version\r\n\t\tUptime  = (Get-Date) - $os.LastBootUpTime\r\n\t}\r\n}\r\nGet-Inventory | Export-Csv -Path "\\\\FS01\\inventory$\\$env:COMPUTERNAME.csv" -NoTypeInformation -Encoding UTF8',
  'Import-Module -Name "C:\\Program Files\\WindowsPowerShell\\Modules\\PSReadLine\\2.0.0\\PSReadLine.psd1"',
  '$ErrorActionPreference = \'Stop\'\r\n$report = Join-Path $env:USERPROFILE \'Documents\\Berichte\\Übersicht.csv\'\r\nGet-Service | Where-Object Status -eq \'Running\' | Select-Object Name, DisplayName | Export-Csv $report -Encoding UTF8',
  'Get-Service -Name \'Spooler\' | Select-Object -ExpandProperty Status',
  '& { Import-Module PSReadLine; Get-History | Measure-Object }',
  'Set-Location -LiteralPath "C:\\Users\\王伟\\Documents\\项目计划"\r\nGet-ChildItem | Sort-Object Length -Descending | Select-Object -First 10',
  'Write-Host "Sincronización completada: $((Get-Date).ToString(\'yyyy-MM-dd HH:mm\'))"',
  '# Copyright (c) Microsoft Corporation.\r\n# Licensed under the MIT License.\r\n\r\n@{\r\n\tGUID = \'{guid}\'\r\n\tAuthor = \'Microsoft Corporation\'\r\n\tModuleVersion = \'1.0.0.0\'\r\n\tCompatiblePSEditions = @(\'Desktop\', \'Core\')\r\n\tFunctionsToExport = @(\'Get-WindowsUpdateLog\')\r\n}',
  'Test-NetConnection -ComputerName sql01.corp.example.com -InformationLevel Quiet',
  'Get-ADUser -Filter "Department -eq \'Finanzen\'" -Properties mail | Select-Object SamAccountName, mail',
];

export const LANGS: readonly string[] = ['en-US', 'de', 'es', 'fr', 'zh-CN', 'ja', 'pt-BR', 'pl', 'sv', 'tr'];
