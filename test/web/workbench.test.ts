/**
 * The workbench in a real browser (Debian's headless Chromium through playwright-core): the built app (dist-web/, as
 * `npm run build:web` writes it) served from loopback; the example rules picked as a folder and the example events
 * dropped on the page. The timeline must hold exactly the CLI's hits for the same input (same events, rules, lines,
 * matched values), filters and rule pages must work, and no request may leave the page's own origin.
 * Screenshots of the main views are saved under test-results/web/.
 */
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireBuild } from '../runtimes/support.js';
import { SHARED } from '../support/corpus.js';
import {
  buildWorkbench,
  cli,
  filesUnder,
  foreignRequests,
  hasChromium,
  hitKey,
  launch,
  openPage,
  parseJsonl,
  ROOT,
  screenshot,
  serve,
  zipArchive,
  type JsonlHit,
  type Recorded,
} from './support.js';

if (!hasChromium) console.warn('workbench browser test skipped: /usr/bin/chromium is absent (apt-get install -y chromium; .ci/run does)');

const RULES_DIR = join(ROOT, 'examples/rules');
const EVENTS_FILE = join(ROOT, 'examples/events/sample.ndjson');

/** Drop files on the page as a user's drag and drop does (a DataTransfer with File objects). */
async function drop(page: Page, files: { name: string; text: string }[]): Promise<void> {
  await page.evaluate((list) => {
    const data = new DataTransfer();
    for (const f of list) data.items.add(new File([f.text], f.name));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, files);
}

async function waitForScan(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'failed', undefined, { timeout: 120_000 });
  expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
}

/** The rows of the virtualised table, all of them (scrolling through it): [source, rule title] by row index. */
async function tableRows(page: Page): Promise<Map<number, { source: string; rule: string; values: string }>> {
  const rows = new Map<number, { source: string; rule: string; values: string }>();
  const total = Number(await page.getAttribute('#hits', 'aria-rowcount')) - 1;
  for (let guard = 0; rows.size < total && guard < 1000; guard++) {
    const batch = await page.$$eval('#hits tbody tr.vt-row', (trs) =>
      trs.map((tr) => ({
        index: Number((tr as HTMLElement).dataset.index),
        source: tr.querySelector('.col-source')!.textContent!,
        rule: tr.querySelector('.col-rule')!.textContent!,
        values: tr.querySelector('.col-matched-values')!.textContent!,
      })),
    );
    for (const r of batch) rows.set(r.index, r);
    await page.$eval('#table-scroll', (el) => (el.scrollTop += el.clientHeight - 60));
    await page.waitForTimeout(50);
  }
  await page.$eval('#table-scroll', (el) => (el.scrollTop = 0));
  return rows;
}

async function shownCount(page: Page): Promise<number> {
  return Number(await page.getAttribute('#hit-count', 'data-shown'));
}

async function exportJsonl(page: Page): Promise<JsonlHit[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-jsonl')]);
  return parseJsonl(readFileSync(await download.path(), 'utf8'));
}

