/**
 * The workbench page: gathers rules, pipelines and event files (pickers and drops), drives the scan worker, and shows
 * the results (summary, charts, the virtualised timeline, the event view, rule pages, problems) through the same
 * renderers as `sigmatch scan --html` (src/report).
 */
import { BUILTIN_PIPELINES } from '../../src/browser.js';
import { formatBytes, formatDuration, formatRate } from '../../src/cli/output/progress.js';
import {
  BASE_CSS,
  chartsHtml,
  esc,
  eventHtml,
  formatTime,
  hitCellsHtml,
  hitHeadHtml,
  HitStats,
  LEVELS,
  levelOf,
  ruleAnchor,
  rulePageHtml,
  sourceText,
  summaryHtml,
  table,
  UNKNOWN_LEVEL,
  type ReportHit,
} from '../../src/report/index.js';
import { parseIsoTime } from '../../src/correlation/time.js';
import './app.css';
import type { FromWorker, NamedText, Problem, RulesLoaded, ScanDone, ToWorker } from './protocol.js';
import { isPipelineText, kindOf } from './sources/classify.js';
import { directoryPicker, filesFromDirectoryHandle, filesFromDrop, filesFromInput, type PickedFile } from './sources/collect.js';
import { readZip } from './sources/zip.js';
import { emptyFilters, HitStore, type Filters } from './store.js';
import { exportParts, saveFile } from './ui/export.js';
import { setupTheme } from './ui/theme.js';
import { VirtualTable } from './ui/virtual-table.js';

/** Least time between two redraws of the results while a scan runs. */
const LIVE_REFRESH_MS = 750;
/** Most computers offered in the computer filter (by hits). */
const MAX_COMPUTER_OPTIONS = 500;
const DEFAULT_PIPELINES = ['sysmon', 'windows'];

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A time filter's text as epoch ms (NaN when empty or not a date-time). */
const filterTime = (text: string): number => parseIsoTime(text) ?? NaN;

const style = document.createElement('style');
style.textContent = BASE_CSS;
document.head.prepend(style);

// ---- state -------------------------------------------------------------------------------------------------------

const inputs = {
  rules: [] as NamedText[],
  compiled: null as { name: string; bytes: Uint8Array } | null,
  pipelineFiles: [] as NamedText[],
  events: [] as { file: File; name: string }[],
  /** Problems found while gathering the inputs (unreadable files, archive entries). */
  problems: [] as Problem[],
};
const store = new HitStore();
let rulesInfo: RulesLoaded | null = null;
let lastRun: ScanDone | null = null;
let scanning = false;
let filters: Filters = emptyFilters();
let selected: ReportHit[] = [];
let scanAgain = false;

// ---- worker --------------------------------------------------------------------------------------------------------

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker): void => worker.postMessage(m);
let rulesLoading: { resolve: (r: RulesLoaded | null) => void } | null = null;
let liveTimer = 0;

worker.onmessage = (e: MessageEvent<FromWorker>): void => {
  const m = e.data;
  switch (m.type) {
    case 'rules-loaded':
      rulesLoading?.resolve(m);
      rulesLoading = null;
      return;
    case 'progress':
      showProgress(m.bytes, m.totalBytes, m.events, m.seconds);
      return;
    case 'hits':
      store.addHits(m.hits, m.records);
      if (!liveTimer) liveTimer = window.setTimeout(() => ((liveTimer = 0), refreshResults(true)), LIVE_REFRESH_MS);
      return;
    case 'problems':
      store.problems.push(...m.problems);
      return;
    case 'done':
      finishScan(m);
      return;
    case 'analysis':
      showRulePage(m.rule, m.analysis, m.body, m.message);
      return;
    case 'failed':
      if (rulesLoading) {
        rulesLoading.resolve(null);
        rulesLoading = null;
      }
      if (scanning) finishScan(null);
      $('rules-status').textContent = `Error: ${m.message}`;
      store.problems.push({ kind: 'rule', message: m.message });
      return;
  }
};

// ---- gathering inputs ------------------------------------------------------------------------------------------

