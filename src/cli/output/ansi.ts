/**
 * Terminal text without a dependency: ANSI colours (honouring NO_COLOR and FORCE_COLOR), display widths, truncation to
 * a width, and the escaping of control characters that event data could use to drive the terminal.
 */

export interface ColorStream {
  isTTY?: boolean;
  columns?: number;
}

export type ColorChoice = 'auto' | 'always' | 'never';

/**
 * Whether to colour output written to `stream`: `always` / `never` when asked; otherwise FORCE_COLOR wins (`0` or
 * `false` turn colour off, any other value on), then NO_COLOR (any non-empty value turns it off), then TERM=dumb, then
 * whether the stream is a terminal. The precedence is Node's own (FORCE_COLOR over NO_COLOR).
 */
export function colorEnabled(stream: ColorStream, env: Record<string, string | undefined> = process.env, choice: ColorChoice = 'auto'): boolean {
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The width to lay tables out in: the terminal's columns, else $COLUMNS, else `fallback`. */
export function terminalWidth(stream: ColorStream, env: Record<string, string | undefined> = process.env, fallback = 120): number {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const cols = Number(env.COLUMNS);
  return Number.isInteger(cols) && cols > 0 ? cols : fallback;
}

const ESC = '\u001b[';
export const RESET = `${ESC}0m`;

/** SGR codes by style name. */
const STYLES = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33',
  blue: '34',
  magenta: '35',
  cyan: '36',
  gray: '90',
  critical: '1;97;41',
} as const;

export type Style = keyof typeof STYLES;

export interface Painter {
  readonly enabled: boolean;
  paint(text: string, ...styles: Style[]): string;
  /** A rule level in its colour (critical, high, medium, low, informational). */
  level(level: string | undefined, text?: string): string;
}

const LEVEL_STYLES: Readonly<Record<string, Style[]>> = {
  critical: ['critical'],
  high: ['bold', 'red'],
  medium: ['yellow'],
  low: ['green'],
  informational: ['dim'],
};

export function painter(enabled: boolean): Painter {
  const paint = (text: string, ...styles: Style[]): string =>
    enabled && styles.length > 0 && text !== '' ? `${ESC}${styles.map((s) => STYLES[s]).join(';')}m${text}${RESET}` : text;
  return {
    enabled,
    paint,
    level: (level, text = level ?? '') => paint(text, ...(LEVEL_STYLES[level ?? ''] ?? [])),
  };
}

/** Remove ANSI escape sequences (for width computations and tests). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}

/**
 * Event and rule text made safe and single-line for a terminal: tabs and line breaks as `\t`, `\n`, `\r`, other
 * control characters (ESC included) as `\xNN`, so no value can move the cursor, recolour or retitle the terminal.
 */
export function sanitize(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** Columns a code point takes in a terminal: 0 for combining marks and joiners, 2 for wide East Asian and emoji. */
export function codePointWidth(cp: number): number {
  if (cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x1ab0 && cp <= 0x1aff) || (cp >= 0x20d0 && cp <= 0x20ff) || cp === 0x200b) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Display width of text without escape sequences. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += codePointWidth(ch.codePointAt(0)!);
  return w;
}

/** Cut text (without escape sequences) to at most `width` columns, ending with `…` when cut. */
export function truncate(s: string, width: number): string {
  if (!Number.isFinite(width) || displayWidth(s) <= width) return s;
  if (width <= 0) return '';
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = codePointWidth(ch.codePointAt(0)!);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/** Cut text from the left (`…tail`), for paths whose end matters most. */
export function truncateLeft(s: string, width: number): string {
  if (!Number.isFinite(width) || displayWidth(s) <= width) return s;
  if (width <= 0) return '';
  const chars = [...s];
  let out = '';
  let w = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const cw = codePointWidth(chars[i].codePointAt(0)!);
    if (w + cw > width - 1) break;
    out = chars[i] + out;
    w += cw;
  }
  return `…${out}`;
}

/** Pad text (without escape sequences) with spaces to `width` columns. */
export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(s))) + s;
}
