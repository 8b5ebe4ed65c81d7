/**
 * Each transformation type, each condition type, priority ordering and immutability, with pipelines written as
 * pySigma documents them and rules evaluated by the reference evaluator.
 */
import { describe, expect, test } from 'vitest';
import { applyPipelines, orderPipelines } from '../../src/pipeline/apply.js';
import { pipelinePlaceholders } from '../../src/pipeline/placeholders.js';
import { conditionToString } from '../../src/rule/condition.js';
import type { DetectionNode, SigmaRule } from '../../src/rule/model.js';
import { matchingEvents, pipeline, rules, shape, transformOne, yml } from './support.js';

const RULE = yml`
  title: Cmd spawned by Office
  id: 11111111-2222-3333-4444-555555555555
  logsource:
    category: process_creation
    product: windows
  detection:
    selection:
      Image|endswith: '\cmd.exe'
      ParentImage|endswith: '\winword.exe'
    filter:
      CommandLine|contains: '/c exit'
    condition: selection and not filter
  fields:
    - Image
    - CommandLine
  level: high
  tags:
    - attack.execution
`;

function fields(node: DetectionNode): (string | null)[] {
  return node.kind === 'item' ? [node.field] : node.children.flatMap(fields);
}

/** Fields of the rule's own search identifiers (not the added ones). */
function ruleFields(rule: SigmaRule): (string | null)[] {
  return rule.detections.filter((d) => !d.name.startsWith('_')).flatMap((d) => fields(d.root));
}

describe('field_name_mapping', () => {
  const p = pipeline(yml`
    transformations:
      - id: ecs
        type: field_name_mapping
        mapping:
          Image: process.executable
          ParentImage: process.parent.executable
          CommandLine:
            - process.command_line
            - process.args
  `);

  test('one name renames the item; several make an OR of the item per name', () => {
    const rule = transformOne(RULE, p);
    const filter = rule.detections.find((d) => d.name === 'filter')!;
    expect(shape(filter.root)).toMatchObject({
      kind: 'or',
      children: [
        { kind: 'item', field: 'process.command_line', values: [{ type: 'string', value: '*/c exit*' }] },
        { kind: 'item', field: 'process.args', values: [{ type: 'string', value: '*/c exit*' }] },
      ],
    });
    expect(ruleFields(rule)).toEqual(['process.executable', 'process.parent.executable', 'process.command_line', 'process.args']);
    expect(rule.fields).toEqual(['process.executable', 'process.command_line', 'process.args']);
    expect(conditionToString(rule.condition)).toBe('selection and not filter');
  });

  test('events with the mapped names match, events with the old names do not', () => {
    const rule = transformOne(RULE, p);
    const base = { 'process.executable': 'C:\\Windows\\System32\\cmd.exe', 'process.parent.executable': 'C:\\Office\\WINWORD.EXE' };
    expect(
      matchingEvents(rule, [
        base,
        { ...base, 'process.command_line': 'cmd /c exit' },
        { ...base, 'process.args': 'cmd /c exit' },
        { Image: 'C:\\Windows\\System32\\cmd.exe', ParentImage: 'C:\\Office\\WINWORD.EXE' },
        { process: { executable: 'C:\\x\\cmd.exe', parent: { executable: 'C:\\x\\winword.exe' } } },
      ]),
    ).toEqual([0, 4]);
  });

  test('keyword items (mapping from null) become items of that field; values keep their substring wildcards', () => {
    const q = pipeline('transformations:\n  - type: field_name_mapping\n    mapping:\n      ~: message\n');
    const rule = transformOne('title: k\nlogsource: {product: linux}\ndetection:\n  keywords: [foo, bar]\n  condition: keywords\n', q);
    expect(ruleFields(rule)).toEqual(['message']);
    expect(matchingEvents(rule, [{ message: 'a foo b' }, { other: 'a foo b' }, { message: 'nothing' }])).toEqual([0]);
  });

  test('field references in values are renamed too (one name: a field reference; several: an OR of them)', () => {
    const q = pipeline('transformations:\n  - type: field_name_mapping\n    mapping:\n      ParentUser: [process.parent.user, parent_user]\n      User: user.name\n');
    const rule = transformOne('title: f\nlogsource: {product: windows}\ndetection:\n  sel:\n    User|fieldref: ParentUser\n  condition: sel\n', q);
    const root = rule.detections[0].root;
    expect(shape(root)).toMatchObject({
      kind: 'item',
      field: 'user.name',
      values: [{ type: 'expansion', values: [{ type: 'fieldref', field: 'process.parent.user' }, { type: 'fieldref', field: 'parent_user' }] }],
    });
    expect(matchingEvents(rule, [{ 'user.name': 'bob', parent_user: 'BOB' }, { 'user.name': 'bob', 'process.parent.user': 'eve' }])).toEqual([0]);
  });

  test('field name conditions restrict which fields are mapped', () => {
    const q = pipeline(yml`
      transformations:
        - type: field_name_mapping
          mapping:
            Image: img
            ParentImage: pimg
          field_name_conditions:
            - type: exclude_fields
              fields: [ParentImage]
    `);
    expect(ruleFields(transformOne(RULE, q))).toEqual(['img', 'ParentImage', 'CommandLine']);
  });
});

