/**
 * The stylesheet the report and the workbench share: colours as custom properties for the light and dark themes
 * (the system's choice, or `data-theme="light|dark"` on the root element), level colours, charts, tables, rule pages
 * and the event view. Level colours keep a contrast of at least 4.5:1 with their text in both themes.
 */
const LIGHT: Readonly<Record<string, string>> = {
  bg: '#ffffff', fg: '#1b1f24', muted: '#57606a', line: '#d0d7de', panel: '#f6f8fa', accent: '#0a58ca', mark: '#fff1a8', 'mark-fg': '#1b1f24', focus: '#0a58ca',
  'lv-critical': '#8b0000', 'lv-high': '#c62828', 'lv-medium': '#b25e00', 'lv-low': '#2e7d32', 'lv-informational': '#5c6bc0', 'lv-unknown': '#546e7a', neutral: '#455a64', 'on-level': '#ffffff',
};
const DARK: Readonly<Record<string, string>> = {
  bg: '#0f1419', fg: '#e6edf3', muted: '#9aa7b4', line: '#30363d', panel: '#161b22', accent: '#6cb6ff', mark: '#5a4a00', 'mark-fg': '#fff6c2', focus: '#6cb6ff',
  'lv-critical': '#ff6b6b', 'lv-high': '#ff8a65', 'lv-medium': '#ffca28', 'lv-low': '#81c784', 'lv-informational': '#9fa8da', 'lv-unknown': '#b0bec5', neutral: '#90a4ae', 'on-level': '#0f1419',
};
const vars = (theme: Readonly<Record<string, string>>): string => Object.entries(theme).map(([k, v]) => `--${k}:${v}`).join(';');

export const BASE_CSS = `
:root{color-scheme:light dark;${vars(LIGHT)}}
:root[data-theme=light]{color-scheme:light}
:root[data-theme=dark]{color-scheme:dark;${vars(DARK)}}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){color-scheme:dark;${vars(DARK)}}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent)}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
code,pre,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12.5px}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow:auto;max-height:32em}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted)}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.level{display:inline-block;min-width:6.5em;padding:0 6px;border-radius:4px;font-size:12px;font-weight:600;text-align:center;color:var(--on-level)}
span.lv-critical{background:var(--lv-critical)}span.lv-high{background:var(--lv-high)}span.lv-medium{background:var(--lv-medium)}
span.lv-low{background:var(--lv-low)}span.lv-informational{background:var(--lv-informational)}span.lv-unknown{background:var(--lv-unknown)}
rect.lv-critical{fill:var(--lv-critical)}rect.lv-high{fill:var(--lv-high)}rect.lv-medium{fill:var(--lv-medium)}
rect.lv-low{fill:var(--lv-low)}rect.lv-informational{fill:var(--lv-informational)}rect.lv-unknown{fill:var(--lv-unknown)}rect.neutral{fill:var(--neutral)}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:baseline}
.charts{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:12px}
@media (max-width:1000px){.charts{grid-template-columns:1fr}}
.chart{margin:0;padding:8px;border:1px solid var(--line);border-radius:6px;background:var(--panel)}
.chart-timeline{grid-column:1/-1}
.chart svg{width:100%;height:auto;display:block}
.chart figcaption{font-weight:600;margin-bottom:4px}
.chart .legend{font-weight:400;margin:4px 0 0;display:flex;gap:12px;flex-wrap:wrap;color:var(--muted)}
.chart text{fill:var(--fg);font-size:11px}
.chart text.tick{fill:var(--muted);font-size:14px}
.chart .axis{stroke:var(--line)}
.chart g.bar[role=button]{cursor:pointer}
.chart g.bar[role=button]:hover rect,.chart g.bar[role=button]:focus rect{opacity:.75}
.chart g.bar:focus{outline:none}.chart g.bar:focus-visible text.label{text-decoration:underline}
.chart-empty{color:var(--muted)}
.hits td{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:28em}
.hits .col-matched-values{max-width:40em}
.summary{display:flex;flex-wrap:wrap;gap:8px 24px;margin:8px 0 16px;padding:0;list-style:none}
.summary li{display:flex;flex-direction:column}.summary .k{color:var(--muted);font-size:12px}.summary .v{font-size:18px;font-weight:600}
.rule-page{border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:16px 0;background:var(--bg)}
.rule-page .crumbs{color:var(--muted);margin:0}
.rule-page .rule-title{margin:4px 0 8px}
.rule-page dl.metadata{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}
.rule-page dt{color:var(--muted)}.rule-page dd{margin:0;overflow-wrap:anywhere}
.rule-page .note,.rule-page .none{color:var(--muted)}
.rule-page .label{font-weight:600;margin-bottom:0}
.rule-page .stage h4,.rule-page .stage h5{margin:8px 0 4px;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
.rule-page table td{overflow-wrap:anywhere}
.event-json mark.matched{background:var(--mark);color:var(--mark-fg);border-radius:3px}
.j-key{color:var(--accent)}.j-string{color:inherit}.j-number,.j-boolean,.j-null{color:var(--lv-informational)}
`;
