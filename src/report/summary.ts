/** The run's summary as a row of figures, and the charts of its hits: shared by the report and the workbench. */
import { barChart, timeBars, timelineChart, type ChartOptions } from './charts.js';
import { esc } from './html.js';
import { levelOf } from './model.js';
import type { HitStats } from './stats.js';

/** Bars in the top-rules and top-computers charts. */
export const TOP_BARS = 10;

export interface RunSummary {
  events: number;
  /** Bytes read (absent when unknown). */
  bytes?: number;
  seconds: number;
  /** Rules scanned. */
  rules: number;
  /** Rules that could not be loaded (errors). */
  ruleErrors: number;
  /** Malformed input records (skipped, reported with their file and line). */
  malformed: number;
}

function figure(key: string, value: string, name: string): string {
  return `<li data-figure="${esc(name)}"><span class="k">${esc(key)}</span><span class="v">${esc(value)}</span></li>`;
}

const n = (x: number): string => x.toLocaleString('en-US');

export function summaryHtml(run: RunSummary, stats: HitStats): string {
  const rate = run.seconds > 0 ? run.events / run.seconds : 0;
  const mb = run.bytes !== undefined && run.seconds > 0 ? `, ${(run.bytes / 1e6 / run.seconds).toFixed(1)} MB/s` : '';
  return (
    `<ul class="summary">` +
    figure('Events', n(run.events), 'events') +
    figure('Hits', n(stats.hits), 'hits') +
    figure('Matched events', n(stats.matchedEvents), 'matched-events') +
    figure('Rules fired', `${n(stats.byRule.size)} of ${n(run.rules)}`, 'rules-fired') +
    figure('Time', `${run.seconds.toFixed(2)} s (${n(Math.round(rate))} events/s${mb})`, 'time') +
    figure('Malformed records', n(run.malformed), 'malformed') +
    figure('Rules skipped (errors)', n(run.ruleErrors), 'rule-errors') +
    `</ul>`
  );
}

/** The four charts: hits over time by level, top rules, top computers, ATT&CK tactics. */
export function chartsHtml(stats: HitStats, options: ChartOptions = {}): string {
  const rules = stats.topRules(TOP_BARS).map(({ key, count }) => {
    const rule = stats.rules[key];
    return { label: rule.title, count, level: levelOf(rule), filter: { kind: 'rule', value: String(key) } };
  });
  const computers = stats.topComputers(TOP_BARS).map(({ key, count }) => ({ label: key, count, filter: { kind: 'computer', value: key } }));
  const tactics = stats.tactics().map((t) => ({ label: `${t.name} (${t.id})`, count: t.count, filter: { kind: 'tactic', value: t.tactic } }));
  return (
    `<div class="charts">` +
    timelineChart(timeBars(stats.histogram()), options) +
    barChart('Top rules', rules, options) +
    barChart('Top computers', computers, options) +
    barChart('ATT&CK tactics', tactics, options) +
    `</div>`
  );
}
