/**
 * A lean reader for the block style of YAML that rule files are written in: block mappings with plain keys, block
 * sequences (`- item`, `- key: value`), single-line plain and quoted scalars, block scalars (`|`, `>`), flow
 * collections on one line (`[a, b]`, `{product: windows}`), comments and `---` between documents. It reads the text once, line by line, straight into the YNode tree, so a rule file costs
 * its tree and no more: the yaml package first builds a token tree (CST) and then a Document, which together cost
 * about 50 times the text (a 16 MB list of values took 1.4 GB).
 *
 * The reader gives the same tree as the yaml package (src/rule/yaml-tree.ts converts its Document) or gives up:
 * anything outside the subset (flow collections over several lines, anchors and aliases, tags, explicit keys,
 * directives, tabs, multi-line plain or quoted scalars, `...`) and anything irregular (bad indentation, duplicate
 * keys, a limit reached) returns null, and the yaml package reads the text instead, with its own errors. It never reports an
 * error itself. Scalar values come from the yaml package's own rules: plain scalars are typed by its core schema,
 * escapes and block scalars are resolved by its scalar resolver.
 */
import { CST, isScalar, Schema, type ScalarTag } from 'yaml';
import type { SourceLocation } from './errors.js';
import { packedLength, ScalarListBuilder, scalarNode, type YamlDocument, type YamlLimits, type YEntry, type YNode } from './yaml-node.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const PERCENT = 0x25;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;
const PIPE = 0x7c;
const GREATER = 0x3e;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Characters that end a plain scalar in a flow collection, or that the flow reader leaves to the yaml package
 * inside one: the flow indicators, `:` (implicit keys, `a:b`), `#` (comments), quotes past its start.
 */
