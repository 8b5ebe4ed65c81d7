/**
 * The charts of a run as SVG markup (no library): hits over time stacked by level, and horizontal bar charts (top
 * rules, top computers, ATT&CK tactics). Colours come from CSS classes (styles.ts), so light and dark themes apply.
 * Each chart has a text alternative; in the workbench, bars carry `data-filter` / `data-value` and are focusable, and
 * the app turns a click or Enter into a filter.
 */
import { esc } from './html.js';
import { SERIES } from './stats.js';

export interface TimeBar {
  /** Start and end of the bar, ms since the epoch. */
  from: number;
  to: number;
  /** Hits per SERIES entry. */
  counts: number[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Bar widths a reader can name, smallest first. */
const NICE_WIDTHS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY,
];

/** Most bars a timeline draws. */
export const MAX_TIME_BARS = 60;

/**
 * Regroup a histogram (buckets of `width` ms) into at most `maxBars` bars of a nice width. A source bucket goes to the
 * bar its start falls in: a bar may be off by less than one source bucket, far less than a bar.
 */
export function timeBars(histogram: { width: number; buckets: readonly (readonly [number, readonly number[]])[] }, maxBars = MAX_TIME_BARS): TimeBar[] {
  const { buckets } = histogram;
  if (buckets.length === 0) return [];
  const first = buckets[0][0];
  const last = buckets[buckets.length - 1][0] + histogram.width;
  const span = Math.max(1, last - first);
  const width = NICE_WIDTHS.find((w) => w >= histogram.width && Math.ceil(span / w) <= maxBars) ?? Math.max(histogram.width, Math.ceil(span / maxBars));
  const start = Math.floor(first / width) * width;
  const count = Math.floor((last - 1 - start) / width) + 1;
  const bars: TimeBar[] = Array.from({ length: count }, (_, i) => ({ from: start + i * width, to: start + (i + 1) * width, counts: new Array<number>(SERIES.length).fill(0) }));
  for (const [t, counts] of buckets) {
    const bar = bars[Math.min(count - 1, Math.floor((t - start) / width))];
    for (let i = 0; i < counts.length; i++) bar.counts[i] += counts[i];
  }
  return bars;
}

/** A time as the charts and tables print it: ISO 8601 in UTC without the `T`, to the precision the span needs. */
export function formatTime(ms: number, precise = false): string {
  if (!Number.isFinite(ms)) return '';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, precise ? 23 : 19)}`;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export interface ChartOptions {
  /** Focusable bars with data-filter attributes (the workbench); off in the static report. */
  interactive?: boolean;
}

const VIEW_W = 1200;
const VIEW_H = 170;
const PAD_L = 44;
const PAD_B = 22;
const PAD_T = 8;

/** Hits over time, stacked by level. */
export function timelineChart(bars: readonly TimeBar[], options: ChartOptions = {}): string {
  const total = sum(bars.map((b) => sum(b.counts)));
  const label = bars.length === 0 ? 'No hits with a time' : `Hits over time by level: ${total} hits from ${formatTime(bars[0].from)} to ${formatTime(bars[bars.length - 1].to)} UTC`;
  if (bars.length === 0) return `<p class="chart-empty">${esc(label)}.</p>`;
  const max = Math.max(1, ...bars.map((b) => sum(b.counts)));
  const plotW = VIEW_W - PAD_L - 4;
  const plotH = VIEW_H - PAD_T - PAD_B;
  const barW = plotW / bars.length;
  const gap = barW > 4 ? 1 : 0;
  const parts: string[] = [];
  parts.push(`<line class="axis" x1="${PAD_L}" y1="${PAD_T + plotH}" x2="${VIEW_W - 4}" y2="${PAD_T + plotH}"/>`);
  parts.push(`<text class="tick" x="${PAD_L - 4}" y="${PAD_T + 8}" text-anchor="end">${max}</text><text class="tick" x="${PAD_L - 4}" y="${PAD_T + plotH}" text-anchor="end">0</text>`);
  parts.push(`<text class="tick" x="${PAD_L}" y="${VIEW_H - 6}">${esc(formatTime(bars[0].from))}</text>`);
  parts.push(`<text class="tick" x="${VIEW_W - 4}" y="${VIEW_H - 6}" text-anchor="end">${esc(formatTime(bars[bars.length - 1].to))} UTC</text>`);
  bars.forEach((bar, i) => {
    const n = sum(bar.counts);
    if (n === 0) return;
    const x = PAD_L + i * barW;
    const detail = SERIES.map((s, j) => (bar.counts[j] > 0 ? `${bar.counts[j]} ${s}` : '')).filter(Boolean).join(', ');
    const title = `${formatTime(bar.from)} to ${formatTime(bar.to)}: ${n} hits (${detail})`;
    const attrs = options.interactive ? ` tabindex="0" role="button" data-filter="time" data-from="${bar.from}" data-to="${bar.to}" aria-label="${esc(title)}"` : '';
    let y = PAD_T + plotH;
    const rects: string[] = [];
    // Most severe on top: stack from the least severe up.
    for (let j = SERIES.length - 1; j >= 0; j--) {
      if (bar.counts[j] === 0) continue;
      const h = (bar.counts[j] / max) * plotH;
      y -= h;
      rects.push(`<rect class="lv-${SERIES[j]}" x="${(x + gap / 2).toFixed(2)}" y="${y.toFixed(2)}" width="${Math.max(0.5, barW - gap).toFixed(2)}" height="${Math.max(0.5, h).toFixed(2)}"/>`);
    }
    parts.push(`<g class="bar"${attrs}><title>${esc(title)}</title>${rects.join('')}</g>`);
  });
  const legend = SERIES.filter((_, j) => bars.some((b) => b.counts[j] > 0))
    .map((s) => `<span class="legend-item"><span class="swatch lv-${s}"></span>${esc(s)}</span>`)
    .join('');
  return (
    `<figure class="chart chart-timeline"><svg viewBox="0 0 ${VIEW_W} ${VIEW_H}" role="${options.interactive ? 'group' : 'img'}" aria-label="${esc(label)}">${parts.join('')}</svg>` +
    `<figcaption class="legend">${legend}</figcaption></figure>`
  );
}

export interface BarItem {
  label: string;
  count: number;
  /** The level colour of the bar (a SERIES name); a neutral colour when absent. */
  level?: string;
  /** What a click filters on in the workbench (`rule`, `computer`, `tactic`) and the value. */
  filter?: { kind: string; value: string };
}

const BAR_ROW = 22;
const LABEL_W = 200;
const BAR_VIEW_W = 440;
const LABEL_CHARS = 28;

/** A horizontal bar chart with its title; each row shows the label, the bar and the count. */
export function barChart(title: string, items: readonly BarItem[], options: ChartOptions = {}): string {
  if (items.length === 0) return `<figure class="chart chart-bars"><figcaption>${esc(title)}</figcaption><p class="chart-empty">None.</p></figure>`;
  const max = Math.max(1, ...items.map((i) => i.count));
  const plotW = BAR_VIEW_W - LABEL_W - 56;
  const height = items.length * BAR_ROW + 4;
  const rows = items.map((item, i) => {
    const y = i * BAR_ROW + 2;
    const w = Math.max(1, (item.count / max) * plotW);
    const short = item.label.length > LABEL_CHARS ? `${item.label.slice(0, LABEL_CHARS - 1)}…` : item.label;
    const text = `${item.label}: ${item.count} hits`;
    const attrs = options.interactive && item.filter ? ` tabindex="0" role="button" data-filter="${esc(item.filter.kind)}" data-value="${esc(item.filter.value)}" aria-label="${esc(`Filter: ${text}`)}"` : '';
    return (
      `<g class="bar"${attrs}><title>${esc(text)}</title>` +
      `<text class="label" x="${LABEL_W - 6}" y="${y + 15}" text-anchor="end">${esc(short)}</text>` +
      `<rect class="${item.level ? `lv-${esc(item.level)}` : 'neutral'}" x="${LABEL_W}" y="${y + 3}" width="${w.toFixed(2)}" height="${BAR_ROW - 6}"/>` +
      `<text class="count" x="${(LABEL_W + w + 4).toFixed(2)}" y="${y + 15}">${item.count}</text></g>`
    );
  });
  const summary = `${title}: ${items.map((i) => `${i.label} ${i.count}`).join(', ')}`;
  return `<figure class="chart chart-bars"><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${BAR_VIEW_W} ${height}" role="${options.interactive ? 'group' : 'img'}" aria-label="${esc(summary)}">${rows.join('')}</svg></figure>`;
}
