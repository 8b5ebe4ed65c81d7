/**
 * Small helpers shared by the unit tests: rule text builders and a one-rule matcher over the reference evaluator.
 * They hold no Sigma semantics of their own.
 */
import { expect } from 'vitest';
import { ReferenceEvaluator, type EvaluatorOptions } from '../../src/eval/reference.js';
import { loadRulesFromText, type LoadOptions } from '../../src/rule/load.js';
import type { SigmaRule } from '../../src/rule/model.js';

/** Removes a leading newline, trailing blank lines and the common indentation. */
export function dedent(text: string): string {
  let lines = text.split('\n');
  if (lines.length > 0 && lines[0].trim() === '') lines = lines.slice(1);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const min = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(min)).join('\n') + '\n';
}

/** Raw template tag: backslashes stay as written, the text is dedented (a YAML file as a user writes it). */
export function yml(strings: TemplateStringsArray, ...values: unknown[]): string {
  return dedent(String.raw({ raw: strings.raw }, ...values));
}

/** A complete rule around a detection body (identifiers and condition, as YAML lines). */
export function ruleText(detectionBody: string, title = 'Unit rule'): string {
  const body = dedent(detectionBody)
    .split('\n')
    .map((l) => (l === '' ? '' : '  ' + l))
    .join('\n');
  return `title: ${title}\nlogsource:\n  product: windows\ndetection:\n${body}`;
}

/** Loads exactly one rule and fails the test on any error. */
export function loadOne(text: string, options: LoadOptions = {}): SigmaRule {
  const set = loadRulesFromText(text, options);
  expect(set.errors.map((e) => e.format())).toEqual([]);
  expect(set.rules).toHaveLength(1);
  return set.rules[0];
}

/** A predicate over events for the single rule of `text`. */
function matcher(text: string, options: LoadOptions & EvaluatorOptions = {}): (event: unknown) => boolean {
  const rule = loadOne(text, options);
  const evaluator = new ReferenceEvaluator([rule], options);
  return (event) => evaluator.matches(0, event);
}

/** Which of `events` the single rule of `text` matches (indices). */
export function matching(text: string, events: readonly unknown[], options: LoadOptions & EvaluatorOptions = {}): number[] {
  const m = matcher(text, options);
  return events.flatMap((e, i) => (m(e) ? [i] : []));
}
