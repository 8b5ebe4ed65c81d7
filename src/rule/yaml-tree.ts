/**
 * YAML text -> a small tree of maps, sequences and scalars that keeps every node's source position and key order.
 * Rule parsing works on this tree so every error can say file:line:column, and every resource is bounded here:
 * text size, node count (alias bombs), nesting depth. The yaml package does the parsing; we never let its
 * exceptions or pretty-printer near hostile input (its pretty errors can exhaust memory on deep nesting).
 */
import { Composer, CST, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Parser, visit, type Alias, type Document, type Node as YamlNode, type Scalar } from 'yaml';
import { SigmaError, type SourceLocation } from './errors.js';
import { readBlockYaml } from './yaml-block.js';
import { utf8Length } from '../text/utf8.js';
import { packedLength, ScalarListBuilder, scalarListOf, scalarNode, type YamlDocument, type YamlLimits, type YEntry, type YNode } from './yaml-node.js';

export type { YamlDocument, YamlLimits, YEntry, YNode, YScalarValue } from './yaml-node.js';

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxBytes: 16 * 1024 * 1024,
  maxNodes: 1_000_000,
  maxDepth: 64,
};

/** The most UTF-8 bytes one UTF-16 code unit takes (a surrogate pair: 4 bytes for 2 units). */
const MAX_UTF8_BYTES_PER_UNIT = 3;

function nestingMessage(maxDepth: number): string {
  return `the document nests deeper than ${maxDepth} levels (maps and lists inside each other, aliases included)`;
}

/** The yaml package's words for a repeated key, kept so the message does not depend on who found it. */
const DUPLICATE_KEY_MESSAGE = 'Map keys must be unique';

export interface YamlParseResult {
  documents: YamlDocument[];
  errors: SigmaError[];
}

class Converter {
  private nodes = 0;
  /** Alias -> the node it names, computed in one pass over the document (see resolveAlias). */
  private aliasTargets: Map<Alias, YamlNode | undefined> | null = null;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    private readonly file: string | undefined,
    private readonly limits: YamlLimits,
  ) {}

  loc(offset: number | undefined): SourceLocation {
    const { line, col } = this.lines.linePos(offset ?? 0);
    return { file: this.file, line, column: col };
  }

  /**
   * The node an alias names: the last node with that anchor before the alias, in document order (YAML's rule).
   * `Alias.resolve` walks the whole document on every call, which makes a file of many aliases quadratic; one walk
   * for all of them keeps the work linear in the file.
   */
  private resolveAlias(alias: Alias): YamlNode | undefined {
    if (!this.aliasTargets) {
      const targets = new Map<Alias, YamlNode | undefined>();
      const anchors = new Map<string, YamlNode>();
      visit(this.doc, {
        Node: (_key, node) => {
          if (isAlias(node)) targets.set(node, anchors.get(node.source));
          else if (typeof node.anchor === 'string') anchors.set(node.anchor, node);
        },
      });
      this.aliasTargets = targets;
    }
    return this.aliasTargets.get(alias);
  }

  /**
   * A sequence of scalars (no alias among them) held packed, as the block reader holds it: a 100,000-value list
   * is then parallel arrays rather than a node and a location per item; null when an item is not such a scalar.
   */
  private scalarList(items: readonly unknown[]): readonly YNode[] | null {
    if (!items.every((item) => isScalar(item))) return null;
    if (this.nodes + items.length > this.limits.maxNodes) return null; // convert() reports the limit where it is hit
    const builder = new ScalarListBuilder(this.file);
    for (const item of items as Scalar[]) {
      if (!builder.add(scalarNode(item.value, typeof item.source === 'string' ? item.source : undefined, this.loc(item.range?.[0])))) return null;
    }
    this.nodes += items.length;
    return builder.finish().items();
  }

  convert(node: unknown, depth: number): YNode {
    if (++this.nodes > this.limits.maxNodes) {
      throw new SigmaError('YAML_LIMIT', `the document expands into more than ${this.limits.maxNodes} nodes (an alias bomb?)`, this.loc((node as YamlNode)?.range?.[0]));
    }
    if (depth > this.limits.maxDepth) {
      throw new SigmaError('YAML_LIMIT', nestingMessage(this.limits.maxDepth), this.loc((node as YamlNode)?.range?.[0]));
    }
    if (isAlias(node)) {
      const target = this.resolveAlias(node);
      if (!target) throw new SigmaError('YAML_SYNTAX', `unresolved alias *${node.source}`, this.loc(node.range?.[0]));
      return this.convert(target, depth + 1);
    }
    if (isScalar(node)) return scalarNode(node.value, typeof node.source === 'string' ? node.source : undefined, this.loc(node.range?.[0]));
    if (isMap(node)) {
      const entries: YEntry[] = [];
      // Keys are checked for uniqueness here, with a set, rather than by the yaml package (`uniqueKeys`), which
      // compares each key with every key before it: quadratic in the keys of a mapping. Equal as the package's
      // default check has it: the same scalar value (`1` and "1" differ).
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        let keyText: string;
        const keyOffset = (key as YamlNode | null)?.range?.[0] ?? node.range?.[0];
        if (isScalar(key) || key === null || key === undefined) {
          const keyValue = isScalar(key) ? key.value : null;
          if (keys.has(keyValue)) throw new SigmaError('YAML_SYNTAX', DUPLICATE_KEY_MESSAGE, this.loc(keyOffset));
          keys.add(keyValue);
          keyText = keyValue === null ? '' : String(keyValue);
        } else throw new SigmaError('YAML_SYNTAX', 'a mapping key must be a plain value, not a collection', this.loc(keyOffset));
        const keyLoc = this.loc(keyOffset);
        const value = pair.value === null || pair.value === undefined
          ? { kind: 'scalar' as const, value: null, loc: keyLoc }
          : this.convert(pair.value, depth + 1);
        entries.push({ key: keyText, keyLoc, value });
      }
      return { kind: 'map', entries, loc: this.loc(node.range?.[0]) };
    }
    if (isSeq(node)) {
      const loc = this.loc(node.range?.[0]);
      const packed = node.items.length >= packedLength(this.limits) && depth + 1 <= this.limits.maxDepth ? this.scalarList(node.items) : null;
      return { kind: 'seq', items: (packed as YNode[] | null) ?? node.items.map((item) => this.convert(item, depth + 1)), loc };
    }
    if (node === null || node === undefined) return { kind: 'scalar', value: null, loc: this.loc(0) };
    throw new SigmaError('YAML_SYNTAX', 'unsupported YAML node', this.loc(0));
  }
}

