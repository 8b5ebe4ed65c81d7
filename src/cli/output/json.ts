/** JSON: one array of hit objects, streamed (each hit written as it comes); `[]` when nothing matched. */
import { hitRecord, StreamWriter, type Output, type OutputStream } from './types.js';

export function jsonOutput(stream: OutputStream): Output {
  const out = new StreamWriter(stream);
  let count = 0;
  let ended = false;
  return {
    hit(h) {
      if (ended) throw new Error('json output: hit() after end()');
      out.write(`${count === 0 ? '[\n' : ',\n'}  ${JSON.stringify(hitRecord(h))}`);
      count++;
    },
    flush: () => out.flush(),
    async end() {
      if (!ended) out.write(count === 0 ? '[]\n' : '\n]\n');
      ended = true;
      await out.flush();
    },
  };
}
