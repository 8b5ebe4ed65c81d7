/**
 * Stream entries as events: each entry holds one event, as JSON in one field (`event` by default, evtx_dump JSON
 * included) or as the entry's own fields. The batch goes to the matcher as NDJSON, one entry per line, so each
 * entry's event must be one line: JSON laid out over several lines (evtx_dump prints it so) is joined, line breaks
 * between tokens becoming spaces, which leaves its meaning unchanged.
 */
import { DEAD_LETTER_CODES, type DeadLetterCode } from './dead-letters.js';
import type { StreamEntry } from './replies.js';

/** Where an entry's event is: the JSON text in one field, or the entry's field/value pairs. */
export type EventSource = { kind: 'field'; name: string } | { kind: 'fields' };

export interface Rejection {
  code: DeadLetterCode;
  message: string;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The event of an entry as one line of JSON (without its line break), or why there is none. */
export function eventLine(entry: StreamEntry, source: EventSource): Uint8Array | Rejection {
  const fields = entry.fields;
  if (fields === null) return { code: DEAD_LETTER_CODES.deleted, message: 'the entry was deleted from the stream before it was processed' };
  if (source.kind === 'fields') return fieldsAsJson(fields);
  let value: Buffer | null = null;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i].length === source.name.length && fields[i].toString('utf8') === source.name) value = fields[i + 1];
  }
  if (value === null) {
    return { code: DEAD_LETTER_CODES.noEvent, message: `the entry has no "${source.name}" field (--fields-as-event reads the entry's fields as the event)` };
  }
  if (isBlank(value)) return { code: DEAD_LETTER_CODES.noEvent, message: `the entry's "${source.name}" field is empty` };
  return oneLine(value);
}

function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== SPACE && b !== TAB && b !== LF && b !== CR) return false;
  return true;
}

/** JSON text with its line breaks outside strings made spaces; a line break inside a string is malformed JSON. */
function oneLine(json: Buffer): Uint8Array | Rejection {
  if (json.indexOf(LF) < 0 && json.indexOf(CR) < 0) return json;
  const out = Buffer.from(json);
  let inString = false;
  for (let i = 0; i < out.length; i++) {
    const b = out[i];
    if (inString) {
      if (b === LF || b === CR || (b === BACKSLASH && (out[i + 1] === LF || out[i + 1] === CR))) {
        return { code: DEAD_LETTER_CODES.malformed, message: 'a line ends inside a JSON string' };
      }
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === LF || b === CR) out[i] = SPACE;
  }
  return out;
}

/** The entry's pairs as a JSON object of strings; a field named more than once holds the list of its values. */
function fieldsAsJson(fields: readonly Buffer[]): Uint8Array {
  // No prototype: a field named __proto__ is a field like any other.
  const event: Record<string, string | string[]> = Object.create(null);
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i].toString('utf8');
    const value = fields[i + 1].toString('utf8');
    const held = event[name];
    if (held === undefined) event[name] = value;
    else if (Array.isArray(held)) held.push(value);
    else event[name] = [held, value];
  }
  return Buffer.from(JSON.stringify(event));
}
