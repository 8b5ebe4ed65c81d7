import { describe, expect, test } from 'vitest';
import { ERROR_CODES, SigmaError, withContext } from '../../src/rule/errors.js';

describe('SigmaError', () => {
  test('carries code, position and rule context', () => {
    const e = new SigmaError('INVALID_VALUE', 'bad', { file: 'r.yml', line: 3, column: 7, ruleTitle: 'T', ruleId: 'id-1' });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'SigmaError', code: 'INVALID_VALUE', message: 'bad', file: 'r.yml', line: 3, column: 7, ruleTitle: 'T', ruleId: 'id-1' });
  });
  test.each<[string, SigmaError, string]>([
    ['full', new SigmaError('MISSING_KEY', 'no title', { file: 'r.yml', line: 1, column: 1 }), 'r.yml:1:1: MISSING_KEY: no title'],
    ['with rule', new SigmaError('INVALID_VALUE', 'm', { file: 'r.yml', line: 2, column: 5, ruleTitle: 'My rule' }), 'r.yml:2:5: INVALID_VALUE: m (rule "My rule")'],
    ['no file: <string>', new SigmaError('YAML_SYNTAX', 'm', { line: 4, column: 2 }), '<string>:4:2: YAML_SYNTAX: m'],
    ['no position', new SigmaError('FILE_READ', 'm', { file: 'gone.yml' }), 'gone.yml: FILE_READ: m'],
    ['nothing', new SigmaError('CONDITION_SYNTAX', 'm'), '<string>: CONDITION_SYNTAX: m'],
  ])('format: %s', (_name, e, text) => {
    expect(e.format()).toBe(text);
  });
  test('toJSON is plain data with nulls for unknown positions', () => {
    expect(new SigmaError('FILE_READ', 'm').toJSON()).toEqual({ file: null, line: null, column: null, code: 'FILE_READ', message: 'm' });
    expect(JSON.parse(JSON.stringify(new SigmaError('INVALID_VALUE', 'm', { file: 'f', line: 1, column: 2, ruleTitle: 'T', ruleId: 'i' })))).toEqual({
      file: 'f', line: 1, column: 2, code: 'INVALID_VALUE', message: 'm', rule: 'T', id: 'i',
    });
  });
  test('the code set is closed and stable', () => {
    expect(ERROR_CODES).toEqual([
      'FILE_READ', 'YAML_SYNTAX', 'YAML_LIMIT', 'DOCUMENT_TYPE', 'MISSING_KEY', 'INVALID_KEY', 'INVALID_DETECTION',
      'UNKNOWN_MODIFIER', 'INVALID_MODIFIER', 'INVALID_VALUE', 'INVALID_REGEX', 'INVALID_CIDR', 'CONDITION_SYNTAX',
      'UNKNOWN_IDENTIFIER', 'EMPTY_SELECTOR', 'UNSUPPORTED_AGGREGATION', 'UNRESOLVED_PLACEHOLDER', 'INVALID_ACTION',
      'INVALID_CORRELATION', 'INVALID_FILTER', 'INVALID_PIPELINE', 'CORRELATION_REFERENCE',
    ]);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});

describe('withContext', () => {
  test('fills in what the error does not know, and returns the same error', () => {
    const e = new SigmaError('INVALID_VALUE', 'm');
    const out = withContext(e, { file: 'r.yml', line: 5, column: 9, ruleTitle: 'T', ruleId: 'i' });
    expect(out).toBe(e);
    expect(e).toMatchObject({ file: 'r.yml', line: 5, column: 9, ruleTitle: 'T', ruleId: 'i' });
  });
  test('never overwrites what the error knows', () => {
    const e = new SigmaError('INVALID_VALUE', 'm', { file: 'a.yml', line: 1, column: 2, ruleTitle: 'A', ruleId: 'a' });
    withContext(e, { file: 'b.yml', line: 8, column: 9, ruleTitle: 'B', ruleId: 'b' });
    expect(e).toMatchObject({ file: 'a.yml', line: 1, column: 2, ruleTitle: 'A', ruleId: 'a' });
  });
  test('line and column go together', () => {
    const e = new SigmaError('INVALID_VALUE', 'm', { line: 3 });
    withContext(e, { line: 8, column: 9 });
    expect([e.line, e.column]).toEqual([3, undefined]);
  });
});
