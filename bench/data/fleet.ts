/**
 * The simulated fleet: hosts, accounts, live processes, the clock and record counters, and the builders of benign
 * events of every kind. Attack builders (attacks.ts) reuse the same primitives, so attack events look like the rest
 * of the stream except for the values that make them attacks.
 */

import {
  ADMINS,
  APP_DLLS,
  BINARIES,
  BINARY_BY_KEY,
  DNS_SUFFIX,
  DOMAIN,
  DEV_DOMAINS,
  DOMAINS,
  DOMAIN_SID,
  FILE_CREATES,
  FILE_DELETES,
  LANGS,
  MS_DOMAINS,
  MS_PREFIXES,
  PEOPLE,
  PORT_NAMES,
  REGISTRY_KEYS,
  REGISTRY_SETS,
  SCRIPT_BLOCKS,
  SERVERS,
  SERVICE_ACCOUNTS,
  SYSTEM_DLLS,
  type BinaryDef,
  type DllDef,
} from './catalog.js';
import { Rng, Weighted, fnv1a, stableHex } from './prng.js';
import { KINDS, type CanonicalEvent, type EventKind, type FieldValue } from './shapes.js';

export interface Account {
  name: string;
  domain: string;
  sid: string;
  profile: string;
}

export interface Host {
  index: number;
  short: string;
  fqdn: string;
  role: 'workstation' | 'server' | 'dc';
  ip: string;
  ip6: string;
  machine: string;
  guidTail: string;
  user: Account;
  sysmonPid: number;
  lsassPid: number;
  servicesPid: number;
  /** Sysmon HashAlgorithms differs across the fleet's configs. */
  hashAll: boolean;
  live: Proc[];
  byKey: Map<string, Proc[]>;
  records: Record<string, number>;
}

export interface Proc {
  host: Host;
  bin: BinaryDef;
  guid: string;
  pid: number;
  image: string;
  commandLine: string;
  user: string;
  account: Account | null;
  integrity: string;
  cwd: string;
  logonId: string;
  logonGuid: string;
  parent: Proc | null;
  hashes: string;
  /** Pre-existing processes (system, long-running) are not terminated. */
  pinned: boolean;
}

const SYSTEM_ACCOUNT: Account = { name: 'SYSTEM', domain: 'NT AUTHORITY', sid: 'S-1-5-18', profile: 'C:\\Windows\\system32\\config\\systemprofile' };
const LOCAL_SERVICE: Account = { name: 'LOCAL SERVICE', domain: 'NT AUTHORITY', sid: 'S-1-5-19', profile: 'C:\\Windows\\ServiceProfiles\\LocalService' };
const NETWORK_SERVICE: Account = { name: 'NETWORK SERVICE', domain: 'NT AUTHORITY', sid: 'S-1-5-20', profile: 'C:\\Windows\\ServiceProfiles\\NetworkService' };

const WORKSTATIONS = 240;
const RUN_KEY_SETS = REGISTRY_SETS.filter(([key]) => key.includes('\\Run\\'));
const OTHER_SETS = REGISTRY_SETS.filter(([key]) => !key.includes('\\Run\\'));
const LOGON_TYPES = new Weighted<number>([[3, 55], [5, 15], [2, 5], [7, 6], [10, 3], [11, 3], [4, 4]]);
const MAX_LIVE = 48;
/** 2025-03-03T08:00:00Z in microseconds. */
const START_US = Date.UTC(2025, 2, 3, 8, 0, 0) * 1000;

function account(name: string, rid: number): Account {
  return { name, domain: DOMAIN, sid: `${DOMAIN_SID}-${rid}`, profile: `C:\\Users\\${name}` };
}

let cachedSecond = -1;
let cachedIso = '';

/** `2025-03-03T08:00:01` for a time in microseconds (the date part is cached per second: the clock mostly ticks within one). */
function isoSecond(us: number): string {
  const second = Math.floor(us / 1_000_000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedIso = new Date(second * 1000).toISOString().slice(0, 19);
  }
  return cachedIso;
}

/** Formats microseconds since the epoch as `2025-03-03T08:00:01.123456Z`. */
export function isoMicros(us: number): string {
  return `${isoSecond(us)}.${String(us % 1_000_000).padStart(6, '0')}Z`;
}

/** Sysmon's UtcTime: `2025-03-03 08:00:01.123`. */
export function sysmonTime(us: number): string {
  const iso = isoSecond(us);
  return `${iso.slice(0, 10)} ${iso.slice(11)}.${String(Math.floor((us % 1_000_000) / 1000)).padStart(3, '0')}`;
}

