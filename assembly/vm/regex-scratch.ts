// The regex predicates share one scratch area for their thread lists, sized for the program's largest regex.
import { regexScratchBytes } from '../regex/pike';
import { OPCODE_MASK, P_REGEX, P_WORD_OPERAND } from './format';
import { constantsBase, predicateCount, predicateRecord } from './program';

export function regexScratchBytesForProgram(): usize {
  let most: usize = 0;
  for (let p: u32 = 0; p < predicateCount; p++) {
    let rec = predicateRecord(p);
    if ((load<u32>(rec) & OPCODE_MASK) != P_REGEX) continue;
    let need = <usize>regexScratchBytes(constantsBase + <usize>load<u32>(rec, P_WORD_OPERAND << 2));
    if (need > most) most = need;
  }
  return most;
}
