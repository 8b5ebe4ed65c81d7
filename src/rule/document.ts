/**
 * One YAML document tree -> a SigmaRule, SigmaCorrelation or SigmaFilter, with every problem reported as a
 * SigmaError at its position. A document with errors yields no object; its errors say why.
 */
import { parseCondition, type ConditionNode } from './condition.js';
import { parseDetection } from './detection.js';
import { SigmaError, withContext, type SourceLocation } from './errors.js';
import type { ModifierOptions } from './modifiers.js';
import { parseDuration } from './duration.js';
import type {
  CorrelationBound,
  CorrelationOp,
  CorrelationSettings,
  CorrelationType,
  CorrelationWindow,
  Detection,
  LogSource,
  RelatedRule,
  SigmaCorrelation,
  SigmaDocumentBase,
  SigmaFilter,
  SigmaRule,
} from './model.js';
import { mapGet, toPlain, type YNode } from './yaml-tree.js';

type MapNode = YNode & { kind: 'map' };

export interface DocumentResult {
  document: SigmaRule | SigmaCorrelation | SigmaFilter | null;
  errors: SigmaError[];
}

function optionalString(root: MapNode, key: string, errors: SigmaError[]): string | undefined {
  const e = mapGet(root, key);
  if (!e || (e.value.kind === 'scalar' && e.value.value === null)) return undefined;
  if (e.value.kind !== 'scalar') {
    errors.push(new SigmaError('INVALID_KEY', `"${key}" must be a single value, not a ${e.value.kind === 'map' ? 'mapping' : 'list'}`, e.keyLoc));
    return undefined;
  }
  return String(e.value.value);
}

function stringList(root: MapNode, key: string, errors: SigmaError[]): string[] {
  const e = mapGet(root, key);
  if (!e || (e.value.kind === 'scalar' && e.value.value === null)) return [];
  if (e.value.kind === 'scalar') return [String(e.value.value)];
  if (e.value.kind === 'map') {
    errors.push(new SigmaError('INVALID_KEY', `"${key}" must be a list of values`, e.keyLoc));
    return [];
  }
  return e.value.items.map((i) => (i.kind === 'scalar' ? String(i.value) : JSON.stringify(toPlain(i))));
}

function baseMetadata(root: MapNode, docIndex: number, loc: SourceLocation, errors: SigmaError[]): SigmaDocumentBase {
  const before = errors.length;
  const title = optionalString(root, 'title', errors);
  // A title of the wrong type has its INVALID_KEY already; MISSING_KEY is for an absent or blank one.
  if (errors.length === before && (title === undefined || title.trim() === '')) {
    errors.push(new SigmaError('MISSING_KEY', 'the document has no "title"; every Sigma rule, correlation and filter needs one', loc));
  }
  const related: RelatedRule[] = [];
  const rel = mapGet(root, 'related');
  if (rel && rel.value.kind === 'seq') {
    for (const item of rel.value.items) {
      const id = mapGet(item, 'id');
      const type = mapGet(item, 'type');
      if (id?.value.kind === 'scalar' && type?.value.kind === 'scalar') related.push({ id: String(id.value.value), type: String(type.value.value) });
      else errors.push(new SigmaError('INVALID_KEY', '"related" entries need an "id" and a "type"', item.loc));
    }
  } else if (rel && !(rel.value.kind === 'scalar' && rel.value.value === null)) {
    errors.push(new SigmaError('INVALID_KEY', '"related" must be a list of {id, type}', rel.keyLoc));
  }
  return {
    title: title ?? '',
    id: optionalString(root, 'id', errors),
    name: optionalString(root, 'name', errors),
    description: optionalString(root, 'description', errors),
    status: optionalString(root, 'status', errors),
    level: optionalString(root, 'level', errors),
    author: optionalString(root, 'author', errors),
    date: optionalString(root, 'date', errors),
    modified: optionalString(root, 'modified', errors),
    license: optionalString(root, 'license', errors),
    tags: stringList(root, 'tags', errors),
    references: stringList(root, 'references', errors),
    falsepositives: stringList(root, 'falsepositives', errors),
    fields: stringList(root, 'fields', errors),
    related,
    source: { ...loc, document: docIndex },
    raw: toPlain(root) as Record<string, unknown>,
  };
}

