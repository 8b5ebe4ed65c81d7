import type { CorrelationGroup } from '../types.js';
import { at, correlation, docs, fail, FAILED_LOGON, yml } from './_helpers.js';

const TRANSFER = yml`
  title: Outbound transfer
  name: outbound_transfer
  logsource:
    category: proxy
  detection:
    selection:
      action: upload
    condition: selection
`;

const valueType = (type: string, condition: string, title = 'Big transfer', timespan = '10s'): string =>
  correlation(title, `type: ${type}\nrules: [outbound_transfer]\ngroup-by: [src]\ntimespan: ${timespan}\ncondition: ${condition}`);

const upload = (seconds: number, bytes: unknown, src = 'h1'): Record<string, unknown> => at(seconds, { action: 'upload', src, ...(bytes !== undefined ? { bytes } : {}) });

const spraying = (condition: string): string =>
  docs(FAILED_LOGON, correlation('Password spraying', `type: value_count\nrules: [failed_logon]\ngroup-by: [IpAddress]\ntimespan: 10s\ncondition: ${condition}`));

const valueCount: CorrelationGroup = {
  group: 'correlations/value-count',
  cases: [
    {
      name: 'counts-distinct-values',
      spec: 'SIGMA.md 1.12: value_count counts distinct values of field',
      rules: spraying('{gte: 3, field: TargetUserName}'),
      events: [fail(0, 'a', 'u'), fail(1, 'a', 'v'), fail(2, 'a', 'u'), fail(3, 'a', 'w')],
      alerts: [{ title: 'Password spraying', event: 3, value: 3, group: { IpAddress: 'a' } }],
    },
    {
      name: 'events-without-the-field-are-not-counted',
      spec: 'README Semantics: an event without the value field contributes nothing (counted as a missing value)',
      rules: spraying('{gte: 2, field: TargetUserName}'),
      events: [fail(0, 'a', 'u'), fail(1, 'a'), fail(2, 'a', 'v')],
      alerts: [{ title: 'Password spraying', event: 2, value: 2 }],
      stats: { missingValues: 1 },
    },
    {
      name: 'distinct-values-leave-with-their-events',
      spec: 'issue 15: sliding windows; a value counts while one of its events is in the window',
      rules: spraying('{gte: 2, field: TargetUserName}'),
      events: [fail(0, 'a', 'u'), fail(5, 'a', 'u'), fail(12, 'a', 'v'), fail(16, 'a', 'v')],
      alerts: [{ title: 'Password spraying', event: 2, value: 2 }],
    },
    {
      name: 'field-list-counts-distinct-combinations',
      spec: 'SIGMA.md 1.12: field may be a list for value_count: distinct tuples',
      rules: spraying('{gte: 3, field: [TargetUserName, WorkstationName]}'),
      events: [
        at(0, { EventID: 4625, IpAddress: 'a', TargetUserName: 'u', WorkstationName: 'x' }),
        at(1, { EventID: 4625, IpAddress: 'a', TargetUserName: 'u', WorkstationName: 'y' }),
        at(2, { EventID: 4625, IpAddress: 'a', TargetUserName: 'u', WorkstationName: 'x' }),
        at(3, { EventID: 4625, IpAddress: 'a', TargetUserName: 'v' }),
      ],
      alerts: [{ title: 'Password spraying', event: 3, value: 3 }],
    },
  ],
};

const numeric: CorrelationGroup = {
  group: 'correlations/value-aggregates',
  cases: [
    {
      name: 'value-sum',
      spec: 'SIGMA.md 1.12: value_sum',
      rules: docs(TRANSFER, valueType('value_sum', '{gt: 1000, field: bytes}')),
      events: [upload(0, 400), upload(1, 500), upload(2, 200)],
      alerts: [{ title: 'Big transfer', event: 2, value: 1100, group: { src: 'h1' } }],
    },
    {
      name: 'value-sum-reads-numeric-text-and-skips-the-rest',
      spec: 'README Semantics: a value is the field\'s one value read as a decimal number; others are missing values',
      rules: docs(TRANSFER, valueType('value_sum', '{gt: 1000, field: bytes}')),
      events: [upload(0, '400'), upload(1, 'lots'), upload(2, undefined), upload(3, [300, 400]), upload(4, 700)],
      alerts: [{ title: 'Big transfer', event: 4, value: 1100 }],
      stats: { missingValues: 3 },
    },
    {
      name: 'value-sum-is-exact',
      spec: 'README Semantics: sums are exact (rounded once), whatever the order values come and go',
      rules: docs(TRANSFER, valueType('value_sum', '{eq: 0.6, field: bytes}')),
      events: [upload(0, 0.1), upload(1, 0.2), upload(2, 0.3)],
      alerts: [{ title: 'Big transfer', event: 2, value: 0.6 }],
    },
    {
      name: 'value-sum-window-slides',
      spec: 'issue 15: sliding windows',
      rules: docs(TRANSFER, valueType('value_sum', '{gt: 1000, field: bytes}')),
      events: [upload(0, 600), upload(5, 600), upload(16, 600)],
      alerts: [{ title: 'Big transfer', event: 1, value: 1200 }],
    },
    {
      name: 'value-avg',
      spec: 'SIGMA.md 1.12: value_avg',
      rules: docs(TRANSFER, valueType('value_avg', '{gte: 300, field: bytes}')),
      events: [upload(0, 100), upload(1, 300), upload(2, 800)],
      alerts: [{ title: 'Big transfer', event: 2, value: 400 }],
    },
    {
      name: 'value-percentile-is-nearest-rank',
      spec: 'issue 15: value_percentile compares the nearest-rank percentile (default 50)',
      rules: docs(TRANSFER, valueType('value_percentile', '{gte: 20, field: bytes}')),
      events: [upload(0, 10), upload(1, 40), upload(2, 20), upload(3, 30)],
      alerts: [
        { title: 'Big transfer', event: 2, value: 20 },
        { title: 'Big transfer', event: 3, value: 20 },
      ],
    },
    {
      name: 'value-percentile-given',
      spec: 'issue 15: percentile: N',
      rules: docs(
        TRANSFER,
        valueType('value_percentile', '{gt: 50, field: bytes, percentile: 90}', 'P90 transfer'),
        valueType('value_percentile', '{gt: 50, field: bytes, percentile: 95}', 'P95 transfer'),
      ),
      events: [1, 2, 3, 4, 5, 6, 7, 8, 9, 100].map((b, i) => upload(i * 0.1, b)),
      alerts: [{ title: 'P95 transfer', event: 9, value: 100 }],
    },
    {
      name: 'value-median-takes-the-lower-middle',
      spec: 'README Semantics: value_median is the nearest-rank 50th percentile (the lower middle of an even count)',
      rules: docs(TRANSFER, valueType('value_median', '{lte: 10, field: bytes}')),
      events: [upload(0, 10), upload(1, 40), upload(2, 20), upload(3, 30)],
      alerts: [
        { title: 'Big transfer', event: 0, value: 10 },
        { title: 'Big transfer', event: 1, value: 10 },
      ],
    },
  ],
};

export const groups: CorrelationGroup[] = [valueCount, numeric];