describe('field_name_prefix_mapping, field_name_prefix, field_name_suffix', () => {
  test('prefix mapping: the first matching prefix (in file order) is replaced', () => {
    const q = pipeline(yml`
      transformations:
        - type: field_name_prefix_mapping
          mapping:
            Parent: parent.
            Par: nope.
            Comm: [cmd., command.]
    `);
    const rule = transformOne(RULE, q);
    expect(ruleFields(rule)).toEqual(['Image', 'parent.Image', 'cmd.andLine', 'command.andLine']);
  });

  test('prefix and suffix apply to every field name, not to keyword items', () => {
    const q = pipeline("transformations:\n  - type: field_name_prefix\n    prefix: 'winlog.event_data.'\n  - type: field_name_suffix\n    suffix: '.keyword'\n");
    expect(ruleFields(transformOne(RULE, q))).toEqual(['winlog.event_data.Image.keyword', 'winlog.event_data.ParentImage.keyword', 'winlog.event_data.CommandLine.keyword']);
    const kw = transformOne('title: k\nlogsource: {product: x}\ndetection:\n  k: [a]\n  condition: k\n', q);
    expect(ruleFields(kw)).toEqual([null]);
  });

  test('prefix with processing_item_applied: only fields the mapping did not rename (the ecs pattern)', () => {
    const q = pipeline(yml`
      transformations:
        - id: mapped
          type: field_name_mapping
          mapping:
            Image: process.executable
        - type: field_name_prefix
          prefix: 'data.'
          field_name_conditions:
            - type: processing_item_applied
              processing_item_id: mapped
          field_name_cond_not: true
    `);
    expect(ruleFields(transformOne(RULE, q))).toEqual(['process.executable', 'data.ParentImage', 'data.CommandLine']);
  });
});

describe('drop_detection_item', () => {
  const drop = pipeline(yml`
    transformations:
      - type: drop_detection_item
        field_name_conditions:
          - type: include_fields
            fields: [EventID]
  `);

  test('the matching items go; the rest of the search identifier stays', () => {
    const rule = transformOne('title: d\nlogsource: {product: windows, service: security}\ndetection:\n  sel:\n    EventID: 4688\n    CommandLine|contains: whoami\n  condition: sel\n', drop);
    expect(ruleFields(rule)).toEqual(['CommandLine']);
    expect(matchingEvents(rule, [{ CommandLine: 'whoami /all' }, { EventID: 1, CommandLine: 'whoami' }, { EventID: 4688 }])).toEqual([0, 1]);
  });

  test('a search identifier left empty no longer constrains: it is removed from the condition as true', () => {
    const text = 'title: d\nlogsource: {product: windows}\ndetection:\n  sel_eid:\n    EventID: 4688\n  sel_cmd:\n    CommandLine|contains: whoami\n  condition: sel_eid and sel_cmd\n';
    const rule = transformOne(text, drop);
    expect(rule.detections.map((d) => d.name)).toEqual(['sel_cmd']);
    expect(conditionToString(rule.condition)).toBe('sel_cmd');
    const all = transformOne(text.replace('sel_eid and sel_cmd', 'all of sel_*'), drop);
    expect(shape(all.condition)).toEqual({ kind: 'of', quantifier: 'all', pattern: 'sel_*', names: ['sel_cmd'] });
  });

  test('a condition left constant is an error for the rule (INVALID_PIPELINE)', () => {
    const r = applyPipelines(rules('title: Only EventID\nlogsource: {product: windows}\ndetection:\n  sel:\n    EventID: 4688\n  condition: sel\n'), [drop]);
    expect(r.rules).toEqual([]);
    expect(r.errors.map((e) => [e.code, e.line, e.ruleTitle])).toEqual([['INVALID_PIPELINE', 1, 'Only EventID']]);
    expect(r.errors[0].message).toContain('leaves the condition always true');
    const never = applyPipelines(rules('title: n\nlogsource: {product: windows}\ndetection:\n  sel:\n    EventID: 4688\n  x:\n    A: b\n  condition: x and not sel\n'), [drop]);
    expect(never.errors[0].message).toContain('always false (the rule could never match)');
  });

  test('detection item conditions: match_string over the values', () => {
    const q = pipeline(yml`
      transformations:
        - type: drop_detection_item
          detection_item_conditions:
            - type: match_string
              cond: any
              pattern: '\*\\'
    `);
    // Image|endswith: '\cmd.exe' is the value *\cmd.exe, which starts with *\ ; the others do not.
    expect(ruleFields(transformOne(RULE, q))).toEqual(['CommandLine']);
  });
});

