import type { CorrelationGroup } from '../types.js';
import { correlation, docs, fail, FAILED_LOGON, FAILED_LOGON_ID, at, yml } from './_helpers.js';

const bruteForce = (condition: string, extra = '', groupBy = '[IpAddress]', timespan = '10s'): string =>
  docs(
    FAILED_LOGON,
    correlation(
      'Brute force',
      `
      type: event_count
      rules: [failed_logon]
      group-by: ${groupBy}
      timespan: ${timespan}
      condition: ${condition}
      `,
      extra,
    ),
  );

const ADMIN_LOGON = yml`
  title: Admin logon attempt
  name: admin_logon
  logsource:
    product: windows
  detection:
    selection:
      TargetUserName: admin
    condition: selection
`;

const eventCount: CorrelationGroup = {
  group: 'correlations/event-count',
  cases: [
    {
      name: 'fires-when-count-reaches-threshold',
      spec: 'issue 15: every counted event after which the condition holds alerts (rsigma "alert" action)',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'a'), fail(3, 'a')],
      alerts: [
        { title: 'Brute force', event: 2, value: 3, group: { IpAddress: 'a' } },
        { title: 'Brute force', event: 3, value: 4, group: { IpAddress: 'a' } },
      ],
    },
    {
      name: 'window-holds-events-exactly-timespan-apart',
      spec: 'issue 15: the window at t holds [t - timespan, t], both ends inclusive',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, 'a'), fail(5, 'a'), fail(10, 'a')],
      alerts: [{ title: 'Brute force', event: 2, value: 3 }],
    },
    {
      name: 'window-excludes-one-millisecond-more',
      spec: 'issue 15: [t - timespan, t]; times kept to the millisecond',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, 'a'), fail(5, 'a'), fail(10.001, 'a')],
      alerts: [],
    },
    {
      name: 'window-slides-past-old-events',
      spec: 'issue 15: sliding windows over event time',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, 'a'), fail(1, 'a'), fail(12, 'a'), fail(13, 'a'), fail(14, 'a')],
      alerts: [{ title: 'Brute force', event: 4, value: 3 }],
    },
    {
      name: 'equal-timestamps-count-in-arrival-order',
      spec: 'issue 15: equal timestamps; ties keep arrival order',
      rules: bruteForce('{gte: 3}'),
      events: [fail(5, 'a'), fail(5, 'a'), fail(5, 'a')],
      alerts: [{ title: 'Brute force', event: 2, value: 3 }],
    },
    {
      name: 'groups-count-separately',
      spec: 'SIGMA.md 1.12: group-by fields form the group key',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, 'a'), fail(1, 'b'), fail(2, 'a'), fail(3, 'b'), fail(4, 'a')],
      alerts: [{ title: 'Brute force', event: 4, value: 3, group: { IpAddress: 'a' } }],
    },
    {
      name: 'absent-group-field-is-its-own-value',
      spec: 'issue 15: an absent group-by field is its own value (JSON null reads as absent; the empty string does not)',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0), fail(1, ''), fail(2, null), fail(3)],
      alerts: [{ title: 'Brute force', event: 3, value: 3, group: { IpAddress: null } }],
    },
    {
      name: 'no-group-by-is-one-group',
      spec: 'SIGMA.md 1.12: group-by is optional',
      rules: docs(FAILED_LOGON, correlation('Brute force', 'type: event_count\nrules: [failed_logon]\ntimespan: 10s\ncondition: {gte: 3}')),
      events: [fail(0, 'a'), fail(1, 'b'), fail(2, 'c')],
      alerts: [{ title: 'Brute force', event: 2, value: 3, group: {} }],
    },
    {
      name: 'several-group-by-fields',
      spec: 'SIGMA.md 1.12: the group-by fields together form the key',
      rules: bruteForce('{gte: 3}', '', '[IpAddress, TargetUserName]'),
      events: [fail(0, 'a', 'u'), fail(1, 'a', 'v'), fail(2, 'a', 'u'), fail(3, 'b', 'u'), fail(4, 'a', 'u')],
      alerts: [{ title: 'Brute force', event: 4, value: 3, group: { IpAddress: 'a', TargetUserName: 'u' } }],
    },
    {
      name: 'array-value-is-its-own-group',
      spec: 'README Semantics: a field holding an array groups by the list of its values',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, ['a', 'b']), fail(1, 'a'), fail(2, ['a', 'b']), fail(3, ['a', 'b'])],
      alerts: [{ title: 'Brute force', event: 3, value: 3, group: { IpAddress: ['a', 'b'] } }],
    },
    {
      name: 'number-and-its-text-are-one-group',
      spec: 'README Semantics: values group by their string form, as matching compares them',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, 7), fail(1, '7'), fail(2, 7)],
      alerts: [{ title: 'Brute force', event: 2, value: 3, group: { IpAddress: '7' } }],
    },
    {
      name: 'lt-alerts-while-below-at-event-time',
      spec: 'README Semantics: lt/lte/eq/neq are evaluated after each counted event, like gt/gte',
      rules: bruteForce('{lt: 3}'),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'a'), fail(3, 'a')],
      alerts: [
        { title: 'Brute force', event: 0, value: 1 },
        { title: 'Brute force', event: 1, value: 2 },
      ],
    },
    {
      name: 'lte-alerts-up-to-the-bound',
      spec: 'README Semantics: lte at event time',
      rules: bruteForce('{lte: 2}'),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'a')],
      alerts: [
        { title: 'Brute force', event: 0, value: 1 },
        { title: 'Brute force', event: 1, value: 2 },
      ],
    },
    {
      name: 'eq-alerts-at-the-exact-count',
      spec: 'README Semantics: eq at event time',
      rules: bruteForce('{eq: 2}'),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'a'), fail(3, 'a')],
      alerts: [{ title: 'Brute force', event: 1, value: 2 }],
    },
    {
      name: 'neq-alerts-at-every-other-count',
      spec: 'README Semantics: neq at event time',
      rules: bruteForce('{neq: 2}'),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'a'), fail(3, 'a')],
      alerts: [
        { title: 'Brute force', event: 0, value: 1 },
        { title: 'Brute force', event: 2, value: 3 },
        { title: 'Brute force', event: 3, value: 4 },
      ],
    },
    {
      name: 'gt-is-strict',
      spec: 'SIGMA.md 1.12: gt',
      rules: bruteForce('{gt: 2}'),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'a')],
      alerts: [{ title: 'Brute force', event: 2, value: 3 }],
    },
    {
      name: 'range-of-two-operators',
      spec: 'issue 15: ranges (the specification\'s "101 to 200" example): both bounds hold',
      rules: bruteForce('{gt: 1, lte: 3}'),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'a'), fail(3, 'a')],
      alerts: [
        { title: 'Brute force', event: 1, value: 2 },
        { title: 'Brute force', event: 2, value: 3 },
      ],
    },
    {
      name: 'event-matching-two-referenced-rules-counts-once',
      spec: 'README Semantics: event_count counts events; an event that matches several referenced rules counts once',
      rules: docs(
        FAILED_LOGON,
        ADMIN_LOGON,
        correlation('Logon noise', 'type: event_count\nrules: [failed_logon, admin_logon]\ngroup-by: [IpAddress]\ntimespan: 10s\ncondition: {gte: 2}'),
      ),
      events: [fail(0, 'a', 'admin'), fail(1, 'a', 'bob')],
      alerts: [{ title: 'Logon noise', event: 1, value: 2 }],
    },
    {
      name: 'non-matching-events-do-not-count',
      spec: 'issue 15: only hits of referenced rules count',
      rules: bruteForce('{gte: 2}'),
      events: [fail(0, 'a'), at(1, { EventID: 4624, IpAddress: 'a' }), fail(2, 'a')],
      alerts: [{ title: 'Brute force', event: 2, value: 2 }],
    },
  ],
};

