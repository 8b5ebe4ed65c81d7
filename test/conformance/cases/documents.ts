import type { ConformanceGroup } from '../types.js';
import { r, yml } from './_helpers.js';

// ---------------------------------------------------------------------------------------------------------------
// Filters (SIGMA.md 1.11): applied as (rule condition) and (filter condition) to listed rules whose logsource the
// filter's logsource contains.

const WHOAMI_RULE = yml`
  title: Whoami Execution
  id: 6b1a7d2e-3c4f-4e5a-9b8c-1d2e3f4a5b6c
  name: whoami_execution
  logsource:
    category: process_creation
    product: windows
  detection:
    selection:
      Image|endswith: '\whoami.exe'
    condition: selection
`;

const whoamiEvents = [
  { Image: r`C:\Windows\System32\whoami.exe`, User: r`CORP\bob` },
  { Image: r`C:\Windows\System32\whoami.exe`, User: r`CORP\admin` },
  { Image: r`C:\Windows\System32\hostname.exe`, User: r`CORP\bob` },
];

/**
 * The admin filter document. `rules` is the YAML text after `rules:` (a scalar, a flow list, or block list lines
 * starting with a newline); `logsource` lists the filter's logsource entries.
 */
function filterDoc(rules: string, logsource: string[] = ['category: process_creation', 'product: windows']): string {
  const rulesText = rules.startsWith('\n')
    ? rules
        .trim()
        .split('\n')
        .map((line) => '\n    ' + line.trim())
        .join('')
    : ' ' + rules;
  return [
    'title: Admin Whoami Filter',
    'logsource:',
    ...logsource.map((l) => '  ' + l),
    'filter:',
    '  rules:' + rulesText,
    '  selection:',
    "    User: 'CORP\\admin'",
    '  condition: not selection',
    '',
  ].join('\n');
}

