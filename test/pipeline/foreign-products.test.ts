/**
 * Log-source conflicts decided with pipelines on: a rule of a product no pipeline routes (zeek, linux, aws beside the
 * Windows pipelines) does not meet the events the pipelines' routes identify, and still meets every other event.
 * Rules without a product and rules of a routed product whose log source no item knows keep meeting every event;
 * without pipelines nothing changes. Both engines (reference evaluator and WASM VM) give the same hits.
 */
import { describe, expect, test } from 'vitest';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { applyPipelines, FOREIGN_SOURCE_IDENTIFIER } from '../../src/pipeline/apply.js';
import { builtinPipelines } from '../../src/pipeline/builtins.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { Matcher } from '../../src/index.js';
import { runCli, tempFiles } from '../support/cli.js';
import { rules, yml } from './support.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

const RULES_YAML = yml`
  title: windows_whoami
  logsource: {category: process_creation, product: windows}
  detection:
    sel:
      Image|endswith: '\whoami.exe'
    condition: sel
  ---
  title: zeek_not_a_dns_query
  logsource: {product: zeek, service: dns}
  detection:
    sel:
      query|contains: 'example.org'
    condition: not sel
  ---
  title: linux_keyword
  logsource: {product: linux}
  detection:
    keywords:
      - whoami
    condition: keywords
  ---
  title: windows_file_access
  logsource: {category: file_access, product: windows}
  detection:
    sel:
      FileName|contains: 'secret'
    condition: not sel
  ---
  title: proxy_without_product
  logsource: {category: proxy}
  detection:
    sel:
      c-uri|contains: 'evil'
    condition: not sel
`;
const RULES = rules(RULES_YAML);

