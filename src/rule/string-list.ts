/**
 * The compact model of a long list of plain strings: the values of one detection item that are all text without
 * wildcards, escapes or placeholders, under one shape (equals, contains, startswith, endswith) and one case mode.
 * A 100,000-value list is then one array of the rule's own strings instead of a SigmaValue, a SigmaString and its
 * tokens per value (~200 bytes each, 20 times the YAML). The item's `values` is an array view (array-view.ts) that
 * builds each value, exactly as the modifiers would have built it, when read; the compiler and the pipelines read
 * the packed list itself (`stringListOf`).
 */
import { arrayView, MIN_PACKED_LENGTH, packedOf } from './array-view.js';
import { ANY, SigmaString, type StringToken } from './sigma-string.js';
import type { SigmaValue } from './values.js';

export type ListShape = 'equals' | 'contains' | 'startswith' | 'endswith';

/** Characters that make a value more than its text to the Sigma string parser (wildcards and the escape). */
const SPECIAL = /[\\*?]/;

export class StringList {
  constructor(
    /** Each value's text (non-empty), before case folding. */
    readonly texts: readonly string[],
    readonly shape: ListShape,
    readonly cased: boolean,
  ) {}

  /** Value i as the modifier chain builds it: the text with `*` before (contains, endswith) and after (contains, startswith). */
  value(index: number): SigmaValue {
    const text: StringToken = { kind: 'text', text: this.texts[index] };
    const tokens = this.shape === 'equals' ? [text] : this.shape === 'startswith' ? [text, ANY] : this.shape === 'endswith' ? [ANY, text] : [ANY, text, ANY];
    return { type: 'string', value: new SigmaString(tokens), cased: this.cased };
  }

  /** The values as an array view (each built when read). */
  values(): readonly SigmaValue[] {
    return arrayView(this.texts.length, (i) => this.value(i), this);
  }

  /**
   * The values transformed one by one, kept packed when every result is still a plain string of this list's shape
   * and case mode; null when one is not (the caller transforms the values as plain ones). `changed`: the transform
   * gave back another value than it was given for at least one (as `Array.map` callers tell a change).
   */
  map(transform: (value: SigmaValue) => SigmaValue): { list: StringList; changed: boolean } | null {
    const texts: string[] = [];
    let changed = false;
    for (let i = 0; i < this.texts.length; i++) {
      const before = this.value(i);
      const after = transform(before);
      if (after === before) {
        texts.push(this.texts[i]);
        continue;
      }
      const text = after.type === 'string' && after.cased === this.cased ? shapedText(after.value, this.shape) : null;
      if (text === null) return null;
      changed = true;
      texts.push(text);
    }
    return { list: changed ? new StringList(texts, this.shape, this.cased) : this, changed };
  }
}

/** The text of `s` when it is a non-empty plain text of the given shape (as `StringList.value` builds it), else null. */
function shapedText(s: SigmaString, shape: ListShape): string | null {
  const t = s.tokens;
  const n = shape === 'equals' ? 1 : shape === 'contains' ? 3 : 2;
  if (t.length !== n) return null;
  const textAt = shape === 'equals' || shape === 'startswith' ? 0 : 1;
  for (let i = 0; i < n; i++) {
    if (i === textAt ? t[i].kind !== 'text' : t[i].kind !== 'any') return null;
  }
  const text = (t[textAt] as StringToken & { kind: 'text' }).text;
  return text === '' ? null : text;
}

/** The packed list behind an item's values, or null when they are an ordinary array. */
export function stringListOf(values: readonly SigmaValue[]): StringList | null {
  return packedOf(values, StringList);
}

/**
 * Rule strings as a packed list's texts, or null when one is not plain: empty, or holding a wildcard or an escape
 * that makes its text differ from what is written (a backslash before other characters is kept, as the Sigma string
 * parser keeps it). The strings themselves are shared, not copied, when no value needed parsing.
 */
export function plainTexts(raws: readonly string[]): readonly string[] | null {
  let texts: string[] | null = null;
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i];
    if (raw === '') return null;
    if (!SPECIAL.test(raw)) {
      texts?.push(raw);
      continue;
    }
    const plain = SigmaString.parse(raw).plain;
    if (plain === null || plain === '') return null;
    if (plain !== raw && texts === null) texts = raws.slice(0, i);
    texts?.push(plain);
  }
  return texts ?? raws;
}
