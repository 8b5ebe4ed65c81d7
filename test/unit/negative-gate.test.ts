/** Which detection rules a rule out when true (requirements.ts negativeGate): a `not` term of the top conjunction. */
import { expect, test } from 'vitest';
import { negativeGate, type ReqExpr } from '../../src/compiler/requirements.js';

const det = (index: number): ReqExpr => ({ kind: 'det', index });
const not = (arg: ReqExpr): ReqExpr => ({ kind: 'not', arg });
const and = (...args: ReqExpr[]): ReqExpr => ({ kind: 'and', args });
const or = (...args: ReqExpr[]): ReqExpr => ({ kind: 'or', args });
/** Detection 7 is the qualifying (pipeline-added) one. */
const added = (d: number): boolean => d === 7;

test('a `not` of a qualifying detection among the terms of the top conjunction, nested `and`s included', () => {
  expect(negativeGate(and(not(det(7)), det(1)), added)).toBe(7);
  expect(negativeGate(and(det(1), and(det(2), not(det(7)))), added)).toBe(7);
  expect(negativeGate(not(det(7)), added)).toBe(7);
});

test('none where the rule may match while the detection holds', () => {
  // Under an `or`, another branch may match.
  expect(negativeGate(or(not(det(7)), det(1)), added)).toBeNull();
  expect(negativeGate(and(det(1), or(and(not(det(7)), det(2)), det(3))), added)).toBeNull();
  // `not not X` holds when X does.
  expect(negativeGate(and(not(not(det(7))), det(1)), added)).toBeNull();
  // Not negated at all.
  expect(negativeGate(and(det(7), det(1)), added)).toBeNull();
  // A detection that does not qualify (a rule's own: its cost is unknown).
  expect(negativeGate(and(not(det(3)), det(1)), added)).toBeNull();
  expect(negativeGate(and(not(and(det(7), det(1))), det(2)), added)).toBeNull();
});