const references: CorrelationGroup = {
  group: 'correlations/references',
  cases: [
    {
      name: 'reference-by-id',
      spec: 'SIGMA.md 1.12: rules are ids or names',
      rules: docs(FAILED_LOGON, correlation('Brute force', `type: event_count\nrules: [${FAILED_LOGON_ID}]\ngroup-by: [IpAddress]\ntimespan: 10s\ncondition: {gte: 2}`)),
      events: [fail(0, 'a'), fail(1, 'a')],
      alerts: [{ title: 'Brute force', event: 1, value: 2 }],
    },
    {
      name: 'reference-by-name',
      spec: 'SIGMA.md 1.12: rules are ids or names',
      rules: bruteForce('{gte: 2}'),
      events: [fail(0, 'a'), fail(1, 'a')],
      alerts: [{ title: 'Brute force', event: 1, value: 2 }],
    },
    {
      name: 'unknown-reference-is-an-error',
      spec: 'README Semantics: a reference to nothing loaded is CORRELATION_REFERENCE; the correlation is left out',
      rules: docs(FAILED_LOGON, correlation('Brute force', 'type: event_count\nrules: [no_such_rule]\ntimespan: 10s\ncondition: {gte: 2}')),
      events: [fail(0, 'a'), fail(1, 'a')],
      error: 'CORRELATION_REFERENCE',
      alerts: [],
      reported: { 'Failed logon': [0, 1] },
    },
    {
      name: 'cycle-is-an-error',
      spec: 'README Semantics: correlations that reference each other in a cycle are left out',
      rules: docs(
        FAILED_LOGON,
        correlation('Ping', 'type: event_count\nrules: [pong]\ntimespan: 10s\ncondition: {gte: 1}', 'name: ping\n'),
        correlation('Pong', 'type: event_count\nrules: [ping, failed_logon]\ntimespan: 10s\ncondition: {gte: 1}', 'name: pong\n'),
      ),
      events: [fail(0, 'a')],
      error: 'CORRELATION_REFERENCE',
      alerts: [],
      reported: { 'Failed logon': [0] },
    },
    {
      name: 'generate-false-hides-base-hits',
      spec: 'issue 15: rules referenced by correlations with generate: false (the default) do not emit their hits',
      rules: bruteForce('{gte: 2}'),
      events: [fail(0, 'a'), fail(1, 'a')],
      alerts: [{ title: 'Brute force', event: 1 }],
      reported: {},
    },
    {
      name: 'generate-true-reports-base-hits',
      spec: 'SIGMA.md 1.12: generate: true also emits the referenced rules',
      rules: docs(FAILED_LOGON, correlation('Brute force', 'type: event_count\nrules: [failed_logon]\ngroup-by: [IpAddress]\ntimespan: 10s\ncondition: {gte: 2}\ngenerate: true')),
      events: [fail(0, 'a'), fail(1, 'a')],
      alerts: [{ title: 'Brute force', event: 1 }],
      reported: { 'Failed logon': [0, 1] },
    },
    {
      name: 'generate-true-of-another-correlation-wins',
      spec: 'issue 15: hidden unless another loaded correlation says generate: true',
      rules: docs(
        FAILED_LOGON,
        correlation('Brute force', 'type: event_count\nrules: [failed_logon]\ngroup-by: [IpAddress]\ntimespan: 10s\ncondition: {gte: 2}'),
        correlation('Any failure', 'type: event_count\nrules: [failed_logon]\ntimespan: 10s\ncondition: {gte: 5}\ngenerate: true'),
      ),
      events: [fail(0, 'a'), fail(1, 'a')],
      alerts: [{ title: 'Brute force', event: 1 }],
      reported: { 'Failed logon': [0, 1] },
    },
    {
      name: 'emit-base-hits-option',
      spec: 'issue 15: --emit-base-hits reports referenced rules\' hits',
      rules: bruteForce('{gte: 2}'),
      events: [fail(0, 'a'), fail(1, 'a')],
      options: { emitBaseHits: true },
      alerts: [{ title: 'Brute force', event: 1 }],
      reported: { 'Failed logon': [0, 1] },
    },
    {
      name: 'unreferenced-rules-report-as-usual',
      spec: 'issue 15: generate concerns referenced rules only',
      rules: docs(bruteForce('{gte: 2}'), yml`
        title: Any logon event
        logsource:
          product: windows
        detection:
          selection:
            EventID: [4624, 4625]
          condition: selection
      `),
      events: [fail(0, 'a'), at(1, { EventID: 4624 }), fail(2, 'a')],
      alerts: [{ title: 'Brute force', event: 2 }],
      reported: { 'Any logon event': [0, 1, 2] },
    },
  ],
};

export const groups: CorrelationGroup[] = [eventCount, references];
export { bruteForce };