/**
 * Parse every document of a YAML text. Errors are returned, never thrown. The block style rule files are written in
 * is read by the lean reader (yaml-block.ts); anything else, and every error, by the yaml package.
 */
export function parseYaml(text: string, file: string | undefined, limits: YamlLimits = DEFAULT_YAML_LIMITS): YamlParseResult {
  // A UTF-16 unit is at most 3 bytes of UTF-8: a text that short is within the limit without measuring it.
  if (text.length * MAX_UTF8_BYTES_PER_UNIT > limits.maxBytes && utf8Length(text, limits.maxBytes) > limits.maxBytes) {
    return {
      documents: [],
      errors: [new SigmaError('YAML_LIMIT', `the file is larger than the limit of ${limits.maxBytes} bytes (UTF-8)`, { file, line: 1, column: 1 })],
    };
  }
  const documents = readBlockYaml(text, file, limits);
  return documents ? { documents, errors: [] } : parseYamlWithPackage(text, file, limits);
}

/**
 * Where the yaml package's parser may hold more open collections than the depth limit allows: the limit, plus
 * the document and a node being read. Past it, a node deeper than the limit has been read.
 */
const PARSER_STACK_SLACK = 2;

/**
 * The offset of the first node (in document order) nested deeper than `maxDepth` in a token tree whose root is at
 * `depth`, counted as the converter counts (a document's content at depth 0, each map value and sequence item one
 * deeper; keys are not descended), or -1. Iterative: the tree may be far deeper than the call stack.
 */
function firstTooDeep(root: CST.Token | undefined, depth: number, maxDepth: number): number {
  if (!root) return -1;
  const stack: [CST.Token, number][] = [[root, depth]];
  while (stack.length > 0) {
    const [token, at] = stack.pop()!;
    if (at > maxDepth) return token.offset;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    // Pushed in reverse, so items come off the stack in document order.
    for (let i = token.items.length - 1; i >= 0; i--) {
      const value = token.items[i].value;
      if (value) stack.push([value, at + 1]);
    }
  }
  return -1;
}

/**
 * The same for a document the parser is still reading: its open nodes are on the parser's stack (the document, its
 * content, then one node per level), each holding only the items it has finished.
 */
function firstTooDeepOpen(open: readonly CST.Token[], maxDepth: number): number {
  for (let i = 1; i < open.length; i++) {
    const depth = i - 1;
    if (depth > maxDepth) return open[i].offset;
    const token = open[i];
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    for (const item of token.items) {
      const deep = firstTooDeep(item.value, depth + 1, maxDepth);
      if (deep >= 0) return deep;
    }
  }
  return -1;
}