const filters: ConformanceGroup = {
  group: 'documents/filters',
  cases: [
    {
      name: 'filter-by-rule-id',
      spec: 'SIGMA.md 1.11: filter applies to listed rules (by id); (rule) and (filter condition)',
      rule: WHOAMI_RULE + '---\n' + filterDoc('\n        - 6b1a7d2e-3c4f-4e5a-9b8c-1d2e3f4a5b6c'),
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [0] },
    },
    {
      name: 'filter-by-rule-name',
      spec: 'SIGMA.md 1.11: rules is a list of ids/names',
      rule: WHOAMI_RULE + '---\n' + filterDoc('\n        - whoami_execution'),
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [0] },
    },
    {
      name: 'filter-rules-any',
      spec: 'SIGMA.md 1.11: rules: any',
      rule: WHOAMI_RULE + '---\n' + filterDoc('any'),
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [0] },
    },
    {
      name: 'filter-rules-empty-list-means-any',
      spec: 'SIGMA.md 1.11: rules: [] (= any)',
      rule: WHOAMI_RULE + '---\n' + filterDoc('[]'),
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [0] },
    },
    {
      name: 'filter-rules-single-string',
      spec: 'SIGMA.md 1.11: rules may be one string',
      rule: WHOAMI_RULE + '---\n' + filterDoc('whoami_execution'),
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [0] },
    },
    {
      name: 'filter-not-listing-rule-does-not-apply',
      spec: 'SIGMA.md 1.11: applies only to listed rules',
      rule: WHOAMI_RULE + '---\n' + filterDoc('\n        - some_other_rule'),
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [0, 1] },
    },
    {
      name: 'filter-listing-title-does-not-apply',
      spec: 'SIGMA.md 1.11: rules lists ids or names (a title is neither)',
      rule: WHOAMI_RULE + '---\n' + filterDoc("\n        - 'Whoami Execution'"),
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [0, 1] },
    },
    {
      name: 'broader-filter-logsource-contains-rule',
      spec: "SIGMA.md 1.10/1.11: A contains B if every field A sets equals B's (filter sets only product)",
      rule: WHOAMI_RULE + '---\n' + filterDoc('any', ['product: windows']),
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [0] },
    },
    {
      name: 'narrower-filter-logsource-does-not-apply',
      spec: 'SIGMA.md 1.10/1.11: filter sets service, which the rule does not set -> not contained',
      rule: WHOAMI_RULE + '---\n' + filterDoc('any', ['category: process_creation', 'product: windows', 'service: sysmon']),
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [0, 1] },
    },
    {
      name: 'different-product-does-not-apply',
      spec: 'SIGMA.md 1.10/1.11',
      rule: WHOAMI_RULE + '---\n' + filterDoc('any', ['product: linux']),
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [0, 1] },
    },
    {
      name: 'filter-applies-to-one-of-two-rules',
      spec: 'SIGMA.md 1.11',
      rule:
        WHOAMI_RULE +
        '---\n' +
        yml`
          title: Hostname Execution
          id: 0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d
          name: hostname_execution
          logsource:
            category: process_creation
            product: windows
          detection:
            selection:
              Image|endswith: '\hostname.exe'
            condition: selection
        ` +
        '---\n' +
        filterDoc('\n        - whoami_execution'),
      events: [
        ...whoamiEvents,
        { Image: r`C:\Windows\System32\hostname.exe`, User: r`CORP\admin` },
      ],
      matchesByRule: { 'Whoami Execution': [0], 'Hostname Execution': [2, 3] },
    },
    {
      name: 'filter-identifiers-do-not-clash-with-rule-identifiers',
      spec: 'SIGMA.md 1.11: filter selections are copied in under renamed identifiers',
      rule:
        yml`
          title: Net Use
          name: net_use
          logsource:
            product: windows
          detection:
            selection:
              CommandLine|contains: 'net use'
            filter:
              User: 'svc_map'
            condition: selection and not filter
        ` +
        '---\n' +
        yml`
          title: Drive Z Filter
          logsource:
            product: windows
          filter:
            rules:
              - net_use
            selection:
              CommandLine|contains: ' z:'
            filter:
              User: 'nobody'
            condition: not selection and not filter
        `,
      events: [
        { CommandLine: 'net use x: \\\\srv\\s', User: 'bob' },
        { CommandLine: 'net use z: \\\\srv\\s', User: 'bob' },
        { CommandLine: 'net use x: \\\\srv\\s', User: 'svc_map' },
        { CommandLine: 'net use x: \\\\srv\\s', User: 'nobody' },
        { CommandLine: 'dir', User: 'bob' },
      ],
      matchesByRule: { 'Net Use': [0] },
    },
    {
      name: 'two-filters-are-both-applied',
      spec: 'SIGMA.md 1.11: each filter ANDs its condition onto the rule condition',
      rule:
        WHOAMI_RULE +
        '---\n' +
        filterDoc('any') +
        '---\n' +
        yml`
          title: Bob Filter
          logsource:
            product: windows
          filter:
            rules: any
            selection:
              User: 'CORP\bob'
            condition: not selection
        `,
      events: [...whoamiEvents, { Image: r`C:\Windows\System32\whoami.exe`, User: r`CORP\eve` }],
      matchesByRule: { 'Whoami Execution': [3] },
    },
    {
      name: 'filter-condition-in-keep-form',
      spec: 'SIGMA.md 1.11: follow pySigma, (rule) and (filter condition), so `condition: selection` keeps only matching events',
      rule:
        WHOAMI_RULE +
        '---\n' +
        yml`
          title: Only Admin Filter
          logsource:
            product: windows
          filter:
            rules: any
            selection:
              User: 'CORP\admin'
            condition: selection
        `,
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [1] },
    },
    {
      name: 'filter-with-one-of-pattern',
      spec: 'SIGMA.md 1.11 with 1.5 x of',
      rule:
        WHOAMI_RULE +
        '---\n' +
        yml`
          title: Service Accounts Filter
          logsource:
            category: process_creation
          filter:
            rules:
              - whoami_execution
            filter_svc:
              User|startswith: 'CORP\svc_'
            filter_admin:
              User: 'CORP\admin'
            condition: not 1 of filter_*
        `,
      events: [...whoamiEvents, { Image: r`C:\Windows\System32\whoami.exe`, User: r`CORP\svc_sql` }],
      matchesByRule: { 'Whoami Execution': [0] },
    },
    {
      name: 'filter-document-before-rule',
      spec: 'SIGMA.md 1.11: the filter applies to every listed rule of the set (document order does not matter)',
      rule: filterDoc('\n        - whoami_execution') + '---\n' + WHOAMI_RULE,
      events: whoamiEvents,
      matchesByRule: { 'Whoami Execution': [0] },
    },
    {
      name: 'filter-with-service-logsource',
      spec: 'SIGMA.md 1.10/1.11: equal category/product/service',
      rule:
        yml`
          title: Special Logon
          id: 2f4e6a8c-1b3d-4f5a-8c7e-9d0b2a4c6e8f
          logsource:
            product: windows
            service: security
          detection:
            selection:
              EventID: 4672
            condition: selection
        ` +
        '---\n' +
        yml`
          title: Known Admin Filter
          logsource:
            product: windows
            service: security
          filter:
            rules:
              - 2f4e6a8c-1b3d-4f5a-8c7e-9d0b2a4c6e8f
            selection:
              SubjectUserName|endswith: '$'
            condition: not selection
        `,
      events: [
        { EventID: 4672, SubjectUserName: 'alice' },
        { EventID: 4672, SubjectUserName: 'DC01$' },
        { EventID: 4624, SubjectUserName: 'alice' },
      ],
      matchesByRule: { 'Special Logon': [0] },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Legacy collections (SIGMA.md 1.1): action global / reset / repeat.

const collections: ConformanceGroup = {
  group: 'documents/collections',
  cases: [
    {
      name: 'global-template-merged-into-each-rule',
      spec: 'SIGMA.md 1.1: action: global stores a template, deep-merged into each later rule document',
      rule: yml`
        action: global
        logsource:
          product: windows
        detection:
          filter:
            User: 'SYSTEM'
          condition: selection and not filter
        ---
        title: Rule A
        detection:
          selection:
            Image|endswith: '\a.exe'
        ---
        title: Rule B
        detection:
          selection:
            Image|endswith: '\b.exe'
      `,
      events: [
        { Image: r`C:\a.exe`, User: 'bob' },
        { Image: r`C:\a.exe`, User: 'SYSTEM' },
        { Image: r`C:\b.exe`, User: 'bob' },
        { Image: r`C:\b.exe`, User: 'SYSTEM' },
        { Image: r`C:\c.exe`, User: 'bob' },
      ],
      matchesByRule: { 'Rule A': [0], 'Rule B': [2] },
    },
    {
      name: 'global-merge-is-deep-inside-a-selection',
      spec: 'SIGMA.md 1.1: dicts are merged recursively',
      rule: yml`
        action: global
        logsource:
          product: windows
        detection:
          selection:
            EventID: 1
          condition: selection
        ---
        title: Deep Merge
        detection:
          selection:
            Image|endswith: '\x.exe'
      `,
      events: [{ EventID: 1, Image: r`C:\x.exe` }, { EventID: 2, Image: r`C:\x.exe` }, { EventID: 1, Image: r`C:\y.exe` }],
      matchesByRule: { 'Deep Merge': [0] },
    },
    {
      name: 'document-value-wins-over-template',
      spec: "SIGMA.md 1.1: deep merge, otherwise the document's value wins",
      rule: yml`
        action: global
        logsource:
          product: windows
        detection:
          filter:
            User: 'SYSTEM'
          condition: selection
        ---
        title: Override Condition
        detection:
          selection:
            Image|endswith: '\a.exe'
          condition: selection and not filter
      `,
      events: [{ Image: r`C:\a.exe`, User: 'bob' }, { Image: r`C:\a.exe`, User: 'SYSTEM' }],
      matchesByRule: { 'Override Condition': [0] },
    },
    {
      name: 'lists-are-replaced-not-concatenated',
      spec: "SIGMA.md 1.1: only dicts merge recursively; a list is a value and the document's wins",
      rule: yml`
        action: global
        logsource:
          product: windows
        detection:
          selection:
            Image|endswith:
              - '\a.exe'
              - '\b.exe'
          condition: selection
        ---
        title: List Replaced
        detection:
          selection:
            Image|endswith:
              - '\c.exe'
      `,
      events: [{ Image: r`C:\a.exe` }, { Image: r`C:\b.exe` }, { Image: r`C:\c.exe` }],
      matchesByRule: { 'List Replaced': [2] },
    },
    {
      name: 'reset-clears-template',
      spec: 'SIGMA.md 1.1: action: reset clears the template',
      rule: yml`
        action: global
        logsource:
          product: windows
        detection:
          filter:
            User: 'SYSTEM'
          condition: selection and not filter
        ---
        title: With Template
        detection:
          selection:
            Image|endswith: '\a.exe'
        ---
        action: reset
        ---
        title: After Reset
        logsource:
          product: windows
        detection:
          selection:
            Image|endswith: '\a.exe'
          condition: selection
      `,
      events: [{ Image: r`C:\a.exe`, User: 'bob' }, { Image: r`C:\a.exe`, User: 'SYSTEM' }],
      matchesByRule: { 'With Template': [0], 'After Reset': [0, 1] },
    },
    {
      name: 'repeat-merges-into-previous-rule',
      spec: 'SIGMA.md 1.1: action: repeat deep-merges into the previous rule document and emits a further rule',
      rule: yml`
        title: Sysmon Process
        logsource:
          product: windows
        detection:
          selection:
            EventID: 1
            Image|endswith: '\tool.exe'
          condition: selection
        ---
        action: repeat
        title: Security Process
        detection:
          selection:
            EventID: 4688
      `,
      events: [
        { EventID: 1, Image: r`C:\tool.exe` },
        { EventID: 4688, Image: r`C:\tool.exe` },
        { EventID: 4688, Image: r`C:\other.exe` },
        { EventID: 1, Image: r`C:\other.exe` },
      ],
      matchesByRule: { 'Sysmon Process': [0], 'Security Process': [1] },
    },
    {
      name: 'repeat-twice-chains',
      spec: 'SIGMA.md 1.1: each repeat merges into the previous rule document',
      rule: yml`
        title: Port 22
        logsource:
          product: linux
        detection:
          selection:
            DestinationPort: 22
            Initiated: 'true'
          condition: selection
        ---
        action: repeat
        title: Port 23
        detection:
          selection:
            DestinationPort: 23
        ---
        action: repeat
        title: Port 23 Inbound
        detection:
          selection:
            Initiated: 'false'
      `,
      events: [
        { DestinationPort: 22, Initiated: 'true' },
        { DestinationPort: 23, Initiated: 'true' },
        { DestinationPort: 23, Initiated: 'false' },
        { DestinationPort: 22, Initiated: 'false' },
      ],
      matchesByRule: { 'Port 22': [0], 'Port 23': [1], 'Port 23 Inbound': [2] },
    },
    {
      name: 'template-applies-until-reset-to-every-rule',
      spec: 'SIGMA.md 1.1',
      rule: yml`
        action: global
        logsource:
          product: windows
        detection:
          condition: selection
        ---
        title: One
        detection:
          selection:
            N: 1
        ---
        title: Two
        detection:
          selection:
            N: 2
        ---
        title: Three
        detection:
          selection:
            N: 3
      `,
      events: [{ N: 1 }, { N: 2 }, { N: 3 }, { N: 4 }],
      matchesByRule: { One: [0], Two: [1], Three: [2] },
    },
    {
      name: 'filter-document-does-not-take-template',
      spec: 'SIGMA.md 1.1: correlations and filters never take the template',
      rule: yml`
        action: global
        logsource:
          category: process_creation
          product: windows
        detection:
          condition: selection
        ---
        title: Templated Rule
        name: templated_rule
        detection:
          selection:
            Image|endswith: '\whoami.exe'
        ---
        title: Plain Filter
        logsource:
          product: windows
        filter:
          rules:
            - templated_rule
          selection:
            User: 'CORP\admin'
          condition: not selection
      `,
      events: whoamiEvents,
      matchesByRule: { 'Templated Rule': [0] },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Correlations (SIGMA.md 1.12): they load beside the rules and leave rule matching as it is; their alerts are the
// correlation table's (test/conformance/correlations).

const BASE_RULE = yml`
  title: Failed Logon
  id: 9c8b7a6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d
  name: failed_logon
  logsource:
    product: windows
    service: security
  detection:
    selection:
      EventID: 4625
    condition: selection
`;

const SECOND_RULE = yml`
  title: Successful Logon
  name: successful_logon
  logsource:
    product: windows
    service: security
  detection:
    selection:
      EventID: 4624
    condition: selection
`;

const logonEvents = [
  { EventID: 4625, TargetUserName: 'bob', IpAddress: '10.0.0.5' },
  { EventID: 4624, TargetUserName: 'bob', IpAddress: '10.0.0.5' },
  { EventID: 4625, TargetUserName: 'eve', IpAddress: '10.0.0.6' },
  { EventID: 4634, TargetUserName: 'bob' },
];

function corr(body: string): string {
  return BASE_RULE + '---\n' + SECOND_RULE + '---\n' + body;
}

const correlations: ConformanceGroup = {
  group: 'documents/correlations',
  cases: [
    {
      name: 'event-count-does-not-disturb-rules',
      spec: 'SIGMA.md 1.12 event_count: correlations load beside rules and leave rule matching as it is (their alerts: test/conformance/correlations)',
      rule: corr(yml`
        title: Many Failed Logons
        correlation:
          type: event_count
          rules:
            - failed_logon
          group-by:
            - TargetUserName
            - IpAddress
          timespan: 5m
          condition:
            gte: 10
      `),
      events: logonEvents,
      matchesByRule: { 'Failed Logon': [0, 2], 'Successful Logon': [1] },
    },
    {
      name: 'value-count-with-field',
      spec: 'SIGMA.md 1.12 value_count (field)',
      rule: corr(yml`
        title: Password Spray
        correlation:
          type: value_count
          rules:
            - failed_logon
          group-by:
            - IpAddress
          timespan: 1h
          condition:
            gt: 20
            field: TargetUserName
      `),
      events: logonEvents,
      matchesByRule: { 'Failed Logon': [0, 2], 'Successful Logon': [1] },
    },
    {
      name: 'temporal-without-condition',
      spec: 'SIGMA.md 1.12 temporal: no condition needed',
      rule: corr(yml`
        title: Fail Then Success
        correlation:
          type: temporal
          rules:
            - failed_logon
            - successful_logon
          group-by:
            - TargetUserName
          timespan: 30s
      `),
      events: logonEvents,
      matchesByRule: { 'Failed Logon': [0, 2], 'Successful Logon': [1] },
    },
    {
      name: 'temporal-ordered-with-generate-and-string-group-by',
      spec: 'SIGMA.md 1.12 temporal_ordered; generate; [pySigma] group-by as one string',
      rule: corr(yml`
        title: Ordered Fail Success
        correlation:
          type: temporal_ordered
          rules:
            - failed_logon
            - successful_logon
          group-by: TargetUserName
          timespan: 2d
          generate: true
      `),
      events: logonEvents,
      matchesByRule: { 'Failed Logon': [0, 2], 'Successful Logon': [1] },
    },
    {
      name: 'value-sum-and-value-avg',
      spec: 'SIGMA.md 1.12 value_sum, value_avg (need field)',
      rule: corr(yml`
        title: Sum Of Bytes
        correlation:
          type: value_sum
          rules:
            - failed_logon
          group-by:
            - IpAddress
          timespan: 10m
          condition:
            gte: 1000
            field: Bytes
        ---
        title: Average Bytes
        correlation:
          type: value_avg
          rules:
            - successful_logon
          group-by:
            - IpAddress
          timespan: 10m
          condition:
            lt: 5
            field: Bytes
      `),
      events: logonEvents,
      matchesByRule: { 'Failed Logon': [0, 2], 'Successful Logon': [1] },
    },
    {
      name: 'aliases-and-chained-correlation',
      spec: 'SIGMA.md 1.12: aliases; rules may name other correlations',
      rule: corr(yml`
        title: Logon Pair
        name: logon_pair
        correlation:
          type: temporal
          rules:
            - failed_logon
            - successful_logon
          group-by:
            - user
          aliases:
            user:
              failed_logon: TargetUserName
              successful_logon: TargetUserName
          timespan: 1h
        ---
        title: Repeated Logon Pairs
        correlation:
          type: event_count
          rules:
            - logon_pair
          group-by:
            - user
          timespan: 1d
          condition:
            gte: 3
      `),
      events: logonEvents,
      matchesByRule: { 'Failed Logon': [0, 2], 'Successful Logon': [1] },
    },
    {
      name: 'correlation-before-rules',
      spec: 'SIGMA.md 1.12 (a correlation may precede the rules it names in the file)',
      rule:
        yml`
          title: Early Correlation
          correlation:
            type: event_count
            rules:
              - failed_logon
            group-by:
              - IpAddress
            timespan: 15m
            condition:
              eq: 1
        ` +
        '---\n' +
        BASE_RULE,
      events: logonEvents,
      matchesByRule: { 'Failed Logon': [0, 2] },
    },
    {
      name: 'missing-type-is-invalid',
      spec: 'SIGMA.md 1.12; project decision: missing type -> INVALID_CORRELATION',
      rule: corr(yml`
        title: No Type
        correlation:
          rules:
            - failed_logon
          group-by:
            - IpAddress
          timespan: 5m
          condition:
            gte: 10
      `),
      error: 'INVALID_CORRELATION',
    },
    {
      name: 'unknown-type-is-invalid',
      spec: 'SIGMA.md 1.12 types; project decision: unknown type -> INVALID_CORRELATION',
      rule: corr(yml`
        title: Bad Type
        correlation:
          type: event_sum
          rules:
            - failed_logon
          group-by:
            - IpAddress
          timespan: 5m
          condition:
            gte: 10
      `),
      error: 'INVALID_CORRELATION',
    },
    {
      name: 'bad-timespan-unit-is-invalid',
      spec: 'SIGMA.md 1.12 timespan <int><unit>; project decision: 5x -> INVALID_CORRELATION',
      rule: corr(yml`
        title: Bad Timespan
        correlation:
          type: event_count
          rules:
            - failed_logon
          group-by:
            - IpAddress
          timespan: 5x
          condition:
            gte: 10
      `),
      error: 'INVALID_CORRELATION',
    },
    {
      name: 'range-of-two-operators-loads',
      spec: 'issue 15: ranges of two operators (the specification\'s "101 to 200" example; pySigma rejects them)',
      rule: corr(yml`
        title: Range Condition
        correlation:
          type: event_count
          rules:
            - failed_logon
          group-by:
            - IpAddress
          timespan: 5m
          condition:
            gt: 100
            lte: 200
      `),
      events: logonEvents,
      matchesByRule: { 'Failed Logon': [0, 2], 'Successful Logon': [1] },
    },
    {
      name: 'two-lower-bounds-is-invalid',
      spec: 'issue 15: a range is one lower (gt/gte) and one upper (lt/lte) bound; anything else is INVALID_CORRELATION',
      rule: corr(yml`
        title: Range Condition
        correlation:
          type: event_count
          rules:
            - failed_logon
          group-by:
            - IpAddress
          timespan: 5m
          condition:
            gt: 100
            gte: 200
      `),
      error: 'INVALID_CORRELATION',
    },
    {
      name: 'event-count-without-condition-is-invalid',
      spec: 'SIGMA.md 1.12: only temporal types need no condition',
      rule: corr(yml`
        title: Count Without Condition
        correlation:
          type: event_count
          rules:
            - failed_logon
          group-by:
            - IpAddress
          timespan: 5m
      `),
      error: 'INVALID_CORRELATION',
    },
    {
      name: 'value-count-without-field-is-invalid',
      spec: 'SIGMA.md 1.12: value_count counts distinct values of field (field required)',
      rule: corr(yml`
        title: Value Count Without Field
        correlation:
          type: value_count
          rules:
            - failed_logon
          group-by:
            - IpAddress
          timespan: 5m
          condition:
            gte: 10
      `),
      error: 'INVALID_CORRELATION',
    },
  ],
};

export const groups: ConformanceGroup[] = [filters, collections, correlations];
