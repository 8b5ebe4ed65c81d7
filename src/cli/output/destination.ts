/**
 * Where hits go and in which format: standard output, or `-o/--output FILE` with the format read from the file's
 * extension unless `--format` names one. The file is opened (created or truncated) before anything is scanned, so an
 * unwritable path fails at once; a write error later (a full disk) ends the run with the file named.
 */
import { accessSync, closeSync, constants, createWriteStream, openSync, statSync, type WriteStream } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { CliError } from '../common.js';
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from './index.js';
import type { OutputStream } from './types.js';

/** What `--format timesketch` becomes: JSONL when the output file says so, else CSV. */
export const TIMESKETCH = 'timesketch';
/** An HTML report (`-o report.html`): written by the scan's HTML report, not an output format. */
export const HTML = 'html';

const EXTENSIONS: Readonly<Record<string, OutputFormat | typeof HTML>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
  '.csv': 'csv',
  '.txt': 'table',
  '.html': HTML,
  '.htm': HTML,
};

export interface Destination {
  format: OutputFormat | typeof HTML;
  /** Where hits are written (standard output, or the file); unused for an HTML report. */
  stream: OutputStream;
  /** The output file, when there is one. */
  path: string | null;
  /** Closes the file and reports a write error that happened (a no-op for standard output). */
  close(): Promise<void>;
}

/** The format a file name implies, or null. */
export function formatFromPath(path: string): OutputFormat | typeof HTML | null {
  return EXTENSIONS[extname(path).toLowerCase()] ?? null;
}

function resolveFormat(command: string, format: string | undefined, output: string | undefined, stdout: OutputStream): OutputFormat | typeof HTML {
  const choices = `${[...OUTPUT_FORMATS, TIMESKETCH].join(', ')}`;
  if (format !== undefined) {
    if (format === TIMESKETCH) return output !== undefined && formatFromPath(output) === 'jsonl' ? 'timesketch-jsonl' : 'timesketch-csv';
    if (!isOutputFormat(format)) throw new CliError(`${command}: unknown --format "${format}" (${choices})`);
    return format;
  }
  if (output === undefined) return stdout.isTTY ? 'table' : 'jsonl';
  const implied = formatFromPath(output);
  if (implied === null) {
    throw new CliError(`${command}: cannot tell the output format from the name ${output}: name it .jsonl, .json, .csv, .txt (table) or .html, or give --format (${choices})`);
  }
  return implied;
}

/** A file opened for writing, as an OutputStream that remembers the first write error. */
class FileSink implements OutputStream {
  private error: Error | null = null;
  private readonly stream: WriteStream;

  constructor(
    private readonly command: string,
    private readonly path: string,
    fd: number,
  ) {
    this.stream = createWriteStream('', { fd, autoClose: true });
    this.stream.on('error', (e) => (this.error ??= e));
  }

  private fail(): never {
    throw new CliError(`${this.command}: cannot write ${this.path}: ${this.error!.message}`);
  }

  write(chunk: string): boolean {
    if (this.error) this.fail();
    return this.stream.write(chunk);
  }

  once(_event: 'drain', listener: () => void): void {
    // A failed stream never drains: the error wakes the writer too, and its next write reports it.
    const done = (): void => {
      this.stream.off('drain', done);
      this.stream.off('error', done);
      listener();
    };
    this.stream.on('drain', done);
    this.stream.on('error', done);
  }

  async close(): Promise<void> {
    if (!this.error) await new Promise<void>((done) => this.stream.end(done));
    if (this.error) this.fail();
  }
}

export interface DestinationOptions {
  format?: string;
  output?: string;
  /** Paths of the inputs (the output must not be one of them). */
  inputs: readonly (string | null)[];
}

/** Resolves the format and opens the output file (usage errors before anything is scanned). */
export function openDestination(command: string, options: DestinationOptions, stdout: OutputStream): Destination {
  const format = resolveFormat(command, options.format, options.output, stdout);
  const path = options.output;
  if (path === undefined || format === HTML) return { format, stream: stdout, path: path ?? null, close: async () => {} };
  if (options.inputs.some((p) => p !== null && resolve(p) === resolve(path))) throw new CliError(`${command}: -o ${path} is one of the inputs; refusing to overwrite it`);
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new CliError(`${command}: cannot write ${path}: ${(e as Error).message}`);
  }
  let sink: FileSink;
  try {
    sink = new FileSink(command, path, fd);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return { format, stream: sink, path, close: () => sink.close() };
}

/** Fails before the scan when the report cannot be written (a missing directory, a directory given as the file). */
export function checkReportPath(path: string): void {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new Error('it is a directory');
    accessSync(dirname(resolve(path)), constants.W_OK);
  } catch (e) {
    throw new CliError(`scan: cannot write the --html report ${path}: ${(e as Error).message}`);
  }
}
