/** `sigmatch scan` over .evtx files: recognised by their signature, gzip'd or not, in directories; damage noted with
 * offsets (or refused with --strict-evtx); the same hits as the evtx_dump JSON of the same events. */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { jsonLines, runCli, tempFiles } from '../support/cli.js';
import { corpusAvailable, loadRegressionTests } from '../support/corpus.js';

const RULE = `title: Any Sysmon or Security event
id: 00000000-0000-0000-0000-0000000000c1
level: low
logsource: { product: windows }
detection: { sel: { EventID|exists: true }, condition: sel }
`;

describe.runIf(corpusAvailable())('sigmatch scan .evtx', () => {
  const tests = loadRegressionTests().slice(0, 6);
  const dir = tempFiles({ 'rules/any.yml': RULE });
  tests.forEach((t, i) => {
    copyFileSync(t.evtxFiles[0], join(dir, `logs/${i}.evtx`).replace(/logs\//, 'logs-'));
    writeFileSync(join(dir, `json-${i}.json`), readFileSync(t.evtxFiles[0].replace(/\.evtx$/, '.json')));
  });
  const strip = (h: Record<string, unknown>): unknown[] => [h.event, h.id, h.time];

  test('a .evtx file: the hits of its evtx_dump JSON, with record_id and offset', () => {
    for (let i = 0; i < 3; i++) {
      const evtx = runCli(['scan', '-r', join(dir, 'rules'), '-q', join(dir, `logs-${i}.evtx`)]);
      const json = runCli(['scan', '-r', join(dir, 'rules'), '-q', join(dir, `json-${i}.json`)]);
      expect(evtx.code, evtx.stderr).toBe(0);
      const hits = jsonLines(evtx.stdout);
      expect(hits.map(strip)).toEqual(jsonLines(json.stdout).map(strip));
      const twins = tests[i].events.map((e) => (e.event as { Event: { System: { EventRecordID: number } } }).Event.System.EventRecordID);
      expect(hits.map((h) => h.record_id)).toEqual(twins);
      expect(hits.every((h) => h.offset >= 4096 + 512 && h.line === null && h.fields.length > 0)).toBe(true);
    }
  });

  test('recognised by its signature whatever its name, gzip-compressed, and in directories', () => {
    const named = join(dir, 'renamed.dat');
    copyFileSync(join(dir, 'logs-0.evtx'), named);
    writeFileSync(join(dir, 'sub/1.evtx.gz'.replace('sub/', 'sub-')), gzipSync(readFileSync(join(dir, 'logs-1.evtx'))));
    const plain = jsonLines(runCli(['scan', '-r', join(dir, 'rules'), '-q', join(dir, 'logs-0.evtx')]).stdout).map(strip);
    expect(jsonLines(runCli(['scan', '-r', join(dir, 'rules'), '-q', named]).stdout).map(strip)).toEqual(plain);
    const gz = jsonLines(runCli(['scan', '-r', join(dir, 'rules'), '-q', join(dir, 'sub-1.evtx.gz')]).stdout).map(strip);
    expect(gz).toEqual(jsonLines(runCli(['scan', '-r', join(dir, 'rules'), '-q', join(dir, 'logs-1.evtx')]).stdout).map(strip));
    const all = tempFiles({ 'a/x.evtx': '', 'b/y.evtx.gz': '' });
    copyFileSync(join(dir, 'logs-2.evtx'), join(all, 'a/x.evtx'));
    writeFileSync(join(all, 'b/y.evtx.gz'), gzipSync(readFileSync(join(dir, 'logs-3.evtx'))));
    const r = runCli(['scan', '-r', join(dir, 'rules'), '-q', all]);
    expect(r.code).toBe(0);
    expect(new Set(jsonLines(r.stdout).map((h) => h.file.slice(all.length)))).toEqual(new Set(['/a/x.evtx', '/b/y.evtx.gz']));
    expect(r.stderr).toMatch(/^sigmatch: \d+ events/m);
  });

  test('--threads 2 splits a log by chunk and gives the same output', async () => {
    const { evtxLog, realChunks } = await import('../../bench/data/evtx-log.js');
    const { REGRESSION_ROOT } = await import('../support/corpus.js');
    const log = join(dir, 'many.evtx');
    writeFileSync(log, evtxLog(realChunks(REGRESSION_ROOT).slice(0, 40), 0, 40).bytes);
    const one = runCli(['scan', '-r', join(dir, 'rules'), '-q', log]);
    const two = runCli(['scan', '-r', join(dir, 'rules'), '-q', '--threads', '2', log]);
    expect(two.code, two.stderr).toBe(0);
    expect(jsonLines(two.stdout)).toEqual(jsonLines(one.stdout));
    expect(jsonLines(one.stdout).length).toBeGreaterThan(40);
  });

  test('the reference engine reads .evtx too, with the same hits', () => {
    const wasm = runCli(['scan', '-r', join(dir, 'rules'), '-q', join(dir, 'logs-4.evtx')]);
    const reference = runCli(['scan', '-r', join(dir, 'rules'), '-q', '--engine', 'reference', join(dir, 'logs-4.evtx')]);
    expect(jsonLines(reference.stdout)).toEqual(jsonLines(wasm.stdout));
  });

  test('damage: noted with offsets on stderr and in the summary, the rest read; --strict-evtx refuses', () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'logs-5.evtx')));
    bytes[4096 + 70] ^= 1; // chunk header checksum
    const damaged = join(dir, 'damaged.evtx');
    writeFileSync(damaged, bytes);
    const r = runCli(['scan', '-r', join(dir, 'rules'), '-q', damaged]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${damaged}: chunk at offset 4096 (0x1000): header checksum does not match; reading its records anyway`);
    expect(r.stderr).toMatch(/evtx\s+1 note: chunk-header-checksum 1/);
    expect(jsonLines(r.stdout).length).toBe(tests[5].events.length);
    const strict = runCli(['scan', '-r', join(dir, 'rules'), '-q', '--strict-evtx', damaged]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(`scan: ${damaged}: chunk at offset 4096 (0x1000): header checksum does not match`);
    expect(strict.stderr).toContain('refused (--strict-evtx)');
  });
});
