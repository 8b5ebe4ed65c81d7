import type { ConformanceGroup } from '../types.js';
import { det, r } from './_helpers.js';

const compare: ConformanceGroup = {
  group: 'modifiers/compare',
  cases: [
    {
      name: 'gt-numbers-and-decimal-strings',
      spec: 'SIGMA.md 1.6 gt; project decision: event value a JSON number or a decimal number string, anything else no match',
      rule: det`
        selection:
          Count|gt: 10
        condition: selection
      `,
      events: [
        { Count: 11 },
        { Count: 10 },
        { Count: '11' },
        { Count: '10.5' },
        { Count: 9 },
        { Count: 'abc' },
        {},
        { Count: true },
        { Count: '' },
        { Count: null },
      ],
      matches: [0, 2, 3],
    },
    {
      name: 'gte-includes-bound',
      spec: 'SIGMA.md 1.6 gte',
      rule: det`
        selection:
          Count|gte: 10
        condition: selection
      `,
      events: [{ Count: 10 }, { Count: '10' }, { Count: 9.99 }, { Count: 100 }],
      matches: [0, 1, 3],
    },
    {
      name: 'lt-excludes-bound',
      spec: 'SIGMA.md 1.6 lt',
      rule: det`
        selection:
          LogonType|lt: 3
        condition: selection
      `,
      events: [{ LogonType: 2 }, { LogonType: 3 }, { LogonType: '0' }, { LogonType: -1 }, { LogonType: 'two' }],
      matches: [0, 2, 3],
    },
    {
      name: 'lte-includes-bound',
      spec: 'SIGMA.md 1.6 lte',
      rule: det`
        selection:
          Size|lte: 1024
        condition: selection
      `,
      events: [{ Size: 1024 }, { Size: 1025 }, { Size: '1023.9' }, { Size: 0 }],
      matches: [0, 2, 3],
    },
    {
      name: 'float-bound',
      spec: 'SIGMA.md 1.6 gt/gte: the value must be a number (floats allowed)',
      rule: det`
        selection:
          Score|gte: 0.5
        condition: selection
      `,
      events: [{ Score: 0.5 }, { Score: 0.49 }, { Score: '0.75' }, { Score: 1 }, { Score: '.4' }],
      matches: [0, 2, 3],
    },
    {
      name: 'negative-values',
      spec: 'SIGMA.md 1.6 lt',
      rule: det`
        selection:
          Delta|lt: 0
        condition: selection
      `,
      events: [{ Delta: -1 }, { Delta: '-0.5' }, { Delta: 0 }, { Delta: '0' }, { Delta: 5 }],
      matches: [0, 1],
    },
    {
      name: 'range-with-two-keys-in-one-map',
      spec: 'SIGMA.md 1.2 map AND; 1.6 gte/lt',
      rule: det`
        selection:
          DestinationPort|gte: 1024
          DestinationPort|lt: 49152
        condition: selection
      `,
      events: [{ DestinationPort: 1024 }, { DestinationPort: 49151 }, { DestinationPort: 49152 }, { DestinationPort: 443 }, { DestinationPort: '8080' }],
      matches: [0, 1, 4],
    },
    {
      name: 'value-list-or-and-all',
      spec: 'SIGMA.md 1.2 value lists ORed, ANDed with all',
      rule: det`
        any_of:
          A|gt:
            - 100
            - 1000
        both:
          B|gt|all:
            - 100
            - 1000
        condition: any_of or both
      `,
      events: [{ A: 500 }, { B: 500 }, { B: 5000 }, { A: 50 }],
      matches: [0, 2],
    },
    {
      name: 'array-any-element',
      spec: 'SIGMA.md decisions: event arrays',
      rule: det`
        selection:
          Sizes|gt: 10
        condition: selection
      `,
      events: [{ Sizes: [1, 50] }, { Sizes: [1, 2] }, { Sizes: ['x', '11'] }],
      matches: [0, 2],
    },
    {
      name: 'non-decimal-strings-never-compare',
      spec: 'project decision: only JSON numbers and decimal number strings compare',
      rule: det`
        selection:
          Count|gt: 5
        condition: selection
      `,
      events: [
        { Count: '0x20' },
        { Count: 'Infinity' },
        { Count: '20abc' },
        { Count: '20' },
        { Count: '1,000' },
        { Count: { v: 20 } },
        { Count: 'NaN' },
      ],
      matches: [3],
    },
    {
      name: 'not-gt-includes-absent',
      spec: 'SIGMA.md 1.8: missing field makes the comparison false; not is plain negation',
      rule: det`
        big:
          Count|gt: 10
        condition: not big
      `,
      events: [{ Count: 11 }, { Count: 3 }, {}, { Count: 'x' }],
      matches: [1, 2, 3],
    },
  ],
};

