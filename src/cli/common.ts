/** Shared pieces of the CLI commands: errors, exit codes, option parsing, rule loading with error reporting. */
import { loadRules } from '../rule/files.js';
import type { RuleSet } from '../rule/load.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = EXIT_USAGE,
  ) {
    super(message);
  }
}

/** Run node:util parseArgs, turning its errors into usage errors with sigmatch's wording. */
export function withUsageErrors<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    const message = (e as Error).message.replace(/^Unknown option/, 'unknown option');
    throw new CliError(`${command}: ${message} (see sigmatch ${command} --help)`);
  }
}

/** `name=value` placeholder options into the loader's map (repeated names accumulate). */
export function parsePlaceholders(values: string[] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new CliError(`--placeholder needs NAME=VALUE, got "${v}"`);
    (out[v.slice(0, eq)] ??= []).push(v.slice(eq + 1));
  }
  return out;
}

/** Load rules and write every load error to stderr as file:line:column: CODE: message. */
export function loadRulesReporting(paths: string[], placeholders: Record<string, string[]>, stderr: NodeJS.WritableStream): RuleSet {
  const set = loadRules(paths, { placeholders });
  for (const e of set.errors) stderr.write(`${e.format()}\n`);
  return set;
}
