/**
 * The hits table: its columns and one row's markup. The report writes every row; the workbench's virtualised table
 * writes the rows in view with the same function, so both show a hit the same way.
 */
import { esc } from './html.js';
import { levelOf, type ReportHit, type ReportRule } from './model.js';

export const HIT_COLUMNS = ['Time', 'Level', 'Rule', 'Computer', 'Event ID', 'Matched values', 'Source'] as const;

/** Longest matched-values text in a cell (the event view shows them whole). */
const MAX_CELL_VALUES = 300;

/** The matched values as one line: `Image=C:\x.exe; CommandLine=...` (cut to a cell's worth). */
export function matchedText(hit: Pick<ReportHit, 'fields'>): string {
  const text = (hit.fields ?? []).map((f) => `${f.field}=${f.value}`).join('; ');
  return text.length > MAX_CELL_VALUES ? `${text.slice(0, MAX_CELL_VALUES - 1)}…` : text;
}

/** Where the event is: `file:line` (or `file #event` without a line). */
export function sourceText(hit: Pick<ReportHit, 'file' | 'line' | 'event'>): string {
  const file = hit.file === '' ? '(stdin)' : hit.file;
  return hit.line !== undefined ? `${file}:${hit.line}` : `${file} #${hit.event}`;
}

export function hitHeadHtml(): string {
  return `<tr>${HIT_COLUMNS.map((c) => `<th scope="col" class="col-${c.toLowerCase().replace(/ /g, '-')}">${esc(c)}</th>`).join('')}</tr>`;
}

/** The cells of one hit, in HIT_COLUMNS order. `ruleHref` links the rule's title to its page when given. */
export function hitCellsHtml(hit: ReportHit, rule: ReportRule, ruleHref?: string): string {
  const level = levelOf(rule);
  const title = ruleHref ? `<a href="${esc(ruleHref)}">${esc(rule.title)}</a>` : esc(rule.title);
  return (
    `<td class="col-time">${esc(hit.time ?? '')}</td>` +
    `<td class="col-level"><span class="level lv-${level}">${esc(rule.level ?? level)}</span></td>` +
    `<td class="col-rule">${title}</td>` +
    `<td class="col-computer">${esc(hit.computer ?? '')}</td>` +
    `<td class="col-event-id">${esc(hit.eventId ?? '')}</td>` +
    `<td class="col-matched-values">${esc(matchedText(hit))}</td>` +
    `<td class="col-source">${esc(sourceText(hit))}</td>`
  );
}
