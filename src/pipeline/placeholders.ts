/**
 * `value_placeholders` items supply the values of `expand` placeholders (`%name%`) from the pipelines' `vars`.
 * sigmatch resolves placeholders when rules are loaded (LoadOptions.placeholders), before pipelines are applied, so
 * the values are collected here and handed to the loader (loadRulesWithPipelines does this). Consequence: a
 * value_placeholders item's rule conditions are not consulted; its placeholders resolve for every rule (documented in
 * docs/pipelines.md). `include` / `exclude` still choose which variables it supplies.
 */
import type { Pipeline, ProcessingItem } from './model.js';
import { orderPipelines } from './apply.js';

function* allItems(items: readonly ProcessingItem[]): Generator<ProcessingItem> {
  for (const item of items) {
    yield item;
    const t = item.transformation;
    if (t.type === 'nest' || t.type === 'sigmatch_alternative') yield* allItems(t.items);
  }
}

/** Placeholder name -> values, for LoadOptions.placeholders. Later pipelines' vars override earlier ones (pySigma). */
export function pipelinePlaceholders(pipelines: readonly Pipeline[]): Record<string, string[]> {
  const ordered = orderPipelines(pipelines);
  const vars: Record<string, string[]> = {};
  for (const p of ordered) Object.assign(vars, p.vars);
  const out: Record<string, string[]> = {};
  for (const p of ordered) {
    for (const item of allItems(p.items)) {
      const t = item.transformation;
      if (t.type !== 'value_placeholders') continue;
      const names = t.include ?? Object.keys(vars).filter((n) => !(t.exclude ?? []).includes(n));
      for (const n of names) if (vars[n] !== undefined) out[n] = [...vars[n]];
    }
  }
  return out;
}