describe('add_condition', () => {
  const add = pipeline(yml`
    transformations:
      - id: sysmon_channel
        type: add_condition
        conditions:
          Channel: Microsoft-Windows-Sysmon/Operational
          EventID: [1, 4688]
          Provider_Name|startswith: Microsoft-Windows-
  `);

  test('a new search identifier _pipeline_<id>, AND-ed in front of the condition', () => {
    const rule = transformOne(RULE, add);
    const added = rule.detections.find((d) => d.name === '_pipeline_sysmon_channel')!;
    expect(shape(added.root)).toMatchObject({
      kind: 'and',
      children: [
        { field: 'Channel', values: [{ type: 'string', value: 'Microsoft-Windows-Sysmon/Operational' }] },
        { field: 'EventID', values: [{ type: 'number', value: 1 }, { type: 'number', value: 4688 }] },
        { field: 'Provider_Name', values: [{ type: 'string', value: 'Microsoft-Windows-*' }] },
      ],
    });
    expect(shape(rule.condition)).toEqual({
      kind: 'and',
      args: [
        { kind: 'ref', name: '_pipeline_sysmon_channel' },
        { kind: 'and', args: [{ kind: 'ref', name: 'selection' }, { kind: 'not', arg: { kind: 'ref', name: 'filter' } }] },
      ],
    });
    const ev = { Image: 'C:\\cmd.exe', ParentImage: 'C:\\winword.exe', Channel: 'Microsoft-Windows-Sysmon/Operational', Provider_Name: 'Microsoft-Windows-Sysmon' };
    expect(matchingEvents(rule, [{ ...ev, EventID: 1 }, { ...ev, EventID: '4688' }, { ...ev, EventID: 11 }, { ...ev, EventID: 1, Channel: 'Security' }])).toEqual([0, 1]);
  });

  test('the added identifier is not picked up by "them" or patterns', () => {
    const rule = transformOne(RULE.replace('selection and not filter', '1 of them'), add);
    expect(shape(rule.condition)).toMatchObject({ args: [{ name: '_pipeline_sysmon_channel' }, { kind: 'of', names: ['selection', 'filter'] }] });
  });

  test('negated: the rule must not meet the condition; name: the identifier name', () => {
    const q = pipeline('transformations:\n  - type: add_condition\n    name: noise\n    negated: true\n    conditions:\n      Image|endswith: \\cmd.exe\n');
    const rule = transformOne('title: n\nlogsource: {product: windows}\ndetection:\n  sel:\n    CommandLine|contains: x\n  condition: sel\n', q);
    expect(conditionToString(rule.condition)).toBe('not _pipeline_noise and sel');
    expect(matchingEvents(rule, [{ CommandLine: 'x', Image: 'C:\\cmd.exe' }, { CommandLine: 'x', Image: 'C:\\ps.exe' }])).toEqual([1]);
  });

  test('template: $category, $product and $service from the rule log source', () => {
    const q = pipeline("transformations:\n  - type: add_condition\n    template: true\n    conditions:\n      source: '${product}-$category'\n      svc: '$service $$literal'\n");
    const rule = transformOne(RULE, q);
    const added = rule.detections.find((d) => d.name.startsWith('_pipeline_'))!;
    expect(shape(added.root)).toMatchObject({ children: [{ field: 'source', values: [{ value: 'windows-process_creation' }] }, { field: 'svc', values: [{ value: ' $literal' }] }] });
  });

  test('two added conditions get distinct names', () => {
    const q = pipeline('transformations:\n  - id: a\n    type: add_condition\n    conditions: {x: 1}\n  - id: a\n    type: add_condition\n    conditions: {y: 2}\n');
    const rule = transformOne(RULE, q);
    expect(rule.detections.map((d) => d.name)).toEqual(['selection', 'filter', '_pipeline_a', '_pipeline_a_2']);
    expect(conditionToString(rule.condition)).toBe('_pipeline_a and _pipeline_a_2 and selection and not filter');
  });
});

describe('change_logsource', () => {
  test('replaces the log source (unset fields are cleared, as in pySigma); later items see the new one', () => {
    const q = pipeline(yml`
      transformations:
        - type: change_logsource
          product: windows
          service: security
        - id: later
          type: add_condition
          rule_conditions:
            - type: logsource
              service: security
          conditions:
            Channel: Security
        - id: never
          type: add_condition
          rule_conditions:
            - type: logsource
              category: process_creation
          conditions:
            Channel: Sysmon
    `);
    const rule = transformOne(RULE, q);
    expect(rule.logsource).toEqual({ product: 'windows', service: 'security' });
    expect(rule.detections.map((d) => d.name)).toEqual(['selection', 'filter', '_pipeline_later']);
    expect(rule.logsourceRouted).toBe(true);
  });
});

