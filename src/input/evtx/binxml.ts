/**
 * Binary XML (MS-EVEN6 BinXml, as .evtx chunks store it) to an element tree. A record's binary XML is a template
 * instance: a template definition (stored once per chunk, referenced by its chunk offset) whose substitution tokens
 * take the instance's values. Definitions are parsed once per chunk into trees with placeholders (TemplateCache),
 * and each record clones its template with the values put in:
 *
 * - an optional substitution whose value is empty (null, empty string, binary or array) is left out;
 * - a binary XML value (type 0x21) becomes the element(s) it encodes (its element starts carry no dependency id);
 * - an element holding an array value of more than one item is repeated once per item (MS-EVEN6 "Array Types"),
 *   the first array of its content, then of its attributes, then recursively; empty string items are left out.
 *
 * Everything is bounded: reads stay inside the chunk (or the value), nesting is limited, and a record's expansion
 * may resolve at most MAX_NODES elements and substitutions (counted the same whether or not its templates were
 * already parsed); anything else is an EvtxFormatError naming the chunk offset.
 */
import * as F from './format.js';
import { EvtxFormatError, arrayItems, checkValue, isArrayType, isEmptyValue, utf16Chars, utf16Text, type EvtxValue } from './values.js';

export interface XmlElement {
  kind: 'element';
  name: string;
  attrs: XmlAttr[];
  children: XmlNode[];
}

export interface XmlAttr {
  name: string;
  value: XmlNode[];
}

export type XmlNode =
  | XmlElement
  | { kind: 'text'; text: string }
  | { kind: 'value'; value: EvtxValue }
  | { kind: 'charref'; code: number }
  | { kind: 'entityref'; name: string }
  | { kind: 'pi' };

/** A substitution token in a template definition. */
export interface Placeholder {
  kind: 'placeholder';
  index: number;
  optional: boolean;
}

export type TemplateNode = Exclude<XmlNode, XmlElement> | TemplateElement | Placeholder;
export interface TemplateElement {
  kind: 'element';
  name: string;
  attrs: { name: string; value: TemplateNode[] }[];
  children: TemplateNode[];
}

/** Deepest element nesting (and template / binary XML nesting) a record may have. */
export const MAX_DEPTH = 64;
/** Most nodes one record may expand to (arrays and nested templates multiply). */
export const MAX_NODES = 1 << 18;

class Cursor {
  constructor(
    readonly chunk: Uint8Array,
    readonly dv: DataView,
    public pos: number,
    readonly end: number,
  ) {}

  need(n: number): void {
    if (this.pos + n > this.end) throw new EvtxFormatError(`binary XML runs past its end (${n} bytes needed)`, this.pos);
  }

  peek(): number {
    this.need(1);
    return this.chunk[this.pos];
  }

  u8(): number {
    this.need(1);
    return this.chunk[this.pos++];
  }

  u16(): number {
    this.need(2);
    const v = this.dv.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** `chars` UTF-16 characters: a name (as stored) or, trimmed, a text. */
  utf16(chars: number, name = false): string {
    this.need(chars * 2);
    const b = this.chunk.subarray(this.pos, this.pos + chars * 2);
    const s = name ? utf16Chars(b) : utf16Text(b);
    this.pos += chars * 2;
    return s;
  }
}

/** Per-chunk state: the chunk's bytes, its names and its parsed template definitions. */
export class ChunkContext {
  readonly dv: DataView;
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, TemplateElement[] | EvtxFormatError>();
  /** Template definitions parsed (for tests: once per chunk each). */
  templatesParsed = 0;

  constructor(readonly chunk: Uint8Array) {
    this.dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }

  cursor(pos: number, end: number): Cursor {
    return new Cursor(this.chunk, this.dv, pos, Math.min(end, this.chunk.length));
  }

  /** The name at a chunk offset: next-string offset, hash, character count, characters, NUL. */
  name(offset: number): string {
    const known = this.names.get(offset);
    if (known !== undefined) return known;
    const c = this.cursor(offset, this.chunk.length);
    c.pos += F.NAME_HEADER_BYTES - 2;
    const name = c.utf16(c.u16(), true);
    this.names.set(offset, name);
    return name;
  }