async function readText(f: PickedFile): Promise<string | null> {
  try {
    const text = strictUtf8.decode(await f.file.arrayBuffer());
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (e) {
    inputs.problems.push({ kind: 'rule', file: f.path, message: e instanceof TypeError ? 'the file is not valid UTF-8' : `cannot be read: ${(e as Error).message}` });
    return null;
  }
}

async function addFiles(files: readonly PickedFile[]): Promise<void> {
  let rulesChanged = false;
  let eventsAdded = false;
  for (const f of files) {
    const kind = kindOf(f.path, f.inFolder);
    if (kind === 'rules') {
      const text = await readText(f);
      if (text === null) continue;
      if (isPipelineText(text)) inputs.pipelineFiles.push({ name: f.path, text });
      else {
        inputs.rules.push({ name: f.path, text });
        inputs.compiled = null;
      }
      rulesChanged = true;
    } else if (kind === 'rule-archive') {
      try {
        const zip = await readZip(f.file, (name) => /\.ya?ml$/i.test(name) && !name.split('/').some((p) => p.startsWith('.')));
        for (const p of zip.problems) inputs.problems.push({ kind: 'rule', file: `${f.path}/${p.name}`, message: p.message });
        for (const entry of zip.entries) {
          try {
            inputs.rules.push({ name: `${f.path}/${entry.name}`, text: strictUtf8.decode(entry.bytes) });
          } catch {
            inputs.problems.push({ kind: 'rule', file: `${f.path}/${entry.name}`, message: 'the file is not valid UTF-8' });
          }
        }
        inputs.compiled = null;
        rulesChanged = true;
      } catch (e) {
        inputs.problems.push({ kind: 'rule', file: f.path, message: (e as Error).message });
      }
    } else if (kind === 'compiled-rules') {
      inputs.compiled = { name: f.path, bytes: new Uint8Array(await f.file.arrayBuffer()) };
      inputs.rules = [];
      rulesChanged = true;
    } else if (kind === 'events') {
      inputs.events.push({ file: f.file, name: f.path });
      eventsAdded = true;
    }
  }
  updateInputStatus();
  if (rulesChanged) await loadRules();
  if ((rulesChanged || eventsAdded) && inputs.events.length > 0 && rulesInfo && rulesInfo.rules.length > 0) startScan();
}

function builtinChoice(): string[] {
  return [...document.querySelectorAll<HTMLInputElement>('#builtin-pipelines input:checked')].map((i) => i.value);
}

async function loadRules(): Promise<void> {
  if (inputs.rules.length === 0 && !inputs.compiled) {
    rulesInfo = null;
    updateInputStatus();
    return;
  }
  if (scanning) send({ type: 'cancel' });
  $('rules-status').textContent = inputs.compiled ? `Loading ${inputs.compiled.name}…` : `Loading ${inputs.rules.length} rule files…`;
  $<HTMLButtonElement>('scan').disabled = true;
  const loaded = await new Promise<RulesLoaded | null>((resolve) => {
    rulesLoading = { resolve };
    send({ type: 'load-rules', rules: inputs.rules, ...(inputs.compiled ? { compiled: inputs.compiled } : {}), builtinPipelines: builtinChoice(), pipelineFiles: inputs.pipelineFiles });
  });
  rulesInfo = loaded;
  store.problems = [...inputs.problems, ...(loaded?.problems ?? [])];
  store.setRules(loaded?.rules ?? []);
  updateInputStatus();
}

function updateInputStatus(): void {
  const r = rulesInfo;
  const rules = $('rules-status');
  if (r) {
    const errors = r.problems.filter((p) => p.kind !== 'input').length;
    rules.textContent =
      `${r.rules.length.toLocaleString('en-US')} rules ready (${r.seconds.toFixed(1)} s)` +
      (errors > 0 ? `, ${errors} problems (see Problems)` : '') +
      (r.explained ? '' : ': a compiled set (no matched values, no rule pages)');
    rules.dataset.rules = String(r.rules.length);
  } else if (inputs.rules.length === 0 && !inputs.compiled) {
    rules.textContent = 'No rules loaded.';
    delete rules.dataset.rules;
  }
  const pipelines = $('pipelines-status');
  const names = [...builtinChoice(), ...inputs.pipelineFiles.map((p) => p.name)];
  pipelines.textContent = names.length > 0 ? `Applied: ${names.join(', ')}${r && r.pipelines.length > 0 ? ` (${r.routed} rules routed to their log source, ${r.unrouted} meet every event)` : ''}` : 'No pipeline: rules meet every event.';
  const total = inputs.events.reduce((n, e) => n + e.file.size, 0);
  $('events-status').textContent = inputs.events.length > 0 ? `${inputs.events.length} files, ${formatBytes(total)}: ${inputs.events.slice(0, 3).map((e) => e.name).join(', ')}${inputs.events.length > 3 ? ', …' : ''}` : 'No events loaded.';
  $<HTMLButtonElement>('scan').disabled = scanning || !r || r.rules.length === 0 || inputs.events.length === 0;
}

// ---- scanning --------------------------------------------------------------------------------------------------------

function startScan(): void {
  if (!rulesInfo || inputs.events.length === 0) return;
  if (scanning) {
    scanAgain = true;
    send({ type: 'cancel' });
    return;
  }
  scanning = true;
  store.clearHits();
  lastRun = null;
  $('progress').hidden = false;
  $('cancel').hidden = false;
  $('scan').setAttribute('disabled', '');
  document.body.dataset.state = 'scanning';
  showProgress(0, inputs.events.reduce((n, e) => n + e.file.size, 0), 0, 0);
  send({ type: 'scan', files: inputs.events });
}

function showProgress(bytes: number, total: number, events: number, seconds: number): void {
  const bar = $<HTMLProgressElement>('progress-bar');
  bar.value = total > 0 ? bytes / total : 0;
  bar.setAttribute('aria-valuetext', `${Math.floor(bar.value * 100)}%`);
  const byteRate = seconds > 0 ? bytes / seconds : 0;
  const left = byteRate > 0 ? formatDuration((total - bytes) / byteRate) : '?';
  $('progress-text').textContent = `${formatBytes(bytes)} / ${formatBytes(total)} · ${events.toLocaleString('en-US')} events · ${formatRate(seconds > 0 ? events / seconds : 0)} events/s · ${(byteRate / 1e6).toFixed(1)} MB/s · ${left} left`;
}

function finishScan(done: ScanDone | null): void {
  scanning = false;
  clearTimeout(liveTimer);
  liveTimer = 0;
  lastRun = done;
  $('cancel').hidden = true;
  if (done) {
    showProgress(done.bytes, inputs.events.reduce((n, e) => n + e.file.size, 0), done.events, done.seconds);
    const status = done.cancelled ? 'cancelled' : 'done';
    $('progress-text').textContent += ` · ${status} in ${done.seconds.toFixed(2)} s`;
    document.body.dataset.state = status;
    document.body.dataset.scanBytes = String(done.bytes);
    document.body.dataset.scanSeconds = String(done.seconds);
    document.body.dataset.wasmMemory = String(done.wasmMemoryBytes);
    document.body.dataset.largestChunk = String(done.largestChunk);
  } else document.body.dataset.state = 'failed';
  updateInputStatus();
  refreshResults(false);
  if (scanAgain) {
    scanAgain = false;
    startScan();
  }
}

// ---- results ---------------------------------------------------------------------------------------------------------

const head = $<HTMLTableElement>('hits').tHead!;
head.innerHTML = hitHeadHtml();
[...head.querySelectorAll('th')].forEach((th, i) => th.setAttribute('aria-colindex', String(i + 1)));
head.rows[0]?.setAttribute('aria-rowindex', '1');

const vt = new VirtualTable($('table-scroll'), $<HTMLTableElement>('hits'), (i) => {
  const h = selected[i];
  return hitCellsHtml(h, store.rules[h.rule], rulesInfo?.explained ? `#${ruleAnchor(h.rule)}` : undefined);
}, openEvent);

function refreshResults(live: boolean): void {
  const results = $('results');
  if (!lastRun && !live) return;
  results.hidden = false;
  const all = new HitStats(store.rules);
  for (const h of store.timeline()) all.add(h);
  if (lastRun || live) {
    $('summary').innerHTML =
      summaryHtml({ events: lastRun?.events ?? 0, bytes: lastRun?.bytes, seconds: lastRun?.seconds ?? 0, rules: store.rules.length, ruleErrors: store.problems.filter((p) => p.kind === 'rule').length, malformed: store.problems.filter((p) => p.kind === 'input').length }, all) +
      (store.uncounted > 0 ? `<p class="remark">${store.uncounted.toLocaleString('en-US')} more hits were found than the ${store.hits.length.toLocaleString('en-US')} kept for the table.</p>` : '') +
      (store.recordsDropped > 0 ? `<p class="remark">The text of ${store.recordsDropped.toLocaleString('en-US')} hit events was not kept (memory budget): their event view shows the matched values only.</p>` : '');
  }
  updateFilterOptions(all);
  applyFilters();
  renderRuleList(all);
  renderProblems();
  if (!live) route();
}

function updateFilterOptions(all: HitStats): void {
  const boxes = $('level-boxes');
  const levels = [...LEVELS, UNKNOWN_LEVEL].filter((l) => all.byLevel.has(l));
  boxes.innerHTML = levels
    .map((l) => `<label><input type="checkbox" name="level" value="${l}"${filters.levels.has(l) ? ' checked' : ''}> <span class="level lv-${l}">${l}</span> ${all.byLevel.get(l)}</label>`)
    .join('');
  const fill = (id: string, options: [string, string][], current: string | null): void => {
    const select = $<HTMLSelectElement>(id);
    select.innerHTML = `<option value="">all</option>${options.map(([v, t]) => `<option value="${esc(v)}"${v === current ? ' selected' : ''}>${esc(t)}</option>`).join('')}`;
  };
  fill('f-rule', all.topRules(Infinity).map(({ key, count }) => [String(key), `${store.rules[key].title} (${count})`]), filters.rule === null ? null : String(filters.rule));
  fill('f-computer', all.topComputers(MAX_COMPUTER_OPTIONS).map(({ key, count }) => [key, `${key} (${count})`]), filters.computer);
  fill('f-tactic', all.tactics().map((t) => [t.tactic, `${t.name} (${t.count})`]), filters.tactic);
}

function applyFilters(): void {
  selected = store.select(filters);
  const stats = new HitStats(store.rules);
  for (const h of selected) stats.add(h);
  $('charts').innerHTML = chartsHtml(stats, { interactive: true });
  const count = $('hit-count');
  count.textContent = `${selected.length.toLocaleString('en-US')} of ${store.hits.length.toLocaleString('en-US')} hits`;
  count.dataset.shown = String(selected.length);
  count.dataset.total = String(store.hits.length);
  vt.setCount(selected.length);
}

function readFilterForm(): void {
  const f = emptyFilters();
  for (const box of document.querySelectorAll<HTMLInputElement>('#level-boxes input:checked')) f.levels.add(box.value);
  const rule = $<HTMLSelectElement>('f-rule').value;
  f.rule = rule === '' ? null : Number(rule);
  f.computer = $<HTMLSelectElement>('f-computer').value || null;
  f.tactic = $<HTMLSelectElement>('f-tactic').value || null;
  f.tags = $<HTMLInputElement>('f-tags').value.split(/[,\s]+/).filter(Boolean);
  f.from = filterTime($<HTMLInputElement>('f-from').value);
  f.to = filterTime($<HTMLInputElement>('f-to').value);
  f.text = $<HTMLInputElement>('f-text').value;
  for (const id of ['f-from', 'f-to']) {
    const input = $<HTMLInputElement>(id);
    input.setAttribute('aria-invalid', String(input.value !== '' && Number.isNaN(filterTime(input.value))));
  }
  filters = f;
  applyFilters();
}

let textTimer = 0;
$('filters').addEventListener('change', readFilterForm);
$('filters').addEventListener('input', (e) => {
  if ((e.target as HTMLElement).tagName !== 'INPUT' || (e.target as HTMLInputElement).type === 'checkbox') return;
  clearTimeout(textTimer);
  textTimer = window.setTimeout(readFilterForm, 150);
});
$('filters').addEventListener('submit', (e) => e.preventDefault());
$('filters').addEventListener('reset', () => setTimeout(readFilterForm));

function chartFilter(target: HTMLElement): void {
  const bar = target.closest('[data-filter]') as HTMLElement | null;
  if (!bar) return;
  const kind = bar.dataset.filter;
  if (kind === 'time') {
    $<HTMLInputElement>('f-from').value = formatTime(Number(bar.dataset.from), true);
    $<HTMLInputElement>('f-to').value = formatTime(Number(bar.dataset.to), true);
  } else if (kind === 'rule' || kind === 'computer' || kind === 'tactic') {
    $<HTMLSelectElement>(`f-${kind}`).value = bar.dataset.value ?? '';
  }
  readFilterForm();
}
$('charts').addEventListener('click', (e) => chartFilter(e.target as HTMLElement));
$('charts').addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  e.preventDefault();
  chartFilter(e.target as HTMLElement);
});

