/**
 * sigmatch's regex engine: the Sigma regex flavour compiled to a flat, serialisable program and run by a Pike VM in
 * time linear in the input, so neither a hostile rule nor a hostile event can make matching blow up.
 *
 * Semantics in brief (the tests are the precise statement): unanchored search like RegExp.prototype.test, over
 * Unicode code points (lone surrogates in the input read as U+FFFD); flags i (simple one-to-one lowercase folding
 * from src/text/fold.ts on both sides), m (`^`/`$` at line terminators) and s (`.` matches line terminators);
 * `\d \w \s \b` as in JS without the u flag. Constructs that need backtracking or whose meaning differs between
 * flavours are rejected with a RegexSyntaxError (code INVALID_REGEX) that says what to write instead.
 */
import type { RegexFlags } from './ast.js';
import { compileProgram, type RegexProgram } from './compile.js';
import { requiredLiterals, type RequiredLiterals } from './literals.js';
import { NO_FLAGS, parseRegex } from './parse.js';
import { regexSearch as searchProgram } from './pike.js';

export type * from './ast.js';
export { RegexSyntaxError, INVALID_REGEX } from './errors.js';
export { parseRegex, readInlineFlags, effectiveFlags, NO_FLAGS, type InlineFlags } from './parse.js';
export {
  compileProgram,
  instructionsNeeded,
  serializeProgram,
  deserializeProgram,
  validateProgram,
  disassemble,
  type RegexProgram,
} from './compile.js';
export { requiredLiterals, type RequiredLiterals } from './literals.js';
export { compileRegexSet, type RegexSetMember, type RegexSetOptions } from './set.js';
export * from './opcodes.js';

export interface CompiledRegex {
  readonly program: RegexProgram;
  /** Effective flags: the caller's united with the pattern's leading `(?ims)`. */
  readonly flags: RegexFlags;
  readonly source: string;
  /** Prefilter literals (see literals.ts), or null when no literal is required. */
  readonly requiredLiterals: RequiredLiterals | null;
}

/** Parse, check and compile a pattern; throws RegexSyntaxError for anything unsupported or too large. */
export function compileRegex(pattern: string, flags: Partial<RegexFlags> = {}): CompiledRegex {
  const ast = parseRegex(pattern, { ...NO_FLAGS, ...flags });
  return {
    program: compileProgram(ast),
    flags: ast.flags,
    source: pattern,
    requiredLiterals: requiredLiterals(ast),
  };
}

/**
 * True when the regex matches some substring of `input` (like RegExp.prototype.test). Takes the program or the whole
 * CompiledRegex, so callers holding either need no unwrapping.
 */
export function regexSearch(regex: RegexProgram | CompiledRegex, input: string): boolean {
  return searchProgram('program' in regex ? regex.program : regex, input);
}

const MODIFIER_FLAGS: Readonly<Record<string, keyof RegexFlags>> = {
  i: 'ignoreCase',
  m: 'multiline',
  s: 'dotAll',
};

/**
 * Regex flags from a Sigma field's modifier chain (`Field|re|i|m` -> ['re', 'i', 'm']). Only the modifiers after
 * `re` are regex flags; others (e.g. `i` elsewhere in a chain) belong to other modifiers.
 */
export function regexFlagsFromModifiers(modifiers: readonly string[]): RegexFlags {
  const flags: RegexFlags = { ...NO_FLAGS };
  const at = modifiers.indexOf('re');
  if (at < 0) return flags;
  for (const modifier of modifiers.slice(at + 1)) {
    const flag = MODIFIER_FLAGS[modifier];
    if (flag !== undefined) flags[flag] = true;
  }
  return flags;
}
