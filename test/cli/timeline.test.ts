/**
 * The timeline options of `sigmatch scan` as investigators use them: one normalised time column whatever the event
 * wrote, --timezone, --from/--to, Computer / Channel / EventID / RecordID columns and --columns, -o with the format
 * from the extension, and their bad inputs (usage errors, exit 2, before anything is scanned).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonLines, runCli, tempFiles } from '../support/cli.js';

const rule = (title: string, image: string, extra = ''): string => `title: ${title}
id: ${title.toLowerCase().replace(/ /g, '-')}
status: test
level: high
author: Test Author
tags: [attack.t1033]
logsource: { product: windows }
detection:
  selection:
    Image|endswith: '\\\\${image}'
  condition: selection
${extra}`;

const line = (o: unknown): string => `${JSON.stringify(o)}\n`;

/** Events whose times are written every way logs write them, one per line, in this order. */
const EVENTS = [
  { UtcTime: '2026-11-28 07:37:34.069', Computer: 'WS1', Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, EventRecordID: 101, Image: 'C:\\w\\whoami.exe' },
  { '@timestamp': '2026-11-28T09:00:00.5+02:00', 'host.name': 'WS2', Image: 'C:\\w\\whoami.exe' },
  { timestamp: 1795851454, Image: 'C:\\w\\whoami.exe' },
  { UtcTime: 'the 28th, after lunch', Image: 'C:\\w\\whoami.exe' },
  { Image: 'C:\\w\\whoami.exe' },
];
const EVTX_DUMP = {
  Event: {
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } },
      EventID: 4688,
      EventRecordID: 7,
      TimeCreated: { '#attributes': { SystemTime: '2026-11-28T06:00:00.123456Z' } },
      Channel: 'Security',
      Computer: 'DC1.corp',
    },
    EventData: { Image: 'C:\\w\\whoami.exe' },
  },
};

function fixture(): string {
  return tempFiles({
    'rules/whoami.yml': rule('Whoami', 'whoami.exe'),
    'logs/a.ndjson': EVENTS.map(line).join(''),
    'logs/b.json': JSON.stringify(EVTX_DUMP, null, 2),
  });
}

