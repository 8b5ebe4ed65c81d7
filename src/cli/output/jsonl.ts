/** JSONL: one JSON object per hit and line, for jq and log pipelines. */
import { hitRecord, StreamWriter, type Output, type OutputStream } from './types.js';

export function jsonlOutput(stream: OutputStream): Output {
  const out = new StreamWriter(stream);
  return {
    hit(h) {
      out.write(`${JSON.stringify(hitRecord(h))}\n`);
    },
    flush: () => out.flush(),
    end: () => out.flush(),
  };
}
