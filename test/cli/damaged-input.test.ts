/**
 * A damaged record costs only its own lines, on every path the CLI offers (issue: a malformed first record used to
 * swallow the whole input): files and stdin, gzip, one and two threads, the WASM and the reference engine.
 */
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonLines, runCli, tempFiles } from '../support/cli.js';

const RULE = `title: Whoami
id: 11111111-2222-4333-8444-000000000099
level: high
logsource: {product: windows}
detection:
  sel:
    CommandLine|contains: whoami
  condition: sel
`;

const EVENTS = 3000;
const line = (i: number): string => JSON.stringify({ CommandLine: i % 100 === 0 ? `cmd /c whoami ${i}` : 'x', EventID: 1 });

describe('damaged input on every CLI path', () => {
  const shapes: [string, string, number[]][] = [
    // name, text, the lines the damage covers
    ['a broken first line', ['{"bad json', ...Array.from({ length: EVENTS }, (_, i) => line(i))].join('\n') + '\n', [1, 1]],
    ['an unbalanced first record', ['{"CommandLine": "whoami", "x": [1,', ...Array.from({ length: EVENTS }, (_, i) => line(i))].join('\n') + '\n', [1, 1]],
    ['a pretty record cut short in the middle', [
      ...Array.from({ length: 20 }, (_, i) => JSON.stringify(JSON.parse(line(i)), null, 2)),
      '{\n  "CommandLine": "whoami cut',
      ...Array.from({ length: EVENTS - 20 }, (_, i) => JSON.stringify(JSON.parse(line(i + 20)), null, 2)),
    ].join('\n') + '\n', [81, 82]],
  ];
  for (const [name, text, [first, last]] of shapes) {
    test(name, () => {
      const dir = tempFiles({ 'r.yml': RULE, 'e.json': text });
      writeFileSync(join(dir, 'e.json.gz'), gzipSync(text));
      const runs: [string, string[], string?][] = [
        ['file', [join(dir, 'e.json')]],
        ['gzip', [join(dir, 'e.json.gz')]],
        ['stdin', ['-'], text],
        ['2 threads', ['--threads', '2', join(dir, 'e.json')]],
        ['reference engine', ['--engine', 'reference', join(dir, 'e.json')]],
      ];
      for (const [how, args, input] of runs) {
        const r = runCli(['scan', '-r', join(dir, 'r.yml'), ...args], input !== undefined ? { input } : {});
        expect(r.code, `${how}: ${r.stderr}`).toBe(0);
        expect(jsonLines(r.stdout), how).toHaveLength(EVENTS / 100);
        expect(r.stderr, how).toMatch(new RegExp(`${EVENTS} events`));
        const range = first === last ? `:${first}: ` : `:${first}: .*\\(lines ${first}-${last} skipped\\)`;
        expect(r.stderr, how).toMatch(new RegExp(range));
        expect(r.stderr, how).toMatch(/malformed 1 record/);
      }
    });
  }
});
