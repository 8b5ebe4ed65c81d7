/** The stderr progress line (terminal only, throttled, self-erasing) and the end summary. */
import { describe, expect, test } from 'vitest';
import { createProgress, formatSummary, stripAnsi, SummaryCollector } from '../../src/cli/output/index.js';
import { formatBytes, formatCount, formatDuration, formatRate } from '../../src/cli/output/progress.js';
import { hit, MemoryStream } from './support.js';

const CLEAR = '\r\u001b[2K';

describe('progress', () => {
  test('off when stderr is not a terminal, and with --quiet: nothing is written', () => {
    const pipe = new MemoryStream(false);
    const p = createProgress(pipe, { total: 1000 });
    expect(p.enabled).toBe(false);
    p.update(500, 10);
    p.done();
    expect(pipe.text).toBe('');
    const tty = new MemoryStream(true, 100);
    const quiet = createProgress(tty, { total: 1000, quiet: true });
    quiet.update(500, 10);
    quiet.done();
    expect(tty.text).toBe('');
  });

  test('messages still get through when the line is off', () => {
    const pipe = new MemoryStream(false);
    createProgress(pipe).log('events.ndjson:3: malformed\n');
    expect(pipe.text).toBe('events.ndjson:3: malformed\n');
  });

  test('throttled: at most one redraw per interval, however many updates', () => {
    const s = new MemoryStream(true, 120);
    let now = 0;
    const p = createProgress(s, { total: 10_000, interval: 100, now: () => now });
    for (let i = 1; i <= 1000; i++) {
      now = i; // 1 ms apart: 1,000 updates over one second
      p.update(i * 10, i);
    }
    expect(p.draws).toBeGreaterThanOrEqual(9);
    expect(p.draws).toBeLessThanOrEqual(11);
  });

  test('draws bytes done of the total, percentage, events per second and ETA; erases itself at the end', () => {
    const s = new MemoryStream(true, 120);
    let now = 0;
    const p = createProgress(s, { total: 4 * 1024 * 1024, now: () => now });
    now = 2000;
    p.update(1024 * 1024, 50_000);
    const line = s.text.slice(s.text.lastIndexOf(CLEAR) + CLEAR.length);
    expect(line).toContain('1.00 MiB / 4.00 MiB');
    expect(line).toContain('25%');
    expect(line).toContain('50,000 events');
    expect(line).toContain('25k ev/s');
    expect(line).toContain('ETA 0:06'); // 3 MiB left at 0.5 MiB/s
    p.done();
    expect(s.text.endsWith(CLEAR)).toBe(true);
    const before = s.text;
    p.done();
    expect(s.text).toBe(before); // erased once
  });

  test('without a total (stdin): bytes, events and rate only', () => {
    const s = new MemoryStream(true, 120);
    let now = 0;
    const p = createProgress(s, { now: () => now });
    now = 1000;
    p.update(2048, 100);
    expect(s.text).toContain('2.00 KiB  100 events  100 ev/s');
    expect(s.text).not.toContain('ETA');
  });

  test('log() erases the line, writes the message, and redraws', () => {
    const s = new MemoryStream(true, 120);
    let now = 0;
    const p = createProgress(s, { total: 100, now: () => now });
    now = 500;
    p.update(10, 1);
    const drawn = p.draws;
    p.log('events.ndjson:7: malformed record\n');
    expect(s.text).toContain(`${CLEAR}events.ndjson:7: malformed record\n${CLEAR}scanning`);
    expect(p.draws).toBe(drawn + 1);
  });

  test('the line is cut to the terminal width', () => {
    const s = new MemoryStream(true, 30);
    let now = 0;
    const p = createProgress(s, { total: 10 ** 9, now: () => now });
    now = 1000;
    p.update(10 ** 8, 123_456_789);
    const line = stripAnsi(s.text.slice(s.text.lastIndexOf(CLEAR) + CLEAR.length));
    expect([...line].length).toBeLessThanOrEqual(29);
  });

  test('number formats', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MiB');
    expect(formatRate(950)).toBe('950');
    expect(formatRate(12_345)).toBe('12k');
    expect(formatRate(2_500_000)).toBe('2.5M');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(NaN)).toBe('?');
  });

  test('counts are grouped as en-US toLocaleString groups them', () => {
    for (const n of [0, 1, 12, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 123_456_789, -1, -1234, -999_999, Number.MAX_SAFE_INTEGER, 1.5, 2 ** 60]) {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    }
  });
});

