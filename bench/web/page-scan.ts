/**
 * A large scan in the workbench, for the browser bench (bench/web/run.ts) and the large-input browser test: the built
 * app in headless Chromium loads a rules folder through the chosen pipelines, scans one event file given by path (the
 * page reads it in slices, as it would a dropped file), and reports what the page measured, its hits (exported as
 * JSONL) and the resident memory of the browser's processes, sampled during the scan.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { openPage } from '../../test/web/support.js';

export interface PageScan {
  /** As the page measured them (the worker's clock, first byte to last event). */
  bytes: number;
  seconds: number;
  /** Seconds of each scan of the file when it was scanned more than once (`runs`; the first included). */
  runSeconds: number[];
  events: number;
  rules: number;
  /** Rule loading and compiling in the page. */
  rulesSeconds: number;
  wasmMemoryBytes: number;
  largestChunk: number;
  /** Resident memory of Chromium's processes: after the rules were loaded, and the highest during the scan. */
  rssBeforeScan: number;
  rssPeak: number;
  /** The samples: [ms since the events were given, resident bytes]. */
  rssSamples: [number, number][];
  /** The hits, as the page exports them (JSONL lines). */
  jsonl: string;
  /** Requests the page made, and its errors. */
  requests: string[];
  errors: string[];
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(name));
    } catch {
      // the process ended
    }
  }
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Resident memory (bytes) of every process this process started, the browser's among them (Linux). */
export function childrenRss(): number {
  let total = 0;
  for (const pid of descendants(process.pid)) {
    try {
      const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // the process ended
    }
  }
  return total;
}

const SAMPLE_MS = 50;

export async function scanInPage(browser: Browser, origin: string, rulesDir: string, eventsFile: string, options: { timeoutMs?: number; runs?: number } = {}): Promise<PageScan> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const run = await openPage(browser);
  const { page } = run;
  try {
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const rulesStarted = performance.now();
    await page.setInputFiles('#rule-folder', rulesDir);
    await page.waitForFunction(() => document.getElementById('rules-status')!.dataset.rules !== undefined, undefined, { timeout: timeoutMs });
    const rulesSeconds = (performance.now() - rulesStarted) / 1000;
    const rules = Number(await page.getAttribute('#rules-status', 'data-rules'));
    const rssBeforeScan = childrenRss();
    const rssSamples: [number, number][] = [];
    const scanStarted = performance.now();
    const sampler = setInterval(() => rssSamples.push([performance.now() - scanStarted, childrenRss()]), SAMPLE_MS);
    try {
      await page.setInputFiles('#event-files', eventsFile);
      await page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'failed', undefined, { timeout: timeoutMs, polling: 200 });
    } finally {
      clearInterval(sampler);
    }
    let state = await page.evaluate(() => ({ ...document.body.dataset }));
    const runSeconds = [Number(state.scanSeconds)];
    for (let run = 1; run < (options.runs ?? 1) && state.state === 'done'; run++) {
      // The same file again, rules compiled and the page warm (what a user does after changing a filter or a rule).
      await page.evaluate(() => delete document.body.dataset.state);
      await page.click('#scan');
      await page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'failed', undefined, { timeout: timeoutMs, polling: 200 });
      state = await page.evaluate(() => ({ ...document.body.dataset }));
      runSeconds.push(Number(state.scanSeconds));
    }
    if (state.state !== 'done') throw new Error(`the scan ended ${state.state}: ${await page.textContent('#rules-status')} ${run.errors.join('; ')}`);
    const events = Number(await page.textContent('[data-figure=events] .v').then((t) => t!.replace(/,/g, '')));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-jsonl')]);
    const jsonl = readFileSync(await download.path(), 'utf8');
    return {
      bytes: Number(state.scanBytes),
      seconds: runSeconds[0],
      runSeconds,
      events,
      rules,
      rulesSeconds,
      wasmMemoryBytes: Number(state.wasmMemory),
      largestChunk: Number(state.largestChunk),
      rssBeforeScan,
      rssPeak: Math.max(rssBeforeScan, ...rssSamples.map((x) => x[1])),
      rssSamples,
      jsonl,
      requests: run.requests.map((r) => r.url),
      errors: run.errors,
    };
  } finally {
    await run.context.close();
  }
}
