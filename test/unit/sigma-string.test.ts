import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ANY, ONE, SigmaString, type StringToken } from '../../src/rule/sigma-string.js';

const r = String.raw;
const text = (t: string): StringToken => ({ kind: 'text', text: t });
const ph = (name: string): StringToken => ({ kind: 'placeholder', name });

describe('SigmaString.parse: the escape table of SIGMA.md 1.4', () => {
  // [rule text (YAML-decoded), tokens]
  const TABLE: [string, StringToken[]][] = [
    [r`C:\Windows`, [text(r`C:\Windows`)]],
    [r`C:\\Windows`, [text(r`C:\Windows`)]],
    [r`a\*b`, [text('a*b')]],
    [r`a\\*b`, [text('a\\'), ANY, text('b')]],
    [r`a\\\*b`, [text(r`a\*b`)]],
    [r`a\\\b`, [text(r`a\\b`)]],
    [r`a\\\\b`, [text(r`a\\b`)]],
    ['end\\', [text('end\\')]],
    ['end\\\\', [text('end\\')]],
    [r`C:\Windows\*`, [text('C:\\Windows*')]],
  ];
  test.each(TABLE)('%s', (raw, tokens) => {
    expect(SigmaString.parse(raw).tokens).toEqual(tokens);
  });
});

describe('SigmaString.parse: wildcards and plain text', () => {
  const CASES: [string, string, StringToken[]][] = [
    ['empty string', '', []],
    ['plain text', 'cmd.exe', [text('cmd.exe')]],
    ['star', '*', [ANY]],
    ['question mark', '?', [ONE]],
    ['star in the middle', 'a*b', [text('a'), ANY, text('b')]],
    ['question mark from a URL', 'adlog.php?', [text('adlog.php'), ONE]],
    ['double star collapses', 'a**b', [text('a'), ANY, text('b')]],
    ['star then question', '*?', [ANY, ONE]],
    ['question then star', '?*', [ONE, ANY]],
    ['escaped question mark', r`a\?`, [text('a?')]],
    ['escaped star next to a wildcard', r`\**`, [text('*'), ANY]],
    ['backslash before an ordinary character is kept', r`\n\t`, [text(r`\n\t`)]],
    ['lone backslash', '\\', [text('\\')]],
    ['percent is plain text without expand', '%name%', [text('%name%')]],
    ['escaped percent keeps its backslash without expand', r`\%`, [text(r`\%`)]],
    ['non-ASCII text', 'ünïcödé 🙂', [text('ünïcödé 🙂')]],
  ];
  test.each(CASES)('%s', (_name, raw, tokens) => {
    expect(SigmaString.parse(raw).tokens).toEqual(tokens);
  });
});

describe('SigmaString.parse with placeholders (expand)', () => {
  const CASES: [string, string, StringToken[]][] = [
    ['a placeholder', '%admins%', [ph('admins')]],
    ['placeholder with text around', r`C:\\%dir%\y`, [text('C:\\'), ph('dir'), text('\\y')]],
    ['a backslash before % escapes it, as in a Windows path written without doubling', r`C:\%dir%`, [text('C:%dir%')]],
    ['two placeholders', 'x%a%y%b%z', [text('x'), ph('a'), text('y'), ph('b'), text('z')]],
    ['escaped percent is a literal percent', r`100\%`, [text('100%')]],
    ['escaped percent does not open a placeholder', r`\%a%`, [text('%a%')]],
    ['escaped backslash then a placeholder', r`\\%a%`, [text('\\'), ph('a')]],
    ['unmatched percent is text', '50%', [text('50%')]],
    ['placeholder next to wildcards', '*%a%?', [ANY, ph('a'), ONE]],
  ];
  test.each(CASES)('%s', (_name, raw, tokens) => {
    expect(SigmaString.parse(raw, true).tokens).toEqual(tokens);
  });
});

