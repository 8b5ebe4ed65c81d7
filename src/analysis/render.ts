/**
 * A rule analysis as text (a terminal page) and as Markdown (for wikis, tickets and pull requests), laid out like a
 * detection catalog's rule page: metadata, ATT&CK coverage, event coverage, the rule body, the stages of the
 * condition, then the exclusions and indicators tables.
 */
import { logsourceText, type RuleAnalysis } from './analyze.js';
import type { PredicateRow } from './predicates.js';

export interface RenderOptions {
  /** The rule's YAML text, shown as "Rule body" (omitted when absent). */
  body?: string;
}

/** Control characters shown as escapes, so rule text cannot drive the terminal. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - codePoints(s)));
}

/** Rows as aligned columns (two spaces apart), each line indented. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string[] {
  const cells = [header, ...rows].map((r) => r.map((c) => printable(c).replace(/\n/g, ' ')));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => codePoints(r[i] ?? ''))));
  return cells.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]))).join('  ').trimEnd());
}

export function fieldName(row: PredicateRow): string {
  return row.field ?? '(keywords)';
}

export function kindText(row: PredicateRow): string {
  return row.modifiers.length > 0 ? `${row.kind} (${row.modifiers.join(', ')})` : row.kind;
}

export function metadataRows(a: RuleAnalysis): [string, string][] {
  const m = a.metadata;
  const rows: [string, string][] = [];
  if (m.status !== undefined) rows.push(['Status', m.status]);
  if (m.level !== undefined) rows.push(['Severity', m.level]);
  rows.push(['Log source', logsourceText(m.logsource) || '(none)']);
  if (m.author !== undefined) rows.push(['Author', m.author]);
  if (m.id !== undefined) rows.push(['Id', m.id]);
  if (m.date !== undefined) rows.push(['Date', m.modified !== undefined ? `${m.date} (modified ${m.modified})` : m.date]);
  if (m.license !== undefined) rows.push(['License', m.license]);
  rows.push(['Source', m.source.file !== undefined ? `${m.source.file}:${m.source.line}` : `(text, line ${m.source.line})`]);
  if (m.related.length > 0) rows.push(['Related', m.related.map((r) => `${r.id} (${r.type})`).join(', ')]);
  if (m.filters.length > 0) rows.push(['Filters', m.filters.join(', ')]);
  return rows;
}

export function attackRows(a: RuleAnalysis): string[][] {
  const rows: string[][] = [];
  for (const t of a.attack.tactics) rows.push([t.id, `${t.name} (tactic)`, t.tag]);
  for (const t of a.attack.techniques) {
    const name = t.name ?? (t.parent?.name ? `sub-technique of ${t.parent.id} ${t.parent.name}` : '');
    rows.push([t.id, name, t.tag]);
  }
  for (const g of a.attack.groups) rows.push([g.id, 'group', g.tag]);
  for (const s of a.attack.software) rows.push([s.id, 'software', s.tag]);
  return rows;
}

export function eventRows(a: RuleAnalysis): string[][] {
  return a.events.rows.map((r) => [r.provider, r.eventId === null ? 'any event' : `Event ID ${r.eventId}`, r.title ?? '', r.channel ?? '', r.via]);
}

export function predicateTable(rows: readonly PredicateRow[], valueHeader: string, corpus: boolean): { header: string[]; rows: string[][] } {
  const header = ['Field', 'Kind', valueHeader, ...(corpus ? ['Corpus'] : [])];
  return { header, rows: rows.map((r) => [fieldName(r), kindText(r), r.value, ...(corpus ? [String(r.corpus ?? 0)] : [])]) };
}

export const EXCLUSIONS_NOTE = 'Top-level NOT(...) conjuncts: predicates this rule actively suppresses.';
export const INDICATORS_NOTE = 'Each row is a field, operator, and value that the rule matches.';
export function corpusNote(a: RuleAnalysis): string {
  return a.corpus
    ? `The Corpus column counts how many other rules of the corpus (${a.corpus.rules} rules) have the same field, kind and value in the same role: high numbers point to widely-used indicators, 0 to one specific to this rule.`
    : 'Give a corpus (--corpus <dir>) to count how many other rules share each row.';
}

function indent(text: string, by = '  '): string[] {
  return text.split('\n').map((l) => (l ? by + printable(l) : ''));
}

/** The analysis as a plain-text page. */
export function renderText(a: RuleAnalysis, options: RenderOptions = {}): string {
  const out: string[] = [];
  const title = printable(a.metadata.title);
  out.push(title, '='.repeat(Math.max(3, codePoints(title))), '');
  out.push(...textTable(['', ''], metadataRows(a), '').slice(1), '');
  if (a.metadata.description) out.push(...indent(a.metadata.description, ''), '');
  if (a.metadata.falsepositives.length > 0) {
    out.push('False positives:', ...a.metadata.falsepositives.map((f) => `  - ${printable(f)}`), '');
  }
  if (a.metadata.references.length > 0) out.push('References:', ...a.metadata.references.map((r) => `  - ${printable(r)}`), '');

  out.push('MITRE ATT&CK coverage', '');
  const attack = attackRows(a);
  out.push(...(attack.length > 0 ? textTable(['Id', 'Name', 'Tag'], attack) : ['  (no ATT&CK tags)']));
  if (a.attack.other.length > 0) out.push('', `  Other tags: ${a.attack.other.map(printable).join(', ')}`);
  out.push('');

  out.push('Event coverage', '');
  const events = eventRows(a);
  if (events.length > 0) out.push(...textTable(['Provider', 'Event', 'Title', 'Channel', 'Via'], events));
  if (a.events.note) out.push(`  ${printable(a.events.note)}`);
  out.push('');

  if (options.body !== undefined) {
    out.push('Rule body yaml', '', ...indent(options.body.replace(/\s+$/, '')), '');
  }

  out.push('Stages and predicates', '');
  for (const stage of a.stages) {
    if (stage.role === 'condition') {
      out.push(`Stage 0: condition`, '', ...indent(stage.label), '');
      continue;
    }
    out.push(`Stage ${stage.index}: ${printable(stage.label)}`, '');
    for (const d of stage.detections) {
      if (d.yaml !== undefined) out.push(...indent(d.yaml));
      else out.push(`  ${printable(d.name)}: ${d.predicates.map((p) => `${p.field ?? '(keywords)'} ${p.kind} ${p.value}`).join('; ')}`);
    }
    out.push('');
  }

  const corpus = a.corpus !== undefined;
  out.push('Exclusions', '', EXCLUSIONS_NOTE, '');
  if (a.exclusions.length > 0) {
    const t = predicateTable(a.exclusions, 'Excluded value', corpus);
    out.push(...textTable(t.header, t.rows));
  } else out.push('  (none)');
  out.push('');
  out.push('Indicators', '', `${INDICATORS_NOTE} ${corpusNote(a)}`, '');
  if (a.indicators.length > 0) {
    const t = predicateTable(a.indicators, 'Value', corpus);
    out.push(...textTable(t.header, t.rows));
  } else out.push('  (none)');
  return `${out.join('\n')}\n`;
}