  /** Read a name reference at the cursor; a name stored in place (its offset is the cursor's) is stepped over. */
  nameRef(c: Cursor): string {
    const offset = c.u32();
    if (offset >= this.chunk.length) throw new EvtxFormatError(`a name offset points outside the chunk (${offset})`, c.pos - 4);
    const name = this.name(offset);
    if (offset === c.pos) {
      c.need(F.NAME_HEADER_BYTES);
      const chars = this.dv.getUint16(c.pos + F.NAME_HEADER_BYTES - 2, true);
      c.pos += F.NAME_HEADER_BYTES + chars * 2 + 2;
      if (c.pos > c.end) throw new EvtxFormatError('a name runs past its end', offset);
    }
    return name;
  }

  template(offset: number, parse: () => TemplateElement[]): TemplateElement[] {
    let t = this.templates.get(offset);
    if (t === undefined) {
      try {
        t = parse();
        this.templatesParsed++;
      } catch (e) {
        if (!(e instanceof EvtxFormatError)) throw e;
        t = e;
      }
      this.templates.set(offset, t);
    }
    if (t instanceof EvtxFormatError) throw t;
    return t;
  }
}

const isToken = (token: number, base: number): boolean => (token & ~F.TOKEN_MORE_FLAG) === base;

/** Parses token streams; `values` are the substitution values of the template instance being read (or none). */
class Parser {
  nodes = 0;

  constructor(readonly ctx: ChunkContext) {}

  count(n = 1): void {
    this.nodes += n;
    if (this.nodes > MAX_NODES) throw new EvtxFormatError(`the record expands to more than ${MAX_NODES} nodes`, 0);
  }

  /** A fragment list (fragment headers, elements, template instances) up to EOF or the end: the root elements. */
  fragment(c: Cursor, inValue: boolean, depth: number): XmlElement[] {
    const out: XmlElement[] = [];
    while (c.pos < c.end) {
      const token = c.peek();
      if (token === F.TOKEN_EOF) {
        c.pos++;
        break;
      }
      if (token === F.TOKEN_FRAGMENT_HEADER) {
        c.need(F.FRAGMENT_HEADER_BYTES);
        c.pos += F.FRAGMENT_HEADER_BYTES;
      } else if (token === F.TOKEN_TEMPLATE_INSTANCE) out.push(...this.instance(c, depth));
      else if (isToken(token, F.TOKEN_OPEN_START)) out.push(...resolveElement(this, this.templateElement(c, inValue, depth), [], depth));
      else if (token === F.TOKEN_PI_TARGET || token === F.TOKEN_PI_DATA) this.pi(c);
      else throw new EvtxFormatError(`unexpected binary XML token 0x${token.toString(16)}`, c.pos);
    }
    return out;
  }

  /** A template instance: its definition (parsed once per chunk), then its values; the resolved root elements. */
  instance(c: Cursor, depth: number): XmlElement[] {
    if (depth > MAX_DEPTH) throw new EvtxFormatError('templates nested too deep', c.pos);
    c.pos++; // token
    c.u8();
    c.u32(); // template identifier
    const definition = c.u32();
    const chunkLength = this.ctx.chunk.length;
    if (definition + F.TEMPLATE_DEFINITION_HEADER_BYTES > chunkLength) throw new EvtxFormatError(`a template definition offset points outside the chunk (${definition})`, c.pos - 4);
    const size = this.ctx.dv.getUint32(definition + F.TEMPLATE_DEFINITION_SIZE, true);
    const bodyStart = definition + F.TEMPLATE_DEFINITION_HEADER_BYTES;
    if (bodyStart + size > chunkLength) throw new EvtxFormatError('a template definition runs past the chunk', definition);
    const roots = this.ctx.template(definition, () => {
      // Parsed on its own, the same wherever it is first used: its elements nest from depth 1.
      const body = this.ctx.cursor(bodyStart, bodyStart + size);
      return this.templateFragment(body, 1);
    });
    // A definition stored in place follows the instance header; the values come after it.
    if (definition === c.pos) c.pos = bodyStart + size;
    const count = c.u32();
    c.need(count * F.DESCRIPTOR_BYTES);
    const descriptors: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      const bytes = c.u16();
      const type = c.u8();
      c.u8();
      descriptors.push([bytes, type]);
    }
    const values: EvtxValue[] = [];
    for (const [bytes, type] of descriptors) {
      c.need(bytes);
      values.push({ type, bytes: this.ctx.chunk.subarray(c.pos, c.pos + bytes), offset: c.pos });
      c.pos += bytes;
    }
    const out: XmlElement[] = [];
    for (const root of roots) out.push(...resolveElement(this, root, values, depth + 1));
    return out;
  }

