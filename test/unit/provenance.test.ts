/** Provenance (`explainMatch`): which identifiers were true and which event values satisfied which items. */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { explainMatch } from '../../src/eval/provenance.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { readJsonEvents } from '../../src/input/json-events.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import { builtinPipelines } from '../../src/pipeline/builtins.js';
import { loadRules } from '../../src/rule/files.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { ROOT } from '../support/cli.js';

function rule(detection: string): SigmaRule {
  const set = loadRulesFromText(`title: Provenance Case\nid: 5f0e8a52-4d8e-4b7b-9c1e-2a3b4c5d6e7f\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n${detection}`);
  expect(set.errors.map((e) => e.format())).toEqual([]);
  return set.rules[0];
}

describe('explainMatch', () => {
  test('a keyword item reports the leaf that matched, with its path', () => {
    const r = rule(`  keywords:\n    - 'evil'\n    - 'bad thing'\n  condition: keywords\n`);
    const p = explainMatch(r, { a: 'harmless', b: { c: ['x', 'an EVIL payload'] }, n: 3 });
    expect(p.matched).toBe(true);
    expect(p.detections).toEqual(['keywords']);
    expect(p.fields).toEqual([{ field: 'b.c', value: 'an EVIL payload', detection: 'keywords', keyword: true }]);
  });

  test('keywords under |all: each keyword reports its own leaf', () => {
    const r = rule(`  keywords:\n    '|all':\n      - 'Accepted password'\n      - 'ssh2'\n  condition: keywords\n`);
    const p = explainMatch(r, { program: 'sshd', message: 'Accepted password for root', proto: 'ssh2' });
    expect(p.fields).toEqual([
      { field: 'message', value: 'Accepted password for root', detection: 'keywords', keyword: true },
      { field: 'proto', value: 'ssh2', detection: 'keywords', keyword: true },
    ]);
    expect(explainMatch(r, { message: 'Accepted password for root' }).matched).toBe(false);
  });

  test('list items: the value that satisfied one of the listed values; array fields report the matching element', () => {
    const r = rule(`  selection:\n    Image|endswith:\n      - '\\certutil.exe'\n      - '\\bitsadmin.exe'\n    User: 'CORP\\alice'\n  condition: selection\n`);
    const p = explainMatch(r, { Image: ['C:\\x\\notepad.exe', 'C:\\Windows\\System32\\BITSADMIN.EXE'], User: 'corp\\ALICE' });
    expect(p.matched).toBe(true);
    expect(p.fields).toEqual([
      { field: 'Image', value: 'C:\\Windows\\System32\\BITSADMIN.EXE', detection: 'selection' },
      { field: 'User', value: 'corp\\ALICE', detection: 'selection' },
    ]);
  });

  test('|all: every value is satisfied; one value satisfying several listed values is reported once', () => {
    const r = rule(`  selection:\n    CommandLine|contains|all:\n      - 'shadows'\n      - 'delete'\n  condition: selection\n`);
    expect(explainMatch(r, { CommandLine: 'vssadmin delete shadows /all' }).fields).toEqual([
      { field: 'CommandLine', value: 'vssadmin delete shadows /all', detection: 'selection' },
    ]);
    expect(explainMatch(r, { CommandLine: ['delete it', 'the shadows'] }).fields).toEqual([
      { field: 'CommandLine', value: 'the shadows', detection: 'selection' },
      { field: 'CommandLine', value: 'delete it', detection: 'selection' },
    ]);
    expect(explainMatch(r, { CommandLine: 'delete' }).matched).toBe(false);
  });

  test('filters: a true filter makes no match; a false one is neither a detection nor a source of fields', () => {
    const r = rule(
      `  selection:\n    Image|endswith: '\\powershell.exe'\n  filter_main_ccm:\n    ParentImage|startswith: 'C:\\Windows\\CCM\\'\n  filter_main_null:\n    CommandLine: null\n  condition: selection and not 1 of filter_main_*\n`,
    );
    const hit = explainMatch(r, { Image: 'C:\\w\\powershell.exe', ParentImage: 'C:\\Windows\\explorer.exe', CommandLine: 'powershell -nop' });
    expect(hit).toEqual({ matched: true, detections: ['selection'], fields: [{ field: 'Image', value: 'C:\\w\\powershell.exe', detection: 'selection' }] });
    const filtered = explainMatch(r, { Image: 'C:\\w\\powershell.exe', ParentImage: 'C:\\Windows\\CCM\\x.exe', CommandLine: 'x' });
    expect(filtered.matched).toBe(false);
    expect(filtered.detections).toEqual(['selection', 'filter_main_ccm']);
    // A true identifier used only under `not` gives no fields (it did not make anything match).
    expect(filtered.fields.map((f) => f.detection)).toEqual(['selection']);
    // Absent CommandLine: the null filter holds (absent counts as null) and reports no value.
    const absent = explainMatch(r, { Image: 'C:\\w\\powershell.exe' });
    expect(absent.detections).toEqual(['selection', 'filter_main_null']);
    expect(absent.matched).toBe(false);
  });

  test('a list of maps reports the alternatives that held, not the others', () => {
    const r = rule(`  selection:\n    - Image|endswith: '\\certutil.exe'\n    - OriginalFileName: 'CertUtil.exe'\n    - CommandLine|contains: 'urlcache'\n  condition: selection\n`);
    const p = explainMatch(r, { Image: 'C:\\Users\\Public\\svchosts.exe', OriginalFileName: 'CertUtil.exe', CommandLine: 'svchosts -decode a b' });
    expect(p.fields).toEqual([{ field: 'OriginalFileName', value: 'CertUtil.exe', detection: 'selection' }]);
  });

  test('regex, cidr, numbers and fieldref report the event values', () => {
    const r = rule(
      `  sel_re:\n    CommandLine|re: 'java[s]cript:'\n  sel_net:\n    DestinationIp|cidr: '203.0.113.0/24'\n    DestinationPort: 445\n  sel_ref:\n    Image|endswith|fieldref: OriginalFileName\n  condition: sel_re and sel_net and sel_ref\n`,
    );
    const p = explainMatch(r, { CommandLine: 'rundll32 javascript:x', DestinationIp: '203.0.113.50', DestinationPort: 445, Image: 'C:\\w\\cmd.exe', OriginalFileName: 'Cmd.Exe' });
    expect(p.matched).toBe(true);
    expect(p.fields).toEqual([
      { field: 'CommandLine', value: 'rundll32 javascript:x', detection: 'sel_re' },
      { field: 'DestinationIp', value: '203.0.113.50', detection: 'sel_net' },
      { field: 'DestinationPort', value: '445', detection: 'sel_net' },
      { field: 'Image', value: 'C:\\w\\cmd.exe', detection: 'sel_ref' },
    ]);
  });

  test('evtx_dump events are read as flat fields, as the evaluator reads them', () => {
    const r = rule(`  selection:\n    EventID: 1\n    Image|endswith: '\\whoami.exe'\n  condition: selection\n`);
    const event = { Event: { System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational' }, EventData: { Image: 'C:\\Windows\\System32\\whoami.exe' } } };
    expect(explainMatch(r, event).fields).toEqual([
      { field: 'EventID', value: '1', detection: 'selection' },
      { field: 'Image', value: 'C:\\Windows\\System32\\whoami.exe', detection: 'selection' },
    ]);
    expect(explainMatch(r, event, { evtx: false }).matched).toBe(false);
  });

  test('identifiers pipelines added are left out unless asked for', () => {
    const [routed] = applyPipelines([rule(`  selection:\n    Image|endswith: '\\whoami.exe'\n  condition: selection\n`)], builtinPipelines('sysmon')).rules;
    const event = { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\w\\whoami.exe' };
    expect(explainMatch(routed, event).detections).toEqual(['selection']);
    const all = explainMatch(routed, event, { internal: true });
    expect(all.detections).toEqual(['selection', '_pipeline_sysmon_process_creation']);
    expect(all.fields.map((f) => f.field)).toEqual(['Image', 'Channel', 'EventID']);
  });

  test('a rule with a pipeline alternative (4688) and |windash: its own identifiers, each field once, in rule order', () => {
    const written = rule(
      `  selection_img:\n    - Image|endswith: '\\reg.exe'\n    - OriginalFileName: 'reg.exe'\n  selection_flag:\n    CommandLine|windash|contains: ' -f '\n  selection_key:\n    CommandLine|contains: 'AmsiEnable'\n  condition: all of selection_*\n`,
    );
    const [routed] = applyPipelines([written], [...builtinPipelines('sysmon'), ...builtinPipelines('windows')]).rules;
    // The alternative's copy of selection_img (Image -> NewProcessName) is an internal identifier of the engine.
    expect(routed.detections.map((d) => d.name)).toContain('_alt1_selection_img');
    const cmd = 'reg.exe add HKCU\\x /v AmsiEnable /f /d 0';
    const sysmon = { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\Windows\\System32\\reg.exe', OriginalFileName: 'reg.exe', CommandLine: cmd };
    const p = explainMatch(routed, sysmon);
    expect(p.matched).toBe(true);
    expect(p.detections).toEqual(['selection_img', 'selection_flag', 'selection_key']);
    expect(p.fields.map((f) => [f.field, f.detection])).toEqual([
      ['Image', 'selection_img'],
      ['OriginalFileName', 'selection_img'],
      ['CommandLine', 'selection_flag'],
    ]);
    // The engine's view still has the copy (true through OriginalFileName) and CommandLine under both identifiers.
    const internal = explainMatch(routed, sysmon, { internal: true });
    expect(internal.detections).toContain('_alt1_selection_img');
    expect(internal.fields.filter((f) => f.field === 'CommandLine')).toHaveLength(2);
    // The Security 4688 form: the copy answers to the rule's name, the mapped field is the event's.
    const security = { EventID: 4688, Channel: 'Security', NewProcessName: 'C:\\Windows\\System32\\reg.exe', CommandLine: cmd.replace(' /f ', ' -f ') };
    const q = explainMatch(routed, security);
    expect(q.matched).toBe(true);
    expect(q.detections).toEqual(['selection_img', 'selection_flag', 'selection_key']);
    expect(q.fields.map((f) => [f.field, f.detection])).toEqual([
      ['NewProcessName', 'selection_img'],
      ['CommandLine', 'selection_flag'],
    ]);
  });

  test('on a match, only identifiers that made the condition hold; without one, every true identifier', () => {
    const r = rule(`  a:\n    A: 1\n  b:\n    B: 1\n  c:\n    C: 1\n  condition: a or (b and c)\n`);
    expect(explainMatch(r, { A: 1, B: 1 }).detections).toEqual(['a']);
    expect(explainMatch(r, { A: 1, B: 1, C: 1 }).detections).toEqual(['a', 'b', 'c']);
    expect(explainMatch(r, { B: 1 })).toMatchObject({ matched: false, detections: ['b'] });
  });

  test('identifiers a filter document added are not the rule\'s: left out, as pipeline conditions are', () => {
    const set = loadRulesFromText([
      `title: Whoami\nid: 5f0e8a52-4d8e-4b7b-9c1e-2a3b4c5d6e7f\nlogsource:\n  product: windows\ndetection:\n  selection:\n    Image|endswith: '\\whoami.exe'\n  condition: selection\n`,
      `title: Only On Servers\nlogsource:\n  product: windows\nfilter:\n  rules: [5f0e8a52-4d8e-4b7b-9c1e-2a3b4c5d6e7f]\n  selection:\n    Computer|startswith: SRV\n  condition: selection\n`,
    ]);
    const [filtered] = set.rules;
    expect(filtered.detections.map((d) => d.name)).toEqual(['selection', '_filt0_selection']);
    const p = explainMatch(filtered, { Image: 'C:\\w\\whoami.exe', Computer: 'SRV01' });
    expect(p).toMatchObject({ matched: true, detections: ['selection'] });
    expect(p.fields.map((f) => f.field)).toEqual(['Image']);
  });

  test('long values are cut', () => {
    const r = rule(`  selection:\n    CommandLine|contains: 'x'\n  condition: selection\n`);
    expect(explainMatch(r, { CommandLine: 'x'.repeat(100) }, { maxValueLength: 10 }).fields[0].value).toBe(`${'x'.repeat(9)}…`);
  });

  test('agrees with the reference evaluator on every hit of the example pack (with and without pipelines)', () => {
    const loaded = loadRules([join(ROOT, 'examples/rules')]).rules;
    const events = readJsonEvents(readFileSync(join(ROOT, 'examples/events/sample.ndjson'), 'utf8')).events.map((e) => e.event);
    for (const rules of [loaded, applyPipelines(loaded, [...builtinPipelines('sysmon'), ...builtinPipelines('windows')]).rules]) {
      const evaluator = new ReferenceEvaluator(rules);
      let hits = 0;
      events.forEach((event, i) => {
        const matches = new Set(evaluator.match(event).map((m) => m.index));
        rules.forEach((r, k) => {
          const p = explainMatch(r, event, { internal: true });
          expect(p.matched, `event ${i}, rule ${r.title}`).toBe(matches.has(k));
          if (!matches.has(k)) return;
          hits++;
          const m = evaluator.match(event).find((x) => x.index === k)!;
          expect(p.detections).toEqual(m.detections);
          expect(p.fields.length, `fields of ${r.title} on event ${i}`).toBeGreaterThan(0);
        });
      });
      expect(hits).toBe(33);
    }
  });
});
