/** Shared pieces of the CLI commands: errors, exit codes, option parsing, rule loading with error reporting. */
import { loadRulesWithPipelines } from '../pipeline/cli-support.js';
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

export interface LoadedRules {
  set: RuleSet;
  /** Rules a pipeline gave event conditions for their log source, and the rest (which meet every event). */
  routed: number;
  unrouted: number;
  /** Of `unrouted`, rules of products no pipeline routes: they do not meet the events the pipelines identify. */
  foreign: number;
  pipelines: string[];
}

/**
 * Load rules through the given pipelines (names of built-ins or files) and write every load error to stderr as
 * file:line:column: CODE: message. A pipeline error is a usage error: nothing is scanned with half a mapping.
 */
export function loadRulesReporting(paths: string[], pipelineArgs: string[], placeholders: Record<string, string[]>, stderr: NodeJS.WritableStream): LoadedRules {
  const loaded = loadRulesWithPipelines(paths, pipelineArgs, placeholders);
  if (loaded.errors.length > 0) {
    throw new CliError(`pipeline errors:\n${loaded.errors.map((e) => `  ${e.format()}`).join('\n')}`);
  }
  for (const e of loaded.set.errors) stderr.write(`${e.format()}\n`);
  return { set: loaded.set, routed: loaded.routed, unrouted: loaded.unrouted, foreign: loaded.foreign, pipelines: loaded.pipelines.map((p) => p.name) };
}

/** A malformed, not-object or too-large record as `file:line: message`, naming every line it covers. */
export function formatInputNote(file: string, note: { line: number; endLine?: number; message: string }): string {
  const end = note.endLine ?? note.line;
  return end > note.line ? `${file}:${note.line}: ${note.message} (lines ${note.line}-${end} skipped)` : `${file}:${note.line}: ${note.message}`;
}
