/**
 * Profiling aid for the correlation engine: runs one engine row of bench/correlation.ts in a loop, for
 * `node --cpu-prof --import tsx bench/profile-correlation.ts [event_count|value_count|both] [runs]`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_COUNT, FAILED_LOGON, generateLogons, VALUE_COUNT } from './data/logons.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const sigmatch = await import(join(ROOT, 'dist/index.js'));
const lib = await import(join(ROOT, 'dist/correlation/index.js'));
const which = process.argv[2] ?? 'both';
const runs = Number(process.argv[3] ?? 10);
const docs = which === 'event_count' ? [EVENT_COUNT] : which === 'value_count' ? [VALUE_COUNT] : [EVENT_COUNT, VALUE_COUNT];
const data = generateLogons({ events: Number(process.argv[4] ?? 200_000), groups: 10_000 });
const events = new TextDecoder().decode(data).split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
const base = await sigmatch.Matcher.create(sigmatch.loadRulesFromText(FAILED_LOGON).rules);
const hits = base.match(events);
const set = sigmatch.loadRulesFromText([FAILED_LOGON, ...docs].join('---\n'));
const plan = lib.planCorrelations(set.rules, set.correlations);
for (let i = 0; i < runs; i++) {
  const start = process.cpuUsage();
  const s = new lib.CorrelationSession(plan, set.rules.length);
  const out = s.process(hits, (h: { event: number }) => lib.eventSource(events[h.event]));
  const used = process.cpuUsage(start);
  console.log(`${which}: ${out.length} hits out, ${Math.round(used.user / 1000)} ms user, ${Math.round(used.system / 1000)} ms system, ${Math.round(hits.length / ((used.user + used.system) / 1e6))} hits per CPU-second`);
}