function parseLogSource(root: MapNode, loc: SourceLocation, errors: SigmaError[], required: boolean): LogSource {
  const e = mapGet(root, 'logsource');
  if (!e) {
    if (required) errors.push(new SigmaError('MISSING_KEY', 'the rule has no "logsource"; give at least a product, category or service', loc));
    return {};
  }
  if (e.value.kind !== 'map') {
    errors.push(new SigmaError('INVALID_KEY', '"logsource" must be a mapping (category, product, service, ...)', e.keyLoc));
    return {};
  }
  const out: LogSource = {};
  for (const entry of e.value.entries) {
    if (entry.value.kind !== 'scalar') {
      errors.push(new SigmaError('INVALID_KEY', `logsource "${entry.key}" must be a single value`, entry.keyLoc));
      continue;
    }
    if (entry.value.value !== null) out[entry.key] = String(entry.value.value);
  }
  return out;
}

/** Search identifiers plus condition(s) of a `detection` or `filter` section. */
function parseSearch(
  section: MapNode,
  sectionName: string,
  options: ModifierOptions,
  errors: SigmaError[],
  reserved: readonly string[],
): { detections: Detection[]; condition: ConditionNode | null; conditionText: string[] } {
  const detections: Detection[] = [];
  let conditionEntry;
  for (const entry of section.entries) {
    if (entry.key === 'condition') {
      conditionEntry = entry;
      continue;
    }
    if (entry.key === 'timeframe') {
      errors.push(new SigmaError('UNSUPPORTED_AGGREGATION', '"timeframe" belongs to Sigma 1 aggregations; write a correlation rule instead', entry.keyLoc));
      continue;
    }
    if (reserved.includes(entry.key)) continue;
    const d = parseDetection(entry.key, entry.value, options, errors);
    if (d) detections.push(d);
  }
  if (!conditionEntry) {
    errors.push(new SigmaError('MISSING_KEY', `"${sectionName}" has no "condition"`, section.loc));
    return { detections, condition: null, conditionText: [] };
  }
  const texts: { text: string; loc: SourceLocation }[] = [];
  const c = conditionEntry.value;
  if (c.kind === 'scalar' && typeof c.value === 'string') texts.push({ text: c.value, loc: c.loc });
  else if (c.kind === 'seq' && c.items.length > 0 && c.items.every((i) => i.kind === 'scalar' && typeof i.value === 'string')) {
    for (const i of c.items) if (i.kind === 'scalar') texts.push({ text: String(i.value), loc: i.loc });
  } else {
    errors.push(new SigmaError('INVALID_KEY', '"condition" must be a string or a list of strings', conditionEntry.keyLoc));
    return { detections, condition: null, conditionText: [] };
  }
  // Identifiers are every key of the section, so a condition naming a broken definition reports that definition's
  // error, not a confusing UNKNOWN_IDENTIFIER.
  const identifiers = section.entries.map((e) => e.key).filter((k) => k !== 'condition' && k !== 'timeframe' && !reserved.includes(k));
  const nodes: ConditionNode[] = [];
  for (const { text, loc } of texts) {
    try {
      nodes.push(parseCondition(text, identifiers));
    } catch (e) {
      if (e instanceof SigmaError) errors.push(withContext(e, loc));
      else throw e;
    }
  }
  const condition = nodes.length === 0 ? null : nodes.length === 1 ? nodes[0] : { kind: 'or' as const, args: nodes };
  return { detections, condition, conditionText: texts.map((t) => t.text) };
}

function withRuleContext(errors: SigmaError[], base: SigmaDocumentBase): SigmaError[] {
  return errors.map((e) => withContext(e, { ruleTitle: base.title || undefined, ruleId: base.id, file: base.source.file }));
}