describe('summary', () => {
  const collect = (): SummaryCollector => {
    const c = new SummaryCollector();
    c.hit(hit({ event: 1, level: 'high' }));
    c.hit(hit({ event: 1, title: 'Other', level: 'medium', rule: { id: 'b', title: 'Other', level: 'medium', author: 'Someone' } }));
    c.hit(hit({ event: 4, level: 'high' }));
    c.hit(hit({ event: 9, title: 'Third', rule: { title: 'Third', level: 'critical' } }));
    return c;
  };

  test('counts hits, matched events, levels and rules', () => {
    const d = collect().data({ events: 20, seconds: 0.5, malformed: 0, rules: 30 });
    expect(d.hits).toBe(4);
    expect(d.matchedEvents).toBe(3);
    expect(d.byLevel).toEqual({ high: 2, medium: 1, critical: 1 });
    expect(d.topRules.map((r) => [r.title, r.hits])).toEqual([
      ['Certutil Fetching A Remote File', 2],
      ['Other', 1],
      ['Third', 1],
    ]);
  });

  test('the text: the one-line total first, then speed, matches, levels, top rules with authors, skipped rules, malformed records, routing', () => {
    const d = collect().data({
      events: 20,
      seconds: 0.5,
      bytes: 4096,
      malformed: 2,
      rules: 30,
      ruleErrors: [{ code: 'UNRESOLVED_PLACEHOLDER' }, { code: 'INVALID_REGEX' }, { code: 'UNRESOLVED_PLACEHOLDER' }],
      routed: 26,
      unrouted: 4,
      pipelines: ['sysmon', 'windows'],
    });
    const text = formatSummary(d, { top: 2 });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('sigmatch: 20 events, 4 hits from 30 rules, 3 rule errors, 2 malformed records');
    expect(text).toContain('0.50 s, 40 events/s, 4.00 KiB');
    expect(text).toContain('3 events of 20, 4 hits');
    expect(text).toMatch(/levels {4}critical 1 {2}high 2 {2}medium 1/);
    expect(text).toMatch(/top rules 2 {2}high {10}Certutil Fetching A Remote File \(sigmatch examples\)/);
    expect(text).toMatch(/ {12}1 {2}medium {8}Other \(Someone\)/);
    expect(text).toContain('... and 1 more rule');
    expect(text).toContain('malformed 2 records skipped');
    expect(text).toContain('skipped   3 rule errors: UNRESOLVED_PLACEHOLDER 2, INVALID_REGEX 1');
    expect(text).toContain('pipelines sysmon, windows: 26 rules routed to their log source, 4 not recognised by any pipeline');
    expect(text).not.toMatch(/\u001b\[/);
    expect(stripAnsi(formatSummary(d, { top: 2, color: true }))).toBe(text);
    expect(formatSummary(d, { color: true })).toMatch(/\u001b\[/);
  });

  test('correlation lines: alerts, what was left out and what was evicted, only what happened', () => {
    const totals = { correlations: 2, alerts: 7, eventsWithoutTime: 0, lateEvents: 0, missingValues: 0, evictedGroups: 0, evictedEntries: 0, suppressedAlerts: 0, releasedEarly: 0 };
    const quiet = formatSummary(new SummaryCollector().data({ events: 5, seconds: 1, malformed: 0, rules: 3, correlation: totals }));
    expect(quiet).toContain('correlate 7 alerts from 2 correlation rules\n');
    expect(quiet).not.toMatch(/left out|evicted|state saved/);
    const busy = formatSummary(
      new SummaryCollector().data({
        events: 5,
        seconds: 1,
        malformed: 0,
        rules: 3,
        correlation: { ...totals, alerts: 1, correlations: 1, suppressedAlerts: 3, eventsWithoutTime: 1, lateEvents: 2, missingValues: 4, evictedGroups: 5, evictedEntries: 6, releasedEarly: 1, stateFile: 's.bin' },
      }),
    );
    expect(busy).toContain('correlate 1 alert from 1 correlation rule, 3 alerts suppressed');
    expect(busy).toContain('left out: 1 event without a usable time (--time-field, --time-fallback now), 2 late events (--max-lateness), 4 hits without a value in the aggregated field');
    expect(busy).toContain('evicted: 5 groups (--max-groups), 6 window entries (--max-group-entries), 1 waiting event applied early (--max-pending)');
    expect(busy).toContain('state saved to s.bin');
  });

  test('nothing matched: no level or rule lines', () => {
    const text = formatSummary(new SummaryCollector().data({ events: 5, seconds: 0.01, malformed: 0, rules: 3 }));
    expect(text.split('\n')[0]).toBe('sigmatch: 5 events, 0 hits from 3 rules');
    expect(text).not.toContain('levels');
    expect(text).not.toContain('top rules');
  });
});
