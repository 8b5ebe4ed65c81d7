/**
 * `sigmatch scan --html <file>`: the run as a self-contained HTML report (src/report renders it). The scan hands each
 * hit with its parsed event; at the end the rules that fired get their pages from `analyzeRule`, over the rules as
 * written (loaded again without the pipelines, which only say which events a rule covers), with corpus counts over
 * the whole loaded set, as `sigmatch explain --corpus` gives them.
 */
import { createWriteStream } from 'node:fs';
import { analyzeRule } from '../analysis/analyze.js';
import { CorpusIndex } from '../analysis/corpus.js';
import { defaultCoveragePipelines } from '../analysis/events.js';
import { orderPipelines } from '../pipeline/apply.js';
import { pipelinePlaceholders } from '../pipeline/placeholders.js';
import { resolvePipelines } from '../pipeline/resolve.js';
import { HtmlReport, reportHit, type ReportMeta, type ReportRule, type RulePage } from '../report/index.js';
import { loadRules } from '../rule/files.js';
import type { SigmaRule } from '../rule/model.js';
import { CliError } from './common.js';
import { checkReportPath } from './output/destination.js';
import { fileDocumentText } from './explain.js';

export interface HtmlRuleSource {
  /** The --rules paths, --pipeline arguments and --placeholder values of the scan. */
  paths: readonly string[];
  pipelineArgs: readonly string[];
  placeholders: Readonly<Record<string, string[]>>;
  /**
   * The rules scanned (pipelines applied), index for index with the report's rules: an array, or the compile cache's
   * rules, each rebuilt when asked for (only the rules that fired are).
   */
  scanned: { readonly length: number; at(index: number): SigmaRule | undefined };
}

export class HtmlReportFile {
  private readonly report: HtmlReport;

  constructor(
    readonly path: string,
    rules: readonly ReportRule[],
  ) {
    checkReportPath(path);
    this.report = new HtmlReport(rules);
  }

  /** One hit: the rule's index, the hit as the outputs get it (where, provenance) and the parsed event (or undefined). */
  hit(rule: number, h: { file?: string; event: number; line?: number; detections?: readonly string[]; fields?: readonly { field: string; value: string }[] }, event: unknown): void {
    this.report.add(
      reportHit(
        {
          rule,
          file: h.file ?? '',
          event: h.event,
          ...(h.line !== undefined ? { line: h.line } : {}),
          ...(h.detections ? { detections: h.detections } : {}),
          ...(h.fields ? { fields: h.fields } : {}),
        },
        event,
      ),
    );
  }

  /** Write the report. `source` is absent for a compiled rule set (no rule logic: no rule pages). */
  async write(meta: Omit<ReportMeta, 'generated'>, source: HtmlRuleSource | null): Promise<void> {
    const remarks = [...(meta.remarks ?? [])];
    const pages = source ? this.rulePages(source) : [];
    if (!source) remarks.push('A compiled rule set holds no rule logic: no rule pages (scan --rules for them).');
    const out = createWriteStream(this.path);
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    failed.catch(() => {}); // raced below; handled there
    try {
      for (const chunk of this.report.chunks({ ...meta, remarks, generated: new Date().toISOString() }, pages)) {
        if (!out.write(chunk)) await Promise.race([new Promise<void>((ok) => out.once('drain', () => ok())), failed]);
      }
      await Promise.race([new Promise<void>((ok) => out.end(ok)), failed]);
    } catch (e) {
      throw new CliError(`scan: cannot write the --html report ${this.path}: ${(e as Error).message}`);
    }
  }

  private rulePages(source: HtmlRuleSource): RulePage[] {
    const fired = this.report.firedRules();
    if (fired.length === 0) return [];
    const resolved = resolvePipelines(source.pipelineArgs);
    const pipelines = source.pipelineArgs.length > 0 && resolved.errors.length === 0 ? orderPipelines(resolved.pipelines) : defaultCoveragePipelines();
    const written = loadRules(source.paths, { placeholders: { ...pipelinePlaceholders(pipelines), ...source.placeholders } }).rules;
    const corpus = CorpusIndex.build(written);
    const key = (r: SigmaRule): string => `${r.source.file ?? ''}\u0000${r.source.document}`;
    const byPlace = new Map(written.map((r) => [key(r), r]));
    const texts = new Map<string, string[] | null>();
    const pages: RulePage[] = [];
    for (const index of fired) {
      // Correlation alerts number their correlation after the rules: they are in the hits, without a rule page.
      if (index >= source.scanned.length) continue;
      const scanned = source.scanned.at(index)!;
      const rule = byPlace.get(key(scanned)) ?? scanned;
      const body = rule.source.file !== undefined ? fileDocumentText(rule.source.file, rule.source.document, texts) : undefined;
      pages.push({ rule: index, analysis: analyzeRule(rule, { corpus, pipelines }), ...(body !== undefined ? { body } : {}) });
    }
    return pages;
  }
}