describe('replace_string', () => {
  test('the pySigma documentation example: strip a leading "*\\" (wildcards seen as * and ?)', () => {
    const q = pipeline(yml`
      transformations:
        - type: replace_string
          regex: '^\*\\([^\\]+)$'
          replacement: '\1'
          field_name_conditions:
            - type: include_fields
              fields: [Image]
    `);
    const rule = transformOne(RULE, q);
    expect(shape(rule.detections[0].root)).toMatchObject({ children: [{ field: 'Image', values: [{ value: 'cmd.exe' }] }, { field: 'ParentImage', values: [{ value: '*\\winword.exe' }] }] });
    expect(matchingEvents(rule, [{ Image: 'CMD.EXE', ParentImage: 'C:\\x\\winword.exe' }, { Image: 'C:\\cmd.exe', ParentImage: 'C:\\x\\winword.exe' }])).toEqual([0]);
  });

  test('wildcards stay wildcards, literal * and ? stay literal', () => {
    const q = pipeline("transformations:\n  - type: replace_string\n    regex: 'a'\n    replacement: 'b'\n");
    const rule = transformOne('title: r\nlogsource: {product: x}\ndetection:\n  sel:\n    F: [\'a*a\\*a?\', 7]\n  condition: sel\n', q);
    const values = (rule.detections[0].root as { values: readonly { type: string; value: { toSigma(): string } }[] }).values;
    expect(values[0].value.toSigma()).toBe('b*b\\*b?');
    expect(values[1]).toMatchObject({ type: 'number', value: 7 });
    expect(matchingEvents(rule, [{ F: 'bXXb*bY' }, { F: 'bXXbZbY' }, { F: 7 }])).toEqual([0, 2]);
  });

  test('skip_special: only the plain text runs; interpret_special reads * in the replacement as a wildcard', () => {
    const q = pipeline("transformations:\n  - type: replace_string\n    regex: '^'\n    replacement: 'x'\n    skip_special: true\n");
    const rule = transformOne('title: r\nlogsource: {product: x}\ndetection:\n  sel:\n    F|contains: abc\n  condition: sel\n', q);
    expect(shape(rule.detections[0].root)).toMatchObject({ values: [{ value: '*xabc*' }] });
    const w = pipeline("transformations:\n  - type: replace_string\n    regex: 'b'\n    replacement: '*'\n    skip_special: true\n    interpret_special: true\n");
    const rw = transformOne('title: r\nlogsource: {product: x}\ndetection:\n  sel:\n    F: abc\n  condition: sel\n', w);
    expect(matchingEvents(rw, [{ F: 'aXYZc' }, { F: 'abd' }])).toEqual([0]);
  });

  test('values inside expansions (windash) are replaced too; numbers become text when changed', () => {
    const q = pipeline("transformations:\n  - type: replace_string\n    regex: 'enc'\n    replacement: 'e'\n  - type: replace_string\n    regex: '^4'\n    replacement: '5'\n");
    const rule = transformOne('title: r\nlogsource: {product: x}\ndetection:\n  sel:\n    CommandLine|windash|contains: -enc\n    EventID: 4688\n  condition: sel\n', q);
    expect(matchingEvents(rule, [{ CommandLine: 'powershell /e x', EventID: '5688' }, { CommandLine: 'powershell -enc x', EventID: 4688 }])).toEqual([0]);
  });

  test('Python named groups and \\g<name> in the replacement', () => {
    const q = pipeline("transformations:\n  - type: replace_string\n    regex: '^(?P<dir>.*)\\\\(?P<file>[^\\\\]+)$'\n    replacement: '\\g<file>@\\g<dir>'\n");
    const rule = transformOne('title: r\nlogsource: {product: x}\ndetection:\n  sel:\n    F: C:\\Windows\\cmd.exe\n  condition: sel\n', q);
    expect(shape(rule.detections[0].root)).toMatchObject({ values: [{ value: 'cmd.exe@C:\\Windows' }] });
  });
});

