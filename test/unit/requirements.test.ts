/**
 * The prefilter's analysis (src/compiler/requirements.ts through compileRules): which atoms each rule's requirement
 * holds. The engine tests prove the VM honours them; these pin down the choices themselves.
 */
import { describe, expect, test } from 'vitest';
import { compileRules, type CompiledRuleSet } from '../../src/compiler/compile.js';
import * as F from '../../src/compiler/format.js';
import { rawKeywordText } from '../../src/compiler/prefilter.js';
import type { Atom } from '../../src/compiler/requirements.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import { resolvePipelines } from '../../src/pipeline/resolve.js';
import { loadRulesFromText } from '../../src/rule/load.js';

const decoder = new TextDecoder();

function compile(text: string, pipelines: string[] = []): CompiledRuleSet {
  let rules = loadRulesFromText(text).rules;
  if (pipelines.length > 0) rules = applyPipelines(rules, resolvePipelines(pipelines).pipelines).rules;
  return compileRules(rules);
}

const atomText = (compiled: CompiledRuleSet) => (a: Atom): string => `${a.kind}:${compiled.fields[a.slot] ?? 'keywords'}=${decoder.decode(a.text)}`;

/** Each rule's requirement as sets of `kind:field=text`. */
function requirements(text: string, pipelines: string[] = []): string[][][] {
  const compiled = compile(text, pipelines);
  return compiled.requirements.map((req) => req.map((set) => set.map(atomText(compiled)).sort()));
}

