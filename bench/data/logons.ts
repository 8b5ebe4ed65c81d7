/**
 * A hit-heavy Security log for the correlation benchmarks: logon failures (4625) from many source addresses against
 * a pool of accounts, as a password-guessing and spraying campaign leaves them, with a few successes (4624) mixed in.
 * Flat JSON like the main generator's `flat` shape, a millisecond apart on average. Deterministic for a seed.
 */
import { Rng } from './prng.js';

/** The base rule the correlation benchmarks count (logon failures), and the two correlations people write most. */
export const FAILED_LOGON = `title: Failed logon
name: failed_logon
logsource: {product: windows, service: security}
detection:
  selection: {EventID: 4625}
  condition: selection
`;
export const EVENT_COUNT = `title: Brute force
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 5m
  condition: {gte: 30}
`;
export const VALUE_COUNT = `title: Password spraying
correlation:
  type: value_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 5m
  condition: {gte: 25, field: TargetUserName}
`;

export interface LogonOptions {
  events: number;
  /** Distinct source addresses (the correlation groups). */
  groups: number;
  /** Distinct target accounts. */
  accounts?: number;
  seed?: number;
}

const START = Date.UTC(2026, 10, 28, 7, 0, 0);
const SUCCESS_SHARE = 0.05;

export function generateLogons(options: LogonOptions): Uint8Array {
  const rng = new Rng(options.seed ?? 1, 15);
  const accounts = options.accounts ?? 1000;
  const lines: string[] = [];
  let t = START;
  for (let i = 0; i < options.events; i++) {
    t += rng.int(3); // 0-2 ms apart: equal times are common
    const group = rng.int(options.groups);
    const success = rng.chance(SUCCESS_SHARE);
    lines.push(
      JSON.stringify({
        '@timestamp': new Date(t).toISOString(),
        Channel: 'Security',
        EventID: success ? 4624 : 4625,
        Computer: `dc${group % 4}.corp.example.com`,
        TargetUserName: `user${rng.int(accounts)}`,
        TargetDomainName: 'CORP',
        LogonType: success ? 3 : 3 + rng.int(8),
        IpAddress: `10.${(group >> 16) & 255}.${(group >> 8) & 255}.${group & 255}`,
        IpPort: 49152 + rng.int(16384),
        WorkstationName: `WS-${rng.int(5000)}`,
        Status: success ? '0x0' : '0xc000006d',
        SubStatus: success ? '0x0' : '0xc000006a',
      }),
    );
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}
