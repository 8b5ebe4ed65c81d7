/**
 * Seeing what pipelines do: rules rendered back to Sigma YAML (read back, they match what the transformed rule
 * matches), describeTransformations, describePipeline, `sigmatch pipelines`, and loadRulesWithPipelines.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runPipelines } from '../../src/cli/pipelines.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import { builtinPipeline, builtinPipelines } from '../../src/pipeline/builtins.js';
import { loadRulesWithPipelines } from '../../src/pipeline/cli-support.js';
import { describePipeline, describeTransformations, renderRule, sigmaText } from '../../src/pipeline/render.js';
import { SigmaString } from '../../src/rule/sigma-string.js';
import { loadPipeline, resolvePipelines } from '../../src/pipeline/resolve.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { tempFiles } from '../support/cli.js';
import { pipeline, rules, yml } from './support.js';

const RULE = yml`
  title: Whoami by a service account
  id: 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0
  status: test
  logsource:
    category: process_creation
    product: windows
  detection:
    selection_img:
      - Image|endswith: '\whoami.exe'
      - OriginalFileName: whoami.exe
    selection_user:
      User|contains: [AUTHORI, AUTORI]
    selection_cli:
      CommandLine|contains|windash: ' -priv'
      CommandLine|re|i: 'who.mi'
    filter_null:
      ParentImage: null
    condition: all of selection_* and not 1 of filter_*
  level: high
`;

const EVENTS = [
  { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Image: 'C:\\Windows\\System32\\whoami.exe', User: 'NT AUTHORITY\\SYSTEM', CommandLine: 'whoami /priv', ParentImage: 'C:\\x.exe' },
  { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, OriginalFileName: 'WHOAMI.EXE', User: 'AUTORITE NT\\Système', CommandLine: 'whoami -priv', ParentImage: 'C:\\x.exe' },
  { Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\whoami.exe', SubjectDomainName: 'NT AUTHORITY', CommandLine: 'whoami /priv', ParentProcessName: 'C:\\x.exe' },
  { Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\whoami.exe', SubjectDomainName: 'NT AUTHORITY', CommandLine: 'whoami /priv' },
  { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 11, Image: 'C:\\Windows\\System32\\whoami.exe', User: 'NT AUTHORITY\\SYSTEM', CommandLine: 'whoami /priv', ParentImage: 'C:\\x.exe' },
];

function matches(rule: SigmaRule): number[] {
  const ev = new ReferenceEvaluator([rule]);
  return EVENTS.flatMap((e, i) => (ev.matches(0, e) ? [i] : []));
}

function readBack(text: string): SigmaRule {
  const set = loadRulesFromText(text);
  expect(set.errors.map((e) => e.format())).toEqual([]);
  return set.rules[0];
}

describe('renderRule', () => {
  test('sigmaText escapes only what the Sigma string parser needs, and reads back to the same string', () => {
    const cases: [string, string][] = [
      ['C:\\Windows\\cmd.exe', 'C:\\Windows\\cmd.exe'],
      ['*\\cmd.exe', '*\\cmd.exe'],
      ['C:\\Temp\\*', 'C:\\Temp\\*'], // an escaped star: literal
      ['C:\\Temp\\\\*', 'C:\\Temp\\\\*'], // a backslash, then a wildcard
      ['a\\*b', 'a\\*b'],
      ['a\\\\*b', 'a\\\\*b'], // a backslash, then a wildcard
      ['a\\\\\\*b', 'a\\\\\\*b'], // a backslash, then a literal star
      ['end\\', 'end\\'],
      ['x\\\\y', 'x\\y'],
      ['100%', '100%'],
    ];
    for (const [raw, expected] of cases) {
      const s = SigmaString.parse(raw);
      expect(sigmaText(s), raw).toBe(expected);
      expect(SigmaString.parse(sigmaText(s)).toSigma(), raw).toBe(s.toSigma());
    }
    const p = SigmaString.parse('a%x%\\%b', true);
    expect(SigmaString.parse(sigmaText(p), true).toSigma()).toBe(p.toSigma());
  });

  test('the transformed rule as Sigma YAML: routes, the alternative, values after their modifiers', () => {
    const [rule] = rules(RULE);
    const out = applyPipelines([rule], [...builtinPipelines('sysmon'), ...builtinPipelines('windows')]).rules[0];
    const text = renderRule(out);
    expect(text).toContain('# pipelines applied: sysmon, windows\n# log source routed: yes');
    expect(text).toContain("  selection_img:\n    - Image|endswith: '\\whoami.exe'\n    - OriginalFileName: whoami.exe\n");
    expect(text).toContain("    CommandLine|contains:\n      - ' -priv'\n      - ' /priv'\n      - ' –priv'\n");
    expect(text).toContain('    CommandLine|re|i: who.mi\n');
    expect(text).toContain('  _pipeline_sysmon_process_creation:\n    Channel: Microsoft-Windows-Sysmon/Operational\n    EventID: 1\n');
    expect(text).toContain('  _alt1_selection_user:\n    - SubjectUserName|contains:\n        - AUTHORI\n        - AUTORI\n    - SubjectDomainName|contains:\n');
    // The alternative's `all of selection_*` names renamed identifiers, so it is written out.
    expect(text).toContain(
      "condition: '_pipeline_sysmon_process_creation and all of selection_* and not 1 of filter_* or _pipeline_security_4688_event and _alt1_selection_img and _alt1_selection_user and selection_cli and not _alt1_filter_null'",
    );
    expect(matches(out)).toEqual([0, 1, 2]);
    expect(matches(readBack(text))).toEqual([0, 1, 2]);
  });

  test('read back, every rendering matches what the rule matches (as loaded, sysmon + windows, ecs-windows)', () => {
    const [rule] = rules(RULE);
    for (const ps of [[], [...builtinPipelines('sysmon'), ...builtinPipelines('windows')], builtinPipelines('windows'), builtinPipelines('ecs-windows')]) {
      const out = ps.length ? applyPipelines([rule], ps).rules[0] : rule;
      expect(matches(readBack(renderRule(out)))).toEqual(matches(out));
    }
  });

  test('keywords, fieldref, cidr, exists, numbers, booleans, cased, neq', () => {
    const text = yml`
      title: Shapes
      logsource: {product: x}
      detection:
        keywords:
          - 'evil*thing'
          - 42
        sel:
          a|fieldref: b
          c|cidr: 10.0.0.0/8
          d|exists: false
          e: [1, true, '']
          f|cased: MiXeD
          g|neq: [x, y]
          h|contains|all: [p, q]
        condition: keywords or sel
    `;
    const [rule] = rules(text);
    const rendered = renderRule(rule);
    expect(rendered).toContain("  keywords:\n    - '*evil*thing*'\n    - '*42*'\n");
    expect(rendered).toContain("    a|fieldref: b\n    c|cidr: '10.0.0.0/8'\n    d|exists: false\n    e:\n      - 1\n      - true\n      - ''\n    f|cased: MiXeD\n    g|neq:\n");
    expect(rendered).toContain("    h|contains|all:\n      - p\n      - q\n");
    const back = readBack(rendered);
    const events = [
      { a: 'v', b: 'v', c: '10.1.2.3', e: 1, f: 'MiXeD', g: 'z', h: 'pq' },
      { a: 'v', b: 'w', c: '10.1.2.3', e: 1, f: 'MiXeD', g: 'z', h: 'pq' },
      { other: 'an evil big thing' },
      { n: 42 },
      { a: 'v', b: 'v', c: '10.1.2.3', e: '', f: 'mixed', g: 'z', h: 'pq' },
    ];
    const m = (r: SigmaRule) => events.map((e) => new ReferenceEvaluator([r]).matches(0, e));
    expect(m(back)).toEqual(m(rule));
    expect(m(rule)).toEqual([true, false, true, true, false]);
  });

  test('an |all item whose values expand is written with a note (Sigma has no way to write it)', () => {
    const [rule] = rules('title: w\nlogsource: {product: x}\ndetection:\n  sel:\n    c|contains|all|windash: [-a, -b]\n  condition: sel\n');
    expect(renderRule(rule)).toContain('# sigmatch: an |all item whose values expand');
  });
});

describe('describeTransformations and describePipeline', () => {
  test('before, after, and every item applied, with the form it acted on', () => {
    const [rule] = rules(RULE);
    const report = describeTransformations(rule, [...builtinPipelines('sysmon'), ...builtinPipelines('windows')]);
    expect(report.error).toBeNull();
    expect(report.before).toContain("condition: 'all of selection_* and not 1 of filter_*'");
    expect(report.before).not.toContain('pipelines applied');
    expect(report.after).toContain('_pipeline_security_4688_event:\n    Channel: Security\n    EventID: 4688\n');
    expect(report.steps).toEqual([
      { pipeline: 'sysmon', item: 'sysmon_process_creation', type: 'add_condition', form: 0 },
      { pipeline: 'windows', item: 'windows_process_creation_security_4688', type: 'sigmatch_alternative', form: 0 },
      { pipeline: 'windows', item: 'windows_process_creation_security_4688/security_4688_logsource', type: 'change_logsource', form: 1 },
      { pipeline: 'windows', item: 'windows_process_creation_security_4688/security_4688_event', type: 'add_condition', form: 1 },
      { pipeline: 'windows', item: 'windows_process_creation_security_4688/security_4688_fields', type: 'field_name_mapping', form: 1 },
    ]);
  });

  test('a rejected rule: the error and the steps up to it', () => {
    const [rule] = rules(RULE);
    const p = pipeline('name: no\ntransformations:\n  - id: stop\n    type: rule_failure\n    message: not here\n');
    const report = describeTransformations(rule, [p]);
    expect(report.after).toBeNull();
    expect(report.error?.message).toBe('rejected by pipeline "no" item stop: not here');
  });

  test('describePipeline lists items with their conditions, nested items indented', () => {
    const text = describePipeline(builtinPipeline('windows'));
    expect(text).toContain('windows (priority 10, builtin:windows)\n');
    expect(text).toContain('  windows_service_security: add_condition Channel: Security\n      when rule: logsource(product=windows, service=security)\n');
    expect(text).toContain('  windows_process_creation_security_4688: sigmatch_alternative 3 items\n');
    expect(text).toContain('      security_4688_fields: field_name_mapping Image -> NewProcessName, ParentImage -> ParentProcessName,');
    const ecs = describePipeline(builtinPipeline('ecs-windows'));
    expect(ecs).toContain('      on fields: not (processing_item_applied(id=ecs_windows_field_mapping) or include_fields(fields=["\\\\w+\\\\."], mode=re))');
  });
});

function capture(): { io: { stdout: { write(t: string): void }; stderr: { write(t: string): void } }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: { write: (t) => void (out += t) }, stderr: { write: (t) => void (err += t) } }, out: () => out, err: () => err };
}

describe('sigmatch pipelines', () => {
  test('without arguments: the built-ins with their descriptions', async () => {
    const c = capture();
    expect(await runPipelines([], c.io)).toBe(0);
    expect(c.out().split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(['sysmon', 'windows', 'ecs-windows']);
    expect(c.out()).toContain('(with sysmon, windows)');
  });

  test('show <name>: the items; --yaml: the YAML text', async () => {
    const c = capture();
    expect(await runPipelines(['show', 'sysmon'], c.io)).toBe(0);
    expect(c.out()).toContain('sysmon_dns_query: add_condition Channel: Microsoft-Windows-Sysmon/Operational, EventID: 22\n');
    const y = capture();
    expect(await runPipelines(['show', 'windows', '--yaml'], y.io)).toBe(0);
    expect(y.out()).toContain('type: sigmatch_alternative');
    expect(y.out()).toBe(builtinPipeline('windows') && y.out());
  });

  test('show <name> <rule files>: each rule before and after', async () => {
    const dir = tempFiles({ 'r.yml': RULE });
    const c = capture();
    expect(await runPipelines(['show', 'sysmon', '-P', 'windows', join(dir, 'r.yml')], c.io)).toBe(0);
    const out = c.out();
    expect(out).toContain('# pipelines, in the order they run: sysmon (priority 10), windows (priority 10)');
    expect(out).toContain('# ===== Whoami by a service account');
    expect(out).toContain('# ----- applied\n#   sysmon sysmon_process_creation (add_condition)\n');
    expect(out).toContain('security_4688_fields (field_name_mapping) on alternative 1\n# ----- after\n');
  });

  test('errors: an unknown pipeline, an invalid pipeline file, usage', async () => {
    const c = capture();
    expect(await runPipelines(['show', 'nosuch'], c.io)).toBe(1);
    expect(c.err()).toContain('INVALID_PIPELINE: "nosuch" is neither a built-in pipeline (sysmon, windows, ecs-windows) nor a pipeline file');
    const dir = tempFiles({ 'bad.yml': 'transformations:\n  - type: frob\n' });
    const b = capture();
    expect(await runPipelines(['show', join(dir, 'bad.yml')], b.io)).toBe(1);
    expect(b.err()).toMatch(/bad\.yml:2:11: INVALID_PIPELINE: processing item transformations\[1\]: unknown transformation type "frob"/);
    await expect(runPipelines(['frob'], capture().io)).rejects.toThrow('unknown subcommand "frob"');
    await expect(runPipelines(['show'], capture().io)).rejects.toThrow('give a built-in pipeline name or a pipeline file');
  });
});

describe('loading pipelines and rules together', () => {
  test('resolvePipelines: names bring what they require, files load, duplicates once, errors are values', () => {
    const dir = tempFiles({ 'mine.yaml': 'priority: 5\ntransformations: []\n' });
    const file = join(dir, 'mine.yaml');
    const r = resolvePipelines(['ecs-windows', 'sysmon', file, file, 'nope']);
    expect(r.pipelines.map((p) => p.name)).toEqual(['sysmon', 'windows', 'ecs-windows', 'mine']);
    expect(r.errors.map((e) => e.code)).toEqual(['INVALID_PIPELINE']);
    expect(loadPipeline(join(dir, 'missing.yml')).errors[0].code).toBe('FILE_READ');
  });

  test('loadRulesWithPipelines: placeholders from vars, rejections into the rule errors, counts', () => {
    const dir = tempFiles({
      'p.yml': yml`
        name: site
        priority: 30
        vars:
          admins: [alice, bob]
        transformations:
          - type: value_placeholders
          - id: no_linux
            type: rule_failure
            message: no Linux logs here
            rule_conditions:
              - type: logsource
                product: linux
      `,
      'rules/a.yml': 'title: admins\nlogsource: {category: process_creation, product: windows}\ndetection:\n  sel:\n    User|expand: "%admins%"\n  condition: sel\n',
      'rules/b.yml': 'title: linux\nlogsource: {product: linux}\ndetection:\n  sel: {a: b}\n  condition: sel\n',
      'rules/c.yml': 'title: other\nlogsource: {product: macos}\ndetection:\n  sel: {a: b}\n  condition: sel\n',
    });
    const r = loadRulesWithPipelines([join(dir, 'rules')], ['sysmon', join(dir, 'p.yml')], {});
    expect(r.errors).toEqual([]);
    expect(r.pipelines.map((p) => p.name)).toEqual(['sysmon', 'site']);
    expect(r.set.rules.map((x) => x.title)).toEqual(['admins', 'other']);
    expect(r.set.errors.map((e) => [e.code, e.ruleTitle, e.message])).toEqual([['INVALID_PIPELINE', 'linux', 'rejected by pipeline "site" item no_linux: no Linux logs here']]);
    expect(r.set.errors[0].file).toBe(join(dir, 'rules/b.yml'));
    expect([r.routed, r.unrouted]).toEqual([1, 1]);
    const ev = new ReferenceEvaluator(r.set.rules);
    expect(ev.match({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, User: 'BOB' }).map((m) => m.rule.title)).toEqual(['admins']);
    // --placeholder values win over the pipeline's vars.
    const cli = loadRulesWithPipelines([join(dir, 'rules/a.yml')], [join(dir, 'p.yml')], { admins: ['carol'] });
    expect(new ReferenceEvaluator(cli.set.rules).match({ User: 'carol' })).toHaveLength(1);
  });

  test('a broken pipeline: reported, and no pipeline is applied', () => {
    const dir = tempFiles({ 'bad.yml': 'transformations:\n  - type: nope\n', 'r.yml': RULE });
    const r = loadRulesWithPipelines([join(dir, 'r.yml')], ['sysmon', join(dir, 'bad.yml')]);
    expect(r.errors.map((e) => e.code)).toEqual(['INVALID_PIPELINE']);
    expect(r.pipelines).toEqual([]);
    expect(r.set.rules[0].pipelines).toBeUndefined();
    expect([r.routed, r.unrouted]).toEqual([0, 1]);
  });

  test('an unreadable pipeline file is FILE_READ', () => {
    const dir = tempFiles({});
    const path = join(dir, 'latin1.yml');
    writeFileSync(path, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    const errors = resolvePipelines([path]).errors;
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([['FILE_READ', 1, 7]]);
    expect(errors[0].message).toMatch(/^cannot read pipeline file: the file is not valid UTF-8: byte 0xE9 .* at line 1, column 7/);
  });
});
