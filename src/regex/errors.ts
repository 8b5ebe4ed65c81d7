/**
 * The one error type of the regex engine. Rule loading reports it with the rule's location, so it carries a stable
 * machine-readable code and the 0-based UTF-16 offset into the pattern where the problem starts.
 */
export const INVALID_REGEX = 'INVALID_REGEX';

export class RegexSyntaxError extends Error {
  readonly code = INVALID_REGEX;

  constructor(
    message: string,
    /** 0-based UTF-16 index into `pattern` of the offending construct. */
    readonly offset: number,
    readonly pattern: string,
  ) {
    // The message is the bare description; callers add the rule location, offset and pattern in their own format.
    super(message);
    this.name = 'RegexSyntaxError';
  }
}
