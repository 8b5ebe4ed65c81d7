/**
 * Deterministic generator of realistic Windows event streams (Sysmon, Security, PowerShell) for benchmarks.
 *
 *   npx tsx bench/data/generate.ts --events 100000 --seed 1 --attack-share 0.02 --shape flat --out .bench-data/events.ndjson
 *
 * Same options -> byte-identical output. See bench/data/README.md for the event mix, the shapes and the attack set.
 */

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { attackEvent } from './attacks.js';
import { Fleet } from './fleet.js';
import { Weighted } from './prng.js';
import { SHAPES, toShape, type CanonicalEvent, type EventKind, type Shape } from './shapes.js';

export { SHAPES, shapeToFlat, toShape, toFlat, toEvtx, toEcs, evtxToFlat, ecsToFlat, ecsPath, KINDS, ALL_KINDS } from './shapes.js';
export type { Shape, EventKind, CanonicalEvent, FieldValue } from './shapes.js';
export { TECHNIQUES } from './attacks.js';

/**
 * Bumped whenever the output for given options changes (new values, new fields, a different mix), so benchmark
 * results can say which stream they were measured on. The test pins a digest of the output of this version.
 */
export const GENERATOR_VERSION = 1;

export interface GenerateOptions {
  /** Number of events. */
  events: number;
  /** PRNG seed (an unsigned 32-bit integer); default 1. */
  seed?: number;
  /** Probability that an event is attack-like; default 0.01. */
  attackShare?: number;
  /** Output shape; default 'flat'. */
  shape?: Shape;
}

/**
 * The benign event mix, in events per thousand: a Windows endpoint fleet with a Sysmon configuration in the style of
 * the common community configs (image loads and network connections filtered but still the bulk), Security auditing
 * of logons and process creation, and PowerShell script block logging.
 */
export const EVENT_MIX: ReadonlyArray<readonly [EventKind, number, string]> = [
  ['sysmon-1', 100, 'Sysmon process creation'],
  ['sysmon-3', 140, 'Sysmon network connection'],
  ['sysmon-5', 70, 'Sysmon process terminated'],
  ['sysmon-7', 160, 'Sysmon image loaded'],
  ['sysmon-10', 60, 'Sysmon process access'],
  ['sysmon-11', 110, 'Sysmon file create'],
  ['sysmon-12', 40, 'Sysmon registry key create/delete'],
  ['sysmon-13', 100, 'Sysmon registry value set'],
  ['sysmon-22', 80, 'Sysmon DNS query'],
  ['sysmon-23', 20, 'Sysmon file delete (archived)'],
  ['security-4624', 40, 'Security logon success'],
  ['security-4625', 8, 'Security logon failure'],
  ['security-4688', 50, 'Security process creation'],
  ['powershell-4104', 22, 'PowerShell script block'],
];

const MIX = new Weighted(EVENT_MIX.map(([kind, weight]) => [kind, weight] as const));

function benign(f: Fleet, kind: EventKind): CanonicalEvent {
  switch (kind) {
    case 'sysmon-1':
      return f.benignProcessCreate(false);
    case 'sysmon-3':
      return f.benignNetwork();
    case 'sysmon-5':
      return f.benignProcessTerminate();
    case 'sysmon-7':
      return f.benignImageLoad();
    case 'sysmon-10':
      return f.benignProcessAccess();
    case 'sysmon-11':
      return f.benignFileCreate();
    case 'sysmon-12':
      return f.benignRegistryKey();
    case 'sysmon-13':
      return f.benignRegistrySet();
    case 'sysmon-22':
      return f.benignDns();
    case 'sysmon-23':
      return f.benignFileDelete();
    case 'security-4624':
      return f.benignLogon();
    case 'security-4625':
      return f.benignFailedLogon();
    case 'security-4688':
      return f.benignProcessCreate(true);
    case 'powershell-4104':
      return f.benignScriptBlock();
  }
}

