import type { ConformanceCase, ConformanceGroup } from '../types.js';
import { det, r, yml } from './_helpers.js';

type Code = NonNullable<ConformanceCase['error']>;

/** A case that expects `code` for a rule whose detection body is `body`. */
function bad(name: string, code: Code, spec: string, rule: string): ConformanceCase {
  return { name, spec, rule, error: code };
}

const documentErrors: ConformanceGroup = {
  group: 'errors/documents',
  cases: [
    bad(
      'yaml-unclosed-quote',
      'YAML_SYNTAX',
      'SIGMA.md 1.1: a file is YAML; broken YAML -> YAML_SYNTAX',
      yml`
        title: Broken
        logsource:
          product: windows
        detection:
          selection:
            Image: 'C:\x.exe
          condition: selection
      `,
    ),
    bad(
      'yaml-bad-indentation',
      'YAML_SYNTAX',
      'SIGMA.md 1.1: broken YAML -> YAML_SYNTAX',
      yml`
        title: Broken
        logsource:
          product: windows
        detection:
          selection:
              Image: 'x'
            User: 'y'
          condition: selection
      `,
    ),
    bad(
      'yaml-unclosed-flow-sequence',
      'YAML_SYNTAX',
      'SIGMA.md 1.1: broken YAML -> YAML_SYNTAX',
      yml`
        title: Broken
        logsource:
          product: windows
        detection:
          selection:
            Image: ['a.exe', 'b.exe'
          condition: selection
      `,
    ),
    bad(
      'yaml-duplicate-key',
      'YAML_SYNTAX',
      'YAML requires unique mapping keys; project decision: a duplicate key is a YAML error',
      yml`
        title: Duplicate
        logsource:
          product: windows
        detection:
          selection:
            Image: 'a.exe'
            Image: 'b.exe'
          condition: selection
      `,
    ),
    bad(
      'missing-title',
      'MISSING_KEY',
      'SIGMA.md 1.1: required title',
      yml`
        logsource:
          product: windows
        detection:
          selection:
            Image: 'x'
          condition: selection
      `,
    ),
    bad(
      'missing-logsource',
      'MISSING_KEY',
      'SIGMA.md 1.1: required logsource',
      yml`
        title: No Logsource
        detection:
          selection:
            Image: 'x'
          condition: selection
      `,
    ),
    bad(
      'missing-detection',
      'MISSING_KEY',
      'SIGMA.md 1.1: required detection',
      yml`
        title: No Detection
        logsource:
          product: windows
        condition: selection
      `,
    ),
    bad(
      'missing-condition',
      'MISSING_KEY',
      'SIGMA.md 1.1: detection (with condition)',
      det`
        selection:
          Image: 'x'
      `,
    ),
    bad(
      'nested-map-value',
      'INVALID_DETECTION',
      'SIGMA.md 1.2: a definition is a map, list of maps, list of scalars or scalar; a map value that is a nested map is invalid',
      det`
        selection:
          Image:
            endswith: 'x.exe'
        condition: selection
      `,
    ),
    bad(
      'nested-map-in-list-of-maps',
      'INVALID_DETECTION',
      'SIGMA.md 1.2',
      det`
        selection:
          - Image: 'a.exe'
          - Parent:
              Image: 'b.exe'
        condition: selection
      `,
    ),
    bad(
      'unknown-action',
      'INVALID_ACTION',
      'SIGMA.md 1.1: other actions are errors',
      yml`
        action: frobnicate
        title: Bad Action
        logsource:
          product: windows
        detection:
          selection:
            Image: 'x'
          condition: selection
      `,
    ),
    bad(
      'timeframe-in-detection',
      'UNSUPPORTED_AGGREGATION',
      'SIGMA.md decisions: legacy timeframe -> unsupported, use a correlation rule',
      det`
        selection:
          EventID: 4625
        timeframe: 10m
        condition: selection
      `,
    ),
  ],
};