const neq: ConformanceGroup = {
  group: 'modifiers/neq',
  cases: [
    {
      name: 'neq-string',
      spec: 'SIGMA.md decisions: neq negates the whole item; absent field therefore matches',
      rule: det`
        selection:
          User|neq: SYSTEM
        condition: selection
      `,
      events: [{ User: 'bob' }, { User: 'SYSTEM' }, { User: 'system' }, {}, { User: null }, { User: 'SYSTEM2' }],
      matches: [0, 3, 4, 5],
    },
    {
      name: 'neq-list-is-not-of-or',
      spec: 'SIGMA.md 1.6 neq: NOT (v1 OR v2), not a per-value compare',
      rule: det`
        selection:
          User|neq:
            - SYSTEM
            - LOCAL SERVICE
        condition: selection
      `,
      events: [{ User: 'bob' }, { User: 'SYSTEM' }, { User: 'local service' }],
      matches: [0],
    },
    {
      name: 'neq-number',
      spec: 'SIGMA.md 1.6 neq',
      rule: det`
        selection:
          EventID|neq: 4688
        condition: selection
      `,
      events: [{ EventID: 1 }, { EventID: 4688 }, { EventID: '4688' }, { EventID: 46880 }],
      matches: [0, 3],
    },
    {
      name: 'neq-with-other-item',
      spec: 'SIGMA.md 1.2 map AND; 1.6 neq',
      rule: det`
        selection:
          Image|endswith: '\net.exe'
          User|neq: 'NT AUTHORITY\SYSTEM'
        condition: selection
      `,
      events: [
        { Image: r`C:\Windows\net.exe`, User: r`CORP\bob` },
        { Image: r`C:\Windows\net.exe`, User: r`NT AUTHORITY\SYSTEM` },
        { Image: r`C:\Windows\net.exe` },
        { Image: r`C:\Windows\cmd.exe`, User: r`CORP\bob` },
      ],
      matches: [0, 2],
    },
    {
      name: 'neq-with-wildcard',
      spec: 'SIGMA.md 1.6 neq negates the wildcard match',
      rule: det`
        selection:
          User|neq: 'NT AUTHORITY\\*'
        condition: selection
      `,
      events: [{ User: r`NT AUTHORITY\SYSTEM` }, { User: r`nt authority\network service` }, { User: r`CORP\bob` }],
      matches: [2],
    },
    {
      name: 'contains-neq',
      spec: 'SIGMA.md 1.6 neq negates the whole item (here a contains item)',
      rule: det`
        selection:
          CommandLine|contains|neq:
            - ' -quiet'
            - ' /q'
        condition: selection
      `,
      events: [{ CommandLine: 'setup.exe -quiet' }, { CommandLine: 'setup.exe /Q' }, { CommandLine: 'setup.exe' }],
      matches: [2],
    },
    {
      name: 'neq-on-array-negates-any',
      spec: 'SIGMA.md 1.6 neq; decisions: event arrays (the item matches when any element matches, neq negates that)',
      rule: det`
        selection:
          Groups|neq: admins
        condition: selection
      `,
      events: [{ Groups: ['users', 'admins'] }, { Groups: ['users'] }, { Groups: [] }],
      matches: [1, 2],
    },
    {
      name: 'not-neq-is-equality',
      spec: 'SIGMA.md 1.5 not; 1.6 neq',
      rule: det`
        other_user:
          User|neq: SYSTEM
        condition: not other_user
      `,
      events: [{ User: 'SYSTEM' }, { User: 'bob' }, {}],
      matches: [0],
    },
  ],
};