/** Each rule's gate as `kind:field=text` atoms (null: none). */
function gates(text: string, pipelines: string[] = []): (string[] | null)[] {
  const compiled = compile(text, pipelines);
  return compiled.gates.map((g) => (g ? g.map(atomText(compiled)).sort() : null));
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

describe('routing conditions make gates, not requirement sets', () => {
  const PROCESS = '{category: process_creation, product: windows}';

  /** The sysmon pipeline routes on the channel and EventID 1: either makes the gate. */
  const SYSMON_ROUTES = [['exact:EventID=1'], ['exact:Channel=microsoft-windows-sysmon/operational']];

  test("the rule's own atoms are its sets; a routing condition of the pipeline is its gate", () => {
    const text = rule("  sel:\n    Image|endswith: '\\evil.exe'\n    CommandLine|contains: 'steal'\n  condition: sel", PROCESS);
    expect(requirements(text, ['sysmon'])[0]).toEqual([['literal:Image=\\evil.exe'], ['literal:CommandLine=steal']]);
    expect(SYSMON_ROUTES).toContainEqual(gates(text, ['sysmon'])[0]);
  });

  test('a rule with nothing of its own has no sets, only its gate', () => {
    const text = rule('  sel:\n    Image|contains: "~"\n  condition: sel', PROCESS);
    expect(requirements(text, ['sysmon'])[0]).toEqual([]);
    expect(SYSMON_ROUTES).toContainEqual(gates(text, ['sysmon'])[0]);
  });

  test('the routing conditions of an own field test are not requirement sets either', () => {
    const text = rule("  sel:\n    EventID: 1\n    CommandLine|contains: 'steal'\n  condition: sel", PROCESS);
    expect(requirements(text, ['sysmon'])[0]).toEqual([['literal:CommandLine=steal']]);
  });

  test('an alternative source (4688 for process_creation) joins the gate', () => {
    const text = rule("  sel:\n    CommandLine|contains: 'steal'\n  condition: sel", PROCESS);
    expect([
      ['exact:EventID=1', 'exact:EventID=4688'],
      ['exact:Channel=microsoft-windows-sysmon/operational', 'exact:Channel=security'],
    ]).toContainEqual(gates(text, ['sysmon', 'windows'])[0]);
    // The windows pipeline alone leaves the first form unrouted: no gate.
    expect(gates(text, ['windows'])[0]).toBeNull();
  });

  test('rules of one source share one gate; rules without a pipeline have none', () => {
    const text = [1, 2, 3].map((i) => rule(`  sel:\n    CommandLine|contains: 'steal${i}'\n  condition: sel`, PROCESS)).join('---\n');
    const compiled = compile(text, ['sysmon']);
    expect(compiled.stats.prefilter.gates).toBe(1);
    expect(compiled.stats.prefilter.gatedRules).toBe(3);
    expect(gates(text)).toEqual([null, null, null]);
  });

  test('non-ASCII literals are chosen before the source even when there are many of them', () => {
    const emoji = ['☝', '✌', '⚡', '♥', '⭐'].map((e) => `'${e}'`).join(', ');
    const req = requirements(rule(`  sel:\n    CommandLine|contains: [${emoji}]\n  condition: sel`, '{category: process_creation, product: windows}'), ['sysmon']);
    expect(req[0][0]).toHaveLength(5);
    expect(req[0][0].every((a) => a.startsWith('literal:CommandLine='))).toBe(true);
  });
});

describe('raw keyword text', () => {
  const raw = (text: string): string | null => {
    const r = rawKeywordText(new TextEncoder().encode(text));
    return r === null ? null : decoder.decode(r);
  };

  test('is the JSON-escaped atom with bit 0x20 set in every byte', () => {
    expect(raw('mimikatz')).toBe('mimikatz');
    // `\` is written `\\` and `"` is written `\"` in raw JSON; 0x20 maps the backslash to `|`.
    expect(raw('\\evil')).toBe('||evil');
    expect(raw('say "hi"')).toBe('say |"hi|"');
    expect(raw('a_b-c')).toBe('a\x7fb-c');
  });

  test('is null where raw bytes could miss the atom', () => {
    expect(raw('a')).toBeNull(); // one byte: every position would be a candidate
    expect(raw('4688')).toBeNull(); // a number's text may be spelled otherwise in JSON (4.688e3)
    expect(raw('1e+21')).toBeNull();
    expect(raw('café')).toBeNull(); // non-ASCII
    expect(raw('tab\there')).toBeNull(); // a control character is always escaped
  });
});

describe('predicate stamps', () => {
  /** Each predicate of the program as `op:stamped`, ops by name (literal sets by their kind). */
  function stamps(text: string): string[] {
    const compiled = compile(text);
    const words = new Uint32Array(compiled.program.buffer, compiled.program.byteOffset, compiled.program.byteLength >> 2);
    const section = (s: number): number => words[F.H_SECTIONS + 2 * s] >> 2;
    const predicates = section(F.SECTION_PREDICATES);
    const constants = compiled.program.byteOffset + words[F.H_SECTIONS + 2 * F.SECTION_CONSTANTS];
    const ops: Record<number, string> = { [F.P_EQUALS]: 'equals', [F.P_PREFIX]: 'prefix', [F.P_SUFFIX]: 'suffix', [F.P_CONTAINS]: 'contains', [F.P_REGEX]: 'regex', [F.P_GLOB]: 'glob' };
    const setKinds = ['', 'equals', 'prefix', 'suffix', 'contains'];
    const out: string[] = [];
    // The explain table's own predicates (provenance) come last and are never stamped.
    for (let p = 0; p < words[F.H_PREDICATE_COUNT] - compiled.stats.explainPredicates; p++) {
      const rec = predicates + p * F.PREDICATE_WORDS;
      const head = words[rec];
      const op = head & 0xff;
      const kind = op === F.P_LITERAL_SET ? `set-${setKinds[new DataView(compiled.program.buffer).getUint32(constants + words[rec + 2], true)]}` : ops[op] ?? String(op);
      out.push(`${kind}:${((head >>> 8) & F.PF_PREFILTERED) !== 0 ? 'stamped' : 'evaluated'}`);
    }
    for (let p = words[F.H_PREDICATE_COUNT] - compiled.stats.explainPredicates; p < words[F.H_PREDICATE_COUNT]; p++) {
      expect((words[predicates + p * F.PREDICATE_WORDS] >>> 8) & F.PF_PREFILTERED, 'an explain-only predicate is never stamped').toBe(0);
    }
    return out.sort();
  }

  test('tests that scan a value or the leaves are stamped; whole-value tests on fields are evaluated', () => {
    const text = rule(`  sel:
    Image|endswith: '\\\\evil.exe'
    CommandLine|contains: 'mimikatz'
    OriginalFileName|startswith: 'evil'
  filter:
    ParentImage: 'C:\\\\tools\\\\x.exe'
    User|endswith: ['alpha', 'bravo', 'charlie', 'delta', 'echo']
    Description|contains: ['one', 'two', 'three', 'four', 'five']
    Product|re: 'ev[i1]l tool'
  keywords:
    - 'whoami'
  condition: (sel or keywords) and not filter`);
    expect(stamps(text)).toEqual([
      'contains:stamped', 'contains:stamped', 'equals:evaluated', 'prefix:evaluated', 'regex:stamped', 'set-contains:stamped', 'set-suffix:evaluated',
      'suffix:evaluated',
    ]);
  });

  test('a keyword whose atom the raw scan cannot look for (a number) is evaluated, and keeps the raw keyword filter', () => {
    const text = `${rule("  keywords:\n    - 'mimikatz'\n  condition: keywords")}---
${rule("  sel:\n    cs-uri-query|contains: 'evil-payload'\n  keywords:\n    '|all':\n      - 200\n      - 'evil-payload'\n      - 'second-marker'\n  condition: sel or keywords")}`;
    // Keyword predicates are contains tests of the leaves: `200` evaluated, the others stamped (the requirement sets
    // hold the two longer keywords).
    expect(stamps(text)).toEqual(['contains:evaluated', 'contains:stamped', 'contains:stamped', 'contains:stamped', 'contains:stamped']);
    const compiled = compile(text);
    const view = new DataView(compiled.program.buffer, compiled.program.byteOffset);
    const section = view.getUint32((F.H_SECTIONS + 2 * F.SECTION_PREFILTER) * 4, true);
    // Header word 10: the raw keyword filter (src/compiler/prefilter.ts); a stamped `200` would leave none.
    expect(view.getUint32(section + 10 * 4, true)).not.toBe(0);
  });

  test('whole-value atoms still make requirement sets', () => {
    expect(requirements(rule("  sel:\n    Image|endswith: '\\\\evil.exe'\n    ParentImage: 'C:\\\\x.exe'\n  condition: sel"))).toEqual([
      [['literal:Image=\\evil.exe'], ['exact:ParentImage=c:\\x.exe']],
    ]);
  });
});
