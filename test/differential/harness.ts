/**
 * Runs one differential case on every engine and says where they disagree: the reference evaluator (the oracle),
 * the WASM VM over JS objects, and the WASM VM over JSON bytes in several layouts (NDJSON, pretty-printed objects one
 * after another, compact concatenated objects with unusual but valid spellings, a JSON array, NDJSON pushed in
 * chunks), each with the prefilter on and off.
 */
import { readFileSync } from 'node:fs';
import { compileRules, type CompiledRuleSet } from '../../src/compiler/compile.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { Matcher, type Hit, type ScanBatch } from '../../src/runtime/matcher.js';
import { Rng } from '../regex/support.js';

let module: WebAssembly.Module | null = null;

/** The VM module, compiled once for every matcher of the test file. */
export function wasmModule(): WebAssembly.Module {
  module ??= new WebAssembly.Module(readFileSync(new URL('../../build/sigmatch.wasm', import.meta.url)));
  return module;
}

// ---------------------------------------------------------------------------------------------------------------
// Byte layouts
// ---------------------------------------------------------------------------------------------------------------

export interface Layout {
  name: string;
  /** The input bytes (UTF-8, ill-formed on purpose in `concatenated`), in the chunks they are pushed in. */
  chunks: Uint8Array[];
  /** 1-based line each event starts on. */
  lines: number[];
}

const utf8 = new TextEncoder();

const newlines = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
};

/** Join texts with separators, recording the line each text starts on. */
function joined(name: string, texts: string[], separator: (i: number) => string, prefix = '', suffix = '', encode: (t: string) => Uint8Array = (t) => utf8.encode(t)): Layout {
  const parts = [prefix];
  const lines: number[] = [];
  let line = 1 + newlines(prefix);
  texts.forEach((t, i) => {
    if (i > 0) {
      const sep = separator(i);
      parts.push(sep);
      line += newlines(sep);
    }
    lines.push(line);
    parts.push(t);
    line += newlines(t);
  });
  parts.push(suffix);
  return { name, chunks: [encode(parts.join(''))], lines };
}

/** Single bytes that are never valid UTF-8, and the UTF-8 of U+FFFD: each reads as one U+FFFD whatever follows. */
const ILL_FORMED = [[0xff], [0xfe], [0xc0], [0xc1], [0x80], [0xbf], [0xef, 0xbf, 0xbd]];

/** UTF-8, except that a lone surrogate becomes ill-formed bytes (which JSON.parse after TextDecoder reads as U+FFFD,
 * exactly what every engine makes of the lone surrogate itself). */
