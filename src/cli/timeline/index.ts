/**
 * The timeline and investigation options of `sigmatch scan`: one normalised time column (`--timezone`), a time range
 * (`--from/--to`), timeline order across inputs (`--sort time`), columns and output file (`--columns`, `-o`), and
 * rule exclusion. `ScanTimeline.create` checks them all (usage errors before anything is loaded or scanned); the scan
 * then asks it which hits to keep, stamps their time, and lets it wrap the output.
 */
import { parseTime } from '../../correlation/index.js';
import { eventTime } from '../../input/event-fields.js';
import type { Hit } from '../../runtime/matcher.js';
import { CliError } from '../common.js';
import { checkReportPath, openDestination, HTML, type Destination } from '../output/destination.js';
import {
  createOutput,
  normaliseHitTime,
  parseColumns,
  parseZone,
  UnknownColumnError,
  UTC,
  type Column,
  type DisplayZone,
  type Output,
  type OutputHit,
  type OutputOptions,
  type OutputStream,
} from '../output/index.js';
import { Exclusion } from './exclusion.js';
import { inRange, parseRange, type TimeRange } from './range.js';
import { DEFAULT_SORT_BUFFER, parseByteSize, sortedOutput, TimeSorter } from './sort.js';

export const TIMELINE_OPTIONS = {
  output: { type: 'string', short: 'o' },
  columns: { type: 'string' },
  timezone: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  sort: { type: 'string' },
  'sort-buffer': { type: 'string' },
  'exclude-id': { type: 'string', multiple: true },
  'exclude-tags': { type: 'string', multiple: true },
  'exclude-status': { type: 'string', multiple: true },
  'exclude-file': { type: 'string', multiple: true, list: 'paths' },
  'include-deprecated': { type: 'boolean', default: false },
} as const;

export const EXCLUSION_HELP = `      --exclude-id <list>     skip rules by id or title (comma-separated; repeatable)
      --exclude-tags <list>   skip rules with one of these tags, or a tag below one
      --exclude-status <list> skip rules with one of these statuses
      --exclude-file <file>   skip the rules a file lists: ids or titles, one per line, # starts a comment line
      --include-deprecated    also run rules whose status is deprecated or unsupported (skipped by default)
`;

export const TIMELINE_HELP = `  -o, --output <file>         write hits to a file; the format comes from its extension (.jsonl/.ndjson, .json,
                              .csv, .txt table, .html report) unless --format names one. Checked before scanning
      --columns <set>         table and CSV columns: minimal, standard (the table's default), verbose (CSV's
                              default) or a comma list of: time, time_unparsed, level, computer, channel, provider,
                              event_id, record_id, rule_title, rule_id, status, author, tags, where, file, line,
                              event, offset, details, detections, fields, correlation
      --timezone <zone>       times as UTC ISO 8601 with milliseconds (default), local, or a fixed offset:
                              --timezone +09:00, --timezone=-05:00 (the = form for a leading dash).
                              A time that cannot be read is shown as written, marked "?" in the table and
                              time_unparsed in JSON and CSV
      --from <time>           only events at or after this ISO 8601 date or date-time (no zone: --timezone's)
      --to <time>             only events at or before this time (a date alone: to that day's end)
      --sort <order>          input (default: as read) or time (timeline order across all inputs; hits without a
                              usable time last, in input order)
      --sort-buffer <size>    memory for --sort time before sorted runs spill to temporary files (default 256M)
`;

const SORT_ORDERS = ['input', 'time'] as const;
/** Formats whose columns --columns picks. */
const COLUMN_FORMATS = new Set(['table', 'csv', 'timesketch-csv']);

export interface TimelineValues {
  output?: string;
  format?: string;
  html?: string;
  columns?: string;
  timezone?: string;
  from?: string;
  to?: string;
  sort?: string;
  'sort-buffer'?: string;
  'exclude-id'?: string[];
  'exclude-tags'?: string[];
  'exclude-status'?: string[];
  'exclude-file'?: string[];
  'include-deprecated'?: boolean;
}

const NULL_OUTPUT: Output = { hit() {}, flush: async () => {}, end: async () => {} };

export class ScanTimeline {
  private outOfRange = 0;
  private untimedOutOfRange = 0;
  private unparsed = 0;
  private sorter: TimeSorter | null = null;
  private output: Output | null = null;

  private constructor(
    readonly zone: DisplayZone,
    readonly range: TimeRange | null,
    readonly exclusion: Exclusion,
    readonly destination: Destination,
    private readonly columns: readonly Column[] | undefined,
    private readonly sortBudget: number | null,
  ) {}

