/** `sigmatch scan` as users drive it: inputs of every kind, output formats, rule selection, exit codes. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { jsonLines, runCli, tempFiles } from '../support/cli.js';

const rule = (title: string, level: string, tag: string, image: string, status = 'test'): string => `title: ${title}
status: ${status}
level: ${level}
author: Test Author
tags:
  - ${tag}
logsource:
  product: windows
detection:
  selection:
    Image|endswith: '\\\\${image}'
  condition: selection
`;

function fixture(): string {
  const dir = tempFiles({
    'rules/low.yml': rule('Low Whoami', 'low', 'attack.t1033', 'whoami.exe', 'experimental'),
    'rules/high.yml': rule('High Certutil', 'high', 'attack.t1105', 'certutil.exe'),
    'logs/a.ndjson': '{"Image":"C:\\\\w\\\\whoami.exe"}\n{"Image":"C:\\\\w\\\\certutil.exe"}\n',
    'logs/sub/b.json': '[{"Image":"C:\\\\w\\\\certutil.exe"}]',
    'logs/notes.md': 'not events',
  });
  writeFileSync(join(dir, 'logs/c.ndjson.gz'), gzipSync('{"Image":"x\\\\whoami.exe"}\n'));
  return dir;
}

describe('sigmatch scan inputs', () => {
  test('directories (recursive), globs, gzip and stdin; every hit names its file and index in it', () => {
    const dir = fixture();
    const r = runCli(['scan', '-r', join(dir, 'rules'), join(dir, 'logs')]);
    expect(r.code).toBe(0);
    const hits = jsonLines(r.stdout).map((h) => [h.file.replace(dir, ''), h.event, h.title]);
    expect(hits).toEqual([
      ['/logs/a.ndjson', 0, 'Low Whoami'],
      ['/logs/a.ndjson', 1, 'High Certutil'],
      ['/logs/c.ndjson.gz', 0, 'Low Whoami'],
      ['/logs/sub/b.json', 0, 'High Certutil'],
    ]);
    const glob = runCli(['scan', '-r', join(dir, 'rules'), `${dir}/logs/**/*.json`]);
    expect(jsonLines(glob.stdout).map((h) => h.file.replace(dir, ''))).toEqual(['/logs/sub/b.json']);
    const stdin = runCli(['scan', '-r', join(dir, 'rules'), '-'], { input: '{"Image":"whoami.exe"}\n{"Image":"\\\\whoami.exe"}\n' });
    expect(jsonLines(stdin.stdout).map((h) => [h.event, h.file])).toEqual([[1, undefined]]);
    const none = runCli(['scan', '-r', join(dir, 'rules'), `${dir}/logs/*.xml`]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/matches no file/);
  });
});

describe('sigmatch scan of files larger than its read buffer', () => {
  // The CLI reads plain files into one reused 1 MiB buffer: records cut by a read, a record longer than the buffer
  // (it spans three reads) and multi-byte characters split between reads must all come out as the reference reads
  // them, on one thread and on two, plain and gzipped.
  test('every engine and thread count finds the reference hits', () => {
    const lines: string[] = [];
    let bytes = 0;
    for (let i = 0; bytes < 3.5 * (1 << 20); i++) {
      const image = i % 7 === 0 ? 'C:\\\\w\\\\whoami.exe' : i % 11 === 0 ? 'C:\\\\w\\\\certutil.exe' : 'C:\\\\w\\\\notepad.exe';
      // Long multi-byte padding moves the record boundaries across the reads' edges.
      const pad = 'é€'.repeat((i * 37) % 200);
      const line = i === 903 ? `{"Image":"${image}","Blob":"${'x'.repeat(2.5 * (1 << 20))}"}` : `{"Image":"${image}","Pad":"${pad}","N":${i}}`;
      lines.push(line);
      bytes += Buffer.byteLength(line) + 1;
    }
    const text = lines.join('\n') + '\n';
    const dir = fixture();
    writeFileSync(join(dir, 'big.ndjson'), text);
    writeFileSync(join(dir, 'big.ndjson.gz'), gzipSync(text));
    const hitsOf = (args: string[]): [number, string][] => {
      const r = runCli(['scan', '-r', join(dir, 'rules'), ...args]);
      expect(r.code, r.stderr).toBe(0);
      return jsonLines(r.stdout).map((h) => [h.event, h.title]);
    };
    const expected = hitsOf(['--engine', 'reference', join(dir, 'big.ndjson')]);
    expect(expected.length).toBeGreaterThan(lines.length / 6);
    expect(expected).toContainEqual([903, 'Low Whoami']);
    expect(hitsOf([join(dir, 'big.ndjson')])).toEqual(expected);
    expect(hitsOf(['--threads', '2', join(dir, 'big.ndjson')])).toEqual(expected);
    expect(hitsOf([join(dir, 'big.ndjson.gz')])).toEqual(expected);
  });
});

describe('sigmatch scan output formats', () => {
  test('json is one valid array (also when empty), csv has a header and quotes, table keeps the author', () => {
    const dir = fixture();
    const json = runCli(['scan', '-r', join(dir, 'rules'), '-f', 'json', join(dir, 'logs/a.ndjson')]);
    expect(JSON.parse(json.stdout).map((h: { title: string }) => h.title)).toEqual(['Low Whoami', 'High Certutil']);
    const empty = runCli(['scan', '-r', join(dir, 'rules'), '-f', 'json', '-'], { input: '{"Image":"nothing"}\n' });
    expect(JSON.parse(empty.stdout)).toEqual([]);
    const csv = runCli(['scan', '-r', join(dir, 'rules'), '-f', 'csv', join(dir, 'logs/a.ndjson')]);
    const rows = csv.stdout.trim().split(/\r?\n/);
    expect(rows[0]).toMatch(/^event,file,line,time,level,rule_id,rule_title,status,author,tags,detections,fields,record_id,offset,correlation,computer,channel,provider,event_id,time_unparsed$/);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/,Test Author,/);
    const table = runCli(['scan', '-r', join(dir, 'rules'), '-f', 'table', join(dir, 'logs/a.ndjson')], { env: { NO_COLOR: '1' } });
    expect(table.stdout).toMatch(/High Certutil/);
    expect(table.stdout).toMatch(/Test Author/);
    expect(table.stdout).not.toMatch(/\u001b\[/);
    const bad = runCli(['scan', '-r', join(dir, 'rules'), '-f', 'xml', '-'], { input: '' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown --format "xml"/);
  });
});

describe('sigmatch scan rule selection and exit codes', () => {
  test('--level, --status and --tags select rules; --fail-on sets exit code 1', () => {
    const dir = fixture();
    const file = join(dir, 'logs/a.ndjson');
    const titles = (args: string[]): string[] => jsonLines(runCli(['scan', '-r', join(dir, 'rules'), ...args, file]).stdout).map((h) => h.title);
    expect(titles(['--level', 'medium'])).toEqual(['High Certutil']);
    expect(titles(['--status', 'experimental'])).toEqual(['Low Whoami']);
    expect(titles(['--tags', 'attack.t1105'])).toEqual(['High Certutil']);
    expect(runCli(['scan', '-r', join(dir, 'rules'), '--fail-on', 'high', file]).code).toBe(1);
    expect(runCli(['scan', '-r', join(dir, 'rules'), '--fail-on', 'critical', file]).code).toBe(0);
    const badLevel = runCli(['scan', '-r', join(dir, 'rules'), '--level', 'severe', file]);
    expect(badLevel.code).toBe(2);
    expect(badLevel.stderr).toMatch(/--level takes one of informational, low, medium, high, critical/);
  });

  test('the summary reports events, hits by level and top rules; the reference engine gives the same hits', () => {
    const dir = fixture();
    const wasm = runCli(['scan', '-r', join(dir, 'rules'), join(dir, 'logs')]);
    expect(wasm.stderr).toMatch(/4 events, 4 hits from 2 rules/);
    expect(wasm.stderr).toMatch(/levels\s+high 2\s+low 2/);
    const reference = runCli(['scan', '-e', 'reference', '-r', join(dir, 'rules'), join(dir, 'logs')]);
    expect(jsonLines(reference.stdout)).toEqual(jsonLines(wasm.stdout));
  });
});
