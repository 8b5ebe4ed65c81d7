/**
 * Pipelines are written for pySigma, so their regular expressions (replace_string, match_string, include_fields with
 * `mode: re`) are Python `re` patterns and their replacements are `re.sub` templates. This module translates the
 * common Python-only syntax to JavaScript and refuses what it cannot translate, so a pipeline never silently means
 * something else here. Pipelines are trusted configuration (the user's own files), so JavaScript's RegExp engine is
 * used; rule values never reach these patterns as patterns.
 */

export class PythonRegexError extends Error {}

/** Leading inline flags Python allows at the very start: `(?i)`, `(?ms)`, ... */
const LEADING_FLAGS = /^\(\?([aiLmsux]+)\)/;

/**
 * Translate a Python pattern to a JavaScript RegExp. `(?P<name>` becomes `(?<name>`, `(?P=name)` becomes `\k<name>`,
 * `\A` and `\Z` become `^` and `$`, leading `(?i)` / `(?m)` / `(?s)` become flags. Anything else Python-specific that
 * JavaScript reads differently (verbose mode, inline flags elsewhere, conditionals) is an error.
 */
export function pythonRegex(pattern: string, extraFlags = ''): RegExp {
  let flags = extraFlags;
  let body = pattern;
  const lead = LEADING_FLAGS.exec(body);
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'i' || f === 'm' || f === 's') {
        if (!flags.includes(f)) flags += f;
      } else if (f === 'x') throw new PythonRegexError('verbose mode (?x) is not supported');
      else if (f === 'L') throw new PythonRegexError('locale mode (?L) is not supported');
      // a (ASCII) and u (Unicode) only change \w-style classes for non-ASCII text; accepted as written.
    }
    body = body.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined) throw new PythonRegexError('the pattern ends with a lone backslash');
      if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'Z') out += '$';
      else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is literal in Python.
      if (body[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (body[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && body[i + 1] === '?') {
      const rest = body.slice(i + 2);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      const backref = /^P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest);
      if (backref) {
        out += `\\k<${backref[1]}>`;
        i += 2 + backref[0].length - 1;
        continue;
      }
      if (/^[aiLmsux-]+[:)]/.test(rest)) throw new PythonRegexError('inline flags are only supported at the start of the pattern, as (?i), (?m) or (?s)');
      if (rest.startsWith('(')) throw new PythonRegexError('conditional groups (?(...)...) are not supported');
      if (rest.startsWith('#')) throw new PythonRegexError('comments (?#...) are not supported');
    }
    out += c;
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new PythonRegexError((e as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}

/** Python's `re.match`: a match anchored at the start of the text (not at its end). */
export function matchesAtStart(re: RegExp, text: string): boolean {
  const sticky = new RegExp(re.source, re.flags.replace(/[gy]/g, '') + 'y');
  sticky.lastIndex = 0;
  return sticky.test(text);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/**
 * Compile a Python `re.sub` replacement template: `\1`..`\99` and `\g<n>` / `\g<name>` insert groups, `\n` `\t`
 * `\r` `\f` `\v` `\a` `\b` `\\` are escapes, an unknown escape of an ASCII letter is an error (as in Python 3.7+),
 * and any other backslash stays as written. Group references are checked against the pattern.
 */
export function pythonReplacement(template: string, regex: RegExp): (match: RegExpExecArray) => string {
  const groupCount = new RegExp(`(?:${regex.source})|`, regex.flags.replace(/[gy]/g, '')).exec('')!.length - 1;
  const names = new Set<string>();
  for (const m of regex.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)) names.add(m[1]);
  type Part = string | { group: number | string };
  const parts: Part[] = [];
  let text = '';
  const flush = (): void => {
    if (text) parts.push(text);
    text = '';
  };
  const group = (ref: number | string): void => {
    if (typeof ref === 'number' ? ref > groupCount : !names.has(ref)) {
      throw new PythonRegexError(`the replacement refers to group ${typeof ref === 'number' ? ref : `"${ref}"`}, which the pattern does not define`);
    }
    flush();
    parts.push({ group: ref });
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '\\') {
      text += c;
      continue;
    }
    const next = template[i + 1];
    if (next === undefined) throw new PythonRegexError('the replacement ends with a lone backslash');
    if (next === 'g') {
      const m = /^<([^>]*)>/.exec(template.slice(i + 2));
      if (!m) throw new PythonRegexError('\\g in the replacement needs <number> or <name>');
      group(/^[0-9]+$/.test(m[1]) ? Number(m[1]) : m[1]);
      i += 1 + m[0].length;
      continue;
    }
    if (/[0-9]/.test(next)) {
      const two = /^[0-9]{1,2}/.exec(template.slice(i + 1))![0];
      if (next === '0') throw new PythonRegexError('octal escapes in the replacement are not supported');
      group(Number(two));
      i += two.length;
      continue;
    }
    if (next in SIMPLE_ESCAPES) {
      text += SIMPLE_ESCAPES[next];
      i++;
      continue;
    }
    if (/[A-Za-z]/.test(next)) throw new PythonRegexError(`bad escape \\${next} in the replacement`);
    text += c + next;
    i++;
  }
  flush();
  return (match) =>
    parts
      .map((p) => {
        if (typeof p === 'string') return p;
        const v = typeof p.group === 'number' ? match[p.group] : match.groups?.[p.group];
        return v ?? '';
      })
      .join('');
}

/** `re.sub(pattern, replacement, text)`: every non-overlapping match replaced. */
export function pythonSub(regex: RegExp, replacement: (m: RegExpExecArray) => string, text: string): string {
  const all = new RegExp(regex.source, regex.flags.replace(/[gy]/g, '') + 'g');
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = all.exec(text)) !== null) {
    out += text.slice(last, m.index) + replacement(m);
    last = m.index + m[0].length;
    if (m[0].length === 0) {
      // An empty match: copy one character and move on (Python also allows an empty match right after a match).
      if (all.lastIndex < text.length) out += text[all.lastIndex];
      last = all.lastIndex + 1;
      all.lastIndex++;
      if (last > text.length) break;
    }
  }
  return out + text.slice(Math.min(last, text.length));
}