describe('SigmaString accessors', () => {
  test('plain, hasWildcards, hasPlaceholders', () => {
    expect(SigmaString.parse('abc').plain).toBe('abc');
    expect(SigmaString.parse('').plain).toBe('');
    expect(SigmaString.parse('a*').plain).toBeNull();
    expect(SigmaString.parse('%a%', true).plain).toBeNull();
    expect(SigmaString.parse('a?').hasWildcards).toBe(true);
    expect(SigmaString.parse(r`a\?`).hasWildcards).toBe(false);
    expect(SigmaString.parse('%a%', true).hasPlaceholders).toBe(true);
    expect(SigmaString.parse('%a%').hasPlaceholders).toBe(false);
  });
  test('startsWithAny / endsWithAny, prepend / append merge', () => {
    const s = SigmaString.parse('*a*');
    expect(s.startsWithAny()).toBe(true);
    expect(s.endsWithAny()).toBe(true);
    expect(SigmaString.parse('a').startsWithAny()).toBe(false);
    expect(s.prepend(ANY).tokens).toEqual(s.tokens); // `**` is `*`
    expect(SigmaString.literal('a').append(text('b')).tokens).toEqual([text('ab')]);
  });
  test('literal keeps special characters as text', () => {
    expect(SigmaString.literal('a*b?c\\').tokens).toEqual([text('a*b?c\\')]);
    expect(SigmaString.literal('').tokens).toEqual([]);
  });
  test('mapText transforms text runs only', () => {
    expect(SigmaString.parse('ab*cd').mapText((t) => t.toUpperCase()).tokens).toEqual([text('AB'), ANY, text('CD')]);
  });
  test('toString shows wildcards and placeholders', () => {
    expect(SigmaString.parse(r`a\*b*c?%x%`, true).toString()).toBe('a*b*c?%x%');
  });
  test('toSigma escapes text', () => {
    expect(SigmaString.parse(r`a\*b*`).toSigma()).toBe(r`a\*b*`);
    expect(SigmaString.literal(r`C:\y`).toSigma()).toBe(r`C:\\y`);
    expect(SigmaString.parse(r`50\% of %a%`, true).toSigma()).toBe(r`50\% of %a%`);
    expect(SigmaString.literal('50%').toSigma()).toBe('50%');
  });
});

const textChars = fc.constantFrom('a', 'b', 'Z', '\\', '*', '?', '%', ' ', '-', 'é', '🙂');
const textToken = fc.array(textChars, { minLength: 1, maxLength: 6 }).map((cs) => text(cs.join('')));
const wildcard = fc.constantFrom<StringToken>(ANY, ONE);
const placeholder = fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/).map(ph);

describe('properties', () => {
  test('parse(toSigma()) round-trips tokens (no placeholders)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(textToken, wildcard), { maxLength: 8 }), (tokens) => {
        const s = new SigmaString(tokens);
        expect(SigmaString.parse(s.toSigma()).tokens).toEqual(s.tokens);
      }),
      { numRuns: 500 },
    );
  });
  test('parse(toSigma(), true) round-trips tokens with placeholders', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(textToken, wildcard, placeholder), { maxLength: 8 }), (tokens) => {
        const s = new SigmaString(tokens);
        expect(SigmaString.parse(s.toSigma(), s.hasPlaceholders).tokens).toEqual(s.tokens);
      }),
      { numRuns: 500 },
    );
  });
  test('tokens are normalised: no empty text, no adjacent text runs, no `**`', () => {
    fc.assert(
      fc.property(fc.string({ unit: textChars, maxLength: 20 }), fc.boolean(), (raw, placeholders) => {
        const tokens = SigmaString.parse(raw, placeholders).tokens;
        tokens.forEach((t, i) => {
          if (t.kind === 'text') expect(t.text).not.toBe('');
          if (i > 0 && t.kind === 'text') expect(tokens[i - 1].kind).not.toBe('text');
          if (i > 0 && t.kind === 'any') expect(tokens[i - 1].kind).not.toBe('any');
        });
      }),
      { numRuns: 500 },
    );
  });
  test('a string without special characters is one literal text', () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !/[\\*?%]/.test(s) && s !== ''), (raw) => {
        expect(SigmaString.parse(raw, true).tokens).toEqual([text(raw)]);
      }),
    );
  });
});
