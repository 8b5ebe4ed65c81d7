/** validate's lints (src/rule/lint): a table of rule texts and the codes they must give, with levels and places. */
import { describe, expect, test } from 'vitest';
import { loadRulesFromText } from '../../src/rule/load.js';
import { Linter, LINTS, type LintCode, type LintFinding } from '../../src/rule/lint/index.js';

const BASE = `title: Base Rule
id: 9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d
status: test
description: Detects a thing.
references:
  - https://example.org/a
date: 2024-01-02
modified: 2024-03-04
level: high
tags:
  - attack.execution
  - attack.stealth
  - attack.t1059.001
  - attack.g0007
  - cve.2021-44228
  - tlp.amber
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\x.exe'
  condition: selection
falsepositives:
  - Admin scripts
simulation: a custom attribute
`;

function lint(texts: Parameters<typeof loadRulesFromText>[0], ignore: LintCode[] = []): LintFinding[] {
  const linter = new Linter(new Set(ignore));
  const set = loadRulesFromText(texts, { inspect: linter.inspect });
  expect(set.errors.map((e) => e.format())).toEqual([]);
  return linter.results();
}

const edit = (from: string, to: string) => (text: string) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

const CASES: [string, (text: string) => string, LintCode[]][] = [
  ['a clean rule', (t) => t, []],
  ['level hihg', edit('level: high', 'level: hihg'), ['INVALID_LEVEL']],
  ['status stabel', edit('status: test', 'status: stabel'), ['INVALID_STATUS']],
  ['no id', edit('id: 9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d\n', ''), ['MISSING_ID']],
  ['an id that is no UUID', edit('id: 9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', 'id: rule-42'), ['INVALID_ID']],
  ['YYYY/MM/DD', edit('date: 2024-01-02', 'date: 2024/01/02'), ['LEGACY_DATE']],
  ['February 30th', edit('date: 2024-01-02', 'date: 2024-02-30'), ['INVALID_DATE']],
  ['a date that is no date', edit('modified: 2024-03-04', 'modified: last week'), ['INVALID_DATE']],
  ['modified before date', edit('modified: 2024-03-04', 'modified: 2023-12-31'), ['MODIFIED_BEFORE_DATE']],
  ['no level, no description', (t) => edit('level: high\n', '')(edit('description: Detects a thing.\n', '')(t)), ['MISSING_DESCRIPTION', 'MISSING_LEVEL']],
  ['an upper-case tag', edit('  - attack.execution', '  - attack.Execution'), ['INVALID_TAG']],
  ['a tag without namespace', edit('  - attack.execution', '  - execution'), ['INVALID_TAG']],
  ['an unknown tag namespace', edit('  - attack.execution', '  - atack.execution'), ['UNKNOWN_TAG_NAMESPACE']],
  ['a malformed technique', edit('  - attack.t1059.001', '  - attack.t1059.1'), ['INVALID_ATTACK_TAG']],
  ['a short technique', edit('  - attack.t1059.001', '  - attack.t159'), ['INVALID_ATTACK_TAG']],
  ['a tag twice', edit('  - tlp.amber', '  - tlp.amber\n  - tlp.amber'), ['DUPLICATE_TAG']],
  ['references as one string', edit('references:\n  - https://example.org/a', 'references: https://example.org/a'), ['NOT_A_LIST']],
  ['a reference twice', edit('  - https://example.org/a', '  - https://example.org/a\n  - https://example.org/a'), ['DUPLICATE_REFERENCE']],
  ['a falsepositive that is a number', edit('  - Admin scripts', '  - 42'), ['INVALID_FALSEPOSITIVE']],
  ['an unknown related type', edit('status: test', 'status: test\nrelated:\n  - id: 0b3c5a1e-8f2d-4c6b-9a7e-1d2c3b4a5f60\n    type: derivative'), ['INVALID_RELATED_TYPE']],
  ['a related id that is no UUID', edit('status: test', 'status: test\nrelated:\n  - id: old-rule\n    type: obsolete'), ['INVALID_ID']],
  ['a near-miss key', edit('references:', 'referances:'), ['UNKNOWN_KEY']],
  ['an upper-case key', edit('level: high', 'Level: high'), ['MISSING_LEVEL', 'UNKNOWN_KEY']],
  ['|all with one value', edit("    Image|endswith: '\\x.exe'", "    CommandLine|contains|all: 'x'"), ['SINGLE_VALUE_ALL']],
  ['|all with one listed value', edit("    Image|endswith: '\\x.exe'", "    CommandLine|contains|all:\n      - 'x'"), ['SINGLE_VALUE_ALL']],
  ['keywords |all with one value', edit("  selection:\n    Image|endswith: '\\x.exe'", "  selection:\n    '|all':\n      - 'x'"), ['SINGLE_VALUE_ALL']],
  ['|all with two values', edit("    Image|endswith: '\\x.exe'", "    CommandLine|contains|all:\n      - 'x'\n      - 'y'"), []],
  ['|windash|all with one value', edit("    Image|endswith: '\\x.exe'", "    CommandLine|windash|contains|all: ' -x '"), ['SINGLE_VALUE_ALL']],
  ['an unused identifier', edit('  condition: selection', "  filter:\n    User: admin\n  condition: selection"), ['UNUSED_IDENTIFIER']],
  ['identifiers used through x of', edit('  condition: selection', "  selection_b:\n    User: admin\n  condition: 1 of selection*"), []],
  ['a field name with a space', edit("    Image|endswith: '\\x.exe'", "    Service File Name: 'x'"), ['FIELD_NAME_SPACE']],
  ['a field name with a wildcard', edit("    Image|endswith: '\\x.exe'", "    Image*: 'x'"), ['FIELD_NAME_WILDCARD']],
];