const EVENTS = [
  // 0: Sysmon process creation: the routes identify it as Windows.
  { Channel: SYSMON, EventID: 1, Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami' },
  // 1: Security 4688: identified too.
  { Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami' },
  // 2: a zeek dns log line: nothing identifies it (the zeek rule, `not example.org`, meets it).
  { query: 'www.example.com', qtype_name: 'A' },
  // 3: a syslog line with the keyword: nothing identifies it.
  { message: 'sudo whoami', host: 'web-1' },
  // 4: a Sysmon event no route covers (event 255, an error report): not identified.
  { Channel: SYSMON, EventID: 255, Description: 'whoami' },
];

const titles = (list: readonly SigmaRule[], hits: readonly { event: number; rule: number }[], event: number): string[] =>
  hits.filter((h) => h.event === event).map((h) => list[h.rule].title).sort();

async function bothEngines(list: SigmaRule[]): Promise<{ event: number; rule: number }[]> {
  const evaluator = new ReferenceEvaluator(list);
  const reference = EVENTS.flatMap((e, event) => evaluator.match(e).map((m) => ({ event, rule: m.index })));
  const matcher = await Matcher.create(list);
  const wasm = matcher.match(EVENTS).map((h) => ({ event: h.event, rule: h.rule }));
  expect(wasm).toEqual(reference);
  return reference;
}

describe('rules of products no pipeline routes', () => {
  const applied = applyPipelines(RULES, [...builtinPipelines('sysmon'), ...builtinPipelines('windows')]);
  const byTitle = new Map(applied.rules.map((r) => [r.title, r]));

  test('are marked and counted; rules without a product or of a routed product are not', () => {
    expect(applied.errors).toEqual([]);
    expect(applied.foreign).toBe(2);
    expect([...byTitle.values()].filter((r) => r.logsourceForeign).map((r) => r.title).sort()).toEqual(['linux_keyword', 'zeek_not_a_dns_query']);
    expect(byTitle.get('windows_whoami')!.logsourceRouted).toBe(true);
    for (const t of ['windows_file_access', 'proxy_without_product']) {
      expect(byTitle.get(t)!.logsourceRouted).toBe(false);
      expect(byTitle.get(t)!.logsourceForeign).toBeUndefined();
      expect(byTitle.get(t)!.detections.map((d) => d.name)).not.toContain(FOREIGN_SOURCE_IDENTIFIER);
    }
  });

  test('meet only the events no route identifies, on both engines', async () => {
    const hits = await bothEngines(applied.rules);
    expect(titles(applied.rules, hits, 0)).toEqual(['proxy_without_product', 'windows_file_access', 'windows_whoami']);
    expect(titles(applied.rules, hits, 1)).toEqual(['proxy_without_product', 'windows_file_access', 'windows_whoami']);
    expect(titles(applied.rules, hits, 2)).toEqual(['proxy_without_product', 'windows_file_access', 'zeek_not_a_dns_query']);
    expect(titles(applied.rules, hits, 3)).toEqual(['linux_keyword', 'proxy_without_product', 'windows_file_access', 'zeek_not_a_dns_query']);
    expect(titles(applied.rules, hits, 4)).toEqual(['linux_keyword', 'proxy_without_product', 'windows_file_access', 'zeek_not_a_dns_query']);
  });

  test('the prefilter skips them, unevaluated, on the events the routes identify (the negative gate)', async () => {
    const linuxCommand = rules(yml`
      title: linux_whoami
      logsource: {category: process_creation, product: linux}
      detection:
        sel:
          CommandLine|contains: 'whoami'
        condition: sel
    `);
    const list = applyPipelines([...RULES, ...linuxCommand], [...builtinPipelines('sysmon'), ...builtinPipelines('windows')]).rules;
    const matcher = await Matcher.create(list);
    expect(matcher.compiled.stats.prefilter).toMatchObject({ negativeGates: 1, negativelyGatedRules: 3 });
    // Rules evaluated for one event alone, and its hits: on the Windows events (0, 1) none of the foreign rules runs:
    // not the zeek rule (`not sel`: no requirement, evaluated for every event before), nor the linux keyword rule
    // (`whoami` is in the command line), nor linux_whoami (a candidate: its command line literal is there); on the
    // others they still run where their requirements allow.
    const perEvent = EVENTS.map((e) => {
      const scanner = matcher.scanner();
      const hits = [...scanner.push(new TextEncoder().encode(`${JSON.stringify(e)}\n`)).hits, ...scanner.end().hits];
      return { evaluated: scanner.rulesEvaluated, hits: hits.map((h) => list[h.rule].title).sort() };
    });
    const reference = new ReferenceEvaluator(list);
    EVENTS.forEach((e, i) => expect(perEvent[i].hits).toEqual(reference.match(e).map((m) => list[m.index].title).sort()));
    expect(perEvent.map((p) => p.evaluated)).toEqual([3, 3, 3, 4, 4]);
    // Without the prefilter every rule runs on every event, with the same hits.
    const unfiltered = await Matcher.create(list, { prefilter: false });
    expect(unfiltered.match(EVENTS).map((h) => [h.event, h.rule])).toEqual(matcher.match(EVENTS).map((h) => [h.event, h.rule]));
  });

  test('without pipelines nothing changes: every rule meets every event', async () => {
    const hits = await bothEngines(RULES);
    expect(titles(RULES, hits, 0)).toContain('zeek_not_a_dns_query');
    expect(titles(RULES, hits, 0)).toContain('linux_keyword');
  });

  test('when no rule is routed, no product is known: nothing is excluded', () => {
    const onlyOthers = applyPipelines(RULES.filter((r) => r.logsource.product !== 'windows'), [...builtinPipelines('sysmon'), ...builtinPipelines('windows')]);
    expect(onlyOthers.foreign).toBe(0);
    expect(onlyOthers.rules.every((r) => r.logsourceForeign === undefined)).toBe(true);
  });

  test('the CLI: the summary says so, and --routed-only leaves the unrouted rules out', () => {
    const dir = tempFiles({
      'rules.yml': RULES_YAML,
      'events.ndjson': EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n',
    });
    const scan = (...extra: string[]) => runCli(['scan', '-r', `${dir}/rules.yml`, '-P', 'sysmon', '-P', 'windows', '--format', 'jsonl', ...extra, `${dir}/events.ndjson`]);
    const all = scan();
    expect(all.code).toBe(0);
    expect(all.stderr).toMatch(/1 rules routed to their log source, 4 not recognised by any pipeline \(2 of other products meet only events no pipeline identifies, 2 meet every event\)/);
    const zeekLines = all.stdout.split('\n').filter((l) => l.includes('zeek_not_a_dns_query')).map((l) => JSON.parse(l).event);
    expect(zeekLines).toEqual([2, 3, 4]);
    const routedOnly = scan('--routed-only');
    expect(routedOnly.code).toBe(0);
    const titlesSeen = new Set(routedOnly.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l).title));
    expect([...titlesSeen]).toEqual(['windows_whoami']);
    const noPipelines = runCli(['scan', '-r', `${dir}/rules.yml`, '--routed-only', `${dir}/events.ndjson`]);
    expect(noPipelines.code).toBe(2);
    expect(noPipelines.stderr).toMatch(/--routed-only needs pipelines/);
  });
});
