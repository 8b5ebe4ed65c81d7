/**
 * MITRE ATT&CK coverage from Sigma tags (`attack.<tactic>`, `attack.t1059.001`, `attack.g0032`, `attack.s0154`).
 * Tactic names are the fourteen Enterprise tactics; technique names come from a short table of common techniques
 * (ids alone otherwise: sigmatch ships no copy of the ATT&CK knowledge base). Ids are written upper-case
 * (`T1219.002`), as ATT&CK writes them, with the tag as written next to them.
 */

export interface AttackTactic {
  /** `TA0011`. */
  id: string;
  name: string;
  /** The tag as written in the rule. */
  tag: string;
  url: string;
}

export interface AttackTechnique {
  /** `T1219.002`. */
  id: string;
  /** From sigmatch's short table of common techniques; absent for the others. */
  name?: string;
  /** The parent technique of a sub-technique (`T1219`), with its name when known. */
  parent?: { id: string; name?: string };
  tag: string;
  url: string;
}

export interface AttackReference {
  id: string;
  tag: string;
  url: string;
}

export interface AttackCoverage {
  tactics: AttackTactic[];
  techniques: AttackTechnique[];
  /** `attack.g0032`: threat groups. */
  groups: AttackReference[];
  /** `attack.s0154`: software. */
  software: AttackReference[];
  /** Tags that are not ATT&CK (`cve.2021-44228`, `detection.threat-hunting`, `car.2016-04-005`, ...). */
  other: string[];
}

/** The Enterprise tactics, by the short names Sigma tags use (`attack.<name>`, dashes or underscores). */
export const ATTACK_TACTICS: Readonly<Record<string, { id: string; name: string }>> = {
  reconnaissance: { id: 'TA0043', name: 'Reconnaissance' },
  'resource-development': { id: 'TA0042', name: 'Resource Development' },
  'initial-access': { id: 'TA0001', name: 'Initial Access' },
  execution: { id: 'TA0002', name: 'Execution' },
  persistence: { id: 'TA0003', name: 'Persistence' },
  'privilege-escalation': { id: 'TA0004', name: 'Privilege Escalation' },
  'defense-evasion': { id: 'TA0005', name: 'Defense Evasion' },
  'credential-access': { id: 'TA0006', name: 'Credential Access' },
  discovery: { id: 'TA0007', name: 'Discovery' },
  'lateral-movement': { id: 'TA0008', name: 'Lateral Movement' },
  collection: { id: 'TA0009', name: 'Collection' },
  'command-and-control': { id: 'TA0011', name: 'Command and Control' },
  exfiltration: { id: 'TA0010', name: 'Exfiltration' },
  impact: { id: 'TA0040', name: 'Impact' },
};

