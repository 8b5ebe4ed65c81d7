/**
 * An event's element tree as the JSON object evtx_dump (omerbenamram/evtx, `-o json`) writes for it, parsed as
 * JSON.parse parses that text (duplicate keys: the last value, at the first key's place). The flat view Sigma rules
 * read is then src/input/evtx-json.ts applied to this object, for .evtx files and evtx_dump output alike.
 *
 * An element's JSON value:
 * - null when it has no child elements, no text and no attribute with text;
 * - its text when it has no child elements and no attribute with text: a number or boolean when the text is one
 *   integer or boolean value, else the concatenated text (character references as `&#N;`, entity references as
 *   `&name;`, as evtx_dump writes them);
 * - otherwise an object: `#attributes` (the attributes with text), `#text` (the text, child elements skipped), then
 *   one key per child element, a repeated name as `Name_1`, `Name_2`, ... (for the first 64 distinct names).
 * In EventData and UserData, `Data` children are special: when some `Data` has a `Name` attribute with text, each such
 * `Data` becomes the key of its name (the others are dropped), with "" for an empty one; otherwise all `Data`
 * children become one `"Data": {"#text": value or [values]}` at the first one's place.
 */
import { jsonScalar, valueText, isEmptyValue } from './values.js';
import type { XmlElement, XmlNode } from './binxml.js';

type Json = null | string | number | boolean | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Distinct child names that get `_N` suffixes (evtx_dump's fixed table). */
const MAX_UNIQUE_NAMES = 64;
const DATA = 'Data';
const NAME = 'Name';

/** Set a key as JSON.parse does with a repeated key (and with `__proto__`, an ordinary key). */
function put(o: JsonObject, key: string, value: Json): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

function isElement(n: XmlNode): n is XmlElement {
  return n.kind === 'element';
}

export function hasText(nodes: readonly XmlNode[]): boolean {
  for (const n of nodes) {
    switch (n.kind) {
      case 'text':
        if (n.text !== '') return true;
        break;
      case 'value':
        if (!isEmptyValue(n.value)) return true;
        break;
      case 'charref':
      case 'entityref':
        return true;
    }
  }
  return false;
}

/** The text of nodes (elements and processing instructions skipped). */
export function textOf(nodes: readonly XmlNode[]): string {
  let s = '';
  for (const n of nodes) {
    if (n.kind === 'text') s += n.text;
    else if (n.kind === 'value') s += valueText(n.value);
    else if (n.kind === 'charref') s += `&#${n.code};`;
    else if (n.kind === 'entityref') s += `&${n.name};`;
  }
  return s;
}

/** A lone integer or boolean value is a JSON number or boolean; anything else is text. */
function contentValue(nodes: readonly XmlNode[]): Json {
  if (nodes.length === 1 && nodes[0].kind === 'value') {
    const scalar = jsonScalar(nodes[0].value);
    if (scalar !== undefined) return scalar;
  }
  return textOf(nodes);
}

/** `#text` of an element with child elements: as contentValue, with elements (and empty values) not counted. */
function textBesideElements(nodes: readonly XmlNode[]): Json {
  let single: XmlNode | null = null;
  let numeric = true;
  for (const n of nodes) {
    if (n.kind === 'element' || n.kind === 'pi') continue;
    if (n.kind === 'text') {
      if (n.text !== '') numeric = false;
    } else if (n.kind === 'value') {
      if (isEmptyValue(n.value)) continue;
      if (single !== null) numeric = false;
      single = n;
    } else numeric = false;
  }
  if (numeric && single !== null && single.kind === 'value') {
    const scalar = jsonScalar(single.value);
    if (scalar !== undefined) return scalar;
  }
  return textOf(nodes);
}

const attributesWithText = (el: XmlElement): boolean => el.attrs.some((a) => hasText(a.value));

export function elementValue(el: XmlElement, dataContainer: boolean): Json {
  const elements = el.children.some(isElement);
  const text = hasText(el.children);
  const attrText = attributesWithText(el);
  if (!elements && !text && !attrText) return null;
  if (!elements && !attrText) return contentValue(el.children);
  return elementObject(el, dataContainer);
}

function nameAttribute(el: XmlElement): readonly XmlNode[] | undefined {
  return el.attrs.find((a) => a.name === NAME)?.value;
}

function dataValue(el: XmlElement): Json {
  const elements = el.children.some(isElement);
  if (!elements && !hasText(el.children)) return '';
  return elements ? elementObject(el, false) : contentValue(el.children);
}

function elementObject(el: XmlElement, dataContainer: boolean): JsonObject {
  const out: JsonObject = {};
  const attrs: JsonObject = {};
  let anyAttr = false;
  for (const a of el.attrs) {
    if (!hasText(a.value)) continue;
    anyAttr = true;
    put(attrs, a.name, contentValue(a.value));
  }
  if (anyAttr) put(out, '#attributes', attrs);
  if (hasText(el.children)) put(out, '#text', textBesideElements(el.children));

  const children = el.children.filter(isElement);
  const data = dataContainer ? children.filter((c) => c.name === DATA) : [];
  const named = data.some((d) => {
    const n = nameAttribute(d);
    return n !== undefined && hasText(n);
  });
  let dataDone = false;
  const counts = new Map<string, number>();
  for (const child of children) {
    if (dataContainer && child.name === DATA) {
      if (named) {
        const n = nameAttribute(child);
        if (n !== undefined && hasText(n)) put(out, textOf(n), dataValue(child));
      } else if (!dataDone) {
        dataDone = true;
        put(out, DATA, { '#text': data.length === 1 ? dataValue(child) : data.map(dataValue) });
      }
      continue;
    }
    let suffix = 0;
    const seen = counts.get(child.name);
    if (seen !== undefined) {
      suffix = seen;
      counts.set(child.name, seen + 1);
    } else if (counts.size < MAX_UNIQUE_NAMES) counts.set(child.name, 1);
    put(out, suffix > 0 ? `${child.name}_${suffix}` : child.name, elementValue(child, child.name === 'EventData' || child.name === 'UserData'));
  }
  return out;
}

/** The record's JSON object: `{ [root name]: value }`. */
export function renderEvent(root: XmlElement): JsonObject {
  const out: JsonObject = {};
  put(out, root.name, elementValue(root, false));
  return out;
}
