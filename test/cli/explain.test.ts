/**
 * `sigmatch explain` end to end. The reference is a detection catalog's page for one SigmaHQ rule
 * (../shared/docs/rule-page-example.txt): its Exclusions and Indicators tables, parsed here, must equal what sigmatch
 * derives from the rule, as sets of (field, kind, value) rows, compared case-sensitively. Corpus counts are checked
 * against counts this test computes over ../shared/sigma/rules itself.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, test } from 'vitest';
import { corpusKey, ruleKey } from '../../src/analysis/corpus.js';
import { predicateRoles, type Predicate } from '../../src/analysis/predicates.js';
import { loadRules } from '../../src/rule/files.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { foldString } from '../../src/text/fold.js';
import { ROOT, runCli, tempFiles } from '../support/cli.js';
import { corpusAvailable, SHARED } from '../support/corpus.js';

const PAGE = join(ROOT, '../shared/docs/rule-page-example.txt');
const RULE_ID = 'e043f529-8514-4205-8ab0-7f7d2927b400';
const CORPUS = join(SHARED, 'rules');

interface Row {
  field: string;
  kind: string;
  value: string;
}

const KINDS = ['starts_with', 'ends_with', 'match', 'regex', 'cidr', 'glob', 'null', 'exists', 'fieldref', 'eq'];
/** `runCli` without blocking this process. */
function runCliAsync(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const key = (r: Row): string => `${r.field}\t${r.kind}\t${r.value}`;
const keys = (rows: readonly Row[]): string[] => rows.map(key).sort();

/** Every rule file under a directory. */
function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/**
 * A table of the page: after the section title, a header line ("FieldKind..."), then one line per row with field,
 * kind and value run together ("Imageends_with\msedge.exe"), or a row whose values follow as "  • value" lines.
 */
function pageTable(text: string, section: 'Exclusions' | 'Indicators', fields: readonly string[]): Row[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l, i) => l.trim() === section && lines.slice(i + 1).some((x) => x.startsWith('FieldKind')));
  expect(start).toBeGreaterThan(0);
  const header = lines.findIndex((l, i) => i > start && l.startsWith('FieldKind'));
  const rowRe = new RegExp(`^(${[...fields].sort((a, b) => b.length - a.length).join('|')})(${KINDS.join('|')})(.*)$`);
  const rows: Row[] = [];
  let open: { field: string; kind: string } | null = null;
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '' || line.trim() === 'Indicators') {
      if (rows.length > 0) break;
      continue;
    }
    const bullet = /^\s*•\s?(.*)$/.exec(line);
    if (bullet) {
      expect(open, `a value line without a row: ${line}`).not.toBeNull();
      rows.push({ ...open!, value: bullet[1] });
      continue;
    }
    const m = rowRe.exec(line);
    expect(m, `a table row of the page: ${JSON.stringify(line)}`).not.toBeNull();
    if (m![3] === '') open = { field: m![1], kind: m![2] };
    else rows.push({ field: m![1], kind: m![2], value: m![3] });
  }
  return rows;
}

/** Rows of a text table rendered by `explain` (columns two or more spaces apart), under a section title. */
function textTable(text: string, section: string): Row[] {
  const lines = text.split('\n');
  const start = lines.indexOf(section);
  const header = lines.findIndex((l, i) => i > start && /^ {2}Field {2,}Kind/.test(l));
  const rows: Row[] = [];
  for (const line of lines.slice(header + 1)) {
    if (!line.startsWith('  ')) break;
    const [field, kind, value] = line.trim().split(/ {2,}/);
    rows.push({ field, kind, value });
  }
  return rows;
}

