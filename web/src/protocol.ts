/** Messages between the workbench page and its scan worker (worker.ts). Everything here is structured-cloneable. */
import type { RuleAnalysis } from '../../src/analysis/analyze.js';
import type { ReportHit, ReportRule } from '../../src/report/index.js';

export interface NamedText {
  name: string;
  text: string;
}

export interface LoadRulesRequest {
  type: 'load-rules';
  /** Rule YAML files (from files, folders and archives). */
  rules: NamedText[];
  /** A compiled rule set (.sigc) instead of rules. */
  compiled?: { name: string; bytes: Uint8Array };
  /** Built-in pipeline names and pipeline YAML files, applied in priority order. */
  builtinPipelines: string[];
  pipelineFiles: NamedText[];
}

export interface ScanRequest {
  type: 'scan';
  files: { file: File; name: string }[];
}

export type ToWorker = LoadRulesRequest | ScanRequest | { type: 'cancel' } | { type: 'analyze'; rule: number };

/** A problem with a location: a rule error (file:line:column, code) or an input note (file:line). */
export interface Problem {
  kind: 'rule' | 'pipeline' | 'input';
  file?: string;
  line?: number;
  column?: number;
  code?: string;
  message: string;
}

export interface RulesLoaded {
  type: 'rules-loaded';
  rules: ReportRule[];
  problems: Problem[];
  /** Whether hits get matched values and rules get pages (false for a compiled rule set). */
  explained: boolean;
  pipelines: string[];
  routed: number;
  unrouted: number;
  seconds: number;
}

export interface Progress {
  type: 'progress';
  bytes: number;
  totalBytes: number;
  events: number;
  seconds: number;
  file: string;
}

export interface HitBatch {
  type: 'hits';
  hits: ReportHit[];
  /** The JSON text of hit events, once per event: [file, event index, text]. */
  records: [string, number, string][];
}

export interface ScanDone {
  type: 'done';
  events: number;
  bytes: number;
  seconds: number;
  cancelled: boolean;
  /** Largest WebAssembly memory the matcher used, in bytes (memory stays bounded: the page reads in slices). */
  wasmMemoryBytes: number;
  /** Largest chunk handed to the scanner at once. */
  largestChunk: number;
}

export type FromWorker =
  | RulesLoaded
  | Progress
  | HitBatch
  | { type: 'problems'; problems: Problem[] }
  | ScanDone
  | { type: 'analysis'; rule: number; analysis: RuleAnalysis | null; body?: string; message?: string }
  | { type: 'failed'; message: string };