const timeParts: ConformanceGroup = {
  group: 'modifiers/time-parts',
  cases: [
    {
      name: 'hour-equality',
      spec: 'SIGMA.md 1.6 minute..year: extract the part, compare numerically',
      rule: det`
        selection:
          Timestamp|hour: 14
        condition: selection
      `,
      events: [
        { Timestamp: '2025-03-07T14:05:09Z' },
        { Timestamp: '2025-03-07 14:59:59.123' },
        { Timestamp: '2025-03-07T15:00:00Z' },
        { Timestamp: '2025-03-07T04:05:09Z' },
        { Timestamp: 'not a date' },
        {},
      ],
      matches: [0, 1],
    },
    {
      name: 'minute-equality',
      spec: 'SIGMA.md 1.6 minute',
      rule: det`
        selection:
          Timestamp|minute: 5
        condition: selection
      `,
      events: [{ Timestamp: '2025-03-07T14:05:09Z' }, { Timestamp: '2025-03-07T05:50:00Z' }, { Timestamp: '2025-03-07 23:05:00.000' }],
      matches: [0, 2],
    },
    {
      name: 'day-is-day-of-month',
      spec: 'project decision: day = day of month',
      rule: det`
        selection:
          Timestamp|day: 7
        condition: selection
      `,
      events: [{ Timestamp: '2025-03-07T14:05:09Z' }, { Timestamp: '2025-07-03T14:05:09Z' }, { Timestamp: '2025-12-07 00:00:00.000' }, { Timestamp: '2025-03-17T00:00:00Z' }],
      matches: [0, 2],
    },
    {
      name: 'month-equality',
      spec: 'SIGMA.md 1.6 month',
      rule: det`
        selection:
          Timestamp|month: 3
        condition: selection
      `,
      events: [{ Timestamp: '2025-03-07T14:05:09Z' }, { Timestamp: '2025-07-03T14:05:09Z' }, { Timestamp: '2024-03-31 23:59:59.999' }],
      matches: [0, 2],
    },
    {
      name: 'year-is-calendar-year',
      spec: 'SIGMA.md 1.6 year (calendar year of the date, even when its ISO week belongs to the next year)',
      rule: det`
        selection:
          Timestamp|year: 2024
        condition: selection
      `,
      events: [{ Timestamp: '2024-12-30T10:00:00Z' }, { Timestamp: '2025-01-01T00:00:00Z' }, { Timestamp: '2024-01-01 00:00:00.000' }],
      matches: [0, 2],
    },
    {
      name: 'week-is-iso-week',
      spec: 'project decision: week = ISO-8601 week number (2025-03-07 is in week 10; 2025-03-02 in week 9; 2025-03-10 in week 11)',
      rule: det`
        selection:
          Timestamp|week: 10
        condition: selection
      `,
      events: [
        { Timestamp: '2025-03-07T14:05:09Z' },
        { Timestamp: '2025-03-03T00:00:00Z' },
        { Timestamp: '2025-03-09T23:59:59Z' },
        { Timestamp: '2025-03-02T12:00:00Z' },
        { Timestamp: '2025-03-10T00:00:00Z' },
      ],
      matches: [0, 1, 2],
    },
    {
      name: 'iso-week-year-edges',
      spec: 'project decision: ISO-8601 week (2024-12-30 is week 1; 2021-01-01 is week 53)',
      rule: det`
        first:
          Timestamp|week: 1
        last:
          Timestamp|week: 53
        condition: first or last
      `,
      events: [
        { Timestamp: '2024-12-30T08:00:00Z' },
        { Timestamp: '2021-01-01T08:00:00Z' },
        { Timestamp: '2024-12-29T08:00:00Z' },
        { Timestamp: '2025-01-06T08:00:00Z' },
      ],
      matches: [0, 1],
    },
    {
      name: 'no-timezone-conversion',
      spec: 'SIGMA.md 1.6 time parts: no timezone handling',
      rule: det`
        selection:
          Timestamp|hour: 23
        condition: selection
      `,
      events: [{ Timestamp: '2025-03-07T23:30:00+05:00' }, { Timestamp: '2025-03-07T18:30:00Z' }, { Timestamp: '2025-03-07T23:30:00-08:00' }],
      matches: [0, 2],
    },
    {
      name: 'hour-range-business-hours',
      spec: 'project decision: a time part followed by gt/gte/lt/lte compares with that operator',
      rule: det`
        selection:
          Timestamp|hour|gte: 8
          Timestamp|hour|lt: 18
        condition: selection
      `,
      events: [
        { Timestamp: '2025-03-07T08:00:00Z' },
        { Timestamp: '2025-03-07T17:59:59Z' },
        { Timestamp: '2025-03-07T18:00:00Z' },
        { Timestamp: '2025-03-07T07:59:59Z' },
        { Timestamp: '2025-03-07 12:00:00.000' },
      ],
      matches: [0, 1, 4],
    },
    {
      name: 'outside-business-hours-with-not',
      spec: 'project decision: time part + compare; SIGMA.md 1.5 not',
      rule: det`
        logon:
          EventID: 4624
        office:
          TimeCreated|hour|gte: 8
          TimeCreated|hour|lte: 17
        condition: logon and not office
      `,
      events: [
        { EventID: 4624, TimeCreated: '2025-03-07T03:12:00Z' },
        { EventID: 4624, TimeCreated: '2025-03-07T09:12:00Z' },
        { EventID: 4624, TimeCreated: '2025-03-07T17:59:00Z' },
        { EventID: 4625, TimeCreated: '2025-03-07T03:12:00Z' },
      ],
      matches: [0],
    },
    {
      name: 'time-part-value-list',
      spec: 'SIGMA.md 1.2 value lists ORed',
      rule: det`
        selection:
          Timestamp|hour:
            - 0
            - 1
            - 2
        condition: selection
      `,
      events: [{ Timestamp: '2025-03-07T00:10:00Z' }, { Timestamp: '2025-03-07T02:59:00Z' }, { Timestamp: '2025-03-07T03:00:00Z' }],
      matches: [0, 1],
    },
    {
      name: 'day-gt-and-month-lte',
      spec: 'project decision: time part + compare',
      rule: det`
        selection:
          Timestamp|day|gt: 25
          Timestamp|month|lte: 2
        condition: selection
      `,
      events: [{ Timestamp: '2025-01-26T00:00:00Z' }, { Timestamp: '2025-02-28T00:00:00Z' }, { Timestamp: '2025-03-30T00:00:00Z' }, { Timestamp: '2025-02-25T00:00:00Z' }],
      matches: [0, 1],
    },
    {
      name: 'week-gte',
      spec: 'project decision: week (ISO) + compare',
      rule: det`
        selection:
          Timestamp|week|gte: 52
        condition: selection
      `,
      events: [{ Timestamp: '2024-12-29T00:00:00Z' }, { Timestamp: '2024-12-30T00:00:00Z' }, { Timestamp: '2021-01-01T00:00:00Z' }],
      matches: [0, 2],
    },
    {
      name: 'fractional-seconds-and-evtx-system-time',
      spec: 'project decision: date strings like 2025-03-07T14:05:09Z or 2025-03-07 14:05:09.123',
      rule: det`
        selection:
          SystemTime|minute: 0
          SystemTime|hour: 10
        condition: selection
      `,
      events: [{ SystemTime: '2026-04-20T10:00:35.646624Z' }, { SystemTime: '2026-04-20 10:00:35.640' }, { SystemTime: '2026-04-20T10:01:35.646624Z' }],
      matches: [0, 1],
    },
    {
      name: 'number-event-value-is-not-a-date',
      spec: 'project decision: time parts extract from a date string; other values never match',
      rule: det`
        selection:
          Timestamp|year: 2025
        condition: selection
      `,
      events: [{ Timestamp: 1741356309 }, { Timestamp: 2025 }, { Timestamp: '2025' }, { Timestamp: '2025-03-07T14:05:09Z' }],
      matches: [3],
    },
  ],
};

export const groups: ConformanceGroup[] = [compare, neq, timeParts];
