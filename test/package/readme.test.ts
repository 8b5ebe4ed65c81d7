/**
 * The README as a newcomer reads it: the two commands that work on a fresh machine come first; then Install (under
 * the npm name sigma-match), Quick start, the CLI cookbook, Library, Browsers and Workers, Semantics. Every sigmatch
 * command line in it (and in docs/) uses options its command's --help defines, the jq filters read fields a hit has,
 * the imports name the package and its exports, and the performance summary only repeats figures BENCHMARKS.md holds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonLines, ROOT, runCli } from '../support/cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DOCS = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => readFileSync(join(ROOT, 'docs', f), 'utf8'));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
const COMMANDS = ['scan', 'consume', 'route', 'stats', 'validate', 'compile', 'pipelines', 'explain', 'test'];
const TOP_LEVEL_OPTIONS = ['--version', '-V', '--help', '-h'];

interface Block {
  lang: string;
  code: string;
}

function codeBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
}

/** The `## ` sections in order, each with its text. */
function sections(markdown: string): { title: string; body: string }[] {
  const parts = markdown.split(/^## /m).slice(1);
  return parts.map((p) => ({ title: p.slice(0, p.indexOf('\n')), body: p.slice(p.indexOf('\n') + 1) }));
}

/** The options a command's --help defines (lines that start with `-x, --long` or `--long`). */
function helpOptions(command: string): Set<string> {
  const r = runCli([command, '--help']);
  expect(r.code, r.stderr).toBe(0);
  const options = new Set<string>();
  for (const m of r.stdout.matchAll(/^\s+(?:(-\w), )?(--[\w-]+)/gm)) {
    if (m[1]) options.add(m[1]);
    options.add(m[2]);
  }
  return options;
}

/** Every sigmatch invocation in shell blocks: the command and the option words up to the end of its pipeline stage. */
function invocations(blocks: Block[]): { line: string; command: string | undefined; options: string[]; jq?: string }[] {
  const out: { line: string; command: string | undefined; options: string[]; jq?: string }[] = [];
  for (const block of blocks.filter((b) => b.lang === 'sh')) {
    for (const line of block.code.replace(/\\\n/g, ' ').split('\n')) {
      const words = line.replace(/\s#.*$/, '').split(/\s+/);
      const at = words.findIndex((w, i) => w === 'sigmatch' || (w === PKG.name && words[i - 1] === 'npx'));
      if (at < 0 || line.trimStart().startsWith('#')) continue;
      const rest = words.slice(at + 1);
      const end = rest.findIndex((w) => ['|', '>', '&&', ';', '2>'].includes(w));
      const own = end < 0 ? rest : rest.slice(0, end);
      const command = COMMANDS.includes(own[0]) ? own[0] : undefined;
      const options = own
        .map((w) => w.replace(/^\[/, '').replace(/\]?(\.\.\.)?$/, '').replace(/=.*$/, ''))
        .filter((w) => /^--?[A-Za-z]/.test(w));
      const jq = /\|\s*jq\s+(?:-\w+\s+)*'([^']*)'/.exec(line)?.[1];
      out.push({ line, command, options, jq });
    }
  }
  return out;
}

