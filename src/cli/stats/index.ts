/** `sigmatch stats`: event metrics by Channel, EventID, Provider and Computer, with first and last times. */
import { EVTX_INFO_NOTES } from '../../input/evtx/index.js';
import { CliError, EXIT_OK, formatInputNote } from '../common.js';
import { CommandLine } from '../options.js';
import { expandInputs } from '../inputs.js';
import { colorEnabled, createProgress, parseZone, terminalWidth, UTC } from '../output/index.js';
import { openDestination } from '../output/destination.js';
import { inputEvents } from './events.js';
import { statsCsv, statsJson, statsTable, STATS_FORMATS, type StatsFormat } from './format.js';
import { DIMENSIONS, EventMetrics, parseBreakdowns } from './metrics.js';

const DEFAULT_TOP = 20;

const HELP = `sigmatch stats: count events by Channel, EventID, Provider and Computer

Usage:
  sigmatch stats [options] <events>...

Events: what sigmatch scan reads (files, directories, globs, - for stdin; NDJSON, JSON arrays, evtx_dump output,
.evtx; gzip'd or not). Each breakdown lists its groups, most events first, with each group's share of the events
and its first and last event time. Malformed records are reported on stderr with their file and line (or offset) and
counted.

Options:
      --by <list>             breakdowns, comma-separated; each one of ${DIMENSIONS.join(', ')}, or several joined
                              with + (channel+event_id: one row per channel and event ID). Default: each alone
  -f, --format <fmt>          table (default on a terminal), json (default otherwise) or csv
  -o, --output <file>         write to a file; the format comes from its extension (.json, .csv, .txt) unless --format
      --top <n>               table rows per breakdown (default ${DEFAULT_TOP}; 0: all). JSON and CSV hold every group
      --timezone <zone>       times in UTC (default), local, or a fixed offset (+09:00; --timezone=-05:00)
  -q, --quiet                 no progress line
  -h, --help                  show this help

Exit codes: 0 done, 2 usage error or unreadable input.

Examples:
  sigmatch stats logs/
  sigmatch stats --by channel+event_id,computer --format csv Security.evtx > metrics.csv
`;

export async function runStats(argv: string[]): Promise<number> {
  const CLI = new CommandLine('stats', HELP);
  const { values, positionals } = CLI.parse({
    args: argv,
    allowPositionals: true,
    options: {
      by: { type: 'string' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      top: { type: 'string' },
      timezone: { type: 'string' },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  const by = parseBreakdowns(values.by ?? DIMENSIONS.join(','));
  if ('unknown' in by) throw new CliError(`stats: --by takes ${DIMENSIONS.join(', ')} (joined with + to combine, comma-separated), got "${by.unknown}"`);
  const zone = values.timezone === undefined ? UTC : parseZone(values.timezone);
  if (zone === null) throw new CliError(`stats: --timezone takes UTC, local or an offset from -12:00 to +14:00 such as +05:30, got "${values.timezone}"`);
  const top = values.top === undefined ? DEFAULT_TOP : Number(values.top);
  if (!Number.isSafeInteger(top) || top < 0) throw new CliError(`stats: --top takes a whole number (0: all), got "${values.top}"`);
  if (values.format !== undefined && !(STATS_FORMATS as readonly string[]).includes(values.format)) throw new CliError(`stats: unknown --format "${values.format}" (${STATS_FORMATS.join(', ')})`);
  if (positionals.length === 0) throw CLI.error('give the events to count: files, directories, globs, or - for stdin');
  const inputs = expandInputs(positionals, 'stats');
  const fallback = values.format ?? (process.stdout.isTTY ? 'table' : 'json');
  const destination = openDestination('stats', { format: values.output !== undefined ? values.format : fallback, output: values.output, inputs: inputs.map((i) => i.path) }, process.stdout);
  const format = destination.format as string;
  if (!(STATS_FORMATS as readonly string[]).includes(format)) {
    await destination.close();
    throw new CliError(`stats: writes ${STATS_FORMATS.join(', ')}; name the file .txt, .json or .csv, or give --format`);
  }

  const metrics = new EventMetrics(by.breakdowns);
  const totalBytes = inputs.every((i) => i.size !== null) ? inputs.reduce((n, i) => n + (i.size ?? 0), 0) : undefined;
  const progress = createProgress(process.stderr, { total: totalBytes, quiet: values.quiet, color: colorEnabled(process.stderr) });
  let bytes = 0;
  let malformed = 0;
  for (const input of inputs) {
    for await (const batch of inputEvents(input, 'stats')) {
      for (const e of batch.events) metrics.add(e);
      for (const n of batch.notes) {
        if (n.kind === 'evtx' && n.offset !== undefined) progress.log(`${input.name}: ${n.message}\n`);
        else progress.log(`${formatInputNote(input.name, n)}\n`);
        if (n.kind !== 'evtx' || n.code === undefined || !EVTX_INFO_NOTES.has(n.code)) malformed++;
      }
      bytes += batch.bytes;
      progress.update(bytes, metrics.events);
    }
  }
  progress.done();
  const report = { ...metrics.result(), inputs: inputs.map((i) => i.name), malformed };
  const text = (format as StatsFormat) === 'json' ? statsJson(report, zone) : format === 'csv' ? statsCsv(report, zone) : statsTable(report, zone, top, destination.path !== null ? Infinity : terminalWidth(process.stdout));
  destination.stream.write(text);
  await destination.close();
  return EXIT_OK;
}
