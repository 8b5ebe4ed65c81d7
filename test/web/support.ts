/**
 * Shared by the workbench and report browser tests: build the workbench (Vite, into dist-web/), serve a folder from
 * a loopback server, launch Debian's headless Chromium as the runtime tests do (flags that keep it off the network),
 * record every request a page and its workers make, run the CLI, write ZIP archives, and save screenshots under
 * test-results/web/ (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../runtimes/support.js';

export { ROOT };
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const SCREENSHOTS = join(ROOT, 'test-results/web');
export const CLI = join(ROOT, 'dist/cli/main.js');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Build the workbench as `npm run build:web` does, into a folder of its own (test files run in parallel: one build
 * must not empty the folder another serves); returns the folder.
 */
export async function buildWorkbench(outDir: string = mkdtempSync(join(tmpdir(), 'sigmatch-web-dist-'))): Promise<string> {
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

/** A static server on 127.0.0.1 for `dir`; its origin. */
export async function serve(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (relative(dir, file).startsWith('..') || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

export interface Recorded {
  context: BrowserContext;
  page: Page;
  /** Every request the page and its workers made (method and URL). */
  requests: { method: string; url: string }[];
  /** Uncaught errors and console errors of the page and its workers. */
  errors: string[];
}

export async function openPage(browser: Browser, options: { colorScheme?: 'light' | 'dark'; acceptDownloads?: boolean } = {}): Promise<Recorded> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: options.colorScheme ?? 'light', acceptDownloads: options.acceptDownloads ?? true });
  const page = await context.newPage();
  const requests: Recorded['requests'] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push({ method: r.method(), url: r.url() }));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker: ${m.text()}`)));
  return { context, page, requests, errors };
}

/** Requests that left the given origin (data: and blob: URLs stay in the page). */
export function foreignRequests(requests: Recorded['requests'], origin: string | null): string[] {
  return requests.map((r) => r.url).filter((u) => !(origin !== null && u.startsWith(`${origin}/`)) && !u.startsWith('data:') && !u.startsWith('blob:'));
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Run the built CLI; its stdout. */
export function cli(args: readonly string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface JsonlHit {
  event: number;
  line: number | null;
  id: string | null;
  title: string;
  level: string | null;
  file?: string;
  time?: string;
  detections?: string[];
  fields?: { field: string; value: string }[];
}

export function parseJsonl(text: string): JsonlHit[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JsonlHit);
}

/** A hit as a comparable key: the input's base name, line, event, rule id (or title). */
export function hitKey(h: { file?: string; line?: number | null; event: number; id?: string | null; title: string }): string {
  return `${(h.file ?? '').split('/').pop()}:${h.line ?? ''}#${h.event} ${h.id ?? h.title}`;
}

/** Files under a folder (relative paths), sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

/** A ZIP archive (deflated entries, or stored with `store`) of the given files: a test's own writer for the reader. */
export function zipArchive(entries: readonly { name: string; bytes: Uint8Array }[], store = false): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = store ? Buffer.from(e.bytes) : deflateRawSync(e.bytes);
    const crc = crc32(e.bytes);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(e.bytes.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(store ? 0 : 8, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(e.bytes.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += local.length + name.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