describe('README', () => {
  test('starts with the two commands that work on a fresh machine: npm install && npm start, npm test', () => {
    const firstSection = README.indexOf('\n## ');
    const first = codeBlocks(README)[0];
    expect(README.indexOf('```sh\nnpm install && npm start')).toBeLessThan(firstSection);
    expect(first.lang).toBe('sh');
    expect(first.code.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean)).toEqual(['npm install && npm start', 'npm test']);
  });

  test('has Install, Quick start, CLI cookbook, Library, Browsers and Workers and Semantics, in that order', () => {
    const titles = sections(README).map((s) => s.title);
    const order = ['Install', 'Quick start', 'CLI cookbook', 'Library', 'Browsers and Workers', 'Semantics'].map((t) => titles.findIndex((x) => x.startsWith(t)));
    expect(order.every((i) => i >= 0), titles.join(' / ')).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(titles[0]).toBe('Install');
  });

  test('Install: the global CLI, npx both ways and the library, under the npm name', () => {
    const install = sections(README).find((s) => s.title === 'Install')!.body;
    expect(PKG.name).toBe('sigma-match');
    for (const command of [`npm install -g ${PKG.name}`, `npx ${PKG.name} scan`, `npx -p ${PKG.name} sigmatch`, `npm install ${PKG.name}`, 'sigmatch --version']) {
      expect(install, command).toContain(command);
    }
  });

  test('the CLI cookbook covers the common tasks: .evtx folders, jq, --fail-on, explain, test, validate, consume, --html', () => {
    const cookbook = sections(README).find((s) => s.title === 'CLI cookbook')!.body;
    for (const task of ['.evtx', '| jq', '--fail-on', 'sigmatch explain', 'sigmatch test', 'sigmatch validate', 'sigmatch consume', '--html']) expect(cookbook, task).toContain(task);
  });

  test('every sigmatch command line (README and docs) uses options its command defines', () => {
    const all = invocations([...codeBlocks(README), ...DOCS.flatMap(codeBlocks)]);
    expect(all.length).toBeGreaterThan(25);
    const known = new Map(COMMANDS.map((c) => [c, helpOptions(c)]));
    const wrong: string[] = [];
    for (const { line, command, options } of all) {
      const allowed = command ? known.get(command)! : new Set(TOP_LEVEL_OPTIONS);
      for (const o of options) if (!allowed.has(o)) wrong.push(`${o} in: ${line.trim()}`);
    }
    expect(wrong).toEqual([]);
  });

  test('the jq filters after sigmatch scan read fields that hits have', () => {
    const run = runCli(['scan', '--rules', 'examples/rules', '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', 'examples/events/sample.ndjson']);
    expect(run.code, run.stderr).toBe(0);
    const keys = new Set(jsonLines(run.stdout).flatMap((h) => Object.keys(h)));
    const filters = invocations(codeBlocks(README)).filter((i) => i.command === 'scan' && i.jq);
    expect(filters.length).toBeGreaterThan(1);
    for (const { jq } of filters) {
      for (const m of jq!.matchAll(/\.([a-z_]\w*)/g)) expect(keys, `${m[1]} in ${jq}`).toContain(m[1]);
    }
  });

  test('code imports the package by its npm name and its exported subpaths only', () => {
    const specifiers = [README, ...DOCS]
      .flatMap(codeBlocks)
      .filter((b) => ['ts', 'js', 'mjs'].includes(b.lang))
      .flatMap((b) => [...b.code.matchAll(/(?:from|import)\s+'([^']+)'/g)].map((m) => m[1]));
    expect(specifiers.filter((s) => s === 'sigmatch' || s.startsWith('sigmatch/'))).toEqual([]);
    const ours = specifiers.filter((s) => s === PKG.name || s.startsWith(`${PKG.name}/`));
    expect(ours.length).toBeGreaterThan(5);
    for (const s of ours) expect(Object.keys(PKG.exports), s).toContain(`.${s.slice(PKG.name.length)}`);
  });

  test('performance is a short summary linking BENCHMARKS.md, with figures BENCHMARKS.md holds', () => {
    const perf = sections(README).find((s) => s.title === 'Performance')!.body.trim();
    expect(perf.split('\n').length).toBeLessThanOrEqual(6);
    expect(perf).toContain('(BENCHMARKS.md)');
    const benchmarks = readFileSync(join(ROOT, 'BENCHMARKS.md'), 'utf8');
    const figures = [...perf.matchAll(/\d[\d,.]*(?:k|x)?(?:-\d[\d,.]*(?:k|x)?)?/g)].map((m) => m[0].replace(/[.,]$/, ''));
    expect(figures.length).toBeGreaterThan(2);
    for (const f of figures) expect(benchmarks, f).toContain(f);
  });
});