function encodeIllFormed(text: string, rng: Rng): Uint8Array {
  const pieces: Uint8Array[] = [];
  // Lone surrogates only (a pair is one code point, written as UTF-8 like any other).
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  let last = 0;
  for (const m of text.matchAll(lone)) {
    pieces.push(utf8.encode(text.slice(last, m.index)), Uint8Array.from(rng.pick(ILL_FORMED)));
    last = m.index + 1;
  }
  pieces.push(utf8.encode(text.slice(last)));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Another spelling of a number that JSON.parse reads as the same double. */
function numberSpelling(n: number, rng: Rng): string {
  const plain = JSON.stringify(n);
  if (rng.next() < 0.4) return plain;
  const candidates = Object.is(n, -0) ? ['-0', '-0.0', '-0e5'] : [plain];
  if (Number.isInteger(n) && Math.abs(n) < 1e15) candidates.push(`${plain}.0`, `${plain}e0`, `${plain}0e-1`, `${plain}.000E+0`);
  candidates.push(n.toExponential(), n.toExponential().toUpperCase(), n.toPrecision(17));
  const ok = candidates.filter((c) => {
    try {
      return Object.is(JSON.parse(c), n);
    } catch {
      return false; // `00e-1`: JSON has no leading zeros
    }
  });
  return rng.pick(ok);
}

/** A string literal with some characters written as escapes (`\u0041`, `\/`). */
function stringSpelling(s: string, rng: Rng, escapes: boolean): string {
  const plain = JSON.stringify(s);
  const surrogates = /\\ud[89a-f]/.test(plain);
  if (!surrogates && (!escapes || rng.next() < 0.5)) return plain;
  let out = '"';
  for (const part of plain.slice(1, -1).match(/\\u[0-9a-fA-F]{4}|\\.|[^\\]/gu) ?? []) {
    const code = part.length === 6 ? parseInt(part.slice(2), 16) : -1;
    if (code >= 0xd800 && code <= 0xdfff && (!escapes || rng.next() < 0.7)) {
      out += String.fromCharCode(code); // a lone surrogate written raw: the layout's encoder makes it ill-formed bytes
    } else if (!escapes) {
      out += part;
    } else if (part.length === 1 && rng.next() < 0.2) {
      const code = part.charCodeAt(0);
      out += part === '/' ? '\\/' : `\\u${code.toString(16).padStart(4, '0')}`;
    } else if (part.length === 2 && part.codePointAt(0)! > 0xffff && rng.next() < 0.3) {
      out += `\\u${part.charCodeAt(0).toString(16)}\\u${part.charCodeAt(1).toString(16).toUpperCase()}`;
    } else out += part;
  }
  return out + '"';
}

/**
 * JSON text with random (valid) whitespace, escapes and number spellings; `multiline` allows newlines. Half the
 * records get no `\u` escapes at all (a record with one is never filtered by raw-text keyword atoms).
 */
function writeJson(value: unknown, rng: Rng, multiline: boolean): string {
  const escapes = rng.next() < 0.5;
  const ws = (): string => (rng.next() < 0.7 ? '' : rng.pick(multiline ? [' ', '\t', '\n', '\r\n  '] : [' ', '\t', '  ']));
  // Framing rule 7: outside NDJSON, a line that starts with `{` (or `[` before the format is known) starts a record;
  // a container value is never the first thing on a line inside a record.
  const container = (x: unknown): boolean => typeof x === 'object' && x !== null;
  const wsBefore = (x: unknown): string => (container(x) ? ws().replace(/[\r\n]+/g, ' ') : ws());
  const go = (v: unknown): string => {
    if (v === null || typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return numberSpelling(v, rng);
    if (typeof v === 'string') return stringSpelling(v, rng, escapes);
    if (Array.isArray(v)) return `[${v.map((x, i) => `${i > 0 ? ',' : ''}${wsBefore(x)}${go(x)}${ws()}`).join('')}]`;
    const entries = Object.entries(v as Record<string, unknown>);
    // Now and then a duplicate key before the real one: JSON.parse keeps the last (the scanner falls back).
    const member = ([k, x]: [string, unknown]): string => {
      const dup = rng.next() < 0.03 ? `${stringSpelling(k, rng, escapes)}:${go(rng.pick(['dup', 1, null, [], { b: 'dup' }]))},` : '';
      return `${dup}${stringSpelling(k, rng, escapes)}${ws()}:${wsBefore(x)}${go(x)}${ws()}`;
    };
    return `{${ws()}${entries.map(member).join(`,${ws()}`)}}`;
  };
  return go(value);
}

/** A pretty-printed object always spans lines (`{}` too), so the first record selects the concatenated format. */
const pretty = (e: unknown): string => {
  const text = JSON.stringify(e, null, 2);
  return text.includes('\n') ? text : `${text.slice(0, -1)}\n}`;
};

export function layouts(events: readonly unknown[], seed: number): Layout[] {
  const rng = new Rng(seed);
  const compact = events.map((e) => JSON.stringify(e));
  const ndjson = joined('ndjson', compact, () => '\n', '', '\n');
  // NDJSON with CRLF line ends and byte order marks (whitespace between records), pushed in 1-4 chunks split at
  // arbitrary byte offsets (a split may cut a UTF-8 sequence or a BOM).
  const bom = (): string => (rng.next() < 0.2 ? '\ufeff' : '');
  const bytes = joined('ndjson-chunked', compact, () => `\r\n${bom()}`, bom(), '\r\n').chunks[0];
  const cuts = [...new Set(Array.from({ length: rng.int(4) }, () => rng.int(bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let last = 0;
  for (const c of [...cuts, bytes.length]) {
    pieces.push(bytes.subarray(last, c));
    last = c;
  }
  const concatenatedTexts = events.map((e, i) => (i === 0 ? pretty(e) : writeJson(e, rng, true)));
  return [
    ndjson,
    { name: 'ndjson-chunked', chunks: pieces, lines: ndjson.lines },
    joined('pretty', events.map(pretty), () => '\n'),
    joined('concatenated', concatenatedTexts, () => rng.pick(['', ' ', '\n', '\r\n', '\n\n']), '', '', (t) => encodeIllFormed(t, rng)),
    joined('array', events.map((e) => writeJson(e, rng, false)), () => rng.pick([',', ', ', ',\n', '\n,']), rng.pick(['[', '[\n', ' [ ']), rng.pick([']', '\n]\n'])),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Running and comparing
// ---------------------------------------------------------------------------------------------------------------

const key = (event: number, rule: number): string => `${event}:${rule}`;

const TINY_REGIONS = { input: 64, values: 4, arena: 64, hits: 2, notes: 1 };

export interface Disagreement {
  engine: string;
  missing: string[];
  extra: string[];
  detail?: string;
}

function compare(engine: string, expected: readonly string[], hits: readonly Hit[], detail?: string): Disagreement | null {
  const got = hits.map((h) => key(h.event, h.rule));
  const gotSet = new Set(got);
  const wantSet = new Set(expected);
  const missing = expected.filter((k) => !gotSet.has(k));
  const extra = [...gotSet].filter((k) => !wantSet.has(k));
  // Hits come in event order, then rule order, each once.
  const ordered = hits.every((h, i) => i === 0 || hits[i - 1].event < h.event || (hits[i - 1].event === h.event && hits[i - 1].rule < h.rule));
  if (missing.length === 0 && extra.length === 0 && ordered && got.length === gotSet.size) return null;
  return { engine, missing, extra, detail: ordered ? (got.length === gotSet.size ? detail : `duplicate hits; ${detail ?? ''}`) : `hits out of order; ${detail ?? ''}` };
}

export interface CaseResult {
  /** Reference hits as `event:rule`. */
  expected: string[];
  disagreements: Disagreement[];
}

export interface CaseOptions {
  nullMatchesAbsent: boolean;
  layoutSeed: number;
  /** Which bytes layouts to run (default all). */
  layouts?: readonly string[];
  /** Do not check the hit lines of these layouts (known open issues). */
  skipLines?: (layout: string) => boolean;
}

export async function runCase(rules: readonly SigmaRule[], events: readonly unknown[], options: CaseOptions): Promise<CaseResult> {
  const reference = new ReferenceEvaluator(rules, { nullMatchesAbsent: options.nullMatchesAbsent });
  const expected = events.flatMap((e, i) => reference.match(e).map((m) => key(i, m.index)));
  const compiled: CompiledRuleSet = compileRules(rules);
  const disagreements: Disagreement[] = [];
  const forLayouts = layouts(events, options.layoutSeed).filter((l) => !options.layouts || options.layouts.includes(l.name));
  for (const prefilter of [true, false]) {
    const tag = prefilter ? 'prefilter on' : 'prefilter off';
    // The second matcher starts with tiny regions, so input, value, arena, hit and note growth all run.
    const regions = prefilter ? undefined : TINY_REGIONS;
    const matcher = await Matcher.create(compiled, { nullMatchesAbsent: options.nullMatchesAbsent, prefilter, regions, wasm: wasmModule() });
    const d = compare(`objects, ${tag}`, expected, matcher.match(events));
    if (d) disagreements.push(d);
    // Without the prefilter, the first layout and one other (by seed) suffice: the layouts differ in framing only.
    const scanned = prefilter || forLayouts.length <= 2 ? forLayouts : [forLayouts[0], forLayouts[1 + (options.layoutSeed % (forLayouts.length - 1))]];
    for (const layout of scanned) {
      const session = matcher.scanner();
      // Each chunk is a buffer the caller overwrites once push returns (a reused read buffer): the scanner must have
      // copied whatever it still needs.
      const batches: ScanBatch[] = layout.chunks.map((chunk) => {
        const reused = chunk.slice();
        const batch = session.push(reused);
        reused.fill(GARBAGE_BYTE);
        return batch;
      });
      batches.push(session.end());
      const hits = batches.flatMap((b) => b.hits);
      const notes = batches.flatMap((b) => b.notes);
      const read = batches.reduce((n, b) => n + b.events, 0);
      const engine = `bytes ${layout.name}, ${tag}`;
      if (notes.length > 0 || read !== events.length) {
        disagreements.push({ engine, missing: [], extra: [], detail: `read ${read} of ${events.length} events; notes ${JSON.stringify(notes)}` });
        continue;
      }
      const badLines = options.skipLines?.(layout.name) ? [] : hits.filter((h) => h.line !== layout.lines[h.event]);
      const detail = badLines.length > 0 ? `hit lines ${JSON.stringify(badLines.slice(0, 3))} != event lines ${JSON.stringify(layout.lines)}` : undefined;
      const c = compare(engine, expected, hits, detail) ?? (detail ? { engine, missing: [], extra: [], detail } : null);
      if (c) disagreements.push(c);
    }
  }
  return { expected, disagreements };
}

/** Written over a chunk once pushed: a comma keeps any record that still read it from looking valid. */
const GARBAGE_BYTE = 0x2c;

/** A readable report of a failing case: the rules, the events, and each engine's disagreement. */
export function describeFailure(texts: readonly string[], events: readonly unknown[], options: CaseOptions, result: CaseResult): string {
  const lines = [
    `nullMatchesAbsent: ${options.nullMatchesAbsent}, layoutSeed: ${options.layoutSeed}`,
    `reference hits (event:rule): ${JSON.stringify(result.expected)}`,
    ...result.disagreements.map((d) => `  ${d.engine}: missing ${JSON.stringify(d.missing)} extra ${JSON.stringify(d.extra)}${d.detail ? ` (${d.detail})` : ''}`),
    '--- rules',
    texts.join('--- (next text)\n'),
    '--- events',
    ...events.map((e, i) => `${i}: ${JSON.stringify(e)}`),
  ];
  return lines.join('\n');
}
