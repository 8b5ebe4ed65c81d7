/**
 * The shared SigmaHQ corpus (read-only, never copied into the repository) and its regression samples.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readJsonEvents, type EventRecord } from '../../src/input/json-events.js';

export const SHARED = fileURLToPath(new URL('../../../shared/sigma/', import.meta.url));
export const CORPUS_FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance', 'deprecated'];
/** Every folder that holds rules (rules-dfir has only a README). */
export const CORPUS_PATHS = CORPUS_FOLDERS.map((f) => join(SHARED, f));
export const REGRESSION_ROOT = join(SHARED, 'regression_data');

export function corpusAvailable(): boolean {
  return existsSync(join(SHARED, 'rules'));
}

export interface RegressionTest {
  /** Folder of the test, relative to regression_data. */
  name: string;
  ruleId: string;
  matchCount: number;
  events: EventRecord[];
  inputErrors: number;
  /** The original .evtx files beside the JSON (absolute paths). */
  evtxFiles: string[];
}

function findInfoFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) findInfoFiles(p, out);
    else if (e.name === 'info.yml') out.push(p);
  }
  return out.sort();
}

export function loadRegressionTests(): RegressionTest[] {
  return findInfoFiles(REGRESSION_ROOT).map((info) => {
    const meta = parse(readFileSync(info, 'utf8'));
    const dir = dirname(info);
    const events: EventRecord[] = [];
    let inputErrors = 0;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const r = readJsonEvents(readFileSync(join(dir, f), 'utf8'));
      events.push(...r.events);
      inputErrors += r.errors.length;
    }
    const count = meta.regression_tests_info?.[0]?.match_count ?? meta.match_count ?? 1;
    const evtxFiles = readdirSync(dir).filter((n) => n.endsWith('.evtx')).sort().map((n) => join(dir, n));
    return { name: dir.slice(REGRESSION_ROOT.length + 1), ruleId: meta.rule_metadata[0].id, matchCount: Number(count), events, inputErrors, evtxFiles };
  });
}