describe('map_string, value_placeholders, fields', () => {
  test('map_string: one value -> one or several (an OR group)', () => {
    const q = pipeline('transformations:\n  - type: map_string\n    mapping:\n      high: [System, S-1-16-12288]\n      low: Low\n');
    const rule = transformOne('title: m\nlogsource: {product: x}\ndetection:\n  sel:\n    IntegrityLevel|all: [high]\n  condition: sel\n', q);
    expect(matchingEvents(rule, [{ IntegrityLevel: 'S-1-16-12288' }, { IntegrityLevel: 'high' }, { IntegrityLevel: 'SYSTEM' }])).toEqual([0, 2]);
  });

  test('value_placeholders: values for expand placeholders come from vars, include / exclude select them', () => {
    const a = pipeline('vars:\n  admins: [alice, bob]\n  hosts: dc1\n  other: x\ntransformations:\n  - type: value_placeholders\n    include: [admins]\n  - type: value_placeholders\n    exclude: [admins, other]\n', 'a');
    const b = pipeline('priority: 5\nvars:\n  admins: carol\n', 'b');
    expect(pipelinePlaceholders([a])).toEqual({ admins: ['alice', 'bob'], hosts: ['dc1'] });
    // Vars merge across pipelines in run order (a, priority 0, then b, priority 5): the later one wins, as in pySigma.
    expect(pipelinePlaceholders([a, b])).toEqual({ admins: ['carol'], hosts: ['dc1'] });
    expect(pipelinePlaceholders([b])).toEqual({});
    const text = 'title: p\nlogsource: {product: x}\ndetection:\n  sel:\n    User|expand: "%admins%"\n  condition: sel\n';
    const rule = applyPipelines(rules(text, pipelinePlaceholders([a])), [a]).rules[0];
    expect(matchingEvents(rule, [{ User: 'Bob' }, { User: 'eve' }])).toEqual([0]);
  });

  test('add_field, remove_field, set_field act on the rule fields list', () => {
    const q = pipeline('transformations:\n  - type: add_field\n    field: [Hashes, User]\n  - type: remove_field\n    field: Image\n');
    expect(transformOne(RULE, q).fields).toEqual(['CommandLine', 'Hashes', 'User']);
    const s = pipeline('transformations:\n  - type: set_field\n    fields: [a]\n');
    expect(transformOne(RULE, s).fields).toEqual(['a']);
  });
});

describe('rule_failure and detection_item_failure', () => {
  test('rule_failure rejects the rule with the message, at the rule, naming it', () => {
    const q = pipeline(yml`
      name: strict
      transformations:
        - id: no_office
          type: rule_failure
          message: Office parent processes are not logged here
          rule_conditions:
            - type: contains_field
              field: ParentImage
    `);
    const r = applyPipelines([...rules(RULE), ...rules('title: Other\nlogsource: {product: x}\ndetection:\n  s: {A: b}\n  condition: s\n')], [q]);
    expect(r.rules.map((x) => x.title)).toEqual(['Other']);
    expect(r.errors).toHaveLength(1);
    const e = r.errors[0];
    expect([e.code, e.line, e.column, e.ruleTitle, e.ruleId]).toEqual(['INVALID_PIPELINE', 1, 1, 'Cmd spawned by Office', '11111111-2222-3333-4444-555555555555']);
    expect(e.message).toBe('rejected by pipeline "strict" item no_office: Office parent processes are not logged here');
  });

  test('detection_item_failure points at the detection item', () => {
    const q = pipeline(yml`
      transformations:
        - type: detection_item_failure
          message: CommandLine is not collected
          field_name_conditions:
            - type: include_fields
              fields: [CommandLine]
    `);
    const r = applyPipelines(rules(RULE), [q]);
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([[11, 5]]);
    expect(r.errors[0].message).toBe('rejected by pipeline "test" item #1 on field "CommandLine": CommandLine is not collected');
  });
});