  /** A template instance's definition and values, unresolved (for tools that re-write records). */
  rawInstance(c: Cursor): { template: TemplateElement; values: EvtxValue[] } {
    const start = c.pos;
    c.pos++;
    c.u8();
    c.u32();
    const definition = c.u32();
    const size = this.ctx.dv.getUint32(definition + F.TEMPLATE_DEFINITION_SIZE, true);
    const bodyStart = definition + F.TEMPLATE_DEFINITION_HEADER_BYTES;
    const roots = this.ctx.template(definition, () => this.templateFragment(this.ctx.cursor(bodyStart, bodyStart + size), 1));
    if (definition === c.pos) c.pos = bodyStart + size;
    const count = c.u32();
    const sizes: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      const bytes = c.u16();
      const type = c.u8();
      c.u8();
      sizes.push([bytes, type]);
    }
    const values = sizes.map(([bytes, type]) => {
      c.need(bytes);
      const v = { type, bytes: this.ctx.chunk.subarray(c.pos, c.pos + bytes), offset: c.pos };
      c.pos += bytes;
      return v;
    });
    if (roots.length !== 1) throw new EvtxFormatError('a template of several roots', start);
    return { template: roots[0], values };
  }

  /** A template definition's body: fragment header(s) and element(s), with placeholders. */
  templateFragment(c: Cursor, depth: number): TemplateElement[] {
    const out: TemplateElement[] = [];
    while (c.pos < c.end) {
      const token = c.peek();
      if (token === F.TOKEN_EOF) break;
      if (token === F.TOKEN_FRAGMENT_HEADER) {
        c.need(F.FRAGMENT_HEADER_BYTES);
        c.pos += F.FRAGMENT_HEADER_BYTES;
      } else if (isToken(token, F.TOKEN_OPEN_START)) out.push(this.templateElement(c, false, depth));
      else if (token === F.TOKEN_PI_TARGET || token === F.TOKEN_PI_DATA) this.pi(c);
      else throw new EvtxFormatError(`unexpected binary XML token 0x${token.toString(16)} in a template`, c.pos);
    }
    return out;
  }

  pi(c: Cursor): void {
    if (c.u8() === F.TOKEN_PI_TARGET) this.ctx.nameRef(c);
    else c.utf16(c.u16());
  }

  /** An element: start tag, attributes, then content up to its end tag (or an empty-element close). */
  templateElement(c: Cursor, inValue: boolean, depth: number): TemplateElement {
    if (depth > MAX_DEPTH) throw new EvtxFormatError('elements nested too deep', c.pos);
    const token = c.u8();
    if (!inValue) c.u16(); // dependency identifier
    c.u32(); // data size
    const el: TemplateElement = { kind: 'element', name: this.ctx.nameRef(c), attrs: [], children: [] };
    if (token & F.TOKEN_MORE_FLAG) {
      c.u32(); // attribute list size
      while (isToken(c.peek(), F.TOKEN_ATTRIBUTE)) {
        c.pos++;
        const attr = { name: this.ctx.nameRef(c), value: [] as TemplateNode[] };
        while (this.contentNode(c, attr.value, false)) {}
        el.attrs.push(attr);
      }
    }
    const close = c.u8();
    if (close === F.TOKEN_CLOSE_EMPTY) return el;
    if (close !== F.TOKEN_CLOSE_START) throw new EvtxFormatError(`expected the end of a start tag, found token 0x${close.toString(16)}`, c.pos - 1);
    for (;;) {
      const t = c.peek();
      if (t === F.TOKEN_END_ELEMENT) {
        c.pos++;
        return el;
      }
      if (isToken(t, F.TOKEN_OPEN_START)) el.children.push(this.templateElement(c, inValue, depth + 1));
      else if (t === F.TOKEN_TEMPLATE_INSTANCE) el.children.push(...this.instance(c, depth + 1));
      else if (t === F.TOKEN_PI_TARGET || t === F.TOKEN_PI_DATA) {
        this.pi(c);
        el.children.push({ kind: 'pi' });
      } else if (!this.contentNode(c, el.children, true)) throw new EvtxFormatError(`unexpected binary XML token 0x${t.toString(16)} in element content`, c.pos);
    }
  }

  /** A text-like node (value text, CDATA, substitution, character or entity reference); false if the next token is not one. */
  contentNode(c: Cursor, out: TemplateNode[], cdata: boolean): boolean {
    const t = c.peek();
    if (isToken(t, F.TOKEN_VALUE)) {
      c.pos++;
      const type = c.u8();
      if (type !== F.TYPE_STRING) throw new EvtxFormatError(`a value token of type 0x${type.toString(16)} (only strings are written in place)`, c.pos - 1);
      out.push({ kind: 'text', text: c.utf16(c.u16()) });
    } else if (cdata && isToken(t, F.TOKEN_CDATA)) {
      c.pos++;
      out.push({ kind: 'text', text: c.utf16(c.u16()) });
    } else if (t === F.TOKEN_NORMAL_SUBSTITUTION || t === F.TOKEN_OPTIONAL_SUBSTITUTION) {
      c.pos++;
      const index = c.u16();
      c.u8(); // the declared type: the instance's descriptor decides
      out.push({ kind: 'placeholder', index, optional: t === F.TOKEN_OPTIONAL_SUBSTITUTION });
    } else if (isToken(t, F.TOKEN_CHAR_REF)) {
      c.pos++;
      out.push({ kind: 'charref', code: c.u16() });
    } else if (isToken(t, F.TOKEN_ENTITY_REF)) {
      c.pos++;
      out.push({ kind: 'entityref', name: this.ctx.nameRef(c) });
    } else return false;
    return true;
  }
}