// ---- event view ------------------------------------------------------------------------------------------------------

function openEvent(index: number): void {
  const h = selected[index];
  if (!h) return;
  const rule = store.rules[h.rule];
  const text = store.record(h);
  let event: unknown;
  try {
    event = text === undefined ? undefined : JSON.parse(text);
  } catch {
    event = undefined;
  }
  const rows: [string, string][] = [
    ['Rule', rulesInfo?.explained ? `<a href="#${ruleAnchor(h.rule)}">${esc(rule.title)}</a>` : esc(rule.title)],
    ['Level', `<span class="level lv-${levelOf(rule)}">${esc(rule.level ?? levelOf(rule))}</span>`],
    ['Time', esc(h.time ?? '(none)')],
    ['Computer', esc(h.computer ?? '(none)')],
    ['Event ID', esc(h.eventId ?? '(none)')],
    ['Source', esc(sourceText(h))],
    ['Detections', esc((h.detections ?? []).join(', ') || '(not known)')],
  ];
  const matched = (h.fields ?? []).length > 0 ? table(['Field', 'Matched value'], (h.fields ?? []).map((f) => [f.field, f.value]), { className: 'matched-values' }) : '';
  $('event-body').innerHTML =
    `<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>${matched}` +
    (event !== undefined ? eventHtml(event, h.fields ?? []) : `<p class="hint">The event's text was not kept.</p>`);
  const panel = $('event-panel');
  panel.hidden = false;
  panel.dataset.index = String(index);
}

