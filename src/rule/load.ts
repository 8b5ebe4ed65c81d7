/**
 * Rule sets from YAML text: multi-document files, Sigma 1 collections (action: global / reset / repeat), filters
 * applied to the rules they name. Pure (no file system), so it runs in browsers and Workers; `files.ts` adds the
 * Node file walker on top.
 */
import type { ConditionNode } from './condition.js';
import { parseCorrelationDocument, parseFilterDocument, parseRuleDocument, type DocumentResult } from './document.js';
import { SigmaError } from './errors.js';
import type { Detection, LogSource, SigmaCorrelation, SigmaFilter, SigmaRule } from './model.js';
import type { ModifierOptions } from './modifiers.js';
import { DEFAULT_YAML_LIMITS, deepMerge, mapGet, parseYaml, type YamlDocument, type YamlLimits, type YNode } from './yaml-tree.js';

export interface LoadOptions extends ModifierOptions {
  limits?: Partial<YamlLimits>;
  /**
   * Called for every rule, correlation or filter document once it is read (collection templates merged), with its
   * YAML tree (positions of every key and value) and what it loaded as (null when it has errors): what `validate`'s
   * lints read (src/rule/lint). The tree is let go after the call.
   */
  inspect?: (document: InspectedDocument) => void;
}

/** One document as the loader read it, for `LoadOptions.inspect`. */
export interface InspectedDocument {
  root: MapNode;
  file: string | undefined;
  /** 0-based index of the document in its file. */
  index: number;
  loaded: SigmaRule | SigmaCorrelation | SigmaFilter | null;
}

export interface RuleSet {
  rules: SigmaRule[];
  correlations: SigmaCorrelation[];
  filters: SigmaFilter[];
  errors: SigmaError[];
  /** Files read (or texts parsed). */
  files: number;
  /** YAML documents seen, valid or not. */
  documents: number;
}

export function emptyRuleSet(): RuleSet {
  return { rules: [], correlations: [], filters: [], errors: [], files: 0, documents: 0 };
}

export type MapNode = YNode & { kind: 'map' };

function classify(root: MapNode, index: number, loc: MapNode['loc'], options: ModifierOptions): DocumentResult {
  if (mapGet(root, 'correlation')) return parseCorrelationDocument(root, index, loc);
  if (mapGet(root, 'filter')) return parseFilterDocument(root, index, loc, options);
  if (mapGet(root, 'detection')) return parseRuleDocument(root, index, loc, options);
  if (mapGet(root, 'logsource')) {
    return { document: null, errors: [new SigmaError('MISSING_KEY', 'the rule has no "detection" (search identifiers and a condition)', loc)] };
  }
  return {
    document: null,
    errors: [new SigmaError('DOCUMENT_TYPE', 'the YAML document is not a Sigma rule (no "detection"), correlation ("correlation") or filter ("filter")', loc)],
  };
}

/** Parse one YAML text (a file's content) into rules, correlations and filters. Filters are not applied here. */
export function parseRuleText(text: string, file?: string, options: LoadOptions = {}): RuleSet {
  const set = emptyRuleSet();
  set.files = 1;
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  const { documents, errors } = parseYaml(text, file, limits);
  set.errors.push(...errors);
  set.documents = documents.length + errors.length;
  // Sigma 1 collection state (pySigma's semantics).
  let template: YNode | null = null;
  let previous: MapNode | null = null;
  const pending: (YamlDocument | null)[] = documents;
  for (let i = 0; i < pending.length; i++) {
    const doc = pending[i]!;
    // Each document's tree is let go once its rule is built: a file of many documents never holds every tree at
    // once next to the rules built from them.
    pending[i] = null;
    if (!doc.root) continue; // an empty document (e.g. a trailing ---)
    if (doc.root.kind !== 'map') {
      set.errors.push(new SigmaError('DOCUMENT_TYPE', 'a Sigma document must be a mapping of keys (title, logsource, detection, ...)', doc.loc));
      continue;
    }
    let root: MapNode = doc.root;
    const action = mapGet(root, 'action');
    if (action) {
      const name = action.value.kind === 'scalar' ? action.value.value : null;
      const rest: MapNode = { ...root, entries: root.entries.filter((e) => e.key !== 'action') };
      if (name === 'global') {
        template = rest;
        continue;
      }
      if (name === 'reset') {
        template = null;
        continue;
      }
      if (name === 'repeat') {
        if (!previous) {
          set.errors.push(new SigmaError('INVALID_ACTION', '"action: repeat" needs a rule document before it to repeat', action.keyLoc));
          continue;
        }
        root = deepMerge(previous, rest) as MapNode;
      } else {
        set.errors.push(new SigmaError('INVALID_ACTION', `unknown action "${String(name)}": Sigma 1 collections know global, reset and repeat`, action.keyLoc));
        continue;
      }
    } else if (template && !mapGet(root, 'correlation') && !mapGet(root, 'filter')) {
      root = deepMerge(template, root) as MapNode;
    }
    // `repeat` builds on the previous rule document as written, whether or not that document loaded (pySigma keeps
    // it too): skipping a broken one would silently repeat an earlier, unrelated rule.
    if (!mapGet(root, 'correlation') && !mapGet(root, 'filter')) previous = root;
    const result = classify(root, doc.index, doc.loc, options);
    set.errors.push(...result.errors);
    options.inspect?.({ root, file, index: doc.index, loaded: result.document });
    if (result.document?.kind === 'rule') {
      set.rules.push(result.document);
    } else if (result.document?.kind === 'correlation') set.correlations.push(result.document);
    else if (result.document?.kind === 'filter') set.filters.push(result.document);
  }
  return set;
}

