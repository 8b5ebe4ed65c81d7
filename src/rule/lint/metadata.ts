/** Lints of a document's metadata, read from its YAML tree so each finding points at the key or value at fault. */
import { closest } from '../../text/closest.js';
import type { MapNode } from '../load.js';
import { mapGet, type YEntry, type YNode } from '../yaml-tree.js';
import { finding, type LintFinding } from './findings.js';

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];
const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
const RELATED_TYPES = ['derived', 'obsolete', 'merged', 'renamed', 'similar'];
/** Tag namespaces of the Sigma specification's appendix (and pySigma's namespace validator). */
const TAG_NAMESPACES = ['attack', 'car', 'cve', 'd3fend', 'detection', 'stp', 'tlp'];
/** Top-level keys of rules, correlations and filters (the specification's, plus the legacy collection `action`). */
const KNOWN_KEYS = [
  'title', 'id', 'name', 'related', 'taxonomy', 'status', 'description', 'references', 'author', 'date', 'modified', 'tags',
  'logsource', 'detection', 'fields', 'falsepositives', 'level', 'license', 'scope', 'correlation', 'filter', 'generate', 'action',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LEGACY_DATE = /^(\d{4})\/(\d{2})\/(\d{2})$/;
/** namespace.name: lower case letters, digits and `_-.`; the name may hold more dots (attack.t1059.001). */
const TAG = /^[a-z0-9_-]+\.[a-z0-9_.+-]+$/;
const ATTACK_ID = /^(?:t\d{4}(?:\.\d{3})?|g\d{4}|s\d{4})$/;
/** Looks like an ATT&CK id (a letter t, g or s and digits), as opposed to a tactic name. */
const ATTACK_ID_LIKE = /^[tgs]\d/;

export type DocumentKind = 'rule' | 'correlation' | 'filter';

function scalarText(e: YEntry | undefined): string | undefined {
  if (!e || e.value.kind !== 'scalar' || e.value.value === null) return undefined;
  return String(e.value.value);
}

/** A `list` key's items; a lone scalar is NOT_A_LIST (the loader reads it as a list of one). */
function listItems(root: MapNode, key: string, out: LintFinding[]): YNode[] {
  const e = mapGet(root, key);
  if (!e || (e.value.kind === 'scalar' && e.value.value === null)) return [];
  if (e.value.kind === 'scalar') {
    out.push(finding('NOT_A_LIST', `"${key}" is a single value; write it as a list ("- ${String(e.value.value)}")`, e.value.loc));
    return [e.value];
  }
  return e.value.kind === 'seq' ? e.value.items : [];
}

function oneOf(e: YEntry | undefined, key: string, allowed: readonly string[], code: 'INVALID_LEVEL' | 'INVALID_STATUS', out: LintFinding[]): void {
  const value = scalarText(e);
  if (value === undefined || allowed.includes(value)) return;
  const near = closest(value, allowed);
  const hint = near ? `did you mean "${near}"?` : `use one of ${allowed.join(', ')}`;
  out.push(finding(code, `unknown ${key} "${value}"; ${hint}`, e!.value.loc));
}

/** The day of `text` as YYYYMMDD for comparing, or null; records INVALID_DATE / LEGACY_DATE. */
function checkDate(e: YEntry | undefined, out: LintFinding[]): number | null {
  const text = scalarText(e);
  if (text === undefined) return null;
  const m = ISO_DATE.exec(text) ?? LEGACY_DATE.exec(text);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const calendar = m ? new Date(Date.UTC(year, month - 1, day)) : null;
  if (!calendar || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    out.push(finding('INVALID_DATE', `${e!.key} "${text}" is not a date; write YYYY-MM-DD`, e!.value.loc));
    return null;
  }
  if (!ISO_DATE.test(text)) out.push(finding('LEGACY_DATE', `${e!.key} "${text}" is written YYYY/MM/DD; the specification writes YYYY-MM-DD (${text.replaceAll('/', '-')})`, e!.value.loc));
  return year * 10_000 + month * 100 + day;
}

function checkTag(node: YNode, seen: Set<string>, out: LintFinding[]): void {
  if (node.kind !== 'scalar' || node.value === null) return;
  const tag = String(node.value);
  if (seen.has(tag)) out.push(finding('DUPLICATE_TAG', `tag "${tag}" is listed twice`, node.loc));
  seen.add(tag);
  if (!TAG.test(tag)) {
    const lower = tag.toLowerCase();
    const hint = TAG.test(lower) ? `write it in lower case ("${lower}")` : 'tags are namespace.name in lower case (attack.t1059.001, cve.2021-44228)';
    out.push(finding('INVALID_TAG', `tag "${tag}": ${hint}`, node.loc));
    return;
  }
  const dot = tag.indexOf('.');
  const namespace = tag.slice(0, dot);
  const name = tag.slice(dot + 1);
  if (!TAG_NAMESPACES.includes(namespace)) {
    const near = closest(namespace, TAG_NAMESPACES);
    out.push(finding('UNKNOWN_TAG_NAMESPACE', `tag "${tag}": unknown namespace "${namespace}"${near ? ` (did you mean "${near}"?)` : ''}; the specification's are ${TAG_NAMESPACES.join(', ')}`, node.loc));
  } else if (namespace === 'attack' && ATTACK_ID_LIKE.test(name) && !ATTACK_ID.test(name)) {
    out.push(finding('INVALID_ATTACK_TAG', `tag "${tag}": ATT&CK ids are tNNNN or tNNNN.NNN (techniques), gNNNN (groups), sNNNN (software)`, node.loc));
  }
}

/** Lints of one document's metadata. `kind` is what the document is (by its keys), whether or not it loaded. */
export function lintMetadata(root: MapNode, kind: DocumentKind, out: LintFinding[]): void {
  const id = mapGet(root, 'id');
  const idText = scalarText(id);
  if (idText === undefined) {
    if (kind === 'rule') out.push(finding('MISSING_ID', 'the rule has no "id"; give it a UUID (other tools, --exclude-id and correlations refer to rules by id)', root.loc));
  } else if (!UUID.test(idText)) out.push(finding('INVALID_ID', `id "${idText}" is not a UUID`, id!.value.loc));

  const level = mapGet(root, 'level');
  oneOf(level, 'level', LEVELS, 'INVALID_LEVEL', out);
  if (kind === 'rule' && scalarText(level) === undefined) out.push(finding('MISSING_LEVEL', 'the rule has no "level"; --level and --fail-on leave it out', root.loc));
  oneOf(mapGet(root, 'status'), 'status', STATUSES, 'INVALID_STATUS', out);
  if (kind !== 'filter' && scalarText(mapGet(root, 'description')) === undefined) {
    out.push(finding('MISSING_DESCRIPTION', `the ${kind} has no "description" of what it detects`, root.loc));
  }

  const date = checkDate(mapGet(root, 'date'), out);
  const modifiedEntry = mapGet(root, 'modified');
  const modified = checkDate(modifiedEntry, out);
  if (date !== null && modified !== null && modified < date) {
    out.push(finding('MODIFIED_BEFORE_DATE', `modified "${scalarText(modifiedEntry)}" is before date "${scalarText(mapGet(root, 'date'))}"`, modifiedEntry!.value.loc));
  }

  const tags = new Set<string>();
  for (const t of listItems(root, 'tags', out)) checkTag(t, tags, out);
  const references = new Set<string>();
  for (const r of listItems(root, 'references', out)) {
    if (r.kind !== 'scalar' || r.value === null) continue;
    const text = String(r.value);
    if (references.has(text)) out.push(finding('DUPLICATE_REFERENCE', `reference "${text}" is listed twice`, r.loc));
    references.add(text);
  }
  for (const f of listItems(root, 'falsepositives', out)) {
    if (f.kind !== 'scalar' || typeof f.value !== 'string') {
      out.push(finding('INVALID_FALSEPOSITIVE', 'a "falsepositives" entry is a sentence describing a benign cause, not a number, mapping or list', f.loc));
    }
  }
  listItems(root, 'fields', out);

  const related = mapGet(root, 'related');
  if (related?.value.kind === 'seq') {
    for (const item of related.value.items) {
      const type = mapGet(item, 'type');
      const typeText = scalarText(type);
      if (typeText !== undefined && !RELATED_TYPES.includes(typeText)) {
        const near = closest(typeText, RELATED_TYPES);
        out.push(finding('INVALID_RELATED_TYPE', `related type "${typeText}"${near ? ` (did you mean "${near}"?)` : ''}: use one of ${RELATED_TYPES.join(', ')}`, type!.value.loc));
      }
      const relatedId = mapGet(item, 'id');
      const relatedText = scalarText(relatedId);
      if (relatedText !== undefined && !UUID.test(relatedText)) out.push(finding('INVALID_ID', `related id "${relatedText}" is not a UUID`, relatedId!.value.loc));
    }
  }

  for (const entry of root.entries) {
    if (KNOWN_KEYS.includes(entry.key)) continue;
    const near = closest(entry.key, KNOWN_KEYS);
    if (near) out.push(finding('UNKNOWN_KEY', `unknown key "${entry.key}" (did you mean "${near}"?); it is read as a custom attribute and ignored`, entry.keyLoc));
  }
}
