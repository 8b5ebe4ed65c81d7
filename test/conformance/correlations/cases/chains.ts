import type { CorrelationGroup } from '../types.js';
import { at, correlation, docs, fail, FAILED_LOGON, SUCCESSFUL_LOGON } from './_helpers.js';

const INNER = (extra = ''): string =>
  correlation('Brute force', `type: event_count\nrules: [failed_logon]\ngroup-by: [IpAddress]\ntimespan: 10s\ncondition: {gte: 2}${extra}`, 'name: brute_force\n');

const chains: CorrelationGroup = {
  group: 'correlations/chains',
  cases: [
    {
      name: 'outer-counts-inner-alerts',
      spec: 'issue 15: chains: the outer correlation counts the inner one\'s alerts; the inner is hidden (generate: false)',
      rules: docs(FAILED_LOGON, INNER(), correlation('Repeated brute force', 'type: event_count\nrules: [brute_force]\ngroup-by: [IpAddress]\ntimespan: 1m\ncondition: {gte: 2}')),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'b'), fail(3, 'a')],
      alerts: [{ title: 'Repeated brute force', event: 3, value: 2, group: { IpAddress: 'a' } }],
    },
    {
      name: 'outer-generate-true-reports-inner-alerts',
      spec: 'issue 15: generate applies to referenced correlations too',
      rules: docs(FAILED_LOGON, INNER(), correlation('Repeated brute force', 'type: event_count\nrules: [brute_force]\ngroup-by: [IpAddress]\ntimespan: 1m\ncondition: {gte: 2}\ngenerate: true')),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'a')],
      alerts: [
        { title: 'Brute force', event: 1, value: 2 },
        { title: 'Brute force', event: 2, value: 3 },
        { title: 'Repeated brute force', event: 2, value: 2 },
      ],
    },
    {
      name: 'outer-group-reads-the-inner-group',
      spec: 'README Semantics: a chained correlation reads its group-by fields from the inner alert\'s group; others are absent',
      rules: docs(FAILED_LOGON, INNER(), correlation('Brute force anywhere', 'type: event_count\nrules: [brute_force]\ngroup-by: [TargetUserName]\ntimespan: 1m\ncondition: {gte: 2}')),
      events: [fail(0, 'a', 'u'), fail(1, 'a', 'u'), fail(2, 'b', 'u'), fail(3, 'b', 'u')],
      alerts: [{ title: 'Brute force anywhere', event: 3, value: 2, group: { TargetUserName: null } }],
    },
    {
      name: 'value-count-over-inner-groups',
      spec: 'README Semantics: value fields of a chained correlation are read from the inner alert\'s group',
      rules: docs(FAILED_LOGON, INNER(), correlation('Distributed brute force', 'type: value_count\nrules: [brute_force]\ntimespan: 1m\ncondition: {gte: 2, field: IpAddress}')),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'a'), fail(3, 'b'), fail(4, 'b')],
      alerts: [{ title: 'Distributed brute force', event: 4, value: 2, group: {} }],
    },
    {
      name: 'temporal-over-a-correlation-and-a-rule',
      spec: 'issue 15: chains by name in temporal types: brute force, then a successful logon from the same address',
      rules: docs(
        FAILED_LOGON,
        SUCCESSFUL_LOGON,
        INNER(),
        correlation('Brute force then success', 'type: temporal_ordered\nrules: [brute_force, successful_logon]\ngroup-by: [IpAddress]\ntimespan: 1m'),
      ),
      events: [at(0, { EventID: 4624, IpAddress: 'a' }), fail(1, 'a'), fail(2, 'a'), at(3, { EventID: 4624, IpAddress: 'b' }), at(4, { EventID: 4624, IpAddress: 'a' })],
      alerts: [{ title: 'Brute force then success', event: 4, value: 2, group: { IpAddress: 'a' } }],
    },
    {
      name: 'three-levels',
      spec: 'issue 15: chains of chains',
      rules: docs(
        FAILED_LOGON,
        INNER(),
        correlation('Repeated', 'type: event_count\nrules: [brute_force]\ngroup-by: [IpAddress]\ntimespan: 1m\ncondition: {gte: 2}', 'name: repeated\n'),
        correlation('Campaign', 'type: event_count\nrules: [repeated]\ntimespan: 1h\ncondition: {gte: 2}'),
      ),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'a'), fail(3, 'b'), fail(4, 'b'), fail(5, 'b')],
      alerts: [{ title: 'Campaign', event: 5, value: 2, group: {} }],
    },
  ],
};

export const groups: CorrelationGroup[] = [chains];