$('close-event').addEventListener('click', () => {
  $('event-panel').hidden = true;
  $('table-scroll').focus();
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !$('event-panel').hidden) {
    $('event-panel').hidden = true;
    $('table-scroll').focus();
  }
});

// ---- rule pages and tabs ---------------------------------------------------------------------------------------

const TABS = ['timeline', 'rules', 'problems'] as const;
function selectTab(name: (typeof TABS)[number], focus = false): void {
  for (const t of TABS) {
    const tab = $(`tab-${t}`);
    tab.setAttribute('aria-selected', String(t === name));
    tab.tabIndex = t === name ? 0 : -1;
    $(`panel-${t}`).hidden = t !== name;
  }
  if (focus) $(`tab-${name}`).focus();
}
for (const t of TABS) $(`tab-${t}`).addEventListener('click', () => selectTab(t));
document.querySelector('.tabs')!.addEventListener('keydown', (e) => {
  const ke = e as KeyboardEvent;
  const current = TABS.findIndex((t) => $(`tab-${t}`).getAttribute('aria-selected') === 'true');
  const step = ke.key === 'ArrowRight' ? 1 : ke.key === 'ArrowLeft' ? -1 : 0;
  if (step === 0) return;
  ke.preventDefault();
  selectTab(TABS[(current + step + TABS.length) % TABS.length], true);
});

