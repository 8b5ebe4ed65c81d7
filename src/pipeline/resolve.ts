/**
 * Pipelines from names and files (Node only: reads files). Each argument is a built-in name (sysmon, windows,
 * ecs-windows; a built-in brings the built-ins it requires) or a path to a pySigma pipeline YAML file. Errors are
 * values: an unknown name that is no file, an unreadable file, every INVALID_PIPELINE of a file.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { SigmaError } from '../rule/errors.js';
import { describeUtf8Error, utf8ErrorAt } from '../text/utf8.js';
import { BUILTIN_PIPELINE_NAMES, builtinPipelines, findBuiltin } from './builtins.js';
import type { Pipeline } from './model.js';
import { parsePipeline } from './parse.js';

const utf8 = new TextDecoder('utf-8');

export interface ResolvedPipelines {
  /** In the order given (built-ins preceded by what they require), each once; applyPipelines orders by priority. */
  pipelines: Pipeline[];
  errors: SigmaError[];
}

/** Read and parse one pipeline file; its name is `name:` or else the file name without extension. */
export function loadPipeline(path: string): { pipeline: Pipeline | null; errors: SigmaError[] } {
  let text: string;
  const fail = (reason: string, line = 1, column = 1): { pipeline: null; errors: SigmaError[] } => ({
    pipeline: null,
    errors: [new SigmaError('FILE_READ', `cannot read pipeline file: ${reason}`, { file: path, line, column })],
  });
  try {
    const bytes = readFileSync(path);
    const bad = utf8ErrorAt(bytes);
    if (bad) return fail(describeUtf8Error(bad), bad.line, bad.column);
    text = utf8.decode(bytes);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parsePipeline(text, basename(path).replace(/\.ya?ml$/i, ''), path);
}

export function resolvePipelines(namesOrPaths: readonly string[]): ResolvedPipelines {
  const pipelines: Pipeline[] = [];
  const errors: SigmaError[] = [];
  const seenFiles = new Set<string>();
  const add = (p: Pipeline): void => {
    if (!pipelines.includes(p)) pipelines.push(p);
  };
  for (const arg of namesOrPaths) {
    if (findBuiltin(arg)) {
      builtinPipelines(arg).forEach(add);
      continue;
    }
    let isFile = false;
    try {
      isFile = statSync(arg).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) {
      errors.push(
        new SigmaError('INVALID_PIPELINE', `"${arg}" is neither a built-in pipeline (${BUILTIN_PIPELINE_NAMES.join(', ')}) nor a pipeline file`, {
          file: arg,
        }),
      );
      continue;
    }
    let real = arg;
    try {
      real = realpathSync(arg);
    } catch {
      // loadPipeline reports it
    }
    if (seenFiles.has(real)) continue;
    seenFiles.add(real);
    const r = loadPipeline(arg);
    errors.push(...r.errors);
    if (r.pipeline) add(r.pipeline);
  }
  return { pipelines, errors };
}
