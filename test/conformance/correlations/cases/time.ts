import type { CorrelationGroup } from '../types.js';
import { bruteForce } from './counting.js';
import { fail, iso, T0 } from './_helpers.js';

/** A failed logon without `@timestamp`, with the given fields instead. */
const failWith = (fields: Record<string, unknown>): Record<string, unknown> => ({ EventID: 4625, IpAddress: 'a', ...fields });

const time: CorrelationGroup = {
  group: 'correlations/time',
  cases: [
    {
      name: 'events-without-time-are-left-out',
      spec: 'issue 15: events without a usable time do not update correlation state (counted)',
      rules: bruteForce('{gte: 2}'),
      events: [failWith({}), failWith({ '@timestamp': 'yesterday' }), failWith({})],
      alerts: [],
      stats: { eventsWithoutTime: 3 },
    },
    {
      name: 'time-fallback-now',
      spec: 'issue 15: --time-fallback now uses the clock for events without a usable time',
      rules: bruteForce('{gte: 3}'),
      events: [failWith({}), failWith({}), failWith({})],
      options: { timeFallback: 'now', now: () => T0 },
      alerts: [{ title: 'Brute force', event: 2, value: 3 }],
      stats: { eventsWithoutTime: 0 },
    },
    {
      name: 'time-forms',
      spec: 'issue 15: @timestamp, timestamp, UtcTime, evtx System.TimeCreated.SystemTime; ISO 8601, Sysmon\'s format, epoch seconds and milliseconds',
      rules: bruteForce('{gte: 7}'),
      events: [
        failWith({ '@timestamp': iso(0).replace('Z', '+00:00') }),
        failWith({ timestamp: new Date(T0 + 1000 + 3_600_000).toISOString().replace('Z', '+01:00') }),
        failWith({ UtcTime: iso(2).replace('T', ' ').replace('Z', '') }),
        failWith({ timestamp: (T0 + 3000) / 1000 }),
        failWith({ timestamp: String(T0 + 4000) }),
        { Event: { System: { EventID: 4625, TimeCreated: { '#attributes': { SystemTime: iso(5).replace('Z', '1234Z') } } }, EventData: { IpAddress: 'a' } } },
        failWith({ System: { TimeCreated: { SystemTime: iso(6) } } }),
      ],
      alerts: [{ title: 'Brute force', event: 6, value: 7 }],
    },
    {
      name: 'time-forms-out-of-window-are-read-as-such',
      spec: 'issue 15: the window reads each form\'s instant (here the offset form is an hour earlier)',
      rules: bruteForce('{gte: 2}'),
      events: [failWith({ '@timestamp': iso(0).replace('Z', '+01:00') }), failWith({ '@timestamp': iso(1) })],
      alerts: [],
    },
    {
      name: 'first-usable-time-field-wins',
      spec: 'README Semantics: the first field that holds a usable time',
      rules: bruteForce('{gte: 2}'),
      events: [failWith({ '@timestamp': 'garbage', timestamp: iso(0) }), failWith({ timestamp: iso(100), UtcTime: iso(1) })],
      alerts: [],
    },
    {
      name: 'time-field-option',
      spec: 'issue 15: --time-field names fields tried first',
      rules: bruteForce('{gte: 2}'),
      events: [failWith({ ingested: iso(0), '@timestamp': iso(100) }), failWith({ ingested: iso(1), '@timestamp': iso(0) })],
      options: { timeFields: ['ingested'] },
      alerts: [{ title: 'Brute force', event: 1, value: 2 }],
    },
    {
      name: 'late-event-is-left-out',
      spec: 'issue 15: events out of order beyond --max-lateness (default 0) are counted as late and left out',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, 'a'), fail(10, 'a'), fail(5, 'a'), fail(11, 'a')],
      alerts: [],
      stats: { lateEvents: 1 },
    },
    {
      name: 'equal-time-is-not-late',
      spec: 'issue 15: an event at the time of the last one applied is in order',
      rules: bruteForce('{gte: 2}'),
      events: [fail(10, 'a'), fail(10, 'a')],
      alerts: [{ title: 'Brute force', event: 1, value: 2 }],
      stats: { lateEvents: 0 },
    },
    {
      name: 'lateness-puts-events-in-time-order',
      spec: 'issue 15: input out of time order within --max-lateness is ordered correctly',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, 'a'), fail(10, 'a'), fail(5, 'a'), fail(11, 'a')],
      options: { maxLateness: 10 },
      alerts: [
        { title: 'Brute force', event: 1, value: 3 },
        { title: 'Brute force', event: 3, value: 3 },
      ],
      stats: { lateEvents: 0 },
    },
    {
      name: 'lateness-is-bounded',
      spec: 'issue 15: later events are counted as late',
      rules: bruteForce('{gte: 2}'),
      events: [fail(0, 'a'), fail(20, 'a'), fail(30, 'a'), fail(9, 'a')],
      options: { maxLateness: 10 },
      alerts: [{ title: 'Brute force', event: 2, value: 2 }],
      stats: { lateEvents: 1 },
    },
  ],
};

export const groups: CorrelationGroup[] = [time];
