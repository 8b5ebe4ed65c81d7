import type { CorrelationGroup } from '../types.js';
import { bruteForce } from './counting.js';
import { fail } from './_helpers.js';

const a = (...seconds: number[]): Record<string, unknown>[] => seconds.map((s) => fail(s, 'a'));

const actions: CorrelationGroup = {
  group: 'correlations/options',
  cases: [
    {
      name: 'action-reset-clears-the-window',
      spec: 'issue 15: action: reset (custom attribute sigmatch.action)',
      rules: bruteForce('{gte: 3}', 'sigmatch.action: reset\n'),
      events: a(0, 1, 2, 3, 4, 5),
      alerts: [
        { title: 'Brute force', event: 2, value: 3 },
        { title: 'Brute force', event: 5, value: 3 },
      ],
    },
    {
      name: 'run-default-action-reset',
      spec: 'issue 15: options per run (CLI/library)',
      rules: bruteForce('{gte: 3}'),
      events: a(0, 1, 2, 3, 4, 5),
      options: { action: 'reset' },
      alerts: [
        { title: 'Brute force', event: 2 },
        { title: 'Brute force', event: 5 },
      ],
    },
    {
      name: 'document-setting-beats-run-default',
      spec: 'issue 15: per correlation settings override the run\'s',
      rules: bruteForce('{gte: 3}', 'sigmatch.action: alert\n'),
      events: a(0, 1, 2, 3),
      options: { action: 'reset' },
      alerts: [
        { title: 'Brute force', event: 2 },
        { title: 'Brute force', event: 3 },
      ],
    },
    {
      name: 'suppress',
      spec: 'issue 15: suppress: <duration>: a group does not alert again until that long after its last alert',
      rules: bruteForce('{gte: 3}', 'sigmatch.suppress: 5s\n'),
      events: a(0, 1, 2, 3, 4, 5, 6, 7),
      alerts: [
        { title: 'Brute force', event: 2, value: 3 },
        { title: 'Brute force', event: 7, value: 8 },
      ],
      stats: { suppressedAlerts: 4 },
    },
    {
      name: 'suppress-is-per-group',
      spec: 'issue 15: suppress per group',
      rules: bruteForce('{gte: 2}', 'sigmatch.suppress: 1m\n'),
      events: [fail(0, 'a'), fail(1, 'a'), fail(2, 'b'), fail(3, 'b'), fail(4, 'a')],
      alerts: [
        { title: 'Brute force', event: 1, group: { IpAddress: 'a' } },
        { title: 'Brute force', event: 3, group: { IpAddress: 'b' } },
      ],
    },
    {
      name: 'tumbling-window',
      spec: 'issue 15: tumbling windows: fixed buckets of the timespan, aligned to the epoch',
      rules: bruteForce('{gte: 3}', 'sigmatch.window: tumbling\n'),
      events: a(8, 9, 10, 11, 12),
      alerts: [{ title: 'Brute force', event: 4, value: 3 }],
    },
    {
      name: 'session-window',
      spec: 'issue 15: session windows: a session lasts while events come within the gap',
      rules: bruteForce('{gte: 3}', 'sigmatch.window: session\nsigmatch.gap: 5s\n', '[IpAddress]', '1m'),
      events: a(0, 4, 10, 14, 18),
      alerts: [{ title: 'Brute force', event: 4, value: 3 }],
    },
    {
      name: 'session-window-capped-by-timespan',
      spec: 'README Semantics: a session spans at most the timespan (rsigma\'s cap)',
      rules: bruteForce('{gte: 3}', 'sigmatch.window: session\nsigmatch.gap: 5s\n'),
      events: a(0, 4, 8, 12, 16),
      alerts: [{ title: 'Brute force', event: 2, value: 3 }],
    },
    {
      name: 'events-refs',
      spec: 'issue 15: --correlation-events refs lists the contributing events',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, 'a'), fail(1, 'b'), fail(2, 'a'), fail(3, 'a')],
      options: { events: 'refs' },
      alerts: [{ title: 'Brute force', event: 3, value: 3, events: [0, 2, 3] }],
    },
  ],
};

const bounds: CorrelationGroup = {
  group: 'correlations/bounded-state',
  cases: [
    {
      name: 'max-groups-evicts-the-least-recently-updated',
      spec: 'issue 15: bounded memory: max groups, oldest evicted first, evictions counted',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, 'a'), fail(1, 'b'), fail(2, 'a'), fail(3, 'b'), fail(4, 'a')],
      options: { maxGroups: 1 },
      alerts: [],
      stats: { evictedGroups: 4 },
    },
    {
      name: 'max-groups-keeps-the-busy-group',
      spec: 'issue 15: the group updated least recently leaves first',
      rules: bruteForce('{gte: 3}'),
      events: [fail(0, 'a'), fail(1, 'b'), fail(2, 'a'), fail(3, 'c'), fail(4, 'a')],
      options: { maxGroups: 2 },
      alerts: [{ title: 'Brute force', event: 4, value: 3, group: { IpAddress: 'a' } }],
      stats: { evictedGroups: 1 },
    },
    {
      name: 'expired-group-leaves-without-counting',
      spec: 'README Semantics: a group whose window is over is dropped first and is not counted as an eviction',
      rules: bruteForce('{gte: 2}'),
      events: [fail(0, 'a'), fail(20, 'b'), fail(21, 'b')],
      options: { maxGroups: 1 },
      alerts: [{ title: 'Brute force', event: 2, value: 2 }],
      stats: { evictedGroups: 0 },
    },
    {
      name: 'max-pending-applies-the-earliest-at-once',
      spec: 'issue 15: bounded memory: events waiting within the lateness are bounded too; later arrivals earlier than one applied early are late',
      rules: bruteForce('{gte: 3}'),
      events: a(0, 10, 8, 5),
      options: { maxLateness: 10, maxPending: 1 },
      alerts: [{ title: 'Brute force', event: 1, value: 3 }],
      stats: { releasedEarly: 1, lateEvents: 1 },
    },
    {
      name: 'without-the-pending-bound-the-same-events-are-in-order',
      spec: 'issue 15: input out of time order within --max-lateness is ordered correctly',
      rules: bruteForce('{gte: 3}'),
      events: a(0, 10, 8, 5),
      options: { maxLateness: 10 },
      alerts: [
        { title: 'Brute force', event: 2, value: 3 },
        { title: 'Brute force', event: 1, value: 4 },
      ],
      stats: { releasedEarly: 0, lateEvents: 0 },
    },
    {
      name: 'max-group-entries-drops-the-oldest',
      spec: 'issue 15: bounded memory: max entries per group, oldest evicted first, evictions counted',
      rules: bruteForce('{gte: 3}'),
      events: a(0, 1, 2, 3),
      options: { maxGroupEntries: 2 },
      alerts: [],
      stats: { evictedEntries: 2 },
    },
  ],
};

export const groups: CorrelationGroup[] = [actions, bounds];