/** Every document of a YAML text as the yaml package reads it (any YAML; the size limit is the caller's). */
export function parseYamlWithPackage(text: string, file: string | undefined, limits: YamlLimits): YamlParseResult {
  const lines = new LineCounter();
  const documents: YamlDocument[] = [];
  const errors: SigmaError[] = [];
  const where = (offset: number): SourceLocation => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  const tooDeep = (offset: number): SigmaError =>
    new SigmaError('YAML_LIMIT', nestingMessage(limits.maxDepth), where(offset));
  /** Index in the file of each document given to the composer, in order (it hands them back one behind). */
  const composing: number[] = [];
  let index = 0;
  const convert = (doc: Document.Parsed): void => {
    const docIndex = composing.shift()!;
    const converter = new Converter(doc, lines, file, limits);
    const loc = converter.loc(doc.range?.[0]);
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const code = err.code === 'RESOURCE_EXHAUSTION' ? 'YAML_LIMIT' : 'YAML_SYNTAX';
        const message = err.code === 'RESOURCE_EXHAUSTION' ? `the YAML nests too deeply to parse (${err.message})` : err.message;
        errors.push(new SigmaError(code, message, converter.loc(err.pos[0])));
      }
      return;
    }
    try {
      // An empty document (a trailing `---`) holds nothing, as a null document does for PyYAML: no root.
      const empty = doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
      const root = empty ? null : converter.convert(doc.contents, 0);
      documents.push({ index: docIndex, root, loc });
    } catch (e) {
      if (e instanceof SigmaError) errors.push(e);
      else errors.push(new SigmaError('YAML_LIMIT', `the document could not be read: ${(e as Error).message}`, loc));
    }
  };
  // The lexer, parser and composer are driven one token at a time (what parseAllDocuments does in one go) so that
  // nesting is bounded before the composer, which recurses once per level and would exhaust the call stack, sees
  // it; and a runaway nest (a million `[`) stops the parser rather than filling memory with its tokens: the rest of
  // that document is skipped, and reading resumes with a fresh parser at the next `---`.
  let parser = new Parser(lines.addNewLine);
  lines.addNewLine(0); // as Parser.parse does: the first line starts at 0
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false, strict: true });
  const feed = (token: CST.Token): void => {
    if (token.type === 'document') {
      const deep = firstTooDeep(token.value, 0, limits.maxDepth);
      if (deep >= 0) {
        errors.push(tooDeep(deep));
        index++;
        return;
      }
      composing.push(index++);
    }
    for (const doc of composer.next(token)) convert(doc);
  };
  let offset = 0;
  let skipping = false;
  try {
    for (const lexeme of new Lexer().lex(text)) {
      if (skipping) {
        if (CST.tokenType(lexeme) !== 'doc-start') {
          // Lines are counted as the parser counts them, so positions after the skipped part stay right.
          for (let nl = lexeme.indexOf('\n') + 1; nl !== 0; nl = lexeme.indexOf('\n', nl) + 1) lines.addNewLine(offset + nl);
          offset += lexeme.length;
          continue;
        }
        skipping = false;
        parser = new Parser(lines.addNewLine);
        parser.offset = offset;
      }
      for (const token of parser.next(lexeme)) feed(token);
      offset += lexeme.length;
      if (parser.stack.length > limits.maxDepth + PARSER_STACK_SLACK) {
        const deep = parser.stack[0]?.type === 'document' ? firstTooDeepOpen(parser.stack, limits.maxDepth) : -1;
        errors.push(tooDeep(deep >= 0 ? deep : parser.offset));
        index++;
        skipping = true;
      }
    }
    if (!skipping) for (const token of parser.end()) feed(token);
    for (const doc of composer.end()) convert(doc);
  } catch (e) {
    return { documents, errors: [...errors, new SigmaError('YAML_LIMIT', `the YAML parser gave up: ${(e as Error).message}`, { file, line: 1, column: 1 })] };
  }
  return { documents, errors };
}

/** Plain JavaScript value of a tree (for `raw` rule data and custom keys). */
export function toPlain(node: YNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      // A packed list of scalars gives its values at once, without a node per item on the way.
      return scalarListOf(node.items)?.values.slice() ?? node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) out[e.key] = toPlain(e.value);
      return out;
    }
  }
}

export function mapGet(node: YNode | null | undefined, key: string): YEntry | undefined {
  return node?.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}

/**
 * Deep merge for Sigma 1 collections (pySigma's semantics): maps merge recursively, anything else is replaced by
 * the document's value.
 */
export function deepMerge(base: YNode, override: YNode): YNode {
  if (base.kind !== 'map' || override.kind !== 'map') return override;
  const entries = base.entries.map((e) => ({ ...e }));
  for (const o of override.entries) {
    const existing = entries.find((e) => e.key === o.key);
    if (existing) existing.value = deepMerge(existing.value, o.value);
    else entries.push(o);
  }
  return { kind: 'map', entries, loc: override.loc };
}
