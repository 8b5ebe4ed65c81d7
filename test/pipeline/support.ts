/** Helpers for the pipeline tests: pipelines and rules from text, positions of needles in text. */
import { expect } from 'vitest';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import type { Pipeline } from '../../src/pipeline/model.js';
import { parsePipeline } from '../../src/pipeline/parse.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { dedent } from '../unit/_helpers.js';

export { dedent };

/** Raw template tag: backslashes as written, dedented. */
export function yml(strings: TemplateStringsArray, ...values: unknown[]): string {
  return dedent(String.raw({ raw: strings.raw }, ...values));
}

/** Parse a pipeline and fail the test on any error. */
export function pipeline(text: string, name = 'test'): Pipeline {
  const r = parsePipeline(text, name, `${name}.yml`);
  expect(r.errors.map((e) => e.format())).toEqual([]);
  return r.pipeline!;
}

/** Load rules (several documents allowed) and fail on any error. */
export function rules(text: string, placeholders: Record<string, string[]> = {}): SigmaRule[] {
  const set = loadRulesFromText(text, { placeholders });
  expect(set.errors.map((e) => e.format())).toEqual([]);
  return set.rules;
}

/** Apply pipelines to one rule, failing on any error. */
export function transformOne(ruleText: string, ...pipelines: Pipeline[]): SigmaRule {
  const r = applyPipelines(rules(ruleText), pipelines);
  expect(r.errors.map((e) => e.format())).toEqual([]);
  return r.rules[0];
}

/** The indices of `events` the (transformed) rule matches. */
export function matchingEvents(rule: SigmaRule, events: readonly unknown[]): number[] {
  const evaluator = new ReferenceEvaluator([rule]);
  return events.flatMap((e, i) => (evaluator.matches(0, e) ? [i] : []));
}

/** 1-based line and column of the first occurrence of `needle` in `text` (plus `offset` characters). */
export function positionOf(text: string, needle: string, offset = 0): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, at + offset);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** A detection tree without positions, for structural comparisons. */
export function shape(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v) => {
      if (k === 'loc') return undefined;
      if (v && typeof v === 'object' && Array.isArray(v.tokens)) {
        return v.tokens.map((t: { kind: string; text?: string }) => (t.kind === 'text' ? t.text : t.kind === 'any' ? '*' : '?')).join('');
      }
      return v;
    }),
  );
}
