import { describe, expect, test } from 'vitest';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { applyFilters, combineRuleSets, emptyRuleSet, loadRulesFromText, logSourceContains, parseRuleText } from '../../src/rule/load.js';
import type { LogSource, SigmaRule } from '../../src/rule/model.js';
import { yml } from './_helpers.js';

function rule(title: string, selection = 'Image: x', extra = ''): string {
  return `title: ${title}\n${extra}logsource:\n  product: windows\ndetection:\n  sel:\n    ${selection}\n  condition: sel\n`;
}

describe('multi-document files', () => {
  test('every document is read, in order', () => {
    const set = parseRuleText([rule('A'), rule('B'), rule('C')].join('---\n'), 'x.yml');
    expect(set.rules.map((r) => r.title)).toEqual(['A', 'B', 'C']);
    expect(set.rules.map((r) => r.source.document)).toEqual([0, 1, 2]);
    expect([set.files, set.documents, set.errors.length]).toEqual([1, 3, 0]);
  });
  test('rules, correlations and filters side by side', () => {
    const set = parseRuleText(
      [
        rule('A', 'Image: x', 'name: a\n'),
        'title: C\ncorrelation:\n  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: {gte: 2}\n',
        'title: F\nlogsource: {product: windows}\nfilter:\n  rules: [a]\n  sel: {User: x}\n  condition: not sel\n',
      ].join('---\n'),
    );
    expect([set.rules.length, set.correlations.length, set.filters.length]).toEqual([1, 1, 1]);
  });
  test('a bad rule among good ones: the rest loads, the error says where', () => {
    const text = [rule('Good 1'), rule('Bad', 'Image|nope: x'), 'title: [broken\n', rule('Good 2')].join('---\n');
    const set = parseRuleText(text, 'mixed.yml');
    expect(set.rules.map((r) => r.title)).toEqual(['Good 1', 'Good 2']);
    expect(set.errors.map((e) => e.code).sort()).toEqual(['UNKNOWN_MODIFIER', 'YAML_SYNTAX']);
    const modifierError = set.errors.find((e) => e.code === 'UNKNOWN_MODIFIER')!;
    expect([modifierError.file, modifierError.line, modifierError.column, modifierError.ruleTitle]).toEqual(['mixed.yml', 14, 5, 'Bad']);
  });
  test('a trailing --- is no document error', () => {
    expect(parseRuleText(rule('A') + '---\n').errors).toEqual([]);
  });
  test('YAML limits through the loader', () => {
    const set = parseRuleText(rule('A'), 'x.yml', { limits: { maxBytes: 10 } });
    expect(set.rules).toEqual([]);
    expect(set.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.code}`)).toEqual(['x.yml:1:1: YAML_LIMIT']);
  });
  test('a deep document is YAML_LIMIT and the other documents still load', () => {
    const deep = 'title: deep\nx: ' + '['.repeat(100) + ']'.repeat(100) + '\n';
    const set = parseRuleText([rule('A'), deep, rule('B')].join('---\n'), 'x.yml');
    expect(set.rules.map((r) => r.title)).toEqual(['A', 'B']);
    expect(set.errors.map((e) => e.code)).toEqual(['YAML_LIMIT']);
  });
});

describe('Sigma 1 collections (action)', () => {
  test('global is a template deep-merged into each later rule document', () => {
    const set = parseRuleText(yml`
      action: global
      title: Base
      logsource:
        product: windows
        service: security
      detection:
        base:
          EventID: 4688
        condition: base and sel
      level: high
      ---
      title: First
      logsource:
        service: sysmon
      detection:
        sel:
          Image: a
      ---
      title: Second
      detection:
        sel:
          Image: b
      level: low
    `);
    expect(set.errors.map((e) => e.format())).toEqual([]);
    expect(set.rules.map((r) => [r.title, r.logsource, r.detections.map((d) => d.name), r.level])).toEqual([
      ['First', { product: 'windows', service: 'sysmon' }, ['base', 'sel'], 'high'],
      ['Second', { product: 'windows', service: 'security' }, ['base', 'sel'], 'low'],
    ]);
    expect(set.rules[0].raw.action).toBeUndefined();
  });
  test('a global document alone emits nothing', () => {
    const set = parseRuleText('action: global\ntitle: t\nlogsource: {product: w}\n');
    expect([set.rules.length, set.errors.length]).toEqual([0, 0]);
  });
  test('lists in the document replace the template lists', () => {
    const set = parseRuleText(`action: global\ntags: [a, b]\nlogsource: {product: w}\n---\n${rule('R', 'Image: x', 'tags: [c]\n')}`);
    expect(set.rules[0].tags).toEqual(['c']);
  });
  test('reset clears the template', () => {
    const set = parseRuleText(yml`
      action: global
      logsource:
        product: windows
      ---
      title: With
      detection: {sel: {A: 1}, condition: sel}
      ---
      action: reset
      ---
      title: Without
      detection: {sel: {A: 1}, condition: sel}
    `);
    expect(set.rules.map((r) => r.title)).toEqual(['With']);
    expect(set.errors.map((e) => e.code)).toEqual(['MISSING_KEY']); // Without has no logsource
  });
  test('repeat merges into the previous rule document and emits a further rule', () => {
    const set = parseRuleText(yml`
      title: Original
      logsource:
        product: windows
        category: process_creation
      detection:
        sel:
          Image: a.exe
        condition: sel
      ---
      action: repeat
      title: Repeated
      logsource:
        category: image_load
      ---
      action: repeat
      title: Repeated twice
      detection:
        sel:
          Image: b.exe
    `);
    expect(set.errors.map((e) => e.format())).toEqual([]);
    expect(set.rules.map((r) => [r.title, r.logsource.category])).toEqual([
      ['Original', 'process_creation'],
      ['Repeated', 'image_load'],
      ['Repeated twice', 'image_load'],
    ]);
    const values = set.rules.map((r) => toPlainValue(r));
    expect(values).toEqual(['a.exe', 'a.exe', 'b.exe']);
  });
  test('repeat builds on the previous rule document even when that one failed to load', () => {
    const set = parseRuleText(yml`
      title: Good
      logsource: {product: windows}
      detection: {sel: {Image: good.exe}, condition: sel}
      ---
      title: Broken
      logsource: {product: windows}
      detection: {sel: {Image: broken.exe}, condition: nope}
      ---
      action: repeat
      title: Fixed
      detection: {condition: sel}
    `);
    expect(set.rules.map((r) => [r.title, toPlainValue(r)])).toEqual([
      ['Good', 'good.exe'],
      ['Fixed', 'broken.exe'],
    ]);
    expect(set.errors.map((e) => [e.code, e.ruleTitle])).toEqual([['UNKNOWN_IDENTIFIER', 'Broken']]);
  });
  test('repeat after a global template repeats the merged rule', () => {
    const set = parseRuleText('action: global\nlogsource: {product: w}\nlevel: high\n---\n' + rule('A').replace(/logsource:\n  product: windows\n/, '') + '---\naction: repeat\ntitle: B\n');
    expect(set.rules.map((r) => [r.title, r.logsource.product, r.level])).toEqual([
      ['A', 'w', 'high'],
      ['B', 'w', 'high'],
    ]);
  });
  test('repeat without a previous rule is INVALID_ACTION at the action key', () => {
    const set = parseRuleText('action: repeat\ntitle: x\n', 'c.yml');
    expect(set.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.code}`)).toEqual(['c.yml:1:1: INVALID_ACTION']);
  });
  test('an unknown action is INVALID_ACTION; the other documents load', () => {
    const set = parseRuleText(rule('A') + '---\ntitle: x\naction: include\n---\n' + rule('B'), 'c.yml');
    expect(set.rules.map((r) => r.title)).toEqual(['A', 'B']);
    expect(set.errors.map((e) => `${e.line}:${e.column}: ${e.code}`)).toEqual(['10:1: INVALID_ACTION']);
    expect(set.errors[0].message).toContain('"include"');
  });
  test('filters and correlations never take the template', () => {
    const set = parseRuleText(yml`
      action: global
      logsource:
        product: linux
      level: high
      ---
      title: F
      logsource: {product: windows}
      filter:
        rules: any
        sel: {User: x}
        condition: not sel
      ---
      title: C
      correlation: {type: temporal, rules: [a, b], timespan: 5m}
    `);
    expect(set.errors).toEqual([]);
    expect(set.filters[0].logsource).toEqual({ product: 'windows' });
    expect(set.filters[0].level).toBeUndefined();
    expect(set.correlations[0].level).toBeUndefined();
  });
});

