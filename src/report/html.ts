/**
 * HTML text from untrusted strings. Rule texts and event values are attacker-controlled: everything reaching markup
 * goes through `esc` (text and attribute values alike), control characters become visible escapes, and only http(s)
 * URLs become links.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value (quoted with "), escaped; C0/C1 controls other than tab and line feed as `\xNN`. */
export function esc(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return (
    String(value)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
      .replace(/[&<>"']/g, (c) => ENTITIES[c])
  );
}

/** A link for an http(s) URL (opened apart, without referrer); any other text is shown, not linked. */
export function link(url: string, text: string = url): string {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return esc(text);
  return `<a href="${esc(url)}" rel="noreferrer noopener" target="_blank">${esc(text)}</a>`;
}

/** A table of text cells (every cell escaped), with a caption for screen readers when given. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], options: { className?: string; caption?: string; raw?: boolean } = {}): string {
  const cell = (c: string): string => (options.raw ? c : esc(c));
  return (
    `<table${options.className ? ` class="${esc(options.className)}"` : ''}>` +
    (options.caption ? `<caption>${esc(options.caption)}</caption>` : '') +
    `<thead><tr>${header.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
  );
}
