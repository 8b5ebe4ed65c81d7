/**
 * src/report without a browser: hostile text never becomes markup, counts stay bounded, times are read as logs write
 * them, the timeline regroups into nice bars without losing a hit, and the report document is self-contained.
 */
import { describe, expect, test } from 'vitest';
import { analyzeRule } from '../../src/analysis/analyze.js';
import { eventComputer, eventIdOf } from '../../src/input/event-fields.js';
import { parseIsoTime } from '../../src/correlation/time.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import {
  barChart,
  eventHtml,
  HitStats,
  hitCellsHtml,
  HtmlReport,
  MAX_TIME_BUCKETS,
  MAX_TIME_BARS,
  reportHit,
  rulePageHtml,
  SERIES,
  timeBars,
  timelineChart,
  type ReportHit,
  type ReportRule,
} from '../../src/report/index.js';

const EVIL = `<script>alert(1)</script><img src=x onerror="alert(2)">'"&`;
const RULES: ReportRule[] = [
  { title: EVIL, level: 'high', tags: ['attack.execution', 'attack.t1059.001'] },
  { title: 'Plain', level: 'nonsense', tags: ['attack.defense_evasion'] },
];

function hit(rule: number, ts: number, extra: Partial<ReportHit> = {}): ReportHit {
  return { rule, file: 'f.ndjson', event: ts, ts, ...extra };
}

/** Markup with every tag of the given names: the hostile strings must not add any. */
const tags = (html: string, name: string): number => (html.match(new RegExp(`<${name}[\\s>]`, 'gi')) ?? []).length;

describe('hostile text', () => {
  test('rule titles, event values, computers and matched values are escaped in every view', () => {
    const h = hit(0, 0, { computer: EVIL, eventId: EVIL, time: EVIL, fields: [{ field: EVIL, value: EVIL }], file: EVIL });
    const cells = hitCellsHtml(h, RULES[0], `#x"onmouseover="alert(3)`);
    expect(tags(cells, 'script') + tags(cells, 'img')).toBe(0);
    expect(cells).not.toContain('"onmouseover');
    const event = eventHtml({ [EVIL]: EVIL, nested: { Image: EVIL } }, [{ field: 'Image', value: EVIL }]);
    expect(tags(event, 'script') + tags(event, 'img')).toBe(0);
    expect(event).toContain('<mark class="matched">');
    const stats = new HitStats(RULES);
    stats.add(h);
    const chart = barChart(EVIL, [{ label: EVIL, count: 1, filter: { kind: EVIL, value: EVIL } }], { interactive: true });
    expect(tags(chart, 'script') + tags(chart, 'img')).toBe(0);
    // Control characters are shown, not passed through.
    expect(hitCellsHtml(hit(1, 0, { computer: 'a\u001b[31mb' }), RULES[1])).toContain('a\\x1b[31mb');
  });

  test('a rule page of a hostile rule: no markup from the rule, only http(s) references are links', () => {
    const text = `title: '${EVIL.replace(/'/g, "''")}'
id: 5c3c6f1e-0000-4000-8000-000000000001
description: '<b>bold</b>'
references:
  - 'javascript:alert(1)'
  - https://example.test/x?a=1&b="2"
logsource: { product: windows, category: process_creation }
detection:
  selection: { Image|endswith: '<svg onload=alert(4)>' }
  condition: selection
level: high
`;
    const rule = loadRulesFromText(text).rules[0];
    const html = rulePageHtml(analyzeRule(rule, { corpus: [rule] }), { body: text });
    expect(tags(html, 'script') + tags(html, 'img') + tags(html, 'svg') + tags(html, 'b')).toBe(0);
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('href="https://example.test/x?a=1&amp;b=&quot;2&quot;"');
  });
});

