/**
 * Events with many keys stay on the bytes path. Keyword search reads every leaf, and the duplicate-key check behind
 * it kept the keys of the open objects in a fixed scratch stack of 4,096: a wider object made the event a fallback
 * (JSON.parse, then the objects path, which re-encoded the event once per doubling of its input region and value
 * table). Now the key stack moves into the event's arena, and an event that does not fit is counted to the end so one
 * growth fits it; the objects path (still taken for a duplicate key) measures an event that does not fit and grows
 * once too.
 */
import { describe, expect, test, vi } from 'vitest';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { Matcher } from '../../src/runtime/matcher.js';
import '../../src/index.js';
import { STATUS_EVENT_FALLBACK, ScannerHarness } from '../json/harness.js';

/** More keys than the scratch key stack holds (KEY_STACK_CAPACITY in assembly/json/scratch.ts). */
const WIDE = 100_000;
/** More leaves than a few doublings of the matcher's default value table (65,536) hold. */
const WIDER = 300_000;

function wideEvent(keys: number, extra: Record<number, string> = {}, duplicateOf?: number): string {
  const members: string[] = [];
  for (let i = 0; i < keys; i++) members.push(`"k${i}":${JSON.stringify(extra[i] ?? `v${i}`)}`);
  if (duplicateOf !== undefined) members.push(`"k${duplicateOf}":"shadow"`);
  return `{${members.join(',')}}`;
}

const KEYWORD_RULE = 'title: keyword\nlogsource:\n  product: windows\ndetection:\n  keywords:\n    - mimikatz\n  condition: keywords\n';

describe('wide events in the scanner', () => {
  test(`an object of ${WIDE.toLocaleString('en')} keys: every leaf collected on the bytes path; a duplicate among them still found`, async () => {
    const h = await ScannerHarness.create(['a']);
    const text = `${wideEvent(WIDE)}\n${wideEvent(WIDE, {}, 7)}\n`;
    const r = h.scan(text, { keywords: true });
    expect(r.events.map((e) => e.leavesStatus)).toEqual([0, STATUS_EVENT_FALLBACK]);
    expect(r.events[0].leaves).toHaveLength(WIDE);
    expect(r.events[0].leaves!.slice(0, 2).map((l) => l.text)).toEqual(['v0', 'v1']);
  });
});

describe('wide events in the matcher', () => {
  test('the objects path takes a wide event in one growth of its input region and value table', async () => {
    const set = loadRulesFromText(KEYWORD_RULE);
    const event = JSON.parse(wideEvent(WIDER, { 277_777: 'mimikatz' }));
    const matcher = await Matcher.create(set);
    const grow = vi.spyOn(matcher.host, 'grow');
    expect(matcher.match([event])).toEqual([{ event: 0, rule: 0 }]);
    // One growth of the input region (the record measured) and one of the arena and value table (its entries).
    expect(grow.mock.calls.map(([region]) => region).sort()).toEqual(['arena', 'input', 'values']);
  });

  test.each([
    ['a keyword hit', { 277_777: 'with mimikatz inside' }, undefined, 1],
    ['no hit', {}, undefined, 0],
    ['a hit hidden by a duplicate key (JSON.parse keeps the last)', { 5: 'mimikatz' }, 5, 0],
  ] as const)('%s: the reference\'s answer, without falling back when there is no duplicate, growing once', async (_name, extra, duplicateOf, hits) => {
    const set = loadRulesFromText(KEYWORD_RULE);
    const text = wideEvent(WIDER, extra as Record<number, string>, duplicateOf);
    const expected = new ReferenceEvaluator(set.rules).match(JSON.parse(text)).length;
    expect(expected).toBe(hits);
    const matcher = await Matcher.create(set);
    const fallback = vi.spyOn(matcher, 'matchFallback');
    const grow = vi.spyOn(matcher, 'growForEvent');
    const batch = matcher.scanBytes(text);
    expect(batch.events).toBe(1);
    expect(batch.hits.length).toBe(hits);
    expect(fallback).toHaveBeenCalledTimes(duplicateOf === undefined ? 0 : 1);
    // The default value table holds 65,536 values: the event needs more, and gets them at once (not by doublings).
    expect(grow.mock.calls.length).toBeLessThanOrEqual(1);
  });
});
