import { generateLogons } from './data/logons.js';
const s = await import('../dist/index.js');
const { CorrelationSession, eventSource, planCorrelations } = await import('../dist/correlation/index.js');
const RULE = `title: Failed logon\nname: failed_logon\nlogsource: {product: windows, service: security}\ndetection:\n  selection: {EventID: 4625}\n  condition: selection\n`;
const EC = `title: Brute force\ncorrelation:\n  type: event_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: {gte: 40}\n`;
const VC = `title: Spraying\ncorrelation:\n  type: value_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: {gte: 25, field: TargetUserName}\n`;
const which = process.argv[2] === 'vc' ? [VC] : process.argv[2] === 'both' ? [EC, VC] : [EC];
const N = 200000;
const data = generateLogons({ events: N, groups: 10000 });
const base = await s.Matcher.create(s.loadRulesFromText(RULE).rules);
const lines = new TextDecoder().decode(data).split('\n').filter(Boolean).map((l) => JSON.parse(l));
const hits = base.match(lines);
const st = s.loadRulesFromText([RULE, ...which].join('---\n'));
const p = planCorrelations(st.rules, st.correlations);
const rates = [];
for (let k = 0; k < 12; k++) {
  const sess = new CorrelationSession(p, st.rules.length);
  const c = process.cpuUsage(); const t = performance.now();
  sess.process(hits, (h) => eventSource(lines[h.event]));
  const cpu = process.cpuUsage(c); const w = performance.now() - t;
  rates.push([hits.length / ((cpu.user + cpu.system) / 1e6), hits.length / (w / 1000)]);
}
rates.sort((a, b) => b[1] - a[1]);
console.log(process.argv[2] ?? 'ec', 'best wall', rates[0][1].toFixed(0), 'median wall', rates[6][1].toFixed(0), 'median cpu', rates.map((r) => r[0]).sort((a, b) => a - b)[6].toFixed(0));