const modifierErrors: ConformanceGroup = {
  group: 'errors/modifiers',
  cases: [
    bad('unknown-modifier', 'UNKNOWN_MODIFIER', 'SIGMA.md decisions: unknown modifier -> compile error', det`
      selection:
        Image|contain: 'x'
      condition: selection
    `),
    bad('unknown-modifier-after-known', 'UNKNOWN_MODIFIER', 'SIGMA.md 1.6: an unknown modifier is an error', det`
      selection:
        Image|endswith|utf8: 'x'
      condition: selection
    `),
    bad('unknown-modifier-on-keyword', 'UNKNOWN_MODIFIER', 'SIGMA.md 1.6', det`
      keywords:
        '|allof':
          - 'a'
          - 'b'
      condition: keywords
    `),
    bad('re-not-first', 'INVALID_MODIFIER', 'SIGMA.md 1.6 re: must be the first modifier', det`
      selection:
        CommandLine|contains|re: 'a.b'
      condition: selection
    `),
    bad('cidr-not-first', 'INVALID_MODIFIER', 'SIGMA.md 1.6 cidr: must be the first modifier', det`
      selection:
        DestinationIp|contains|cidr: '10.0.0.0/8'
      condition: selection
    `),
    bad('exists-with-other-modifier', 'INVALID_MODIFIER', 'SIGMA.md 1.6 exists: no other modifiers', det`
      selection:
        CommandLine|exists|all: true
      condition: selection
    `),
    bad('exists-after-contains', 'INVALID_MODIFIER', 'SIGMA.md 1.6 exists: no other modifiers', det`
      selection:
        CommandLine|contains|exists: true
      condition: selection
    `),
    bad('i-without-re', 'INVALID_MODIFIER', 'SIGMA.md 1.6: i/m/s are regex flags', det`
      selection:
        CommandLine|contains|i: 'x'
      condition: selection
    `),
    bad('m-without-re', 'INVALID_MODIFIER', 'SIGMA.md 1.6: i/m/s are regex flags', det`
      selection:
        CommandLine|m: 'x'
      condition: selection
    `),
    bad('s-without-re', 'INVALID_MODIFIER', 'SIGMA.md 1.6: i/m/s are regex flags', det`
      selection:
        CommandLine|endswith|s: 'x'
      condition: selection
    `),
    bad('contains-on-number', 'INVALID_VALUE', 'SIGMA.md 1.3: [pySigma] contains on a number is a type error', det`
      selection:
        EventID|contains: 4688
      condition: selection
    `),
    bad('startswith-on-number', 'INVALID_VALUE', 'SIGMA.md 1.3: [pySigma] startswith on a number is a type error', det`
      selection:
        DestinationPort|startswith: 44
      condition: selection
    `),
    bad('endswith-on-number', 'INVALID_VALUE', 'SIGMA.md 1.3: [pySigma] endswith on a number is a type error', det`
      selection:
        DestinationPort|endswith: 43
      condition: selection
    `),
    bad('base64-on-number', 'INVALID_VALUE', 'SIGMA.md 1.3: [pySigma] base64 on a number is a type error', det`
      selection:
        Data|base64: 1234
      condition: selection
    `),
    bad('windash-on-number', 'INVALID_VALUE', 'project decision: windash on a number -> INVALID_VALUE', det`
      selection:
        Data|windash: 5
      condition: selection
    `),
    bad('base64-with-wildcard', 'INVALID_VALUE', 'SIGMA.md 1.6 base64: the value must not contain wildcards', det`
      selection:
        Data|base64|contains: 'cmd*'
      condition: selection
    `),
    bad('base64offset-with-question-mark', 'INVALID_VALUE', 'SIGMA.md 1.6 base64offset: no wildcards', det`
      selection:
        Data|base64offset|contains: 'who?mi'
      condition: selection
    `),
    bad('fieldref-with-wildcard', 'INVALID_VALUE', 'SIGMA.md 1.4/1.6: wildcards in fieldref values are an error', det`
      selection:
        User|fieldref: 'Parent*'
      condition: selection
    `),
    bad('exists-with-string', 'INVALID_VALUE', 'SIGMA.md 1.6 exists: the value must be a boolean', det`
      selection:
        CommandLine|exists: 'yes'
      condition: selection
    `),
    bad('exists-with-quoted-true', 'INVALID_VALUE', "SIGMA.md 1.6 exists: the value must be a boolean ('true' in quotes is a string)", det`
      selection:
        CommandLine|exists: 'true'
      condition: selection
    `),
    bad('exists-with-number', 'INVALID_VALUE', 'SIGMA.md 1.6 exists: the value must be a boolean', det`
      selection:
        CommandLine|exists: 1
      condition: selection
    `),
    bad('gt-with-string', 'INVALID_VALUE', 'SIGMA.md 1.6 gt..lte: the value must be a number', det`
      selection:
        Count|gt: 'many'
      condition: selection
    `),
    bad('lte-with-quoted-number', 'INVALID_VALUE', 'SIGMA.md 1.6 gt..lte: the value must be a number (a quoted 5 is a string)', det`
      selection:
        Count|lte: '5'
      condition: selection
    `),
    bad('hour-with-string', 'INVALID_VALUE', 'SIGMA.md 1.6 time parts compare numerically; project decision: non-number -> INVALID_VALUE', det`
      selection:
        Timestamp|hour: 'noon'
      condition: selection
    `),
    bad('regex-unbalanced-parenthesis', 'INVALID_REGEX', 'SIGMA.md 1.6 re; bad regex -> INVALID_REGEX', det`
      selection:
        CommandLine|re: '(abc'
      condition: selection
    `),
    bad('regex-bad-range', 'INVALID_REGEX', 'SIGMA.md 1.6 re', det`
      selection:
        CommandLine|re: '[z-a]'
      condition: selection
    `),
    bad('regex-nothing-to-repeat', 'INVALID_REGEX', 'SIGMA.md 1.6 re', det`
      selection:
        CommandLine|re: '*abc'
      condition: selection
    `),
    bad('regex-lookahead', 'INVALID_REGEX', 'SIGMA.md 1.7: no lookaround; project decision: lookaround is INVALID_REGEX', det`
      selection:
        CommandLine|re: 'foo(?=bar)'
      condition: selection
    `),
    bad('regex-negative-lookbehind', 'INVALID_REGEX', 'SIGMA.md 1.7; project decision: lookaround is INVALID_REGEX', det`
      selection:
        CommandLine|re: '(?<!x)foo'
      condition: selection
    `),
    bad('regex-backreference', 'INVALID_REGEX', 'SIGMA.md 1.7; project decision: backreferences are INVALID_REGEX', det`
      selection:
        CommandLine|re: '(a)\1'
      condition: selection
    `),
    bad('cidr-prefix-too-long', 'INVALID_CIDR', 'SIGMA.md 1.6 cidr; bad network -> INVALID_CIDR', det`
      selection:
        Ip|cidr: '10.0.0.0/33'
      condition: selection
    `),
    bad('cidr-bad-octet', 'INVALID_CIDR', 'SIGMA.md 1.6 cidr', det`
      selection:
        Ip|cidr: '300.1.1.0/24'
      condition: selection
    `),
    bad('cidr-ipv6-prefix-too-long', 'INVALID_CIDR', 'SIGMA.md 1.6 cidr', det`
      selection:
        Ip|cidr: 'fe80::/129'
      condition: selection
    `),
    bad('cidr-not-a-network', 'INVALID_CIDR', 'SIGMA.md 1.6 cidr', det`
      selection:
        Ip|cidr: 'intranet'
      condition: selection
    `),
    bad('unresolved-placeholder', 'UNRESOLVED_PLACEHOLDER', 'SIGMA.md decisions: an unresolved placeholder is a compile error', det`
      selection:
        Image|expand: '%nowhere%\x.exe'
      condition: selection
    `),
    {
      name: 'unresolved-placeholder-with-other-placeholders-given',
      spec: 'SIGMA.md decisions: expand placeholders resolved from user-supplied values',
      options: { placeholders: { somewhere: [r`C:\x`] } },
      rule: det`
        selection:
          Image|contains|expand: '%elsewhere%'
        condition: selection
      `,
      error: 'UNRESOLVED_PLACEHOLDER',
    },
  ],
};