export function parseRuleDocument(root: MapNode, docIndex: number, loc: SourceLocation, options: ModifierOptions): DocumentResult {
  const errors: SigmaError[] = [];
  const base = baseMetadata(root, docIndex, loc, errors);
  const logsource = parseLogSource(root, loc, errors, true);
  const det = mapGet(root, 'detection')!;
  if (det.value.kind !== 'map') {
    errors.push(new SigmaError('INVALID_KEY', '"detection" must be a mapping of search identifiers plus a condition', det.keyLoc));
    return { document: null, errors: withRuleContext(errors, base) };
  }
  const search = parseSearch(det.value, 'detection', options, errors, []);
  if (errors.length > 0 || !search.condition) return { document: null, errors: withRuleContext(errors, base) };
  const rule: SigmaRule = {
    ...base,
    kind: 'rule',
    logsource,
    detections: search.detections,
    condition: search.condition,
    conditionText: search.conditionText,
    appliedFilters: [],
  };
  return { document: rule, errors: [] };
}

export function parseFilterDocument(root: MapNode, docIndex: number, loc: SourceLocation, options: ModifierOptions): DocumentResult {
  const errors: SigmaError[] = [];
  const base = baseMetadata(root, docIndex, loc, errors);
  const logsource = parseLogSource(root, loc, errors, true);
  const f = mapGet(root, 'filter')!;
  if (f.value.kind !== 'map') {
    errors.push(new SigmaError('INVALID_FILTER', '"filter" must be a mapping with rules, search identifiers and a condition', f.keyLoc));
    return { document: null, errors: withRuleContext(errors, base) };
  }
  let rules: string[] = [];
  const r = mapGet(f.value, 'rules');
  if (r) {
    if (r.value.kind === 'scalar') rules = r.value.value === null || r.value.value === 'any' ? [] : [String(r.value.value)];
    else if (r.value.kind === 'seq' && r.value.items.every((i) => i.kind === 'scalar')) rules = r.value.items.map((i) => String((i as { value: unknown }).value));
    else errors.push(new SigmaError('INVALID_FILTER', '"filter.rules" must be a rule id or name, a list of them, or "any"', r.keyLoc));
  }
  const search = parseSearch(f.value, 'filter', options, errors, ['rules']);
  if (errors.length > 0 || !search.condition) return { document: null, errors: withRuleContext(errors, base) };
  return {
    document: { ...base, kind: 'filter', logsource, rules, detections: search.detections, condition: search.condition, conditionText: search.conditionText },
    errors: [],
  };
}

const CORRELATION_TYPES: readonly CorrelationType[] = [
  'event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile', 'value_median',
];
const CORRELATION_OPS: readonly CorrelationOp[] = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];
const LOWER_OPS: readonly CorrelationOp[] = ['gt', 'gte'];
const UPPER_OPS: readonly CorrelationOp[] = ['lt', 'lte'];
const TEMPORAL_TYPES: readonly CorrelationType[] = ['temporal', 'temporal_ordered'];
const VALUE_TYPES: readonly CorrelationType[] = ['value_count', 'value_sum', 'value_avg', 'value_percentile', 'value_median'];
const WINDOWS: readonly CorrelationWindow[] = ['sliding', 'tumbling', 'session'];
/** Custom attributes (top-level keys) a correlation document may set for the engine. */
const SETTING_PREFIX = 'sigmatch.';

