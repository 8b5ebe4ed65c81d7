/**
 * A small YAML writer for detection snippets in explanations: a search identifier's definition as the rule's plain
 * data (`SigmaRule.raw`), written the way Sigma rules are usually written (four-space indents, single-quoted strings,
 * lists of maps with `- `). It writes what YAML readers read back to the same data; comments are not kept.
 */

import { parseAllDocuments } from 'yaml';

const PLAIN_KEY = /^[A-Za-z0-9_.][A-Za-z0-9_.|\-]*$/;

function quote(s: string): string {
  // Control characters (and line breaks) need the double-quoted form; everything else reads back single-quoted.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s)) return JSON.stringify(s);
  return `'${s.replace(/'/g, "''")}'`;
}

export function yamlScalar(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : quote(String(v));
  if (typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return quote(JSON.stringify(v));
}

export function yamlKey(k: string): string {
  return PLAIN_KEY.test(k) && !/^(?:true|false|null|yes|no|on|off|y|n|~)$/i.test(k) ? k : quote(k);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const STEP = 4;

/** Lines of `value` written as the content of a block at `indent` (a map's entries, a list's items). */
function block(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => listItem(item, indent));
  }
  if (isMap(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([k, v]) => entry(k, v, indent));
  }
  return [`${pad}${yamlScalar(value)}`];
}

function entry(key: string, value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if ((Array.isArray(value) && value.length > 0) || (isMap(value) && Object.keys(value).length > 0)) {
    return [`${pad}${yamlKey(key)}:`, ...block(value, indent + STEP)];
  }
  if (Array.isArray(value)) return [`${pad}${yamlKey(key)}: []`];
  if (isMap(value)) return [`${pad}${yamlKey(key)}: {}`];
  return [`${pad}${yamlKey(key)}: ${yamlScalar(value)}`];
}

function listItem(item: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (isMap(item) && Object.keys(item).length > 0) {
    // `- key: value` with the other keys aligned under the first: the map's content column is indent + 2.
    const lines = Object.entries(item).flatMap(([k, v]) => entry(k, v, indent + 2));
    return [`${pad}- ${lines[0].slice(indent + 2)}`, ...lines.slice(1)];
  }
  if (Array.isArray(item) && item.length > 0) {
    const lines = block(item, indent + 2);
    return [`${pad}- ${lines[0].slice(indent + 2)}`, ...lines.slice(1)];
  }
  return [`${pad}- ${isMap(item) ? '{}' : Array.isArray(item) ? '[]' : yamlScalar(item)}`];
}

/** `name:` followed by its definition, indented by `indent` (the name) and `indent + 4` (the definition). */
export function yamlEntry(name: string, value: unknown, indent = 0): string {
  return entry(name, value, indent).join('\n');
}

/**
 * The YAML text of each document of a rule file: one entry, the whole text, when it holds one document, else each
 * document's range without its `---` line. One parse for all documents (a file of many rules is read in linear time;
 * the loader has checked keys already, and the yaml package's uniqueKeys is quadratic in a map's keys).
 */
export function documentTexts(text: string): string[] {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length <= 1) return [text];
  return list.map((doc) => (doc.range ? text.slice(doc.range[0], doc.range[2]).replace(/^---[^\n]*\n/, '') : ''));
}

/**
 * The YAML text of one document of a rule file (`SigmaRule.source.document`): the whole text when it holds one
 * document, else that document's range without its `---` line. Undefined when the file has no such document.
 */
export function documentText(text: string, document: number): string | undefined {
  const texts = documentTexts(text);
  return texts.length === 1 ? texts[0] : texts[document];
}
