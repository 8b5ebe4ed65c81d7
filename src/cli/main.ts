#!/usr/bin/env node
/**
 * The sigmatch command line: `scan` runs rules over events, `consume` over a Redis stream, `validate` checks rules,
 * `explain` describes a rule, `test` runs regression tests. Exit codes: 0 success (whether or not anything matched;
 * also when the reader of the output went away), 1 validation found errors / a regression test failed / a rule to
 * explain has errors / a hit at the --fail-on level, 2 usage error or unreadable input.
 */
import { runScan } from './scan.js';
import { runValidate } from './validate.js';
import { runPipelines } from './pipelines.js';
import { runCompile } from './compile.js';
import { runExplain } from './explain.js';
import { runTest } from './test-command.js';
import { runConsume } from './consume.js';
import { packageVersion } from './version.js';
import { runStats } from './stats/index.js';
import { runRoute } from './route.js';
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

const COMMANDS = ['scan', 'consume', 'route', 'stats', 'validate', 'compile', 'pipelines', 'explain', 'test'];

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'scan':
        return await runScan(rest);
      case 'validate':
        return await runValidate(rest);
      case 'pipelines':
        return await runPipelines(rest);
      case 'compile':
        return await runCompile(rest);
      case 'explain':
        return await runExplain(rest);
      case 'test':
        return await runTest(rest);
      case 'consume':
        return await runConsume(rest);
      case 'stats':
        return await runStats(rest);
      case '--version':
      case '-V':
        process.stdout.write(`${packageVersion()}\n`);
        return 0;
      case 'route':
        return await runRoute(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        if (rest[0] === 'scan') return await runScan(['--help']);
        if (rest[0] === 'validate') return await runValidate(['--help']);
        if (rest[0] === 'pipelines') return await runPipelines(['--help']);
        if (rest[0] === 'compile') return await runCompile(['--help']);
        if (rest[0] === 'explain') return await runExplain(['--help']);
        if (rest[0] === 'test') return await runTest(['--help']);
        if (rest[0] === 'consume') return await runConsume(['--help']);
        if (rest[0] === 'stats') return await runStats(['--help']);
        if (rest[0] === 'route') return await runRoute(['--help']);
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
