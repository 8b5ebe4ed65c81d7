/**
 * Seeing what pipelines do to a rule: the rule model rendered back to Sigma YAML, and `describeTransformations`
 * (the rule before and after, and every processing item applied). The rendering is Sigma a loader reads back to an
 * equivalent rule: values are written after their modifiers took effect (`CommandLine|contains: x` is written
 * `CommandLine: '*x*'`), with the modifiers that still mean something (re, cidr, fieldref, cased, all, neq, exists,
 * gt..., time parts); search identifiers that are not a plain AND of fields are written as lists of maps. The one
 * shape Sigma cannot write (an `|all` item whose values expand, e.g. `contains|all|windash`) is written with a
 * `# sigmatch:` comment saying so.
 */
import { conditionToString, resolvePattern, type ConditionNode } from '../rule/condition.js';
import { SigmaError } from '../rule/errors.js';
import type { DetectionItem, DetectionNode, SigmaRule } from '../rule/model.js';
import type { SigmaValue } from '../rule/values.js';
import { SigmaString as SigmaStringClass, type SigmaString } from '../rule/sigma-string.js';
import { applyPipelinesToRule } from './apply.js';
import { conditionExprToString } from './condition-expr.js';
import type { ConditionSet, Pipeline, ProcessingItem } from './model.js';
import type { TransformationStep } from './transform.js';

/** Beyond this many alternatives a search identifier is not expanded into a list of maps. */
const MAX_ALTERNATIVES = 256;

const PLAIN_SAFE = /^[A-Za-z_][A-Za-z0-9 _./|()-]*$/;
const YAML_WORDS = /^(?:true|false|null|yes|no|on|off|y|n)$/i;

/** A YAML scalar: plain when unambiguous, single-quoted, or (with control characters) JSON's double-quoted form. */
function scalar(v: unknown): string {
  if (typeof v === 'string') {
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(v)) return JSON.stringify(v);
    if (PLAIN_SAFE.test(v) && !v.endsWith(' ') && !YAML_WORDS.test(v)) return v;
    return `'${v.replace(/'/g, "''")}'`;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v);
}

/**
 * A Sigma string as rule text, escaping only what the Sigma string parser needs (SIGMA.md 1.4): `*` and `?` in
 * text, and a backslash only where the next character would otherwise combine with it (`*`, `?`, `\`), so
 * `C:\Windows\cmd.exe` stays as users write it. Reads back to the same tokens as `SigmaString.toSigma()`.
 */
export function sigmaText(s: SigmaString): string {
  const parts: { text: string; literal: boolean }[] = s.tokens.map((t) =>
    t.kind === 'text' ? { text: t.text, literal: true } : { text: t.kind === 'any' ? '*' : t.kind === 'one' ? '?' : `%${t.name}%`, literal: false },
  );
  let out = '';
  parts.forEach((part, i) => {
    if (!part.literal || !/[*?\\%]/.test(part.text)) {
      out += part.text;
      return;
    }
    const chars = [...part.text];
    const special = (c: string | undefined): boolean => c === '*' || c === '?' || c === '\\' || (c === '%' && s.hasPlaceholders);
    chars.forEach((c, j) => {
      if (c !== '\\' && special(c)) out += `\\${c}`;
      else if (c === '\\') out += special(j + 1 < chars.length ? chars[j + 1] : parts[i + 1]?.text[0]) ? '\\\\' : '\\';
      else out += c;
    });
  });
  return out;
}

/** The modifiers and YAML value of one Sigma value as written in a rule. */
function renderValue(v: SigmaValue): { mods: string[]; value: unknown } | null {
  switch (v.type) {
    case 'string':
      return { mods: v.cased ? ['cased'] : [], value: sigmaText(v.value) };
    case 'number':
      return { mods: [], value: Number.isSafeInteger(v.value) || !/^[0-9]+$/.test(v.text) ? v.value : v.text };
    case 'boolean':
      return { mods: [], value: v.value };
    case 'null':
      return { mods: [], value: null };
    case 'regex': {
      const f = v.regex.flags;
      return { mods: ['re', ...(f.ignoreCase ? ['i'] : []), ...(f.multiline ? ['m'] : []), ...(f.dotAll ? ['s'] : [])], value: v.regex.source };
    }
    case 'cidr':
      return { mods: ['cidr'], value: v.network.text };
    case 'fieldref':
      return { mods: [...(v.position === 'equals' ? [] : [v.position]), 'fieldref', ...(v.cased ? ['cased'] : [])], value: v.field };
    case 'exists':
      return { mods: ['exists'], value: v.value };
    case 'compare':
      return { mods: [v.op], value: v.value };
    case 'timepart':
      return { mods: [v.part, ...(v.op === 'eq' ? [] : [v.op])], value: v.value };
    case 'expansion':
      return null;
  }
}