function renderRuleList(all: HitStats): void {
  const current = location.hash;
  $('rule-list').innerHTML = all
    .topRules(Infinity)
    .map(({ key, count }) => {
      const rule = store.rules[key];
      const href = `#${ruleAnchor(key)}`;
      return `<li><a href="${href}"${href === current ? ' aria-current="page"' : ''}><span class="level lv-${levelOf(rule)}">${esc(rule.level ?? levelOf(rule))}</span><span>${esc(rule.title)}</span><span class="count">${count}</span></a></li>`;
    })
    .join('');
}

function showRulePage(rule: number, analysis: Parameters<typeof rulePageHtml>[0] | null, body: string | undefined, message?: string): void {
  const page = $('rule-page');
  if (!analysis) {
    page.innerHTML = `<p class="hint">${esc(message ?? 'No page for this rule.')}</p>`;
    return;
  }
  const hits = store.hits.reduce((n, h) => n + (h.rule === rule ? 1 : 0), 0);
  page.innerHTML = rulePageHtml(analysis, { body, hits, anchor: `page-${ruleAnchor(rule)}`, heading: 3 });
  page.focus();
}

function route(): void {
  const m = /^#rule-(\d+)$/.exec(location.hash);
  if (!m || !rulesInfo) return;
  const rule = Number(m[1]);
  if (!(rule < store.rules.length)) return;
  selectTab('rules');
  for (const a of document.querySelectorAll('#rule-list a')) {
    if (a.getAttribute('href') === location.hash) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  $('rule-page').innerHTML = `<p class="hint">Analysing ${esc(store.rules[rule].title)}…</p>`;
  send({ type: 'analyze', rule });
}
window.addEventListener('hashchange', route);

function renderProblems(): void {
  const problems = [...store.problems];
  $('problem-count').textContent = problems.length > 0 ? `(${problems.length})` : '';
  $('problems').innerHTML =
    problems.length === 0
      ? '<p class="hint">No problems: every rule loaded and every record was read.</p>'
      : table(
          ['Kind', 'Where', 'Code', 'Message'],
          problems.map((p) => [p.kind, [p.file, p.line, p.column].filter((x) => x !== undefined).join(':'), p.code ?? '', p.message]),
          { className: 'problems' },
        );
}

// ---- export ------------------------------------------------------------------------------------------------------------

$('export-jsonl').addEventListener('click', () => saveFile('sigmatch-hits.jsonl', 'application/x-ndjson', exportParts('jsonl', selected, store.rules)));
$('export-csv').addEventListener('click', () => saveFile('sigmatch-hits.csv', 'text/csv', exportParts('csv', selected, store.rules)));

// ---- inputs: pickers and drops -----------------------------------------------------------------------------------------

$('builtin-pipelines').innerHTML = BUILTIN_PIPELINES.map(
  (b) => `<label title="${esc(b.description)}"><input type="checkbox" value="${esc(b.name)}"${DEFAULT_PIPELINES.includes(b.name) ? ' checked' : ''}> ${esc(b.name)}</label>`,
).join('');
$('builtin-pipelines').addEventListener('change', () => void loadRules());

const pick = (button: string, input: string): void => $(button).addEventListener('click', () => $<HTMLInputElement>(input).click());
pick('pick-rule-files', 'rule-files');
pick('pick-events', 'event-files');
pick('pick-pipeline', 'pipeline-file');
$('pick-rule-folder').addEventListener('click', async () => {
  const picker = directoryPicker();
  if (!picker) return $<HTMLInputElement>('rule-folder').click();
  try {
    await addFiles(await filesFromDirectoryHandle(await picker()));
  } catch (e) {
    if ((e as DOMException).name !== 'AbortError') $('rules-status').textContent = `Error: ${(e as Error).message}`;
  }
});
for (const id of ['rule-files', 'rule-folder', 'event-files', 'pipeline-file']) {
  const input = $<HTMLInputElement>(id);
  input.addEventListener('change', async () => {
    await addFiles(filesFromInput(input));
    input.value = '';
  });
}
$('clear-rules').addEventListener('click', () => {
  inputs.rules = [];
  inputs.compiled = null;
  inputs.problems = [];
  void loadRules();
});
$('clear-pipelines').addEventListener('click', () => {
  inputs.pipelineFiles = [];
  void loadRules();
});
$('clear-events').addEventListener('click', () => {
  inputs.events = [];
  updateInputStatus();
});
$('scan').addEventListener('click', startScan);
$('cancel').addEventListener('click', () => send({ type: 'cancel' }));

let dragDepth = 0;
document.addEventListener('dragenter', (e) => {
  if (!e.dataTransfer?.types.includes('Files')) return;
  dragDepth++;
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => {
  if (--dragDepth <= 0) {
    dragDepth = 0;
    document.body.classList.remove('dragging');
  }
});
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', async (e) => {
  e.preventDefault();
  dragDepth = 0;
  document.body.classList.remove('dragging');
  if (!e.dataTransfer) return;
  try {
    await addFiles(await filesFromDrop(e.dataTransfer));
  } catch (err) {
    $('events-status').textContent = `Error: ${(err as Error).message}`;
  }
});

setupTheme($<HTMLButtonElement>('theme'));
updateInputStatus();
document.body.dataset.ready = 'true';