const FLOW_PLAIN_STOP = /[,[\]{}:#'"]/;
const FLOW_INDICATORS = new Set([',', '[', ']', '{', '}']);

/**
 * Characters the reader leaves to the yaml package wherever they appear: tabs (indentation rules), a CR that is not
 * part of CRLF, a BOM inside the text, C0/C1 controls, DEL, U+FFFE/U+FFFF and the Unicode line separators.
 */
const OUTSIDE_SUBSET = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\r(?!\n)/;

/** First characters of a value that are not a plain scalar the reader takes: flow collections, anchors, aliases, tags, reserved. */
const NOT_PLAIN_START = new Set(['[', ']', '{', '}', ',', '&', '*', '!', '%', '@', '`', '#', '|', '>', "'", '"']);
/** First characters of a plain scalar only when a non-space character follows. */
const PLAIN_IF_FOLLOWED = new Set(['-', '?', ':']);

/** Plain scalars that may resolve to something other than a string in the core schema start with one of these. */
const MAYBE_TYPED_START = /^[-+.0-9~nNtTfF]/;

/** The core schema of the yaml package, as it types untagged plain scalars. */
const CORE_TAGS = new Schema({}).tags.filter((tag): tag is ScalarTag => tag.default === true && !tag.collection && tag.test !== undefined);
const RESOLVE_OPTIONS = { intAsBigInt: false };

/** The value of a one-line quoted scalar (`raw` with its quotes), as the yaml package resolves it. */
function quotedValue(raw: string, offset: number, indent: number): string {
  if (raw.charCodeAt(0) === SINGLE_QUOTE) return raw.slice(1, -1).replaceAll("''", "'");
  if (raw.indexOf('\\') < 0) return raw.slice(1, -1);
  return resolveToken({ type: 'double-quoted-scalar', offset, indent, source: raw });
}

/** The reader gives up on the text: the yaml package reads it instead. */
class OutsideSubset extends Error {}

function giveUp(): never {
  throw new OutsideSubset();
}

/** The value of an untagged plain scalar, typed as the yaml package's core schema types it. */
function plainValue(text: string): unknown {
  if (text !== '' && !MAYBE_TYPED_START.test(text)) return text;
  for (const tag of CORE_TAGS) {
    if (tag.test!.test(text)) {
      let failed = false;
      const value: unknown = tag.resolve(text, () => (failed = true), RESOLVE_OPTIONS);
      if (failed) giveUp();
      return isScalar(value) ? value.value : value; // null and booleans come wrapped, keeping their written form

    }
  }
  return text;
}

/** A scalar the yaml package's scalar resolver reads (escapes, block scalars); any complaint gives up. */
function resolveToken(token: CST.FlowScalar | CST.BlockScalar): string {
  let failed = false;
  const resolved = CST.resolveAsScalar(token, true, () => (failed = true));
  if (failed || resolved === null) giveUp();
  return resolved.value;
}

class BlockReader {
  /** Offset of the current line's first character; its end (before CR LF), its first non-space character. */
  private lineStart = 0;
  private lineEnd = 0;
  private first = 0;
  /** 1-based number of the current line. */
  private line = 1;
  private nodes = 0;

  constructor(
    private readonly text: string,
    readonly file: string | undefined,
    readonly limits: YamlLimits,
  ) {
    this.scanLine();
  }

  private get atEnd(): boolean {
    return this.lineStart >= this.text.length;
  }

  private get indent(): number {
    return this.first - this.lineStart;
  }

  private scanLine(): void {
    const text = this.text;
    let end = text.indexOf('\n', this.lineStart);
    if (end < 0) end = text.length;
    this.lineEnd = end > this.lineStart && text.charCodeAt(end - 1) === CR ? end - 1 : end;
    let first = this.lineStart;
    while (first < this.lineEnd && text.charCodeAt(first) === SPACE) first++;
    this.first = first;
  }

  private nextLine(): void {
    const next = this.text.indexOf('\n', this.lineStart);
    this.lineStart = next < 0 ? this.text.length : next + 1;
    this.line++;
    this.scanLine();
  }

  /** Move to the next line with content (not blank, not only a comment). */
  private skipBlank(): void {
    while (!this.atEnd && (this.first === this.lineEnd || this.text.charCodeAt(this.first) === HASH)) this.nextLine();
  }

  /** The location of `offset`, which is on the current line. */
  loc(offset: number): SourceLocation {
    return { file: this.file, line: this.line, column: offset - this.lineStart + 1 };
  }

  /** `---` (or `...`, `%`) at the start of the current line: a document boundary or directive. */
  private atMarker(): 'start' | null {
    if (this.indent !== 0 || this.first === this.lineEnd) return null;
    const c = this.text.charCodeAt(this.lineStart);
    if (c === PERCENT) giveUp();
    if ((c === DASH || c === DOT) && this.text.startsWith(c === DASH ? '---' : '...', this.lineStart)) {
      const after = this.lineStart + 3;
      if (after === this.lineEnd || this.text.charCodeAt(after) === SPACE) {
        if (c === DOT) giveUp();
        return 'start';
      }
    }
    return null;
  }

  count(depth: number): void {
    if (++this.nodes > this.limits.maxNodes || depth > this.limits.maxDepth) giveUp();
  }

  documents(): YamlDocument[] {
    const documents: YamlDocument[] = [];
    this.skipBlank();
    while (!this.atEnd) {
      let docLoc: SourceLocation;
      if (this.atMarker() === 'start') {
        docLoc = this.loc(this.lineStart);
        this.expectNothingFrom(this.lineStart + 3);
        this.nextLine();
        this.skipBlank();
      } else {
        // Only the first document may start without a marker; anything else here is not ours to read.
        if (documents.length > 0) giveUp();
        docLoc = this.loc(this.lineStart);
      }
      let root: YNode | null = null;
      if (!this.atEnd && this.atMarker() === null) {
        this.count(0);
        root = this.block(this.indent, 0);
        this.skipBlank();
        if (!this.atEnd && this.atMarker() === null) giveUp();
      }
      documents.push({ index: documents.length, root, loc: docLoc });
    }
    return documents;
  }

  /** Nothing but spaces and a comment from `offset` to the end of the current line. */
  private expectNothingFrom(offset: number): void {
    let p = offset;
    while (p < this.lineEnd && this.text.charCodeAt(p) === SPACE) p++;
    if (p < this.lineEnd && !(this.text.charCodeAt(p) === HASH && p > offset)) giveUp();
  }

  /** A block collection starting on the current line, at its first non-space character. */
  private block(indent: number, depth: number): YNode {
    if (this.isSeqItem(this.first)) return this.seq(indent, depth);
    const colon = this.keyColon(this.first);
    if (colon < 0) giveUp(); // a scalar on a line of its own (a multi-line value, or a document that is one scalar)
    return this.map(indent, this.first, depth);
  }

  private isSeqItem(at: number): boolean {
    return this.text.charCodeAt(at) === DASH && (at + 1 === this.lineEnd || this.text.charCodeAt(at + 1) === SPACE);
  }

  /**
   * The offset of the `:` ending a plain implicit key that starts at `at`, or -1 when the line holds no key there
   * (a value). A key the reader does not take (quoted, or starting with an indicator) gives up.
   */
  private keyColon(at: number): number {
    const text = this.text;
    let colon = -1;
    for (let p = at; p < this.lineEnd; p++) {
      const ch = text.charCodeAt(p);
      if (ch === COLON && (p + 1 === this.lineEnd || text.charCodeAt(p + 1) === SPACE)) {
        colon = p;
        break;
      }
      if (ch === HASH && p > at && text.charCodeAt(p - 1) === SPACE) break;
    }
    if (colon < 0) return -1;
    const c = text[at];
    if (NOT_PLAIN_START.has(c) || PLAIN_IF_FOLLOWED.has(c)) {
      // `#` first is a comment, `|`/`>` a block scalar header, a quote a quoted scalar (a quoted key gives up where
      // the value ends): values, read as such. Any other indicator first is not ours.
      if (c === '#' || c === '|' || c === '>' || c === "'" || c === '"') return -1;
      giveUp();
    }
    return colon;
  }

  private map(indent: number, firstKey: number, depth: number): YNode {
    const entries: YEntry[] = [];
    const keys = new Set<unknown>();
    const mapLoc = this.loc(firstKey);
    let keyAt = firstKey;
    for (;;) {
      const colon = this.keyColon(keyAt);
      if (colon < 0) giveUp();
      const keyValue = plainValue(this.text.slice(keyAt, colon).trimEnd());
      if (keys.has(keyValue)) giveUp(); // the yaml package reports it
      keys.add(keyValue);
      const keyLoc = this.loc(keyAt);
      const value = this.value(colon + 1, indent, depth + 1, true);
      entries.push({ key: keyValue === null ? '' : String(keyValue), keyLoc, value });
      this.skipBlank();
      if (this.atEnd || this.atMarker() !== null || this.indent < indent) break;
      if (this.indent > indent) giveUp();
      if (this.isSeqItem(this.first)) giveUp(); // a sequence item among the keys
      keyAt = this.first;
    }
    return { kind: 'map', entries, loc: mapLoc };
  }

  private seq(indent: number, depth: number): YNode {
    const items: YNode[] = [];
    // Scalar items go into a packed list (yaml-node.ts ScalarList) until an item that is not one comes.
    let scalars: ScalarListBuilder | null = new ScalarListBuilder(this.file);
    const seqLoc = this.loc(this.first);
    for (;;) {
      const dash = this.first;
      let at = dash + 1;
      while (at < this.lineEnd && this.text.charCodeAt(at) === SPACE) at++;
      if (at < this.lineEnd && this.isSeqItem(at)) giveUp(); // `- - x`: a compact nested sequence
      let item: YNode;
      if (at < this.lineEnd && this.keyColon(at) >= 0) {
        // `- key: value`: a mapping whose keys line up with the first one.
        this.count(depth + 1);
        item = this.map(at - this.lineStart, at, depth + 1);
      } else item = this.value(dash + 1, indent, depth + 1, false);
      if (!scalars?.add(item)) {
        if (scalars) for (const scalar of scalars.finish().items()) items.push(scalar);
        scalars = null;
        items.push(item);
      }
      this.skipBlank();
      if (this.atEnd || this.atMarker() !== null || this.indent < indent) break;
      if (this.indent > indent) giveUp();
      // A line at this indentation that is no item ends the sequence: the next key of the mapping it is the value
      // of (`key:\n- a\nnext: b`); anywhere else the caller finds the line out of place.
      if (!this.isSeqItem(this.first)) break;
    }
    if (scalars) {
      const list = scalars.finish();
      return { kind: 'seq', items: list.length >= packedLength(this.limits) ? (list.items() as YNode[]) : [...list.items()], loc: seqLoc };
    }
    return { kind: 'seq', items, loc: seqLoc };
  }

  /**
   * The value after a key's `:` or an item's `-` at `from` on the current line, in a collection at `indent`; leaves
   * the current line at the first line after the value. In a mapping, a sequence may sit at the keys' indentation.
   */
  private value(from: number, indent: number, depth: number, inMap: boolean): YNode {
    const text = this.text;
    let at = from;
    while (at < this.lineEnd && text.charCodeAt(at) === SPACE) at++;
    if (at === this.lineEnd || (text.charCodeAt(at) === HASH && at > from)) {
      // Nothing on this line: the value is the block below, or empty (null, placed as the yaml package places it).
      const empty = at;
      const emptyLoc = this.loc(empty);
      this.nextLine();
      this.skipBlank();
      if (!this.atEnd && this.atMarker() === null && (this.indent > indent || (inMap && this.indent === indent && this.isSeqItem(this.first)))) {
        this.count(depth);
        return this.block(this.indent, depth);
      }
      this.count(depth);
      return scalarNode(null, '', emptyLoc);
    }
    this.count(depth);
    const c = text.charCodeAt(at);
    if (c === PIPE || c === GREATER) return this.blockScalar(at, indent);
    const loc = this.loc(at);
    let node: YNode;
    if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      const flow = new FlowReader(this, text, at, this.lineEnd, indent);
      node = flow.collection(depth);
      this.expectNothingFrom(flow.pos);
    } else if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
      const close = this.closingQuote(at, c);
      this.expectNothingFrom(close + 1);
      const value = quotedValue(text.slice(at, close + 1), at, indent);
      node = scalarNode(value, value, loc);
    } else {
      const ch = text[at];
      if (NOT_PLAIN_START.has(ch)) giveUp();
      if (PLAIN_IF_FOLLOWED.has(ch) && (at + 1 === this.lineEnd || text.charCodeAt(at + 1) === SPACE)) giveUp();
      let end = this.lineEnd;
      for (let p = at; p < this.lineEnd; p++) {
        const k = text.charCodeAt(p);
        if (k === HASH && text.charCodeAt(p - 1) === SPACE) {
          end = p;
          break;
        }
        // `key: a: b` is a mapping where none may start; `a:` at the end too.
        if (k === COLON && (p + 1 === this.lineEnd || text.charCodeAt(p + 1) === SPACE)) giveUp();
      }
      while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
      const source = text.slice(at, end);
      node = scalarNode(plainValue(source), source, loc);
    }
    this.nextLine();
    this.skipBlank();
    // A more-indented line after a one-line scalar continues it (a multi-line scalar): not ours.
    if (!this.atEnd && this.indent > indent) giveUp();
    return node;
  }

  /** The offset of the quote closing a quoted scalar that opens at `at`; it must close on the same line. */
  closingQuote(at: number, quote: number): number {
    const text = this.text;
    for (let p = at + 1; p < this.lineEnd; p++) {
      const ch = text.charCodeAt(p);
      if (quote === DOUBLE_QUOTE && ch === BACKSLASH) p++;
      else if (ch === quote) {
        if (quote === SINGLE_QUOTE && text.charCodeAt(p + 1) === SINGLE_QUOTE && p + 1 < this.lineEnd) p++;
        else return p;
      }
    }
    return giveUp();
  }

  /** A block scalar whose header is at `at`, in a collection at `indent`: its lines are the ones indented deeper (and blank ones). */
  private blockScalar(at: number, indent: number): YNode {
    const text = this.text;
    const loc = this.loc(at);
    let headerEnd = at + 1;
    while (headerEnd < this.lineEnd && text.charCodeAt(headerEnd) !== SPACE) headerEnd++;
    const header = text.slice(at, headerEnd);
    // Keep chomping (`|+`) keeps the trailing blank lines, whose extent is the yaml lexer's call: not ours.
    if (header.includes('+')) giveUp();
    this.expectNothingFrom(headerEnd);
    this.nextLine();
    const bodyStart = this.lineStart;
    let bodyEnd = bodyStart;
    /** Whether a line of spaces only follows the last line of content (such lines may count as content). */
    let trailingSpaces = false;
    while (!this.atEnd && (this.first === this.lineEnd || this.indent > indent) && this.atMarker() === null) {
      const next = text.indexOf('\n', this.lineStart);
      bodyEnd = next < 0 ? text.length : next + 1;
      if (this.first < this.lineEnd) trailingSpaces = false;
      else if (this.lineEnd > this.lineStart) trailingSpaces = true;
      this.nextLine();
    }
    if (trailingSpaces) giveUp();
    const value = resolveToken({
      type: 'block-scalar',
      offset: at,
      indent,
      props: [{ type: 'block-scalar-header', offset: at, indent, source: header }],
      source: text.slice(bodyStart, bodyEnd),
    });
    this.skipBlank();
    if (!this.atEnd && this.indent > indent) giveUp();
    return scalarNode(value, value, loc);
  }
}

