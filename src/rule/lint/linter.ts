/**
 * The linter: fed every document as the loader reads it (`LoadOptions.inspect`), it lints each at once (the YAML
 * tree is let go after) and keeps only ids and titles for the checks across documents (a repeat is reported where it
 * is seen, naming the first).
 */
import type { InspectedDocument } from '../load.js';
import { mapGet, type YNode } from '../yaml-tree.js';
import type { SourceLocation } from '../errors.js';
import { lintDetection } from './detection.js';
import { finding, LINTS, type LintCode, type LintFinding } from './findings.js';
import { lintMetadata, type DocumentKind } from './metadata.js';

interface Seen {
  loc: SourceLocation;
  title: string;
}

function scalar(node: YNode | undefined): string | undefined {
  return node?.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

function where(loc: SourceLocation): string {
  return `${loc.file ?? '<string>'}:${loc.line}`;
}

export class Linter {
  private readonly findings: LintFinding[] = [];
  private readonly ids = new Map<string, Seen>();
  private readonly titles = new Map<string, Seen>();

  /** @param ignore codes left out of the findings */
  constructor(private readonly ignore: ReadonlySet<LintCode> = new Set()) {}

  /** Lint one document (use as `LoadOptions.inspect`). */
  readonly inspect = (doc: InspectedDocument): void => {
    const kind: DocumentKind = mapGet(doc.root, 'correlation') ? 'correlation' : mapGet(doc.root, 'filter') ? 'filter' : 'rule';
    const found: LintFinding[] = [];
    lintMetadata(doc.root, kind, found);
    if (doc.loaded && doc.loaded.kind !== 'correlation') lintDetection(doc.loaded, mapGet(doc.root, doc.loaded.kind === 'rule' ? 'detection' : 'filter')?.value, found);
    const title = scalar(mapGet(doc.root, 'title')?.value) ?? '';
    const idEntry = mapGet(doc.root, 'id');
    const id = scalar(idEntry?.value);
    if (id !== undefined) {
      const first = this.ids.get(id);
      const loc = idEntry!.value.loc;
      if (first) found.push(finding('DUPLICATE_ID', `id ${id} is also the id of "${first.title}" (${where(first.loc)}); give each rule its own`, loc));
      else this.ids.set(id, { loc, title });
    }
    if (kind === 'rule' && title !== '') {
      const first = this.titles.get(title);
      const loc = mapGet(doc.root, 'title')!.value.loc;
      if (first) found.push(finding('DUPLICATE_TITLE', `title "${title}" is also the title of the rule at ${where(first.loc)}`, loc));
      else this.titles.set(title, { loc, title });
    }
    // In the order of the text, as a reader goes through the file.
    found.sort((a, b) => a.line - b.line || a.column - b.column);
    for (const f of found) {
      if (this.ignore.has(f.code)) continue;
      f.file ??= doc.file;
      if (id !== undefined) f.ruleId = id;
      if (title !== '') f.ruleTitle = title;
      this.findings.push(f);
    }
  };

  /** Every finding so far, in the order the documents were read. */
  results(): LintFinding[] {
    return [...this.findings];
  }
}

/** Whether `code` names a lint (for --ignore). */
export function isLintCode(code: string): code is LintCode {
  return Object.hasOwn(LINTS, code);
}
