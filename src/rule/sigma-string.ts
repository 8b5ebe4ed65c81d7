/**
 * Sigma string values as tokens, never raw `*`: the exact escape rules of pySigma's SigmaString parser
 * (SIGMA.md 1.4). Plain text runs, multi-character wildcards, single-character wildcards and `expand` placeholders
 * are distinct tokens, so a literal `*` in a rule can never be mistaken for a wildcard downstream.
 */

export type StringToken =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'one' }
  | { readonly kind: 'placeholder'; readonly name: string };

export const ANY: StringToken = Object.freeze({ kind: 'any' });
export const ONE: StringToken = Object.freeze({ kind: 'one' });

const ESCAPE = '\\';
const MULTI = '*';
const SINGLE = '?';
const PLACEHOLDER_MARK = '%';
/** Characters that make a value more than plain text (without and with placeholders). */
const SPECIAL = /[\\*?]/;
const SPECIAL_WITH_PLACEHOLDERS = /[\\*?%]/;
/** Placeholder names: word characters, dots and dashes (the corpus has `%DC-MACHINE-NAME%`), never empty. */
const PLACEHOLDER_NAME = /^[A-Za-z0-9_.-]+$/;

export class SigmaString {
  /** Tokens with adjacent text runs merged and no empty text token. */
  readonly tokens: readonly StringToken[];

  constructor(tokens: readonly StringToken[]) {
    this.tokens = normalise(tokens);
  }

  /**
   * Parse a YAML-decoded rule value. Unescaped `*`/`?` are wildcards; `\` escapes `*`, `?` and `\`; before any other
   * character the backslash is kept together with that character; a trailing lone `\` is literal.
   * With `placeholders`, `%name%` becomes a placeholder token and `\%` a literal percent sign.
   */
  static parse(raw: string, placeholders = false): SigmaString {
    // Most values hold no wildcard, escape or placeholder: one text token that shares the rule's string.
    if (!(placeholders ? SPECIAL_WITH_PLACEHOLDERS : SPECIAL).test(raw)) return new SigmaString(raw === '' ? [] : [{ kind: 'text', text: raw }]);
    const tokens: StringToken[] = [];
    let text = '';
    let escaped = false;
    const flush = (): void => {
      if (text) tokens.push({ kind: 'text', text });
      text = '';
    };
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (escaped) {
        escaped = false;
        if (c === MULTI || c === SINGLE || c === ESCAPE || (placeholders && c === PLACEHOLDER_MARK)) text += c;
        else text += ESCAPE + c;
        continue;
      }
      if (c === ESCAPE) escaped = true;
      else if (c === MULTI) {
        flush();
        tokens.push(ANY);
      } else if (c === SINGLE) {
        flush();
        tokens.push(ONE);
      } else if (placeholders && c === PLACEHOLDER_MARK) {
        const end = raw.indexOf(PLACEHOLDER_MARK, i + 1);
        if (end < 0 || !PLACEHOLDER_NAME.test(raw.slice(i + 1, end))) {
          text += c; // an unmatched % (or `100% and 50%`) is plain text
        } else {
          flush();
          tokens.push({ kind: 'placeholder', name: raw.slice(i + 1, end) });
          i = end;
        }
      } else text += c;
    }
    if (escaped) text += ESCAPE;
    flush();
    return new SigmaString(tokens);
  }

  static literal(text: string): SigmaString {
    return new SigmaString([{ kind: 'text', text }]);
  }

  get hasWildcards(): boolean {
    return this.tokens.some((t) => t.kind === 'any' || t.kind === 'one');
  }

  get hasPlaceholders(): boolean {
    return this.tokens.some((t) => t.kind === 'placeholder');
  }

  /** The plain text when the string has no wildcard or placeholder, else null. */
  get plain(): string | null {
    if (this.tokens.length === 0) return '';
    if (this.tokens.length === 1 && this.tokens[0].kind === 'text') return this.tokens[0].text;
    return null;
  }

  startsWithAny(): boolean {
    return this.tokens.length > 0 && this.tokens[0].kind === 'any';
  }

  endsWithAny(): boolean {
    return this.tokens.length > 0 && this.tokens[this.tokens.length - 1].kind === 'any';
  }

  prepend(token: StringToken): SigmaString {
    return new SigmaString([token, ...this.tokens]);
  }

  append(token: StringToken): SigmaString {
    return new SigmaString([...this.tokens, token]);
  }

  /** Apply a transform to every text run, keeping wildcards and placeholders as they are. */
  mapText(transform: (text: string) => string): SigmaString {
    return new SigmaString(this.tokens.map((t) => (t.kind === 'text' ? { kind: 'text', text: transform(t.text) } : t)));
  }

  /**
   * Sigma source form: wildcards as `*`/`?`, special characters in text escaped (`%` too when the string holds
   * placeholders). Round-trips: `SigmaString.parse(s.toSigma(), s.hasPlaceholders)` has the tokens of `s`.
   */
  toSigma(): string {
    const special = this.hasPlaceholders ? /[\\*?%]/g : /[\\*?]/g;
    return this.tokens
      .map((t) => {
        switch (t.kind) {
          case 'text':
            return t.text.replace(special, (c) => ESCAPE + c);
          case 'any':
            return MULTI;
          case 'one':
            return SINGLE;
          case 'placeholder':
            return `%${t.name}%`;
        }
      })
      .join('');
  }

  /** Readable form for explanations: text as written, wildcards as `*` and `?`. */
  toString(): string {
    return this.tokens
      .map((t) => (t.kind === 'text' ? t.text : t.kind === 'any' ? MULTI : t.kind === 'one' ? SINGLE : `%${t.name}%`))
      .join('');
  }
}

/** Tokens merged and trimmed; the array has exactly their number of slots (a rule may hold 100,000 strings). */
function normalise(tokens: readonly StringToken[]): StringToken[] {
  if (tokens.length === 1 && (tokens[0].kind !== 'text' || tokens[0].text !== '')) return [tokens[0]];
  const out: StringToken[] = [];
  for (const t of tokens) {
    if (t.kind === 'text') {
      if (!t.text) continue;
      const last = out[out.length - 1];
      if (last && last.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + t.text };
      else out.push(t);
    } else if (t.kind === 'any' && out.length > 0 && out[out.length - 1].kind === 'any') {
      continue; // `**` is the same as `*`
    } else out.push(t);
  }
  return out.slice();
}
