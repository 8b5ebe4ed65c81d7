/**
 * The bundled example pack (examples/rules) and sample events (examples/events/sample.ndjson, written by
 * examples/generate-sample.ts): every rule loads and is documented Sigma, the sample is what the generator writes, and
 * the hits on it are known and the same with both engines and with the Windows pipelines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateSample } from '../../examples/generate-sample.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { readJsonEvents } from '../../src/input/json-events.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import { builtinPipelines } from '../../src/pipeline/builtins.js';
import { loadRules } from '../../src/rule/files.js';
import { jsonLines, ROOT, runCli } from '../support/cli.js';

const RULES = join(ROOT, 'examples/rules');
const SAMPLE = join(ROOT, 'examples/events/sample.ndjson');
const set = loadRules(RULES);
const text = readFileSync(SAMPLE, 'utf8');
const events = readJsonEvents(text).events.map((e) => e.event);

/** Hits per rule id on the sample (the reference evaluator's answer; every rule fires). */
const EXPECTED_HITS: Record<string, number> = {
  'af5c2ef0-2cbf-42a6-a5c2-c869468a046a': 2, // PowerShell Launched With An Encoded Command
  'a52c7cde-615e-4e20-ba13-9b04376e0c9e': 1, // Certutil Fetching A Remote File
  '4be35626-0509-4716-ba0c-af9eccca05ba': 1, // Rundll32 Running Inline JavaScript
  'ce1e18c7-564e-4197-8fc3-cd2ecb0ee13c': 1, // Renamed Windows Utility Executed
  'cce1bd7f-f14d-40d6-8c4b-5f4962a5e013': 1, // Volume Shadow Copies Deleted
  '69d74df4-f959-4f45-bc6e-23fd4a67556a': 2, // Office Application Starting A Shell Or Script Host
  'b839fd42-1eee-4764-a92c-3383c3c70a39': 1, // Scheduled Task Created For A Program In A User-Writable Folder
  'd7cc2d21-9187-4804-a27b-29d6973faa09': 1, // Encoded PowerShell Command Holding A Download Cradle
  '6da48e5d-ce20-405b-8bfc-bcf1113ca18a': 1, // Office Application Opening An SMB Connection To A Public Address
  'a278bed4-3618-4e47-a0b5-5da7619797c5': 1, // Outbound Connection To A Tunnelling Service
  '0471ab93-6a92-4edf-a8cb-b10a584aa7f4': 1, // Script Host Resolving A Paste Site
  '24c1bee8-e65a-468e-926b-2abaf0ccfce7': 1, // DNS Query With A Very Long Leading Label
  'a90f908c-3fdd-4355-92e0-38eec1232dbe': 1, // Script Or Shortcut Written To A Startup Folder
  '57410bbb-7f22-4885-bafd-b069f24bafed': 1, // LSASS Memory Dump File Written
  '5b37f3b7-3123-4360-a5a8-d4a65c4568c2': 1, // Run Key Pointing Into A User-Writable Folder
  'deba64b6-1765-4083-9bc8-4525ee7b4804': 1, // Microsoft Defender Exclusion Added Outside Defender
  '92c439e2-f020-465d-96f8-04ea6cd4aad5': 1, // Unsigned DLL Loaded From The Public User Folder
  'd502f849-5759-4ad7-a5ac-88000bff2779': 1, // Process Opened LSASS With Memory Read Access
  '39489576-d30e-4465-882e-ad2b23608320': 1, // AMSI Bypass Attempt In A PowerShell Script Block
  '85462e17-cd93-42d6-b6ba-8895667a17e0': 1, // PowerShell Script Block Downloading And Running Code
  '896bf33b-2105-4338-a9e2-09a40b3af3a4': 1, // Network Logon Failure For A Built-In Administrator Name
  'ef18392f-70e9-4852-aa1c-a58604c039fd': 1, // Remote Desktop Logon From A Public Address
  'df8cf294-b46e-472e-b285-b35f9bee9389': 1, // User Account Created With A Trailing Dollar Sign
  '09282fc9-ce7a-4922-86c0-f4834d1ee111': 1, // Member Added To The Local Administrators Group
  '50ac5ce0-8840-4d87-86dc-91785c277c3c': 1, // Local Account Created With Net.exe (Security 4688)
  '74a4ad54-f23f-4395-a32c-ef756c5e3cf6': 1, // Service Installed From A User Folder Or Through A Shell
  '77cef1ec-844e-4383-9a8d-10fac9bf93f3': 2, // Linux Audit Daemon Stopped Or Its Rules Deleted
  'bab7fa8f-a59c-4d6c-a706-554e40ea2911': 1, // Root Logged In Over SSH With A Password
  '23b06439-08f8-49d2-85c7-f4ae75b53ecd': 1, // Path Traversal Sequence In A Web Request
  '5b0b00c6-9cdc-466e-b304-d6fa81b95d27': 1, // AWS CloudTrail Logging Stopped Or Trail Deleted
};
const TOTAL_HITS = 33;
const MATCHED_EVENTS = 31;

