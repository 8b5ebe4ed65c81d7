/**
 * Presenting a run as HTML: the report of `sigmatch scan --html` and the views of the web workbench (web/) come from
 * these modules (hits as records, counts, SVG charts, the hits table's rows, rule pages from `analyzeRule`, the
 * event view, the shared stylesheet). Pure: markup as strings, no DOM, no file system; runs in Node and browsers.
 */
export { esc, link, table } from './html.js';
export { LEVELS, UNKNOWN_LEVEL, levelOf, levelRank, reportHit, compareHits, type Level, type ReportHit, type ReportRule, type MatchedValue } from './model.js';
export { HitStats, SERIES, ruleTactics, MAX_TIME_BUCKETS, NO_COMPUTER, OTHER_COMPUTERS, type Counted, type TacticCount } from './stats.js';
export { timeBars, timelineChart, barChart, formatTime, MAX_TIME_BARS, type TimeBar, type BarItem, type ChartOptions } from './charts.js';
export { HIT_COLUMNS, hitHeadHtml, hitCellsHtml, matchedText, sourceText } from './hits-table.js';
export { rulePageHtml, type RulePageOptions } from './rule-page.js';
export { eventHtml } from './event-view.js';
export { BASE_CSS } from './styles.js';
export { summaryHtml, chartsHtml, TOP_BARS, type RunSummary } from './summary.js';
export { HtmlReport, ruleAnchor, DEFAULT_MAX_REPORT_ROWS, type RulePage, type ReportMeta } from './document.js';