describe('nest and sigmatch_alternative', () => {
  test('nest: the items run in order when the outer conditions hold', () => {
    const q = pipeline(yml`
      transformations:
        - type: nest
          rule_conditions:
            - type: logsource
              product: windows
          items:
            - type: field_name_prefix
              prefix: a.
            - type: field_name_prefix
              prefix: b.
    `);
    expect(ruleFields(transformOne(RULE, q))).toEqual(['b.a.Image', 'b.a.ParentImage', 'b.a.CommandLine']);
    expect(ruleFields(transformOne(RULE.replace('product: windows', 'product: linux'), q))).toEqual(['Image', 'ParentImage', 'CommandLine']);
  });

  test('an alternative: (route A and rule) or (route B and renamed rule); shared identifiers stay shared', () => {
    const q = pipeline(yml`
      transformations:
        - id: route_a
          type: add_condition
          rule_conditions:
            - type: logsource
              category: process_creation
          conditions:
            EventID: 1
        - id: b
          type: sigmatch_alternative
          rule_conditions:
            - type: logsource
              category: process_creation
          items:
            - type: change_logsource
              service: security
            - id: route_b
              type: add_condition
              conditions:
                EventID: 4688
            - type: field_name_mapping
              mapping:
                Image: NewProcessName
    `);
    const rule = transformOne(RULE, q);
    expect(rule.detections.map((d) => d.name)).toEqual(['selection', 'filter', '_pipeline_route_a', '_alt1_selection', '_pipeline_route_b']);
    expect(conditionToString(rule.condition)).toBe('_pipeline_route_a and selection and not filter or _pipeline_route_b and _alt1_selection and not filter');
    expect(rule.logsourceRouted).toBe(true);
    expect(rule.logsource).toEqual({ category: 'process_creation', product: 'windows' });
    const parent = { ParentImage: 'C:\\winword.exe' };
    expect(
      matchingEvents(rule, [
        { EventID: 1, Image: 'C:\\cmd.exe', ...parent },
        { EventID: 4688, NewProcessName: 'C:\\cmd.exe', ...parent },
        { EventID: 4688, Image: 'C:\\cmd.exe', ...parent },
        { EventID: 1, NewProcessName: 'C:\\cmd.exe', ...parent },
        { EventID: 4688, NewProcessName: 'C:\\cmd.exe', CommandLine: 'cmd /c exit', ...parent },
      ]),
    ).toEqual([0, 1]);
  });

  test('the alternative drops the routes added before it, whatever the order of the pipelines', () => {
    const routeA = pipeline('transformations:\n  - id: a\n    type: add_condition\n    rule_conditions:\n      - {type: logsource, category: process_creation}\n    conditions: {EventID: 1}\n', 'A');
    const alt = pipeline(
      'transformations:\n  - type: sigmatch_alternative\n    rule_conditions:\n      - {type: logsource, category: process_creation}\n    items:\n      - type: change_logsource\n        service: security\n      - id: b\n        type: add_condition\n        conditions: {EventID: 4688}\n',
      'B',
    );
    const one = transformOne(RULE, routeA, alt);
    const other = transformOne(RULE, alt, routeA);
    for (const rule of [one, other]) {
      expect(conditionToString(rule.condition)).toBe('_pipeline_a and selection and not filter or _pipeline_b and selection and not filter');
    }
  });

  test('a rule whose alternative is not routed is not routed', () => {
    const q = pipeline('transformations:\n  - type: add_condition\n    rule_conditions:\n      - {type: logsource, product: windows}\n    conditions: {EventID: 1}\n  - type: sigmatch_alternative\n    items:\n      - type: field_name_suffix\n        suffix: _x\n');
    const r = applyPipelines(rules(RULE), [q]);
    expect([r.routed, r.unrouted, r.rules[0].logsourceRouted]).toEqual([0, 1, false]);
  });
});

describe('rule conditions', () => {
  const cases: { name: string; conditions: string; match: boolean }[] = [
    { name: 'logsource category + product', conditions: '- {type: logsource, category: process_creation, product: windows}', match: true },
    { name: 'logsource service absent in rule', conditions: '- {type: logsource, service: security}', match: false },
    { name: 'contains_detection_item (value after modifiers)', conditions: "- {type: contains_detection_item, field: Image, value: '*\\cmd.exe'}", match: true },
    { name: 'contains_detection_item other value', conditions: "- {type: contains_detection_item, field: Image, value: 'cmd.exe'}", match: false },
    { name: 'contains_field', conditions: '- {type: contains_field, field: CommandLine}', match: true },
    { name: 'contains_field absent', conditions: '- {type: contains_field, field: User}', match: false },
    { name: 'tag', conditions: '- {type: tag, tag: attack.execution}', match: true },
    { name: 'tag absent', conditions: '- {type: tag, tag: attack.t1059}', match: false },
    { name: 'is_sigma_rule', conditions: '- {type: is_sigma_rule}', match: true },
    { name: 'is_sigma_correlation_rule', conditions: '- {type: is_sigma_correlation_rule}', match: false },
    { name: 'rule_attribute level gte medium', conditions: '- {type: rule_attribute, attribute: level, value: medium, op: gte}', match: true },
    { name: 'rule_attribute level gt high', conditions: '- {type: rule_attribute, attribute: level, value: high, op: gt}', match: false },
    { name: 'rule_attribute title eq', conditions: "- {type: rule_attribute, attribute: title, value: 'Cmd spawned by Office'}", match: true },
    { name: 'rule_attribute tags in', conditions: '- {type: rule_attribute, attribute: tags, value: attack.execution, op: in}', match: true },
    { name: 'rule_attribute missing attribute', conditions: '- {type: rule_attribute, attribute: status, value: stable}', match: false },
    { name: 'processing_item_applied (earlier item)', conditions: '- {type: processing_item_applied, processing_item_id: first}', match: true },
    { name: 'processing_item_applied (unknown item)', conditions: '- {type: processing_item_applied, processing_item_id: nope}', match: false },
    { name: 'list: and by default', conditions: '- {type: tag, tag: attack.execution}\n      - {type: tag, tag: nope}', match: false },
    { name: 'rule_cond_op: or', conditions: '- {type: tag, tag: attack.execution}\n      - {type: tag, tag: nope}\n    rule_cond_op: or', match: true },
    { name: 'rule_cond_not', conditions: '- {type: tag, tag: attack.execution}\n    rule_cond_not: true', match: false },
    { name: 'rule_cond_expr', conditions: 'a: {type: tag, tag: nope}\n      b: {type: is_sigma_rule}\n    rule_cond_expr: not a and b', match: true },
  ];
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const text = `transformations:\n  - id: first\n    type: add_field\n    field: x\n  - id: probe\n    type: add_condition\n    conditions: {probe: 1}\n    rule_conditions:\n      ${c.conditions}\n`;
    const rule = transformOne(RULE, pipeline(text));
    expect(rule.detections.some((d) => d.name === '_pipeline_probe')).toBe(c.match);
  });
});