export function parseCorrelationDocument(root: MapNode, docIndex: number, loc: SourceLocation): DocumentResult {
  const errors: SigmaError[] = [];
  const base = baseMetadata(root, docIndex, loc, errors);
  const c = mapGet(root, 'correlation')!;
  const bad = (message: string, at: SourceLocation = c.keyLoc): void => {
    errors.push(new SigmaError('INVALID_CORRELATION', message, at));
  };
  if (c.value.kind !== 'map') {
    bad('"correlation" must be a mapping with type, rules, timespan and condition');
    return { document: null, errors: withRuleContext(errors, base) };
  }
  const section = c.value;
  const typeEntry = mapGet(section, 'type');
  const type = typeEntry?.value.kind === 'scalar' ? String(typeEntry.value.value) : undefined;
  if (!type) bad('the correlation has no "type"', section.loc);
  else if (!CORRELATION_TYPES.includes(type as CorrelationType)) bad(`unknown correlation type "${type}": use one of ${CORRELATION_TYPES.join(', ')}`, typeEntry!.keyLoc);

  const listOf = (key: string): string[] | undefined => {
    const e = mapGet(section, key);
    if (!e) return undefined;
    if (e.value.kind === 'scalar' && e.value.value !== null) return [String(e.value.value)];
    if (e.value.kind === 'seq' && e.value.items.every((i) => i.kind === 'scalar')) return e.value.items.map((i) => String((i as { value: unknown }).value));
    bad(`"${key}" must be a name or a list of names`, e.keyLoc);
    return [];
  };
  const rules = listOf('rules');
  if (!rules || rules.length === 0) bad('the correlation lists no "rules"', section.loc);
  const groupBy = listOf('group-by') ?? [];

  const ts = mapGet(section, 'timespan');
  let timespan = 0;
  let timespanText = '';
  if (!ts) bad('the correlation has no "timespan" (e.g. 5m)', section.loc);
  else {
    timespanText = ts.value.kind === 'scalar' ? String(ts.value.value) : '';
    const seconds = parseDuration(timespanText);
    if (seconds === null) bad(`"timespan: ${timespanText}" is not <number><unit> with unit s, m, h, d, w, M or y`, ts.keyLoc);
    else timespan = seconds;
  }

  let condition: SigmaCorrelation['condition'] = null;
  let expression: ConditionNode | undefined;
  const cond = mapGet(section, 'condition');
  const temporal = TEMPORAL_TYPES.includes(type as CorrelationType);
  if (!cond) {
    if (!temporal) bad(`a ${type ?? ''} correlation needs a "condition" such as {gte: 10}`, section.loc);
  } else if (cond.value.kind === 'scalar' && typeof cond.value.value === 'string' && temporal) {
    // pySigma: a boolean expression over the referenced rules (`a and (b or c)`).
    try {
      expression = parseCondition(cond.value.value, rules ?? []);
    } catch (e) {
      bad(`the temporal condition "${cond.value.value}" ${e instanceof SigmaError ? `does not parse: ${e.message}` : 'does not parse'}; it may name only the rules listed`, cond.keyLoc);
    }
  } else if (cond.value.kind !== 'map') {
    bad('"condition" must be a mapping with one operator (gt, gte, lt, lte, eq, neq) and a number, or a range of two', cond.keyLoc);
  } else {
    const ops = cond.value.entries.filter((e) => CORRELATION_OPS.includes(e.key as CorrelationOp));
    const unknown = cond.value.entries.filter((e) => !CORRELATION_OPS.includes(e.key as CorrelationOp) && e.key !== 'field' && e.key !== 'percentile');
    if (unknown.length > 0) bad(`unknown key "${unknown[0].key}" in the correlation condition`, unknown[0].keyLoc);
    const opNames = ops.map((o) => o.key as CorrelationOp);
    const range = ops.length === 2 && opNames.some((o) => LOWER_OPS.includes(o)) && opNames.some((o) => UPPER_OPS.includes(o));
    if (ops.length === 0) bad(`the correlation condition needs an operator of ${CORRELATION_OPS.join(', ')}`, cond.keyLoc);
    else if (ops.length > 1 && !range) {
      bad(`the correlation condition has ${ops.map((o) => o.key).join(' and ')}: give one operator, or a range of gt/gte with lt/lte`, cond.keyLoc);
    } else {
      const bounds: CorrelationBound[] = [];
      for (const o of ops) {
        const v = o.value;
        if (v.kind !== 'scalar' || typeof v.value !== 'number' || !Number.isFinite(v.value)) bad(`"${o.key}" needs a number`, o.keyLoc);
        else bounds.push({ op: o.key as CorrelationOp, value: v.value });
      }
      const field = mapGet(cond.value, 'field');
      let fieldValue: string | string[] | undefined;
      if (field) {
        const plain = toPlain(field.value);
        if (typeof plain === 'string') fieldValue = plain;
        else if (Array.isArray(plain) && plain.length > 0 && plain.every((f) => typeof f === 'string')) fieldValue = plain as string[];
        else bad('"field" must be a field name (or, for value_count, a list of them)', field.keyLoc);
        if (Array.isArray(fieldValue) && type !== 'value_count') bad(`a ${type ?? ''} correlation aggregates one field; "field" is a list`, field.keyLoc);
      }
      const pct = mapGet(cond.value, 'percentile');
      let percentile: number | undefined;
      if (pct) {
        const p = pct.value.kind === 'scalar' ? pct.value.value : null;
        if (typeof p !== 'number' || !(p >= 0 && p <= 100)) bad('"percentile" must be a number from 0 to 100', pct.keyLoc);
        else percentile = p;
      }
      if (bounds.length === ops.length) condition = { bounds, field: fieldValue, percentile };
    }
  }
  if (type && VALUE_TYPES.includes(type as CorrelationType) && condition && condition.field === undefined) bad(`a ${type} correlation needs "field" in its condition`, cond?.keyLoc);

  const aliases: Record<string, Record<string, string>> = {};
  const al = mapGet(section, 'aliases');
  if (al) {
    if (al.value.kind !== 'map') bad('"aliases" must map each alias to {rule: field}', al.keyLoc);
    else {
      for (const a of al.value.entries) {
        if (a.value.kind !== 'map') {
          bad(`alias "${a.key}" must map rule names to field names`, a.keyLoc);
          continue;
        }
        aliases[a.key] = Object.fromEntries(a.value.entries.map((e) => [e.key, String(toPlain(e.value))]));
      }
    }
  }
  const gen = mapGet(section, 'generate');
  let generate = false;
  if (gen) {
    if (gen.value.kind === 'scalar' && typeof gen.value.value === 'boolean') generate = gen.value.value;
    else bad('"generate" must be true or false', gen.keyLoc);
  }
  const settings = parseCorrelationSettings(root, errors);
  if (errors.length > 0) return { document: null, errors: withRuleContext(errors, base) };
  return {
    document: {
      ...base,
      kind: 'correlation',
      type: type as CorrelationType,
      rules: rules ?? [],
      groupBy,
      timespan,
      timespanText,
      condition,
      ...(expression ? { expression } : {}),
      aliases,
      generate,
      settings,
    },
    errors: [],
  };
}