function hitsById(rules = set.rules): Record<string, number> {
  const evaluator = new ReferenceEvaluator(rules);
  const out: Record<string, number> = {};
  for (const e of events) for (const m of evaluator.match(e)) out[m.rule.id!] = (out[m.rule.id!] ?? 0) + 1;
  return out;
}

describe('example rules', () => {
  test('all 30 load without errors, over the log sources the pack promises', () => {
    expect(set.errors.map((e) => e.format())).toEqual([]);
    expect(set.rules).toHaveLength(30);
    const sources = new Set(set.rules.map((r) => [r.logsource.product, r.logsource.category ?? r.logsource.service].join('/')));
    for (const s of [
      'windows/process_creation',
      'windows/network_connection',
      'windows/dns_query',
      'windows/file_event',
      'windows/registry_set',
      'windows/process_access',
      'windows/image_load',
      'windows/ps_script',
      'windows/security',
      'windows/system',
      'linux/auditd',
      'linux/sshd',
      '/webserver',
      'aws/cloudtrail',
    ]) {
      expect(sources, s).toContain(s);
    }
  });

  test('each is documented Sigma: a random UUIDv4 id, status, description, author, date, ATT&CK tags, false positives, level', () => {
    const ids = new Set<string>();
    for (const r of set.rules) {
      expect(r.id, r.title).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(r.id!);
      expect(r.status, r.title).toBe('experimental');
      expect(r.description?.length, r.title).toBeGreaterThan(40);
      expect(r.author).toBe('sigmatch examples');
      expect(r.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.tags.some((t) => /^attack\.t\d{4}/.test(t)), r.title).toBe(true);
      expect(r.tags.some((t) => /^attack\.[a-z-]+$/.test(t)), r.title).toBe(true);
      expect(r.falsepositives.length, r.title).toBeGreaterThan(0);
      expect(['informational', 'low', 'medium', 'high', 'critical']).toContain(r.level);
    }
    expect(ids.size).toBe(30);
    expect(Object.keys(EXPECTED_HITS).sort()).toEqual([...ids].sort());
  });

  test('the pack uses the modifiers and condition forms it is meant to show', () => {
    const texts = set.rules.map((r) => JSON.stringify(r.raw.detection));
    const uses = (re: RegExp): number => texts.filter((t) => re.test(t)).length;
    for (const m of ['contains\\|all', 'windash', '\\|re', '\\|cidr', 'base64offset', '\\|endswith', '\\|fieldref', '\\|exists', '"\\|all"', '\\|startswith']) {
      expect(uses(new RegExp(m)), m).toBeGreaterThan(0);
    }
    expect(uses(/not 1 of filter_/)).toBeGreaterThan(5);
    expect(uses(/"SourceImage":null/)).toBe(1); // a null filter
    expect(uses(/"SourceImage":""/)).toBe(1); // an empty-value filter
    expect(set.rules.filter((r) => r.detections.some((d) => d.root.kind === 'item' && d.root.field === null)).length).toBe(2); // keyword rules
  });
});

describe('sample events', () => {
  test('are exactly what examples/generate-sample.ts writes', () => {
    expect(generateSample()).toBe(text);
  });

  test('150-300 flat events, mostly benign', () => {
    expect(events.length).toBeGreaterThanOrEqual(150);
    expect(events.length).toBeLessThanOrEqual(300);
    expect(readJsonEvents(text).errors).toEqual([]);
  });

  test(`the hits are known: ${TOTAL_HITS} hits on ${MATCHED_EVENTS} events, every rule at least once, the same with the sysmon and windows pipelines`, () => {
    expect(hitsById()).toEqual(EXPECTED_HITS);
    const evaluator = new ReferenceEvaluator(set.rules);
    expect(events.filter((e) => evaluator.match(e).length > 0)).toHaveLength(MATCHED_EVENTS);
    const routed = applyPipelines(set.rules, [...builtinPipelines('sysmon'), ...builtinPipelines('windows')]);
    expect(routed.errors).toEqual([]);
    expect(routed.unrouted).toBe(4); // linux auditd, linux sshd, webserver, aws: no built-in pipeline knows them
    expect(hitsById(routed.rules)).toEqual(EXPECTED_HITS);
  });

  test('npm start (scan with the WASM engine) prints those hits', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toMatch(/^node dist\/cli\/main\.js scan --rules examples\/rules .*examples\/events\/sample\.ndjson$/);
    const args = pkg.scripts.start.replace(/^node dist\/cli\/main\.js /, '').split(' ');
    const r = runCli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).not.toBe('');
    expect(r.stderr).toContain(`${events.length} events, ${TOTAL_HITS} hits from 30 rules`);
    // Per-rule counts when the output is JSON lines (the default format today); any format reports the total above.
    let hits: { id: string }[] = [];
    try {
      hits = jsonLines(r.stdout);
    } catch {
      hits = [];
    }
    if (hits.length > 0) {
      const counts: Record<string, number> = {};
      for (const h of hits) counts[h.id] = (counts[h.id] ?? 0) + 1;
      expect(counts).toEqual(EXPECTED_HITS);
    }
  });
});
