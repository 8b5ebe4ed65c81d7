import { describe, expect, test } from 'vitest';
import { ReferenceEvaluator, type EvaluatorOptions } from '../../src/eval/reference.js';
import { EventView } from '../../src/eval/event.js';
import { loadRulesFromText, type LoadOptions } from '../../src/rule/load.js';
import { loadOne, matching, ruleText } from './_helpers.js';

/** [name, detection body (YAML, with condition), events, indices of the events that match, options] */
type Case = [string, string, unknown[], number[], (LoadOptions & EvaluatorOptions)?];

function run(cases: Case[]): void {
  test.each(cases)('%s', (_name, body, events, expected, options) => {
    expect(matching(ruleText(body), events, options ?? {})).toEqual(expected);
  });
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('null, absent and empty (SIGMA.md decisions, 1.8)', () => {
  const events = [{}, { F: null }, { F: '' }, { F: 'x' }, { F: [] }, { F: {} }, { F: [null, 'x'] }, { G: null }];
  run([
    ['F: null matches absent or JSON null', 'sel:\n  F: null\ncondition: sel', events, [0, 1, 6, 7]],
    ['F: null with nullMatchesAbsent: false matches only JSON null', 'sel:\n  F: null\ncondition: sel', events, [1, 6], { nullMatchesAbsent: false }],
    ['F: ~ is null too', 'sel:\n  F: ~\ncondition: sel', events, [0, 1, 6, 7]],
    ["F: '' is present and empty", "sel:\n  F: ''\ncondition: sel", events, [2]],
    ['F: [] is F: null', 'sel:\n  F: []\ncondition: sel', events, [0, 1, 6, 7]],
    ['F|exists: true: present, even null or empty', 'sel:\n  F|exists: true\ncondition: sel', events, [1, 2, 3, 4, 5, 6]],
    ['F|exists: false: absent', 'sel:\n  F|exists: false\ncondition: sel', events, [0, 7]],
    ['not F: x is true when F is absent', 'sel:\n  F: x\ncondition: not sel', events, [0, 1, 2, 4, 5, 7]],
    ['the filter_main_null / filter_main_empty idiom', "sel:\n  A: 1\nfilter_main_null:\n  F: null\nfilter_main_empty:\n  F: ''\ncondition: sel and not 1 of filter_main_*",
      [{ A: 1 }, { A: 1, F: null }, { A: 1, F: '' }, { A: 1, F: 'set' }], [3]],
  ]);
});

describe('numbers and strings, both ways', () => {
  const events = [{ N: 4688 }, { N: '4688' }, { N: '04688' }, { N: 4688.5 }, { N: ' 4688' }, { N: [1, 4688] }, { N: 14688 }, { N: true }, {}];
  run([
    ['a rule number matches the number and its decimal string', 'sel:\n  N: 4688\ncondition: sel', events, [0, 1, 5]],
    ['a rule string matches the number too', "sel:\n  N: '4688'\ncondition: sel", events, [0, 1, 5]],
    ['a number list', 'sel:\n  N: [1, 2, 4688]\ncondition: sel', events, [0, 1, 5]],
    ['a float', 'sel:\n  N: 4688.5\ncondition: sel', events, [3]],
    ['zero and negative zero', 'sel:\n  N: 0\ncondition: sel', [{ N: 0 }, { N: -0 }, { N: '0' }, { N: '-0' }, { N: '0.0' }], [0, 1, 2]],
    ['a string with wildcards matches numbers by their text', "sel:\n  N: '46*'\ncondition: sel", events, [0, 1, 3, 5]],
    ['contains on a quoted number', "sel:\n  N|contains: '688'\ncondition: sel", events, [0, 1, 2, 3, 4, 5, 6]],
    ['a leading-zero literal is text', 'sel:\n  N: 04688\ncondition: sel', events, [2]],
  ]);
});

describe('booleans in any case', () => {
  const events = [{ S: true }, { S: 'true' }, { S: 'True' }, { S: 'TRUE' }, { S: false }, { S: 'false' }, { S: 'yes' }, { S: 1 }, { S: 'truely' }, {}];
  run([
    ['true', 'sel:\n  S: true\ncondition: sel', events, [0, 1, 2, 3]],
    ['false', 'sel:\n  S: false\ncondition: sel', events, [4, 5]],
    ["a quoted 'true' is a string: case-insensitive equality, also with JSON true", "sel:\n  S: 'true'\ncondition: sel", events, [0, 1, 2, 3]],
  ]);
});

describe('strings', () => {
  run([
    ['case-insensitive equality', 'sel:\n  Image: C:\\Windows\\cmd.exe\ncondition: sel',
      [{ Image: 'c:\\windows\\CMD.EXE' }, { Image: 'C:\\Windows\\cmd.exe ' }, { Image: 'x C:\\Windows\\cmd.exe' }], [0]],
    ['cased', 'sel:\n  Image|cased: Cmd.exe\ncondition: sel', [{ Image: 'Cmd.exe' }, { Image: 'cmd.exe' }], [0]],
    ['contains', 'sel:\n  C|contains: whoami\ncondition: sel', [{ C: 'cmd /c WhoAmI /all' }, { C: 'who ami' }], [0]],
    ['startswith', 'sel:\n  C|startswith: cmd\ncondition: sel', [{ C: 'CMD.exe' }, { C: 'x cmd' }], [0]],
    ['endswith', 'sel:\n  C|endswith: \\cmd.exe\ncondition: sel', [{ C: 'C:\\x\\CMD.EXE' }, { C: 'xcmd.exe' }], [0]],
    ['an escaped star is literal', "sel:\n  C: 'a\\*b'\ncondition: sel", [{ C: 'a*b' }, { C: 'axb' }], [0]],
    ['a wildcard star', "sel:\n  C: 'a*b'\ncondition: sel", [{ C: 'a*b' }, { C: 'axxb' }, { C: 'ab' }, { C: 'abc' }], [0, 1, 2]],
    ['a question mark is one character', "sel:\n  C: 'adlog.php?'\ncondition: sel", [{ C: 'adlog.php?' }, { C: 'adlog.phpx' }, { C: 'adlog.php' }, { C: 'adlog.php??' }], [0, 1]],
    ['Unicode letters fold', 'sel:\n  C|contains: ÄRGER\ncondition: sel', [{ C: 'ärger' }, { C: 'Ärger' }, { C: 'arger' }], [0, 1]],
    ['emoji compare by code point', "sel:\n  C: '?x'\ncondition: sel", [{ C: '🙂x' }, { C: 'ax' }, { C: '🙂🙂x' }], [0, 1]],
    ['a list of values is OR', 'sel:\n  C:\n    - a\n    - b\ncondition: sel', [{ C: 'a' }, { C: 'b' }, { C: 'c' }], [0, 1]],
    ['contains|all: every value', 'sel:\n  C|contains|all: [a, b]\ncondition: sel', [{ C: 'ab' }, { C: 'a' }, { C: 'xbxa' }], [0, 2]],
    ['a map is AND', 'sel:\n  A: 1\n  B: 2\ncondition: sel', [{ A: 1, B: 2 }, { A: 1 }, { A: 1, B: 3 }], [0]],
    ['a list of maps is OR', 'sel:\n  - A: 1\n  - B: 2\ncondition: sel', [{ A: 1 }, { B: 2 }, { A: 2, B: 1 }], [0, 1]],
    ['lone surrogates in events read as U+FFFD', "sel:\n  C: \"a\\uFFFD\"\ncondition: sel", [{ C: 'a\ud800' }, { C: 'a' }], [0]],
  ]);
});

describe('field names: dotted literal first, then nested', () => {
  const events = [{ 'a.b': 'x' }, { a: { b: 'x' } }, { 'a.b': 'y', a: { b: 'x' } }, { a: [{ b: 'y' }, { b: 'x' }] }, { A: { B: 'x' } }];
  run([
    ['a dotted name', 'sel:\n  a.b: x\ncondition: sel', events, [0, 1, 3]],
    ['names are case-sensitive', 'sel:\n  Image: x\ncondition: sel', [{ Image: 'x' }, { image: 'x' }, { IMAGE: 'x' }], [0]],
  ]);
});

describe('event arrays', () => {
  run([
    ['any element matches', 'sel:\n  F: x\ncondition: sel', [{ F: ['a', 'x'] }, { F: ['a', 'b'] }, { F: [['x']] }, { F: [] }], [0, 2]],
    ['arrays of objects through a path', 'sel:\n  F.name: x\ncondition: sel', [{ F: [{ name: 'a' }, { name: 'x' }] }, { F: [{ name: 'a' }] }, { F: [[{ name: 'x' }]] }], [0, 2]],
    ['all across elements: each value matched by some element', 'sel:\n  F|contains|all: [a, b]\ncondition: sel', [{ F: ['xa', 'xb'] }, { F: ['xa'] }], [0]],
    ['an object value never equals a string', 'sel:\n  F: x\ncondition: sel', [{ F: { x: 'x' } }], []],
    ['an object value is no null', 'sel:\n  F: null\ncondition: sel', [{ F: { a: 1 } }, { F: [{ a: 1 }] }], []],
  ]);
});

describe('keywords', () => {
  const events = [
    { a: 'this is EVIL' },
    { nested: { deep: ['x', { k: 'evil' }] } },
    { evil: 'key only' },
    { a: true },
    { n: 14688 },
    { a: 'good' },
  ];
  run([
    ['a keyword is a case-insensitive substring of any string leaf', 'keywords:\n  - evil\ncondition: keywords', events, [0, 1]],
    ['a keyword never matches keys', 'keywords:\n  - key only\ncondition: keywords', [{ 'key only': 1 }, { a: 'key only' }], [1]],
    ['number keywords match number leaves by their text', 'keywords:\n  - 4688\ncondition: keywords', events, [4]],
    ['keywords do not match booleans', 'keywords:\n  - true\ncondition: keywords', events, []],
    ['a string keyword true matches a string leaf', 'keywords:\n  - true\ncondition: keywords', [{ a: 'is True' }, { a: true }], [0]],
    ['wildcards are honoured', "keywords:\n  - 'th*evil'\ncondition: keywords", events, [0]],
    ['keywords are OR-ed', 'keywords:\n  - evil\n  - good\ncondition: keywords', events, [0, 1, 5]],
    ['|all: each keyword somewhere, not necessarily the same leaf', "keywords:\n  '|all':\n    - foo\n    - bar\ncondition: keywords",
      [{ a: 'foo', b: 'bar' }, { a: 'foobar' }, { a: 'foo' }, { a: ['x', 'BAR'], b: { c: 'Foo' } }], [0, 1, 3]],
    ['|all with numbers', "keywords:\n  '|all': [4688, cmd]\ncondition: keywords", [{ id: 4688, c: 'cmd.exe' }, { id: 4688 }], [0]],
    ['a single scalar keyword', 'keywords: evil\ncondition: keywords', events, [0, 1]],
    ['|startswith on keywords anchors at the leaf start', "keywords:\n  '|startswith': thi\ncondition: keywords", events, [0]],
    ['|re on keywords searches each leaf', "keywords:\n  '|re': '^good$'\ncondition: keywords", events, [5]],
    ['|cased keywords', "keywords:\n  '|cased': EVIL\ncondition: keywords", events, [0]],
    ['keywords and fields together', 'keywords: [evil]\nsel:\n  a: this is evil\ncondition: keywords and sel', events, [0]],
  ]);
});

describe('fieldref', () => {
  const events = [
    { User: 'Bob', ParentUser: 'bob' },
    { User: 'bob', ParentUser: 'alice' },
    { User: 'bob' },
    { User: 'bob-admin', ParentUser: 'BOB' },
    { User: ['x', 'bob'], ParentUser: ['bob'] },
    { User: 5, ParentUser: '5' },
  ];
  run([
    ['equality, case-insensitive', 'sel:\n  User|fieldref: ParentUser\ncondition: sel', events, [0, 4, 5]],
    ['cased', 'sel:\n  User|fieldref|cased: ParentUser\ncondition: sel', events, [4, 5]],
    ['cased before fieldref', 'sel:\n  User|cased|fieldref: ParentUser\ncondition: sel', events, [4, 5]],
    ['contains', 'sel:\n  User|fieldref|contains: ParentUser\ncondition: sel', events, [0, 3, 4, 5]],
    ['startswith', 'sel:\n  User|fieldref|startswith: ParentUser\ncondition: sel', events, [0, 3, 4, 5]],
    ['endswith', 'sel:\n  User|endswith|fieldref: ParentUser\ncondition: sel', events, [0, 4, 5]],
  ]);
});

describe('numeric comparisons', () => {
  const events = [{ N: 5 }, { N: '10' }, { N: 10.5 }, { N: 'x' }, { N: [1, 20] }, {}, { N: '1e2' }, { N: true }];
  run([
    ['gt', 'sel:\n  N|gt: 10\ncondition: sel', events, [2, 4, 6]],
    ['gte', 'sel:\n  N|gte: 10\ncondition: sel', events, [1, 2, 4, 6]],
    ['lt', 'sel:\n  N|lt: 10\ncondition: sel', events, [0, 4]],
    ['lte', 'sel:\n  N|lte: 10\ncondition: sel', events, [0, 1, 4]],
    ['a range as two items', 'sel:\n  N|gt: 4\nlow:\n  N|lt: 6\ncondition: sel and low', events, [0, 4]],
  ]);
});

describe('time parts', () => {
  const events = [
    { T: '2024-12-30T03:15:00Z' }, // Monday, ISO week 1 of 2025
    { T: '2021-01-03T23:59:59+02:00' }, // Sunday, ISO week 53 of 2020
    { T: '2024-02-29 12:00:00' }, // leap day, week 9
    { T: '2023-02-29T12:00:00Z' }, // not a date
    { T: 'yesterday' },
    { T: '2024-06-15' }, // no time
  ];
  run([
    ['hour', 'sel:\n  T|hour: 3\ncondition: sel', events, [0]],
    ['minute', 'sel:\n  T|minute: 59\ncondition: sel', events, [1]],
    ['day', 'sel:\n  T|day: 29\ncondition: sel', events, [2]],
    ['month', 'sel:\n  T|month: 12\ncondition: sel', events, [0]],
    ['year', 'sel:\n  T|year: 2024\ncondition: sel', events, [0, 2, 5]],
    ['week 1 at the end of December', 'sel:\n  T|week: 1\ncondition: sel', events, [0]],
    ['week 53 at the start of January', 'sel:\n  T|week: 53\ncondition: sel', events, [1]],
    ['leap-day week', 'sel:\n  T|week: 9\ncondition: sel', events, [2]],
    ['hour with a comparison (no time: no hour)', 'sel:\n  T|hour|gte: 12\ncondition: sel', events, [1, 2]],
    ['year with a comparison', 'sel:\n  T|lt|year: 2024\ncondition: sel', events, [1]],
  ]);
});

describe('cidr and regex', () => {
  run([
    ['cidr', 'sel:\n  Ip|cidr:\n    - 10.0.0.0/8\n    - fe80::/10\ncondition: sel',
      [{ Ip: '10.1.2.3' }, { Ip: '11.0.0.1' }, { Ip: 'FE80::1%3' }, { Ip: 'x' }, { Ip: ['1.1.1.1', '10.0.0.1'] }, {}], [0, 2, 4]],
    ['regex: unanchored search, case-sensitive', "sel:\n  C|re: 'who(ami)?'\ncondition: sel", [{ C: 'x whoami y' }, { C: 'WHO' }, { C: 'wh' }], [0]],
    ['regex |i', "sel:\n  C|re|i: 'who'\ncondition: sel", [{ C: 'WHO' }, { C: 'x' }], [0]],
    ['regex leading (?i)', "sel:\n  C|re: '(?i)who'\ncondition: sel", [{ C: 'WHO' }, { C: 'x' }], [0]],
    ['regex anchors', "sel:\n  C|re: '^a.*z$'\ncondition: sel", [{ C: 'abcz' }, { C: 'xabcz' }, { C: 'abczx' }], [0]],
    ['regex on a number leaf', "sel:\n  N|re: '^46\\d\\d$'\ncondition: sel", [{ N: 4688 }, { N: '4688' }, { N: 46888 }], [0, 1]],
    ['regex startswith', "sel:\n  C|re|startswith: '(?i)b'\ncondition: sel", [{ C: 'Bx' }, { C: 'xB' }], [0]],
    ['regex endswith', "sel:\n  C|re|endswith: 'b'\ncondition: sel", [{ C: 'xb' }, { C: 'bx' }], [0]],
  ]);
});

describe('neq negates the whole item', () => {
  run([
    ['neq', 'sel:\n  F|neq: x\ncondition: sel', [{ F: 'x' }, { F: 'X' }, { F: 'y' }, {}], [2, 3]],
    ['neq over a list: not (a or b)', 'sel:\n  F|neq: [a, b]\ncondition: sel', [{ F: 'a' }, { F: 'b' }, { F: 'c' }], [2]],
    ['neq with contains', 'sel:\n  F|contains|neq: a\ncondition: sel', [{ F: 'xax' }, { F: 'xyz' }], [1]],
    ['neq with an array value: no element may match', 'sel:\n  F|neq: a\ncondition: sel', [{ F: ['a', 'b'] }, { F: ['b', 'c'] }], [1]],
  ]);
});

describe('encodings and expansions', () => {
  run([
    ['base64offset|contains finds the value at every offset', 'sel:\n  C|base64offset|contains: foobar\ncondition: sel',
      [{ C: b64('foobar') }, { C: b64('xfoobar!') }, { C: b64('xyfoobar') }, { C: b64('foobaz') }], [0, 1, 2]],
    ['base64|contains', 'sel:\n  C|base64|contains: whoami\ncondition: sel', [{ C: `x ${b64('whoami')} y` }, { C: 'whoami' }], [0]],
    ['contains|windash: every dash variant', "sel:\n  C|contains|windash: ' -enc '\ncondition: sel",
      [{ C: 'p -enc x' }, { C: 'p /enc x' }, { C: 'p \u2013enc x' }, { C: 'p \u2014enc x' }, { C: 'p \u2015enc x' }, { C: 'p enc x' }], [0, 1, 2, 3, 4]],
    ['contains|all|windash: values AND-ed, variants OR-ed', "sel:\n  C|contains|all|windash:\n    - ' -a'\n    - ' -b'\ncondition: sel",
      [{ C: 'x /a /b' }, { C: 'x -a' }, { C: 'x \u2013b -a' }], [0, 2]],
    ['expand: placeholder values OR-ed', "sel:\n  User|expand: '%admins%'\ncondition: sel", [{ User: 'alice' }, { User: 'BOB' }, { User: 'eve' }], [0, 1], { placeholders: { admins: ['alice', 'bob'] } }],
    ['expand under all stays OR-ed', "sel:\n  C|contains|all|expand:\n    - '%tool%'\n    - run\ncondition: sel",
      [{ C: 'psexec run' }, { C: 'paexec run' }, { C: 'psexec paexec' }], [0, 1], { placeholders: { tool: ['psexec', 'paexec'] } }],
  ]);
});

describe('conditions', () => {
  const events = [{ A: 1 }, { B: 1 }, { A: 1, B: 1 }, { C: 1 }, {}];
  const body = (condition: string) => `sel_a:\n  A: 1\nsel_b:\n  B: 1\nfilter:\n  C: 1\ncondition: ${condition}`;
  run([
    ['1 of', body('1 of sel_*'), events, [0, 1, 2]],
    ['all of', body('all of sel_*'), events, [2]],
    ['1 of them', body('1 of them'), events, [0, 1, 2, 3]],
    ['all of them', body('all of them'), events, []],
    ['not', body('not 1 of them'), events, [4]],
    ['and, or and parentheses', body('(sel_a or sel_b) and not filter'), events, [0, 1, 2]],
    ['precedence: and before or', body('sel_a or sel_b and filter'), events, [0, 2]],
    ['a condition list is OR-ed', 'sel_a:\n  A: 1\nsel_b:\n  B: 1\ncondition:\n  - sel_a\n  - sel_b', events, [0, 1, 2]],
  ]);
});

describe('evtx-shaped events', () => {
  const event = {
    Event: {
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } },
        EventID: { '#text': 4688, '#attributes': { Qualifiers: '' } },
        Channel: 'Security',
        Computer: 'SYS-HOST',
      },
      EventData: { NewProcessName: 'C:\\Windows\\System32\\cmd.exe', Computer: 'data-host', SubjectUserName: { '#text': 'bob' } },
      UserData: { Extra: { Note: 'from userdata', SubjectUserName: 'shadowed-user' } },
    },
  };
  run([
    ['System fields', 'sel:\n  EventID: 4688\n  Channel: Security\n  Provider_Name: Microsoft-Windows-Security-Auditing\ncondition: sel', [event], [0]],
    ['EventData fields', 'sel:\n  NewProcessName|endswith: \\cmd.exe\ncondition: sel', [event], [0]],
    ['#text members', 'sel:\n  SubjectUserName: bob\ncondition: sel', [event], [0]],
    ['System wins over EventData', 'sel:\n  Computer: data-host\ncondition: sel', [event], []],
    ['UserData fields', 'sel:\n  Note: from userdata\ncondition: sel', [event], [0]],
    ['keywords see shadowed values', 'keywords:\n  - data-host\n  - shadowed-user\ncondition: keywords', [event], [0]],
    ['keywords see attribute values', 'keywords:\n  - security-auditing\ncondition: keywords', [event], [0]],
    ['keyword |all across tiers', "keywords:\n  '|all': [data-host, sys-host]\ncondition: keywords", [event], [0]],
    ['the Event wrapper is not a field', 'sel:\n  Event.System.Channel: Security\ncondition: sel', [event], []],
    ['evtx: false reads the event as it is', 'sel:\n  Event.System.Channel: Security\ncondition: sel', [event], [0], { evtx: false }],
    ['an event with more than the Event key is flat', 'sel:\n  Event.System.Channel: Security\ncondition: sel', [{ ...event, x: 1 }], [0]],
  ]);
});