  /** Checks every option and opens the output file. `inputs`: the paths scanned (the output must not be one). */
  static create(command: string, values: TimelineValues, inputs: readonly (string | null)[], stdout: OutputStream): ScanTimeline {
    const zone = values.timezone === undefined ? UTC : parseZone(values.timezone);
    if (zone === null) throw new CliError(`${command}: --timezone takes UTC, local or an offset from -12:00 to +14:00 such as +05:30, got "${values.timezone}"`);
    const range = parseRange(command, values.from, values.to, zone);
    const sort = values.sort ?? 'input';
    if (!(SORT_ORDERS as readonly string[]).includes(sort)) throw new CliError(`${command}: --sort takes ${SORT_ORDERS.join(' or ')}, got "${sort}"`);
    if (values['sort-buffer'] !== undefined && sort !== 'time') throw new CliError(`${command}: --sort-buffer sizes the memory of --sort time; give --sort time too`);
    const sortBudget = sort === 'time' ? (values['sort-buffer'] === undefined ? DEFAULT_SORT_BUFFER : parseByteSize(command, '--sort-buffer', values['sort-buffer'])) : null;
    let columns: readonly Column[] | undefined;
    if (values.columns !== undefined) {
      try {
        columns = parseColumns(values.columns);
      } catch (e) {
        if (e instanceof UnknownColumnError) throw new CliError(`${command}: ${e.message}`);
        throw e;
      }
    }
    if (values.output !== undefined && values.html !== undefined && values.output === values.html) throw new CliError(`${command}: -o and --html name the same file ${values.output}`);
    const exclusion = new Exclusion(command, {
      ids: values['exclude-id'] ?? [],
      tags: values['exclude-tags'] ?? [],
      statuses: values['exclude-status'] ?? [],
      files: values['exclude-file'] ?? [],
      includeDeprecated: values['include-deprecated'] ?? false,
    });
    const destination = openDestination(command, { format: values.format, output: values.output, inputs }, stdout);
    if (destination.format === HTML) {
      if (values.html !== undefined) throw new CliError(`${command}: -o ${values.output} writes an HTML report; --html ${values.html} would write another: give one`);
      if (values.columns !== undefined) throw new CliError(`${command}: --columns applies to table and CSV output, not to the HTML report`);
      checkReportPath(values.output!);
    } else if (columns !== undefined && !COLUMN_FORMATS.has(destination.format)) {
      throw new CliError(`${command}: --columns applies to the table, csv and timesketch CSV formats, not to ${destination.format}`);
    }
    return new ScanTimeline(zone, range, exclusion, destination, columns, sortBudget);
  }

  /** The HTML report to write: `-o report.html`, else --html's. */
  htmlPath(values: TimelineValues): string | undefined {
    return this.destination.format === HTML ? this.destination.path! : values.html;
  }

  /** The output the scan writes hits to (held back and sorted under --sort time). */
  createOutput(options: Omit<OutputOptions, 'columns'>): Output {
    const d = this.destination;
    const fileOptions = d.path !== null ? { color: false, width: 0 } : options;
    const inner = d.format === HTML ? NULL_OUTPUT : createOutput(d.format, d.stream, { ...fileOptions, columns: this.columns });
    if (this.sortBudget !== null) this.sorter = new TimeSorter({ budget: this.sortBudget });
    this.output = this.sorter ? sortedOutput(inner, this.sorter) : inner;
    return this.output;
  }

  /** Whether a time (epoch ms, null: none that can be read) is inside --from/--to (counted when not). */
  private keepTime(ms: number | null): boolean {
    if (this.range === null) return true;
    if (inRange(ms, this.range)) return true;
    if (ms === null) this.untimedOutOfRange++;
    else this.outOfRange++;
    return false;
  }

  /** The hits whose events are inside --from/--to (before correlation: events outside feed no correlation either). */
  within(hits: readonly Hit[], eventOf: (hit: Hit) => unknown): readonly Hit[] {
    if (this.range === null) return hits;
    return hits.filter((h) => {
      if (h.correlation !== undefined) return true;
      const written = h.time ?? eventTime(eventOf(h));
      return this.keepTime(written === undefined ? null : parseTime(written));
    });
  }

  /**
   * The last step before a hit is reported: its time normalised; false when its event is outside --from/--to (hits
   * that did not pass through `within`, such as the reference engine's .evtx hits). Correlation alerts are not
   * filtered: their events were.
   */
  report(hit: OutputHit): boolean {
    normaliseHitTime(hit, this.zone);
    if (hit.correlation === undefined && !this.keepTime(hit.timestamp ?? null)) return false;
    if (hit.timeUnparsed) this.unparsed++;
    return true;
  }

  /** Summary lines (label, text) for what the timeline options left out or could not read. */
  summaryLines(): { label: string; text: string }[] {
    const lines: { label: string; text: string }[] = [];
    const skipped = this.exclusion.summary();
    if (skipped) lines.push({ label: 'excluded', text: skipped });
    if (this.range) {
      const parts = [`${this.outOfRange} outside it`];
      if (this.untimedOutOfRange > 0) parts.push(`${this.untimedOutOfRange} without a usable time`);
      lines.push({ label: 'range', text: `hits left out by --from/--to: ${parts.join(', ')}` });
    }
    if (this.unparsed > 0) lines.push({ label: 'times', text: `${this.unparsed} hit${this.unparsed === 1 ? '' : 's'} with a time that could not be read (shown as written)` });
    const left = this.output?.leftOut?.();
    if (left) lines.push({ label: 'left out', text: `${left.hits} hit${left.hits === 1 ? '' : 's'} ${left.reason}` });
    if (this.sorter && this.sorter.spilled > 0) lines.push({ label: 'sort', text: `${this.sorter.spilled} sorted runs spilled to temporary files (--sort-buffer)` });
    return lines;
  }

  /** Closes the output file (reports a write error). */
  close(): Promise<void> {
    return this.destination.close();
  }
}

export { Exclusion } from './exclusion.js';
export { parseRange, inRange, type TimeRange } from './range.js';
