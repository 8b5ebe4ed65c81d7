/**
 * `sigmatch scan` for investigations: --sort time across inputs (spilling to disk under a tiny --sort-buffer),
 * rule exclusion (--exclude-*, deprecated and unsupported rules skipped by default) and the timesketch formats,
 * with their bad inputs.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonLines, runCli, tempFiles } from '../support/cli.js';
import { corpusAvailable, loadRegressionTests } from '../support/corpus.js';

const rule = (title: string, image: string, meta: { id?: string; status?: string; tags?: string[] } = {}): string => `title: ${title}
${meta.id ? `id: ${meta.id}\n` : ''}status: ${meta.status ?? 'test'}
level: medium
author: Test Author
tags: [${(meta.tags ?? []).join(', ')}]
logsource: { product: windows }
detection:
  selection:
    Image|endswith: '\\\\${image}'
  condition: selection
`;

const ev = (utc: string | undefined, image: string): string => `${JSON.stringify({ ...(utc ? { UtcTime: utc } : {}), Image: `C:\\w\\${image}` })}\n`;

describe('--sort time', () => {
  // Two inputs whose times interleave; a time shared across inputs; events without a time in both.
  const dir = tempFiles({
    'rules/all.yml': `title: All
status: test
level: low
logsource: { product: windows }
detection: { sel: { Image|endswith: '.exe' }, condition: sel }
`,
    'logs/1.ndjson': ev('2026-11-28 08:00:00.000', 'a.exe') + ev(undefined, 'b.exe') + ev('2026-11-28 06:00:00.000', 'c.exe') + ev('2026-11-28 07:00:00.000', 'd.exe'),
    'logs/2.ndjson': ev('2026-11-28 07:00:00.000', 'e.exe') + ev('2026-11-28T05:30:00+00:00', 'f.exe') + ev(undefined, 'g.exe') + ev('2026-11-28 09:00:00.000', 'h.exe'),
  });
  const scan = (...args: string[]) => runCli(['scan', '-r', join(dir, 'rules/all.yml'), '-q', ...args, join(dir, 'logs/1.ndjson'), join(dir, 'logs/2.ndjson')]);
  const images = (stdout: string): string[] => jsonLines(stdout).map((h) => h.fields[0].value.slice(-5, -4));

  test('hits in time order across inputs; ties in input order; hits without a time last, in input order', () => {
    expect(images(scan().stdout)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    const sorted = scan('--sort', 'time');
    expect(sorted.code, sorted.stderr).toBe(0);
    expect(images(sorted.stdout)).toEqual(['f', 'c', 'd', 'e', 'a', 'h', 'b', 'g']);
    expect(sorted.stderr).not.toMatch(/spilled/);
  });

  test('a tiny --sort-buffer spills sorted runs to temporary files, merges them to the same order and removes them', () => {
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const spilled = runCli(['scan', '-r', join(dir, 'rules/all.yml'), '-q', '--sort', 'time', '--sort-buffer', '1', '-f', 'csv', '--columns', 'time,fields', join(dir, 'logs/1.ndjson'), join(dir, 'logs/2.ndjson')], { env: { TMPDIR: tmp } });
    expect(spilled.code, spilled.stderr).toBe(0);
    expect(spilled.stderr).toMatch(/sort\s+8 sorted runs spilled to temporary files/);
    const rows = spilled.stdout.trim().split('\r\n').slice(1).map((r) => r.split(',')[1].slice(-5, -4));
    expect(rows).toEqual(['f', 'c', 'd', 'e', 'a', 'h', 'b', 'g']);
    expect(readdirSync(tmp)).toEqual([]);
  });

  test('bad values are usage errors', () => {
    for (const [args, message] of [
      [['--sort', 'name'], /--sort takes input or time, got "name"/],
      [['--sort', 'time', '--sort-buffer', 'lots'], /--sort-buffer takes a size such as 512K/],
      [['--sort', 'time', '--sort-buffer', '0'], /--sort-buffer takes a size/],
      [['--sort-buffer', '1M'], /--sort-buffer sizes the memory of --sort time/],
    ] as const) {
      const r = scan(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('rule exclusion', () => {
  const dir = tempFiles({
    'rules/whoami.yml': rule('Whoami Noisy', 'whoami.exe', { id: '11111111-1111-4111-8111-111111111111', tags: ['attack.discovery', 'attack.t1033'] }),
    'rules/cert.yml': rule('Certutil Download', 'certutil.exe', { id: '22222222-2222-4222-8222-222222222222', status: 'stable', tags: ['attack.t1105.001'] }),
    'rules/exp.yml': rule('Experimental Net', 'net.exe', { status: 'experimental' }),
    'rules/old.yml': rule('Old Whoami', 'whoami.exe', { status: 'deprecated' }),
    'rules/broken.yml': rule('Unsupported Net', 'net.exe', { status: 'unsupported' }),
    'noisy.txt': '# rules we do not want\n22222222-2222-4222-8222-222222222222\n\n  whoami noisy  \n   # an indented comment\nNo Such Rule\n',
    'logs/a.ndjson': ev('2026-11-28 07:00:00.000', 'whoami.exe') + ev('2026-11-28 07:00:01.000', 'certutil.exe') + ev('2026-11-28 07:00:02.000', 'net.exe'),
  });
  const scan = (...args: string[]) => runCli(['scan', '-r', join(dir, 'rules'), '-q', ...args, join(dir, 'logs/a.ndjson')]);
  const titles = (stdout: string): string[] => jsonLines(stdout).map((h) => h.title);

  test('deprecated and unsupported rules are skipped by default, and the summary says so; --include-deprecated runs them', () => {
    const r = scan();
    expect(titles(r.stdout)).toEqual(['Whoami Noisy', 'Certutil Download', 'Experimental Net']);
    expect(r.stderr).toMatch(/excluded\s+2 rules: 1 deprecated, 1 unsupported \(--include-deprecated runs them\)/);
    const all = scan('--include-deprecated');
    expect(titles(all.stdout)).toEqual(['Old Whoami', 'Whoami Noisy', 'Certutil Download', 'Unsupported Net', 'Experimental Net']);
    expect(all.stderr).not.toMatch(/excluded/);
  });

  test('--exclude-id (ids or titles, any case, comma lists, repeatable), --exclude-tags, --exclude-status', () => {
    expect(titles(scan('--exclude-id', '22222222-2222-4222-8222-222222222222,EXPERIMENTAL NET').stdout)).toEqual(['Whoami Noisy']);
    expect(titles(scan('--exclude-id', 'whoami noisy', '--exclude-id', 'Experimental Net').stdout)).toEqual(['Certutil Download']);
    const tags = scan('--exclude-tags', 'attack.t1105,attack.discovery');
    expect(titles(tags.stdout)).toEqual(['Experimental Net']);
    expect(tags.stderr).toMatch(/excluded\s+4 rules: 1 deprecated, 1 unsupported \(--include-deprecated runs them\), 2 by tag \(--exclude-tags\)/);
    expect(titles(scan('--exclude-status', 'experimental,test').stdout)).toEqual(['Certutil Download']);
  });

  test('--exclude-file: ids or titles one per line, # comments; a name no rule has is warned of with its line', () => {
    const r = scan('--exclude-file', join(dir, 'noisy.txt'));
    expect(r.code, r.stderr).toBe(0);
    expect(titles(r.stdout)).toEqual(['Experimental Net']);
    expect(r.stderr).toContain(`${join(dir, 'noisy.txt')}:6: no loaded rule has the id or title "No Such Rule"`);
    expect(r.stderr).toMatch(/2 by id or title \(--exclude-id, --exclude-file\)/);
  });

  test('an unreadable exclude file is a usage error naming it; so is excluding every rule', () => {
    const missing = scan('--exclude-file', join(dir, 'missing.txt'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/scan: cannot read --exclude-file .*missing\.txt: ENOENT/);
    expect(missing.stdout).toBe('');
    const directory = scan('--exclude-file', join(dir, 'rules'));
    expect(directory.code).toBe(2);
    expect(directory.stderr).toMatch(/cannot read --exclude-file .*rules: EISDIR/);
    const none = scan('--exclude-status', 'test,stable,experimental');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no rule is left after .* the exclusions/);
  });

  test('a compiled rule set: excluded rules run but their hits are not reported', () => {
    const sigc = join(dir, 'rules.sigc');
    expect(runCli(['compile', '-r', join(dir, 'rules'), '-o', sigc]).code).toBe(0);
    const r = runCli(['scan', '--compiled', sigc, '-q', '--exclude-id', 'Whoami Noisy', join(dir, 'logs/a.ndjson')]);
    expect(r.code, r.stderr).toBe(0);
    expect(titles(r.stdout)).toEqual(['Certutil Download', 'Experimental Net']);
    expect(r.stderr).toMatch(/excluded\s+3 rules: 1 deprecated, 1 unsupported \(--include-deprecated runs them\), 1 by id or title/);
  });
});

describe('timesketch', () => {
  const dir = tempFiles({
    'rules/w.yml': rule('Whoami', 'whoami.exe'),
    'logs/a.ndjson':
      `${JSON.stringify({ UtcTime: '2026-11-28 07:37:34.069', Computer: 'WS1', EventID: 1, Image: 'C:\\w\\whoami.exe', CommandLine: 'whoami /all' })}\n` +
      ev(undefined, 'whoami.exe') +
      ev('2026-11-28T09:00:00+02:00', 'whoami.exe'),
  });
  const scan = (...args: string[]) => runCli(['scan', '-r', join(dir, 'rules'), '-q', ...args, join(dir, 'logs/a.ndjson')]);

  test('CSV: message, datetime, timestamp, timestamp_desc first, then the columns; hits without a time left out and counted', () => {
    const r = runCli(['scan', '-r', join(dir, 'rules'), ...['--format', 'timesketch', join(dir, 'logs/a.ndjson')]]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\r\n');
    expect(rows[0]).toMatch(/^message,datetime,timestamp,timestamp_desc,event,file,line,level,rule_id,rule_title,/);
    expect(rows[0]).not.toMatch(/,time,|time_unparsed/);
    expect(rows[1]).toMatch(/^Whoami \(medium\): Image=C:\\w\\whoami\.exe,2026-11-28T07:37:34\.069\+00:00,1795851454069000,Event Time,0,/);
    expect(rows[2]).toMatch(/^Whoami \(medium\): Image=C:\\w\\whoami\.exe,2026-11-28T07:00:00\.000\+00:00,1795849200000000,Event Time,2,/);
    expect(rows).toHaveLength(3);
    expect(r.stderr).toMatch(/left out\s+1 hit without a usable time \(Timesketch needs one\)/);
    const minimal = scan('--format', 'timesketch-csv', '--columns', 'minimal').stdout.split('\r\n')[0];
    expect(minimal).toBe('message,datetime,timestamp,timestamp_desc,computer,event_id,level,rule_title');
  });

  test('JSONL: the hit record with the Timesketch fields, from --format timesketch and a .jsonl output file', () => {
    const out = join(dir, 'sketch.jsonl');
    const r = scan('--format', 'timesketch', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(readFileSync(out, 'utf8'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      message: 'Whoami (medium): Image=C:\\w\\whoami.exe',
      datetime: '2026-11-28T07:37:34.069+00:00',
      timestamp: 1795851454069000,
      timestamp_desc: 'Event Time',
      title: 'Whoami',
      computer: 'WS1',
      event_id: '1',
    });
    expect(Object.keys(lines[0]).slice(0, 4)).toEqual(['message', 'datetime', 'timestamp', 'timestamp_desc']);
    expect(lines[0]).not.toHaveProperty('time');
    expect(jsonLines(scan('--format', 'timesketch-jsonl').stdout)).toHaveLength(2);
    expect(existsSync(out)).toBe(true);
  });
});

describe.runIf(corpusAvailable())('--sort time over .evtx files and evtx_dump JSON', () => {
  test('one timeline across files of both kinds; .evtx hits carry computer, channel, event ID and record ID', () => {
    const dir = tempFiles({
      'rules/any.yml': `title: Any event
level: low
logsource: { product: windows }
detection: { sel: { EventID|exists: true }, condition: sel }
`,
    });
    const evtx = loadRegressionTests()
      .slice(0, 4)
      .map((t) => t.evtxFiles[0]);
    const inputs = [...evtx.slice(0, 2), ...evtx.slice(2).map((p) => p.replace(/\.evtx$/, '.json'))];
    const scan = (...args: string[]) => runCli(['scan', '-r', join(dir, 'rules'), '-q', ...args, ...inputs]);
    const plain = jsonLines(scan().stdout);
    const sorted = jsonLines(scan('--sort', 'time').stdout);
    expect(sorted.length).toBeGreaterThan(4);
    const key = (h: { time: string; record_id: number; file: string }): string => `${h.time} ${h.record_id} ${h.file}`;
    expect(sorted.map(key).sort()).toEqual(plain.map(key).sort());
    const times = sorted.map((h) => Date.parse(h.time));
    expect(times.every((t, i) => i === 0 || times[i - 1] <= t)).toBe(true);
    expect(times.every((t) => Number.isFinite(t))).toBe(true);
    const fromEvtx = sorted.filter((h) => h.file.endsWith('.evtx'));
    expect(fromEvtx.length).toBeGreaterThan(0);
    for (const h of sorted) expect(h, h.file).toMatchObject({ computer: expect.any(String), channel: expect.any(String), event_id: expect.any(String), record_id: expect.any(Number) });
  });
});