/**
 * A flow collection on one line (`[a, 'b', 1]`, `{product: windows}`, nested ones): its items are one-line
 * scalars or flow collections, separated by `,`. Anything else gives up: a collection over several lines, an
 * empty entry or a trailing comma, comments, explicit or implicit keys in a sequence (`[a: b]`), keys without a
 * value or not plain, `:` not followed by a space in a plain scalar, anchors, tags and aliases.
 */
class FlowReader {
  pos: number;

  constructor(
    private readonly reader: BlockReader,
    private readonly text: string,
    at: number,
    private readonly end: number,
    private readonly indent: number,
  ) {
    this.pos = at;
  }

  private skipSpaces(): void {
    while (this.pos < this.end && this.text.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  /** The collection opening at `pos`, counted at `depth`; leaves `pos` after its closing bracket. */
  collection(depth: number): YNode {
    const text = this.text;
    const open = this.pos;
    const loc = this.reader.loc(open);
    const isMap = text.charCodeAt(open) === OPEN_BRACE;
    const close = isMap ? CLOSE_BRACE : CLOSE_BRACKET;
    this.pos++;
    this.skipSpaces();
    const items: YNode[] = [];
    let scalars: ScalarListBuilder | null = isMap ? null : new ScalarListBuilder(this.reader.file);
    const entries: YEntry[] = [];
    const keys = new Set<unknown>();
    if (this.pos < this.end && text.charCodeAt(this.pos) === close) {
      this.pos++;
      return isMap ? { kind: 'map', entries, loc } : { kind: 'seq', items, loc };
    }
    for (;;) {
      if (isMap) {
        const keyAt = this.pos;
        const key = this.plain();
        if (key === null || this.pos >= this.end || text.charCodeAt(this.pos) !== COLON || text.charCodeAt(this.pos + 1) !== SPACE) giveUp();
        const keyValue = plainValue(key);
        if (keys.has(keyValue)) giveUp(); // the yaml package reports it
        keys.add(keyValue);
        this.pos += 2;
        this.skipSpaces();
        this.reader.count(depth + 1);
        entries.push({ key: keyValue === null ? '' : String(keyValue), keyLoc: this.reader.loc(keyAt), value: this.item(depth + 1) });
      } else {
        this.reader.count(depth + 1);
        const item = this.item(depth + 1);
        // Scalar items go into a packed list, as a block sequence's do, until an item that is not one comes.
        if (scalars !== null && !scalars.add(item)) {
          for (const scalar of scalars.finish().items()) items.push(scalar);
          scalars = null;
        }
        if (scalars === null) items.push(item);
      }
      this.skipSpaces();
      if (this.pos >= this.end) giveUp(); // the collection goes on on the next line
      const c = text.charCodeAt(this.pos++);
      if (c === close) break;
      if (c !== COMMA) giveUp();
      this.skipSpaces();
      if (this.pos >= this.end || text.charCodeAt(this.pos) === close || text.charCodeAt(this.pos) === COMMA) giveUp();
    }
    if (isMap) return { kind: 'map', entries, loc };
    if (scalars === null) return { kind: 'seq', items, loc };
    const list = scalars.finish();
    return { kind: 'seq', items: list.length >= packedLength(this.reader.limits) ? (list.items() as YNode[]) : [...list.items()], loc };
  }

  /** An item at `pos` (after spaces): a quoted or plain scalar, or a nested collection. */
  private item(depth: number): YNode {
    const text = this.text;
    const at = this.pos;
    const c = text.charCodeAt(at);
    if (c === OPEN_BRACKET || c === OPEN_BRACE) return this.collection(depth);
    const loc = this.reader.loc(at);
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
      const closeQuote = this.reader.closingQuote(at, c);
      this.pos = closeQuote + 1;
      const value = quotedValue(text.slice(at, closeQuote + 1), at, this.indent);
      return scalarNode(value, value, loc);
    }
    const source = this.plain();
    if (source === null) giveUp();
    return scalarNode(plainValue(source), source, loc);
  }

  /** A plain scalar at `pos`, up to the next flow indicator (trailing spaces not included); null when there is none. */
  private plain(): string | null {
    const text = this.text;
    const at = this.pos;
    if (at >= this.end) return null;
    const first = text[at];
    if (NOT_PLAIN_START.has(first)) return null;
    // `-x` and `?x` are plain; `- `, `-,`, `? ` and a `:` first are not ours.
    if (PLAIN_IF_FOLLOWED.has(first) && (first === ':' || at + 1 >= this.end || text.charCodeAt(at + 1) === SPACE || FLOW_PLAIN_STOP.test(text[at + 1]))) return null;
    let p = at + 1;
    for (; p < this.end; p++) {
      if (!FLOW_PLAIN_STOP.test(text[p])) continue;
      // `C:\x` and `a:b`: a `:` followed by what may go on a plain scalar is part of it.
      const next = p + 1 < this.end ? text[p + 1] : ' ';
      if (text[p] !== ':' || next === ' ' || FLOW_INDICATORS.has(next)) break;
    }
    // A `:` ends a key (`: `), anything else of the stops is taken by the caller; `:` or `#` elsewhere gives up.
    if (p < this.end && (text.charCodeAt(p) === HASH || text.charCodeAt(p) === SINGLE_QUOTE || text.charCodeAt(p) === DOUBLE_QUOTE)) giveUp();
    if (p < this.end && text.charCodeAt(p) === COLON && text.charCodeAt(p + 1) !== SPACE) giveUp();
    let end = p;
    while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
    this.pos = p;
    return end > at ? text.slice(at, end) : null;
  }
}

/**
 * Every document of a text in the block subset, or null when the text is not (the yaml package reads it then).
 * Limits reached give null too, so the errors for them come from one place.
 */
export function readBlockYaml(text: string, file: string | undefined, limits: YamlLimits): YamlDocument[] | null {
  if (OUTSIDE_SUBSET.test(text)) return null;
  try {
    return new BlockReader(text, file, limits).documents();
  } catch (e) {
    if (e instanceof OutsideSubset) return null;
    throw e;
  }
}