interface RenderedItem {
  /** Ways to write the item, preferred first: the same values under different (equivalent) keys. Lazy. */
  spellings: Iterable<{ key: string; values: unknown[] }>;
  /** Set when the item cannot be written exactly. */
  note?: string;
  /** Values that are themselves OR-groups (only for the |all + expansion case). */
  groups?: unknown[][];
}

type Shape = 'contains' | 'startswith' | 'endswith';
const SHAPES: readonly Shape[] = ['contains', 'endswith', 'startswith'];

/** Does a shape modifier account for the value's leading / trailing wildcard (so writing it adds nothing)? */
function shaped(v: SigmaValue, shape: Shape): boolean {
  return v.type === 'string' && (shape === 'startswith' || v.value.startsWithAny()) && (shape === 'endswith' || v.value.endsWithAny());
}

/** A string value without the leading / trailing wildcard a shape modifier adds back (null when nothing is left). */
function strip(s: SigmaString, shape: Shape): SigmaString | null {
  const tokens = s.tokens.slice(shape !== 'startswith' ? 1 : 0, shape !== 'endswith' ? s.tokens.length - 1 : s.tokens.length);
  return tokens.length === 0 ? null : new SigmaStringClass(tokens);
}

function renderItem(item: DetectionItem): RenderedItem {
  const flat: SigmaValue[] = [];
  let expandedUnderAll = false;
  for (const v of item.values) {
    if (v.type === 'expansion') {
      if (item.all) expandedUnderAll = true;
      flat.push(...v.values);
    } else flat.push(v);
  }
  const rendered = flat.map((v) => renderValue(v) ?? { mods: [], value: null });
  const mods = rendered[0]?.mods ?? [];
  const modsKey = mods.join('|');
  const mixed = rendered.some((r) => r.mods.join('|') !== modsKey);
  const tail = [...(item.all ? ['all'] : []), ...(item.negated ? ['neq'] : [])];
  const key = (extra: string[]): string => [item.field ?? '', ...extra, ...mods, ...tail].join('|');
  const plain = { key: key([]), values: rendered.map((r) => r.value) };
  const strings = item.field !== null && flat.length > 0 && flat.every((v) => v.type === 'string');
  function* spellings(): Generator<{ key: string; values: unknown[] }> {
    if (!strings) {
      yield plain;
      return;
    }
    // Strings whose wildcards a shape modifier explains are written with it (`Image|endswith: \x.exe`), as rule
    // authors write them; the other equivalent spellings keep keys unique when one field appears twice in a map.
    for (const shape of SHAPES) {
      if (!flat.every((v) => shaped(v, shape))) continue;
      const stripped = flat.map((v) => strip((v as SigmaValue & { type: 'string' }).value, shape));
      if (stripped.every((x) => x !== null)) yield { key: key([shape]), values: stripped.map((x) => sigmaText(x!)) };
    }
    yield plain;
    // A shape modifier adds nothing to values that already start / end with a wildcard.
    for (const shape of SHAPES) if (flat.every((v) => shaped(v, shape))) yield { key: key([shape]), values: plain.values };
  }
  const out: RenderedItem = { spellings: spellings() };
  if (mixed) out.note = 'the values need different modifiers (written with the first value\'s)';
  if (expandedUnderAll) {
    out.note = 'an |all item whose values expand: each group below is one value\'s alternatives (OR), the groups are AND-ed';
    out.spellings = [plain];
    out.groups = item.values.map((v) => (v.type === 'expansion' ? v.values.map((x) => renderValue(x)?.value ?? null) : [renderValue(v)?.value ?? null]));
  }
  return out;
}

/** A detection tree as alternatives (OR) of conjunctions (AND) of items; null when that would be too many. */
function alternatives(node: DetectionNode): DetectionItem[][] | null {
  if (node.kind === 'item') return [[node]];
  const parts = node.children.map(alternatives);
  if (parts.some((p) => p === null)) return null;
  if (node.kind === 'or') {
    const out = (parts as DetectionItem[][][]).flat();
    return out.length > MAX_ALTERNATIVES ? null : out;
  }
  let out: DetectionItem[][] = [[]];
  for (const p of parts as DetectionItem[][][]) {
    out = out.flatMap((a) => p.map((b) => [...a, ...b]));
    if (out.length > MAX_ALTERNATIVES) return null;
  }
  return out;
}

