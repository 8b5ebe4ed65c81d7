/**
 * The progress line on stderr during long scans: bytes done of the total (when the input has a size), a bar, events
 * per second and the time left; before a scan, a status of the start-up (rules loaded, compiling). Only on a terminal
 * and never with --quiet; redrawn at most every `interval` ms; erased when the scan ends (and around any other
 * message written through `log`), so it never remains in the scrollback.
 */
import { displayWidth, painter, truncate } from './ansi.js';
import type { OutputStream } from './types.js';

export interface ProgressOptions {
  /** Input size in bytes (absent for stdin and pipes: no percentage, bar or ETA). */
  total?: number;
  /** --quiet: never draw. */
  quiet?: boolean;
  /** Force drawing on or off (default: only when the stream is a terminal). */
  enabled?: boolean;
  /** Least time between two redraws, in ms (default 100). */
  interval?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
  /** Width to draw in (default: the stream's columns, else 80). */
  width?: number;
  color?: boolean;
  label?: string;
}

export interface Progress {
  readonly enabled: boolean;
  /** Report progress: bytes of the input consumed and events read so far. Redraws when the interval has passed. */
  update(bytes: number, events: number): void;
  /**
   * Show a status text instead (start-up: "loading rules ...", "compiling N rules"); redrawn when the interval has
   * passed, or at once with `now` (before a long step that cannot report as it goes).
   */
  status(text: string, now?: boolean): void;
  /** Write a message (e.g. a malformed-record warning, with its newline) without garbling the progress line. */
  log(text: string): void;
  /** Erase the line for good. */
  done(): void;
  /** How many times the line was drawn (for tests). */
  readonly draws: number;
}

const CLEAR = '\r\u001b[2K';
const BAR = 20;

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[u]}`;
}

/**
 * A count with thousands separators, as `n.toLocaleString('en-US')` writes it, without loading the locale data
 * (the first toLocaleString of a process costs ~15 ms: a tenth of a cached start-up).
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '0';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(perSecond >= 1e7 ? 0 : 1)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(perSecond >= 1e4 ? 0 : 1)}k`;
  return `${Math.round(perSecond)}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

const NOOP: Progress = { enabled: false, update() {}, status() {}, log() {}, done() {}, draws: 0 };

export function createProgress(stream: OutputStream, options: ProgressOptions = {}): Progress {
  const enabled = !options.quiet && (options.enabled ?? stream.isTTY === true);
  if (!enabled) {
    return {
      ...NOOP,
      log: (text: string) => {
        stream.write(text);
      },
    };
  }
  const now = options.now ?? (() => performance.now());
  const interval = options.interval ?? 100;
  const start = now();
  const p = painter(options.color ?? false);
  let last = -Infinity;
  let shown = false;
  let draws = 0;
  let state = { bytes: 0, events: 0 };
  let statusText: string | null = null;
  const width = (): number => options.width ?? (stream.columns && stream.columns > 0 ? stream.columns : 80);

  const fit = (text: string): string => {
    // One column short of the width: a full-width line would wrap on some terminals and leave a stale row behind.
    const max = width() - 1;
    return displayWidth(text.replace(/\u001b\[[0-9;]*m/g, '')) > max ? truncate(text.replace(/\u001b\[[0-9;]*m/g, ''), max) : text;
  };
  const line = (): string => {
    if (statusText !== null) return fit(statusText);
    const elapsed = Math.max((now() - start) / 1000, 1e-9);
    const rate = state.events / elapsed;
    const parts: string[] = [options.label ?? 'scanning'];
    const total = options.total;
    if (total !== undefined && total > 0) {
      const fraction = Math.min(1, state.bytes / total);
      const filled = Math.round(fraction * BAR);
      parts.push(`${formatBytes(state.bytes)} / ${formatBytes(total)}`, `${p.paint('█'.repeat(filled), 'cyan')}${'░'.repeat(BAR - filled)}`, `${Math.floor(fraction * 100)}%`);
      const byteRate = state.bytes / elapsed;
      const eta = byteRate > 0 ? (total - state.bytes) / byteRate : NaN;
      parts.push(`${formatCount(state.events)} events`, `${formatRate(rate)} ev/s`, `ETA ${formatDuration(eta)}`);
    } else {
      parts.push(formatBytes(state.bytes), `${formatCount(state.events)} events`, `${formatRate(rate)} ev/s`);
    }
    return fit(parts.join('  '));
  };
  const draw = (): void => {
    stream.write(`${CLEAR}${line()}`);
    shown = true;
    draws++;
    last = now();
  };
  const clear = (): void => {
    if (shown) stream.write(CLEAR);
    shown = false;
  };
  return {
    enabled: true,
    update(bytes, events) {
      state = { bytes, events };
      statusText = null;
      if (now() - last >= interval) draw();
    },
    status(text, immediately = false) {
      statusText = text;
      if (immediately || now() - last >= interval) draw();
    },
    log(text) {
      const wasShown = shown;
      clear();
      stream.write(text);
      if (wasShown) draw();
    },
    done() {
      clear();
    },
    get draws() {
      return draws;
    },
  };
}