/** Names of common techniques (the ones most Sigma rules tag). Others are shown by id. */
export const ATTACK_TECHNIQUE_NAMES: Readonly<Record<string, string>> = {
  T1003: 'OS Credential Dumping',
  'T1003.001': 'LSASS Memory',
  'T1003.002': 'Security Account Manager',
  'T1003.003': 'NTDS',
  T1005: 'Data from Local System',
  T1012: 'Query Registry',
  T1016: 'System Network Configuration Discovery',
  T1018: 'Remote System Discovery',
  T1021: 'Remote Services',
  'T1021.001': 'Remote Desktop Protocol',
  'T1021.002': 'SMB/Windows Admin Shares',
  'T1021.004': 'SSH',
  'T1021.006': 'Windows Remote Management',
  T1027: 'Obfuscated Files or Information',
  T1033: 'System Owner/User Discovery',
  T1036: 'Masquerading',
  T1046: 'Network Service Discovery',
  T1047: 'Windows Management Instrumentation',
  T1049: 'System Network Connections Discovery',
  T1053: 'Scheduled Task/Job',
  'T1053.005': 'Scheduled Task',
  T1055: 'Process Injection',
  T1057: 'Process Discovery',
  T1059: 'Command and Scripting Interpreter',
  'T1059.001': 'PowerShell',
  'T1059.003': 'Windows Command Shell',
  'T1059.004': 'Unix Shell',
  'T1059.005': 'Visual Basic',
  'T1059.007': 'JavaScript',
  T1069: 'Permission Groups Discovery',
  T1070: 'Indicator Removal',
  'T1070.001': 'Clear Windows Event Logs',
  T1071: 'Application Layer Protocol',
  'T1071.001': 'Web Protocols',
  'T1071.004': 'DNS',
  T1078: 'Valid Accounts',
  'T1078.003': 'Local Accounts',
  'T1078.004': 'Cloud Accounts',
  T1082: 'System Information Discovery',
  T1083: 'File and Directory Discovery',
  T1087: 'Account Discovery',
  T1090: 'Proxy',
  T1098: 'Account Manipulation',
  T1102: 'Web Service',
  T1105: 'Ingress Tool Transfer',
  T1110: 'Brute Force',
  'T1110.001': 'Password Guessing',
  'T1110.003': 'Password Spraying',
  T1112: 'Modify Registry',
  T1132: 'Data Encoding',
  T1136: 'Create Account',
  'T1136.001': 'Local Account',
  T1140: 'Deobfuscate/Decode Files or Information',
  T1187: 'Forced Authentication',
  T1190: 'Exploit Public-Facing Application',
  T1197: 'BITS Jobs',
  T1204: 'User Execution',
  'T1204.002': 'Malicious File',
  T1218: 'System Binary Proxy Execution',
  'T1218.005': 'Mshta',
  'T1218.010': 'Regsvr32',
  'T1218.011': 'Rundll32',
  T1486: 'Data Encrypted for Impact',
  T1490: 'Inhibit System Recovery',
  T1505: 'Server Software Component',
  'T1505.003': 'Web Shell',
  T1530: 'Data from Cloud Storage',
  T1537: 'Transfer Data to Cloud Account',
  T1543: 'Create or Modify System Process',
  'T1543.003': 'Windows Service',
  T1547: 'Boot or Logon Autostart Execution',
  'T1547.001': 'Registry Run Keys / Startup Folder',
  T1548: 'Abuse Elevation Control Mechanism',
  'T1548.002': 'Bypass User Account Control',
  T1552: 'Unsecured Credentials',
  T1555: 'Credentials from Password Stores',
  T1558: 'Steal or Forge Kerberos Tickets',
  T1560: 'Archive Collected Data',
  T1562: 'Impair Defenses',
  'T1562.001': 'Disable or Modify Tools',
  'T1562.008': 'Disable or Modify Cloud Logs',
  T1566: 'Phishing',
  'T1566.001': 'Spearphishing Attachment',
  T1567: 'Exfiltration Over Web Service',
  T1569: 'System Services',
  'T1569.002': 'Service Execution',
  T1570: 'Lateral Tool Transfer',
  T1572: 'Protocol Tunneling',
  T1574: 'Hijack Execution Flow',
};

const ATTACK_URL = 'https://attack.mitre.org';

/** ATT&CK ids in numeric order. */
function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id.localeCompare(b.id, 'en', { numeric: true });
}

/** ATT&CK coverage of a rule's tags; duplicates (`attack.t1059` twice, dash and underscore spellings) listed once. */
export function attackCoverage(tags: readonly string[]): AttackCoverage {
  const out: AttackCoverage = { tactics: [], techniques: [], groups: [], software: [], other: [] };
  const seen = new Set<string>();
  for (const tag of tags) {
    const m = /^attack\.(.+)$/i.exec(tag.trim());
    if (!m) {
      out.other.push(tag);
      continue;
    }
    const rest = m[1].toLowerCase();
    const technique = /^t(\d{4})(?:\.(\d{3}))?$/.exec(rest);
    if (technique) {
      const id = technique[2] ? `T${technique[1]}.${technique[2]}` : `T${technique[1]}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const parentId = technique[2] ? `T${technique[1]}` : undefined;
      out.techniques.push({
        id,
        ...(ATTACK_TECHNIQUE_NAMES[id] ? { name: ATTACK_TECHNIQUE_NAMES[id] } : {}),
        ...(parentId ? { parent: { id: parentId, ...(ATTACK_TECHNIQUE_NAMES[parentId] ? { name: ATTACK_TECHNIQUE_NAMES[parentId] } : {}) } } : {}),
        tag,
        url: `${ATTACK_URL}/techniques/T${technique[1]}${technique[2] ? `/${technique[2]}` : ''}/`,
      });
      continue;
    }
    const group = /^g(\d{4})$/.exec(rest);
    if (group) {
      const id = `G${group[1]}`;
      if (!seen.has(id)) out.groups.push({ id, tag, url: `${ATTACK_URL}/groups/${id}/` });
      seen.add(id);
      continue;
    }
    const software = /^s(\d{4})$/.exec(rest);
    if (software) {
      const id = `S${software[1]}`;
      if (!seen.has(id)) out.software.push({ id, tag, url: `${ATTACK_URL}/software/${id}/` });
      seen.add(id);
      continue;
    }
    const tactic = ATTACK_TACTICS[rest.replace(/_/g, '-')];
    if (tactic) {
      if (!seen.has(tactic.id)) out.tactics.push({ id: tactic.id, name: tactic.name, tag, url: `${ATTACK_URL}/tactics/${tactic.id}/` });
      seen.add(tactic.id);
      continue;
    }
    out.other.push(tag);
  }
  out.techniques.sort(byId);
  out.groups.sort(byId);
  out.software.sort(byId);
  return out;
}
