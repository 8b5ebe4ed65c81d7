/**
 * The browser/Workers entry needs nothing from Node: walk the compiled import graph of dist/browser.js (every
 * relative import, static or dynamic) and fail on a `node:` or Node built-in specifier, on `Buffer`, `process`,
 * `require`, `__dirname`, `__filename` used as identifiers, and on `eval` / `new Function` (which workerd refuses).
 * Then check the package's `exports` as bundlers see them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { beforeAll, describe, expect, test } from 'vitest';
import { BROWSER_DIST, ROOT, WASM_PATH, requireBuild } from './support.js';

interface Finding {
  file: string;
  line: number;
  what: string;
}

const FORBIDDEN_GLOBALS = new Set(['Buffer', 'process', 'require', '__dirname', '__filename', 'global', 'eval']);
const BUILTINS = new Set(builtinModules);

/** Whether an identifier is a reference (not a property name, a declaration's member name or a label). */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && p.name === id) return false;
  if ((ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) && p.propertyName === id) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  return true;
}

/** @param followDynamic also follow `import('...')` (what may load), not only static imports (what must) */
function walkGraph(entry: string, followDynamic = true): { files: string[]; bare: Set<string>; findings: Finding[] } {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const findings: Finding[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const at = (node: ts.Node, what: string): void => {
      findings.push({ file: relative(ROOT, file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, what });
    };
    const specifier = (node: ts.Node, spec: string): void => {
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
      else if (spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0])) at(node, `imports '${spec}'`);
      else bare.add(spec);
    };
    const visit = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        specifier(node, node.moduleSpecifier.text);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [arg] = node.arguments;
        if (arg && ts.isStringLiteralLike(arg)) {
          if (followDynamic) specifier(node, arg.text);
        }
        else at(node, 'dynamic import of a computed specifier');
      } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') {
        at(node, 'new Function');
      } else if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.has(node.text) && isReference(node)) {
        at(node, `uses '${node.text}'`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { files: [...seen].map((f) => relative(ROOT, f)).sort(), bare, findings };
}

beforeAll(() => requireBuild());

describe('dist/browser.js import graph', () => {
  test('has no node: imports, no Buffer/process, no eval or new Function', () => {
    const { files, bare, findings } = walkGraph(BROWSER_DIST);
    expect(files).toContain('dist/core.js');
    expect(files).toContain('dist/runtime/matcher.js');
    expect(files).not.toContain('dist/index.js');
    expect(files).not.toContain('dist/rule/files.js');
    expect(findings).toEqual([]);
    // The only package it imports is `yaml`, whose default (non-Node) export is its browser build.
    expect([...bare].sort()).toEqual(['yaml']);
  });

  test('src/report (the HTML report and the workbench views) needs nothing from Node either', () => {
    const { files, bare, findings } = walkGraph(join(ROOT, 'dist/report/index.js'));
    expect(files).toContain('dist/report/rule-page.js');
    expect(findings).toEqual([]);
    expect([...bare].sort()).toEqual(['yaml']);
  });

  test('the walker catches what it looks for', () => {
    // dist/index.js reads the WASM file with node:fs (through dist/runtime/node-wasm.js); dist/rule/files.js walks directories.
    const { findings } = walkGraph(join(ROOT, 'dist/index.js'));
    const what = findings.map((f) => `${f.file}: ${f.what}`);
    expect(what).toContain("dist/runtime/node-wasm.js: imports 'node:fs/promises'");
    expect(what).toContain("dist/rule/files.js: imports 'node:fs'");
  });

  test('the walker flags globals and code generation, not property names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigmatch-graph-'));
    try {
      writeFileSync(join(dir, 'a.js'), "import './b.js';\nexport const a = { process: 1, Buffer: 2 }.process;\nconst x = globalThis.process;\n");
      writeFileSync(join(dir, 'b.js'), "import 'fs';\nBuffer.from('x');\nif (process.env.X) eval('1');\nnew Function('return 1');\nawait import('node:path');\n");
      const what = walkGraph(join(dir, 'a.js')).findings.map((f) => `${f.line}: ${f.what}`);
      expect(what.sort()).toEqual(["1: imports 'fs'", "2: uses 'Buffer'", "3: uses 'eval'", "3: uses 'process'", '4: new Function', "5: imports 'node:path'"].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the Redis client stays out of the library', () => {
  // sigma-match/redis (src/sources/redis) needs @redis/client, an optional dependency: the entry points never load it,
  // and the CLI loads it only when `consume` runs.
  test('dist/index.js and dist/browser.js import no package but yaml', () => {
    for (const entry of [join(ROOT, 'dist/index.js'), BROWSER_DIST]) expect([...walkGraph(entry).bare].sort()).toEqual(['yaml']);
  });

  test('the CLI imports @redis/client only dynamically, through sigma-match/redis', () => {
    const cli = join(ROOT, 'dist/cli/main.js');
    expect([...walkGraph(cli, false).bare].sort()).toEqual(['yaml']);
    expect(walkGraph(cli).bare.has('@redis/client')).toBe(true);
    expect(walkGraph(join(ROOT, 'dist/sources/redis/index.js')).bare.has('@redis/client')).toBe(true);
  });
});

describe('package.json exports as bundlers resolve them', () => {
  async function entryFiles(options: esbuild.BuildOptions, code: string): Promise<string[]> {
    const result = await esbuild.build({
      stdin: { contents: code, resolveDir: ROOT, loader: 'js' },
      bundle: true,
      write: false,
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      ...options,
    });
    return Object.keys(result.metafile!.inputs);
  }

  test("'sigma-match' is the browser build under the browser and workerd conditions, and bundles with no Node built-ins", async () => {
    const code = "export * from 'sigma-match';";
    const browser = await entryFiles({ platform: 'browser' }, code);
    expect(browser).toContain('dist/browser.js');
    expect(browser).not.toContain('dist/index.js');
    // Under node_modules wherever it really is (a worktree's node_modules may be a symlink; esbuild reports real paths).
    expect(browser.some((f) => /(^|\/)node_modules\/yaml\/browser\//.test(f))).toBe(true);
    // What wrangler does: conditions workerd + worker + browser.
    const workerd = await entryFiles({ platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'] }, code);
    expect(workerd).toContain('dist/browser.js');
    expect(workerd).not.toContain('dist/index.js');
    const subpath = await entryFiles({ platform: 'neutral' }, "export * from 'sigma-match/browser';");
    expect(subpath).toContain('dist/browser.js');
  });

  test("'sigma-match' is the Node build for Node", async () => {
    const node = await entryFiles({ platform: 'node', external: ['yaml'] }, "import 'sigma-match';");
    expect(node).toContain('dist/index.js');
  });

  test("'sigma-match/sigmatch.wasm' is build/sigmatch.wasm", async () => {
    let resolved = '';
    await esbuild.build({
      stdin: { contents: "import wasm from 'sigma-match/sigmatch.wasm'; export default wasm;", resolveDir: ROOT, loader: 'js' },
      bundle: true,
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'wasm-probe',
          setup(build) {
            build.onResolve({ filter: /\.wasm$/ }, async (args) => {
              if (args.pluginData === 'probe') return undefined;
              const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'probe' });
              resolved = r.path;
              return { path: args.path, external: true };
            });
          },
        },
      ],
    });
    expect(resolved).toBe(WASM_PATH);
  });
});
