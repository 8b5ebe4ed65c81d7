/**
 * `sigmatch scan --html`: the report checked in the same headless Chromium as the workbench. It renders, its hits
 * table holds exactly the JSONL output's hits, it has the rule page of every rule that fired, it carries no script,
 * and opening it requests nothing but the file itself. A compiled rule set's report says why it has no rule pages;
 * an unwritable report path fails before the scan.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireBuild } from '../runtimes/support.js';
import { CLI, cli, foreignRequests, hasChromium, launch, openPage, parseJsonl, ROOT, screenshot, serve, type JsonlHit } from './support.js';

const SCAN = ['scan', '--rules', 'examples/rules', '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', '--quiet'];

describe('sigmatch scan --html (CLI)', () => {
  test('a report path that cannot be written fails before the scan, with exit code 2', () => {
    requireBuild();
    const r = spawnSync(process.execPath, [CLI, ...SCAN, '--html', join(ROOT, 'examples'), 'examples/events/sample.ndjson'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write the --html report .*examples: it is a directory/);
    expect(r.stdout).toBe('');
  });
});

describe.skipIf(!hasChromium)('the HTML report in headless Chromium', () => {
  let dir: string;
  let server: Server;
  let origin: string;
  let browser: Browser;
  let expected: JsonlHit[];

  beforeAll(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'sigmatch-report-'));
    expected = parseJsonl(cli([...SCAN, '--html', join(dir, 'report.html'), 'examples/events/sample.ndjson']));
    cli(['compile', '--rules', 'examples/rules', '-P', 'sysmon', '-P', 'windows', '-o', join(dir, 'rules.sigc')]);
    execFileSync(process.execPath, [CLI, 'scan', '--compiled', join(dir, 'rules.sigc'), '--quiet', '--format', 'jsonl', '--html', join(dir, 'compiled.html'), 'examples/events/sample.ndjson'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    ({ server, origin } = await serve(dir));
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  });

  test('renders the summary, charts, every JSONL hit in its table and the page of every rule that fired; requests nothing', async () => {
    const run = await openPage(browser);
    const { page } = run;
    await page.goto(`${origin}/report.html`);
    expect(await page.textContent('[data-figure=hits] .v')).toBe(String(expected.length));
    expect(await page.$$eval('.chart svg', (s) => s.length)).toBe(4);
    const rows = await page.$$eval('table.hits tbody tr', (trs) => trs.map((tr) => `${tr.querySelector('.col-source')!.textContent} ${tr.querySelector('.col-rule')!.textContent}`));
    expect(rows.sort()).toEqual(expected.map((h) => `${h.file}:${h.line} ${h.title}`).sort());
    const values = await page.$$eval('table.hits tbody .col-matched-values', (tds) => tds.map((td) => td.textContent).sort());
    expect(values).toEqual(expected.map((h) => (h.fields ?? []).map((f) => `${f.field}=${f.value}`).join('; ')).map((v) => (v.length > 300 ? `${v.slice(0, 299)}…` : v)).sort());
    const fired = [...new Set(expected.map((h) => h.title))].sort();
    const pages = await page.$$eval('article.rule-page .rule-title', (hs) => hs.map((h) => h.textContent!.replace(/^\S+\s/, '')));
    expect(pages.sort()).toEqual(fired);
    const sections = await page.$$eval('article.rule-page:first-of-type h4', (hs) => hs.map((h) => h.textContent));
    expect(sections).toEqual(['MITRE ATT&CK coverage', 'Event coverage', 'Rule body', 'Stages and predicates', 'Exclusions', 'Indicators']);
    // Each rule title in the table links to its page in the report.
    const href = await page.getAttribute('table.hits tbody .col-rule a', 'href');
    expect(await page.isVisible(href!)).toBe(true);
    expect(await page.$$eval('script', (s) => s.length)).toBe(0);
    await screenshot(page, 'report');
    expect(foreignRequests(run.requests, null)).toEqual([`${origin}/report.html`]);
    expect(run.errors).toEqual([]);
    await run.context.close();
  });

  test('a compiled rule set: the hits, and a remark instead of rule pages', async () => {
    const run = await openPage(browser, { colorScheme: 'dark' });
    const { page } = run;
    await page.goto(`${origin}/compiled.html`);
    expect(await page.$$eval('table.hits tbody tr', (trs) => trs.length)).toBe(expected.length);
    expect(await page.$$eval('article.rule-page', (a) => a.length)).toBe(0);
    expect(await page.textContent('body')).toContain('A compiled rule set holds no rule logic');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 20, 25)');
    await screenshot(page, 'report-dark');
    expect(foreignRequests(run.requests, null)).toEqual([`${origin}/compiled.html`]);
    await run.context.close();
  });
});