describe('detection item and field name conditions', () => {
  const R = yml`
    title: items
    logsource: {product: windows}
    detection:
      sel:
        Image|endswith: '\cmd.exe'
        CommandLine: ['a', 'b*']
        User: null
        Signed: true
        EventID: 7
      condition: sel
  `;
  const cases: { name: string; conditions: string; fields: string[] }[] = [
    { name: 'match_string any', conditions: "detection_item_conditions:\n      - {type: match_string, cond: any, pattern: 'b'}", fields: ['CommandLine'] },
    { name: 'match_string all', conditions: "detection_item_conditions:\n      - {type: match_string, cond: all, pattern: '[ab]'}", fields: ['CommandLine'] },
    { name: 'match_string negate (non-strings count as non-matching)', conditions: "detection_item_conditions:\n      - {type: match_string, cond: all, pattern: '[ab]', negate: true}", fields: ['Image', 'User', 'Signed', 'EventID'] },
    { name: 'match_value number', conditions: 'detection_item_conditions:\n      - {type: match_value, cond: any, value: 7}', fields: ['EventID'] },
    { name: 'match_value boolean', conditions: 'detection_item_conditions:\n      - {type: match_value, cond: any, value: true}', fields: ['Signed'] },
    { name: 'contains_wildcard', conditions: 'detection_item_conditions:\n      - {type: contains_wildcard, cond: any}', fields: ['Image', 'CommandLine'] },
    { name: 'contains_wildcard all', conditions: 'detection_item_conditions:\n      - {type: contains_wildcard, cond: all}', fields: ['Image'] },
    { name: 'is_null', conditions: 'detection_item_conditions:\n      - {type: is_null, cond: all}', fields: ['User'] },
    { name: 'processing_item_applied on the item', conditions: 'detection_item_conditions:\n      - {type: processing_item_applied, processing_item_id: first}', fields: ['Image'] },
    { name: 'include_fields plain', conditions: 'field_name_conditions:\n      - {type: include_fields, fields: [User, EventID]}', fields: ['User', 'EventID'] },
    { name: 'include_fields re (anchored at the start)', conditions: "field_name_conditions:\n      - {type: include_fields, fields: ['.*Line', 'Use'], mode: re}", fields: ['CommandLine', 'User'] },
    { name: 'exclude_fields', conditions: 'field_name_conditions:\n      - {type: exclude_fields, fields: [Image, User, Signed]}', fields: ['CommandLine', 'EventID'] },
    { name: 'field processing_item_applied, negated', conditions: 'field_name_conditions:\n      - {type: processing_item_applied, processing_item_id: first}\n    field_name_cond_not: true', fields: ['CommandLine', 'User', 'Signed', 'EventID'] },
    { name: 'field_name_cond_op or', conditions: 'field_name_conditions:\n      - {type: include_fields, fields: [User]}\n      - {type: include_fields, fields: [Signed]}\n    field_name_cond_op: or', fields: ['User', 'Signed'] },
    { name: 'item and field conditions together', conditions: 'detection_item_conditions:\n      - {type: contains_wildcard, cond: any}\n    field_name_conditions:\n      - {type: include_fields, fields: [CommandLine]}', fields: ['CommandLine'] },
    { name: 'detection_item_cond_expr', conditions: 'detection_item_conditions:\n      w: {type: contains_wildcard, cond: any}\n      n: {type: is_null, cond: any}\n    detection_item_cond_expr: w or n', fields: ['Image', 'CommandLine', 'User'] },
  ];
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const text = `transformations:\n  - id: first\n    type: field_name_suffix\n    suffix: ''\n    field_name_conditions:\n      - {type: include_fields, fields: [Image]}\n  - type: field_name_suffix\n    suffix: _X\n    ${c.conditions}\n`;
    const rule = transformOne(R, pipeline(text));
    expect(ruleFields(rule).filter((f) => f?.endsWith('_X')).map((f) => f!.slice(0, -2))).toEqual(c.fields);
  });
});

