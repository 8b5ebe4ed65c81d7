/**
 * Rules and events for correlation cases. Times are seconds after T0 (2026-11-28 07:00:00 UTC, a multiple of a
 * minute, so tumbling buckets start at T0), written as `@timestamp` ISO text unless a case says otherwise.
 */
import { dedent, yml } from '../../cases/_helpers.js';

export { yml };

export const T0 = Date.UTC(2026, 10, 28, 7, 0, 0);

/** ISO 8601 text of T0 + seconds (milliseconds allowed: 10.001). */
export function iso(seconds: number): string {
  return new Date(T0 + Math.round(seconds * 1000)).toISOString();
}

/** An event at T0 + seconds with the given fields. */
export function at(seconds: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { '@timestamp': iso(seconds), ...fields };
}

/** A failed logon (EventID 4625) from an address, optionally for a user. */
export function fail(seconds: number, ip?: unknown, user?: string): Record<string, unknown> {
  return at(seconds, { EventID: 4625, ...(ip !== undefined ? { IpAddress: ip } : {}), ...(user !== undefined ? { TargetUserName: user } : {}) });
}

export const FAILED_LOGON_ID = '5e1f8f5c-6d0b-4d8e-9a51-3f0a1b2c3d4e';

export const FAILED_LOGON = yml`
  title: Failed logon
  id: 5e1f8f5c-6d0b-4d8e-9a51-3f0a1b2c3d4e
  name: failed_logon
  logsource:
    product: windows
    service: security
  detection:
    selection:
      EventID: 4625
    condition: selection
`;

export const SUCCESSFUL_LOGON = yml`
  title: Successful logon
  name: successful_logon
  logsource:
    product: windows
    service: security
  detection:
    selection:
      EventID: 4624
    condition: selection
`;

/** Command-line rules for temporal cases: each matches when CommandLine contains its word. */
export function commandRule(word: string, id?: string): string {
  return yml`
    title: Recon ${word}
    ${id ? `id: ${id}` : ''}
    name: recon_${word}
    logsource:
      category: process_creation
      product: windows
    detection:
      selection:
        CommandLine|contains: ${word}
      condition: selection
  `;
}

/** A process creation on a host running a command line. */
export function run(seconds: number, host: string, commandLine: string): Record<string, unknown> {
  return at(seconds, { Host: host, CommandLine: commandLine });
}

/**
 * A correlation document: `body` is the YAML of the `correlation:` mapping's entries (indented by the helper);
 * `extra` is more top-level YAML (settings, generate is inside the body).
 */
export function correlation(title: string, body: string, extra = ''): string {
  const indented = dedent(body)
    .trimEnd()
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n');
  return `title: ${title}\n${extra}correlation:\n${indented}\n`;
}

/** Documents joined into one YAML text. */
export function docs(...texts: string[]): string {
  return texts.map((t) => t.trimEnd() + '\n').join('---\n');
}
