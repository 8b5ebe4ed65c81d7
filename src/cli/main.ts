#!/usr/bin/env node
/**
 * The sigmatch command line: `scan` runs rules over events, `consume` over a Redis stream, `validate` checks rules,
 * `explain` describes a rule, `test` runs regression tests. Exit codes: 0 success (whether or not anything matched;
 * also when the reader of the output went away), 1 validation found errors / a regression test failed / a rule to
 * explain has errors / a hit at the --fail-on level, 2 usage error or unreadable input.
 */
import { packageVersion } from './version.js';
import { CliError, EXIT_OK, EXIT_USAGE } from './common.js';
import { closest } from '../text/closest.js';
import { UsageError } from './options.js';

const USAGE = `sigmatch: match Sigma rules against events

Usage:
  sigmatch scan --rules <file|dir> [--rules ...] [options] <events file | ->
  sigmatch scan --compiled <rules.sigc> [options] <events file | ->
  sigmatch consume --stream <key> --rules <file|dir> [--redis <url>] [options]
  sigmatch stats [--by channel,event_id,provider,computer] [--format table|json|csv] <events>...
  sigmatch route --stream <key> --shards <k> --key <field> [--redis <url>] [<events.ndjson> | -]
  sigmatch compile --rules <file|dir> [-P pipeline]... -o <rules.sigc>
  sigmatch validate <file|dir>... [--format text|json]
  sigmatch pipelines [show <name|file> [rule.yml...]]
  sigmatch explain <rule file|dir>... [--id <id>] [--corpus <dir>] [-P pipeline]... [--format text|json|markdown]
  sigmatch test <regression_data dir> --rules <dir>[,<dir>...] [-P pipeline]... [--format text|json]
  sigmatch help [command]
  sigmatch --version

Run "sigmatch <command> --help" for a command's options and examples.

Options: every command reads them alike. A repeatable option takes several values by repetition or by commas
(--rules a --rules b is --rules a,b); a comma that belongs to an existing path does not split it, so a directory
named "a,b" is given as is. --placeholder n=a,b gives n two values (\\, is a literal comma). A wrong option is
named with the closest one ("did you mean --threads?"); usage errors exit with code 2.
`;

type Command = (argv: string[]) => Promise<number>;

/**
 * Each command's module, imported when the command runs: a start-up loads only what its command needs (a scan never
 * loads the Redis client, the HTML report or the linters; issue 13's start-up time).
 */
const COMMAND_MODULES: Record<string, () => Promise<Command>> = {
  scan: async () => (await import('./scan.js')).runScan,
  consume: async () => (await import('./consume.js')).runConsume,
  route: async () => (await import('./route.js')).runRoute,
  stats: async () => (await import('./stats/index.js')).runStats,
  validate: async () => (await import('./validate.js')).runValidate,
  compile: async () => (await import('./compile.js')).runCompile,
  pipelines: async () => (await import('./pipelines.js')).runPipelines,
  explain: async () => (await import('./explain.js')).runExplain,
  test: async () => (await import('./test-command.js')).runTest,
};

const COMMANDS = Object.keys(COMMAND_MODULES);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && Object.hasOwn(COMMAND_MODULES, command)) return await (await COMMAND_MODULES[command]())(rest);
    switch (command) {
      case '--version':
      case '-V':
        process.stdout.write(`${packageVersion()}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        if (rest[0] !== undefined && Object.hasOwn(COMMAND_MODULES, rest[0])) return await (await COMMAND_MODULES[rest[0]]())(['--help']);
        process.stdout.write(USAGE);
        return 0;
      default: {
        const near = closest(command, COMMANDS);
        throw new CliError(`unknown command "${command}"${near ? ` (did you mean ${near}?)` : ''}; the commands are ${COMMANDS.join(', ')} (see sigmatch --help)`);
      }
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sigmatch: ${e.message}\n${e.usage}\n`);
      return e.exitCode;
    }
    if (e instanceof CliError) {
      process.stderr.write(`sigmatch: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

/**
 * A reader that closed its end of the pipe (`sigmatch scan ... | head -1`) has all it wants: stop at once, print
 * nothing more (the summary would fail too) and exit 0, as `grep` and `cat` do. Other write errors stay errors.
 */
function stopWhenReaderLeaves(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_OK);
    throw e;
  });
}
stopWhenReaderLeaves(process.stdout);
stopWhenReaderLeaves(process.stderr);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`sigmatch: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT_USAGE;
  },
);
