/** Compiled artifacts: round trip, refusal of foreign and stale files, and the CLI commands around them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import '../../src/index.js';
import { ArtifactError, checksum, readArtifact, writeArtifact } from '../../src/compiler/artifact.js';
import { compileRules, type CompiledRuleSet } from '../../src/compiler/compile.js';
import * as F from '../../src/compiler/format.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import { resolvePipelines } from '../../src/pipeline/resolve.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { loadRules } from '../../src/rule/files.js';
import { Matcher } from '../../src/runtime/matcher.js';
import { compileRuleSet } from '../../src/runtime/compile-set.js';
import { correlationGroups } from '../conformance/correlations/cases/index.js';
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
    // The artifact holds the rules' shapes, not their logic: the VM's provenance of its hits is the same.
    const hits = jsonLines(viaArtifact.stdout);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => Array.isArray(h.detections) && h.detections.length > 0)).toBe(true);
    expect(hits).toEqual(jsonLines(viaRules.stdout));
    const junk = runCli(['scan', '--compiled', join(dir, 'junk.sigc'), '-'], { input: '' });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/junk\.sigc is not a sigmatch compiled rule set/);
    const both = runCli(['scan', '--compiled', out, '--rules', join(ROOT, 'examples/rules'), '-'], { input: '' });
    expect(both.code).toBe(2);
  });
});

describe('artifacts with correlation rules', () => {
  const CORRELATED = `title: Failed logon
name: failed_logon
logsource: {product: windows}
detection:
  selection: {EventID: 4625}
  condition: selection
---
title: Brute force
id: 5e0c7a52-6d3b-4c1e-8f00-00000000b001
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 10s
  condition: {gte: 2}
`;
  const logons = [
    { ts: '2026-11-28T07:00:00Z', EventID: 4625, IpAddress: '10.0.0.1' },
    { ts: '2026-11-28T07:00:05Z', EventID: 4625, IpAddress: '10.0.0.1' },
  ];
  const ndjson = new TextEncoder().encode(logons.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const compiledWith = (timeFields: string[]): Uint8Array => {
    const set = loadRulesFromText(CORRELATED);
    return writeArtifact(compileRuleSet(set.rules, set.correlations, timeFields).compiled);
  };

  test('every correlation of the conformance table reads back as the model it was written from', () => {
    let count = 0;
    for (const c of correlationGroups.flatMap((g) => g.cases)) {
      const set = loadRulesFromText(c.rules);
      const built = compileRuleSet(set.rules, set.correlations, ['custom_time']);
      const back = readArtifact(writeArtifact(built.compiled)).correlations;
      const planned = built.correlations?.plan.correlations.map((p) => p.source) ?? [];
      expect(back?.documents ?? [], c.name).toEqual(planned);
      if (planned.length > 0) expect(back?.timeFields, c.name).toEqual(['custom_time']);
      count += planned.length;
    }
    expect(count).toBeGreaterThan(60);
  });

  test('the time fields given when compiling are read without being given again; others are a clear error', async () => {
    const matcher = await Matcher.create(compiledWith(['ts']));
    const alerts = matcher.scanBytes(ndjson).hits.filter((h) => h.correlation);
    expect(alerts.map((h) => [h.event, h.correlation!.value])).toEqual([[1, 2]]);
    expect(matcher.match(logons).filter((h) => h.correlation).map((h) => h.event)).toEqual([1]);
    // Without them, the events have no time: no alert.
    const without = await Matcher.create(compiledWith([]));
    expect(without.scanBytes(ndjson).hits.filter((h) => h.correlation)).toEqual([]);
    const error = await Matcher.create(compiledWith([]), { correlation: { timeFields: ['ts'] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactError);
    expect(error).toMatchObject({ code: 'ARTIFACT_FIELDS', message: expect.stringMatching(/does not extract "ts".*sigmatch compile --time-field ts/) });
  });

  test('a damaged correlation section is refused with ARTIFACT_CORRELATIONS; an artifact of format 2 with a message to recompile', () => {
    const good = compiledWith(['ts']);
    const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
    const sectionAt = 32 + view(good).getUint32(12, true);
    const sectionLength = view(good).getUint32(24, true);
    expect(sectionLength).toBeGreaterThan(0);
    const codeOf = (bytes: Uint8Array): unknown => {
      try {
        readArtifact(bytes, 'x.sigc');
      } catch (e) {
        return [(e as ArtifactError).code, (e as Error).message];
      }
      return 'loaded';
    };
    // Any flipped byte of the section: its checksum.
    for (const at of [0, 7, sectionLength - 9]) {
      const flipped = good.slice();
      flipped[sectionAt + at] ^= 0x20;
      expect(codeOf(flipped), `byte ${at}`).toEqual(['ARTIFACT_CORRELATIONS', expect.stringMatching(/x\.sigc is damaged: its correlation section does not match its checksum; recompile/)]);
    }
    // A length past the end.
    const long = good.slice();
    view(long).setUint32(24, 0x7ffffff0, true);
    expect(codeOf(long)).toEqual(['ARTIFACT_CORRELATIONS', expect.stringMatching(/runs past the end/)]);
    // A section whose checksum holds but whose content does not load (written by something else).
    const forge = (json: string): Uint8Array => {
      const set = loadRulesFromText(CORRELATED);
      const compiled = compileRuleSet(set.rules, set.correlations).compiled;
      const plain = writeArtifact({ ...compiled, correlations: undefined });
      const metaLength = view(plain).getUint32(12, true);
      const section = new TextEncoder().encode(json.padEnd(Math.ceil(json.length / 8) * 8, ' '));
      const out = new Uint8Array(plain.length + section.length);
      out.set(plain.subarray(0, 32 + metaLength));
      out.set(section, 32 + metaLength);
      out.set(plain.subarray(32 + metaLength), 32 + metaLength + section.length);
      view(out).setUint32(24, section.length, true);
      view(out).setUint32(28, checksum(section), true);
      return out;
    };
    const source = { line: 1, column: 1, document: 0 };
    expect(codeOf(forge('{"timeFields": [], "documents": [{"document": {"title": "T", "correlation": {"type": "event_sum", "rules": ["a"], "timespan": "1m", "condition": {"gte": 1}}}, "source": {"line": 1, "column": 1, "document": 0}}]}'))).toEqual([
      'ARTIFACT_CORRELATIONS',
      expect.stringMatching(/holds a correlation \(entry 1\) that does not load: unknown correlation type "event_sum"/),
    ]);
    expect(codeOf(forge(JSON.stringify({ timeFields: [], documents: [{ document: { title: 'T' }, source }] })))).toEqual(['ARTIFACT_CORRELATIONS', expect.stringMatching(/entry 1/)]);
    expect(codeOf(forge(JSON.stringify({ timeFields: [3], documents: [] })))).toEqual(['ARTIFACT_CORRELATIONS', expect.stringMatching(/not a list of correlations/)]);
    expect(codeOf(forge('{"timeFields": [], "documents": [{"document": {}}]}'))).toEqual(['ARTIFACT_CORRELATIONS', expect.stringMatching(/incomplete entry 1/)]);
    expect(codeOf(forge('{"timeFields": ['))).toEqual(['ARTIFACT_CORRELATIONS', expect.stringMatching(/unreadable/)]);
    // The forged section itself, well formed, loads (the forging is sound).
    expect(codeOf(forge(JSON.stringify({ timeFields: [], documents: [{ document: loadRulesFromText(CORRELATED).correlations[0].raw, source }] })))).toBe('loaded');
    // Format 2 (no correlation section): refused, since loading it would silently drop its rules' correlations.
    const old = good.slice();
    view(old).setUint32(4, 2, true);
    expect(codeOf(old)).toEqual(['ARTIFACT_VERSION', expect.stringMatching(/artifact format 2.*recompile/)]);
  });

  test('sigmatch compile carries correlations and --time-field; a run loads them through Matcher.create(bytes)', async () => {
    const dir = tempFiles({ 'rules.yml': CORRELATED });
    const out = join(dir, 'rules.sigc');
    const r = runCli(['compile', '-r', join(dir, 'rules.yml'), '--time-field', 'ts', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/compiled 1 rules \(0 skipped with errors\) and 1 correlations/);
    const matcher = await Matcher.create(readFileSync(out));
    expect(matcher.correlations.map((c) => c.title)).toEqual(['Brute force']);
    expect(matcher.scanBytes(ndjson).hits.map((h) => [h.event, h.correlation?.value])).toEqual([[1, 2]]);
  });
});
