// Builds only the outputs that are older than their inputs, so a quick benchmark after a TypeScript change does not
// wait for the WASM build too (and after no change, for neither):
//   dist/               (npm run build:ts)   when anything under src/, or tsconfig*.json, is newer than dist's oldest file
//   build/sigmatch.wasm (npm run build:wasm) when anything under assembly/, or asconfig.json, is newer than it
// Directories count with their own mtime, so a deleted or renamed source file also makes its output stale.
// Usage: node scripts/build-if-stale.mjs   (npm run bench:quick runs it)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The mtimes (ms) of a path and, for a directory, of everything below it. */
function mtimes(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [stat.mtimeMs];
  return [stat.mtimeMs, ...readdirSync(path).flatMap((name) => mtimes(join(path, name)))];
}

const newest = (paths) => Math.max(...paths.filter(existsSync).flatMap(mtimes));
const oldest = (paths) => Math.min(...paths.filter(existsSync).flatMap(mtimes));

const TARGETS = [
  { script: 'build:ts', output: 'dist', inputs: ['src', 'tsconfig.json', 'tsconfig.build.json'] },
  { script: 'build:wasm', output: 'build/sigmatch.wasm', inputs: ['assembly', 'asconfig.json'] },
];

/** The npm scripts whose output under `root` is missing or older than one of its inputs. */
export function staleBuilds(root) {
  return TARGETS.filter(({ output, inputs }) => {
    const out = join(root, output);
    return !existsSync(out) || newest(inputs.map((p) => join(root, p))) > oldest([out]);
  }).map((t) => t.script);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const stale = staleBuilds(ROOT);
  if (stale.length === 0) console.error('dist/ and build/sigmatch.wasm are up to date');
  for (const script of stale) {
    console.error(`npm run ${script}: its output is older than its sources`);
    execFileSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' });
  }
}
