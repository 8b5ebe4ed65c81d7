/**
 * `sigmatch scan` with correlation rules, as users drive it: alerts in every format and engine, generate, the
 * selection bringing referenced rules, the summary, the options' errors, and --state: scanning a log in parts with
 * the state carried gives the alerts of scanning it whole.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonLines, runCli, tempFiles } from '../support/cli.js';

const RULES = `title: Failed logon
name: failed_logon
level: low
author: Rule Author
logsource:
  product: windows
  service: security
detection:
  selection:
    EventID: 4625
  condition: selection
---
title: Whoami
level: medium
logsource:
  product: windows
detection:
  selection:
    Image|endswith: whoami.exe
  condition: selection
---
title: Brute force
id: 6f8f2a8e-2b1c-4d7e-9f00-1a2b3c4d5e6f
level: high
author: Correlation Author
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 10s
  condition: {gte: 3}
`;

const T0 = Date.UTC(2026, 10, 28, 7, 0, 0);
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

/** Failed logons from two addresses over 30 s, a whoami in between, one event without a time. */
function events(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let s = 0; s < 30; s += 2) {
    out.push({ '@timestamp': at(s), EventID: 4625, IpAddress: s % 4 === 0 ? '10.0.0.1' : '10.0.0.2' });
    if (s === 10) out.push({ '@timestamp': at(s), Image: 'C:\\w\\whoami.exe' });
  }
  out.push({ EventID: 4625, IpAddress: '10.0.0.1' });
  return out;
}

const ndjson = (list: readonly unknown[]): string => list.map((e) => JSON.stringify(e)).join('\n') + '\n';

function fixture(extra: Record<string, string> = {}): string {
  return tempFiles({ 'rules.yml': RULES, 'events.ndjson': ndjson(events()), ...extra });
}

type Alert = [event: number, title: string, group: unknown, value: number];
const alertsOf = (hits: any[]): Alert[] => hits.filter((h) => h.correlation).map((h) => [h.event, h.title, h.correlation.group, h.correlation.value]);

/** The alerts of the whole log, worked out from the fixture: an address alerts from its third logon within 10 s. */
function expectedAlerts(): Alert[] {
  const out: Alert[] = [];
  const seen: Record<string, number[]> = {};
  events().forEach((e, i) => {
    if (e.EventID !== 4625 || e['@timestamp'] === undefined) return;
    const t = Date.parse(e['@timestamp'] as string);
    const list = (seen[e.IpAddress as string] ??= []);
    list.push(t);
    const inWindow = list.filter((x) => x >= t - 10_000).length;
    if (inWindow >= 3) out.push([i, 'Brute force', { IpAddress: e.IpAddress }, inWindow]);
  });
  return out;
}

