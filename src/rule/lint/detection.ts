/** Lints of a loaded rule's (or filter's) detection: single-value |all, unused identifiers, odd field names. */
import { referencedNames } from '../condition.js';
import type { DetectionNode, SigmaFilter, SigmaRule } from '../model.js';
import { mapGet, type YNode } from '../yaml-tree.js';
import { finding, type LintFinding } from './findings.js';

function lintItems(node: DetectionNode, file: string | undefined, out: LintFinding[]): void {
  if (node.kind !== 'item') {
    for (const c of node.children) lintItems(c, file, out);
    return;
  }
  const loc = { ...node.loc, file: node.loc.file ?? file };
  const key = [node.field ?? '', ...node.modifiers].join('|');
  if (node.modifiers.includes('all') && node.values.length === 1) {
    out.push(finding('SINGLE_VALUE_ALL', `"${key}" has one value: |all needs a list of several (the specification forbids it alone); drop |all`, loc));
  }
  if (node.field === null) return;
  if (/\s/.test(node.field)) out.push(finding('FIELD_NAME_SPACE', `field "${node.field}" has a space; check the event's field name`, loc));
  if (/[*?]/.test(node.field)) out.push(finding('FIELD_NAME_WILDCARD', `field "${node.field}": field names are matched as written, "*" and "?" are no wildcards there`, loc));
}

/** Lints of the detection of a rule or filter that loaded; `section` is its `detection` (or `filter`) tree. */
export function lintDetection(doc: SigmaRule | SigmaFilter, section: YNode | undefined, out: LintFinding[]): void {
  const used = referencedNames(doc.condition);
  for (const d of doc.detections) {
    lintItems(d.root, doc.source.file, out);
    if (!used.has(d.name)) {
      const loc = mapGet(section, d.name)?.keyLoc ?? d.loc;
      out.push(finding('UNUSED_IDENTIFIER', `search identifier "${d.name}" is not used by the condition`, { ...loc, file: loc.file ?? doc.source.file }));
    }
  }
}