describe('lints', () => {
  test.each(CASES)('%s', (_name, change, codes) => {
    const found = lint(change(BASE));
    expect(found.map((f) => f.code).sort()).toEqual([...codes].sort());
    for (const f of found) expect(f.level).toBe(LINTS[f.code]);
  });

  test('every code has a case in the table, and the levels are error or warning', () => {
    const covered = new Set(CASES.flatMap(([, , codes]) => codes));
    const crossDocument: LintCode[] = ['DUPLICATE_ID', 'DUPLICATE_TITLE'];
    expect(Object.keys(LINTS).filter((c) => !covered.has(c as LintCode) && !crossDocument.includes(c as LintCode))).toEqual([]);
    expect(new Set(Object.values(LINTS))).toEqual(new Set(['error', 'warning']));
  });

  test('findings point at the value at fault, name the rule, and suggest the closest value', () => {
    const [level] = lint(BASE.replace('level: high', 'level: hihg'));
    expect(level).toMatchObject({ code: 'INVALID_LEVEL', level: 'error', line: 9, column: 8, ruleId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', ruleTitle: 'Base Rule' });
    expect(level.message).toBe('unknown level "hihg"; did you mean "high"?');
    const [status] = lint(BASE.replace('status: test', 'status: stabel'));
    expect(status.message).toMatch(/did you mean "stable"\?/);
    const [all] = lint(BASE.replace("    Image|endswith: '\\x.exe'", "    CommandLine|contains|all: 'x'"));
    expect([all.line, all.column]).toEqual([22, 5]);
  });

  test('the same id in two documents (or files) is an error; the same title a warning', () => {
    const other = BASE.replace('description: Detects a thing.', 'description: Detects another thing.');
    const found = lint([{ text: BASE, name: 'a.yml' }, { text: other, name: 'b.yml' }]);
    expect(found.map((f) => [f.code, f.level, f.file, f.line])).toEqual([
      ['DUPLICATE_TITLE', 'warning', 'b.yml', 1],
      ['DUPLICATE_ID', 'error', 'b.yml', 2],
    ]);
    expect(found[1].message).toMatch(/also the id of "Base Rule" \(a\.yml:2\)/);
    const twoDocuments = lint(`${BASE}---\n${other.replace('title: Base Rule', 'title: Other Rule')}`);
    expect(twoDocuments.map((f) => f.code)).toEqual(['DUPLICATE_ID']);
  });

  test('correlations and filters are held to their own keys; --ignore drops codes', () => {
    const correlation = `title: Many Runs
id: 1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b
correlation:
  type: event_count
  rules:
    - 9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d
  group-by:
    - User
  timespan: 5m
  condition:
    gte: 3
`;
    const filter = `title: Ignore Admins
filter:
  rules:
    - 9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d
  selection:
    User: admin
  condition: not selection
logsource:
  product: windows
`;
    expect(lint([BASE, correlation, filter]).map((f) => f.code)).toEqual(['MISSING_DESCRIPTION']);
    expect(lint([BASE, correlation, filter], ['MISSING_DESCRIPTION'])).toEqual([]);
  });
});
