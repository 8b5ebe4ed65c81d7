// Keeps the constants the host and the VM share in one place each:
//   assembly/context.ts   -> src/runtime/context.ts   (the VM owns the context block layout)
//   src/compiler/format.ts -> assembly/vm/format.ts   (the compiler owns the program format)
//   src/input/evtx/format.ts -> assembly/evtx/format.ts (the .evtx format's numbers, one list for both decoders)
// Usage: node scripts/gen-mirrors.mjs   (test/vm/mirrors.test.ts fails when a mirror is stale)
import { readFileSync, writeFileSync } from 'node:fs';

export function contextToTs(source) {
  const out = ['// GENERATED from assembly/context.ts by scripts/gen-mirrors.mjs. Do not edit.', ''];
  for (const line of source.split('\n')) {
    const m = /^@inline export const (\w+): \w+ = (.+);$/.exec(line);
    if (m) out.push(`export const ${m[1]} = ${m[2]};`);
    else if (line.startsWith('//')) out.push(line);
    else if (line.trim() === '') out.push('');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

export function formatToAs(source, from = 'src/compiler/format.ts') {
  const out = [`// GENERATED from ${from} by scripts/gen-mirrors.mjs. Do not edit.`, ''];
  let inHeader = true;
  for (const line of source.split('\n')) {
    if (inHeader) {
      if (line.startsWith(' */')) inHeader = false;
      continue;
    }
    const m = /^export const (\w+) = (.+);$/.exec(line);
    const t = line.trim();
    if (m) out.push(`@inline export const ${m[1]}: u32 = ${m[2]};`);
    else if (t.startsWith('/**') && t.endsWith('*/')) out.push('// ' + t.slice(3, -2).trim());
    else if (t.startsWith('/**')) out.push('// ' + t.slice(3).trim());
    else if (t.startsWith('*/')) continue;
    else if (t.startsWith('*')) out.push('// ' + t.slice(1).trim());
    else out.push(line);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync('src/runtime/context.ts', contextToTs(readFileSync('assembly/context.ts', 'utf8')));
  writeFileSync('assembly/vm/format.ts', formatToAs(readFileSync('src/compiler/format.ts', 'utf8')));
  writeFileSync('assembly/evtx/format.ts', formatToAs(readFileSync('src/input/evtx/format.ts', 'utf8'), 'src/input/evtx/format.ts'));
  console.log('mirrors written');
}
