/**
 * Hit provenance as users see it (issue 13): the rule's own search identifiers, never the engine's internal names
 * (`_alt1_*` copies made by pipeline alternatives, `_pipeline_*` conditions), and each field once, in rule order, in
 * every output format and on both engines.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonLines, runCli, tempFiles } from '../support/cli.js';

const RULE = `title: Reg AMSI Tampering
id: 0b3c5a1e-8f2d-4c6b-9a7e-1d2c3b4a5f60
status: test
level: high
logsource:
  product: windows
  category: process_creation
detection:
  selection_img:
    - Image|endswith: '\\reg.exe'
    - OriginalFileName: 'reg.exe'
  selection_flag:
    CommandLine|windash|contains: ' -f '
  selection_key:
    CommandLine|contains: 'AmsiEnable'
  condition: all of selection_*
`;
// A Sysmon event (true for the 4688 alternative's copy of selection_img too, through OriginalFileName) and a
// Security 4688 event (Image mapped to NewProcessName by the windows pipeline's alternative).
const EVENTS = [
  { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\Windows\\System32\\reg.exe', OriginalFileName: 'reg.exe', CommandLine: 'reg.exe add HKCU\\x /v AmsiEnable /f /d 0' },
  { EventID: 4688, Channel: 'Security', NewProcessName: 'C:\\Windows\\System32\\reg.exe', CommandLine: 'reg.exe add HKCU\\x /v AmsiEnable -f /d 0' },
];
const DETECTIONS = ['selection_img', 'selection_flag', 'selection_key'];
const FIELDS = [
  [
    { field: 'Image', value: EVENTS[0].Image },
    { field: 'OriginalFileName', value: 'reg.exe' },
    { field: 'CommandLine', value: EVENTS[0].CommandLine },
  ],
  [
    { field: 'NewProcessName', value: EVENTS[1].NewProcessName },
    { field: 'CommandLine', value: EVENTS[1].CommandLine },
  ],
];

function scan(format: string, ...extra: string[]): string {
  // A wide table: the details column is not cut.
  const dir = tempFiles({ 'r.yml': RULE, 'e.ndjson': EVENTS.map((e) => JSON.stringify(e)).join('\n') });
  const r = runCli(['scan', '-q', '-r', join(dir, 'r.yml'), '-P', 'sysmon', '-P', 'windows', '--format', format, ...extra, join(dir, 'e.ndjson')], { env: { COLUMNS: '400' } });
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  expect(r.stdout).not.toMatch(/_alt\d|_pipeline_/);
  return r.stdout;
}

describe('provenance in scan output', () => {
  test.each([['wasm'], ['reference']])('jsonl (%s engine): the rule identifiers, fields once each in rule order', (engine) => {
    const hits = jsonLines(scan('jsonl', '--engine', engine));
    expect(hits.map((h) => [h.detections, h.fields])).toEqual([
      [DETECTIONS, FIELDS[0]],
      [DETECTIONS, FIELDS[1]],
    ]);
  });

  test('--compiled: the artifact carries what provenance needs, the same identifiers and fields', () => {
    const dir = tempFiles({ 'r.yml': RULE, 'e.ndjson': EVENTS.map((e) => JSON.stringify(e)).join('\n') });
    const out = join(dir, 'r.sigc');
    expect(runCli(['compile', '-r', join(dir, 'r.yml'), '-P', 'sysmon', '-P', 'windows', '-o', out]).code).toBe(0);
    const r = runCli(['scan', '-q', '--compiled', out, '--format', 'jsonl', join(dir, 'e.ndjson')]);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map((h) => [h.detections, h.fields])).toEqual([
      [DETECTIONS, FIELDS[0]],
      [DETECTIONS, FIELDS[1]],
    ]);
  });

  test('json', () => {
    const hits = JSON.parse(scan('json'));
    expect(hits.map((h: { detections: string[]; fields: unknown }) => [h.detections, h.fields])).toEqual([
      [DETECTIONS, FIELDS[0]],
      [DETECTIONS, FIELDS[1]],
    ]);
  });

  test('csv', () => {
    const [header, ...rows] = scan('csv').trim().split('\n');
    const columns = header.split(',');
    const cell = (row: string, name: string): string => row.split(',')[columns.indexOf(name)];
    expect(rows.map((r) => cell(r, 'detections'))).toEqual([DETECTIONS.join('; '), DETECTIONS.join('; ')]);
    expect(rows.map((r) => cell(r, 'fields'))).toEqual(FIELDS.map((fs) => fs.map((f) => `${f.field}=${f.value}`).join('; ')));
  });

  test('table', () => {
    const lines = scan('table').split('\n');
    const first = lines.find((l) => l.includes('Image=C:\\Windows'))!;
    expect(first.match(/\b(Image|OriginalFileName|CommandLine)=/g)).toEqual(['Image=', 'OriginalFileName=', 'CommandLine=']);
    const second = lines.find((l) => l.includes('NewProcessName='))!;
    expect(second.match(/\b(NewProcessName|CommandLine)=/g)).toEqual(['NewProcessName=', 'CommandLine=']);
    expect(second).toContain(EVENTS[1].CommandLine);
  });
});