/** Markdown inline code for any text (backticks inside get a longer fence; pipes escaped for tables). */
export function code(s: string): string {
  if (s === '') return '';
  const text = printable(s).replace(/\n/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const spaced = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')) ? ` ${text} ` : text;
  return `${fence}${spaced}${fence}`.replace(/\|/g, '\\|');
}

/** Markdown text in a table cell or paragraph: Markdown's punctuation escaped. */
export function mdText(s: string): string {
  return printable(s).replace(/\n/g, ' ').replace(/([\\`*_[\]|<>~])/g, '\\$1');
}

export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function fence(text: string, lang: string): string[] {
  const longest = Math.max(2, ...(text.match(/`{3,}/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return [`${f}${lang}`, ...text.replace(/\s+$/, '').split('\n').map(printable), f];
}

/** The analysis as Markdown. */
export function renderMarkdown(a: RuleAnalysis, options: RenderOptions = {}): string {
  const out: string[] = [];
  out.push(`# ${mdText(a.metadata.title)}`, '');
  out.push(...mdTable(['', ''], metadataRows(a).map(([k, v]) => [`**${k}**`, k === 'Id' || k === 'Source' ? code(v) : mdText(v)])), '');
  if (a.metadata.description) out.push(mdText(a.metadata.description), '');
  if (a.metadata.falsepositives.length > 0) out.push('**False positives**', '', ...a.metadata.falsepositives.map((f) => `- ${mdText(f)}`), '');
  if (a.metadata.references.length > 0) out.push('**References**', '', ...a.metadata.references.map((r) => `- <${printable(r).replace(/[<>\s]/g, encodeURIComponent)}>`), '');

  out.push('## MITRE ATT&CK coverage', '');
  const attack = [
    ...a.attack.tactics.map((t) => [`[${t.id}](${t.url})`, mdText(`${t.name} (tactic)`), code(t.tag)]),
    ...a.attack.techniques.map((t) => [`[${t.id}](${t.url})`, mdText(t.name ?? (t.parent?.name ? `sub-technique of ${t.parent.id} ${t.parent.name}` : '')), code(t.tag)]),
    ...a.attack.groups.map((g) => [`[${g.id}](${g.url})`, 'group', code(g.tag)]),
    ...a.attack.software.map((s) => [`[${s.id}](${s.url})`, 'software', code(s.tag)]),
  ];
  out.push(...(attack.length > 0 ? mdTable(['Id', 'Name', 'Tag'], attack) : ['No ATT&CK tags.']));
  if (a.attack.other.length > 0) out.push('', `Other tags: ${a.attack.other.map(code).join(', ')}`);
  out.push('');

  out.push('## Event coverage', '');
  if (a.events.rows.length > 0) {
    out.push(...mdTable(['Provider', 'Event', 'Title', 'Channel', 'Via'], eventRows(a).map((r) => [mdText(r[0]), mdText(r[1]), mdText(r[2]), r[3] ? code(r[3]) : '', mdText(r[4])])));
  }
  if (a.events.note) out.push(...(a.events.rows.length > 0 ? [''] : []), mdText(a.events.note));
  out.push('');

  if (options.body !== undefined) out.push('## Rule body', '', ...fence(options.body, 'yaml'), '');

  out.push('## Stages and predicates', '');
  for (const stage of a.stages) {
    if (stage.role === 'condition') {
      out.push('### Stage 0: condition', '', code(stage.label), '');
      continue;
    }
    out.push(`### Stage ${stage.index}: ${code(stage.label)}`, '');
    const yaml = stage.detections.map((d) => d.yaml ?? `${d.name}: # ${d.predicates.map((p) => `${p.field ?? '(keywords)'} ${p.kind} ${p.value}`).join('; ')}`).join('\n');
    out.push(...fence(yaml, 'yaml'), '');
  }

  const corpus = a.corpus !== undefined;
  const cells = (rows: readonly PredicateRow[], header: string): string[] => {
    const t = predicateTable(rows, header, corpus);
    return mdTable(
      t.header,
      rows.map((r, i) => [code(fieldName(r)), mdText(kindText(r)), code(r.value), ...(corpus ? [t.rows[i][3]] : [])]),
    );
  };
  out.push('## Exclusions', '', EXCLUSIONS_NOTE, '');
  out.push(...(a.exclusions.length > 0 ? cells(a.exclusions, 'Excluded value') : ['None.']), '');
  out.push('## Indicators', '', `${INDICATORS_NOTE} ${corpusNote(a)}`, '');
  out.push(...(a.indicators.length > 0 ? cells(a.indicators, 'Value') : ['None.']));
  return `${out.join('\n')}\n`;
}
