/**
 * What `sigmatch scan` / `validate` call for `--pipeline <name|file>` (repeatable): resolve the pipelines, load the
 * rules with the pipelines' placeholder values, apply the pipelines. Node only (reads files).
 */
import { loadRules } from '../rule/files.js';
import type { SigmaError } from '../rule/errors.js';
import type { LoadOptions, RuleSet } from '../rule/load.js';
import { applyPipelines, orderPipelines } from './apply.js';
import type { Pipeline } from './model.js';
import { pipelinePlaceholders } from './placeholders.js';
import { resolvePipelines } from './resolve.js';

export interface RulesWithPipelines {
  /**
   * The rule set: `rules` transformed by the pipelines (those a pipeline item rejected are left out), `errors` the
   * load errors followed by the rejections (INVALID_PIPELINE, each with the rule's file, line and title).
   */
  set: RuleSet;
  /** The pipelines, in the order they ran (by priority). */
  pipelines: Pipeline[];
  /**
   * Pipeline problems: an unknown name, an unreadable file, an INVALID_PIPELINE in a file. When there are any, no
   * pipeline is applied (the rules come back as loaded): a pipeline never applies in part. `scan` should stop.
   */
  errors: SigmaError[];
  /** Rules that only meet events of their log source (`logsourceRouted`). */
  routed: number;
  /** Rules no pipeline item recognised (they meet every event, or every event no route identifies: `foreign`). */
  unrouted: number;
  /** Of `unrouted`, rules of a product no pipeline routes, kept off the events the routes identify. */
  foreign: number;
}

/**
 * Load rules and apply pipelines. Placeholder values: the pipelines' `value_placeholders` (from their vars), then
 * `placeholders` (e.g. --placeholder NAME=VALUE), which win for a name both give. With no pipeline arguments this is
 * loadRules plus counting (every rule unrouted).
 */
export function loadRulesWithPipelines(
  paths: readonly string[],
  pipelineArgs: readonly string[],
  placeholders: Readonly<Record<string, string[]>> = {},
  load: Pick<LoadOptions, 'inspect'> = {},
): RulesWithPipelines {
  const resolved = resolvePipelines(pipelineArgs);
  const usable = resolved.errors.length === 0 ? resolved.pipelines : [];
  const set = loadRules(paths, { ...load, placeholders: { ...pipelinePlaceholders(usable), ...placeholders } });
  if (usable.length === 0) {
    return { set, pipelines: [], errors: resolved.errors, routed: 0, unrouted: set.rules.length, foreign: 0 };
  }
  const applied = applyPipelines(set.rules, usable);
  return {
    set: { ...set, rules: applied.rules, errors: [...set.errors, ...applied.errors] },
    pipelines: orderPipelines(usable),
    errors: [],
    routed: applied.routed,
    unrouted: applied.unrouted,
    foreign: applied.foreign,
  };
}
