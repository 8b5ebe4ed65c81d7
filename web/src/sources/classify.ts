/**
 * What a handed-over file is, from its name and (for YAML) its text: Sigma rules, a rule archive (.zip), a compiled
 * rule set (.sigc), a processing pipeline (YAML with `transformations:` and no `detection:`), or events. Inside a
 * folder only known event extensions count as events (like `sigmatch scan <dir>`); a file handed over by itself is
 * scanned whatever its name, and its content decides how (event-stream.ts).
 */

export type FileKind = 'rules' | 'rule-archive' | 'compiled-rules' | 'events' | 'ignored';

const EVENT_EXTENSIONS = /\.(?:json|jsonl|ndjson|log|txt|evtx)(?:\.gz)?$/i;

export function kindOf(path: string, inFolder: boolean): FileKind {
  const name = path.toLowerCase();
  if (/\.ya?ml$/.test(name)) return 'rules';
  if (name.endsWith('.zip')) return 'rule-archive';
  if (name.endsWith('.sigc')) return 'compiled-rules';
  if (EVENT_EXTENSIONS.test(name) || name.endsWith('.gz')) return 'events';
  return inFolder ? 'ignored' : 'events';
}

/** A YAML text that is a processing pipeline rather than rules. */
export function isPipelineText(text: string): boolean {
  return /^transformations\s*:/m.test(text) && !/^detection\s*:/m.test(text);
}