export function hex0x(n: number): string {
  return `0x${n.toString(16)}`;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64(bytes: ArrayLike<number>): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63] + BASE64[(n >> 6) & 63] + BASE64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += `${BASE64[(n >> 18) & 63]}${BASE64[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += `${BASE64[(n >> 18) & 63]}${BASE64[(n >> 12) & 63]}${BASE64[(n >> 6) & 63]}=`;
  }
  return out;
}

/** PowerShell's -EncodedCommand form: base64 of UTF-16LE. */
export function encodePowerShell(script: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < script.length; i++) {
    const c = script.charCodeAt(i);
    bytes.push(c & 0xff, c >> 8);
  }
  return base64(bytes);
}

export class Fleet {
  /** The PRNG in use: the main stream, or the attack stream while an attack event is built (attacks.ts). */
  rng: Rng;
  /** A separate stream for attack events, so the benign events do not depend on the attack share. */
  readonly attackRng: Rng;
  readonly hosts: Host[] = [];
  readonly people: Account[];
  readonly admins: Account[];
  readonly services: Account[];
  private readonly hostPicker: Weighted<Host>;
  private readonly spawnPicker: Weighted<BinaryDef>;
  private readonly activityPicker: Weighted<BinaryDef>;
  private readonly netPicker: Weighted<string>;
  private readonly dnsPicker: Weighted<string>;
  private readonly domainPicker: Weighted<string>;
  private readonly msDomainPicker: Weighted<string>;
  private readonly devDomainPicker: Weighted<string>;
  private nowUs: number;
  private guidSeq = 0;
  /** While an attack event is built: its processes are not registered as live (benign events never reuse them). */
  transient = false;

  constructor(seed: number) {
    this.rng = new Rng(seed);
    this.attackRng = new Rng(seed, 1);
    this.nowUs = START_US + this.rng.int(3600) * 1_000_000;
    this.people = PEOPLE.map((name, i) => account(name, 1104 + i * 7));
    this.admins = ADMINS.map((name, i) => (name === 'Administrator' ? account(name, 500) : account(name, 2201 + i)));
    this.services = SERVICE_ACCOUNTS.map((name, i) => account(name, 3101 + i));
    for (let i = 0; i < WORKSTATIONS; i++) this.hosts.push(this.makeHost(`WS-${String(1000 + i * 7).padStart(4, '0')}`, 'workstation', i));
    SERVERS.forEach((name, i) => this.hosts.push(this.makeHost(name, name.startsWith('DC') ? 'dc' : 'server', WORKSTATIONS + i)));
    // Servers log far more per host than workstations, but there are far fewer of them.
    this.hostPicker = new Weighted(this.hosts.map((h) => [h, h.role === 'workstation' ? 1 : h.role === 'dc' ? 8 : 5] as const));
    this.spawnPicker = new Weighted(BINARIES.map((b) => [b, b.spawnWeight] as const));
    this.activityPicker = new Weighted(BINARIES.map((b) => [b, b.activityWeight] as const));
    this.netPicker = new Weighted([
      ['chrome', 10], ['msedge', 7], ['teams', 5], ['onedrive', 3], ['outlook', 2], ['svchost', 8], ['msmpeng', 2],
      ['zoom', 1], ['code', 1], ['git', 0.5], ['node', 0.5], ['java', 0.5], ['googleupdate', 0.5], ['edgeupdate', 0.5],
      ['lsass', 1.5], ['explorer', 0.5], ['smartscreen', 0.5],
    ]);
    this.dnsPicker = new Weighted([
      ['chrome', 10], ['msedge', 7], ['teams', 4], ['outlook', 4], ['svchost', 6], ['onedrive', 3], ['msmpeng', 1],
      ['zoom', 1], ['code', 1], ['smartscreen', 1], ['googleupdate', 0.5], ['edgeupdate', 0.5], ['git', 0.3], ['node', 0.3],
    ]);
    this.domainPicker = new Weighted(DOMAINS);
    this.msDomainPicker = new Weighted(MS_DOMAINS);
    this.devDomainPicker = new Weighted(DEV_DOMAINS);
  }

  private makeHost(short: string, role: Host['role'], index: number): Host {
    const r = this.rng;
    const user =
      role === 'workstation' ? this.people[index % this.people.length] : role === 'dc' ? this.admins[index % 2] : this.admins[index % 3];
    return {
      index,
      short,
      fqdn: `${short}.${DNS_SUFFIX}`,
      role,
      ip: role === 'workstation' ? `10.20.${4 + (index >> 6)}.${10 + (index & 63) * 3}` : `10.10.1.${10 + index - WORKSTATIONS}`,
      ip6: `fe80::${r.hex(4, true)}:${r.hex(4, true)}:${r.hex(4, true)}:${r.hex(4, true)}`.replace(/:0+(?=[0-9a-f])/g, ':'),
      machine: r.hex(8),
      guidTail: `0000000${r.pick(['00C00', '01000', '00D00', '04002', '00800'])}`,
      user,
      sysmonPid: 2000 + r.int(2500) * 4,
      lsassPid: 600 + r.int(60) * 4,
      servicesPid: 560 + r.int(30) * 4,
      hashAll: r.chance(0.6),
      live: [],
      byKey: new Map(),
      records: { sysmon: 100_000 + r.int(9_000_000), security: 1_000_000 + r.int(90_000_000), powershell: 1000 + r.int(90_000) },
    };
  }

  // -----------------------------------------------------------------------------------------------------------
  // time, ids, templates

  /** Advances the clock (the fleet logs ~1,000 events per second) and returns the new time. */
  tick(): number {
    this.nowUs += 1 + this.rng.int(2000);
    return this.nowUs;
  }

  now(): number {
    return this.nowUs;
  }

  pickHost(): Host {
    return this.hostPicker.pick(this.rng);
  }

  pickWorkstation(): Host {
    return this.hosts[this.rng.int(WORKSTATIONS)];
  }

  hostByName(short: string): Host {
    return this.hosts.find((h) => h.short === short)!;
  }

  pid(): number {
    return 4 * this.rng.range(100, 12000);
  }

  processGuid(host: Host): string {
    const t = Math.floor(this.nowUs / 1_000_000) - this.rng.int(86_400);
    // Attack processes leave the sequence alone, so the benign stream is the same whatever the attack share.
    const seq = this.transient ? this.rng.int(0x10000) : (this.guidSeq = (this.guidSeq + 1 + this.rng.int(7)) & 0xffff);
    return `${host.machine}-${((t >>> 16) & 0xffff).toString(16).toUpperCase().padStart(4, '0')}-${(t & 0xffff)
      .toString(16)
      .toUpperCase()
      .padStart(4, '0')}-${seq.toString(16).toUpperCase().padStart(4, '0')}-${host.guidTail}`;
  }

  /** Replaces `{name}` placeholders: `profile`, `user`, `host`, `sid`, `exe`, `exeupper`, `lang`, `guid`, `cv`, `hexN`, `lowerN`, `nN`. */
  expand(template: string, ctx: { account?: Account | null; host?: Host; exe?: string }): string {
    if (template.indexOf('{') < 0) return template;
    return template.replace(/\{([a-z]+)(\d*)\}/g, (whole, name: string, digits: string) => {
      const n = digits ? Number(digits) : 0;
      switch (name) {
        case 'profile':
          return (ctx.account ?? ctx.host?.user ?? SYSTEM_ACCOUNT).profile;
        case 'user':
          return (ctx.account ?? ctx.host?.user ?? SYSTEM_ACCOUNT).name;
        case 'host':
          return ctx.host?.short ?? 'WS-1000';
        case 'sid':
          return (ctx.account ?? ctx.host?.user ?? SYSTEM_ACCOUNT).sid;
        case 'exe':
          return ctx.exe ?? 'notepad.exe';
        case 'exeupper':
          return (ctx.exe ?? 'notepad.exe').toUpperCase();
        case 'lang':
          return this.rng.pick(LANGS);
        case 'guid':
          return this.rng.guid();
        case 'cv':
          return this.rng.chars(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
        case 'hex':
          return this.rng.hex(n);
        case 'lower':
          return this.rng.hex(n, true);
        case 'n':
          return this.digits(n);
        default:
          return whole;
      }
    });
  }

  /** A decimal number of exactly `n` digits (no leading zero). */
  digits(n: number): string {
    let s = String(1 + this.rng.int(9));
    for (let i = 1; i < n; i++) s += String(this.rng.int(10));
    return s;
  }

  // -----------------------------------------------------------------------------------------------------------
  // processes

  private readonly hashCache = new Map<string, string>();

  /** The Hashes field of a file: stable per file (memoised), in the host's Sysmon HashAlgorithms configuration. */
  hashesFor(host: Host, key: string): string {
    const cacheKey = host.hashAll ? `1${key}` : `0${key}`;
    let out = this.hashCache.get(cacheKey);
    if (out === undefined) {
      const md5 = stableHex(`${key}:md5`, 32);
      const sha256 = stableHex(`${key}:sha256`, 64);
      const imphash = stableHex(`${key}:imphash`, 32);
      out = host.hashAll ? `SHA1=${stableHex(`${key}:sha1`, 40)},MD5=${md5},SHA256=${sha256},IMPHASH=${imphash}` : `MD5=${md5},SHA256=${sha256},IMPHASH=${imphash}`;
      if (this.hashCache.size < 100_000) this.hashCache.set(cacheKey, out);
    }
    return out;
  }

  accountFor(host: Host, bin: BinaryDef): Account {
    switch (bin.runAs) {
      case 'system':
        return SYSTEM_ACCOUNT;
      case 'localservice':
        return LOCAL_SERVICE;
      case 'networkservice':
        return NETWORK_SERVICE;
      case 'user':
        return host.user;
    }
  }

  static userName(a: Account): string {
    return `${a.domain}\\${a.name}`;
  }

  /** Substitutes binaries that only exist on one server. */
  private localBinary(host: Host, bin: BinaryDef): BinaryDef {
    if (bin.key === 'sqlservr' && host.short !== 'SQL01') return BINARY_BY_KEY.get('svchost')!;
    if (bin.key === 'w3wp' && host.short !== 'WEB01') return BINARY_BY_KEY.get('svchost')!;
    return bin;
  }

  /** Creates a process record (and registers it as live on its host). */
  newProc(
    host: Host,
    bin: BinaryDef,
    opts: {
      parent?: Proc | null;
      account?: Account;
      image?: string;
      commandLine?: string;
      integrity?: string;
      hashes?: string;
      pinned?: boolean;
      cwd?: string;
    } = {},
  ): Proc {
    const acct = opts.account ?? this.accountFor(host, bin);
    const profileAccount = acct.domain === DOMAIN ? acct : host.user;
    const image = opts.image ?? this.expand(bin.path, { account: profileAccount, host });
    const commandLine = opts.commandLine ?? this.expand(this.rng.pick(bin.commands), { account: profileAccount, host });
    const system = acct.domain === 'NT AUTHORITY';
    const proc: Proc = {
      host,
      bin,
      guid: this.processGuid(host),
      pid: bin.key === 'lsass' ? host.lsassPid : bin.key === 'services' ? host.servicesPid : this.pid(),
      image,
      commandLine,
      user: Fleet.userName(acct),
      account: acct,
      integrity: opts.integrity ?? (system ? 'System' : host.role !== 'workstation' ? 'High' : bin.integrity),
      cwd: opts.cwd ?? (system || !bin.path.includes('{profile}') ? 'C:\\Windows\\system32\\' : `${profileAccount.profile}\\`),
      logonId: system ? (acct.sid === 'S-1-5-18' ? '0x3e7' : acct.sid === 'S-1-5-19' ? '0x3e5' : '0x3e4') : hex0x(0x50000 + (fnv1a(host.short + acct.name) & 0xfffff)),
      logonGuid: `${host.machine}-${(fnv1a(acct.name) & 0xffff).toString(16).toUpperCase().padStart(4, '0')}-65E4-${system ? 'E703' : 'AAE2'}-0${system ? '00000000000' : '70000000000'}`,
      parent: opts.parent ?? null,
      hashes: opts.hashes ?? this.hashesFor(host, bin.key),
      pinned: opts.pinned ?? false,
    };
    if (this.transient) return proc;
    host.live.push(proc);
    let list = host.byKey.get(bin.key);
    if (!list) host.byKey.set(bin.key, (list = []));
    list.push(proc);
    if (host.live.length > MAX_LIVE) {
      const idx = host.live.findIndex((p) => !p.pinned);
      if (idx >= 0) this.forget(host.live[idx]);
    }
    return proc;
  }

  forget(p: Proc): void {
    const h = p.host;
    const i = h.live.indexOf(p);
    if (i >= 0) h.live.splice(i, 1);
    const list = h.byKey.get(p.bin.key);
    if (list) {
      const j = list.indexOf(p);
      if (j >= 0) list.splice(j, 1);
    }
  }

  /** A running process of the given binary on the host (one that started before the stream if none is known). */
  live(host: Host, key: string, depth = 0): Proc {
    const bin = this.localBinary(host, BINARY_BY_KEY.get(key) ?? BINARY_BY_KEY.get('svchost')!);
    const list = host.byKey.get(bin.key);
    if (list && list.length > 0 && (list.length >= 3 || this.rng.chance(0.85))) return this.rng.pick(list);
    const parentKey = bin.parents[0];
    const parent = depth < 3 && parentKey && BINARY_BY_KEY.has(parentKey) && parentKey !== key ? this.live(host, parentKey, depth + 1) : null;
    return this.newProc(host, bin, { parent, pinned: depth > 0 || bin.runAs !== 'user' || bin.key === 'explorer' });
  }

  /** A parent process for a new process of `bin`. */
  parentFor(host: Host, bin: BinaryDef): Proc {
    const keys = bin.parents;
    const key = keys.length === 0 ? 'explorer' : this.rng.chance(0.6) ? keys[0] : this.rng.pick(keys);
    return this.live(host, key);
  }

  // -----------------------------------------------------------------------------------------------------------
  // event skeletons

  event(kind: EventKind, host: Host, data: Record<string, FieldValue>, attack: string | null = null, opts: { userSid?: string | null; level?: number; execPid?: number } = {}): CanonicalEvent {
    const spec = KINDS[kind];
    const channel = spec.channel === 'Security' ? 'security' : spec.channel.includes('Sysmon') ? 'sysmon' : 'powershell';
    const recordId = ++host.records[channel];
    const out: CanonicalEvent = {
      kind,
      computer: host.fqdn,
      time: isoMicros(this.nowUs),
      recordId,
      execPid: opts.execPid ?? (channel === 'sysmon' ? host.sysmonPid : channel === 'security' ? host.lsassPid : 4 * this.rng.range(100, 9000)),
      execTid: 4 * this.rng.range(50, 4000),
      userSid: opts.userSid !== undefined ? opts.userSid : channel === 'sysmon' ? 'S-1-5-18' : null,
      activityId: channel === 'security' && spec.eventId !== 4688 ? this.activityId(host) : null,
      data,
      attack,
    };
    if (opts.level !== undefined) out.level = opts.level;
    return out;
  }

  private activityId(host: Host): string {
    return `${host.machine.slice(0, 4)}${stableHex(host.short, 4)}-5B8A-0001-${stableHex(`${host.short}:a`, 4)}-${stableHex(`${host.short}:b`, 12)}`;
  }

  /** Sysmon's UtcTime a few milliseconds before the event was written. */
  utc(): string {
    return sysmonTime(this.nowUs - this.rng.int(3000));
  }

  // -----------------------------------------------------------------------------------------------------------
  // Sysmon builders (used by benign and attack events alike)

  processCreate(p: Proc, attack: string | null = null, meta?: Partial<Pick<BinaryDef, 'originalFileName' | 'description' | 'product' | 'company' | 'fileVersion'>>): CanonicalEvent {
    const b = { ...p.bin, ...meta };
    const parent = p.parent;
    return this.event('sysmon-1', p.host, {
      RuleName: '-',
      UtcTime: this.utc(),
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      Image: p.image,
      FileVersion: b.fileVersion,
      Description: b.description,
      Product: b.product,
      Company: b.company,
      OriginalFileName: b.originalFileName,
      CommandLine: p.commandLine,
      CurrentDirectory: p.cwd,
      User: p.user,
      LogonGuid: p.logonGuid,
      LogonId: p.logonId,
      TerminalSessionId: p.account?.domain === 'NT AUTHORITY' ? 0 : 1 + (p.host.index % 3),
      IntegrityLevel: p.integrity,
      Hashes: p.hashes,
      ParentProcessGuid: parent?.guid ?? '00000000-0000-0000-0000-000000000000',
      ParentProcessId: parent?.pid ?? 4,
      ParentImage: parent?.image ?? 'System',
      ParentCommandLine: parent?.commandLine ?? '',
      ParentUser: parent?.user ?? 'NT AUTHORITY\\SYSTEM',
    }, attack);
  }

  processCreate4688(p: Proc, attack: string | null = null): CanonicalEvent {
    const parent = p.parent;
    const acct = p.account ?? SYSTEM_ACCOUNT;
    const system = acct.domain === 'NT AUTHORITY';
    return this.event('security-4688', p.host, {
      SubjectUserSid: acct.sid,
      SubjectUserName: system ? `${p.host.short}$` : acct.name,
      SubjectDomainName: system ? DOMAIN : acct.domain,
      SubjectLogonId: p.logonId,
      NewProcessId: hex0x(p.pid),
      NewProcessName: p.image,
      TokenElevationType: system ? '%%1936' : p.integrity === 'High' ? '%%1937' : '%%1938',
      ProcessId: hex0x(parent?.pid ?? 4),
      CommandLine: p.commandLine,
      TargetUserSid: 'S-1-0-0',
      TargetUserName: '-',
      TargetDomainName: '-',
      TargetLogonId: '0x0',
      ParentProcessName: parent?.image ?? '',
      MandatoryLabel: p.integrity === 'System' ? 'S-1-16-16384' : p.integrity === 'High' ? 'S-1-16-12288' : p.integrity === 'Low' ? 'S-1-16-4096' : 'S-1-16-8192',
    }, attack);
  }

  network(p: Proc, dst: { ip: string; host: string; port: number; protocol?: string; initiated?: boolean }, attack: string | null = null): CanonicalEvent {
    const v6 = dst.ip.includes(':');
    const initiated = dst.initiated ?? true;
    const ephemeral = 49152 + this.rng.int(16383);
    const h = p.host;
    const local = { ip: v6 ? h.ip6 : h.ip, host: h.fqdn, port: initiated ? ephemeral : dst.port };
    const remote = { ip: dst.ip, host: dst.host, port: initiated ? dst.port : ephemeral };
    const src = initiated ? local : remote;
    const dest = initiated ? remote : local;
    return this.event('sysmon-3', h, {
      RuleName: '-',
      UtcTime: this.utc(),
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      Image: p.image,
      User: p.user,
      Protocol: dst.protocol ?? 'tcp',
      Initiated: initiated ? 'true' : 'false',
      SourceIsIpv6: v6 ? 'true' : 'false',
      SourceIp: src.ip,
      SourceHostname: src.host,
      SourcePort: src.port,
      SourcePortName: PORT_NAMES[src.port] ?? '-',
      DestinationIsIpv6: v6 ? 'true' : 'false',
      DestinationIp: dest.ip,
      DestinationHostname: dest.host,
      DestinationPort: dest.port,
      DestinationPortName: PORT_NAMES[dest.port] ?? '-',
    }, attack);
  }

  imageLoad(p: Proc, dll: { path: string; description: string; product: string; company: string; fileVersion: string; originalFileName: string; signed: boolean; signer: string; hashes: string }, attack: string | null = null): CanonicalEvent {
    return this.event('sysmon-7', p.host, {
      RuleName: '-',
      UtcTime: this.utc(),
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      Image: p.image,
      ImageLoaded: dll.path,
      FileVersion: dll.fileVersion,
      Description: dll.description,
      Product: dll.product,
      Company: dll.company,
      OriginalFileName: dll.originalFileName,
      Hashes: dll.hashes,
      Signed: dll.signed ? 'true' : 'false',
      Signature: dll.signer,
      SignatureStatus: dll.signed ? 'Valid' : 'Unavailable',
      User: p.user,
    }, attack);
  }

  processAccess(src: Proc, target: Proc, access: string, callTrace: string, attack: string | null = null): CanonicalEvent {
    return this.event('sysmon-10', src.host, {
      RuleName: '-',
      UtcTime: this.utc(),
      SourceProcessGUID: src.guid,
      SourceProcessId: src.pid,
      SourceThreadId: 4 * this.rng.range(50, 5000),
      SourceImage: src.image,
      TargetProcessGUID: target.guid,
      TargetProcessId: target.pid,
      TargetImage: target.image,
      GrantedAccess: access,
      CallTrace: callTrace,
      SourceUser: src.user,
      TargetUser: target.user,
    }, attack);
  }

  fileCreate(p: Proc, path: string, attack: string | null = null): CanonicalEvent {
    const t = this.utc();
    return this.event('sysmon-11', p.host, {
      RuleName: '-',
      UtcTime: t,
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      Image: p.image,
      TargetFilename: path,
      CreationUtcTime: this.rng.chance(0.8) ? t : sysmonTime(this.nowUs - 1_000_000 * this.rng.range(60, 9_000_000)),
      User: p.user,
    }, attack);
  }

  fileDelete(p: Proc, path: string, attack: string | null = null): CanonicalEvent {
    const exe = /\.(exe|dll|sys)$/i.test(path);
    return this.event('sysmon-23', p.host, {
      RuleName: '-',
      UtcTime: this.utc(),
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      User: p.user,
      Image: p.image,
      TargetFilename: path,
      Hashes: this.hashesFor(p.host, `file:${path}`),
      IsExecutable: exe ? 'true' : 'false',
      Archived: this.rng.chance(0.3) ? 'true' : 'false',
    }, attack);
  }

  registryKey(p: Proc, eventType: string, key: string, attack: string | null = null): CanonicalEvent {
    return this.event('sysmon-12', p.host, {
      RuleName: '-',
      EventType: eventType,
      UtcTime: this.utc(),
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      Image: p.image,
      TargetObject: key,
      User: p.user,
    }, attack);
  }

  registrySet(p: Proc, key: string, details: string, attack: string | null = null): CanonicalEvent {
    return this.event('sysmon-13', p.host, {
      RuleName: '-',
      EventType: 'SetValue',
      UtcTime: this.utc(),
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      Image: p.image,
      TargetObject: key,
      Details: details,
      User: p.user,
    }, attack);
  }

  dnsQuery(p: Proc, name: string, results: string, status = '0', attack: string | null = null): CanonicalEvent {
    return this.event('sysmon-22', p.host, {
      RuleName: '-',
      UtcTime: this.utc(),
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      QueryName: name,
      QueryStatus: status,
      QueryResults: results,
      Image: p.image,
      User: p.user,
    }, attack);
  }

  scriptBlock(host: Host, account: Account, text: string, path: string, attack: string | null = null, level = 5): CanonicalEvent {
    return this.event('powershell-4104', host, {
      MessageNumber: 1,
      MessageTotal: 1,
      ScriptBlockText: text,
      ScriptBlockId: this.rng.guid(true),
      Path: path,
    }, attack, { userSid: account.sid, level });
  }

  // -----------------------------------------------------------------------------------------------------------
  // benign events

  /** An IPv4 (sometimes IPv6) address for a name: stable per name, as DNS answers mostly are. */
  resolve(name: string, v6 = false): string {
    const h = fnv1a(name);
    if (name.endsWith(DNS_SUFFIX)) {
      const server = SERVERS.findIndex((s) => name.startsWith(`${s.toLowerCase()}.`));
      return server >= 0 ? `10.10.1.${10 + server}` : `10.10.2.${h & 0x7f}`;
    }
    if (/(microsoft|office365|microsoftonline|sharepoint|office|bing|msn|windowsupdate|live)\.com$/.test(name)) {
      if (v6) return `2603:1036:${((h >>> 4) & 0xfff).toString(16)}:${((h >>> 16) & 0xffff).toString(16)}::${(h & 0xff).toString(16)}`;
      return `${MS_PREFIXES[h % MS_PREFIXES.length]}.${1 + ((h >>> 8) % 250)}`;
    }
    if (v6) return `2a00:1450:40${(h & 0xf).toString(16).padStart(2, '0')}:${((h >>> 4) & 0xfff).toString(16)}::${((h >>> 16) & 0xffff).toString(16)}`;
    const firsts = [13, 20, 23, 40, 52, 104, 140, 142, 151, 172, 184, 199];
    return `${firsts[h % firsts.length]}.${(h >>> 8) & 0xff}.${(h >>> 16) & 0xff}.${1 + ((h >>> 24) % 250)}`;
  }

  benignProcessCreate(as4688: boolean): CanonicalEvent {
    const host = this.pickHost();
    let bin = this.localBinary(host, this.spawnPicker.pick(this.rng));
    if (host.role !== 'workstation' && bin.path.includes('{profile}')) bin = BINARY_BY_KEY.get('conhost')!;
    const parent = this.parentFor(host, bin);
    const acct = bin.runAs === 'user' && parent.account?.domain === DOMAIN ? parent.account : this.accountFor(host, bin);
    const p = this.newProc(host, bin, { parent, account: acct });
    return as4688 ? this.processCreate4688(p) : this.processCreate(p);
  }

  benignProcessTerminate(): CanonicalEvent {
    const host = this.pickHost();
    const candidates = host.live.filter((p) => !p.pinned);
    const p = candidates.length > 0 ? this.rng.pick(candidates) : this.newProc(host, BINARY_BY_KEY.get('conhost')!, { parent: this.live(host, 'cmd') });
    this.forget(p);
    return this.event('sysmon-5', host, {
      RuleName: '-',
      UtcTime: this.utc(),
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      Image: p.image,
      User: p.user,
    });
  }

  benignNetwork(): CanonicalEvent {
    const host = this.pickHost();
    const p = this.live(host, this.netPicker.pick(this.rng));
    const r = this.rng;
    if (p.bin.key === 'lsass' || (p.bin.key === 'svchost' && r.chance(0.35))) {
      const dc = r.chance(0.6) ? 'dc01' : 'dc02';
      const port = p.bin.key === 'lsass' ? r.pick([88, 389, 3268, 135]) : r.pick([445, 135, 389, 53]);
      return this.network(p, { ip: `10.10.1.${dc === 'dc01' ? 10 : 11}`, host: `${dc}.${DNS_SUFFIX}`, port, protocol: port === 53 || (port === 389 && r.chance(0.3)) ? 'udp' : 'tcp' });
    }
    if (host.role !== 'workstation' && r.chance(0.5)) {
      const client = this.pickWorkstation();
      return this.network(this.live(host, host.short === 'SQL01' ? 'sqlservr' : 'svchost'), {
        ip: client.ip, host: client.fqdn, port: host.short === 'SQL01' ? 1433 : host.short === 'WEB01' ? 443 : 445, initiated: false,
      });
    }
    const name = this.destinationFor(p);
    const v6 = !name.endsWith(DNS_SUFFIX) && r.chance(0.12);
    return this.network(p, { ip: this.resolve(name, v6), host: r.chance(0.8) ? name : '-', port: r.chance(0.9) ? 443 : 80 });
  }

  /** A name the process would talk to: Microsoft's clients talk to Microsoft, developer tools to package hosts. */
  private destinationFor(p: Proc): string {
    switch (p.bin.key) {
      case 'outlook':
      case 'teams':
      case 'onedrive':
      case 'svchost':
      case 'msmpeng':
      case 'edgeupdate':
      case 'smartscreen':
      case 'winword':
      case 'excel':
        return this.msDomainPicker.pick(this.rng);
      case 'git':
      case 'node':
      case 'code':
      case 'python':
        return this.devDomainPicker.pick(this.rng);
      case 'googleupdate':
        return this.rng.pick(['update.googleapis.com', 'clients2.google.com', 'dl.google.com']);
      default:
        return this.domainPicker.pick(this.rng);
    }
  }

  private dllFor(p: Proc): { path: string; description: string; product: string; company: string; fileVersion: string; originalFileName: string; signed: boolean; signer: string; hashes: string } {
    const app = APP_DLLS[p.bin.key];
    let dll: DllDef;
    let dir: string;
    const wow = p.image.includes('(x86)') || p.image.includes('SysWOW64');
    if (app && this.rng.chance(0.35)) {
      dll = this.rng.pick(app);
      dir = this.expand(dll.dir!, { account: p.account?.domain === DOMAIN ? p.account : p.host.user });
    } else {
      dll = this.rng.pickSkewed(SYSTEM_DLLS);
      dir = wow ? 'C:\\Windows\\SysWOW64' : 'C:\\Windows\\System32';
    }
    const signed = dll.signed ?? true;
    return {
      path: `${dir}\\${dll.name}`,
      description: dll.description,
      product: dll.product ?? 'Microsoft® Windows® Operating System',
      company: dll.company ?? 'Microsoft Corporation',
      fileVersion: dll.fileVersion ?? '10.0.22621.3085 (WinBuild.160101.0800)',
      originalFileName: dll.name.toLowerCase() === 'ntdll.dll' ? 'ntdll.dll' : dll.name,
      signed,
      signer: signed ? (dll.signer ?? 'Microsoft Windows') : '-',
      hashes: this.hashesFor(p.host, `${dir.includes('SysWOW64') ? 'wow:' : ''}${dll.dir ?? 'sys'}\\${dll.name}`),
    };
  }

  benignImageLoad(): CanonicalEvent {
    const host = this.pickHost();
    const p = this.live(host, this.activityPicker.pick(this.rng).key);
    return this.imageLoad(p, this.dllFor(p));
  }

  private callTrace(p: Proc, extra?: string): string {
    const r = this.rng;
    const off = (max: number): string => (0x1000 + r.int(max)).toString(16);
    const frames = [`C:\\Windows\\SYSTEM32\\ntdll.dll+${off(0xfffff)}`, `C:\\Windows\\System32\\KERNELBASE.dll+${off(0xfffff)}`];
    if (extra) frames.push(extra);
    const n = r.range(1, 4);
    for (let i = 0; i < n; i++) frames.push(`${p.image}+${off(0x3ffff)}`);
    if (r.chance(0.5)) frames.push(`C:\\Windows\\System32\\KERNEL32.DLL+${off(0x3ffff)}`, `C:\\Windows\\SYSTEM32\\ntdll.dll+${off(0xfffff)}`);
    return frames.join('|');
  }

  benignProcessAccess(): CanonicalEvent {
    const host = this.pickHost();
    const r = this.rng;
    const pairs: ReadonlyArray<readonly [string, string, readonly string[]]> = [
      ['svchost', 'svchost', ['0x1000', '0x1400', '0x101000', '0x3000']],
      ['msmpeng', 'chrome', ['0x1000', '0x101000', '0x1400']],
      ['msmpeng', 'explorer', ['0x1000', '0x101000']],
      ['explorer', 'chrome', ['0x1000', '0x101000']],
      ['chrome', 'chrome', ['0x1000', '0x101541', '0x1400']],
      ['msedge', 'msedge', ['0x1000', '0x101541']],
      ['teams', 'teams', ['0x1000', '0x101000']],
      ['csrss', 'chrome', ['0x1fffff', '0x1000']],
      ['wmiprvse', 'svchost', ['0x1000', '0x1400']],
      ['searchindexer', 'searchprotocolhost', ['0x1fffff', '0x1000']],
      ['taskhostw', 'explorer', ['0x1000']],
      ['msmpeng', 'lsass', ['0x1000']],
      ['svchost', 'lsass', ['0x1000', '0x3000']],
      ['wininit', 'lsass', ['0x1000']],
    ];
    const [s, t, rights] = r.pickSkewed(pairs);
    const src = this.live(host, s);
    const tgt = this.live(host, t);
    return this.processAccess(src, tgt, r.pick(rights), this.callTrace(src));
  }

  benignFileCreate(): CanonicalEvent {
    const host = this.pickHost();
    const [tpl, key] = this.rng.pick(FILE_CREATES);
    const p = this.live(host, key);
    const acct = p.account?.domain === DOMAIN ? p.account : host.user;
    return this.fileCreate(p, this.expand(tpl, { account: acct, host, exe: this.exeName() }));
  }

  benignFileDelete(): CanonicalEvent {
    const host = this.pickHost();
    const [tpl, key] = this.rng.pick(FILE_DELETES);
    const p = this.live(host, key);
    const acct = p.account?.domain === DOMAIN ? p.account : host.user;
    return this.fileDelete(p, this.expand(tpl, { account: acct, host }));
  }

  private exeName(): string {
    const b = this.rng.pick(BINARIES);
    return b.path.slice(b.path.lastIndexOf('\\') + 1);
  }

  benignRegistryKey(): CanonicalEvent {
    const host = this.pickHost();
    const [type, tpl, key] = this.rng.pick(REGISTRY_KEYS);
    const p = this.live(host, key);
    return this.registryKey(p, type, this.expand(tpl, { account: host.user, host }));
  }

  benignRegistrySet(): CanonicalEvent {
    const host = this.pickHost();
    // Autostart writes by OneDrive/Teams updates are real but rare.
    const [tpl, details, key] = this.rng.chance(0.015) ? this.rng.pick(RUN_KEY_SETS) : this.rng.pickSkewed(OTHER_SETS);
    const p = this.live(host, key);
    const exe = this.exeName();
    return this.registrySet(p, this.expand(tpl, { account: host.user, host, exe }), this.expand(details, { account: host.user, host }));
  }

  benignDns(): CanonicalEvent {
    const host = this.pickHost();
    const p = this.live(host, this.dnsPicker.pick(this.rng));
    const r = this.rng;
    const name = this.destinationFor(p);
    if (r.chance(0.03)) return this.dnsQuery(p, `${name.split('.')[0]}.${DNS_SUFFIX}`, '-', '9003');
    const cname = !name.endsWith(DNS_SUFFIX) && r.chance(0.4) ? `type:  5 ${name.replace(/\./g, '-')}.edgekey.net;` : '';
    const answers = [`::ffff:${this.resolve(name)};`];
    if (r.chance(0.3)) answers.push(`::ffff:${this.resolve(`${name}#2`)};`);
    if (!name.endsWith(DNS_SUFFIX) && r.chance(0.25)) answers.push(`${this.resolve(name, true)};`);
    return this.dnsQuery(p, name, `${cname}${answers.join('')}`);
  }

  benignLogon(): CanonicalEvent {
    const r = this.rng;
    const host = this.pickHost();
    const type = LOGON_TYPES.pick(r);
    const client = this.pickWorkstation();
    const machineLogon = type === 3 && r.chance(0.4);
    const target: Account =
      type === 5 ? { name: 'SYSTEM', domain: 'NT AUTHORITY', sid: 'S-1-5-18', profile: '' } :
      type === 4 ? r.pick(this.services) :
      machineLogon ? { name: `${client.short}$`, domain: DOMAIN, sid: `${DOMAIN_SID}-${5000 + client.index}`, profile: '' } :
      type === 3 ? client.user : host.user;
    const ntlm = type === 3 && r.chance(0.2);
    const network = type === 3;
    const remote = type === 10 || network;
    const subjectSystem = !network;
    return this.event('security-4624', host, {
      SubjectUserSid: subjectSystem ? 'S-1-5-18' : 'S-1-0-0',
      SubjectUserName: subjectSystem ? `${host.short}$` : '-',
      SubjectDomainName: subjectSystem ? DOMAIN : '-',
      SubjectLogonId: subjectSystem ? '0x3e7' : '0x0',
      TargetUserSid: target.sid,
      TargetUserName: target.name,
      TargetDomainName: target.domain,
      TargetLogonId: hex0x(0x100000 + r.int(0x7fffffff)),
      LogonType: type,
      LogonProcessName: network ? (ntlm ? 'NtLmSsp' : 'Kerberos') : type === 5 || type === 4 ? 'Advapi' : 'User32',
      AuthenticationPackageName: ntlm ? 'NTLM' : network ? 'Kerberos' : 'Negotiate',
      WorkstationName: ntlm ? client.short : type === 10 || type === 2 || type === 7 ? host.short : '-',
      LogonGuid: ntlm || type === 5 ? '{00000000-0000-0000-0000-000000000000}' : `{${r.guid(true)}}`,
      TransmittedServices: '-',
      LmPackageName: ntlm ? 'NTLM V2' : '-',
      KeyLength: ntlm ? 128 : 0,
      ProcessId: network ? '0x0' : hex0x(type === 5 ? host.servicesPid : 4 * r.range(100, 2000)),
      ProcessName: network ? '-' : type === 5 ? 'C:\\Windows\\System32\\services.exe' : type === 10 ? 'C:\\Windows\\System32\\winlogon.exe' : 'C:\\Windows\\System32\\svchost.exe',
      IpAddress: remote ? client.ip : type === 5 || type === 4 ? '-' : '127.0.0.1',
      IpPort: remote ? String(49152 + r.int(16383)) : type === 5 || type === 4 ? '-' : '0',
      ImpersonationLevel: '%%1833',
      RestrictedAdminMode: type === 10 ? '%%1843' : '-',
      TargetOutboundUserName: '-',
      TargetOutboundDomainName: '-',
      VirtualAccount: '%%1843',
      TargetLinkedLogonId: '0x0',
      ElevatedToken: type === 5 || host.role !== 'workstation' ? '%%1842' : '%%1843',
    });
  }

  benignFailedLogon(): CanonicalEvent {
    const r = this.rng;
    const host = this.pickHost();
    const client = this.pickWorkstation();
    const type = r.chance(0.8) ? 3 : 2;
    const unknownUser = r.chance(0.2);
    const name = unknownUser ? `${client.user.name.slice(0, -1)}` : client.user.name;
    return this.event('security-4625', host, {
      SubjectUserSid: type === 3 ? 'S-1-0-0' : 'S-1-5-18',
      SubjectUserName: type === 3 ? '-' : `${host.short}$`,
      SubjectDomainName: type === 3 ? '-' : DOMAIN,
      SubjectLogonId: type === 3 ? '0x0' : '0x3e7',
      TargetUserSid: 'S-1-0-0',
      TargetUserName: name,
      TargetDomainName: DOMAIN,
      Status: '0xc000006d',
      FailureReason: '%%2313',
      SubStatus: unknownUser ? '0xc0000064' : '0xc000006a',
      LogonType: type,
      LogonProcessName: type === 3 ? 'NtLmSsp' : 'User32',
      AuthenticationPackageName: type === 3 ? 'NTLM' : 'Negotiate',
      WorkstationName: client.short,
      TransmittedServices: '-',
      LmPackageName: '-',
      KeyLength: 0,
      ProcessId: type === 3 ? '0x0' : hex0x(4 * r.range(100, 2000)),
      ProcessName: type === 3 ? '-' : 'C:\\Windows\\System32\\svchost.exe',
      IpAddress: type === 3 ? client.ip : '127.0.0.1',
      IpPort: type === 3 ? String(49152 + r.int(16383)) : '0',
    });
  }

  benignScriptBlock(): CanonicalEvent {
    const host = this.pickHost();
    const acct = this.rng.chance(0.7) ? host.user : SYSTEM_ACCOUNT;
    const text = this.expand(this.rng.pickSkewed(SCRIPT_BLOCKS), { account: acct, host });
    const path = this.rng.chance(0.2) ? 'C:\\Scripts\\inventory.ps1' : '';
    return this.scriptBlock(host, acct, text, path);
  }

  static readonly SYSTEM = SYSTEM_ACCOUNT;
}