describe('sigmatch scan with correlation rules', () => {
  test('alerts in jsonl on every engine; hits of rules that only feed them are left out; the rest as usual', () => {
    const dir = fixture();
    const expected = expectedAlerts();
    expect(expected.length).toBeGreaterThan(4);
    for (const engine of [['-e', 'wasm'], ['-e', 'reference'], ['-t', '2']]) {
      const r = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), ...engine, join(dir, 'events.ndjson')]);
      expect(r.code, r.stderr).toBe(0);
      const hits = jsonLines(r.stdout);
      expect(alertsOf(hits), engine.join(' ')).toEqual(expected);
      expect(hits.filter((h) => !h.correlation).map((h) => h.title)).toEqual(['Whoami']);
      const alert = hits.find((h) => h.correlation);
      expect(alert).toMatchObject({ id: '6f8f2a8e-2b1c-4d7e-9f00-1a2b3c4d5e6f', level: 'high', author: 'Correlation Author', file: join(dir, 'events.ndjson') });
      expect(alert.line).toBe(alert.event + 1);
      expect(alert.correlation).toMatchObject({ type: 'event_count', first: at(0), last: at(8) });
      expect(alert.time).toBe(at(8));
      expect(r.stderr).toMatch(new RegExp(`correlate\\s+${expected.length} alerts from 1 correlation rule`));
      expect(r.stderr).toMatch(/left out: 1 event without a usable time/);
    }
  });

  test('every format shows the alerts; --emit-base-hits and --correlation-events refs', () => {
    const dir = fixture();
    const n = expectedAlerts().length;
    const json = JSON.parse(runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '-f', 'json', '--correlation-events', 'refs', join(dir, 'events.ndjson')]).stdout);
    const first = json.find((h: any) => h.correlation);
    expect(first.correlation.events).toEqual([0, 2, 4].map((event) => ({ file: join(dir, 'events.ndjson'), event, line: event + 1 })));
    const csv = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '-f', 'csv', join(dir, 'events.ndjson')]).stdout.trim().split('\r\n');
    expect(csv.filter((row) => row.includes('Brute force'))).toHaveLength(n);
    expect(csv[1]).toMatch(/"\{""type"":""event_count"",""group"":\{""IpAddress"":""10\.0\.0\.1""\},""value"":3,/);
    const table = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '-f', 'table', join(dir, 'events.ndjson')], { env: { COLUMNS: '200' } }).stdout;
    expect(table.split('\n').filter((l) => /Brute force\s/.test(l) && /event_count \d+ by IpAddress=10\.0\.0\.\d/.test(l))).toHaveLength(n);
    expect(table).toMatch(/Brute force\s+by Correlation Author/);
    const all = jsonLines(runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '--emit-base-hits', join(dir, 'events.ndjson')]).stdout);
    expect(all.filter((h) => h.title === 'Failed logon')).toHaveLength(16);
    expect(alertsOf(all)).toEqual(expectedAlerts());
  });

  test('--level selects the correlation and runs the rules it needs without showing them', () => {
    const dir = fixture();
    const r = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '--level', 'high', '--emit-base-hits', join(dir, 'events.ndjson')]);
    const hits = jsonLines(r.stdout);
    expect(alertsOf(hits)).toEqual(expectedAlerts());
    expect(hits.every((h) => h.correlation)).toBe(true);
  });

  test('--state: the log scanned in parts (cut anywhere, in the middle of windows) gives the alerts of the whole', () => {
    const list = events();
    const whole = expectedAlerts();
    for (const cut of [1, 5, 9, 17]) {
      const dir = fixture({ 'a.ndjson': ndjson(list.slice(0, cut)), 'b.ndjson': ndjson(list.slice(cut)) });
      const state = join(dir, 'state.bin');
      const first = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '--state', state, join(dir, 'a.ndjson')]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain(`state saved to ${state}`);
      const second = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '--state', state, join(dir, 'b.ndjson')]);
      expect(second.code, second.stderr).toBe(0);
      const parts = [...alertsOf(jsonLines(first.stdout)), ...alertsOf(jsonLines(second.stdout)).map(([e, ...rest]) => [e + cut, ...rest] as Alert)];
      expect(parts, `cut at ${cut}`).toEqual(whole);
    }
  });

  test('a damaged, foreign or mismatched state file is refused with what is wrong', () => {
    const dir = fixture({ 'junk.bin': 'not a state' });
    const junk = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '--state', join(dir, 'junk.bin'), join(dir, 'events.ndjson')]);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/junk\.bin: not a sigmatch correlation state .*NOT_A_SNAPSHOT/);
    const state = join(dir, 'state.bin');
    runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '--state', state, join(dir, 'events.ndjson')]);
    const bytes = readFileSync(state);
    bytes[bytes.length - 2] ^= 1;
    writeFileSync(join(dir, 'flipped.bin'), bytes);
    const flipped = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '--state', join(dir, 'flipped.bin'), join(dir, 'events.ndjson')]);
    expect(flipped.stderr).toMatch(/damaged: its checksum does not match .*CORRUPT/);
    writeFileSync(join(dir, 'other.yml'), RULES.replace('timespan: 10s', 'timespan: 20s'));
    const other = runCli(['scan', '-q', '-r', join(dir, 'other.yml'), '--state', state, join(dir, 'events.ndjson')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/saved for other correlation rules .*OTHER_CORRELATIONS/);
  });

  test('usage errors name the option; reference errors name the file and line', () => {
    const dir = fixture({ 'broken.yml': 'title: Lost\ncorrelation:\n  type: event_count\n  rules: [nothing_here]\n  timespan: 1m\n  condition: {gte: 2}\n' });
    const cases: [string[], RegExp][] = [
      [['--max-lateness', '5'], /--max-lateness takes a duration such as 30s/],
      [['--window', 'hopping'], /--window takes sliding or tumbling or session/],
      [['--gap', '5s'], /--gap applies to session windows/],
      [['--max-groups', '0'], /--max-groups takes a whole number of 1 or more/],
      [['--time-fallback', 'later'], /--time-fallback takes skip or now/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), ...args, join(dir, 'events.ndjson')]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const broken = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '-r', join(dir, 'broken.yml'), join(dir, 'events.ndjson')]);
    expect(broken.code).toBe(0);
    expect(broken.stderr).toContain(`${join(dir, 'broken.yml')}:1:1: CORRELATION_REFERENCE: the correlation references "nothing_here"`);
    expect(broken.stderr).toMatch(/skipped\s+1 rule error: CORRELATION_REFERENCE 1/);
    expect(alertsOf(jsonLines(broken.stdout))).toEqual(expectedAlerts());
    // An artifact of rules without correlations refuses the correlation options.
    const plain = join(dir, 'plain.sigc');
    writeFileSync(join(dir, 'plain.yml'), RULES.split('\n---\n')[0]);
    runCli(['compile', '-r', join(dir, 'plain.yml'), '-o', plain]);
    const withCompiled = runCli(['scan', '-q', '-c', plain, '--state', join(dir, 's.bin'), join(dir, 'events.ndjson')]);
    expect(withCompiled.code).toBe(2);
    expect(withCompiled.stderr).toMatch(/plain\.sigc holds no correlation rules/);
  });

  test('scan --compiled runs the correlations the artifact carries: the output of scan --rules, in every format, with options and --state', () => {
    const chain = `---
title: Repeated brute force
id: 0d1e2f3a-0000-4000-8000-00000000c0c0
level: critical
correlation:
  type: event_count
  rules: [6f8f2a8e-2b1c-4d7e-9f00-1a2b3c4d5e6f]
  group-by: [IpAddress]
  timespan: 30s
  condition: {gte: 2}
`;
    const dir = tempFiles({ 'rules.yml': RULES + chain, 'events.ndjson': ndjson(events()) });
    const artifact = join(dir, 'rules.sigc');
    const compile = runCli(['compile', '-r', join(dir, 'rules.yml'), '-o', artifact]);
    expect(compile.code, compile.stderr).toBe(0);
    expect(compile.stderr).toMatch(/compiled 2 rules \(0 skipped with errors\) and 2 correlations/);
    const runs: string[][] = [
      [],
      ['-t', '2'],
      ['-f', 'json', '--correlation-events', 'refs'],
      ['-f', 'csv', '--emit-base-hits'],
      ['-f', 'table', '--correlation-action', 'reset'],
      ['--suppress', '5s', '--window', 'tumbling'],
    ];
    for (const args of runs) {
      const viaRules = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), ...args, join(dir, 'events.ndjson')], { env: { COLUMNS: '200' } });
      const viaArtifact = runCli(['scan', '-q', '-c', artifact, ...args, join(dir, 'events.ndjson')], { env: { COLUMNS: '200' } });
      expect(viaArtifact.code, viaArtifact.stderr).toBe(0);
      // Hits of rules carry provenance only with --rules (an artifact holds no rule logic): the alerts' lines compare.
      const alertLines = (out: string): string[] => out.split('\n').filter((l) => /rute force/.test(l));
      expect(alertLines(viaArtifact.stdout).length, args.join(' ')).toBeGreaterThan(0);
      expect(alertLines(viaArtifact.stdout), args.join(' ')).toEqual(alertLines(viaRules.stdout));
    }
    // --state carries over from a --rules run to a --compiled one (the same correlations).
    const list = events();
    const cut = 9;
    writeFileSync(join(dir, 'a.ndjson'), ndjson(list.slice(0, cut)));
    writeFileSync(join(dir, 'b.ndjson'), ndjson(list.slice(cut)));
    const state = join(dir, 'state.bin');
    const first = runCli(['scan', '-q', '-r', join(dir, 'rules.yml'), '--state', state, join(dir, 'a.ndjson')]);
    const second = runCli(['scan', '-q', '-c', artifact, '--state', state, join(dir, 'b.ndjson')]);
    expect(second.code, second.stderr).toBe(0);
    const whole = alertsOf(jsonLines(runCli(['scan', '-q', '-c', artifact, join(dir, 'events.ndjson')]).stdout));
    const parts = [...alertsOf(jsonLines(first.stdout)), ...alertsOf(jsonLines(second.stdout)).map(([e, ...rest]) => [e + cut, ...rest] as Alert)];
    expect(parts).toEqual(whole);
    expect(whole.some((a) => a[1] === 'Repeated brute force')).toBe(true);
  });

  test('scan --compiled refuses an artifact whose correlation section is damaged, with its code', () => {
    const dir = fixture();
    const artifact = join(dir, 'rules.sigc');
    runCli(['compile', '-r', join(dir, 'rules.yml'), '-o', artifact]);
    const bytes = readFileSync(artifact);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const sectionAt = 32 + view.getUint32(12, true);
    bytes[sectionAt + 10] ^= 0x01;
    writeFileSync(join(dir, 'damaged.sigc'), bytes);
    const r = runCli(['scan', '-q', '-c', join(dir, 'damaged.sigc'), join(dir, 'events.ndjson')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/damaged\.sigc is damaged: its correlation section does not match its checksum; recompile/);
  });
});
