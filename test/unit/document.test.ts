import { describe, expect, test } from 'vitest';
import { parseCorrelationDocument, parseFilterDocument, parseRuleDocument } from '../../src/rule/document.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import type { SigmaCorrelation, SigmaFilter } from '../../src/rule/model.js';
import { parseYaml } from '../../src/rule/yaml-tree.js';
import { dedent, loadOne, yml } from './_helpers.js';

const FILE = 'rules/r.yml';

/** `file:line:col: CODE` of each error of loading `text` as FILE. */
function errorsAt(text: string): string[] {
  return loadRulesFromText([{ text, name: FILE }]).errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.code}`);
}

const GOOD_DETECTION = 'detection:\n  sel:\n    Image: x\n  condition: sel\n';

describe('rule documents: metadata', () => {
  const text = yml`
    title: Suspicious Thing
    id: 5f0c2b5e-4e6b-4c1b-9f1e-0123456789ab
    name: suspicious_thing
    related:
      - id: 11111111-2222-3333-4444-555555555555
        type: derived
    status: test
    description: Detects a thing
    references:
      - https://example.com/a
    author: Someone
    date: 2024-01-31
    modified: 2024/02/01
    license: DRL-1.1
    tags:
      - attack.execution
      - attack.t1059
    logsource:
      category: process_creation
      product: windows
      custom: x
    detection:
      sel:
        Image|endswith: '\cmd.exe'
      condition: sel
    fields:
      - CommandLine
    falsepositives:
      - Admins
    level: high
    regression_tests_path: regression_data/x/info.yml
    scope: [server]
  `;
  test('every known key is read', () => {
    const rule = loadOne(text);
    expect(rule).toMatchObject({
      kind: 'rule',
      title: 'Suspicious Thing',
      id: '5f0c2b5e-4e6b-4c1b-9f1e-0123456789ab',
      name: 'suspicious_thing',
      related: [{ id: '11111111-2222-3333-4444-555555555555', type: 'derived' }],
      status: 'test',
      description: 'Detects a thing',
      references: ['https://example.com/a'],
      author: 'Someone',
      date: '2024-01-31',
      modified: '2024/02/01',
      license: 'DRL-1.1',
      tags: ['attack.execution', 'attack.t1059'],
      logsource: { category: 'process_creation', product: 'windows', custom: 'x' },
      fields: ['CommandLine'],
      falsepositives: ['Admins'],
      level: 'high',
      conditionText: ['sel'],
      condition: { kind: 'ref', name: 'sel' },
      appliedFilters: [],
    });
    expect(rule.detections.map((d) => d.name)).toEqual(['sel']);
  });
  test('unknown keys are kept in raw', () => {
    const rule = loadOne(text);
    expect(rule.raw.regression_tests_path).toBe('regression_data/x/info.yml');
    expect(rule.raw.scope).toEqual(['server']);
    expect(rule.raw.title).toBe('Suspicious Thing');
  });
  test('the source says where the document starts', () => {
    const set = loadRulesFromText([{ text: 'title: a\nlogsource: {product: w}\n' + GOOD_DETECTION + '---\ntitle: b\nlogsource: {product: w}\n' + GOOD_DETECTION, name: FILE }]);
    expect(set.rules.map((r) => r.source)).toEqual([
      { file: FILE, line: 1, column: 1, document: 0 },
      { file: FILE, line: 7, column: 1, document: 1 }, // the --- line
    ]);
  });
  test('optional keys default to empty', () => {
    const rule = loadOne('title: t\nlogsource: {product: w}\n' + GOOD_DETECTION);
    expect(rule).toMatchObject({ id: undefined, name: undefined, tags: [], references: [], falsepositives: [], fields: [], related: [] });
  });
  test('a single tag string is a one-element list', () => {
    expect(loadOne('title: t\ntags: attack.x\nlogsource: {product: w}\n' + GOOD_DETECTION).tags).toEqual(['attack.x']);
  });
  test('a number id or title is kept as text', () => {
    const rule = loadOne('title: 123\nid: 42\nlogsource: {product: w}\n' + GOOD_DETECTION);
    expect([rule.title, rule.id]).toEqual(['123', '42']);
  });
  test('a null logsource value is left out', () => {
    expect(loadOne('title: t\nlogsource: {product: w, service: ~}\n' + GOOD_DETECTION).logsource).toEqual({ product: 'w' });
  });
  test('a condition list is OR-ed and kept as written', () => {
    const rule = loadOne(yml`
      title: t
      logsource: {product: w}
      detection:
        a: {A: 1}
        b: {B: 2}
        condition:
          - a
          - b and not a
    `);
    expect(rule.conditionText).toEqual(['a', 'b and not a']);
    expect(rule.condition).toEqual({
      kind: 'or',
      args: [{ kind: 'ref', name: 'a' }, { kind: 'and', args: [{ kind: 'ref', name: 'b' }, { kind: 'not', arg: { kind: 'ref', name: 'a' } }] }],
    });
  });
  test('leading-zero integers in a rule stay text (contains works on them)', () => {
    const rule = loadOne(yml`
      title: t
      logsource: {product: w}
      detection:
        sel:
          Details|contains: 00000429
          Code: 0012
        condition: sel
    `);
    const root = rule.detections[0].root;
    expect(root.kind === 'and' && root.children.map((c) => (c.kind === 'item' ? c.values[0] : null))).toMatchObject([
      { type: 'string', value: { tokens: [{ kind: 'any' }, { kind: 'text', text: '00000429' }, { kind: 'any' }] } },
      { type: 'string', value: { tokens: [{ kind: 'text', text: '0012' }] } },
    ]);
    expect((rule.raw.detection as Record<string, Record<string, unknown>>).sel['Details|contains']).toBe('00000429');
  });
});

describe('rule documents: errors at file:line:col', () => {
  // [name, YAML text, expected `file:line:col: CODE` list]
  const CASES: [string, string, string[]][] = [
    ['no title', 'logsource: {product: w}\n' + GOOD_DETECTION, [`${FILE}:1:1: MISSING_KEY`]],
    ['blank title', "title: ' '\nlogsource: {product: w}\n" + GOOD_DETECTION, [`${FILE}:1:1: MISSING_KEY`]],
    ['title is a list', 'title: [a]\nlogsource: {product: w}\n' + GOOD_DETECTION, [`${FILE}:1:1: INVALID_KEY`]],
    ['no logsource', 'title: t\n' + GOOD_DETECTION, [`${FILE}:1:1: MISSING_KEY`]],
    ['logsource is a scalar', 'title: t\nlogsource: windows\n' + GOOD_DETECTION, [`${FILE}:2:1: INVALID_KEY`]],
    ['logsource value is a list', 'title: t\nlogsource:\n  product: [a, b]\n' + GOOD_DETECTION, [`${FILE}:3:3: INVALID_KEY`]],
    ['detection is a list', 'title: t\nlogsource: {product: w}\ndetection: [a]\n', [`${FILE}:3:1: INVALID_KEY`]],
    ['detection is empty', 'title: t\nlogsource: {product: w}\ndetection:\n', [`${FILE}:3:1: INVALID_KEY`]],
    ['no condition', 'title: t\nlogsource: {product: w}\ndetection:\n  sel:\n    A: x\n', [`${FILE}:4:3: MISSING_KEY`]],
    ['condition is a map', 'title: t\nlogsource: {product: w}\ndetection:\n  sel: {A: x}\n  condition: {a: 1}\n', [`${FILE}:5:3: INVALID_KEY`]],
    ['condition is a number', 'title: t\nlogsource: {product: w}\ndetection:\n  sel: {A: x}\n  condition: 1\n', [`${FILE}:5:3: INVALID_KEY`]],
    ['tags is a map', 'title: t\ntags: {a: 1}\nlogsource: {product: w}\n' + GOOD_DETECTION, [`${FILE}:2:1: INVALID_KEY`]],
    ['related without type', 'title: t\nrelated:\n  - id: x\nlogsource: {product: w}\n' + GOOD_DETECTION, [`${FILE}:3:5: INVALID_KEY`]],
    ['related is a scalar', 'title: t\nrelated: x\nlogsource: {product: w}\n' + GOOD_DETECTION, [`${FILE}:2:1: INVALID_KEY`]],
    ['level is a map', 'title: t\nlevel: {a: 1}\nlogsource: {product: w}\n' + GOOD_DETECTION, [`${FILE}:2:1: INVALID_KEY`]],
    ['condition syntax', 'title: t\nlogsource: {product: w}\ndetection:\n  sel: {A: x}\n  condition: sel and\n', [`${FILE}:5:14: CONDITION_SYNTAX`]],
    ['unknown identifier', 'title: t\nlogsource: {product: w}\ndetection:\n  sel: {A: x}\n  condition: sel or other\n', [`${FILE}:5:14: UNKNOWN_IDENTIFIER`]],
    ['empty selector', 'title: t\nlogsource: {product: w}\ndetection:\n  sel: {A: x}\n  condition: 1 of filter_*\n', [`${FILE}:5:14: EMPTY_SELECTOR`]],
    ['error in the second condition of a list', 'title: t\nlogsource: {product: w}\ndetection:\n  sel: {A: x}\n  condition:\n    - sel\n    - nope\n', [`${FILE}:7:7: UNKNOWN_IDENTIFIER`]],
    ['count aggregation', 'title: t\nlogsource: {product: w}\ndetection:\n  sel: {A: x}\n  condition: sel | count() > 5\n', [`${FILE}:5:14: UNSUPPORTED_AGGREGATION`]],
    ['timeframe', 'title: t\nlogsource: {product: w}\ndetection:\n  sel: {A: x}\n  timeframe: 5m\n  condition: sel\n', [`${FILE}:5:3: UNSUPPORTED_AGGREGATION`]],
    ['unknown modifier', 'title: t\nlogsource: {product: w}\ndetection:\n  sel:\n    A|nope: x\n  condition: sel\n', [`${FILE}:5:5: UNKNOWN_MODIFIER`]],
    ['invalid modifier', 'title: t\nlogsource: {product: w}\ndetection:\n  sel:\n    A|contains|re: x\n  condition: sel\n', [`${FILE}:5:5: INVALID_MODIFIER`]],
    ['invalid value', 'title: t\nlogsource: {product: w}\ndetection:\n  sel:\n    A: x\n    B|gt: many\n  condition: sel\n', [`${FILE}:6:5: INVALID_VALUE`]],
    ['invalid cidr', 'title: t\nlogsource: {product: w}\ndetection:\n  sel:\n    Ip|cidr: [10.0.0.0/8, 10.0.0.0/99]\n  condition: sel\n', [`${FILE}:5:5: INVALID_CIDR`]],
    ['unresolved placeholder', "title: t\nlogsource: {product: w}\ndetection:\n  sel:\n    User|expand: '%admins%'\n  condition: sel\n", [`${FILE}:5:5: UNRESOLVED_PLACEHOLDER`]],
    ['YAML syntax', 'title: t\nlogsource: {product: w}\ndetection:\n  sel: [a\n  condition: sel\n', [`${FILE}:5:3: YAML_SYNTAX`]],
    ['invalid detection', 'title: t\nlogsource: {product: w}\ndetection:\n  sel: []\n  condition: sel\n', [`${FILE}:4:8: INVALID_DETECTION`]],
    ['several errors at once', 'logsource: x\ndetection:\n  sel: {A|re: "("}\n  condition: nope\n', [
      `${FILE}:1:1: MISSING_KEY`, `${FILE}:1:1: INVALID_KEY`, `${FILE}:3:9: INVALID_REGEX`, `${FILE}:4:14: UNKNOWN_IDENTIFIER`,
    ]],
    ['not a Sigma document', 'title: t\nfoo: bar\n', [`${FILE}:1:1: DOCUMENT_TYPE`]],
    ['a list document', '- a\n- b\n', [`${FILE}:1:1: DOCUMENT_TYPE`]],
    ['a scalar document', 'just text\n', [`${FILE}:1:1: DOCUMENT_TYPE`]],
  ];
  test.each(CASES)('%s', (_name, text, expected) => {
    expect(errorsAt(text)).toEqual(expected);
  });
  test('the condition error message has the column inside the condition', () => {
    const [e] = loadRulesFromText('title: t\nlogsource: {product: w}\ndetection:\n  sel: {A: x}\n  condition: sel AND sel\n').errors;
    expect(e.message).toMatch(/column 5 of condition "sel AND sel"/);
  });
  test('errors name the rule (title and id) and format as file:line:col: CODE: message (rule)', () => {
    const [e] = loadRulesFromText([{ text: 'title: My Rule\nid: abc\nlogsource: {product: w}\ndetection:\n  sel:\n    A|nope: x\n  condition: sel\n', name: FILE }]).errors;
    expect(e.ruleTitle).toBe('My Rule');
    expect(e.ruleId).toBe('abc');
    expect(e.format()).toBe(`${FILE}:6:5: UNKNOWN_MODIFIER: ${e.message} (rule "My Rule")`);
  });
  test('a condition naming a broken definition reports the definition, not UNKNOWN_IDENTIFIER', () => {
    expect(errorsAt('title: t\nlogsource: {product: w}\ndetection:\n  sel:\n    A|nope: x\n  condition: sel\n')).toEqual([`${FILE}:5:5: UNKNOWN_MODIFIER`]);
  });
});

describe('document parsers called directly', () => {
  function root(text: string) {
    const { documents } = parseYaml(dedent(text), FILE);
    const r = documents[0].root!;
    if (r.kind !== 'map') throw new Error('expected a map');
    return r;
  }
  const loc = { file: FILE, line: 1, column: 1 };
  test('parseRuleDocument', () => {
    const result = parseRuleDocument(root('title: t\nlogsource: {product: w}\n' + GOOD_DETECTION), 3, loc, {});
    expect(result.errors).toEqual([]);
    expect(result.document).toMatchObject({ kind: 'rule', source: { document: 3 } });
  });
  test('parseFilterDocument', () => {
    const result = parseFilterDocument(root('title: f\nlogsource: {product: w}\nfilter:\n  rules: [x]\n  sel: {A: 1}\n  condition: not sel\n'), 0, loc, {});
    expect(result.document).toMatchObject({ kind: 'filter', rules: ['x'], conditionText: ['not sel'] });
  });
  test('parseCorrelationDocument', () => {
    const result = parseCorrelationDocument(root('title: c\ncorrelation:\n  type: temporal\n  rules: [a, b]\n  timespan: 5m\n'), 0, loc);
    expect(result.document).toMatchObject({ kind: 'correlation', type: 'temporal', timespan: 300 });
  });
});

function correlation(body: string, extra = ''): SigmaCorrelation {
  const set = loadRulesFromText(`title: Correlation\nid: c-1\nname: corr\n${extra}correlation:\n${body}`);
  expect(set.errors.map((e) => e.format())).toEqual([]);
  expect(set.correlations).toHaveLength(1);
  return set.correlations[0];
}

describe('correlations', () => {
  test.each<[string, string, Partial<SigmaCorrelation>]>([
    ['event_count', '  type: event_count\n  rules: [failed_logon]\n  group-by: [TargetUserName]\n  timespan: 1h\n  condition: {gte: 100}\n',
      { type: 'event_count', rules: ['failed_logon'], groupBy: ['TargetUserName'], timespan: 3600, condition: { bounds: [{ op: 'gte', value: 100 }], field: undefined, percentile: undefined } }],
    ['value_count', '  type: value_count\n  rules: [a]\n  group-by: [Host]\n  timespan: 5m\n  condition: {lt: 3, field: User}\n',
      { type: 'value_count', condition: { bounds: [{ op: 'lt', value: 3 }], field: 'User', percentile: undefined } }],
    ['temporal', '  type: temporal\n  rules: [a, b]\n  group-by: [Host]\n  timespan: 30s\n',
      { type: 'temporal', rules: ['a', 'b'], timespan: 30, condition: null }],
    ['temporal_ordered', '  type: temporal_ordered\n  rules: [a, b, c]\n  group-by: [Host]\n  timespan: 2d\n',
      { type: 'temporal_ordered', rules: ['a', 'b', 'c'], timespan: 172800, condition: null }],
    ['value_sum', '  type: value_sum\n  rules: [a]\n  group-by: [Host]\n  timespan: 1d\n  condition: {gt: 1000000, field: bytes}\n',
      { type: 'value_sum', condition: { bounds: [{ op: 'gt', value: 1000000 }], field: 'bytes', percentile: undefined } }],
    ['value_avg', '  type: value_avg\n  rules: [a]\n  group-by: [Host]\n  timespan: 1h\n  condition: {gte: 500, field: duration}\n',
      { type: 'value_avg', condition: { bounds: [{ op: 'gte', value: 500 }], field: 'duration', percentile: undefined } }],
    ['value_percentile', '  type: value_percentile\n  rules: [a]\n  group-by: [Host]\n  timespan: 1h\n  condition: {gt: 900, field: latency, percentile: 95}\n',
      { type: 'value_percentile', condition: { bounds: [{ op: 'gt', value: 900 }], field: 'latency', percentile: 95 } }],
  ])('%s', (_name, body, expected) => {
    expect(correlation(body)).toMatchObject({ kind: 'correlation', title: 'Correlation', id: 'c-1', name: 'corr', ...expected });
  });
  test('temporal with a condition of its own', () => {
    expect(correlation('  type: temporal\n  rules: [a, b]\n  timespan: 5m\n  condition: {gte: 2}\n').condition).toMatchObject({ bounds: [{ op: 'gte', value: 2 }] });
  });
  test('temporal with a string condition over rule names: parsed into an expression', () => {
    const c = correlation('  type: temporal\n  rules: [a, b, c]\n  timespan: 5m\n  condition: a and (b or not c)\n');
    expect(c.condition).toBeNull();
    expect(c.expression).toEqual({ kind: 'and', args: [{ kind: 'ref', name: 'a' }, { kind: 'or', args: [{ kind: 'ref', name: 'b' }, { kind: 'not', arg: { kind: 'ref', name: 'c' } }] }] });
  });
  test('a range: a lower and an upper bound', () => {
    expect(correlation('  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: {gt: 100, lte: 200}\n').condition?.bounds).toEqual([
      { op: 'gt', value: 100 },
      { op: 'lte', value: 200 },
    ]);
  });
  test('sigmatch.* settings', () => {
    const c = correlation('  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: {gte: 2}\n', 'sigmatch.action: reset\nsigmatch.suppress: 10m\nsigmatch.window: session\nsigmatch.gap: 30s\n');
    expect(c.settings).toEqual({ action: 'reset', suppress: 600, window: 'session', gap: 30 });
    expect(correlation('  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: {gte: 2}\n').settings).toEqual({});
  });
  test.each<[string, number]>([
    ['1s', 1], ['90s', 90], ['5m', 300], ['1h', 3600], ['2d', 172800], ['1w', 604800], ['1M', 2_629_746], ['2y', 2 * 31_556_952],
  ])('timespan %s is %d seconds', (text, seconds) => {
    const c = correlation(`  type: event_count\n  rules: [a]\n  timespan: ${text}\n  condition: {gte: 1}\n`);
    expect([c.timespan, c.timespanText]).toEqual([seconds, text]);
  });
  test('group-by as one string; no group-by', () => {
    expect(correlation('  type: event_count\n  rules: a\n  group-by: Host\n  timespan: 1m\n  condition: {eq: 1}\n')).toMatchObject({ rules: ['a'], groupBy: ['Host'] });
    expect(correlation('  type: event_count\n  rules: [a]\n  timespan: 1m\n  condition: {neq: 1}\n').groupBy).toEqual([]);
  });
  test('value_count with a field list', () => {
    expect(correlation('  type: value_count\n  rules: [a]\n  timespan: 1m\n  condition: {gte: 2, field: [A, B]}\n').condition?.field).toEqual(['A', 'B']);
  });
  test('aliases and generate', () => {
    const c = correlation(dedent(`
      type: temporal
      rules: [internal_error, new_network_connection]
      group-by: [ip]
      timespan: 10s
      aliases:
        ip:
          internal_error: destination.ip
          new_network_connection: source.ip
      generate: true
    `).split('\n').map((l) => (l ? '  ' + l : l)).join('\n'));
    expect(c.aliases).toEqual({ ip: { internal_error: 'destination.ip', new_network_connection: 'source.ip' } });
    expect(c.generate).toBe(true);
  });
  test('correlations ignore a preceding global template', () => {
    const set = loadRulesFromText('action: global\nlogsource: {product: w}\n---\ntitle: c\ncorrelation:\n  type: temporal\n  rules: [a, b]\n  timespan: 5m\n');
    expect(set.errors).toEqual([]);
    expect(set.correlations[0].raw.logsource).toBeUndefined();
  });

  // [name, correlation body, expected `line:col` of each INVALID_CORRELATION] (the body starts on line 5)
  const ERRORS: [string, string, string[]][] = [
    ['not a mapping', '  - a\n', ['4:1']],
    ['no type', '  rules: [a]\n  timespan: 5m\n  condition: {gte: 1}\n', ['5:3']],
    ['unknown type', '  type: event_counter\n  rules: [a]\n  timespan: 5m\n  condition: {gte: 1}\n', ['5:3']],
    ['no rules', '  type: event_count\n  timespan: 5m\n  condition: {gte: 1}\n', ['5:3']],
    ['empty rules', '  type: event_count\n  rules: []\n  timespan: 5m\n  condition: {gte: 1}\n', ['5:3']],
    ['rules is a map', '  type: event_count\n  rules: {a: 1}\n  timespan: 5m\n  condition: {gte: 1}\n', ['6:3', '5:3']],
    ['no timespan', '  type: event_count\n  rules: [a]\n  condition: {gte: 1}\n', ['5:3']],
    ['timespan without unit', '  type: event_count\n  rules: [a]\n  timespan: 5\n  condition: {gte: 1}\n', ['7:3']],
    ['timespan with an unknown unit', '  type: event_count\n  rules: [a]\n  timespan: 5x\n  condition: {gte: 1}\n', ['7:3']],
    ['timespan with a fraction', '  type: event_count\n  rules: [a]\n  timespan: 1.5h\n  condition: {gte: 1}\n', ['7:3']],
    ['negative timespan', '  type: event_count\n  rules: [a]\n  timespan: -5m\n  condition: {gte: 1}\n', ['7:3']],
    ['timespan with a space', '  type: event_count\n  rules: [a]\n  timespan: 5 m\n  condition: {gte: 1}\n', ['7:3']],
    ['upper-case H is no unit', '  type: event_count\n  rules: [a]\n  timespan: 5H\n  condition: {gte: 1}\n', ['7:3']],
    ['event_count without condition', '  type: event_count\n  rules: [a]\n  timespan: 5m\n', ['5:3']],
    ['condition is a number', '  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: 5\n', ['8:3']],
    ['two lower bounds', '  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: {gt: 100, gte: 200}\n', ['8:3']],
    ['eq in a range', '  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: {eq: 100, lte: 200}\n', ['8:3']],
    ['three operators', '  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: {gt: 1, lt: 5, lte: 6}\n', ['8:3']],
    ['temporal expression naming an unlisted rule', '  type: temporal\n  rules: [a, b]\n  timespan: 5m\n  condition: a and c\n', ['8:3']],
    ['percentile out of range', '  type: value_percentile\n  rules: [a]\n  timespan: 5m\n  condition: {gt: 1, field: x, percentile: 101}\n', ['8:32']],
    ['value_sum over a field list', '  type: value_sum\n  rules: [a]\n  timespan: 5m\n  condition: {gt: 1, field: [x, y]}\n', ['8:22']],
    ['no operator', '  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: {field: x}\n', ['8:3']],
    ['unknown condition key', '  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition:\n    gte: 1\n    foo: 2\n', ['10:5']],
    ['operator value not a number', '  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition:\n    gte: many\n', ['9:5']],
    ['value_count without field', '  type: value_count\n  rules: [a]\n  timespan: 5m\n  condition: {gte: 1}\n', ['8:3']],
    ['value_sum without field', '  type: value_sum\n  rules: [a]\n  timespan: 5m\n  condition: {gte: 1}\n', ['8:3']],
    ['aliases not a map', '  type: temporal\n  rules: [a]\n  timespan: 5m\n  aliases: [x]\n', ['8:3']],
    ['alias not a map', '  type: temporal\n  rules: [a]\n  timespan: 5m\n  aliases:\n    ip: x\n', ['9:5']],
    ['generate not a boolean', '  type: temporal\n  rules: [a]\n  timespan: 5m\n  generate: yes\n', ['8:3']],
    ['unknown sigmatch setting', '  type: temporal\n  rules: [a]\n  timespan: 5m\nsigmatch.speed: fast\n', ['8:1']],
    ['bad sigmatch.action', '  type: temporal\n  rules: [a]\n  timespan: 5m\nsigmatch.action: drop\n', ['8:1']],
    ['bad sigmatch.suppress', '  type: temporal\n  rules: [a]\n  timespan: 5m\nsigmatch.suppress: soon\n', ['8:1']],
    ['gap without a session window', '  type: temporal\n  rules: [a]\n  timespan: 5m\nsigmatch.gap: 1m\n', ['8:1']],
  ];
  test.each(ERRORS)('INVALID_CORRELATION: %s', (_name, body, expected) => {
    const set = loadRulesFromText([{ text: `title: Correlation\nid: c-1\nname: corr\ncorrelation:\n${body}`, name: FILE }]);
    expect(set.correlations).toEqual([]);
    expect(set.errors.map((e) => e.code)).toEqual(expected.map(() => 'INVALID_CORRELATION'));
    expect(set.errors.map((e) => `${e.line}:${e.column}`)).toEqual(expected);
    expect(set.errors.every((e) => e.file === FILE && e.ruleTitle === 'Correlation')).toBe(true);
  });
  test('a correlation without a title is MISSING_KEY', () => {
    expect(loadRulesFromText('correlation:\n  type: temporal\n  rules: [a]\n  timespan: 5m\n').errors.map((e) => e.code)).toEqual(['MISSING_KEY']);
  });
});

function filter(text: string): SigmaFilter {
  const set = loadRulesFromText(text);
  expect(set.errors.map((e) => e.format())).toEqual([]);
  expect(set.filters).toHaveLength(1);
  return set.filters[0];
}

describe('filter documents', () => {
  const head = 'title: F\nid: f-1\nlogsource: {product: windows}\nfilter:\n';
  test.each<[string, string, string[]]>([
    ['a list of rules', '  rules: [a, b]\n', ['a', 'b']],
    ['one rule', '  rules: a\n', ['a']],
    ['any', '  rules: any\n', []],
    ['an empty list', '  rules: []\n', []],
    ['null', '  rules:\n', []],
    ['absent', '', []],
  ])('rules: %s', (_name, rules, expected) => {
    expect(filter(head + rules + '  sel: {User: admin}\n  condition: not sel\n').rules).toEqual(expected);
  });
  test('selections and condition are parsed like a detection', () => {
    const f = filter(head + '  rules: [a]\n  sel: {User: admin}\n  other: {Host: x}\n  condition: not 1 of them\n');
    expect(f).toMatchObject({ kind: 'filter', title: 'F', id: 'f-1', logsource: { product: 'windows' }, conditionText: ['not 1 of them'] });
    expect(f.detections.map((d) => d.name)).toEqual(['sel', 'other']);
    expect(f.condition).toEqual({ kind: 'not', arg: { kind: 'of', quantifier: 'any', pattern: 'them', names: ['sel', 'other'] } });
  });
  test.each<[string, string, string[]]>([
    ['filter is not a map', 'title: F\nlogsource: {product: w}\nfilter: [a]\n', ['INVALID_FILTER@3:1']],
    ['rules is a map', 'title: F\nlogsource: {product: w}\nfilter:\n  rules: {a: 1}\n  sel: {A: 1}\n  condition: sel\n', ['INVALID_FILTER@4:3']],
    ['no condition', 'title: F\nlogsource: {product: w}\nfilter:\n  rules: [a]\n  sel: {A: 1}\n', ['MISSING_KEY@4:3']],
    ['no logsource', 'title: F\nfilter:\n  rules: [a]\n  sel: {A: 1}\n  condition: sel\n', ['MISSING_KEY@1:1']],
    ['bad selection', 'title: F\nlogsource: {product: w}\nfilter:\n  sel: {A|nope: 1}\n  condition: sel\n', ['UNKNOWN_MODIFIER@4:9']],
    ['bad condition', 'title: F\nlogsource: {product: w}\nfilter:\n  sel: {A: 1}\n  condition: not sell\n', ['UNKNOWN_IDENTIFIER@5:14']],
  ])('%s', (_name, text, expected) => {
    const set = loadRulesFromText(text);
    expect(set.filters).toEqual([]);
    expect(set.errors.map((e) => `${e.code}@${e.line}:${e.column}`)).toEqual(expected);
  });
  test('"rules" is not a selection', () => {
    const set = loadRulesFromText(head + '  rules: [a]\n  condition: 1 of them\n');
    expect(set.errors.map((e) => e.code)).toEqual(['EMPTY_SELECTOR']);
  });
});