/** The `sigmatch.*` custom attributes of a correlation document (see CorrelationSettings). */
function parseCorrelationSettings(root: MapNode, errors: SigmaError[]): CorrelationSettings {
  const settings: CorrelationSettings = {};
  for (const entry of root.entries) {
    if (!entry.key.startsWith(SETTING_PREFIX)) continue;
    const name = entry.key.slice(SETTING_PREFIX.length);
    const text = entry.value.kind === 'scalar' && entry.value.value !== null ? String(entry.value.value) : '';
    const bad = (message: string): void => {
      errors.push(new SigmaError('INVALID_CORRELATION', `"${entry.key}: ${text}": ${message}`, entry.keyLoc));
    };
    if (name === 'action') {
      if (text === 'alert' || text === 'reset') settings.action = text;
      else bad('the action after an alert is alert (keep the window) or reset (clear it)');
    } else if (name === 'window') {
      if (WINDOWS.includes(text as CorrelationWindow)) settings.window = text as CorrelationWindow;
      else bad(`the window is one of ${WINDOWS.join(', ')}`);
    } else if (name === 'suppress' || name === 'gap') {
      const seconds = parseDuration(text);
      if (seconds === null) bad('a duration is <number><unit> with unit s, m, h, d, w, M or y');
      else settings[name] = seconds;
    } else {
      bad('unknown setting; sigmatch.* settings are action, suppress, window and gap');
    }
  }
  if (settings.gap !== undefined && settings.window !== 'session') {
    errors.push(new SigmaError('INVALID_CORRELATION', '"sigmatch.gap" applies to session windows only (sigmatch.window: session)', mapGet(root, 'sigmatch.gap')!.keyLoc));
  }
  return settings;
}
