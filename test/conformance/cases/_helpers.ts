/**
 * Small helpers for writing conformance cases. They only build text and event objects; they contain no Sigma
 * semantics (apart from `truthTable`, whose expected results come from the boolean function the case states).
 *
 * Escaping layers, once for all case files:
 * - `yml` and `det` are *raw* template tags (like `String.raw`): a backslash in the source is a backslash in the YAML
 *   text, so rules are written exactly as they appear in a .yml file. `${...}` still interpolates (used for long or
 *   generated values); a backtick cannot appear; a raw template cannot end in a backslash.
 * - `r` is `String.raw` for event values: r`C:\Windows` is the 10-character string C:\Windows.
 * - Inside the YAML text, single-quoted and plain scalars keep backslashes literally; double-quoted scalars interpret
 *   escapes (`"C:\\Windows"` decodes to C:\Windows).
 */

export const r = String.raw;

/** Removes a leading newline, trailing blank space and the common indentation of all non-blank lines. */
export function dedent(text: string): string {
  let lines = text.split('\n');
  if (lines.length > 0 && lines[0].trim() === '') lines = lines.slice(1);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines = lines.slice(0, -1);
  let min = Infinity;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    if (indent < min) min = indent;
  }
  if (min === Infinity) min = 0;
  return lines.map((line) => (line.trim() === '' ? '' : line.slice(min))).join('\n') + '\n';
}

function raw(strings: TemplateStringsArray, values: unknown[]): string {
  return String.raw({ raw: strings.raw }, ...values);
}

/** A whole YAML text (one or several documents), written raw and dedented. */
export function yml(strings: TemplateStringsArray, ...values: unknown[]): string {
  return dedent(raw(strings, values));
}

/** The fixed rule header used by single-rule cases. */
export const DEFAULT_TITLE = 'Conformance rule';

/** Wraps a detection body (identifiers and condition, written raw) into a complete single rule. */
export function det(strings: TemplateStringsArray, ...values: unknown[]): string {
  const body = dedent(raw(strings, values))
    .split('\n')
    .map((line) => (line === '' ? '' : '  ' + line))
    .join('\n');
  return `title: ${DEFAULT_TITLE}\nlogsource:\n  product: windows\ndetection:\n${body}`;
}

/**
 * Events for every assignment of true/false to the named selections: selection `n` is true in an event when field
 * `n.toUpperCase()` holds 'yes' (it holds 'no' otherwise). `fn` states the expected boolean for the condition.
 * Use with selections written as `<name>: {<NAME>: 'yes'}`.
 */
export function truthTable(
  names: string[],
  fn: (...values: boolean[]) => boolean,
): { events: Record<string, string>[]; matches: number[] } {
  const events: Record<string, string>[] = [];
  const matches: number[] = [];
  const n = names.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    const values = names.map((_, i) => (mask & (1 << (n - 1 - i))) !== 0);
    const event: Record<string, string> = {};
    names.forEach((name, i) => {
      event[name.toUpperCase()] = values[i] ? 'yes' : 'no';
    });
    if (fn(...values)) matches.push(events.length);
    events.push(event);
  }
  return { events, matches };
}

/** Builds an object nested `depth` levels deep under key `key`, with `leaf` at the bottom. */
export function nest(depth: number, key: string, leaf: unknown): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = { [key]: value };
  return value;
}
