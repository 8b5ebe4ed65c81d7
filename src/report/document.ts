/**
 * The HTML report of a run (`sigmatch scan --html`): one self-contained file (inline CSS, no script, no external
 * asset, a Content-Security-Policy that forbids loading anything): the summary, the charts, the hits table and the
 * rule pages of the rules that fired. Written in chunks, so a large table never becomes one string.
 */
import type { RuleAnalysis } from '../analysis/analyze.js';
import { esc } from './html.js';
import { hitCellsHtml, hitHeadHtml } from './hits-table.js';
import { compareHits, type ReportHit, type ReportRule } from './model.js';
import { rulePageHtml } from './rule-page.js';
import { HitStats } from './stats.js';
import { BASE_CSS } from './styles.js';
import { chartsHtml, summaryHtml, type RunSummary } from './summary.js';

/** Rows the report's table holds at most: past it the hits are counted (summary, charts) but not listed. */
export const DEFAULT_MAX_REPORT_ROWS = 100_000;
/** Rows per <tbody>: the browser skips laying out the groups out of view (content-visibility). */
const ROWS_PER_GROUP = 500;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const REPORT_CSS = `
body{max-width:1400px;margin:0 auto;padding:16px 24px}
header h1{margin:0 0 4px}header p{margin:0;color:var(--muted)}
h2{margin-top:28px}
.hits tbody{content-visibility:auto;contain-intrinsic-size:auto 14000px}
.inputs{color:var(--muted)}
nav.toc ul{columns:2;padding-left:18px}
`;

export interface RulePage {
  /** The rule's index in the report's rule list. */
  rule: number;
  analysis: RuleAnalysis;
  body?: string;
}

export interface ReportMeta extends RunSummary {
  /** Inputs scanned, as named on the command line. */
  inputs: readonly string[];
  /** Pipelines applied (names). */
  pipelines?: readonly string[];
  /** When the report was written (ISO 8601). */
  generated: string;
  /** Lines of remarks shown under the summary (e.g. why there are no rule pages). */
  remarks?: readonly string[];
}

export const ruleAnchor = (rule: number): string => `rule-${rule}`;

/** Collects a run's hits (counted all; listed up to `maxRows`) and writes the report. */
export class HtmlReport {
  readonly stats: HitStats;
  private readonly kept: ReportHit[] = [];

  constructor(
    readonly rules: readonly ReportRule[],
    readonly maxRows = DEFAULT_MAX_REPORT_ROWS,
  ) {
    this.stats = new HitStats(rules);
  }

  add(hit: ReportHit): void {
    this.stats.add(hit);
    if (this.kept.length < this.maxRows) this.kept.push(hit);
  }

  /** The rules that fired, by hits (most first). */
  firedRules(): number[] {
    return this.stats.topRules(Infinity).map((r) => r.key);
  }

  /** The document, in chunks. `pages`: the rule pages of the rules that fired (in any order; shown by hits). */
  *chunks(meta: ReportMeta, pages: readonly RulePage[]): Generator<string> {
    const title = `sigmatch report: ${this.stats.hits.toLocaleString('en-US')} hits in ${meta.events.toLocaleString('en-US')} events`;
    yield `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">` +
      `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="generator" content="sigmatch"><title>${esc(title)}</title>` +
      `<style>${BASE_CSS}${REPORT_CSS}</style></head><body>`;
    yield `<header><h1>sigmatch report</h1><p>Generated ${esc(meta.generated)}${meta.pipelines && meta.pipelines.length > 0 ? ` · pipelines ${esc(meta.pipelines.join(', '))}` : ''}</p>` +
      `<p class="inputs">Inputs: ${esc(meta.inputs.join(', ') || '(none)')}</p></header><main>`;
    yield `<section aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2>${summaryHtml(meta, this.stats)}` +
      `${(meta.remarks ?? []).map((r) => `<p class="remark">${esc(r)}</p>`).join('')}</section>`;
    yield `<section aria-labelledby="h-charts"><h2 id="h-charts">Charts</h2>${chartsHtml(this.stats)}</section>`;

    const pageOf = new Map(pages.map((p) => [p.rule, p]));
    const rows = [...this.kept].sort(compareHits);
    const listed = rows.length < this.stats.hits ? `<p class="remark" data-truncated="true">The table lists the first ${rows.length.toLocaleString('en-US')} of ${this.stats.hits.toLocaleString('en-US')} hits (the summary and the charts count them all); --format jsonl writes every hit.</p>` : '';
    yield `<section aria-labelledby="h-hits"><h2 id="h-hits">Hits</h2>${listed}<table class="hits"><caption class="sr-only">Hits, by time</caption><thead>${hitHeadHtml()}</thead>`;
    for (let i = 0; i < rows.length; i += ROWS_PER_GROUP) {
      let group = '<tbody>';
      for (const hit of rows.slice(i, i + ROWS_PER_GROUP)) {
        group += `<tr>${hitCellsHtml(hit, this.rules[hit.rule], pageOf.has(hit.rule) ? `#${ruleAnchor(hit.rule)}` : undefined)}</tr>`;
      }
      yield `${group}</tbody>`;
    }
    yield `</table></section>`;

    const fired = this.firedRules().filter((r) => pageOf.has(r));
    yield `<section aria-labelledby="h-rules"><h2 id="h-rules">Rules that fired</h2>`;
    if (fired.length > 0) {
      yield `<nav class="toc" aria-label="Rules that fired"><ul>${fired.map((r) => `<li><a href="#${ruleAnchor(r)}">${esc(this.rules[r].title)}</a> (${this.stats.byRule.get(r)})</li>`).join('')}</ul></nav>`;
    } else yield `<p class="none">${this.stats.hits === 0 ? 'No rule fired.' : 'No rule pages (see the remarks above).'}</p>`;
    for (const r of fired) {
      const page = pageOf.get(r)!;
      yield rulePageHtml(page.analysis, { body: page.body, hits: this.stats.byRule.get(r), anchor: ruleAnchor(r), heading: 3 });
    }
    yield `</section></main></body></html>\n`;
  }
}
