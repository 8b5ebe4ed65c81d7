/** A correlation analysis as a text page and as Markdown, laid out like a rule's page (render.ts). */
import type { CorrelationAnalysis } from './correlation.js';
import { code, fence, mdTable, mdText, printable, textTable, type RenderOptions } from './render.js';

function metadataRows(a: CorrelationAnalysis): [string, string][] {
  const m = a.metadata;
  const rows: [string, string][] = [];
  if (m.status !== undefined) rows.push(['Status', m.status]);
  if (m.level !== undefined) rows.push(['Severity', m.level]);
  if (m.author !== undefined) rows.push(['Author', m.author]);
  if (m.id !== undefined) rows.push(['Id', m.id]);
  if (m.name !== undefined) rows.push(['Name', m.name]);
  if (m.date !== undefined) rows.push(['Date', m.modified !== undefined ? `${m.date} (modified ${m.modified})` : m.date]);
  rows.push(['Source', m.source.file !== undefined ? `${m.source.file}:${m.source.line}` : `(text, line ${m.source.line})`]);
  return rows;
}

function referenceText(r: CorrelationAnalysis['rules'][number]): string {
  if (r.resolves.length === 0) return 'nothing loaded has this id or name (the correlation cannot run)';
  return r.resolves.map((d) => `${d.kind} "${d.title}"${d.id !== undefined && d.id !== r.reference ? ` (${d.id})` : ''}`).join('; ');
}

function windowText(a: CorrelationAnalysis): string {
  const w = a.window;
  const span = `${w.timespan} (${w.seconds} s)`;
  if (w.mode === 'tumbling') return `${span}, tumbling: fixed buckets of ${w.timespan} from the epoch`;
  if (w.mode === 'session') return `${span} at most, session: a session goes on while events come within ${w.gap} s of each other`;
  return `${span}, sliding: at each event, the group's events of the last ${w.timespan}, both ends included`;
}

/** The correlation's settings as rows: what it counts, over what, and what an alert does. */
function correlationRows(a: CorrelationAnalysis): [string, string][] {
  const rows: [string, string][] = [['Type', `${a.type}: ${a.meaning}`]];
  for (const r of a.rules) rows.push([rows.length === 1 ? 'Rules' : '', `${r.reference}: ${referenceText(r)}`]);
  if (a.groupBy.length === 0) rows.push(['Group by', '(nothing: one group)']);
  for (const [i, g] of a.groupBy.entries()) {
    const aliases = g.aliases.length > 0 ? ` (alias: ${g.aliases.map((x) => `${x.reference} reads ${x.field}`).join(', ')})` : '';
    rows.push([i === 0 ? 'Group by' : '', `${g.name}${aliases}`]);
  }
  rows.push(['Window', windowText(a)]);
  rows.push(['Condition', `${a.condition}, checked after each event the correlation counts`]);
  rows.push(['On alert', a.action === 'reset' ? 'reset: the group\'s window is cleared' : 'alert: the window is kept (the next events alert again while the condition holds)']);
  if (a.suppress > 0) rows.push(['Suppress', `${a.suppress} s: the group does not alert again sooner`]);
  rows.push(['Generate', a.generate ? 'true: the referenced rules also report their own hits' : 'false: the referenced rules report no hits of their own (unless --emit-base-hits, or another correlation generates them)']);
  return rows;
}

function attackText(a: CorrelationAnalysis): string[] {
  const ids = [...a.attack.tactics.map((t) => `${t.id} ${t.name}`), ...a.attack.techniques.map((t) => `${t.id}${t.name ? ` ${t.name}` : ''}`)];
  return ids.length > 0 ? ids : ['(no ATT&CK tags)'];
}

export function renderCorrelationText(a: CorrelationAnalysis, options: RenderOptions = {}): string {
  const title = printable(a.metadata.title);
  const out: string[] = [title, '='.repeat(Math.max(3, [...title].length)), ''];
  out.push(...textTable(['', ''], metadataRows(a), '').slice(1), '');
  if (a.metadata.description) out.push(printable(a.metadata.description), '');
  out.push('Correlation', '', ...textTable(['', ''], correlationRows(a)).slice(1), '');
  out.push('MITRE ATT&CK coverage', '', ...attackText(a).map((t) => `  ${printable(t)}`), '');
  if (options.body !== undefined) out.push('Rule body yaml', '', ...options.body.replace(/\s+$/, '').split('\n').map((l) => (l ? `  ${printable(l)}` : '')), '');
  return `${out.join('\n').trimEnd()}\n`;
}

export function renderCorrelationMarkdown(a: CorrelationAnalysis, options: RenderOptions = {}): string {
  const out: string[] = [`# ${mdText(a.metadata.title)}`, ''];
  out.push(...mdTable(['', ''], metadataRows(a).map(([k, v]) => [`**${k}**`, k === 'Id' || k === 'Source' || k === 'Name' ? code(v) : mdText(v)])), '');
  if (a.metadata.description) out.push(mdText(a.metadata.description), '');
  out.push('## Correlation', '', ...mdTable(['', ''], correlationRows(a).map(([k, v]) => [k ? `**${k}**` : '', mdText(v)])), '');
  out.push('## MITRE ATT&CK coverage', '', ...attackText(a).map((t) => `- ${mdText(t)}`), '');
  if (options.body !== undefined) out.push('## Rule body', '', ...fence(options.body, 'yaml'), '');
  return `${out.join('\n').trimEnd()}\n`;
}