describe('counts', () => {
  test('levels, rules, computers, tactics and matched events', () => {
    const stats = new HitStats(RULES);
    stats.add(hit(0, 1000, { computer: 'a' }));
    stats.add(hit(1, 1000, { computer: 'a' })); // same event (f.ndjson, 1000)
    stats.add(hit(1, 2000));
    expect(stats.hits).toBe(3);
    expect(stats.matchedEvents).toBe(2);
    expect(Object.fromEntries(stats.byLevel)).toEqual({ high: 1, unknown: 2 });
    expect(stats.topComputers(5)).toEqual([{ key: 'a', count: 2 }, { key: '(none)', count: 1 }]);
    expect(stats.tactics().map((t) => [t.tactic, t.count])).toEqual([['execution', 1], ['defense-evasion', 2]]);
  });

  test('the time histogram stays within MAX_TIME_BUCKETS over any span, and keeps every hit', () => {
    const stats = new HitStats(RULES);
    const n = 50_000;
    // Spread over ten years, in a shuffled order.
    for (let i = 0; i < n; i++) stats.add(hit(i % 2, ((i * 7919) % n) * 6_311_520_000 / n + 1_600_000_000_000));
    const { buckets } = stats.histogram();
    expect(buckets.length).toBeLessThanOrEqual(MAX_TIME_BUCKETS);
    expect(buckets.reduce((s, [, c]) => s + c.reduce((a, b) => a + b, 0), 0)).toBe(n);
    const bars = timeBars(stats.histogram());
    expect(bars.length).toBeLessThanOrEqual(MAX_TIME_BARS);
    expect(bars.reduce((s, b) => s + b.counts.reduce((a, c) => a + c, 0), 0)).toBe(n);
    expect(bars[0].from).toBeLessThanOrEqual(stats.minTime);
    expect(bars[bars.length - 1].to).toBeGreaterThan(stats.maxTime);
  });

  test('hits without a time are counted, not charted', () => {
    const stats = new HitStats(RULES);
    stats.add(hit(0, NaN));
    expect(stats.untimed).toBe(1);
    expect(timelineChart(timeBars(stats.histogram()))).toContain('No hits with a time');
    expect(SERIES).toContain('unknown');
  });
});

describe('event fields', () => {
  test('times as logs write them, in UTC unless they say otherwise', () => {
    expect(parseIsoTime('2026-11-28 07:31:56.145')).toBe(Date.UTC(2026, 10, 28, 7, 31, 56, 145));
    expect(parseIsoTime('2026-02-04T08:43:28.342637Z')).toBe(Date.UTC(2026, 1, 4, 8, 43, 28, 342));
    expect(parseIsoTime('2026-02-04T10:43:28+02:00')).toBe(Date.UTC(2026, 1, 4, 8, 43, 28));
    expect(parseIsoTime('2026-02-04')).toBe(Date.UTC(2026, 1, 4));
    expect(parseIsoTime('yesterday')).toBeNull();
    expect(parseIsoTime('2026'), 'an epoch number is not a date').toBeNull();
    expect(parseIsoTime('2026-02-30'), 'the calendar is checked').toBeNull();
  });

  test('computer and event ID: flat, evtx_dump (with attributes) and ECS', () => {
    expect(eventComputer({ Computer: 'WS-1' })).toBe('WS-1');
    expect(eventComputer({ Event: { System: { Computer: 'srv' } } })).toBe('srv');
    expect(eventComputer({ host: { name: 'h' } })).toBe('h');
    expect(eventIdOf({ Event: { System: { EventID: { '#attributes': { Qualifiers: 0 }, '#text': 4688 } } } })).toBe('4688');
    expect(eventIdOf({ winlog: { event_id: 1 } })).toBe('1');
    expect(reportHit({ rule: 0, file: '', event: 0 }, 'not an object')).toEqual({ rule: 0, file: '', event: 0, ts: NaN });
  });
});

describe('the report document', () => {
  test('self-contained: no script, no external reference, a CSP that loads nothing; the table is capped and says so', () => {
    const report = new HtmlReport(RULES, 2);
    for (let i = 0; i < 5; i++) report.add(hit(i % 2, i * 1000));
    const html = [...report.chunks({ events: 5, seconds: 1, rules: 2, ruleErrors: 0, malformed: 0, inputs: [EVIL], generated: 'now' }, [])].join('');
    expect(tags(html, 'script')).toBe(0);
    expect(html).not.toMatch(/\s(?:src|href)="(?:https?:)?\/\//);
    expect(html).toContain(`content="default-src &#39;none&#39;`);
    expect(html.match(/<tr><td class="col-time">/g)).toHaveLength(2);
    expect(html).toContain('lists the first 2 of 5 hits');
  });
});