/** The first value of a rule's first detection (a one-item detection), as text. */
function toPlainValue(r: SigmaRule): string | null {
  const root = r.detections[0].root;
  const v = root.kind === 'item' ? root.values[0] : null;
  return v?.type === 'string' ? v.value.toString() : null;
}

describe('logSourceContains', () => {
  test.each<[string, LogSource, LogSource, boolean]>([
    ['empty contains everything', {}, { product: 'windows', category: 'process_creation' }, true],
    ['same product', { product: 'windows' }, { product: 'windows', category: 'process_creation' }, true],
    ['other product', { product: 'linux' }, { product: 'windows' }, false],
    ['more specific outer', { product: 'windows', category: 'process_creation' }, { product: 'windows' }, false],
    ['equal', { product: 'windows', service: 'security' }, { product: 'windows', service: 'security' }, true],
    ['case matters', { product: 'Windows' }, { product: 'windows' }, false],
    ['custom keys are not compared', { product: 'windows', definition: 'x' }, { product: 'windows' }, true],
  ])('%s', (_name, outer, inner, expected) => {
    expect(logSourceContains(outer, inner)).toBe(expected);
  });
});

describe('filters applied to rules', () => {
  const rules = [
    rule('By id', 'User: admin', 'id: 11111111-1111-1111-1111-111111111111\n'),
    rule('By name', 'User: admin', 'name: by_name\n'),
    rule('Other', 'User: admin', 'name: other\n'),
  ].join('---\n');
  function load(filterDoc: string) {
    const set = loadRulesFromText([rules, filterDoc]);
    expect(set.errors.map((e) => e.format())).toEqual([]);
    return set;
  }
  const filterDoc = (rulesLine: string, logsource = 'product: windows', condition = 'not filter_host') =>
    `title: Filter\nid: f-1\nlogsource: {${logsource}}\nfilter:\n  ${rulesLine}\n  filter_host:\n    Host: trusted\n  condition: ${condition}\n`;
  const byTitle = (set: ReturnType<typeof load>) => Object.fromEntries(set.rules.map((r) => [r.title, r.appliedFilters]));

  test('by id and by name', () => {
    expect(byTitle(load(filterDoc('rules: [11111111-1111-1111-1111-111111111111, by_name]')))).toEqual({ 'By id': ['f-1'], 'By name': ['f-1'], Other: [] });
  });
  test.each(['rules: any', 'rules: []', 'rules:', ''])('%j applies to every rule', (line) => {
    expect(byTitle(load(filterDoc(line)))).toEqual({ 'By id': ['f-1'], 'By name': ['f-1'], Other: ['f-1'] });
  });
  test('a rule title is not a reference', () => {
    expect(byTitle(load(filterDoc('rules: [Other]')))).toEqual({ 'By id': [], 'By name': [], Other: [] });
  });
  test('logsource containment decides too', () => {
    expect(byTitle(load(filterDoc('rules: any', 'product: linux')))).toEqual({ 'By id': [], 'By name': [], Other: [] });
    expect(byTitle(load(filterDoc('rules: any', 'product: windows, category: process_creation')))).toEqual({ 'By id': [], 'By name': [], Other: [] });
  });
  test('the condition becomes (rule) and (filter), with renamed identifiers', () => {
    const set = load(filterDoc('rules: [by_name]'));
    const r = set.rules.find((x) => x.title === 'By name')!;
    expect(r.detections.map((d) => d.name)).toEqual(['sel', '_filt0_filter_host']);
    expect(r.condition).toEqual({
      kind: 'and',
      args: [{ kind: 'ref', name: 'sel' }, { kind: 'not', arg: { kind: 'ref', name: '_filt0_filter_host' } }],
    });
    expect(r.conditionText).toEqual(['sel']);
  });
  test('the filter works: keep form (not selection)', () => {
    const set = load(filterDoc('rules: [by_name]'));
    const evaluator = new ReferenceEvaluator(set.rules);
    const titles = (event: object) => evaluator.match(event).map((m) => m.rule.title);
    expect(titles({ User: 'admin', Host: 'evil' })).toEqual(['By id', 'By name', 'Other']);
    expect(titles({ User: 'admin', Host: 'trusted' })).toEqual(['By id', 'Other']);
  });
  test('renamed filter identifiers stay out of the rule\'s own them', () => {
    const set = loadRulesFromText([
      'title: R\nname: r\nlogsource: {product: windows}\ndetection:\n  a: {A: 1}\n  b: {B: 1}\n  condition: all of them\n',
      filterDoc('rules: [r]'),
    ]);
    const r = set.rules[0];
    expect(r.condition).toMatchObject({ kind: 'and', args: [{ kind: 'of', names: ['a', 'b'] }, { kind: 'not' }] });
    const evaluator = new ReferenceEvaluator(set.rules);
    expect(evaluator.matches(0, { A: 1, B: 1, Host: 'elsewhere' })).toBe(true);
    expect(evaluator.matches(0, { A: 1, B: 1, Host: 'trusted' })).toBe(false);
  });
  test('a filter using them and patterns resolves within the filter', () => {
    const set = load(filterDoc('rules: [by_name]', 'product: windows', 'not 1 of filter_*'));
    const r = set.rules.find((x) => x.title === 'By name')!;
    expect(r.condition).toMatchObject({ args: [{}, { kind: 'not', arg: { kind: 'of', names: ['_filt0_filter_host'] } }] });
  });
  test('two filters get distinct prefixes', () => {
    const set = loadRulesFromText([rules, filterDoc('rules: [by_name]'), filterDoc('rules: [by_name]').replace('f-1', 'f-2')]);
    const r = set.rules.find((x) => x.title === 'By name')!;
    expect(r.detections.map((d) => d.name)).toEqual(['sel', '_filt0_filter_host', '_filt1_filter_host']);
    expect(r.appliedFilters).toEqual(['f-1', 'f-2']);
  });
  test('filters apply across texts (files) of one load', () => {
    const set = loadRulesFromText([{ text: rules, name: 'rules.yml' }, { text: filterDoc('rules: any'), name: 'filter.yml' }]);
    expect(set.rules.every((r) => r.appliedFilters.length === 1)).toBe(true);
    expect(set.files).toBe(2);
  });
  test('a filter without an id is named by its title', () => {
    const set = load(filterDoc('rules: [by_name]').replace('id: f-1\n', ''));
    expect(set.rules.find((x) => x.title === 'By name')!.appliedFilters).toEqual(['Filter']);
  });
  test('filters are not applied to correlations', () => {
    const set = loadRulesFromText([rules, 'title: C\nname: c\ncorrelation: {type: temporal, rules: [by_name, other], timespan: 5m}\n', filterDoc('rules: any')]);
    expect(set.correlations[0].raw.detection).toBeUndefined();
  });
});

describe('combineRuleSets / emptyRuleSet / applyFilters', () => {
  test('counts add up', () => {
    const a = parseRuleText(rule('A'));
    const b = parseRuleText(rule('B') + '---\n' + rule('C', 'Image|nope: x'));
    const all = combineRuleSets([a, b, emptyRuleSet()]);
    expect([all.files, all.documents, all.rules.length, all.errors.length]).toEqual([2, 3, 2, 1]);
  });
  test('applyFilters with no filters leaves rules alone', () => {
    const set = parseRuleText(rule('A'));
    const before = set.rules[0].condition;
    applyFilters(set.rules, []);
    expect(set.rules[0].condition).toBe(before);
  });
  test('loadRulesFromText takes one string', () => {
    expect(loadRulesFromText(rule('A')).rules).toHaveLength(1);
  });
});