function renderMap(items: DetectionItem[], indent: string, first: string): string[] {
  const lines: string[] = [];
  const keys = new Set<string>();
  items.forEach((item, i) => {
    const r = renderItem(item);
    const lead = i === 0 ? first : indent;
    let preferred: { key: string; values: unknown[] } | undefined;
    let free: { key: string; values: unknown[] } | undefined;
    for (const sp of r.spellings) {
      preferred ??= sp;
      if (!keys.has(sp.key)) {
        free = sp;
        break;
      }
    }
    const chosen = free ?? preferred!;
    if (!free) lines.push(`${indent}# sigmatch: a second "${chosen.key}" entry, AND-ed with the first (a YAML map cannot repeat a key)`);
    keys.add(chosen.key);
    if (r.note) lines.push(`${indent}# sigmatch: ${r.note}`);
    const k = scalar(chosen.key);
    if (r.groups) {
      lines.push(`${lead}${k}:`);
      for (const g of r.groups) {
        lines.push(`${indent}  -`);
        for (const v of g) lines.push(`${indent}    - ${scalar(v)}`);
      }
    } else if (chosen.values.length === 1) lines.push(`${lead}${k}: ${scalar(chosen.values[0])}`);
    else {
      lines.push(`${lead}${k}:`);
      for (const v of chosen.values) lines.push(`${indent}  - ${scalar(v)}`);
    }
  });
  return lines;
}

function isPlainKeywords(item: DetectionItem): boolean {
  return item.field === null && !item.all && !item.negated && item.values.every((v) => v.type === 'string' && !v.cased);
}

function renderDefinition(name: string, root: DetectionNode): string[] {
  const head = `  ${scalar(name)}:`;
  if (root.kind === 'item' && isPlainKeywords(root)) {
    return [head, ...root.values.map((v) => `    - ${scalar(renderValue(v)!.value)}`)];
  }
  const alts = alternatives(root);
  if (!alts) return [head, `    # sigmatch: more than ${MAX_ALTERNATIVES} alternatives; not written out`];
  if (alts.length === 1) return [head, ...renderMap(alts[0], '    ', '    ')];
  const lines = [head];
  for (const a of alts) lines.push(...renderMap(a, '      ', '    - '));
  return lines;
}

/** `x of pattern` nodes whose pattern would now resolve to other names are written out as `(a or b ...)`. */
function explicitSelectors(node: ConditionNode, names: readonly string[]): ConditionNode {
  switch (node.kind) {
    case 'ref':
      return node;
    case 'of': {
      const resolved = resolvePattern(node.pattern, names);
      const same = resolved.length === node.names.length && resolved.every((n) => node.names.includes(n));
      if (same) return node;
      const refs: ConditionNode[] = node.names.map((name) => ({ kind: 'ref', name }));
      return refs.length === 1 ? refs[0] : { kind: node.quantifier === 'all' ? 'and' : 'or', args: refs };
    }
    case 'not':
      return { kind: 'not', arg: explicitSelectors(node.arg, names) };
    case 'and':
    case 'or':
      return { kind: node.kind, args: node.args.map((a) => explicitSelectors(a, names)) };
  }
}

/** Render a rule (as loaded or as transformed) as Sigma YAML. */
export function renderRule(rule: SigmaRule): string {
  const lines: string[] = [];
  if (rule.pipelines !== undefined) {
    lines.push(`# pipelines applied: ${rule.pipelines.length > 0 ? rule.pipelines.join(', ') : '(none matched this rule)'}`);
    lines.push(`# log source routed: ${rule.logsourceRouted ? 'yes (the rule only meets events of its source)' : 'no (the rule meets every event)'}`);
  }
  lines.push(`title: ${scalar(rule.title)}`);
  if (rule.id !== undefined) lines.push(`id: ${scalar(rule.id)}`);
  if (rule.status !== undefined) lines.push(`status: ${scalar(rule.status)}`);
  const ls = Object.entries(rule.logsource).filter(([, v]) => v !== undefined);
  lines.push(ls.length > 0 ? 'logsource:' : 'logsource: {}');
  for (const [k, v] of ls) lines.push(`  ${scalar(k)}: ${scalar(v)}`);
  lines.push('detection:');
  for (const d of rule.detections) lines.push(...renderDefinition(d.name, d.root));
  const names = rule.detections.map((d) => d.name);
  lines.push(`  condition: ${scalar(conditionToString(explicitSelectors(rule.condition, names)))}`);
  if (rule.fields.length > 0) {
    lines.push('fields:');
    for (const f of rule.fields) lines.push(`  - ${scalar(f)}`);
  }
  if (rule.level !== undefined) lines.push(`level: ${scalar(rule.level)}`);
  return lines.join('\n') + '\n';
}

export interface TransformationReport {
  /** The rule as loaded, as Sigma YAML. */
  before: string;
  /** The transformed rule as Sigma YAML; null when a pipeline item rejected the rule. */
  after: string | null;
  rule: SigmaRule | null;
  /** Every processing item applied, in order, with the form of the rule it acted on. */
  steps: TransformationStep[];
  /** The rejection, when an item rejected the rule. */
  error: SigmaError | null;
}