describe('ReferenceEvaluator API', () => {
  const set = loadRulesFromText([
    ruleText('sel:\n  A: 1\nother:\n  B: 1\ncondition: sel or other', 'First'),
    ruleText('sel:\n  A: 1\ncondition: not sel', 'Second'),
  ]);
  const evaluator = new ReferenceEvaluator(set.rules);
  test('match lists matching rules in order with the true identifiers', () => {
    expect(evaluator.match({ A: 1, B: 1 }).map((m) => [m.index, m.rule.title, m.detections])).toEqual([[0, 'First', ['sel', 'other']]]);
    expect(evaluator.match({ B: 1 }).map((m) => [m.index, m.detections])).toEqual([[0, ['other']], [1, []]]);
  });
  test('matches takes an event or a view', () => {
    const view = evaluator.view({ A: 1 });
    expect(view).toBeInstanceOf(EventView);
    expect([evaluator.matches(0, view), evaluator.matches(1, view)]).toEqual([true, false]);
    expect(evaluator.matches(1, {})).toBe(true);
  });
  test('a condition naming an undefined identifier is a construction error', () => {
    const rule = loadOne(ruleText('sel:\n  A: 1\ncondition: sel'));
    expect(() => new ReferenceEvaluator([{ ...rule, condition: { kind: 'ref', name: 'nope' } }])).toThrow(/undefined identifier "nope"/);
  });
});