function normalise(options: GenerateOptions): Required<GenerateOptions> {
  const events = Math.floor(options.events);
  const seed = options.seed ?? 1;
  const attackShare = options.attackShare ?? 0.01;
  const shape = options.shape ?? 'flat';
  if (!Number.isFinite(events) || events < 0) throw new RangeError(`events must be a non-negative integer, got ${options.events}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  if (!(attackShare >= 0 && attackShare <= 1)) throw new RangeError(`attackShare must be in [0, 1], got ${attackShare}`);
  if (!SHAPES.includes(shape)) throw new RangeError(`shape must be one of ${SHAPES.join(', ')}, got ${shape}`);
  return { events, seed, attackShare, shape };
}

/** The events before they are given a shape (with their kind and attack label). */
export function* generateCanonical(options: GenerateOptions): Generator<CanonicalEvent> {
  const { events, seed, attackShare } = normalise(options);
  const fleet = new Fleet(seed);
  for (let i = 0; i < events; i++) {
    fleet.tick();
    // The benign event is built even in an attack slot (and dropped), and attacks draw from their own PRNG stream:
    // the benign events of a stream are then the same whatever the attack share.
    const isAttack = fleet.rng.float() < attackShare;
    const event = benign(fleet, MIX.pick(fleet.rng));
    yield isAttack ? attackEvent(fleet) : event;
  }
}

/** The events as plain objects in the requested shape. */
export function* generateEvents(options: GenerateOptions): Generator<object> {
  const shape = normalise(options).shape;
  for (const e of generateCanonical(options)) yield toShape(e, shape);
}

/** One JSON text per event (no newline), compact or indented. */
export function* generateLines(options: GenerateOptions & { pretty?: boolean }): Generator<string> {
  const indent = options.pretty ? 2 : undefined;
  for (const e of generateEvents(options)) yield JSON.stringify(e, null, indent);
}

/** The whole stream as UTF-8 NDJSON bytes (each event on one line, every line ending in `\n`). */
export function generateNdjson(options: GenerateOptions): Uint8Array {
  const parts: string[] = [];
  for (const line of generateLines(options)) parts.push(line);
  return new TextEncoder().encode(parts.length === 0 ? '' : `${parts.join('\n')}\n`);
}

export interface WriteSummary {
  events: number;
  bytes: number;
  attacks: number;
  byKind: Record<string, number>;
  byTechnique: Record<string, number>;
  seconds: number;
}

/**
 * Streams the events to a file (`-` for stdout) in 1 MiB writes. With `labels`, also writes one line per attack event:
 * `{"index":<0-based event index>,"technique":"..."}`.
 */
export function writeNdjson(options: GenerateOptions & { out: string; labels?: string; pretty?: boolean }): WriteSummary {
  const { shape } = normalise(options);
  const start = performance.now();
  const open = (path: string): number => {
    if (path === '-') return 1;
    mkdirSync(dirname(resolve(path)), { recursive: true });
    return openSync(path, 'w');
  };
  const fd = open(options.out);
  const labelFd = options.labels ? open(options.labels) : -1;
  const encoder = new TextEncoder();
  const indent = options.pretty ? 2 : undefined;
  let pending: string[] = [];
  let pendingChars = 0;
  let bytes = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    const chunk = encoder.encode(pending.join(''));
    bytes += chunk.length;
    let off = 0;
    while (off < chunk.length) off += writeSync(fd, chunk, off);
    pending = [];
    pendingChars = 0;
  };
  const summary: WriteSummary = { events: 0, bytes: 0, attacks: 0, byKind: {}, byTechnique: {}, seconds: 0 };
  const labels: string[] = [];
  let index = 0;
  try {
    for (const e of generateCanonical(options)) {
      const line = `${JSON.stringify(toShape(e, shape), null, indent)}\n`;
      pending.push(line);
      pendingChars += line.length;
      if (pendingChars >= 1 << 20) flush();
      summary.byKind[e.kind] = (summary.byKind[e.kind] ?? 0) + 1;
      if (e.attack !== null) {
        summary.attacks++;
        summary.byTechnique[e.attack] = (summary.byTechnique[e.attack] ?? 0) + 1;
        if (labelFd >= 0) labels.push(`{"index":${index},"technique":${JSON.stringify(e.attack)}}\n`);
      }
      index++;
    }
    flush();
    if (labelFd >= 0 && labels.length > 0) writeSync(labelFd, labels.join(''));
  } finally {
    if (fd !== 1) closeSync(fd);
    if (labelFd > 1) closeSync(labelFd);
  }
  summary.events = index;
  summary.bytes = bytes;
  summary.seconds = (performance.now() - start) / 1000;
  return summary;
}

// -------------------------------------------------------------------------------------------------------------
// CLI

const USAGE = `usage: npx tsx bench/data/generate.ts [--events N] [--seed S] [--attack-share P] [--shape flat|ecs|evtx]
                                        [--out FILE|-] [--labels FILE] [--pretty]
  --events N         number of events (default 100000)
  --seed S           PRNG seed, an integer in [0, 2^32) (default 1)
  --attack-share P   probability that an event is attack-like (default 0.01)
  --shape S          flat (Sigma field names), evtx (evtx_dump JSON) or ecs (Winlogbeat/ECS) (default flat)
  --out FILE         output file, '-' for stdout (default .bench-data/events-<shape>-<events>-s<seed>.ndjson)
  --labels FILE      also write {"index","technique"} for every attack-like event
  --pretty           indent each record over several lines (evtx_dump -o json style) instead of NDJSON`;

class HelpRequested extends Error {}

/** The CLI's options (throws on a bad argument). */
export function parseArgs(argv: string[]): GenerateOptions & { out: string; labels?: string; pretty: boolean } {
  const opts: GenerateOptions & { out?: string; labels?: string; pretty: boolean } = { events: 100_000, pretty: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    const num = (v: string): number => {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`${name}: not a number: ${v}`);
      return n;
    };
    switch (name) {
      case '--events':
        opts.events = num(value());
        break;
      case '--seed':
        opts.seed = num(value());
        break;
      case '--attack-share':
        opts.attackShare = num(value());
        break;
      case '--shape':
        opts.shape = value() as Shape;
        break;
      case '--out':
        opts.out = value();
        break;
      case '--labels':
        opts.labels = value();
        break;
      case '--pretty':
        opts.pretty = true;
        break;
      case '-h':
      case '--help':
        throw new HelpRequested();
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  const n = normalise(opts);
  return { ...opts, ...n, out: opts.out ?? `.bench-data/events-${n.shape}-${n.events}-s${n.seed}.ndjson` };
}

function main(argv: string[]): number {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (err instanceof HelpRequested) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    process.stderr.write(`generate: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const s = writeNdjson(opts);
  const rate = s.seconds > 0 ? Math.round(s.events / s.seconds) : 0;
  process.stderr.write(
    `generate: v${GENERATOR_VERSION}, ${s.events} events (${opts.shape}, seed ${opts.seed ?? 1}, attack share ${opts.attackShare ?? 0.01}) -> ${opts.out}\n` +
      `generate: ${s.bytes} bytes, ${(s.bytes / Math.max(1, s.events)).toFixed(1)} B/event, ` +
      `${s.attacks} attack-like (${((100 * s.attacks) / Math.max(1, s.events)).toFixed(2)}%), ` +
      `${s.seconds.toFixed(2)} s, ${rate} events/s, ${(s.bytes / 1e6 / Math.max(1e-9, s.seconds)).toFixed(1)} MB/s\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
