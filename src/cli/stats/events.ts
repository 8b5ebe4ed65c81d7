/**
 * The events of one input, parsed, for commands that look at every event (`sigmatch stats`): the inputs `scan`
 * reads (NDJSON, JSON arrays, concatenated JSON such as evtx_dump output, .evtx; gzip'd or not), read chunk by chunk
 * with the reference readers, so memory stays at one chunk (an .evtx chunk is 64 KiB) plus the events of that chunk.
 */
import { EvtxReader, isEvtx } from '../../input/evtx/index.js';
import { JsonEventReader } from '../../input/json-events.js';
import { evtxInputNote } from '../../runtime/evtx-scanner.js';
import type { InputNote } from '../../runtime/matcher.js';
import { chunksOf, peekable, type EventInput } from '../inputs.js';

export interface EventBatch {
  events: unknown[];
  notes: InputNote[];
  /** Input bytes read for this batch. */
  bytes: number;
}

export async function* inputEvents(input: EventInput, command: string): AsyncGenerator<EventBatch> {
  const chunks = peekable(chunksOf(input, command));
  const head = await chunks.peek();
  if (head === undefined) return;
  if (isEvtx(head)) {
    const reader = new EvtxReader();
    let reported = 0;
    const notes = (): InputNote[] => reader.notes.slice(reported, (reported = reader.notes.length)).map(evtxInputNote);
    for await (const chunk of chunks) yield { events: reader.push(chunk).map((r) => r.event), notes: notes(), bytes: chunk.length };
    yield { events: reader.end().map((r) => r.event), notes: notes(), bytes: 0 };
    return;
  }
  const reader = new JsonEventReader();
  const decoder = new TextDecoder('utf-8');
  let reported = 0;
  const notes = (): InputNote[] => reader.errors.slice(reported, (reported = reader.errors.length)).map((e) => ({ ...e }));
  for await (const chunk of chunks) yield { events: reader.push(decoder.decode(chunk, { stream: true })).map((r) => r.event), notes: notes(), bytes: chunk.length };
  const rest = [...reader.push(decoder.decode()), ...reader.end()];
  yield { events: rest.map((r) => r.event), notes: notes(), bytes: 0 };
}
