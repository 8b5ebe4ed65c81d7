/**
 * The prefilter's analysis (src/compiler/requirements.ts through compileRules): which atoms each rule's requirement
 * holds. The engine tests prove the VM honours them; these pin down the choices themselves.
 */
import { describe, expect, test } from 'vitest';
import { compileRules } from '../../src/compiler/compile.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import { resolvePipelines } from '../../src/pipeline/resolve.js';
import { loadRulesFromText } from '../../src/rule/load.js';

const decoder = new TextDecoder();

/** Each rule's requirement as sets of `kind:field=text`. */
function requirements(text: string, pipelines: string[] = []): string[][][] {
  let rules = loadRulesFromText(text).rules;
  if (pipelines.length > 0) rules = applyPipelines(rules, resolvePipelines(pipelines).pipelines).rules;
  const compiled = compileRules(rules);
  return compiled.requirements.map((req) =>
    req.map((set) => set.map((a) => `${a.kind}:${compiled.fields[a.slot] ?? 'keywords'}=${decoder.decode(a.text)}`).sort()),
  );
}

const rule = (detection: string, logsource = '{product: test}'): string => `title: T
logsource: ${logsource}
detection:
${detection}
`;

describe('atoms', () => {
  test('short prefixes and suffixes are affix atoms; longer ones are literals', () => {
    expect(requirements(rule('  sel:\n    Image|endswith: /rm\n  condition: sel'))).toEqual([[['suffix:Image=/rm']]]);
    expect(requirements(rule("  sel:\n    Image|startswith: 'C:'\n  condition: sel"))).toEqual([[['prefix:Image=c:']]]);
    expect(requirements(rule('  sel:\n    Image|endswith: \\cmd.exe\n  condition: sel'))).toEqual([[['literal:Image=\\cmd.exe']]]);
    expect(requirements(rule('  sel:\n    Image|endswith: [/ps, /id, /w]\n  condition: sel'))).toEqual([[['suffix:Image=/id', 'suffix:Image=/ps', 'suffix:Image=/w']]]);
  });

  test('contains needs two bytes or more; a one-byte literal leaves the rule without a requirement', () => {
    expect(requirements(rule("  sel:\n    Image|contains: '~1'\n  condition: sel"))).toEqual([[['literal:Image=~1']]]);
    expect(requirements(rule("  sel:\n    Image|contains: '~'\n  condition: sel"))).toEqual([[]]);
    // One member without an atom: the set as a whole has none.
    expect(requirements(rule("  sel:\n    CommandLine|contains: ['^', 'mimikatz', 'sekurlsa']\n  condition: sel"))).toEqual([[]]);
  });

  test('keyword literals are atoms of the keyword slot, whatever characters they hold', () => {
    expect(requirements(rule("  keywords:\n    - 'cd /tmp'\n    - '4688'\n  condition: keywords"))).toEqual([[['literal:keywords=4688', 'literal:keywords=cd /tmp']]]);
  });

  test('a field atom is preferred to a keyword atom', () => {
    const req = requirements(rule("  sel:\n    EventID: 4104\n  keywords:\n    - 'mimikatz'\n  condition: sel and keywords"));
    expect(req[0][0]).toEqual(['exact:EventID=4104']);
  });
});

describe('routing conditions', () => {
  test("the rule's own atoms are chosen before the pipeline's EventID and channel", () => {
    const req = requirements(
      rule("  sel:\n    Image|endswith: '\\evil.exe'\n    CommandLine|contains: 'steal'\n  condition: sel", '{category: process_creation, product: windows}'),
      ['sysmon'],
    );
    expect(req[0]).toEqual([['literal:Image=\\evil.exe'], ['literal:CommandLine=steal']]);
  });

  test('a rule with nothing of its own still requires its source', () => {
    const req = requirements(rule('  sel:\n    Image|contains: "~"\n  condition: sel', '{category: process_creation, product: windows}'), ['sysmon']);
    expect(req[0].flat().some((a) => a.startsWith('exact:EventID='))).toBe(true);
  });

  test('non-ASCII literals are chosen before the source even when there are many of them', () => {
    const emoji = ['☝', '✌', '⚡', '♥', '⭐'].map((e) => `'${e}'`).join(', ');
    const req = requirements(rule(`  sel:\n    CommandLine|contains: [${emoji}]\n  condition: sel`, '{category: process_creation, product: windows}'), ['sysmon']);
    expect(req[0][0]).toHaveLength(5);
    expect(req[0][0].every((a) => a.startsWith('literal:CommandLine='))).toBe(true);
  });
});
