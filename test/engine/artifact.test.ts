/** Compiled artifacts: round trip, refusal of foreign and stale files, and the CLI commands around them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import '../../src/index.js';
import { ArtifactError, readArtifact, writeArtifact } from '../../src/compiler/artifact.js';
import { compileRules, type CompiledRuleSet } from '../../src/compiler/compile.js';
import * as F from '../../src/compiler/format.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import { resolvePipelines } from '../../src/pipeline/resolve.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { loadRules } from '../../src/rule/files.js';
import { Matcher } from '../../src/runtime/matcher.js';
import { readJsonEvents } from '../../src/input/json-events.js';
import { jsonLines, ROOT, runCli, tempFiles } from '../support/cli.js';

const rules = loadRules([join(ROOT, 'examples/rules')]).rules;
const sample = readFileSync(join(ROOT, 'examples/events/sample.ndjson'));
const events = readJsonEvents(sample.toString()).events.map((e) => e.event);

describe('artifacts', () => {
  test('a matcher loaded from an artifact gives the same hits as one built from the rules', async () => {
    const compiled = compileRules(rules);
    const artifact = writeArtifact(compiled);
    const fromRules = await Matcher.create(rules);
    const fromArtifact = await Matcher.create(artifact);
    expect(fromArtifact.match(events)).toEqual(fromRules.match(events));
    expect(fromArtifact.scanBytes(sample).hits).toEqual(fromRules.scanBytes(sample).hits);
    expect(fromArtifact.rules.map((r) => [r.id, r.title, r.level, r.author, r.tags])).toEqual(rules.map((r) => [r.id, r.title, r.level, r.author, r.tags]));
  });

  test('a foreign file and a file of another format version are refused with a message to recompile', () => {
    expect(() => readArtifact(new TextEncoder().encode('title: not an artifact'))).toThrow(ArtifactError);
    expect(() => readArtifact(new TextEncoder().encode('title: not an artifact'))).toThrow(/not a sigmatch compiled rule set/);
    const stale = writeArtifact(compileRules(rules));
    new DataView(stale.buffer).setUint32(8, 999, true); // program format version
    expect(() => readArtifact(stale, 'old.sigc')).toThrow(/old\.sigc was compiled for .*program format 999.*recompile/);
    const truncated = writeArtifact(compileRules(rules)).slice(0, 40);
    expect(() => readArtifact(truncated)).toThrow(/truncated|metadata/);
  });

  test('a corrupted artifact is refused by its checksum', async () => {
    const corrupt = writeArtifact(compileRules(rules)).slice();
    corrupt[corrupt.length - 100] ^= 0x01;
    await expect(Matcher.create(corrupt)).rejects.toThrow(/corrupted .*checksum/);
  });

  test('a program whose prefilter or code is damaged is refused by the VM before it runs', async () => {
    const compiled = compileRules(rules);
    const damage = (from: number, to: number): Uint8Array => {
      const p = compiled.program.slice();
      for (let i = from; i < to; i++) p[i] ^= 0xff;
      return p;
    };
    // The last kilobyte is the prefilter's target pool: damaged targets would name sets outside the scratch.
    await expect(Matcher.create({ ...compiled, program: damage(compiled.program.length - 1024, compiled.program.length) })).rejects.toThrow(/not a valid sigmatch program/);
    // The header's section table.
    await expect(Matcher.create({ ...compiled, program: damage(32, 88) })).rejects.toThrow(/not a valid sigmatch program/);
  });

  test('damaged gates, raw keyword filters and Teddy tables are refused by the VM before it runs', async () => {
    const text = `title: Keywords Everywhere
logsource: {product: windows}
detection:
  keywords: ['mimikatz', 'sekurlsa::']
  condition: keywords
---
title: Routed
logsource: {category: process_creation, product: windows}
detection:
  sel:
    CommandLine|contains: 'evil'
  condition: sel
---
title: Routed Without Atoms
logsource: {category: process_creation, product: windows}
detection:
  sel:
    CommandLine|contains: '~'
  condition: sel
`;
    const routed = applyPipelines(loadRulesFromText(text).rules, resolvePipelines(['sysmon']).pipelines).rules;
    const compiled = compileRules(routed);
    await expect(Matcher.create(compiled)).resolves.toBeDefined();
    const view = new DataView(compiled.program.buffer, compiled.program.byteOffset);
    const section = view.getUint32((F.H_SECTIONS + 2 * F.SECTION_PREFILTER) * 4, true);
    const word = (i: number): number => view.getUint32(section + i * 4, true);
    // Header words: 8 gate count, 9 gates, 10 raw keyword filter, 11 every-event filter (src/compiler/prefilter.ts).
    expect(word(8)).toBe(1);
    expect(word(10)).not.toBe(0);
    expect(word(11)).not.toBe(0);
    const damaged = (at: number, value: number): CompiledRuleSet => {
      const program = compiled.program.slice();
      new DataView(program.buffer).setUint32(at, value, true);
      return { ...compiled, program };
    };
    for (const [what, at, value] of [
      ['gate count', section + 8 * 4, 1000],
      ['gates offset', section + 9 * 4, 0x7fffffff],
      ['raw keyword filter offset', section + 10 * 4, 0x7fffffff],
      ['every-event filter offset', section + 11 * 4, 0x7fffffff],
      // The gate's list of rules without sets (the rule without atoms): out of the pool, or longer than the rules.
      ['gate rule list offset', section + (word(9) + 0) * 4, 0x7fffffff],
      ['gate rule list length', section + (word(9) + 1) * 4, 5],
      ['every-event table', section + word(11) * 4, 0x7fffffff],
    ] as const) {
      await expect(Matcher.create(damaged(at, value)), what).rejects.toThrow(/not a valid sigmatch program/);
    }
  });

  test('damaged negative gates are refused by the VM before it runs', async () => {
    const text = `title: Routed
logsource: {category: process_creation, product: windows}
detection:
  sel:
    CommandLine|contains: 'evil'
  condition: sel
---
title: Foreign
logsource: {product: linux}
detection:
  sel:
    CommandLine|contains: 'evil'
  condition: not sel
`;
    const compiled = compileRules(applyPipelines(loadRulesFromText(text).rules, resolvePipelines(['sysmon', 'windows']).pipelines).rules);
    await expect(Matcher.create(compiled)).resolves.toBeDefined();
    const view = new DataView(compiled.program.buffer, compiled.program.byteOffset);
    const section = view.getUint32((F.H_SECTIONS + 2 * F.SECTION_PREFILTER) * 4, true);
    const word = (i: number): number => view.getUint32(section + i * 4, true);
    // Header words: 12 negative gate count, 13 their detections, 14 each rule's gate + 1 (src/compiler/prefilter.ts).
    expect(word(12)).toBe(1);
    expect(word(word(14) + 1)).toBe(1);
    const damaged = (at: number, value: number): CompiledRuleSet => {
      const program = compiled.program.slice();
      new DataView(program.buffer).setUint32(at, value, true);
      return { ...compiled, program };
    };
    for (const [what, at, value] of [
      ['negative gate count', section + 12 * 4, 33],
      ['negative gates offset', section + 13 * 4, 0x7fffffff],
      ['negative gate of each rule offset', section + 14 * 4, 0x7fffffff],
      ['a negative gate detection', section + word(13) * 4, 1000],
      ["a rule's negative gate", section + (word(14) + 1) * 4, 2],
    ] as const) {
      await expect(Matcher.create(damaged(at, value)), what).rejects.toThrow(/not a valid sigmatch program/);
    }
  });

  test('sigmatch compile writes an artifact that scan --compiled uses; a foreign file is a clear error', () => {
    const dir = tempFiles({ 'junk.sigc': 'not an artifact' });
    const out = join(dir, 'rules.sigc');
    const compiled = runCli(['compile', '-r', join(ROOT, 'examples/rules'), '-o', out]);
    expect(compiled.code).toBe(0);
    expect(compiled.stderr).toMatch(new RegExp(`compiled ${rules.length} rules`));
    const viaArtifact = runCli(['scan', '--compiled', out, join(ROOT, 'examples/events/sample.ndjson')]);
    const viaRules = runCli(['scan', '--rules', join(ROOT, 'examples/rules'), join(ROOT, 'examples/events/sample.ndjson')]);
    expect(viaArtifact.code).toBe(0);
    // The artifact holds no rule logic, so its hits carry no provenance; everything else is the same.
    const strip = (h: Record<string, unknown>): Record<string, unknown> => ({ ...h, detections: undefined, fields: undefined });
    expect(jsonLines(viaArtifact.stdout).map(strip)).toEqual(jsonLines(viaRules.stdout).map(strip));
    const junk = runCli(['scan', '--compiled', join(dir, 'junk.sigc'), '-'], { input: '' });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/junk\.sigc is not a sigmatch compiled rule set/);
    const both = runCli(['scan', '--compiled', out, '--rules', join(ROOT, 'examples/rules'), '-'], { input: '' });
    expect(both.code).toBe(2);
  });
});