describe.skipIf(!hasChromium)('workbench (headless Chromium)', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  let run: Recorded;
  let expected: JsonlHit[];

  beforeAll(async () => {
    requireBuild();
    ({ server, origin } = await serve(await buildWorkbench()));
    browser = await launch();
    expected = parseJsonl(cli(['scan', '--rules', 'examples/rules', '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', '--quiet', 'examples/events/sample.ndjson']));
    run = await openPage(browser);
    await run.page.goto(`${origin}/`);
    await run.page.waitForFunction(() => document.body.dataset.ready === 'true');
    await screenshot(run.page, 'load');
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  });

  test('a rules folder and dropped events give exactly the CLI hits', async () => {
    const { page } = run;
    await page.setInputFiles('#rule-folder', RULES_DIR);
    await page.waitForFunction(() => document.getElementById('rules-status')!.dataset.rules !== undefined);
    expect(Number(await page.getAttribute('#rules-status', 'data-rules'))).toBe(filesUnder(RULES_DIR).length);
    await drop(page, [{ name: 'sample.ndjson', text: readFileSync(EVENTS_FILE, 'utf8') }]);
    await waitForScan(page);
    await screenshot(page, 'timeline');

    expect(expected.length).toBeGreaterThan(20);
    expect(await shownCount(page)).toBe(expected.length);
    // The export is the table's data in the CLI's format: equal, hit for hit, values included.
    const exported = await exportJsonl(page);
    const normalise = (h: JsonlHit): string => JSON.stringify({ ...h, file: (h.file ?? '').split('/').pop() });
    expect(exported.map(normalise).sort()).toEqual(expected.map(normalise).sort());
    // The table itself: every row, scrolled through.
    const rows = await tableRows(page);
    expect(rows.size).toBe(expected.length);
    const shown = [...rows.values()].map((r) => `${r.source} ${r.rule}`).sort();
    expect(shown).toEqual(expected.map((h) => `sample.ndjson:${h.line} ${h.title}`).sort());
    // Timeline order: by time.
    const times = await page.$$eval('#hits tbody tr.vt-row .col-time', (tds) => tds.map((td) => td.textContent!));
    expect(times.slice(0, 10)).toEqual(expected.map((h) => h.time!).sort().slice(0, 10));
    expect(run.errors).toEqual([]);
  });

  test('filters: level, rule, computer, text, tags and a time bar of the chart', async () => {
    const { page } = run;
    const high = expected.filter((h) => h.level === 'high').length;
    await page.check('#level-boxes input[value=high]');
    await page.waitForFunction((n) => document.getElementById('hit-count')!.dataset.shown === String(n), high);
    await page.uncheck('#level-boxes input[value=high]');

    const byRule = new Map<string, number>();
    for (const h of expected) byRule.set(h.title, (byRule.get(h.title) ?? 0) + 1);
    const [title, count] = [...byRule].sort((a, b) => b[1] - a[1])[0];
    const option = await page.$eval('#f-rule', (s, t) => [...(s as HTMLSelectElement).options].find((o) => o.text.startsWith(t))!.value, title);
    await page.selectOption('#f-rule', option);
    expect(await shownCount(page)).toBe(count);
    await page.selectOption('#f-rule', '');

    await page.fill('#f-text', 'certutil');
    await page.waitForFunction(() => document.getElementById('hit-count')!.dataset.shown !== document.getElementById('hit-count')!.dataset.total);
    const certutil = expected.filter((h) => JSON.stringify([h.title, h.id, h.fields]).toLowerCase().includes('certutil')).length;
    expect(await shownCount(page)).toBe(certutil);
    await page.fill('#f-text', '');

    await page.fill('#f-tags', 'attack.t1059');
    await page.waitForTimeout(300);
    const rules = new Map<string, string[]>();
    for (const f of filesUnder(RULES_DIR)) {
      const text = readFileSync(join(RULES_DIR, f), 'utf8');
      const id = /^id:\s*(\S+)/m.exec(text)?.[1];
      if (id) rules.set(id, [...text.matchAll(/^\s+-\s+(attack\.\S+)/gm)].map((m) => m[1].toLowerCase()));
    }
    const tagged = expected.filter((h) => (rules.get(h.id!) ?? []).some((t) => t === 'attack.t1059' || t.startsWith('attack.t1059.'))).length;
    expect(tagged).toBeGreaterThan(0);
    expect(await shownCount(page)).toBe(tagged);
    await page.fill('#f-tags', '');
    await page.waitForTimeout(300);

    // A bar of the timeline chart filters to its time range.
    const bar = page.locator('.chart-timeline g.bar[data-filter=time]').first();
    const [from, to] = [Number(await bar.getAttribute('data-from')), Number(await bar.getAttribute('data-to'))];
    await bar.focus();
    await page.keyboard.press('Enter');
    const inBar = expected.filter((h) => {
      const t = Date.parse(h.time!.includes('T') ? h.time! : `${h.time!.replace(' ', 'T')}Z`);
      return t >= from && t < to;
    }).length;
    expect(inBar).toBeGreaterThan(0);
    expect(await shownCount(page)).toBe(inBar);
    await screenshot(page, 'filtered');
    await page.click('#f-reset');
    await page.waitForFunction((n) => document.getElementById('hit-count')!.dataset.shown === String(n), expected.length);
  });

  test('keyboard: the table moves with the arrows and Enter opens the event, matched values highlighted', async () => {
    const { page } = run;
    await page.focus('#table-scroll');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#event-panel:not([hidden])');
    const marks = await page.$$eval('#event-body mark.matched', (ms) => ms.map((m) => m.textContent!));
    expect(marks.length).toBeGreaterThan(0);
    const index = Number(await page.getAttribute('#event-panel', 'data-index'));
    expect(index).toBe(1);
    await screenshot(page, 'event');
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#event-panel')).toBe(true);
  });

  test('the rule page of a rule that fired: every section, from analyzeRule', async () => {
    const { page } = run;
    const link = page.locator('#hits tbody tr.vt-row .col-rule a').first();
    const title = await link.textContent();
    await link.click();
    await page.waitForSelector('#rule-page article.rule-page');
    expect(await page.isVisible('#panel-rules')).toBe(true);
    const headings = await page.$$eval('#rule-page h4', (hs) => hs.map((h) => h.textContent));
    expect(headings).toEqual(['MITRE ATT&CK coverage', 'Event coverage', 'Rule body', 'Stages and predicates', 'Exclusions', 'Indicators']);
    expect(await page.textContent('#rule-page .rule-title')).toContain(title);
    expect(await page.textContent('#rule-page pre.yaml')).toContain(`title: ${title}`);
    // Corpus counts over the loaded rules: the indicators table has the Corpus column.
    expect(await page.$$eval('#rule-page table.predicates th', (ths) => ths.map((t) => t.textContent))).toContain('Corpus');
    const fired = new Set(expected.map((h) => h.title)).size;
    expect(await page.$$eval('#rule-list li', (lis) => lis.length)).toBe(fired);
    await screenshot(page, 'rule-page');
    await page.click('#tab-timeline');
  });

  test('dark theme, and nothing left the page: no request outside its origin, none but GETs', async () => {
    const { page } = run;
    await page.click('#theme'); // system -> light
    await page.click('#theme'); // light -> dark
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(15, 20, 25)');
    await screenshot(page, 'timeline-dark');
    await page.click('#theme'); // dark -> system
    expect(foreignRequests(run.requests, origin)).toEqual([]);
    expect(run.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    // The recorder sees the worker's own requests (not vacuous): the WASM module is fetched by the worker.
    expect(run.requests.some((r) => r.url.endsWith('.wasm'))).toBe(true);
    expect(run.errors).toEqual([]);
  });

  test('a .zip of the rules, gzip events and a compiled .sigc give the same hits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigmatch-web-'));
    const zip = join(dir, 'rules.zip');
    writeFileSync(zip, zipArchive(filesUnder(RULES_DIR).map((f, i) => ({ name: `rules/${f}`, bytes: readFileSync(join(RULES_DIR, f)) })), false));
    const gz = join(dir, 'sample.ndjson.gz');
    const { gzipSync } = await import('node:zlib');
    writeFileSync(gz, gzipSync(readFileSync(EVENTS_FILE)));
    const sigc = join(dir, 'rules.sigc');
    cli(['compile', '--rules', 'examples/rules', '-P', 'sysmon', '-P', 'windows', '-o', sigc]);

    const fresh = await openPage(browser);
    try {
      const { page } = fresh;
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      await page.setInputFiles('#rule-files', zip);
      await page.waitForFunction(() => document.getElementById('rules-status')!.dataset.rules !== undefined);
      await page.setInputFiles('#event-files', gz);
      await waitForScan(page);
      const fromZip = await exportJsonl(page);
      expect(fromZip.map((h) => hitKey({ ...h, file: h.file?.replace(/\.gz$/, '') })).sort()).toEqual(expected.map(hitKey).sort());

      await page.setInputFiles('#rule-files', sigc);
      await page.waitForFunction(() => /compiled set/.test(document.getElementById('rules-status')!.textContent!));
      await waitForScan(page);
      const fromSigc = await exportJsonl(page);
      expect(fromSigc.map((h) => hitKey({ ...h, file: h.file?.replace(/\.gz$/, '') })).sort()).toEqual(expected.map(hitKey).sort());
      expect(fromSigc.every((h) => h.fields === undefined)).toBe(true);
      expect(foreignRequests(fresh.requests, origin)).toEqual([]);
      expect(fresh.errors).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });

  const EVTX_RULE = join(SHARED, 'rules-emerging-threats/2026/Exploits/CVE-2026-33829/proc_creation_win_exploit_cve_2026_33829.yml');
  const EVTX_FILE = join(SHARED, 'regression_data/rules-emerging-threats/2026/Exploits/CVE-2026-33829/proc_creation_win_exploit_cve_2026_33829/7c3a5b1d-9e2f-4a8c-b5d7-1e0f3c6a9b2d.evtx');

  test.skipIf(!existsSync(EVTX_FILE))('a binary .evtx file, plain and gzip-compressed, gives the CLI hits', async () => {
    const want = parseJsonl(cli(['scan', '--rules', EVTX_RULE, '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', '--quiet', EVTX_FILE]));
    expect(want.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'sigmatch-web-evtx-'));
    const gz = join(dir, 'sample.evtx.gz');
    const { gzipSync } = await import('node:zlib');
    writeFileSync(gz, gzipSync(readFileSync(EVTX_FILE)));
    const key = (h: JsonlHit): string => `#${h.event} ${h.id ?? h.title}`;
    // A page per file: the workbench adds dropped event files to those it holds.
    for (const events of [EVTX_FILE, gz]) {
      const fresh = await openPage(browser);
      try {
        const { page } = fresh;
        await page.goto(`${origin}/`);
        await page.waitForFunction(() => document.body.dataset.ready === 'true');
        await page.setInputFiles('#rule-files', EVTX_RULE);
        await page.waitForFunction(() => document.getElementById('rules-status')!.dataset.rules !== undefined);
        await page.setInputFiles('#event-files', events);
        await waitForScan(page);
        const got = await exportJsonl(page);
        expect(got.map(key).sort(), events).toEqual(want.map(key).sort());
        // Provenance came from the record's evtx_dump JSON, as in the CLI.
        expect(got.map((h) => h.fields?.length ?? 0)).toEqual(want.map((h) => h.fields?.length ?? 0));
        expect(await page.textContent('#problem-count')).toBe('');
        expect(fresh.errors).toEqual([]);
      } finally {
        await fresh.context.close();
      }
    }
  });
});
