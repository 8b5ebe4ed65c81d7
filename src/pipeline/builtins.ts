/**
 * The built-in pipelines, by name. Each is YAML text (src/pipeline/builtins/*.ts) parsed by the pipeline parser the
 * first time it is asked for. Pure: usable in browsers and Workers.
 */
import { SigmaError } from '../rule/errors.js';
import { ECS_WINDOWS_PIPELINE } from './builtins/ecs-windows.js';
import { SYSMON_PIPELINE } from './builtins/sysmon.js';
import { WINDOWS_PIPELINE } from './builtins/windows.js';
import type { BuiltinPipeline, Pipeline } from './model.js';
import { parsePipeline } from './parse.js';

export const BUILTIN_PIPELINES: readonly BuiltinPipeline[] = [
  {
    name: 'sysmon',
    description: 'generic Windows categories (process_creation, file_event, ...) as Sysmon events: Sysmon channel and EventID',
    requires: [],
    text: SYSMON_PIPELINE,
  },
  {
    name: 'windows',
    description: 'Windows services as event log channels, PowerShell categories, and Security 4688 as a second process_creation source',
    requires: [],
    text: WINDOWS_PIPELINE,
  },
  {
    name: 'ecs-windows',
    description: 'Winlogbeat / Elastic Common Schema field names (winlog.channel, process.executable, ...)',
    requires: ['sysmon', 'windows'],
    text: ECS_WINDOWS_PIPELINE,
  },
];

export const BUILTIN_PIPELINE_NAMES: readonly string[] = BUILTIN_PIPELINES.map((b) => b.name);

const parsed = new Map<string, Pipeline>();

export function findBuiltin(name: string): BuiltinPipeline | undefined {
  return BUILTIN_PIPELINES.find((b) => b.name === name);
}

/** One built-in pipeline, parsed (alone: without what it requires). Throws for an unknown name. */
export function builtinPipeline(name: string): Pipeline {
  const cached = parsed.get(name);
  if (cached) return cached;
  const b = findBuiltin(name);
  if (!b) throw new SigmaError('INVALID_PIPELINE', `no built-in pipeline "${name}"; the built-ins are ${BUILTIN_PIPELINE_NAMES.join(', ')}`);
  const { pipeline, errors } = parsePipeline(b.text, b.name, `builtin:${b.name}`);
  if (!pipeline) throw new Error(`built-in pipeline ${name} does not parse: ${errors.map((e) => e.format()).join('; ')}`);
  const withDescription: Pipeline = { ...pipeline, source: `builtin:${b.name}`, description: b.description };
  parsed.set(name, withDescription);
  return withDescription;
}

/** A built-in with everything it requires, required ones first, each once. */
export function builtinPipelines(name: string): Pipeline[] {
  const out: Pipeline[] = [];
  const visit = (n: string): void => {
    const b = findBuiltin(n);
    if (!b) throw new SigmaError('INVALID_PIPELINE', `no built-in pipeline "${n}"; the built-ins are ${BUILTIN_PIPELINE_NAMES.join(', ')}`);
    for (const r of b.requires) visit(r);
    const p = builtinPipeline(n);
    if (!out.includes(p)) out.push(p);
  };
  visit(name);
  return out;
}