/** Rows of a Markdown table rendered by `explain`: | `field` | kind | `value` | under a "## section" heading. */
function markdownTable(md: string, section: string): Row[] {
  const lines = md.split('\n');
  const start = lines.indexOf(`## ${section}`);
  const header = lines.findIndex((l, i) => i > start && l.startsWith('| Field'));
  const rows: Row[] = [];
  const code = (cell: string): string => cell.trim().replace(/^(`+) ?([\s\S]*?) ?\1$/, '$2').replace(/\\\|/g, '|');
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.slice(1, -1).split(/(?<!\\)\|/);
    rows.push({ field: code(cells[0]), kind: cells[1].trim().replace(/\\_/g, '_'), value: code(cells[2]) });
  }
  return rows;
}

describe.runIf(corpusAvailable() && existsSync(PAGE))('sigmatch explain: the example page', () => {
  const page = existsSync(PAGE) ? readFileSync(PAGE, 'utf8') : '';
  let file = '';
  let rule: SigmaRule;
  let expected: { exclusions: Row[]; indicators: Row[] };

  beforeAll(() => {
    file = yamlFiles(CORPUS).find((f) => readFileSync(f, 'utf8').includes(`id: ${RULE_ID}`))!;
    expect(file, `the rule ${RULE_ID} is in the corpus`).toBeDefined();
    rule = loadRules(file).rules[0];
    const fields = [...new Set(rule.detections.flatMap((d) => JSON.stringify(d.root).match(/"field":"([^"]+)"/g) ?? []).map((f) => f.slice(9, -1)))];
    expected = { exclusions: pageTable(page, 'Exclusions', fields), indicators: pageTable(page, 'Indicators', fields) };
    expect(expected.exclusions).toHaveLength(50);
    expect(expected.indicators).toEqual([{ field: 'QueryName', kind: 'ends_with', value: 'azurewebsites.net' }]);
  });

  test('--format json: exclusions and indicators equal the page; corpus counts equal counts over the corpus', async () => {
    // The CLI loads the corpus in its own process while this one loads it too, for the expected counts.
    const cli = runCliAsync(['explain', file, '--format', 'json', '--corpus', CORPUS]);
    const corpus = loadRules(CORPUS).rules;
    const r = await cli;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/corpus: \d+ rules from \d+ files/);
    const a = JSON.parse(r.stdout);
    expect(keys(a.exclusions)).toEqual(keys(expected.exclusions));
    expect(keys(a.indicators)).toEqual(keys(expected.indicators));
    expect(new Set(keys(a.exclusions)).size).toBe(a.exclusions.length); // each row once

    expect(a.metadata).toMatchObject({ title: 'DNS Query To AzureWebsites.NET By Non-Browser Process', id: RULE_ID, status: 'test', level: 'medium', author: 'Nasreddine Bencherchali (Nextron Systems)', logsource: { product: 'windows', category: 'dns_query' } });
    expect(a.attack.tactics).toEqual([{ id: 'TA0011', name: 'Command and Control', tag: 'attack.command-and-control', url: 'https://attack.mitre.org/tactics/TA0011/' }]);
    expect(a.attack.techniques).toEqual([{ id: 'T1219.002', parent: { id: 'T1219' }, tag: 'attack.t1219.002', url: 'https://attack.mitre.org/techniques/T1219/002/' }]);
    expect(a.events.rows).toEqual([{ provider: 'Sysmon', eventId: 22, title: 'DNSEvent (DNS query)', channel: 'Microsoft-Windows-Sysmon/Operational', via: 'sysmon' }]);
    expect(a.condition).toBe('selection and not 1 of filter_optional_*');
    expect(a.stages.map((s: { index: number; label: string; role: string }) => [s.index, s.label, s.role])).toEqual([
      [0, 'selection and not 1 of filter_optional_*', 'condition'],
      [1, 'selection', 'match'],
      [2, 'not 1 of filter_optional_*', 'exclude'],
    ]);
    expect(a.stages[1].detections[0].yaml).toBe("selection:\n    QueryName|endswith: 'azurewebsites.net'");
    expect(a.stages[2].detections).toHaveLength(21);

    // The corpus counts, computed here over the same corpus: other rules with the same predicate in the same role.
    expect(a.corpus.rules).toBe(corpus.length);
    const roles = corpus.map((c) => {
      const r = predicateRoles(c);
      return { key: ruleKey(c), exclusions: new Set(r.exclusions.map(corpusKey)), indicators: new Set(r.indicators.map(corpusKey)) };
    });
    const count = (role: 'exclusions' | 'indicators', p: Predicate): number => roles.filter((x) => x.key !== RULE_ID && x[role].has(corpusKey(p))).length;
    for (const row of a.exclusions) expect(row.corpus, `exclusion ${key(row)}`).toBe(count('exclusions', row));
    for (const row of a.indicators) expect(row.corpus, `indicator ${key(row)}`).toBe(count('indicators', row));

    // And independently of sigmatch's rule model, straight from the YAML of the rules that mention each value.
    const byKey = new Map<string, number>(a.exclusions.map((x: Row & { corpus: number }) => [key(x), x.corpus]));
    const raw = (field: string, kind: string, value: string, negated: boolean): number => rawCount(field, kind, value, negated);
    expect(byKey.get('Image\tends_with\t\\MsMpEng.exe')).toBe(raw('Image', 'ends_with', '\\MsMpEng.exe', true));
    expect(byKey.get('Image\tmatch\t\\Tor Browser\\')).toBe(raw('Image', 'match', '\\Tor Browser\\', true));
    expect(byKey.get('Image\teq\tC:\\Program Files\\Google\\Chrome\\Application\\chrome.exe')).toBe(raw('Image', 'eq', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', true));
    expect(a.indicators[0].corpus).toBe(raw('QueryName', 'ends_with', 'azurewebsites.net', false));
    expect(a.indicators[0].corpus).toBe(0);
    expect(byKey.get('Image\tends_with\t\\MsMpEng.exe')).toBeGreaterThan(5);
  });

  test('--format text: the page, with tables that read back to the page tables', () => {
    const r = runCli(['explain', file]);
    expect(r.code, r.stderr).toBe(0);
    const t = r.stdout;
    expect(t.startsWith('DNS Query To AzureWebsites.NET By Non-Browser Process\n=====')).toBe(true);
    expect(t).toMatch(/^Status {6}test$/m);
    expect(t).toMatch(/^Severity {4}medium$/m);
    expect(t).toMatch(/^Log source {2}product windows, category dns_query$/m);
    expect(t).toMatch(/^Author {6}Nasreddine Bencherchali \(Nextron Systems\)$/m);
    expect(t).toMatch(/TA0011 +Command and Control \(tactic\) +attack\.command-and-control/);
    expect(t).toMatch(/T1219\.002 +attack\.t1219\.002/);
    expect(t).toMatch(/Sysmon +Event ID 22 +DNSEvent \(DNS query\) +Microsoft-Windows-Sysmon\/Operational +sysmon/);
    expect(t).toContain('Rule body yaml\n\n  title: DNS Query To AzureWebsites.NET By Non-Browser Process\n  id: e043f529');
    expect(t).toContain("Stage 0: condition\n\n  selection and not 1 of filter_optional_*\n\nStage 1: selection\n\n  selection:\n      QueryName|endswith: 'azurewebsites.net'\n\nStage 2: not 1 of filter_optional_*\n\n  filter_optional_chrome:\n      Image:\n          - 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'");
    expect(t).toContain("  filter_optional_edge_1:\n      - Image|startswith: 'C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\'\n      - Image|endswith: '\\WindowsApps\\MicrosoftEdge.exe'\n      - Image:\n            - 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'");
    expect(t).toContain('Top-level NOT(...) conjuncts: predicates this rule actively suppresses.');
    expect(keys(textTable(t, 'Exclusions'))).toEqual(keys(expected.exclusions));
    expect(keys(textTable(t, 'Indicators'))).toEqual(keys(expected.indicators));
    expect(runCli(['explain', file, '--no-body']).stdout).not.toContain('Rule body');
  });

  test('--format markdown: headings, tables that read back to the page tables, the rule body fenced', () => {
    const r = runCli(['explain', file, '--format', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    const md = r.stdout;
    expect(md.startsWith('# DNS Query To AzureWebsites.NET By Non-Browser Process\n')).toBe(true);
    for (const h of ['## MITRE ATT&CK coverage', '## Event coverage', '## Rule body', '## Stages and predicates', '### Stage 0: condition', '### Stage 2: `not 1 of filter_optional_*`', '## Exclusions', '## Indicators']) {
      expect(md).toContain(`\n${h}\n`);
    }
    expect(md).toContain('| [TA0011](https://attack.mitre.org/tactics/TA0011/) | Command and Control (tactic) | `attack.command-and-control` |');
    expect(md).toContain('```yaml\ntitle: DNS Query To AzureWebsites.NET By Non-Browser Process\n');
    expect(keys(markdownTable(md, 'Exclusions'))).toEqual(keys(expected.exclusions));
    expect(keys(markdownTable(md, 'Indicators'))).toEqual(keys(expected.indicators));
  });
});