describe('several pipelines', () => {
  const to = (name: string, priority: number | null, target: string) =>
    pipeline(`${priority === null ? '' : `priority: ${priority}\n`}transformations:\n  - type: field_name_mapping\n    mapping:\n      Image: ${target}\n`, name);

  test('lower priority first: the first mapping wins', () => {
    const late = to('late', 20, 'late');
    const early = to('early', 10, 'early');
    expect(orderPipelines([late, early]).map((p) => p.name)).toEqual(['early', 'late']);
    expect(ruleFields(transformOne(RULE, late, early))[0]).toBe('early');
  });

  test('equal priorities keep the given order (stable), 0 by default', () => {
    const a = to('a', null, 'from_a');
    const b = to('b', 0, 'from_b');
    expect(ruleFields(transformOne(RULE, a, b))[0]).toBe('from_a');
    expect(ruleFields(transformOne(RULE, b, a))[0]).toBe('from_b');
    expect(orderPipelines([to('x', 5, 'x'), a, to('y', -1, 'y'), b]).map((p) => p.name)).toEqual(['y', 'a', 'b', 'x']);
  });

  test('pipelines records the pipelines that changed the rule, in run order', () => {
    const noop = pipeline('transformations:\n  - type: add_field\n    field: x\n    rule_conditions:\n      - {type: tag, tag: nope}\n', 'noop');
    const rule = transformOne(RULE, to('late', 20, 'l'), noop, to('early', 10, 'e'));
    expect(rule.pipelines).toEqual(['early', 'late']);
    expect(rule.logsourceRouted).toBe(false);
  });
});

describe('the input rules are never modified', () => {
  test('applying every kind of transformation leaves the rule as loaded', () => {
    const [rule] = rules(RULE);
    const before = JSON.stringify(rule, (_k, v) => (v && typeof v === 'object' && 'tokens' in v ? String(v) : v));
    const q = pipeline(yml`
      transformations:
        - type: field_name_mapping
          mapping: {Image: [a, b], CommandLine: c}
        - type: replace_string
          regex: 'e'
          replacement: 'E'
        - type: drop_detection_item
          field_name_conditions:
            - {type: include_fields, fields: [ParentImage]}
        - type: add_condition
          conditions: {X: 1}
        - type: change_logsource
          product: other
        - type: add_field
          field: f
        - type: sigmatch_alternative
          items:
            - type: field_name_prefix
              prefix: p.
    `);
    const out = applyPipelines([rule], [q]).rules[0];
    expect(JSON.stringify(rule, (_k, v) => (v && typeof v === 'object' && 'tokens' in v ? String(v) : v))).toBe(before);
    expect(out).not.toBe(rule);
    expect([out.id, out.title, out.source, out.level]).toEqual([rule.id, rule.title, rule.source, rule.level]);
    expect(rule.pipelines).toBeUndefined();
  });

  test('a rule no item recognises keeps its content and detections (shared)', () => {
    const [rule] = rules(RULE);
    const q = pipeline('transformations:\n  - type: add_condition\n    rule_conditions:\n      - {type: logsource, product: linux}\n    conditions: {X: 1}\n');
    const r = applyPipelines([rule], [q]);
    expect([r.routed, r.unrouted]).toEqual([0, 1]);
    expect(r.rules[0].detections).toBe(rule.detections);
    expect(r.rules[0].condition).toBe(rule.condition);
    expect(r.rules[0].pipelines).toEqual([]);
  });
});

describe('what counts as routing', () => {
  test.each([
    ['a logsource condition', '- {type: logsource, product: windows}', '', true],
    ['logsource and another condition', '- {type: logsource, product: windows}\n      - {type: tag, tag: attack.execution}', '', true],
    ['logsource or another condition', '- {type: logsource, product: windows}\n      - {type: tag, tag: attack.execution}', '    rule_cond_op: or\n', false],
    ['a negated logsource condition', '- {type: logsource, product: linux}', '    rule_cond_not: true\n', false],
    ['no logsource condition', '- {type: tag, tag: attack.execution}', '', false],
  ])('%s', (_name, conditions, extra, routed) => {
    const p = pipeline(`transformations:\n  - type: add_condition\n    conditions: {EventID: 1}\n    rule_conditions:\n      ${conditions}\n${extra}`);
    expect(transformOne(RULE, p).logsourceRouted).toBe(routed);
  });
});

test('a route whose items are all dropped no longer routes', () => {
  const q = pipeline(yml`
    transformations:
      - id: route
        type: add_condition
        rule_conditions:
          - {type: logsource, product: windows}
        conditions:
          EventID: 1
      - type: drop_detection_item
        field_name_conditions:
          - {type: include_fields, fields: [EventID]}
  `);
  const rule = transformOne(RULE, q);
  expect(rule.logsourceRouted).toBe(false);
  expect(conditionToString(rule.condition)).toBe('selection and not filter');
  expect(rule.detections.map((d) => d.name)).toEqual(['selection', 'filter']);
});
