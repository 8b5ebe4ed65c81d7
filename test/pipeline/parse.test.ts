/**
 * Pipeline files in pySigma's format: what parses (every supported transformation and condition type, as pySigma
 * documents them) and every INVALID_PIPELINE case, each with its file:line:column.
 */
import { describe, expect, test } from 'vitest';
import { parsePipeline } from '../../src/pipeline/parse.js';
import { positionOf, yml } from './support.js';

describe('a pipeline file that parses', () => {
  test('name, priority, vars and every supported transformation type', () => {
    const text = yml`
      name: Everything
      priority: 30
      vars:
        admins: [alice, bob]
        port: 8080
      allowed_backends: [splunk]
      transformations:
        - id: map
          type: field_name_mapping
          mapping:
            EventID: [event_id, evtid]
            Image: process.executable
        - type: field_name_prefix_mapping
          mapping:
            win.: windows.
        - type: field_name_prefix
          prefix: 'x.'
        - type: field_name_suffix
          suffix: '.keyword'
        - type: drop_detection_item
          field_name_conditions:
            - type: include_fields
              fields: [Dropped]
        - id: cond
          type: add_condition
          conditions:
            index: winlogs
            source|startswith: ['WinEventLog:', 'XmlWinEventLog:']
          negated: false
        - type: change_logsource
          product: windows
          service: security
        - type: replace_string
          regex: '^\*\\([^\\]+)$'
          replacement: '\1'
          skip_special: false
        - type: map_string
          mapping:
            a: b
            c: [d, e]
        - type: value_placeholders
          include: [admins]
        - type: rule_failure
          message: nope
          rule_conditions:
            - type: tag
              tag: attack.t1000
        - type: detection_item_failure
          message: nope
          detection_item_conditions:
            - type: match_string
              cond: any
              pattern: 'x'
        - type: add_field
          field: [a, b]
        - type: remove_field
          field: a
        - type: set_field
          fields: [c]
        - type: nest
          items:
            - type: field_name_suffix
              suffix: '_n'
        - type: sigmatch_alternative
          items:
            - type: change_logsource
              product: linux
      postprocessing: []
    `;
    const { pipeline, errors } = parsePipeline(text, 'fallback');
    expect(errors.map((e) => e.format())).toEqual([]);
    expect(pipeline!.name).toBe('Everything');
    expect(pipeline!.priority).toBe(30);
    expect(pipeline!.vars).toEqual({ admins: ['alice', 'bob'], port: ['8080'] });
    expect(pipeline!.items.map((i) => i.transformation.type)).toEqual([
      'field_name_mapping', 'field_name_prefix_mapping', 'field_name_prefix', 'field_name_suffix', 'drop_detection_item',
      'add_condition', 'change_logsource', 'replace_string', 'map_string', 'value_placeholders', 'rule_failure',
      'detection_item_failure', 'add_field', 'remove_field', 'set_field', 'nest', 'sigmatch_alternative',
    ]);
    const map = pipeline!.items[0].transformation;
    expect(map.type === 'field_name_mapping' && [...map.mapping]).toEqual([
      ['EventID', ['event_id', 'evtid']],
      ['Image', ['process.executable']],
    ]);
    expect(pipeline!.items[0].id).toBe('map');
    expect(pipeline!.items[1].id).toBeUndefined();
    expect(pipeline!.items[1].index).toBe(2);
  });

  test('without name: the given name; without priority: 0; an empty transformation list', () => {
    const { pipeline } = parsePipeline('transformations: []\n', 'mine');
    expect(pipeline).toMatchObject({ name: 'mine', priority: 0, items: [], vars: {} });
  });

  test('every condition type, list and named forms, op / not / expr', () => {
    const text = yml`
      transformations:
        - type: field_name_suffix
          suffix: s
          rule_conditions:
            - type: logsource
              category: process_creation
            - type: contains_detection_item
              field: EventID
              value: 4688
            - type: contains_field
              field: Image
            - type: processing_item_applied
              processing_item_id: x
            - type: tag
              tag: attack.execution
            - type: is_sigma_rule
            - type: is_sigma_correlation_rule
            - type: rule_attribute
              attribute: level
              value: high
              op: gte
          rule_cond_op: or
          rule_cond_not: true
          detection_item_conditions:
            a:
              type: match_string
              cond: all
              pattern: '^C:'
              negate: true
            b:
              type: match_value
              cond: any
              value: 5
            c:
              type: contains_wildcard
              cond: any
            d:
              type: is_null
              cond: all
            e:
              type: processing_item_applied
              processing_item_id: y
          detection_item_cond_expr: a and (b or not c) and d or e
          field_name_conditions:
            - type: include_fields
              fields: ['Image', 'Parent.*']
              mode: re
            - type: exclude_fields
              fields: [CommandLine]
            - type: processing_item_applied
              processing_item_id: z
          field_name_cond_op: and
    `;
    const { pipeline, errors } = parsePipeline(text, 'conds');
    expect(errors.map((e) => e.format())).toEqual([]);
    const item = pipeline!.items[0];
    expect(item.ruleConditions.conditions.map((c) => c.condition.type)).toEqual([
      'logsource', 'contains_detection_item', 'contains_field', 'processing_item_applied', 'tag', 'is_sigma_rule',
      'is_sigma_correlation_rule', 'rule_attribute',
    ]);
    expect(item.ruleConditions.expr.kind).toBe('or');
    expect(item.ruleConditions.negate).toBe(true);
    expect(item.logsourceConditioned).toBe(false); // negated: it does not route
    expect(item.detectionItemConditions.conditions.map((c) => c.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(item.detectionItemConditions.expr.kind).toBe('or');
    expect(item.fieldNameConditions.conditions).toHaveLength(3);
  });
});

/**
 * Every INVALID_PIPELINE case: the text, a needle whose first occurrence (plus an offset) is where the error must
 * point, and a fragment of the message naming the problem.
 */
const INVALID: { name: string; text: string; at: string; offset?: number; message: string }[] = [
  {
    name: 'unknown transformation type',
    text: 'transformations:\n  - type: frobnicate\n',
    at: 'frobnicate',
    message: 'unknown transformation type "frobnicate"; sigmatch supports field_name_mapping',
  },
  {
    name: 'pySigma transformation sigmatch does not support',
    text: 'transformations:\n  - type: hashes_fields\n    valid_hash_algos: [MD5]\n',
    at: 'hashes_fields',
    message: 'transformation type "hashes_fields" is not supported by sigmatch',
  },
  {
    name: 'wildcard_placeholders is not supported',
    text: 'transformations:\n  - type: wildcard_placeholders\n',
    at: 'wildcard_placeholders',
    message: 'give values with value_placeholders or --placeholder',
  },
  { name: 'item without type', text: 'transformations:\n  - id: x\n    mapping: {}\n', at: 'id: x', message: 'has no "type"' },
  { name: 'item is not a mapping', text: 'transformations:\n  - just a string\n', at: 'just', message: 'must be a mapping' },
  {
    name: 'unknown parameter',
    text: 'transformations:\n  - type: field_name_prefix\n    prefix: a\n    prefx: b\n',
    at: 'prefx',
    message: 'unknown key "prefx" in transformation "field_name_prefix"; transformation "field_name_prefix" takes',
  },
  { name: 'missing parameter', text: 'transformations:\n  - type: field_name_prefix\n', at: 'type', message: 'needs "prefix"' },
  {
    name: 'parameter of the wrong type',
    text: 'transformations:\n  - type: field_name_prefix\n    prefix: [a, b]\n',
    at: '[a, b]',
    message: '"prefix" of transformation "field_name_prefix" must be a string, got a list',
  },
  {
    name: 'mapping is not a mapping',
    text: 'transformations:\n  - type: field_name_mapping\n    mapping: [a]\n',
    at: '[a]',
    message: '"mapping" of transformation "field_name_mapping" must be a mapping',
  },
  {
    name: 'mapping to an empty list',
    text: 'transformations:\n  - type: field_name_mapping\n    mapping:\n      Image: []\n',
    at: '[]',
    message: '"Image" of transformation "field_name_mapping" is an empty list',
  },
  {
    name: 'prefix mapping from null',
    text: 'transformations:\n  - type: field_name_prefix_mapping\n    mapping:\n      ~: x.\n',
    at: '~',
    message: 'cannot map an empty (null) prefix',
  },
  {
    name: 'add_condition without conditions',
    text: 'transformations:\n  - type: add_condition\n    name: x\n',
    at: 'type',
    message: 'needs "conditions"',
  },
  {
    name: 'add_condition with an unknown modifier in a condition',
    text: 'transformations:\n  - type: add_condition\n    conditions:\n      Image|frob: x\n',
    at: 'Image|frob',
    message: 'unknown modifier "frob"',
  },
  {
    name: 'add_condition with a nested mapping',
    text: 'transformations:\n  - type: add_condition\n    conditions:\n      Image:\n        a: b\n',
    at: 'a: b',
    message: 'has a mapping as its value',
  },
  {
    name: 'template flag that is not a boolean',
    text: 'transformations:\n  - type: add_condition\n    conditions: {a: b}\n    template: yes please\n',
    at: 'yes please',
    message: '"template" of transformation "add_condition" must be true or false',
  },
  {
    name: 'replace_string with a broken regex',
    text: "transformations:\n  - type: replace_string\n    regex: '(unclosed'\n    replacement: x\n",
    at: "'(unclosed'",
    message: '"regex" of transformation "replace_string" is not a usable regular expression',
  },
  {
    name: 'replace_string with verbose mode',
    text: "transformations:\n  - type: replace_string\n    regex: '(?x) a b'\n    replacement: x\n",
    at: "'(?x)",
    message: 'verbose mode (?x) is not supported',
  },
  {
    name: 'replacement referring to a missing group',
    text: "transformations:\n  - type: replace_string\n    regex: '(a)'\n    replacement: '\\2'\n",
    at: "'\\2'",
    message: 'the replacement refers to group 2, which the pattern does not define',
  },
  {
    name: 'replacement with a bad escape',
    text: "transformations:\n  - type: replace_string\n    regex: 'a'\n    replacement: '\\q'\n",
    at: "'\\q'",
    message: 'bad escape \\q',
  },
  {
    name: 'value_placeholders with include and exclude',
    text: 'transformations:\n  - type: value_placeholders\n    include: [a]\n    exclude: [b]\n',
    at: 'exclude',
    message: '"include" and "exclude" exclude each other',
  },
  {
    name: 'nest without items',
    text: 'transformations:\n  - type: nest\n    items: []\n',
    at: '[]',
    message: 'must be a non-empty list of processing items',
  },
  {
    name: 'an error inside a nested item points into it',
    text: 'transformations:\n  - type: sigmatch_alternative\n    items:\n      - type: add_condition\n        conditons: {a: b}\n',
    at: 'conditons',
    message: 'processing item transformations[1].items[1]: unknown key "conditons"',
  },
  {
    name: 'unknown rule condition type',
    text: 'transformations:\n  - type: field_name_suffix\n    suffix: s\n    rule_conditions:\n      - type: weather\n',
    at: 'weather',
    message: 'unknown rule condition type "weather"; sigmatch supports logsource',
  },
  {
    name: 'unsupported rule condition type',
    text: 'transformations:\n  - type: field_name_suffix\n    suffix: s\n    rule_conditions:\n      - type: processing_state\n        key: a\n        val: b\n',
    at: 'processing_state',
    message: 'rule condition type "processing_state" is not supported by sigmatch',
  },
  {
    name: 'rule condition without type',
    text: 'transformations:\n  - type: field_name_suffix\n    suffix: s\n    rule_conditions:\n      - category: x\n',
    at: 'category: x',
    message: 'a rule condition needs a "type"',
  },
  {
    name: 'unknown parameter of a logsource condition',
    text: 'transformations:\n  - type: field_name_suffix\n    suffix: s\n    rule_conditions:\n      - type: logsource\n        categry: x\n',
    at: 'categry',
    message: 'unknown key "categry" in rule condition "logsource"; rule condition "logsource" takes category, product, service',
  },
  {
    name: 'rule_attribute with an unknown op',
    text: 'transformations:\n  - type: field_name_suffix\n    suffix: s\n    rule_conditions:\n      - type: rule_attribute\n        attribute: level\n        value: high\n        op: like\n',
    at: 'like',
    message: '"op" of rule condition "rule_attribute" must be one of eq, ne',
  },
  {
    name: 'unknown detection item condition type',
    text: 'transformations:\n  - type: drop_detection_item\n    detection_item_conditions:\n      - type: is_weird\n        cond: any\n',
    at: 'is_weird',
    message: 'unknown detection item condition type "is_weird"',
  },
  {
    name: 'match_string without cond',
    text: "transformations:\n  - type: drop_detection_item\n    detection_item_conditions:\n      - type: match_string\n        pattern: 'x'\n",
    at: 'type: match_string',
    message: 'needs "cond: any" or "cond: all"',
  },
  {
    name: 'match_string with cond none',
    text: "transformations:\n  - type: drop_detection_item\n    detection_item_conditions:\n      - type: match_string\n        pattern: 'x'\n        cond: none\n",
    at: 'none',
    message: '"cond" of detection item condition "match_string" must be "any" or "all"',
  },
  {
    name: 'match_string with a broken pattern',
    text: "transformations:\n  - type: drop_detection_item\n    detection_item_conditions:\n      - type: match_string\n        pattern: '[a'\n        cond: any\n",
    at: "'[a'",
    message: 'is not a usable regular expression',
  },
  {
    name: 'unknown field name condition type',
    text: 'transformations:\n  - type: drop_detection_item\n    field_name_conditions:\n      - type: starts_with\n',
    at: 'starts_with',
    message: 'unknown field name condition type "starts_with"; sigmatch supports include_fields, exclude_fields, processing_item_applied',
  },
  {
    name: 'include_fields with mode glob',
    text: 'transformations:\n  - type: drop_detection_item\n    field_name_conditions:\n      - type: include_fields\n        fields: [a]\n        mode: glob\n',
    at: 'glob',
    message: '"mode" of field name condition "include_fields" must be "plain" or "re"',
  },
  {
    name: 'include_fields with a broken regex',
    text: "transformations:\n  - type: drop_detection_item\n    field_name_conditions:\n      - type: include_fields\n        fields: ['ok', '(bad']\n        mode: re\n",
    at: "'(bad'",
    message: 'field pattern "(bad" of field name condition "include_fields" is not a usable regular expression',
  },
  {
    name: 'include_fields without fields',
    text: 'transformations:\n  - type: drop_detection_item\n    field_name_conditions:\n      - type: include_fields\n',
    at: 'type: include_fields',
    message: 'needs "fields"',
  },
  {
    name: 'cond_op other than and / or',
    text: 'transformations:\n  - type: drop_detection_item\n    field_name_conditions:\n      - type: include_fields\n        fields: [a]\n    field_name_cond_op: xor\n',
    at: 'xor',
    message: '"field_name_cond_op" must be "and" or "or"',
  },
  {
    name: 'cond_not that is not a boolean',
    text: 'transformations:\n  - type: drop_detection_item\n    field_name_conditions:\n      - type: include_fields\n        fields: [a]\n    field_name_cond_not: sometimes\n',
    at: 'sometimes',
    message: '"field_name_cond_not" of the processing item must be true or false',
  },
  {
    name: 'cond_not without conditions',
    text: 'transformations:\n  - type: drop_detection_item\n    rule_cond_not: true\n',
    at: 'rule_cond_not',
    message: '"rule_cond_not" has no "rule_conditions" to act on',
  },
  {
    name: 'cond_expr together with cond_op',
    text: 'transformations:\n  - type: drop_detection_item\n    rule_conditions:\n      a: {type: is_sigma_rule}\n    rule_cond_op: or\n    rule_cond_expr: a\n',
    at: 'rule_cond_expr',
    message: '"rule_cond_expr" and "rule_cond_op" exclude each other',
  },
  {
    name: 'cond_expr over a condition list',
    text: 'transformations:\n  - type: drop_detection_item\n    rule_conditions:\n      - {type: is_sigma_rule}\n    rule_cond_expr: a\n',
    at: 'rule_cond_expr',
    message: 'needs "rule_conditions" as a mapping from names to conditions',
  },
  {
    name: 'cond_expr naming an unknown condition',
    text: 'transformations:\n  - type: drop_detection_item\n    rule_conditions:\n      a: {type: is_sigma_rule}\n    rule_cond_expr: a and b\n',
    at: 'a and b',
    message: 'refers to "b", which is not among the conditions (a)',
  },
  {
    name: 'cond_expr leaving a condition unused',
    text: 'transformations:\n  - type: drop_detection_item\n    rule_conditions:\n      a: {type: is_sigma_rule}\n      b: {type: is_sigma_rule}\n    rule_cond_expr: not a\n',
    at: 'not a',
    message: 'does not use the condition b',
  },
  {
    name: 'cond_expr that does not parse',
    text: 'transformations:\n  - type: drop_detection_item\n    rule_conditions:\n      a: {type: is_sigma_rule}\n    rule_cond_expr: (a\n',
    at: '(a',
    message: '"(" is not closed',
  },
  {
    name: 'detection item conditions on a rule-level transformation',
    text: 'transformations:\n  - type: add_condition\n    conditions: {a: b}\n    field_name_conditions:\n      - type: include_fields\n        fields: [a]\n',
    at: 'field_name_conditions',
    message: '"field_name_conditions" has no effect on "add_condition", which acts on the whole rule',
  },
  { name: 'unknown top-level key', text: 'name: x\ntransformatons: []\n', at: 'transformatons', message: 'unknown key "transformatons" in a pipeline' },
  {
    name: 'postprocessing items',
    text: 'postprocessing:\n  - type: template\n    template: x\n',
    at: 'postprocessing',
    message: '"postprocessing" is not supported by sigmatch: it acts on backend query text',
  },
  { name: 'finalizers', text: 'finalizers:\n  - type: concat\n', at: 'finalizers', message: '"finalizers" is not supported by sigmatch' },
  { name: 'priority that is not an integer', text: 'priority: high\n', at: 'high', message: '"priority" must be an integer' },
  { name: 'transformations that is not a list', text: 'transformations: {a: b}\n', at: '{a: b}', message: '"transformations" must be a list' },
  { name: 'vars holding a mapping', text: 'vars:\n  x: {a: b}\n', at: '{a: b}', message: 'variable "x" must be a string or number' },
  { name: 'not a mapping', text: '- a\n- b\n', at: '- a', message: 'a pipeline must be a mapping, got a list' },
  { name: 'empty file', text: '# nothing\n', at: '#', message: 'the pipeline file is empty' },
  { name: 'several documents', text: 'name: a\n---\nname: b\n', at: '---', message: 'one YAML document, not several' },
  { name: 'YAML syntax error', text: 'name: [a\n', at: 'name', offset: 9, message: 'YAML syntax' },
];

describe('INVALID_PIPELINE, with file:line:column', () => {
  test.each(INVALID.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { pipeline, errors } = parsePipeline(c.text, 'bad', 'bad.yml');
    expect(pipeline).toBeNull();
    expect(errors.length).toBeGreaterThanOrEqual(1);
    const e = errors[0];
    expect(e.code).toBe('INVALID_PIPELINE');
    expect(e.message).toContain(c.message);
    expect(e.file).toBe('bad.yml');
    if (c.name !== 'YAML syntax error') expect({ line: e.line, column: e.column }).toEqual(positionOf(c.text, c.at, c.offset));
    else expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.format()).toMatch(/^bad\.yml:\d+:\d+: INVALID_PIPELINE: /);
  });

  test('every bad item is reported, not only the first', () => {
    const text = 'transformations:\n  - type: frob\n  - type: field_name_prefix\n  - id: fine\n    type: drop_detection_item\n  - type: nope\n';
    const { errors } = parsePipeline(text, 'bad');
    expect(errors.map((e) => e.line)).toEqual([2, 3, 6]);
    expect(errors[0].message).toMatch(/^processing item transformations\[1\]: /);
  });

  test('an item with an id is named by it', () => {
    const { errors } = parsePipeline('transformations:\n  - id: my_item\n    type: frob\n', 'bad');
    expect(errors[0].message).toMatch(/^processing item transformations\[1\] "my_item": unknown transformation type "frob"/);
  });
});