/**
 * How many corpus rules other than the example have (field, kind, value) under an identifier the condition negates
 * at top level (`negated`) or not, read from the YAML alone: `field|contains` is match, `field|startswith` starts_with,
 * `field|endswith` ends_with, a plain field eq (or the wildcard shapes `*x`, `x*`, `*x*`), values case-insensitive.
 * Roles from the condition text: identifiers named by a top-level `not [1 of|all of] pattern` conjunct are excluded,
 * those named by a plain top-level conjunct are required; a top-level `or` leaves no conjuncts.
 */
function rawCount(field: string, kind: string, value: string, negated: boolean): number {
  const needle = foldString(value);
  let n = 0;
  for (const [file, text] of corpusTexts()) {
    const folded = foldString(text);
    if (!folded.includes(needle) && !folded.includes(needle.replace(/\\/g, '\\\\'))) continue;
    const doc = parseYaml(text) as { id?: string; detection?: Record<string, unknown> };
    if (!doc?.detection || doc.id === RULE_ID) continue;
    const conjuncts = topLevelAnd(String(doc.detection.condition));
    const names = Object.keys(doc.detection).filter((k) => k !== 'condition');
    /** true: under a top-level `not` conjunct; false: named plainly by a top-level conjunct; null: otherwise. */
    const role = (name: string): boolean | null => {
      for (const c of conjuncts) {
        const m = /^(not\s+)?(?:(?:1|all|any) of\s+)?([^\s()]+)$/.exec(c);
        if (!m) continue; // a conjunct with or / parentheses: its identifiers are neither
        const re = new RegExp(`^${m[2].split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
        if (re.test(name)) return m[1] !== undefined;
      }
      return null;
    };
    const hit = names.some((name) => {
      if (role(name) !== negated) return false;
      const def = doc.detection![name];
      const maps = (Array.isArray(def) ? def : [def]).filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
      return maps.some((m) =>
        Object.entries(m).some(([k, v]) => {
          const [f, ...mods] = k.split('|');
          if (f !== field) return false;
          const values = (Array.isArray(v) ? v : [v]).map((x) => String(x));
          return values.some((x) => {
            let shape = mods.includes('contains') ? 'match' : mods.includes('startswith') ? 'starts_with' : mods.includes('endswith') ? 'ends_with' : 'eq';
            let text = x;
            if (shape === 'eq' && text.startsWith('*') && text.endsWith('*')) [shape, text] = ['match', text.slice(1, -1)];
            else if (shape === 'eq' && text.startsWith('*')) [shape, text] = ['ends_with', text.slice(1)];
            else if (shape === 'eq' && text.endsWith('*') && !text.endsWith('\\*')) [shape, text] = ['starts_with', text.slice(0, -1)];
            return shape === kind && foldString(text.replace(/\\\\/g, '\\')) === needle;
          });
        }),
      );
    });
    if (hit) n++;
  }
  return n;
}

let texts: [string, string][] | null = null;
function corpusTexts(): [string, string][] {
  return (texts ??= yamlFiles(CORPUS).map((f) => [f, readFileSync(f, 'utf8')]));
}

/** The conjuncts of a condition's top-level `and` (outer parentheses removed), split outside parentheses only. */
function topLevelAnd(condition: string): string[] {
  let c = condition.trim();
  while (c.startsWith('(') && c.endsWith(')') && balanced(c.slice(1, -1))) c = c.slice(1, -1).trim();
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  const words = c.split(/(\s+|\(|\))/);
  let pos = 0;
  let orAtTop = false;
  for (const w of words) {
    if (w === '(') depth++;
    else if (w === ')') depth--;
    else if (depth === 0 && w === 'or') orAtTop = true;
    else if (depth === 0 && w === 'and') {
      parts.push(c.slice(start, pos).trim());
      start = pos + w.length;
    }
    pos += w.length;
  }
  parts.push(c.slice(start).trim());
  return orAtTop ? [c] : parts;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

describe('sigmatch explain: options and errors', () => {
  const EXAMPLES = join(ROOT, 'examples/rules');

  test('--id picks one rule of a directory; json is one object per rule and line', () => {
    const r = runCli(['explain', EXAMPLES, '--id', 'd502f849-5759-4ad7-a5ac-88000bff2779', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.metadata.title).toBe('Process Opened LSASS With Memory Read Access');
    expect(a.exclusions.map((x: Row) => [x.field, x.kind, x.value])).toEqual([
      ['SourceImage', 'starts_with', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\'],
      ['SourceImage', 'ends_with', '\\MsMpEng.exe'],
      ['SourceImage', 'eq', 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe'],
      ['SourceImage', 'null', ''],
      ['SourceImage', 'eq', ''],
    ]);
    expect(a.events.rows).toEqual([{ provider: 'Sysmon', eventId: 10, title: 'ProcessAccess', channel: 'Microsoft-Windows-Sysmon/Operational', via: 'sysmon' }]);
    const all = runCli(['explain', EXAMPLES, '--format', 'json']);
    expect(all.stdout.trim().split('\n').map((l) => JSON.parse(l).metadata.author)).toEqual(Array(30).fill('sigmatch examples'));
  });

  test('transformed values are shown as written, with the modifier; keywords, fieldref, regex, cidr, exists kinds', () => {
    type Analysis = { metadata: { id: string }; indicators: (Row & { modifiers: string[] })[]; exclusions: (Row & { modifiers: string[] })[] };
    const all: Analysis[] = runCli(['explain', EXAMPLES, '--format', 'json']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const json = (id: string): Analysis => all.find((a) => a.metadata.id === id)!;
    const cradle = json('d7cc2d21-9187-4804-a27b-29d6973faa09');
    expect(cradle.indicators[0]).toMatchObject({ field: 'CommandLine', kind: 'match', value: 'DownloadString(', modifiers: ['wide', 'base64offset'] });
    const encoded = json('af5c2ef0-2cbf-42a6-a5c2-c869468a046a');
    expect(encoded.indicators).toContainEqual(expect.objectContaining({ field: 'CommandLine', kind: 'match', value: ' -enc ', modifiers: ['windash'] }));
    expect(encoded.exclusions).toEqual([expect.objectContaining({ field: 'ParentImage', kind: 'starts_with', value: 'C:\\Windows\\CCM\\' })]);
    const audit = json('77cef1ec-844e-4383-9a8d-10fac9bf93f3');
    expect(audit.indicators.map((x) => [x.field, x.kind, x.value, x.modifiers])).toEqual([
      [null, 'match', 'type=SERVICE_STOP', ['all']],
      [null, 'match', 'unit=auditd', ['all']],
      [null, 'match', 'auditctl -D', []],
      [null, 'match', 'auditctl -e 0', []],
    ]);
    expect(json('ce1e18c7-564e-4197-8fc3-cd2ecb0ee13c').exclusions).toEqual([expect.objectContaining({ field: 'Image', kind: 'fieldref', value: 'OriginalFileName', modifiers: ['endswith'] })]);
    expect(json('24c1bee8-e65a-468e-926b-2abaf0ccfce7').indicators).toEqual([expect.objectContaining({ field: 'QueryName', kind: 'regex', value: '^[A-Za-z0-9]{40,}\\.' })]);
    expect(json('ef18392f-70e9-4852-aa1c-a58604c039fd').exclusions[0]).toMatchObject({ field: 'IpAddress', kind: 'cidr', value: '10.0.0.0/8' });
    expect(json('5b0b00c6-9cdc-466e-b304-d6fa81b95d27').exclusions[0]).toMatchObject({ field: 'errorCode', kind: 'exists', value: 'true' });
  });

  test('-P chooses the pipelines of the event coverage; -P none leaves the rule alone', () => {
    const file = join(EXAMPLES, 'windows/process_creation/proc_creation_win_certutil_download.yml');
    const rows = (args: string[]): unknown => JSON.parse(runCli(['explain', file, '--format', 'json', ...args]).stdout).events.rows;
    expect(rows([])).toEqual([
      { provider: 'Sysmon', eventId: 1, title: 'Process creation', channel: 'Microsoft-Windows-Sysmon/Operational', via: 'sysmon' },
      { provider: 'Security', eventId: 4688, title: 'A new process has been created', channel: 'Security', via: 'windows' },
    ]);
    expect(rows(['-P', 'sysmon'])).toEqual([{ provider: 'Sysmon', eventId: 1, title: 'Process creation', channel: 'Microsoft-Windows-Sysmon/Operational', via: 'sysmon' }]);
    expect(rows(['-P', 'none'])).toEqual([]);
    const security = join(EXAMPLES, 'windows/builtin/security/win_security_hidden_user_created.yml');
    expect(JSON.parse(runCli(['explain', security, '--format', 'json', '-P', 'none']).stdout).events.rows).toEqual([
      { provider: 'Security', eventId: 4720, title: 'A user account was created', via: 'rule' },
    ]);
  });

  test('errors name the file and line and say what to do; exit codes 1 and 2', () => {
    const dir = tempFiles({
      'bad.yml': 'title: Broken\nid: 11111111-2222-4333-8444-555555555555\nlogsource:\n  product: windows\ndetection:\n  selection:\n    CommandLine|re: "(unclosed"\n  condition: selection\n',
    });
    const bad = runCli(['explain', join(dir, 'bad.yml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.yml:7:5: INVALID_REGEX: /);
    expect(bad.stderr).toMatch(/sigmatch validate/);
    const missingId = runCli(['explain', EXAMPLES, '--id', 'no-such-id']);
    expect(missingId.code).toBe(1);
    expect(missingId.stderr).toMatch(/no rule with id no-such-id under .*examples\/rules/);
    expect(runCli(['explain', join(dir, 'nope.yml')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no such rule file or directory: .*nope\.yml/) });
    expect(runCli(['explain', EXAMPLES, '--format', 'xml'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--format takes text, markdown or json, got "xml"/) });
    expect(runCli(['explain', EXAMPLES, '-P', 'bogus'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/"bogus" is neither a built-in pipeline/) });
    expect(runCli(['explain'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/give a rule file or directory/) });
    const help = runCli(['explain', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n {2}sigmatch explain /);
    expect(runCli(['help', 'explain']).stdout).toBe(help.stdout);
  });
});

describe('sigmatch explain: correlation rules', () => {
  const RULES = `title: Failed logon
id: 5e1f8f5c-6d0b-4d8e-9a51-3f0a1b2c3d4e
name: failed_logon
logsource: {product: windows, service: security}
detection:
  selection: {EventID: 4625}
  condition: selection
---
title: Successful logon
name: successful_logon
logsource: {product: windows, service: security}
detection:
  selection: {EventID: 4624}
  condition: selection
---
title: Password spraying
name: spraying
level: high
tags: [attack.credential-access, attack.t1110.003]
correlation:
  type: value_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 30m
  condition: {gt: 20, lte: 500, field: TargetUserName}
sigmatch.action: reset
---
title: Spraying then success
id: 0c3b8a2e-8b4c-4a2f-9c1e-5d6f7a8b9c0d
correlation:
  type: temporal_ordered
  rules: [spraying, successful_logon, missing_rule]
  group-by: [ip]
  aliases:
    ip:
      spraying: IpAddress
      successful_logon: IpAddress
  timespan: 1h
  generate: true
sigmatch.window: session
sigmatch.gap: 10m
sigmatch.suppress: 2h
`;

  test('text: type, resolved references, aliases, window, condition, settings and generate', () => {
    const dir = tempFiles({ 'c.yml': RULES });
    const r = runCli(['explain', join(dir, 'c.yml'), '--no-body']);
    expect(r.code).toBe(0);
    const spraying = r.stdout.slice(r.stdout.indexOf('Password spraying\n=='), r.stdout.indexOf('Spraying then success\n=='));
    expect(spraying).toMatch(/Type\s+value_count: counts the distinct values of a field/);
    expect(spraying).toMatch(/Rules\s+failed_logon: rule "Failed logon" \(5e1f8f5c-6d0b-4d8e-9a51-3f0a1b2c3d4e\)/);
    expect(spraying).toMatch(/Group by\s+IpAddress\n/);
    expect(spraying).toMatch(/Window\s+30m \(1800 s\), sliding/);
    expect(spraying).toMatch(/Condition\s+distinct values of TargetUserName > 20 and <= 500, checked after each event/);
    expect(spraying).toMatch(/On alert\s+reset: the group's window is cleared/);
    expect(spraying).toMatch(/Generate\s+false: the referenced rules report no hits of their own/);
    expect(spraying).toMatch(/T1110\.003/);
    const chain = r.stdout.slice(r.stdout.indexOf('Spraying then success\n=='));
    expect(chain).toMatch(/spraying: correlation "Password spraying"/);
    expect(chain).toMatch(/successful_logon: rule "Successful logon"/);
    expect(chain).toMatch(/missing_rule: nothing loaded has this id or name/);
    expect(chain).toMatch(/ip \(alias: spraying reads IpAddress, successful_logon reads IpAddress\)/);
    expect(chain).toMatch(/session: a session goes on while events come within 600 s/);
    expect(chain).toMatch(/Condition\s+all 3 rules, in order/);
    expect(chain).toMatch(/Suppress\s+7200 s/);
    expect(chain).toMatch(/Generate\s+true: the referenced rules also report their own hits/);
  });

  test('json and markdown; --id selects a correlation by id or name', () => {
    const dir = tempFiles({ 'c.yml': RULES });
    const json = runCli(['explain', join(dir, 'c.yml'), '--id', 'spraying', '-f', 'json']);
    expect(json.code).toBe(0);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      kind: 'correlation',
      type: 'value_count',
      metadata: { title: 'Password spraying', name: 'spraying', level: 'high' },
      rules: [{ reference: 'failed_logon', resolves: [{ kind: 'rule', title: 'Failed logon' }] }],
      groupBy: [{ name: 'IpAddress', aliases: [] }],
      window: { timespan: '30m', seconds: 1800, mode: 'sliding' },
      condition: 'distinct values of TargetUserName > 20 and <= 500',
      action: 'reset',
      generate: false,
    });
    const md = runCli(['explain', join(dir, 'c.yml'), '--id', '0c3b8a2e-8b4c-4a2f-9c1e-5d6f7a8b9c0d', '-f', 'markdown']);
    expect(md.stdout).toMatch(/^# Spraying then success\n/);
    expect(md.stdout).toMatch(/\| \*\*Type\*\* \| temporal\\_ordered: requires the referenced rules/);
    expect(md.stdout).toMatch(/## Rule body\n\n```yaml\ntitle: Spraying then success/);
  });
});