/** Merge rule sets (files of one load) and apply every filter to the rules it names. */
export function combineRuleSets(sets: readonly RuleSet[]): RuleSet {
  const out = emptyRuleSet();
  for (const s of sets) {
    out.rules.push(...s.rules);
    out.correlations.push(...s.correlations);
    out.filters.push(...s.filters);
    out.errors.push(...s.errors);
    out.files += s.files;
    out.documents += s.documents;
  }
  applyFilters(out.rules, out.filters);
  return out;
}

/** Parse texts (no file system) into one rule set with filters applied. */
export function loadRulesFromText(texts: string | readonly (string | { text: string; name?: string })[], options: LoadOptions = {}): RuleSet {
  const list = typeof texts === 'string' ? [texts] : texts;
  return combineRuleSets(list.map((t) => (typeof t === 'string' ? parseRuleText(t, undefined, options) : parseRuleText(t.text, t.name, options))));
}

/** pySigma's containment: `outer` contains `inner` when every field outer sets is equal in inner. */
export function logSourceContains(outer: LogSource, inner: LogSource): boolean {
  for (const key of ['category', 'product', 'service'] as const) {
    if (outer[key] !== undefined && outer[key] !== inner[key]) return false;
  }
  return true;
}

function renameCondition(node: ConditionNode, rename: (n: string) => string): ConditionNode {
  switch (node.kind) {
    case 'ref':
      return { kind: 'ref', name: rename(node.name) };
    case 'of':
      return { ...node, names: node.names.map(rename) };
    case 'not':
      return { kind: 'not', arg: renameCondition(node.arg, rename) };
    case 'and':
    case 'or':
      return { kind: node.kind, args: node.args.map((a) => renameCondition(a, rename)) };
  }
}

/**
 * Filters as pySigma applies them: the filter's search identifiers are copied into each rule it applies to under
 * `_filt<k>_` names (the leading underscore keeps them out of the rule's own `them` and patterns), and the rule's
 * condition becomes `(rule condition) and (filter condition)`.
 */
export function applyFilters(rules: SigmaRule[], filters: readonly SigmaFilter[]): void {
  filters.forEach((filter, k) => {
    const prefix = `_filt${k}_`;
    const rename = (n: string): string => prefix + n;
    const condition = renameCondition(filter.condition, rename);
    const detections: Detection[] = filter.detections.map((d) => ({ ...d, name: rename(d.name), added: true }));
    for (const rule of rules) {
      const named = filter.rules.length === 0 || filter.rules.some((r) => r === rule.id || (rule.name !== undefined && r === rule.name));
      if (!named || !logSourceContains(filter.logsource, rule.logsource)) continue;
      rule.detections = [...rule.detections, ...detections];
      rule.condition = { kind: 'and', args: [rule.condition, condition] };
      rule.appliedFilters = [...rule.appliedFilters, filter.id ?? filter.title];
    }
  });
}
