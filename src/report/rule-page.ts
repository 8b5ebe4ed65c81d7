/**
 * A rule's page in HTML, from `analyzeRule` (the same analysis `sigmatch explain` prints, and the same rows: the
 * builders of src/analysis/render.ts): metadata, ATT&CK coverage, the events it applies to, the rule body, the
 * stages of its condition, its exclusions and its indicators with corpus counts.
 */
import type { RuleAnalysis } from '../analysis/analyze.js';
import { attackRows, corpusNote, eventRows, EXCLUSIONS_NOTE, INDICATORS_NOTE, metadataRows, predicateTable } from '../analysis/render.js';
import type { PredicateRow } from '../analysis/predicates.js';
import { esc, link, table } from './html.js';
import { levelOf } from './model.js';

export interface RulePageOptions {
  /** The rule's YAML text ("Rule body"). */
  body?: string;
  /** Hits of the rule in this run. */
  hits?: number;
  /** The element id of the page (for links from the hits table). */
  anchor?: string;
  /** Heading level of the title (2 in the report, 2 in the workbench's rule view). */
  heading?: number;
}

function section(title: string, content: string, h: number): string {
  return `<section class="rule-section"><h${h}>${esc(title)}</h${h}>${content}</section>`;
}

function predicates(rows: readonly PredicateRow[], valueHeader: string, corpus: boolean): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const t = predicateTable(rows, valueHeader, corpus);
  return table(t.header, t.rows, { className: 'predicates' });
}

export function rulePageHtml(a: RuleAnalysis, options: RulePageOptions = {}): string {
  const h = options.heading ?? 2;
  const sub = h + 1;
  const m = a.metadata;
  const out: string[] = [];
  out.push(`<p class="crumbs">Detection rules › Sigma</p>`);
  out.push(`<h${h} class="rule-title"><span class="level lv-${levelOf(m)}">${esc(m.level ?? 'no level')}</span> ${esc(m.title)}</h${h}>`);
  const rows = metadataRows(a);
  if (options.hits !== undefined) rows.unshift(['Hits in this run', String(options.hits)]);
  out.push(`<dl class="metadata">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`);
  if (m.description) out.push(`<p class="description">${esc(m.description)}</p>`);
  if (m.falsepositives.length > 0) out.push(`<p class="label">False positives</p><ul>${m.falsepositives.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>`);
  if (m.references.length > 0) out.push(`<p class="label">References</p><ul class="references">${m.references.map((r) => `<li>${link(r)}</li>`).join('')}</ul>`);

  const attack = attackRows(a);
  const urls = [...a.attack.tactics, ...a.attack.techniques, ...a.attack.groups, ...a.attack.software].map((x) => x.url);
  const attackTable = attack.length > 0 ? table(['Id', 'Name', 'Tag'], attack.map((r, i) => [link(urls[i], r[0]), esc(r[1]), esc(r[2])]), { raw: true }) : '<p class="none">No ATT&amp;CK tags.</p>';
  const other = a.attack.other.length > 0 ? `<p>Other tags: ${a.attack.other.map((t) => `<code>${esc(t)}</code>`).join(', ')}</p>` : '';
  out.push(section('MITRE ATT&CK coverage', attackTable + other, sub));

  const events = eventRows(a);
  out.push(
    section(
      'Event coverage',
      (events.length > 0 ? table(['Provider', 'Event', 'Title', 'Channel', 'Via'], events) : '') + (a.events.note ? `<p class="note">${esc(a.events.note)}</p>` : ''),
      sub,
    ),
  );
  if (options.body !== undefined) out.push(section('Rule body', `<pre class="yaml"><code>${esc(options.body.replace(/\s+$/, ''))}</code></pre>`, sub));

  const stages = a.stages.map((s) => {
    const name = s.role === 'condition' ? 'Stage 0: condition' : `Stage ${s.index}: ${s.label}`;
    const body =
      s.role === 'condition'
        ? `<pre class="condition"><code>${esc(s.label)}</code></pre>`
        : `<pre class="yaml"><code>${esc(s.detections.map((d) => d.yaml ?? `${d.name}: # ${d.predicates.map((p) => `${p.field ?? '(keywords)'} ${p.kind} ${p.value}`).join('; ')}`).join('\n'))}</code></pre>`;
    return `<div class="stage stage-${s.role}"><h${sub + 1}>${esc(name)}</h${sub + 1}>${body}</div>`;
  });
  out.push(section('Stages and predicates', stages.join(''), sub));

  const corpus = a.corpus !== undefined;
  out.push(section('Exclusions', `<p class="note">${esc(EXCLUSIONS_NOTE)}</p>${predicates(a.exclusions, 'Excluded value', corpus)}`, sub));
  out.push(section('Indicators', `<p class="note">${esc(`${INDICATORS_NOTE} ${corpusNote(a)}`)}</p>${predicates(a.indicators, 'Value', corpus)}`, sub));
  return `<article class="rule-page"${options.anchor ? ` id="${esc(options.anchor)}"` : ''}>${out.join('')}</article>`;
}