/** Content nodes with the placeholders replaced by the instance's values. */
function resolveNodes(p: Parser, nodes: readonly TemplateNode[], values: readonly EvtxValue[], depth: number): XmlNode[] {
  const out: XmlNode[] = [];
  for (const n of nodes) {
    if (n.kind === 'element') out.push(...resolveElement(p, n, values, depth + 1));
    else if (n.kind !== 'placeholder') out.push(n);
    else {
      const v = values[n.index];
      if (v === undefined) continue;
      if (n.optional && isEmptyValue(v)) continue;
      p.count();
      if (v.type === F.TYPE_BINXML) {
        if (v.bytes.length === 0) continue;
        const start = v.bytes.byteOffset - p.ctx.chunk.byteOffset;
        if (depth > MAX_DEPTH) throw new EvtxFormatError('binary XML values nested too deep', start);
        out.push(...p.fragment(p.ctx.cursor(start, start + v.bytes.length), true, depth + 1));
      } else {
        checkValue(v);
        out.push(v.type === F.TYPE_STRING ? { kind: 'text', text: utf16Text(v.bytes) } : { kind: 'value', value: v });
      }
    }
  }
  return out;
}

/** An element with its placeholders resolved, repeated once per item of each array it holds. */
function resolveElement(p: Parser, el: TemplateElement, values: readonly EvtxValue[], depth: number): XmlElement[] {
  p.count();
  const resolved: XmlElement = {
    kind: 'element',
    name: el.name,
    attrs: el.attrs.map((a) => ({ name: a.name, value: resolveNodes(p, a.value, values, depth) })),
    children: resolveNodes(p, el.children, values, depth),
  };
  return expandArrays(p, resolved);
}

function arrayLength(n: XmlNode): number {
  return n.kind === 'value' && isArrayType(n.value.type) ? arrayItems(n.value).length : 0;
}