/** What pipelines do to one rule: before and after as Sigma YAML, and the items applied. */
export function describeTransformations(rule: SigmaRule, pipelines: readonly Pipeline[]): TransformationReport {
  const steps: TransformationStep[] = [];
  const before = renderRule(rule);
  try {
    const out = applyPipelinesToRule(rule, pipelines, steps);
    return { before, after: renderRule(out), rule: out, steps, error: null };
  } catch (e) {
    if (e instanceof SigmaError) return { before, after: null, rule: null, steps, error: e };
    throw e;
  }
}

/** A search identifier on one line: `a: x, b: [y, z]`, alternatives separated by ` | `. */
function inlineDefinition(root: DetectionNode): string {
  const alts = alternatives(root);
  if (!alts) return '(large)';
  return alts
    .map((items) =>
      items
        .map((item) => {
          const sp = renderItem(item).spellings[Symbol.iterator]().next().value!;
          const v = sp.values.length === 1 ? scalar(sp.values[0]) : `[${sp.values.map(scalar).join(', ')}]`;
          return `${sp.key}: ${v}`;
        })
        .join(', '),
    )
    .join(' | ');
}

function conditionsText<C extends { type: string }>(label: string, set: ConditionSet<C>, describe: (c: C) => string): string | null {
  if (set.conditions.length === 0) return null;
  const byName = new Map(set.conditions.map((c) => [c.name, describe(c.condition)]));
  const expr = conditionExprToString(set.expr).replace(/[^\s()]+/g, (t) => (byName.has(t) ? byName.get(t)! : t));
  return `${label}: ${set.negate ? `not (${expr})` : expr}`;
}

function describeCondition(c: { type: string } & Record<string, unknown>): string {
  const params = Object.entries(c)
    .filter(([k, v]) => k !== 'type' && k !== 'patterns' && k !== 'pattern' && v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `${c.type}(${params.join(', ')})`;
}

function describeTransformation(item: ProcessingItem): string {
  const t = item.transformation;
  switch (t.type) {
    case 'field_name_mapping':
    case 'field_name_prefix_mapping':
      return [...t.mapping].map(([k, v]) => `${k ?? '(keywords)'} -> ${v.join(' | ')}`).join(', ');
    case 'field_name_prefix':
      return `prefix ${t.prefix}`;
    case 'field_name_suffix':
      return `suffix ${t.suffix}`;
    case 'add_condition':
      return `${t.negated ? 'not ' : ''}${t.detection ? inlineDefinition(t.detection.root) : '(template)'}`;
    case 'change_logsource':
      return Object.entries({ category: t.category, product: t.product, service: t.service }).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(', ');
    case 'replace_string':
      return `/${t.source}/ -> ${JSON.stringify(t.replacementText)}${t.skipSpecial ? ' (plain text only)' : ''}`;
    case 'map_string':
      return [...t.mapping].map(([k, v]) => `${k} -> ${v.join(' | ')}`).join(', ');
    case 'value_placeholders':
      return t.include ? `include ${t.include.join(', ')}` : t.exclude ? `exclude ${t.exclude.join(', ')}` : 'all variables';
    case 'rule_failure':
    case 'detection_item_failure':
      return JSON.stringify(t.message);
    case 'add_field':
    case 'remove_field':
    case 'set_field':
      return t.fields.join(', ');
    case 'drop_detection_item':
      return '';
    case 'nest':
    case 'sigmatch_alternative':
      return `${t.items.length} items`;
  }
}

/** A pipeline's items as text, one block per item (nested items indented): what `sigmatch pipelines show` prints. */
export function describePipeline(pipeline: Pipeline): string {
  const lines = [`${pipeline.name} (priority ${pipeline.priority}, ${pipeline.source})`];
  if (pipeline.description) lines.push(`  ${pipeline.description}`);
  const vars = Object.entries(pipeline.vars);
  if (vars.length > 0) lines.push(`  vars: ${vars.map(([k, v]) => `${k}=[${v.join(', ')}]`).join('; ')}`);
  const walk = (items: readonly ProcessingItem[], indent: string): void => {
    for (const item of items) {
      const what = describeTransformation(item);
      lines.push(`${indent}${item.id ?? `#${item.index}`}: ${item.transformation.type}${what ? ` ${what}` : ''}`);
      for (const c of [
        conditionsText('when rule', item.ruleConditions, describeCondition),
        conditionsText('on items', item.detectionItemConditions, describeCondition),
        conditionsText('on fields', item.fieldNameConditions, describeCondition),
      ]) {
        if (c) lines.push(`${indent}    ${c}`);
      }
      const t = item.transformation;
      if (t.type === 'nest' || t.type === 'sigmatch_alternative') walk(t.items, `${indent}    `);
    }
  };
  walk(pipeline.items, '  ');
  return lines.join('\n') + '\n';
}
