/**
 * An event as indented JSON with the values that made the rule match highlighted. A leaf is marked when its key (or
 * its dotted path, for nested and keyword matches) is a matched field, compared without case as Sigma field names
 * are in evtx_dump's flat view, and its string form equals the matched value.
 */
import { esc } from './html.js';
import type { MatchedValue } from './model.js';

/** Deepest nesting drawn (deeper values are shown as `…`); events are already bounded by the scan's record limit. */
const MAX_DEPTH = 32;

function stringForm(v: unknown): string {
  return v === null ? 'null' : typeof v === 'string' ? v : String(v);
}

/** Provenance cuts long values and ends them with "…": such a value matches the leaf it is a prefix of. */
function sameValue(leaf: string, matched: string): boolean {
  if (leaf === matched) return true;
  return matched.endsWith('…') && leaf.startsWith(matched.slice(0, -1));
}

export function eventHtml(event: unknown, matched: readonly MatchedValue[] = []): string {
  const wanted = matched.map((m) => ({ field: m.field.toLowerCase(), value: m.value }));
  const isMatch = (path: readonly string[], value: unknown): boolean => {
    if (wanted.length === 0) return false;
    const key = (path[path.length - 1] ?? '').toLowerCase();
    const dotted = path.join('.').toLowerCase();
    const text = stringForm(value);
    return wanted.some((w) => (w.field === key || w.field === dotted || dotted.endsWith(`.${w.field}`) || w.field === '*') && sameValue(text, w.value));
  };
  const lines: string[] = [];
  const write = (value: unknown, path: string[], indent: string, prefix: string, comma: string, depth: number): void => {
    if (depth > MAX_DEPTH) {
      lines.push(`${indent}${prefix}<span class="j-more">…</span>${comma}`);
      return;
    }
    if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
      const entries: [string | null, unknown][] = Array.isArray(value) ? value.map((v) => [null, v]) : Object.entries(value);
      const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
      if (entries.length === 0) {
        lines.push(`${indent}${prefix}${open}${close}${comma}`);
        return;
      }
      lines.push(`${indent}${prefix}${open}`);
      entries.forEach(([k, v], i) => {
        const keyHtml = k === null ? '' : `<span class="j-key">${esc(JSON.stringify(k))}</span>: `;
        write(v, k === null ? path : [...path, k], `${indent}  `, keyHtml, i < entries.length - 1 ? ',' : '', depth + 1);
      });
      lines.push(`${indent}${close}${comma}`);
      return;
    }
    const kind = value === null ? 'null' : typeof value;
    const leaf = `<span class="j-${kind}">${esc(JSON.stringify(value) ?? String(value))}</span>`;
    const line = `${prefix}${leaf}${comma}`;
    lines.push(isMatch(path, value) ? `${indent}<mark class="matched">${line}</mark>` : `${indent}${line}`);
  };
  write(event, [], '', '', '', 0);
  return `<pre class="event-json"><code>${lines.join('\n')}</code></pre>`;
}