const conditionErrors: ConformanceGroup = {
  group: 'errors/conditions',
  cases: [
    bad('two-of-is-not-a-quantifier', 'CONDITION_SYNTAX', 'SIGMA.md 1.5: only 1, any and all; there is no 2 of', det`
      sel1:
        A: 'x'
      sel2:
        B: 'x'
      condition: 2 of sel*
    `),
    bad('upper-case-and', 'CONDITION_SYNTAX', 'SIGMA.md 1.5: operators are lower-case only', det`
      sel1:
        A: 'x'
      sel2:
        B: 'x'
      condition: sel1 AND sel2
    `),
    bad('upper-case-not', 'CONDITION_SYNTAX', 'SIGMA.md 1.5: operators are lower-case only', det`
      sel1:
        A: 'x'
      sel2:
        B: 'x'
      condition: sel1 and NOT sel2
    `),
    bad('unbalanced-open-parenthesis', 'CONDITION_SYNTAX', 'SIGMA.md 1.5 grammar', det`
      sel1:
        A: 'x'
      sel2:
        B: 'x'
      condition: (sel1 or sel2
    `),
    bad('unbalanced-close-parenthesis', 'CONDITION_SYNTAX', 'SIGMA.md 1.5 grammar', det`
      sel1:
        A: 'x'
      sel2:
        B: 'x'
      condition: sel1 or sel2)
    `),
    bad('dangling-and', 'CONDITION_SYNTAX', 'SIGMA.md 1.5 grammar', det`
      sel1:
        A: 'x'
      condition: sel1 and
    `),
    bad('lone-not', 'CONDITION_SYNTAX', 'SIGMA.md 1.5 grammar', det`
      sel1:
        A: 'x'
      condition: not
    `),
    bad('two-identifiers-without-operator', 'CONDITION_SYNTAX', 'SIGMA.md 1.5 grammar', det`
      sel1:
        A: 'x'
      sel2:
        B: 'x'
      condition: sel1 sel2
    `),
    bad('double-operator', 'CONDITION_SYNTAX', 'SIGMA.md 1.5 grammar', det`
      sel1:
        A: 'x'
      sel2:
        B: 'x'
      condition: sel1 or or sel2
    `),
    bad('of-without-pattern', 'CONDITION_SYNTAX', 'SIGMA.md 1.5: selector := quantifier of (PATTERN | them)', det`
      sel1:
        A: 'x'
      condition: 1 of
    `),
    bad('empty-parentheses', 'CONDITION_SYNTAX', 'SIGMA.md 1.5 grammar', det`
      sel1:
        A: 'x'
      condition: sel1 and ()
    `),
    bad('undefined-identifier', 'UNKNOWN_IDENTIFIER', 'project decision: a condition naming an undefined identifier', det`
      selection:
        A: 'x'
      condition: selection and not filter
    `),
    bad('identifier-case-mismatch', 'UNKNOWN_IDENTIFIER', 'SIGMA.md 1.2: identifiers are opaque (exact) strings', det`
      selection:
        A: 'x'
      condition: Selection
    `),
    bad('one-of-pattern-matching-nothing', 'EMPTY_SELECTOR', 'SIGMA.md decisions: x of P matching nothing is a compile error', det`
      selection:
        A: 'x'
      condition: selection and not 1 of filter_*
    `),
    bad('all-of-pattern-matching-only-underscore-names', 'EMPTY_SELECTOR', 'SIGMA.md 1.5: _ names excluded unless P starts with _', det`
      selection:
        A: 'x'
      _filter_a:
        B: 'x'
      condition: selection and not all of *filter*
    `),
    bad('them-with-only-underscore-names', 'EMPTY_SELECTOR', 'SIGMA.md 1.5: them means every name not starting with _', det`
      _a:
        A: 'x'
      _b:
        B: 'x'
      condition: 1 of them
    `),
    bad('count-aggregation', 'UNSUPPORTED_AGGREGATION', 'SIGMA.md 1.5: a | in a condition is the legacy aggregation syntax', det`
      selection:
        EventID: 4625
      condition: selection | count() > 5
    `),
    bad('count-by-aggregation', 'UNSUPPORTED_AGGREGATION', 'SIGMA.md decisions: legacy | count() aggregation -> unsupported', det`
      selection:
        EventID: 4625
      condition: selection | count(TargetUserName) by IpAddress > 10
    `),
  ],
};

