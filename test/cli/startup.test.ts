/**
 * The start-up of `sigmatch scan --rules`: the status on the progress line while rules load and compile (in a real
 * terminal, through `script`), nothing of it on a pipe, the start-up times in the summary, and the compile cache
 * (identical output, invalidated by a changed rule, a damaged entry rebuilt without a word, --no-cache).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonLines, ROOT, runCli, tempFiles } from '../support/cli.js';

const CLEAR = '\r\u001b[2K';
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

const rule = (title: string, image: string, extra = ''): string => `title: ${title}
id: ${title.toLowerCase().replace(/ /g, '-')}
status: test
level: high
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\\\\${image}'
    CommandLine|contains: ' /c '
  condition: selection
${extra}`;

/**
 * Rules as a scan meets them: plain files (one that never fires), a multi-document collection, a filter in its own
 * file, a broken rule.
 */
function fixture(): string {
  return tempFiles({
    'rules/a.yml': rule('Cmd Shell', 'cmd.exe'),
    'rules/never.yml': rule('Never Fires', 'never.exe'),
    'rules/b.yml': `action: global
status: test
level: medium
logsource:
  category: process_creation
  product: windows
detection:
  condition: selection
---
title: Whoami Run
detection:
  selection:
    Image|endswith: '\\\\whoami.exe'
---
title: Net Run
detection:
  selection:
    Image|endswith: '\\\\net.exe'
`,
    'rules/filters/f.yml': `title: Trusted host
logsource:
  product: windows
filter:
  rules: any
  trusted:
    Computer: build01
  condition: not trusted
`,
    'rules/broken.yml': rule('Broken', 'x.exe').replace('endswith', 'endzwith'),
    'events.ndjson': [
      { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\Windows\\cmd.exe', CommandLine: 'cmd /c dir', Computer: 'pc1' },
      { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\Windows\\cmd.exe', CommandLine: 'cmd /c dir', Computer: 'build01' },
      { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\Windows\\System32\\whoami.exe', Computer: 'pc2' },
      { EventID: 4688, Channel: 'Security', NewProcessName: 'C:\\Windows\\System32\\net.exe', Computer: 'pc3' },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n'),
  });
}

const scanArgs = (dir: string, ...more: string[]): string[] => ['scan', '-r', join(dir, 'rules'), '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', ...more, join(dir, 'events.ndjson')];

describe('the start-up on the progress line', () => {
  test.skipIf(!hasScript)('in a terminal: files, rules and errors while loading, then "compiling N rules", erased before the hits', () => {
    const dir = fixture();
    const cache = mkdtempSync(join(tmpdir(), 'sigmatch-cache-'));
    const command = ['node', join(ROOT, 'dist/cli/main.js'), ...scanArgs(dir)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // `script` runs the command on a pseudo-terminal and copies what it writes (stdout and stderr) to our stdout.
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', SIGMATCH_CACHE_DIR: cache, COLUMNS: '200' } });
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/loading rules: reading \d \/ 5 files/);
    // Redrawn at most every 100 ms: which counts show depends on the speed, their form does not.
    expect(out).toMatch(/loading rules: \d \/ 5 files, \d rules?, \d errors?/);
    expect(out).toContain('loading rules: applying pipelines');
    const compiling = out.indexOf('compiling 4 rules');
    expect(compiling).toBeGreaterThan(0);
    // The line is erased before anything else is written after it: the first hit follows a clear.
    const firstHit = out.indexOf('{"event"');
    expect(firstHit).toBeGreaterThan(compiling);
    expect(out.slice(compiling, firstHit)).toContain(CLEAR);
    expect(out.slice(firstHit)).not.toContain('compiling');
    // The load error came out whole, on its own line (the status line was cleared around it).
    expect(out).toMatch(/\r?\n?[^\n]*broken\.yml:\d+:\d+: UNKNOWN_MODIFIER/);
    expect(out).toMatch(/start-up\s+load \d+\.\d\d s, compile \d+\.\d\d s; total \d+\.\d\d s wall/);
    // With the cache filled, there is nothing to compile.
    const warm = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', SIGMATCH_CACHE_DIR: cache, COLUMNS: '200' } });
    expect(warm.stdout).toContain('loading rules: reading');
    expect(warm.stdout).not.toContain('compiling');
    // The hits' provenance comes from the VM: no rule is rebuilt from its files for it.
    expect(warm.stdout).toMatch(/start-up\s+rules \d+\.\d\d s from the compile cache; total/);
  });

  test('on a pipe nothing of it is written; the summary still gives the start-up times', () => {
    const dir = fixture();
    const r = runCli(scanArgs(dir, '--no-cache'));
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toContain('loading rules');
    expect(r.stderr).not.toContain('compiling');
    expect(r.stderr).toMatch(/^  start-up  load \d+\.\d\d s, compile \d+\.\d\d s; total \d+\.\d\d s wall \(process start to this summary\)$/m);
  });
});

describe('the compile cache', () => {
  const run = (dir: string, cache: string, ...more: string[]) => runCli(scanArgs(dir, ...more), { env: { SIGMATCH_CACHE_DIR: cache } });
  const entries = (cache: string): string[] => readdirSync(cache).filter((n) => n.endsWith('.sigc-cache'));
  const fromCache = (stderr: string): boolean => /start-up\s+rules .* from the compile cache/.test(stderr);
  /** stderr without the lines that hold times (they differ from run to run). */
  const stable = (stderr: string): string => stderr.replace(/^ {2}(time|start-up) .*\n/gm, '').replace(/peak memory \d+ MiB/, '');

  test('a hit gives the output of a compile: hits with their provenance, errors, summary', () => {
    const dir = fixture();
    const cache = mkdtempSync(join(tmpdir(), 'sigmatch-cache-'));
    const cold = run(dir, cache);
    expect(cold.code).toBe(0);
    expect(fromCache(cold.stderr)).toBe(false);
    expect(entries(cache)).toHaveLength(1);
    const warm = run(dir, cache);
    expect(fromCache(warm.stderr)).toBe(true);
    const uncached = run(dir, cache, '--no-cache');
    expect(fromCache(uncached.stderr)).toBe(false);
    const hits = jsonLines(cold.stdout);
    // The filter (its own file) removed build01's event; the collection's rules and the Security event are there.
    expect(hits.map((h) => [h.event, h.title])).toEqual([
      [0, 'Cmd Shell'],
      [2, 'Whoami Run'],
      [3, 'Net Run'],
    ]);
    expect(hits[0].detections).toBeDefined();
    expect(hits[2].fields).toEqual(expect.arrayContaining([expect.objectContaining({ value: 'C:\\Windows\\System32\\net.exe' })]));
    for (const other of [warm, uncached]) {
      expect(other.code).toBe(0);
      expect(other.stdout).toBe(cold.stdout);
      expect(stable(other.stderr)).toBe(stable(cold.stderr));
    }
    expect(cold.stderr).toMatch(/broken\.yml:\d+:\d+: UNKNOWN_MODIFIER/);
  });

  test('exclusions: a cached start-up skips and reports the same (deprecated by default, --exclude-id, unknown names)', () => {
    const dir = fixture();
    writeFileSync(join(dir, 'rules/old.yml'), rule('Old Cmd', 'cmd.exe').replace('status: test', 'status: deprecated'));
    const cache = mkdtempSync(join(tmpdir(), 'sigmatch-cache-'));
    const args = ['--exclude-id', 'whoami run,No Such Rule'];
    const cold = run(dir, cache, ...args);
    expect(cold.code).toBe(0);
    expect(fromCache(cold.stderr)).toBe(false);
    expect(jsonLines(cold.stdout).map((h) => h.title)).toEqual(['Cmd Shell', 'Net Run']);
    expect(cold.stderr).toMatch(/No Such Rule/);
    expect(cold.stderr).toMatch(/1 deprecated/);
    const warm = run(dir, cache, ...args);
    expect(fromCache(warm.stderr)).toBe(true);
    expect(warm.stdout).toBe(cold.stdout);
    expect(stable(warm.stderr)).toBe(stable(cold.stderr));
    // Other exclusions are another selection: a miss.
    expect(fromCache(run(dir, cache, '--exclude-id', 'net run').stderr)).toBe(false);
    expect(fromCache(run(dir, cache, ...args, '--include-deprecated').stderr)).toBe(false);
  });

  test('--no-cache neither reads nor writes it', () => {
    const dir = fixture();
    const cache = mkdtempSync(join(tmpdir(), 'sigmatch-cache-'));
    run(dir, cache, '--no-cache');
    expect(entries(cache)).toHaveLength(0);
  });

  test('a changed rule file, pipeline or selection is a miss', () => {
    const dir = fixture();
    const cache = mkdtempSync(join(tmpdir(), 'sigmatch-cache-'));
    run(dir, cache);
    writeFileSync(join(dir, 'rules/a.yml'), rule('Cmd Shell', 'cmd.exe').replace("' /c '", "' /k '"));
    const changed = run(dir, cache);
    expect(fromCache(changed.stderr)).toBe(false);
    expect(jsonLines(changed.stdout).map((h) => h.title)).toEqual(['Whoami Run', 'Net Run']);
    expect(fromCache(run(dir, cache).stderr)).toBe(true);
    expect(fromCache(runCli(['scan', '-r', join(dir, 'rules'), '-P', 'sysmon', '--format', 'jsonl', join(dir, 'events.ndjson')], { env: { SIGMATCH_CACHE_DIR: cache } }).stderr)).toBe(false);
    expect(fromCache(run(dir, cache, '--level', 'high').stderr)).toBe(false);
    expect(fromCache(run(dir, cache, '--level', 'high').stderr)).toBe(true);
  });

  test.each([
    ['a flipped byte in the program', (file: string) => flip(file, -100)],
    ['a flipped byte in the rules', (file: string) => flip(file, 200)],
    ['a truncated entry', (file: string) => truncateSync(file, 1000)],
    ['an empty entry', (file: string) => truncateSync(file, 0)],
  ])('%s: ignored without a word, rebuilt and replaced', (_name, damage) => {
    const dir = fixture();
    const cache = mkdtempSync(join(tmpdir(), 'sigmatch-cache-'));
    const cold = run(dir, cache);
    const [entry] = entries(cache);
    damage(join(cache, entry));
    const rebuilt = run(dir, cache);
    expect(rebuilt.code).toBe(0);
    expect(fromCache(rebuilt.stderr)).toBe(false);
    expect(rebuilt.stdout).toBe(cold.stdout);
    expect(stable(rebuilt.stderr)).toBe(stable(cold.stderr));
    const again = run(dir, cache);
    expect(fromCache(again.stderr)).toBe(true);
    expect(again.stdout).toBe(cold.stdout);
  });

  test('a rule set with correlation rules is not cached (their planner needs every rule): same output every run', () => {
    const dir = fixture();
    writeFileSync(join(dir, 'rules/corr.yml'), 'title: Two Shells\ncorrelation:\n  type: event_count\n  rules: [cmd-shell]\n  group-by: [Computer]\n  timespan: 5m\n  condition: {gte: 2}\n');
    const cache = mkdtempSync(join(tmpdir(), 'sigmatch-cache-'));
    const first = run(dir, cache);
    const second = run(dir, cache);
    expect(first.code).toBe(0);
    expect(entries(cache)).toHaveLength(0);
    expect(fromCache(second.stderr)).toBe(false);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stderr).toMatch(/correlate/);
  });

  test('an unwritable cache directory: the scan runs as without a cache', () => {
    const dir = fixture();
    const blocker = join(mkdtempSync(join(tmpdir(), 'sigmatch-cache-')), 'file');
    writeFileSync(blocker, 'not a directory');
    const r = run(dir, join(blocker, 'cache'));
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(3);
    expect(r.stderr).toMatch(/^sigmatch: the compile cache in .* cannot be written \(.*\): every start-up compiles; set SIGMATCH_CACHE_DIR or use --no-cache$/m);
  });

  test('rules rebuilt for the report are kept beside the entry: the next start-up reads them; a damaged record is rebuilt', () => {
    const cache = mkdtempSync(join(tmpdir(), 'sigmatch-cache-'));
    // The HTML report's rule pages need the logic of the rules that fired (provenance no longer does: the VM gives it).
    const args = ['scan', '-r', join(ROOT, 'examples/rules'), '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', '--html', join(cache, 'report.html'), join(ROOT, 'examples/events/sample.ndjson')];
    const scan = () => runCli(args, { env: { SIGMATCH_CACHE_DIR: cache } });
    const rebuilding = /start-up\s+rules .* from the compile cache \(and \d+\.\d\d s rebuilding (\d+) rules? for the report\)/;
    const cold = scan();
    const logicFiles = () => readdirSync(cache).filter((n) => n.endsWith('.sigc-logic'));
    expect(logicFiles()).toEqual([]);
    const first = scan();
    const rebuilt = Number(rebuilding.exec(first.stderr)?.[1]);
    expect(rebuilt).toBeGreaterThan(5);
    expect(logicFiles()).toHaveLength(1);
    const second = scan();
    expect(fromCache(second.stderr)).toBe(true);
    expect(second.stderr).not.toMatch(rebuilding);
    // A byte flipped in the middle of the file: that record's rule is rebuilt, the others are read.
    const logic = join(cache, logicFiles()[0]);
    flip(logic, Math.floor(readFileSync(logic).length / 2));
    const damaged = scan();
    expect(Number(rebuilding.exec(damaged.stderr)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(rebuilding.exec(damaged.stderr)?.[1])).toBeLessThan(rebuilt);
    for (const r of [first, second, damaged]) {
      expect(r.stdout).toBe(cold.stdout);
      expect(stable(r.stderr)).toBe(stable(cold.stderr));
    }
    // The damaged record was written again: the next start-up rebuilds nothing.
    expect(scan().stderr).not.toMatch(rebuilding);
  });

  test('the examples with the pipelines: identical output from the cache, provenance included', () => {
    const cache = mkdtempSync(join(tmpdir(), 'sigmatch-cache-'));
    const args = ['scan', '-r', join(ROOT, 'examples/rules'), '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', join(ROOT, 'examples/events/sample.ndjson')];
    const cold = runCli(args, { env: { SIGMATCH_CACHE_DIR: cache } });
    const warm = runCli(args, { env: { SIGMATCH_CACHE_DIR: cache } });
    expect(fromCache(warm.stderr)).toBe(true);
    expect(jsonLines(cold.stdout).length).toBeGreaterThan(10);
    expect(warm.stdout).toBe(cold.stdout);
  });
});

function flip(file: string, at: number): void {
  const bytes = readFileSync(file);
  const i = at < 0 ? bytes.length + at : at;
  bytes[i] ^= 0x20;
  writeFileSync(file, bytes);
}
