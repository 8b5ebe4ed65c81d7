import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  ALL_KINDS,
  EVENT_MIX,
  GENERATOR_VERSION,
  KINDS,
  SHAPES,
  TECHNIQUES,
  generateCanonical,
  generateEvents,
  generateNdjson,
  parseArgs,
  shapeToFlat,
  toEcs,
  toEvtx,
  toFlat,
  type Shape,
} from '../../bench/data/generate.js';
import { Rng } from '../../bench/data/prng.js';
import { FLAT_SYSTEM_FIELDS } from '../../bench/data/shapes.js';
import { flattenEvtxJson } from '../../src/input/evtx-json.js';

const N = 1000;

function lines(bytes: Uint8Array): string[] {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

const cache = new Map<string, Uint8Array>();
function ndjson(shape: Shape, seed = 1, events = N, attackShare?: number): Uint8Array {
  const key = `${shape}/${seed}/${events}/${attackShare}`;
  let out = cache.get(key);
  if (!out) cache.set(key, (out = generateNdjson({ events, seed, shape, attackShare })));
  return out;
}

describe('determinism', () => {
  test('the PRNG is xoshiro128** seeded by splitmix32 and reproducible', () => {
    const a = new Rng(1);
    const b = new Rng(1);
    const c = new Rng(2);
    const xs = Array.from({ length: 8 }, () => a.next());
    expect(Array.from({ length: 8 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });

  test.each(SHAPES)('%s: same options give the same bytes, another seed other bytes', (shape) => {
    const a = generateNdjson({ events: 300, seed: 1, shape });
    const b = generateNdjson({ events: 300, seed: 1, shape });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = generateNdjson({ events: 300, seed: 2, shape });
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
    // A prefix of a longer stream is the shorter stream.
    expect(Buffer.from(ndjson(shape)).subarray(0, a.length).equals(Buffer.from(a))).toBe(true);
  });

  test(`version ${GENERATOR_VERSION} output is pinned (bump GENERATOR_VERSION and this digest when the output changes on purpose)`, () => {
    const digest = createHash('sha256').update(generateNdjson({ events: 500, seed: 1 })).digest('hex');
    expect(digest).toBe(PINNED_DIGEST);
  });

  test('the benign events do not depend on the attack share (only the attack slots differ)', () => {
    const plain = [...generateCanonical({ events: 600, seed: 5, attackShare: 0 })];
    const mixed = [...generateCanonical({ events: 600, seed: 5, attackShare: 0.2 })];
    expect(mixed.length).toBe(plain.length);
    const attacks = mixed.filter((e) => e.attack !== null).length;
    expect(attacks).toBeGreaterThan(60);
    const differing = mixed.filter((e, i) => e.attack === null && JSON.stringify(toFlat(e)) !== JSON.stringify(toFlat(plain[i])));
    expect(differing).toEqual([]);
  });
});

describe('output', () => {
  test.each(SHAPES)('%s: every line is one JSON object', (shape) => {
    const ls = lines(ndjson(shape));
    expect(ls.length).toBe(N);
    for (const l of ls) {
      const v = JSON.parse(l) as unknown;
      expect(typeof v === 'object' && v !== null && !Array.isArray(v)).toBe(true);
    }
  });

  test('flat events carry exactly the System keys and their kind\'s EventData fields, none missing', () => {
    const problems: string[] = [];
    for (const l of lines(ndjson('flat'))) {
      const e = JSON.parse(l) as Record<string, unknown>;
      const spec = Object.values(KINDS).find((k) => k.channel === e.Channel && k.eventId === e.EventID);
      if (!spec) {
        problems.push(`unknown type ${String(e.Channel)} ${String(e.EventID)}`);
        continue;
      }
      const keys = Object.keys(e).join(',');
      if (keys !== [...FLAT_SYSTEM_FIELDS, ...spec.fields].join(',')) problems.push(`${spec.kind}: keys ${keys}`);
      for (const [k, v] of Object.entries(e)) if (typeof v !== 'string' && typeof v !== 'number') problems.push(`${spec.kind}.${k}: ${typeof v}`);
    }
    expect(problems).toEqual([]);
  });

  test('the mix contains every event type, in roughly the configured proportions', () => {
    const counts = new Map<string, number>();
    const events = 3000;
    for (const e of generateCanonical({ events, seed: 3, attackShare: 0 })) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...ALL_KINDS].sort());
    const total = EVENT_MIX.reduce((s, [, w]) => s + w, 0);
    for (const [kind, weight] of EVENT_MIX) {
      const expected = (weight / total) * events;
      const got = counts.get(kind) ?? 0;
      expect(Math.abs(got - expected), `${kind}: ${got} vs ${expected.toFixed(0)}`).toBeLessThan(5 * Math.sqrt(expected) + 5);
    }
  });

  test.each<[Shape, number, number]>([
    ['flat', 500, 1100],
    ['evtx', 800, 1600],
    ['ecs', 800, 1600],
  ])('%s: average event size is between %d and %d bytes', (shape, lo, hi) => {
    const avg = ndjson(shape).length / N;
    expect(avg).toBeGreaterThan(lo);
    expect(avg).toBeLessThan(hi);
  });

  test('values are realistic: escapes, quotes, non-ASCII and CJK, IPv6, hashes', () => {
    const text = new TextDecoder().decode(ndjson('flat'));
    expect(text).toContain('\\\\'); // backslashes in paths
    expect(text).toContain('\\"'); // quoted arguments in command lines
    expect(text).toMatch(/[àáâäçèéëíïñóöøüłıßæ]/u);
    expect(text).toMatch(/\p{Script=Han}/u);
    expect(text).toMatch(/"DestinationIp":"[0-9a-f]*:[0-9a-f:]+"/);
    expect(text).toMatch(/"Hashes":"(SHA1=[0-9A-F]{40},)?MD5=[0-9A-F]{32},SHA256=[0-9A-F]{64},IMPHASH=[0-9A-F]{32}"/);
    expect(text).toMatch(/"ScriptBlockText":"[^"]*\\r\\n/);
  });
});

describe('attack share', () => {
  test('is roughly honoured and labels real techniques', () => {
    const events = 3000;
    const share = 0.05;
    const known = new Set(TECHNIQUES.map(([id]) => id));
    let attacks = 0;
    for (const e of generateCanonical({ events, seed: 9, attackShare: share })) {
      if (e.attack === null) continue;
      attacks++;
      expect(known.has(e.attack), e.attack).toBe(true);
    }
    const expected = events * share;
    expect(Math.abs(attacks - expected)).toBeLessThan(5 * Math.sqrt(expected));
  });

  test('0 gives none, 1 gives only attack-like events, the default is about 1%', () => {
    expect([...generateCanonical({ events: 500, seed: 1, attackShare: 0 })].some((e) => e.attack)).toBe(false);
    expect([...generateCanonical({ events: 200, seed: 1, attackShare: 1 })].every((e) => e.attack)).toBe(true);
    const n = [...generateCanonical({ events: 2000, seed: 1 })].filter((e) => e.attack).length;
    expect(n).toBeGreaterThan(2000 * 0.004);
    expect(n).toBeLessThan(2000 * 0.02);
  });

  test('attack events carry attacker values, and every technique occurs (a sample of 1,500)', () => {
    const sample = [...generateCanonical({ events: 1500, seed: 4, attackShare: 1 })];
    expect(new Set(sample.map((e) => e.attack))).toEqual(new Set(TECHNIQUES.map(([id]) => id)));
    const text = sample.map((e) => JSON.stringify(toFlat(e))).join('\n');
    for (const needle of [/-e(nc|ncodedcommand|c|n)? [A-Za-z0-9+/]{40,}/i, /certutil/i, /lsass/i, /\\\\CurrentVersion\\\\Run/i, /sekurlsa|lsadump|kerberos::/i]) {
      expect(text).toMatch(needle);
    }
  });
});

describe('the three shapes describe the same events', () => {
  test('line by line, evtx and ecs map back to the flat event', () => {
    const flat = lines(ndjson('flat'));
    const evtx = lines(ndjson('evtx'));
    const ecs = lines(ndjson('ecs'));
    for (let i = 0; i < N; i += 7) {
      const f = JSON.parse(flat[i]) as Record<string, unknown>;
      expect(shapeToFlat(JSON.parse(evtx[i]), 'evtx')).toEqual(f);
      expect(shapeToFlat(JSON.parse(ecs[i]), 'ecs')).toEqual(f);
    }
  });

  test('sigmatch reads the evtx shape as (a superset of) the flat event', () => {
    const problems: string[] = [];
    for (const e of generateCanonical({ events: 300, seed: 11, attackShare: 0.1 })) {
      const read = flattenEvtxJson(toEvtx(e)) as Record<string, unknown>;
      for (const [k, v] of Object.entries(toFlat(e))) if (read[k] !== v) problems.push(`${e.kind}.${k}: ${String(read[k])} != ${v}`);
    }
    expect(problems).toEqual([]);
  });

  test('ecs uses the ECS names the pySigma ecs_windows pipeline maps Sigma fields to', () => {
    const seen = new Set<string>();
    for (const e of generateCanonical({ events: 600, seed: 12, attackShare: 0 })) {
      const ecs = toEcs(e) as Record<string, any>;
      const flat = toFlat(e);
      const system = [ecs.event.code, ecs.winlog.channel, ecs.winlog.provider_name, ecs.host.name, ecs['@timestamp']];
      const expected = [String(flat.EventID), flat.Channel, flat.Provider_Name, flat.Computer, flat.TimeCreated_SystemTime];
      if (system.join('|') !== expected.join('|')) expect(system).toEqual(expected);
      if (e.kind === 'sysmon-1' && !seen.has(e.kind)) {
        seen.add(e.kind);
        expect(ecs.process.executable).toBe(flat.Image);
        expect(ecs.process.command_line).toBe(flat.CommandLine);
        expect(ecs.process.parent.executable).toBe(flat.ParentImage);
        expect(ecs.process.pe.original_file_name).toBe(flat.OriginalFileName);
        expect(ecs.user.name).toBe(flat.User);
        expect(ecs.winlog.event_data.Hashes).toBe(flat.Hashes);
      }
      if (e.kind === 'sysmon-3' && !seen.has(e.kind)) {
        seen.add(e.kind);
        expect(ecs.destination.ip).toBe(flat.DestinationIp);
        expect(ecs.destination.port).toBe(flat.DestinationPort);
        expect(ecs.network.direction).toBe(flat.Initiated);
      }
      if (e.kind === 'sysmon-22' && !seen.has(e.kind)) {
        seen.add(e.kind);
        expect(ecs.dns.question.name).toBe(flat.QueryName);
      }
      if (e.kind === 'sysmon-13' && !seen.has(e.kind)) {
        seen.add(e.kind);
        expect(ecs.registry.path).toBe(flat.TargetObject);
      }
      if (e.kind === 'sysmon-11' && !seen.has(e.kind)) {
        seen.add(e.kind);
        expect(ecs.file.path).toBe(flat.TargetFilename);
      }
      if (e.kind === 'security-4624' && !seen.has(e.kind)) {
        seen.add(e.kind);
        // SubjectDomainName and TargetDomainName both map to user.domain: the first keeps it, the other stays in event_data.
        expect(ecs.user.domain).toBe(flat.SubjectDomainName);
        expect(ecs.winlog.event_data.TargetDomainName).toBe(flat.TargetDomainName);
        expect(ecs.source.ip).toBe(flat.IpAddress);
      }
    }
    expect(seen.size).toBe(6);
  });

  test('generateEvents yields the shaped objects of the same stream', () => {
    const objects = [...generateEvents({ events: 50, seed: 1, shape: 'ecs' })];
    expect(objects.map((o) => JSON.stringify(o))).toEqual(lines(generateNdjson({ events: 50, seed: 1, shape: 'ecs' })));
  });
});

describe('options', () => {
  test('bad options are rejected', () => {
    expect(() => generateNdjson({ events: -1 })).toThrow(RangeError);
    expect(() => generateNdjson({ events: 1, seed: 1.5 })).toThrow(RangeError);
    expect(() => generateNdjson({ events: 1, attackShare: 2 })).toThrow(RangeError);
    expect(() => generateNdjson({ events: 1, shape: 'xml' as Shape })).toThrow(RangeError);
    expect(generateNdjson({ events: 0 }).length).toBe(0);
  });

  test('the CLI arguments', () => {
    expect(parseArgs(['--events', '10', '--seed=3', '--attack-share', '0.2', '--shape', 'evtx', '--out', 'x.ndjson'])).toMatchObject({
      events: 10, seed: 3, attackShare: 0.2, shape: 'evtx', out: 'x.ndjson', pretty: false,
    });
    expect(parseArgs([]).out).toBe('.bench-data/events-flat-100000-s1.ndjson');
    expect(() => parseArgs(['--events', 'many'])).toThrow(/not a number/);
    expect(() => parseArgs(['--frobnicate'])).toThrow(/unknown argument/);
    expect(() => parseArgs(['--shape', 'xml'])).toThrow(RangeError);
  });
});

const PINNED_DIGEST = '512515cbf5547360e2868bf0a4db588fe3991ca4c62fbe9e38cfaee9704a8104';