describe('one normalised time column', () => {
  const dir = fixture();
  const scan = (...args: string[]) => runCli(['scan', '-r', join(dir, 'rules'), '-q', ...args]);

  test('UTC ISO 8601 with milliseconds whatever the event wrote; unreadable times as written, flagged', () => {
    const r = scan(join(dir, 'logs/a.ndjson'), join(dir, 'logs/b.json'));
    expect(r.code, r.stderr).toBe(0);
    const hits = jsonLines(r.stdout);
    expect(hits.map((h) => [h.time, h.time_unparsed])).toEqual([
      ['2026-11-28T07:37:34.069Z', undefined], // Sysmon UtcTime: UTC without a zone
      ['2026-11-28T07:00:00.500Z', undefined], // ISO with an offset
      ['2026-11-28T07:37:34.000Z', undefined], // epoch seconds
      ['the 28th, after lunch', true],
      [undefined, undefined],
      ['2026-11-28T06:00:00.123Z', undefined], // evtx SystemTime, microseconds cut
    ]);
    expect(r.stderr).toMatch(/times\s+1 hit with a time that could not be read \(shown as written\)/);
  });

  test('Computer, Channel, Provider, EventID and RecordID from flat and evtx_dump fields', () => {
    const hits = jsonLines(scan(join(dir, 'logs/a.ndjson'), join(dir, 'logs/b.json')).stdout);
    expect(hits[0]).toMatchObject({ computer: 'WS1', channel: 'Microsoft-Windows-Sysmon/Operational', event_id: '1', record_id: 101 });
    expect(hits[1]).toMatchObject({ computer: 'WS2' });
    expect(hits[1]).not.toHaveProperty('channel');
    expect(hits[5]).toMatchObject({ computer: 'DC1.corp', channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', event_id: '4688', record_id: 7 });
  });

  test('--timezone: a fixed offset, local time (the TZ of the process) and bad zones', () => {
    const fixed = jsonLines(scan('--timezone', '+05:30', join(dir, 'logs/a.ndjson')).stdout);
    expect(fixed[0].time).toBe('2026-11-28T13:07:34.069+05:30');
    // A value starting with a dash needs the = form (parseArgs would take -03:00 for an option).
    expect(jsonLines(scan('--timezone=-03:00', join(dir, 'logs/a.ndjson')).stdout)[1].time).toBe('2026-11-28T04:00:00.500-03:00');
    const local = runCli(['scan', '-r', join(dir, 'rules'), '-q', '--timezone', 'local', join(dir, 'logs/a.ndjson')], { env: { TZ: 'America/New_York' } });
    expect(jsonLines(local.stdout)[0].time).toBe('2026-11-28T02:37:34.069-05:00');
    const summer = tempFiles({ 'e.ndjson': line({ UtcTime: '2026-07-01 12:00:00.000', Image: 'a\\whoami.exe' }) });
    const dst = runCli(['scan', '-r', join(dir, 'rules'), '-q', '--timezone', 'local', join(summer, 'e.ndjson')], { env: { TZ: 'America/New_York' } });
    expect(jsonLines(dst.stdout)[0].time).toBe('2026-07-01T08:00:00.000-04:00');
    for (const bad of ['Mars', '+25:00', '+05:75', '5']) {
      const r = scan('--timezone', bad, join(dir, 'logs/a.ndjson'));
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`--timezone takes UTC, local or an offset`);
      expect(r.stdout).toBe('');
    }
  });

  test('the table shows the time column normalised and marks a time it could not read', () => {
    const r = runCli(['scan', '-r', join(dir, 'rules'), '-q', '--format', 'table', join(dir, 'logs/a.ndjson')], { env: { COLUMNS: '250' } });
    const rows = r.stdout.split('\n');
    expect(rows[0]).toMatch(/^TIME\s+LEVEL\s+COMPUTER\s+CHANNEL\s+EVENT ID\s+RECORD ID\s+RULE\s+EVENT/);
    expect(rows[1]).toMatch(/^2026-11-28T07:37:34\.069Z\s+high\s+WS1\s+Sysmon\s+1\s+101\s+Whoami/);
    expect(rows[4]).toMatch(/^\? the 28th, after lunch\s+high/);
  });
});

describe('--from / --to', () => {
  const dir = fixture();
  const scan = (...args: string[]) => runCli(['scan', '-r', join(dir, 'rules'), '-q', ...args, join(dir, 'logs/a.ndjson'), join(dir, 'logs/b.json')]);
  const times = (r: { stdout: string }): string[] => jsonLines(r.stdout).map((h) => h.time);

  test('events outside the range are not reported; bounds are inclusive; the summary counts what was left out', () => {
    const r = scan('--from', '2026-11-28T07:00:00.500Z', '--to', '2026-11-28T07:37:34.069Z');
    expect(r.code, r.stderr).toBe(0);
    expect(times(r)).toEqual(['2026-11-28T07:37:34.069Z', '2026-11-28T07:00:00.500Z', '2026-11-28T07:37:34.000Z']);
    expect(r.stderr).toMatch(/range\s+hits left out by --from\/--to: 1 outside it, 2 without a usable time/);
  });

  test('a date alone: --from at its start, --to to its end; zone-less bounds are read in --timezone', () => {
    expect(times(scan('--from', '2026-11-28', '--to', '2026-11-28'))).toHaveLength(4);
    expect(times(scan('--to', '2026-11-27'))).toEqual([]);
    // 08:30 at +02:00 is 06:30 UTC: only the evtx event (06:00:00.123) is before it.
    expect(times(scan('--timezone', '+02:00', '--to', '2026-11-28T08:30'))).toEqual(['2026-11-28T08:00:00.123+02:00']);
    expect(times(scan('--from', '2026-11-28T07:30:00+00:00'))).toEqual(['2026-11-28T07:37:34.069Z', '2026-11-28T07:37:34.000Z']);
  });

  test('bad ranges are usage errors before scanning', () => {
    const cases: [string[], RegExp][] = [
      [['--from', '2026-12-01', '--to', '2026-11-01'], /--from 2026-12-01 is after --to 2026-11-01/],
      [['--from', 'yesterday'], /--from takes an ISO 8601 date or date-time .*got "yesterday"/],
      [['--to', '2026-02-30'], /--to takes an ISO 8601 date/],
      [['--from', '2026'], /--from takes an ISO 8601 date/],
      [['--to', '2026-11-28T25:00'], /--to takes/],
    ];
    for (const [args, message] of cases) {
      const r = scan(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});

describe('--columns', () => {
  const dir = fixture();
  const scan = (...args: string[]) => runCli(['scan', '-r', join(dir, 'rules'), '-q', ...args, join(dir, 'logs/a.ndjson'), join(dir, 'logs/b.json')]);

  test('profiles and lists pick the CSV header and cells', () => {
    const minimal = scan('--format', 'csv', '--columns', 'minimal').stdout.split('\r\n');
    expect(minimal[0]).toBe('time,computer,event_id,level,rule_title');
    expect(minimal[1]).toBe('2026-11-28T07:37:34.069Z,WS1,1,high,Whoami');
    expect(minimal[6]).toBe('2026-11-28T06:00:00.123Z,DC1.corp,4688,high,Whoami');
    const list = scan('--format', 'csv', '--columns', 'record_id, channel,time_unparsed').stdout.split('\r\n');
    expect(list.slice(0, 5)).toEqual(['record_id,channel,time_unparsed', '101,Microsoft-Windows-Sysmon/Operational,', ',,', ',,', ',,true']);
    expect(scan('--format', 'csv', '--columns', 'standard').stdout.split('\r\n')[0]).toBe('time,level,computer,channel,event_id,record_id,rule_title,where,details');
    const table = scan('--format', 'table', '--columns', 'minimal').stdout.split('\n');
    expect(table[0]).toMatch(/^TIME\s+COMPUTER\s+EVENT ID\s+LEVEL\s+RULE$/);
  });

  test('unknown columns list the valid ones; --columns with a format it does not shape is refused', () => {
    const r = scan('--format', 'csv', '--columns', 'time,hostname,rule');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown columns "hostname", "rule" in --columns; profiles: minimal, standard, verbose; columns: time, time_unparsed, level');
    expect(r.stdout).toBe('');
    expect(scan('--format', 'csv', '--columns', 'time,time').stderr).toContain('column "time" is listed twice');
    const json = scan('--format', 'jsonl', '--columns', 'minimal');
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('--columns applies to the table, csv and timesketch CSV formats, not to jsonl');
  });
});

describe('-o/--output', () => {
  const dir = fixture();
  const scan = (...args: string[]) => runCli(['scan', '-r', join(dir, 'rules'), '-q', ...args, join(dir, 'logs/a.ndjson')]);

  test('the format comes from the extension unless --format says; nothing goes to stdout', () => {
    const cases: [string, (text: string) => void][] = [
      ['hits.jsonl', (t) => expect(jsonLines(t)).toHaveLength(5)],
      ['hits.ndjson', (t) => expect(jsonLines(t)[0].computer).toBe('WS1')],
      ['hits.json', (t) => expect(JSON.parse(t)).toHaveLength(5)],
      ['hits.csv', (t) => expect(t.split('\r\n')[0]).toMatch(/^event,file,line,time,/)],
      ['hits.txt', (t) => expect(t).toMatch(/^TIME\s+LEVEL/)],
      ['report.html', (t) => expect(t).toMatch(/^<!doctype html>/i)],
    ];
    for (const [name, check] of cases) {
      const r = scan('-o', join(dir, name));
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toBe('');
      check(readFileSync(join(dir, name), 'utf8'));
    }
    const forced = scan('--output', join(dir, 'forced.out'), '--format', 'csv');
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'forced.out'), 'utf8')).toMatch(/^event,file/);
    // A file is not a terminal: no colour, no cut lines.
    const table = scan('-o', join(dir, 'wide.txt'), '--color', 'always');
    expect(table.code).toBe(0);
    expect(readFileSync(join(dir, 'wide.txt'), 'utf8')).not.toMatch(/\u001b|…/);
  });

  test('an unwritable file, an unknown extension or an input as output fail before scanning, exit 2', () => {
    const missing = scan('-o', join(dir, 'no/such/dir/hits.jsonl'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/scan: cannot write .*no\/such\/dir\/hits\.jsonl: ENOENT/);
    expect(missing.stderr).not.toMatch(/events/); // no summary: nothing was scanned
    const isDir = scan('-o', join(dir, 'logs'), '--format', 'jsonl');
    expect(isDir.code).toBe(2);
    expect(isDir.stderr).toMatch(/cannot write .*logs: EISDIR/);
    const unknown = scan('-o', join(dir, 'hits.xlsx'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('cannot tell the output format from the name');
    expect(existsSync(join(dir, 'hits.xlsx'))).toBe(false);
    const input = scan('-o', join(dir, 'logs/a.ndjson'), '--format', 'jsonl');
    expect(input.code).toBe(2);
    expect(input.stderr).toContain('is one of the inputs; refusing to overwrite it');
    expect(readFileSync(join(dir, 'logs/a.ndjson'), 'utf8')).toBe(EVENTS.map(line).join(''));
    const html = scan('-o', join(dir, 'no/where.html'));
    expect(html.code).toBe(2);
    expect(html.stderr).toMatch(/cannot write/);
    const both = scan('-o', join(dir, 'r.html'), '--html', join(dir, 'r2.html'));
    expect(both.code).toBe(2);
  });

  test.runIf(process.getuid?.() !== 0)('a read-only file is refused (root may write it anyway)', () => {
    const ro = join(dir, 'readonly.jsonl');
    writeFileSync(ro, '');
    chmodSync(ro, 0o444);
    const r = scan('-o', ro);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*readonly\.jsonl: EACCES/);
  });

  test.runIf(existsSync('/dev/full'))('a write error while scanning (a full disk) ends the run naming the file, exit 2', () => {
    const full = scan('-o', '/dev/full', '--format', 'jsonl');
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/scan: cannot write \/dev\/full: ENOSPC/);
    expect(full.stderr).not.toMatch(/internal error/);
  });
});
