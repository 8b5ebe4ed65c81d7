/**
 * The option grammar every sigmatch command shares:
 *
 * - options as node:util parseArgs reads them (`--name value`, `--name=value`, `-n value`, bundled short booleans);
 * - a list option takes several values by repetition and by commas alike: `--rules a --rules b` = `--rules a,b`.
 *   A comma that belongs to an existing path does not split it: `--rules "my,rules"` names the directory `my,rules`
 *   when it exists (and `--rules my,rules,other` is it and `other`). `--placeholder NAME=a,b` gives NAME two values;
 *   `\,` is a literal comma;
 * - an unknown option is named with the closest of the command's own options (`--thread` -> `--threads`), a value
 *   outside its choices with the closest choice;
 * - a usage error (`UsageError`) is one line, then the command's usage; it exits with EXIT_USAGE (2).
 */
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from '../text/closest.js';
import { CliError, EXIT_USAGE } from './common.js';

/** How a repeatable option's values are split at commas. */
export type ListKind = 'values' | 'paths' | 'assignments';

type OptionConfig = NonNullable<ParseArgsConfig['options']>[string];
/** A parseArgs option; a repeatable (`multiple`) string option is a list of `list` kind (default 'values'). */
export type OptionSpec = OptionConfig & { list?: ListKind };
export type OptionSpecs = Record<string, OptionSpec>;

/** A wrong command line: printed as one line and the command's usage, exit code 2. */
export class UsageError extends CliError {
  constructor(
    message: string,
    /** The command's `Usage:` block. */
    readonly usage: string,
  ) {
    super(message, EXIT_USAGE);
  }
}

/** The `Usage:` block of a command's help text (up to the first blank line after it). */
export function usageOf(help: string): string {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Usage:'));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** Split one value of a list option at commas (see the module comment for paths and NAME=VALUE). */
export function splitList(value: string, kind: ListKind): string[] {
  switch (kind) {
    case 'values':
      return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    case 'paths':
      return splitPaths(value);
    case 'assignments': {
      const eq = value.indexOf('=');
      if (eq <= 0) return [value]; // left for the option's own check to refuse
      const name = value.slice(0, eq + 1);
      return value
        .slice(eq + 1)
        .split(/(?<!\\),/)
        .map((v) => `${name}${v.replace(/\\,/g, ',')}`);
    }
  }
}

/** Segments of a path list beyond which commas always split (the search for existing paths is quadratic). */
const MAX_PATH_SEGMENTS = 64;

/**
 * Split a comma list of paths, keeping commas that belong to an existing path: from each position, the longest run
 * of segments that names an existing path is one path (`a,b,c` with a directory `a,b` is `a,b` and `c`).
 */
function splitPaths(value: string): string[] {
  if (existsSync(value)) return [value];
  const segments = value.split(',');
  if (segments.length > MAX_PATH_SEGMENTS) return segments.filter((s) => s !== '');
  const out: string[] = [];
  for (let i = 0; i < segments.length; ) {
    let end = i + 1;
    for (let j = segments.length; j > i + 1; j--) {
      if (existsSync(segments.slice(i, j).join(','))) {
        end = j;
        break;
      }
    }
    const path = segments.slice(i, end).join(',');
    if (path !== '') out.push(path);
    i = end;
  }
  return out;
}

type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/** One command's grammar: its name, help text and options. */
export class CommandLine {
  readonly usage: string;

  constructor(
    readonly command: string,
    help: string,
  ) {
    this.usage = usageOf(help);
  }

  /** A usage error of this command: `<command>: message`, then its usage. */
  error(message: string): UsageError {
    return new UsageError(`${this.command}: ${message}`, this.usage);
  }

  /** `value` must be one of `choices` (compared as given); a near miss is suggested. */
  oneOf<C extends string>(option: string, value: string, choices: readonly C[]): C {
    if ((choices as readonly string[]).includes(value)) return value as C;
    const near = closest(value, choices);
    const named = choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}` : choices.join('');
    throw this.error(`${option} takes ${named}, got "${value}"${near ? ` (did you mean ${near}?)` : ''}`);
  }

  /** Parse `argv` with the command's options; list options come back split, every mistake as a UsageError. */
  parse<const O extends OptionSpecs, const P extends boolean>({ args: argv, options, allowPositionals }: { args: string[]; options: O; allowPositionals: P; strict?: true }): Parsed<{ args: string[]; options: O; allowPositionals: P; strict: true }> {
    const config: Record<string, OptionConfig> = {};
    for (const [name, { list: _kind, ...spec }] of Object.entries(options)) config[name] = spec;
    this.check(argv, options, config, allowPositionals);
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: config, allowPositionals, strict: true });
    } catch (e) {
      // check() catches what users get wrong; anything else parseArgs refuses is still a usage error.
      const message = (e as Error).message.split('. ')[0];
      throw this.error(message.charAt(0).toLowerCase() + message.slice(1));
    }
    const values = parsed.values as Record<string, unknown>;
    for (const [name, spec] of Object.entries(options)) {
      const given = values[name];
      if (spec.type === 'string' && spec.multiple && Array.isArray(given)) values[name] = given.flatMap((v: string) => splitList(v, spec.list ?? 'values'));
    }
    return parsed as unknown as Parsed<{ args: string[]; options: O; allowPositionals: P; strict: true }>;
  }

  /** Unknown options (with a suggestion), missing or unexpected values and unexpected arguments, in sigmatch's words. */
  private check(argv: string[], options: OptionSpecs, config: Record<string, OptionConfig>, allowPositionals: boolean): void {
    const shorts = Object.values(options).flatMap((o) => (o.short ? [`-${o.short}`] : []));
    // Not strict: every token comes back, unknown options included (read as booleans).
    const { tokens } = parseArgs({ args: argv, options: config, allowPositionals: true, strict: false, tokens: true });
    for (const t of tokens) {
      if (t.kind === 'positional') {
        if (!allowPositionals) throw this.error(`unexpected argument "${t.value}"`);
        continue;
      }
      if (t.kind !== 'option') continue;
      const spec = Object.hasOwn(options, t.name) ? options[t.name] : undefined;
      if (!spec) {
        // A one-letter option is a typo of another only in its case (-T for -t); any letter is one edit from any other.
        const near = t.rawName.startsWith('--')
          ? closest(t.rawName, Object.keys(options).map((n) => `--${n}`))
          : (shorts.find((s) => s !== t.rawName && s.toLowerCase() === t.rawName.toLowerCase()) ?? null);
        throw this.error(`unknown option ${t.rawName}${near ? ` (did you mean ${near}?)` : ''}`);
      }
      if (spec.type === 'boolean' && t.inlineValue) throw this.error(`${t.rawName} takes no value`);
      if (spec.type === 'string') {
        if (t.value === undefined) throw this.error(`${t.rawName} needs a value`);
        if (!t.inlineValue && t.value.length > 1 && t.value.startsWith('-')) {
          throw this.error(`${t.rawName} needs a value, got the option ${t.value}; to give a value starting with "-", write --${t.name}=${t.value}`);
        }
      }
    }
  }
}