/** Repeat an element once per item of its first array of more than one item (children first, then attributes). */
function expandArrays(p: Parser, el: XmlElement): XmlElement[] {
  let where: { attr: number; index: number } | null = null;
  el.children.forEach((n, i) => {
    if (where === null && arrayLength(n) > 1) where = { attr: -1, index: i };
  });
  el.attrs.forEach((a, ai) =>
    a.value.forEach((n, i) => {
      if (where === null && arrayLength(n) > 1) where = { attr: ai, index: i };
    }),
  );
  if (where === null) return [el];
  const at: { attr: number; index: number } = where;
  const list = at.attr < 0 ? el.children : el.attrs[at.attr].value;
  const array = list[at.index] as { kind: 'value'; value: EvtxValue };
  const out: XmlElement[] = [];
  for (const item of arrayItems(array.value)) {
    p.count();
    const replacement: XmlNode[] =
      item.type === F.TYPE_STRING ? (isEmptyValue(item) ? [] : [{ kind: 'text', text: utf16Text(item.bytes) }]) : [{ kind: 'value', value: item }];
    const copy: XmlElement = { kind: 'element', name: el.name, attrs: [], children: el.children };
    if (at.attr < 0) copy.children = [...el.children.slice(0, at.index), ...replacement, ...el.children.slice(at.index + 1)];
    el.attrs.forEach((a, ai) => {
      const value = ai === at.attr ? [...a.value.slice(0, at.index), ...replacement, ...a.value.slice(at.index + 1)] : a.value;
      if (ai !== at.attr || value.length > 0) copy.attrs.push({ name: a.name, value });
    });
    out.push(...expandArrays(p, copy));
  }
  return out;
}

/**
 * The root element of a record's binary XML ([start, end) of the chunk), or an EvtxFormatError. The parse counts
 * against MAX_NODES; templates come from (and go into) the chunk's cache.
 */
export function parseRecordXml(ctx: ChunkContext, start: number, end: number): XmlElement {
  const p = new Parser(ctx);
  const roots = p.fragment(ctx.cursor(start, end), false, 0);
  if (roots.length === 0) throw new EvtxFormatError('the record holds no element', start);
  return roots[0];
}

/**
 * The template instance of binary XML at [start, end) (fragment headers, then the instance), unresolved: its
 * template (with placeholders) and its values. For tools that re-write records (the bench's dense logs).
 */
export function readRawInstance(ctx: ChunkContext, start: number, end: number): { template: TemplateElement; values: EvtxValue[] } {
  const c = ctx.cursor(start, end);
  while (c.peek() === F.TOKEN_FRAGMENT_HEADER) c.pos += F.FRAGMENT_HEADER_BYTES;
  if (c.peek() !== F.TOKEN_TEMPLATE_INSTANCE) throw new EvtxFormatError('not a template instance', c.pos);
  return new Parser(ctx).rawInstance(c);
}

/** Where a template's System holds EventRecordID and TimeCreated/@SystemTime (value indices; -1: not one value). */
const systemIndices = new WeakMap<TemplateElement, { recordId: number; time: number }>();

function placeholderOnly(nodes: readonly TemplateNode[] | undefined): number {
  return nodes !== undefined && nodes.length === 1 && nodes[0].kind === 'placeholder' ? nodes[0].index : -1;
}

/**
 * The values of a record's EventRecordID and TimeCreated/@SystemTime when its template holds each as one
 * substitution (the usual System template), without resolving the record: its instance's values are read, its
 * template comes from the chunk's cache. Undefined for what the record does not hold that way.
 */
export function recordSystemValues(ctx: ChunkContext, start: number, end: number): { recordId?: EvtxValue; time?: EvtxValue } {
  const raw = readRawInstance(ctx, start, end);
  let at = systemIndices.get(raw.template);
  if (at === undefined) {
    const children = (el: TemplateElement | undefined): TemplateElement[] => (el?.children ?? []).filter((n): n is TemplateElement => n.kind === 'element');
    const system = children(raw.template).find((c) => c.name === 'System');
    const record = children(system).find((c) => c.name === 'EventRecordID');
    const created = children(system).find((c) => c.name === 'TimeCreated');
    at = { recordId: placeholderOnly(record?.children), time: placeholderOnly(created?.attrs.find((a) => a.name === 'SystemTime')?.value) };
    systemIndices.set(raw.template, at);
  }
  return { recordId: raw.values[at.recordId], time: raw.values[at.time] };
}
