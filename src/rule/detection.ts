/**
 * Detection definitions (SIGMA.md 1.2): a map (items AND-ed), a list (alternatives OR-ed: maps, nested lists or
 * keywords), or a scalar keyword. Each item's modifiers are applied here, so the model holds typed values only.
 */
import { SigmaError, withContext } from './errors.js';
import { applyModifiers, applyModifiersToRegexes, applyModifiersToStrings, keywordValues, type ModifierOptions, type RawValue } from './modifiers.js';
import type { Detection, DetectionItem, DetectionNode } from './model.js';
import { scalarListOf, type YScalarValue } from './yaml-node.js';
import type { YNode } from './yaml-tree.js';

/** Split `field|mod1|mod2` into the field (null when empty: a keyword item) and its modifiers. */
export function splitFieldKey(key: string): { field: string | null; modifiers: string[] } {
  const [field, ...modifiers] = key.split('|');
  return { field: field === '' ? null : field, modifiers };
}

function scalarValues(node: YNode, what: string, errors: SigmaError[]): RawValue[] {
  if (node.kind === 'scalar') return [{ value: node.value, source: node.source }];
  if (node.kind === 'map') {
    errors.push(new SigmaError('INVALID_DETECTION', `${what} has a mapping as its value; a field takes a value or a list of values`, node.loc));
    return [];
  }
  // A value list; nested lists are flattened (pySigma recurses into them).
  const out: RawValue[] = [];
  for (const item of node.items) out.push(...scalarValues(item, what, errors));
  return out;
}

function buildItem(field: string | null, modifiers: string[], raws: RawValue[], loc: DetectionItem['loc'], options: ModifierOptions, errors: SigmaError[]): DetectionItem | null {
  try {
    const applied = applyModifiers(field, modifiers, raws, options);
    const values = field === null ? keywordValues(applied.values, modifiers) : applied.values;
    return { kind: 'item', field, modifiers, values, all: applied.all, negated: applied.negated, loc };
  } catch (e) {
    if (e instanceof SigmaError) {
      errors.push(withContext(e, loc));
      return null;
    }
    throw e;
  }
}

/** The values of a sequence held packed (yaml-node.ts ScalarList) when every one is a string, else null. */
function packedStrings(node: YNode): readonly string[] | null {
  if (node.kind !== 'seq') return null;
  const values: readonly YScalarValue[] | undefined = scalarListOf(node.items)?.values;
  return values !== undefined && values.every((v) => typeof v === 'string') ? (values as readonly string[]) : null;
}

/**
 * An item of many strings built as one packed list of values (modifiers.ts applyModifiersToStrings, or
 * applyModifiersToRegexes for `re` patterns), without a RawValue per value on the way; undefined when the list is
 * not one to pack (the caller builds the item value by value), null when its modifiers are invalid (the error is
 * appended).
 */
function packedItem(field: string | null, modifiers: string[], strings: readonly string[], loc: DetectionItem['loc'], errors: SigmaError[]): DetectionItem | null | undefined {
  try {
    const applied = applyModifiersToStrings(field, modifiers, strings) ?? applyModifiersToRegexes(field, modifiers, strings);
    if (!applied) return undefined;
    return { kind: 'item', field, modifiers, values: applied.values, all: applied.all, negated: applied.negated, loc };
  } catch (e) {
    if (e instanceof SigmaError) {
      errors.push(withContext(e, loc));
      return null;
    }
    throw e;
  }
}

function keywordItem(node: YNode & { kind: 'scalar' }, options: ModifierOptions, errors: SigmaError[]): DetectionItem | null {
  if (node.value === null) {
    errors.push(new SigmaError('INVALID_DETECTION', 'a keyword list holds an empty (null) entry', node.loc));
    return null;
  }
  const value = typeof node.value === 'boolean' ? String(node.value) : node.value;
  return buildItem(null, [], [{ value, source: node.source }], node.loc, options, errors);
}

function parseMap(node: YNode & { kind: 'map' }, name: string, options: ModifierOptions, errors: SigmaError[]): DetectionNode | null {
  if (node.entries.length === 0) {
    errors.push(new SigmaError('INVALID_DETECTION', `search identifier "${name}" has an empty mapping`, node.loc));
    return null;
  }
  const children: DetectionNode[] = [];
  for (const entry of node.entries) {
    const { field, modifiers } = splitFieldKey(entry.key);
    const what = field === null ? `the keyword entry "${entry.key}"` : `field "${field}"`;
    const strings = packedStrings(entry.value);
    const packed = strings ? packedItem(field, modifiers, strings, entry.keyLoc, errors) : undefined;
    if (packed !== undefined) {
      if (packed) children.push(packed);
      continue;
    }
    const before = errors.length;
    let raws = scalarValues(entry.value, what, errors);
    if (errors.length > before) continue;
    if (field === null && raws.some((r) => r.value === null)) {
      errors.push(new SigmaError('INVALID_DETECTION', `${what} lists an empty (null) keyword`, entry.keyLoc));
      continue;
    }
    // An empty list means null (pySigma).
    if (raws.length === 0) raws = [{ value: null }];
    const item = buildItem(field, modifiers, raws, entry.keyLoc, options, errors);
    if (item) children.push(item);
  }
  return children.length === 1 ? children[0] : { kind: 'and', children, loc: node.loc };
}

function parseDefinition(node: YNode, name: string, options: ModifierOptions, errors: SigmaError[], depth: number): DetectionNode | null {
  switch (node.kind) {
    case 'map':
      return parseMap(node, name, options, errors);
    case 'scalar':
      return keywordItem(node, options, errors);
    case 'seq': {
      if (node.items.length === 0) {
        errors.push(new SigmaError('INVALID_DETECTION', `search identifier "${name}" is an empty list`, node.loc));
        return null;
      }
      // A plain list of scalars is one keyword item (values OR-ed).
      const strings = packedStrings(node);
      const packed = strings ? packedItem(null, [], strings, node.loc, errors) : undefined;
      if (packed !== undefined) return packed;
      if (node.items.every((i) => i.kind === 'scalar')) {
        const raws: RawValue[] = [];
        for (const i of node.items) {
          if (i.kind !== 'scalar') continue;
          if (i.value === null) {
            errors.push(new SigmaError('INVALID_DETECTION', `search identifier "${name}" lists an empty (null) keyword`, i.loc));
            return null;
          }
          raws.push({ value: typeof i.value === 'boolean' ? String(i.value) : i.value, source: i.source });
        }
        return buildItem(null, [], raws, node.loc, options, errors);
      }
      const children: DetectionNode[] = [];
      for (const item of node.items) {
        const child = parseDefinition(item, name, options, errors, depth + 1);
        if (child) children.push(child);
      }
      return children.length === 1 ? children[0] : { kind: 'or', children, loc: node.loc };
    }
  }
}

/** Parse one search identifier's definition. Errors are appended; null when the definition is unusable. */
export function parseDetection(name: string, node: YNode, options: ModifierOptions, errors: SigmaError[]): Detection | null {
  const before = errors.length;
  const root = parseDefinition(node, name, options, errors, 0);
  if (!root || errors.length > before) return null;
  return { name, root, loc: node.loc };
}