// A bad rule must not prevent the other rules of the same file from loading (ARCHITECTURE.md principle 9).
const isolation: ConformanceGroup = {
  group: 'errors/isolation',
  cases: [
    {
      name: 'bad-rule-next-to-good-rule',
      spec: 'SIGMA.md decisions: an error is reported for that rule; the rest of the set still loads',
      rule:
        yml`
          title: Bad Regex Rule
          logsource:
            product: windows
          detection:
            selection:
              CommandLine|re: '(unclosed'
            condition: selection
        ` +
        '---\n' +
        yml`
          title: Good Rule
          logsource:
            product: windows
          detection:
            selection:
              CommandLine|contains: 'unclosed'
            condition: selection
        `,
      error: 'INVALID_REGEX',
      events: [{ CommandLine: 'an (unclosed bracket' }, { CommandLine: 'closed' }],
      matchesByRule: { 'Good Rule': [0] },
    },
    {
      name: 'unresolved-placeholder-next-to-good-rule',
      spec: 'SIGMA.md decisions: unresolved placeholder is an error for that rule; the rest still loads',
      rule:
        yml`
          title: Needs Placeholder
          logsource:
            product: windows
          detection:
            selection:
              Image|expand: '%missing%'
            condition: selection
        ` +
        '---\n' +
        yml`
          title: Independent Rule
          logsource:
            product: windows
          detection:
            selection:
              Image|endswith: '\x.exe'
            condition: selection
        `,
      error: 'UNRESOLVED_PLACEHOLDER',
      events: [{ Image: r`C:\x.exe` }, { Image: r`C:\y.exe` }],
      matchesByRule: { 'Independent Rule': [0] },
    },
    {
      name: 'aggregation-next-to-good-rule',
      spec: 'SIGMA.md decisions: legacy count() is an error for that rule; the rest still loads',
      rule:
        yml`
          title: Legacy Count
          logsource:
            product: windows
          detection:
            selection:
              EventID: 4625
            condition: selection | count() > 5
        ` +
        '---\n' +
        yml`
          title: Plain Failed Logon
          logsource:
            product: windows
          detection:
            selection:
              EventID: 4625
            condition: selection
        `,
      error: 'UNSUPPORTED_AGGREGATION',
      events: [{ EventID: 4625 }, { EventID: 4624 }],
      matchesByRule: { 'Plain Failed Logon': [0] },
    },
  ],
};

export const groups: ConformanceGroup[] = [documentErrors, modifierErrors, conditionErrors, isolation];
