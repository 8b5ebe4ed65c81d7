/**
 * `sigmatch stats`: event metrics by Channel, EventID, Provider and Computer over the inputs scan reads (NDJSON,
 * JSON arrays, evtx_dump output, .evtx), as a table, JSON and CSV, with first/last times; and its bad inputs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { runCli, tempFiles } from '../support/cli.js';
import { corpusAvailable, loadRegressionTests } from '../support/corpus.js';

const sysmon = (utc: string, id: number, computer: string) => ({ UtcTime: utc, EventID: id, Computer: computer, Channel: 'Microsoft-Windows-Sysmon/Operational', Provider_Name: 'Microsoft-Windows-Sysmon' });
const security = (time: string, id: number, computer: string) => ({
  Event: {
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } },
      EventID: id,
      TimeCreated: { '#attributes': { SystemTime: time } },
      Channel: 'Security',
      Computer: computer,
    },
    EventData: {},
  },
});

function fixture(): string {
  const dir = tempFiles({
    'logs/sysmon.ndjson': [sysmon('2026-11-28 07:00:00.000', 1, 'WS1'), sysmon('2026-11-28 09:00:00.000', 1, 'WS2'), sysmon('2026-11-28 08:00:00.000', 3, 'WS1')].map((e) => JSON.stringify(e)).join('\n') + '\n{"broken": \n{"EventID": 1}\n',
    'logs/security.json': [security('2026-11-28T06:00:00.5Z', 4624, 'DC1'), security('2026-11-28T10:00:00Z', 4624, 'WS1')].map((e) => JSON.stringify(e, null, 1)).join('\n'),
  });
  return dir;
}

describe('sigmatch stats', () => {
  const dir = fixture();
  const stats = (...args: string[]) => runCli(['stats', '-q', ...args]);

  test('JSON: counts by each dimension, most first, with shares and first/last times; malformed records reported', () => {
    const r = stats('--format', 'json', join(dir, 'logs'));
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ events: 6, untimed: 1, malformed: 1, first: '2026-11-28T06:00:00.500Z', last: '2026-11-28T10:00:00.000Z' });
    expect(j.inputs.map((i: string) => i.replace(dir, ''))).toEqual(['/logs/security.json', '/logs/sysmon.ndjson']);
    expect(j.breakdowns.map((b: { by: string[] }) => b.by)).toEqual([['channel'], ['event_id'], ['provider'], ['computer']]);
    expect(j.breakdowns[0].groups).toEqual([
      { channel: 'Microsoft-Windows-Sysmon/Operational', count: 3, percent: 50, first: '2026-11-28T07:00:00.000Z', last: '2026-11-28T09:00:00.000Z' },
      { channel: 'Security', count: 2, percent: 33.3, first: '2026-11-28T06:00:00.500Z', last: '2026-11-28T10:00:00.000Z' },
      { channel: null, count: 1, percent: 16.7, first: null, last: null },
    ]);
    expect(j.breakdowns[1].groups.map((g: { event_id: string; count: number }) => [g.event_id, g.count])).toEqual([['1', 3], ['4624', 2], ['3', 1]]);
    expect(j.breakdowns[2].groups[1]).toMatchObject({ provider: 'Microsoft-Windows-Security-Auditing', count: 2 });
    expect(j.breakdowns[3].groups.map((g: { computer: string; count: number }) => [g.computer, g.count])).toEqual([['WS1', 3], ['DC1', 1], ['WS2', 1], [null, 1]]);
    expect(r.stderr).toMatch(/sysmon\.ndjson:4: /);
  });

  test('--by combines dimensions; CSV has one row per group; --timezone shifts the times', () => {
    const r = stats('--by', 'channel+eventid,computer', '--format', 'csv', '--timezone', '+01:00', join(dir, 'logs'));
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\r\n');
    expect(rows[0]).toBe('by,channel,event_id,provider,computer,count,percent,first,last');
    expect(rows).toContain('channel+event_id,Microsoft-Windows-Sysmon/Operational,1,,,2,33.3,2026-11-28T08:00:00.000+01:00,2026-11-28T10:00:00.000+01:00');
    expect(rows).toContain('channel+event_id,(none),1,,,1,16.7,,');
    expect(rows).toContain('computer,,,,WS1,3,50,2026-11-28T08:00:00.000+01:00,2026-11-28T11:00:00.000+01:00');
    expect(rows).toHaveLength(1 + 4 + 4);
  });

  test('the table: totals, then each breakdown; --top cuts it; -o writes a file by its extension; gzip and stdin', () => {
    const r = stats('--format', 'table', '--top', '1', join(dir, 'logs'));
    expect(r.stdout).toMatch(/^6 events in 2 inputs, 2026-11-28T06:00:00\.500Z \.\. 2026-11-28T10:00:00\.000Z \(1 without a usable time, 1 malformed records skipped\)/);
    expect(r.stdout).toMatch(/By Channel \(3 distinct\)\n\s+COUNT\s+PERCENT\s+FIRST\s+LAST\s+CHANNEL\n\s+3\s+50\.0%\s+2026-11-28T07:00:00\.000Z\s+2026-11-28T09:00:00\.000Z\s+Microsoft-Windows-Sysmon\/Operational\n\s+\.\.\. and 2 more \(--top 0 shows all\)/);
    const out = join(dir, 'metrics.csv');
    expect(stats('-o', out, join(dir, 'logs')).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^by,channel,event_id/);
    const gz = tempFiles({});
    writeFileSync(join(gz, 'x.ndjson.gz'), gzipSync(readFileSync(join(dir, 'logs/sysmon.ndjson'))));
    expect(JSON.parse(stats('-f', 'json', join(gz, 'x.ndjson.gz')).stdout).events).toBe(4);
    const stdin = runCli(['stats', '-q', '-f', 'json', '-'], { input: readFileSync(join(dir, 'logs/security.json'), 'utf8') });
    expect(JSON.parse(stdin.stdout).breakdowns[0].groups[0]).toMatchObject({ channel: 'Security', count: 2 });
  });

  test('bad inputs: usage errors with exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['--by', 'channel,hostname', join(dir, 'logs')], /--by takes channel, event_id, provider, computer .*got "hostname"/],
      [['--by', 'channel+channel', join(dir, 'logs')], /--by takes .*got "channel\+channel"/],
      [['--format', 'xml', join(dir, 'logs')], /unknown --format "xml" \(table, json, csv\)/],
      [['--top', '-1', join(dir, 'logs')], /./],
      [['--top', 'many', join(dir, 'logs')], /--top takes a whole number/],
      [['--timezone', 'Mars', join(dir, 'logs')], /--timezone takes UTC, local or an offset/],
      [[join(dir, 'nothing.json')], /stats: no such events file/],
      [['-o', join(dir, 'no/dir/x.json'), join(dir, 'logs')], /stats: cannot write .*ENOENT/],
      [['-o', join(dir, 'x.jsonl'), join(dir, 'logs')], /stats: writes table, json, csv/],
      [['--frobnicate', join(dir, 'logs')], /unknown option --frobnicate\nUsage:/],
      [[], /give the events to count/],
    ];
    for (const [args, message] of cases) {
      const r = stats(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  test.runIf(corpusAvailable())('.evtx files count as their evtx_dump JSON twins do', () => {
    const t = loadRegressionTests().slice(0, 3);
    const evtx = t.map((x) => x.evtxFiles[0]);
    const json = evtx.map((p) => p.replace(/\.evtx$/, '.json'));
    const a = JSON.parse(stats('-f', 'json', ...evtx).stdout);
    const b = JSON.parse(stats('-f', 'json', ...json).stdout);
    expect(a.events).toBeGreaterThan(0);
    expect({ ...a, inputs: [] }).toEqual({ ...b, inputs: [] });
  });
});
