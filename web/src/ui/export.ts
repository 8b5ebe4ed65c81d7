/**
 * Export of the hits the filters select, in the CLI's own JSONL and CSV formats (the same writers `sigmatch scan`
 * uses, so tools that read one read the other), as a file the browser saves: nothing leaves the machine.
 */
import { csvOutput } from '../../../src/cli/output/csv.js';
import { jsonlOutput } from '../../../src/cli/output/jsonl.js';
import { normaliseHitTime } from '../../../src/cli/output/hit-time.js';
import type { Output, OutputHit, OutputStream } from '../../../src/cli/output/types.js';
import { UTC } from '../../../src/cli/output/zone.js';
import type { ReportHit, ReportRule } from '../../../src/report/index.js';

export type ExportFormat = 'jsonl' | 'csv';

/** A hit as the CLI's outputs take it: the same columns, the time normalised to UTC as `sigmatch scan` writes it. */
export function outputHit(h: ReportHit, rule: ReportRule): OutputHit {
  const out: OutputHit = {
    event: h.event,
    ...(h.file !== '' ? { file: h.file } : {}),
    ...(h.line !== undefined ? { line: h.line } : {}),
    ...(h.time !== undefined ? { time: h.time } : {}),
    ...(h.computer !== undefined ? { computer: h.computer } : {}),
    ...(h.channel !== undefined ? { channel: h.channel } : {}),
    ...(h.provider !== undefined ? { provider: h.provider } : {}),
    ...(h.eventId !== undefined ? { eventId: h.eventId } : {}),
    ...(h.recordId !== undefined ? { recordId: h.recordId } : {}),
    rule,
    ...(h.detections ? { detections: h.detections } : {}),
    ...(h.fields ? { fields: h.fields } : {}),
  };
  normaliseHitTime(out, UTC);
  return out;
}

/** The hits in the format, as text parts (a Blob joins them without one large string). */
export function exportParts(format: ExportFormat, hits: readonly ReportHit[], rules: readonly ReportRule[]): string[] {
  const parts: string[] = [];
  const sink: OutputStream = {
    write(chunk: string) {
      parts.push(chunk);
      return true;
    },
  };
  const out: Output = format === 'jsonl' ? jsonlOutput(sink) : csvOutput(sink);
  for (const h of hits) out.hit(outputHit(h, rules[h.rule]));
  void out.end();
  return parts;
}

/** Save the parts as a file through a temporary object URL. */
export function saveFile(name: string, type: string, parts: readonly string[]): void {
  const url = URL.createObjectURL(new Blob(parts as string[], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
