/**
 * `sigmatch --version`: the version in the package's own package.json, read at run time beside the module (dist/cli
 * or src/cli, both two levels below the package root), so an installed package and a checkout both report theirs.
 */
import { readFileSync } from 'node:fs';

const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`${PACKAGE_JSON.pathname} has no version`);
  return pkg.version;
}
