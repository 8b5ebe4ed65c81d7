/**
 * The compile cache's encoding of a rule's logic (src/cli/logic-codec.ts): what it decodes is the rule it encoded,
 * classes, shared objects and odd numbers included; what it cannot carry it refuses (the rule is then rebuilt);
 * damaged text is refused, never half-read.
 */
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import { decodeLogic, encodeLogic, LogicDecodeError } from '../../src/cli/logic-codec.js';
import { applyPipelines, orderPipelines } from '../../src/pipeline/apply.js';
import { pipelinePlaceholders } from '../../src/pipeline/placeholders.js';
import { resolvePipelines } from '../../src/pipeline/resolve.js';
import { loadRules } from '../../src/rule/files.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { SigmaString } from '../../src/rule/sigma-string.js';
import { ROOT } from '../support/cli.js';

function exampleRules(): SigmaRule[] {
  const resolved = resolvePipelines(['sysmon', 'windows']);
  const set = loadRules([join(ROOT, 'examples/rules')], { placeholders: pipelinePlaceholders(resolved.pipelines) });
  return applyPipelines(set.rules, orderPipelines(resolved.pipelines)).rules;
}

const roundTrip = <T>(rule: T): T => decodeLogic(encodeLogic(rule as unknown as SigmaRule)!) as unknown as T;

describe('logic codec', () => {
  test('every example rule, pipelines applied, comes back equal (prototypes included: SigmaString, typed arrays)', () => {
    const rules = exampleRules();
    expect(rules.length).toBeGreaterThan(20);
    for (const rule of rules) {
      const back = roundTrip(rule);
      expect(isDeepStrictEqual(back, rule)).toBe(true);
    }
    const withString = rules.flatMap((r) => r.detections).flatMap((d) => (d.root.kind === 'item' ? d.root.values : [])).find((v) => v.type === 'string');
    expect(withString).toBeDefined();
  });

  test('shared objects stay shared, frozen ones frozen; numbers, undefined and a __proto__ key as they were', () => {
    const shared = { kind: 'text', text: 'x' };
    const frozen = Object.freeze({ kind: 'any' });
    const rule = {
      kind: 'rule',
      a: shared,
      b: [shared, frozen],
      numbers: [-0, NaN, Infinity, -Infinity, 1.5],
      missing: undefined,
      raw: JSON.parse('{"__proto__": {"polluted": true}}'),
      value: new SigmaString([{ kind: 'text', text: 'abc' }]),
      set: new Set(['a']),
      map: new Map([['k', [1]]]),
      codes: new Int32Array([1, -2, 3]),
    };
    const back = roundTrip(rule);
    expect(back.b[0]).toBe(back.a);
    expect(Object.isFrozen(back.b[1])).toBe(true);
    expect(Object.is(back.numbers[0], -0)).toBe(true);
    expect(back.numbers.slice(1)).toEqual([NaN, Infinity, -Infinity, 1.5]);
    expect('missing' in back && back.missing === undefined).toBe(true);
    expect(Object.getPrototypeOf(back.raw)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(back.raw)).toEqual(['__proto__']);
    expect(back.value).toBeInstanceOf(SigmaString);
    expect(isDeepStrictEqual(back, rule)).toBe(true);
  });

  test('what it cannot carry gives null: functions, symbols, accessors, instances of other classes', () => {
    class Other {
      x = 1;
    }
    for (const odd of [() => 1, Symbol('s'), new Other(), Object.defineProperty({}, 'g', { get: () => 1, enumerable: true }), new Date(0), /x/]) {
      expect(encodeLogic({ kind: 'rule', odd } as unknown as SigmaRule)).toBeNull();
    }
  });

  test('damaged text is refused with LogicDecodeError', () => {
    const text = encodeLogic(exampleRules()[0])!;
    for (const bad of ['', 'null', '{}', '["o",0,"Unknown"]', '["r",5]', text.slice(0, text.length / 2), '["o",0,"","kind","correlation"]']) {
      expect(() => decodeLogic(bad)).toThrow(LogicDecodeError);
    }
  });
});
