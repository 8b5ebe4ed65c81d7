/**
 * Processing pipelines (docs/pipelines.md): pySigma's pipeline format for what matters to an evaluator, the built-in
 * sysmon / windows / ecs-windows pipelines, applying pipelines to rules, and rendering the result. Everything here
 * runs anywhere (no file system); `resolve.ts` (loadPipeline, resolvePipelines) and `cli-support.ts`
 * (loadRulesWithPipelines) add file loading for Node.
 */
export type {
  Pipeline,
  ProcessingItem,
  Transformation,
  TransformationType,
  RuleCondition,
  DetectionItemCondition,
  FieldNameCondition,
  ConditionSet,
  ConditionExpr,
  BuiltinPipeline,
} from './model.js';
export { parsePipeline, SUPPORTED_TRANSFORMATIONS, type PipelineParseResult } from './parse.js';
export { applyPipelines, applyPipelinesToRule, orderPipelines, type ApplyResult } from './apply.js';
export type { TransformationStep } from './transform.js';
export { pipelinePlaceholders } from './placeholders.js';
export { BUILTIN_PIPELINES, BUILTIN_PIPELINE_NAMES, builtinPipeline, builtinPipelines } from './builtins.js';
export { renderRule, describeTransformations, describePipeline, type TransformationReport } from './render.js';
