/**
 * Alerts: one per (entry, rule) hit, carrying what `sigmatch scan` prints for a hit (the rule's metadata, the event's
 * time, the provenance) plus where the event came from. The alert id is derived from the source stream, the entry id
 * and the rule: a redelivered entry yields the same ids, so duplicates can be recognised (and --dedupe drops them).
 */
import type { RuleInfo } from '../../compiler/compile.js';
import { outputCorrelation } from '../../cli/correlations.js';
import type { CorrelationMatch } from '../../correlation/index.js';
import type { SigmaCorrelation } from '../../rule/model.js';
import type { HitEvidence } from '../../cli/output/evidence.js';
import { hitRecord } from '../../cli/output/types.js';
import type { Argument } from './connection.js';

/**
 * A key per rule for alert ids: its Sigma id, else its title; a key that several rules of the set share gets
 * `#2`, `#3`... in rule order, so two rules never share alert ids (for the same rule set).
 */
export function ruleKeys(rules: readonly Pick<RuleInfo, 'id' | 'title'>[]): string[] {
  const seen = new Map<string, number>();
  return rules.map((r) => {
    const base = r.id ? r.id : `title:${r.title}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/** `<stream>/<entry id>/<rule key>`: the same event in the same stream under the same rule is the same alert. */
export function alertId(stream: string, entryId: string, ruleKey: string): string {
  return `${stream}/${entryId}/${ruleKey}`;
}

export interface Alert {
  id: string;
  /** The alerts stream entry's field/value pairs. */
  fields: Argument[];
}

/**
 * The alert entry: `alert_id`, `entry_id`, `rule_id` (the rule key), `level`, and `alert`, the JSON record: the alert
 * id, the source stream and entry, then the fields of scan's JSON output for the hit (id, title, level, status,
 * author, tags, time, detections, fields).
 */
export function alertEntry(stream: string, entryId: string, ruleKey: string, rule: RuleInfo, evidence: HitEvidence): Alert {
  const id = alertId(stream, entryId, ruleKey);
  // The position fields of scan's record (event index, line, file) have the entry id as their counterpart here.
  const { event: _index, line: _line, ...record } = hitRecord({ event: 0, rule, ...evidence });
  const json = JSON.stringify({ alert: id, stream, entry: entryId, ...record });
  return { id, fields: ['alert_id', id, 'entry_id', entryId, 'rule_id', ruleKey, 'level', rule.level ?? '', 'alert', json] };
}

/**
 * A correlation alert entry, shaped as the rule alerts: `alert_id` (from the completing entry and the correlation's
 * key), `entry_id` (the completing entry), `rule_id` (the correlation's key), `level`, and `alert`, the JSON record
 * of scan's output for the alert (the correlation's id, title, level..., the completing event's time and
 * `correlation`: type, group, value, first and last times).
 */
export function correlationAlertEntry(id: string, stream: string, entryId: string, key: string, correlation: SigmaCorrelation, match: CorrelationMatch): Alert {
  const { event: _index, line: _line, ...record } = hitRecord({ event: 0, rule: correlation, time: match.time, correlation: outputCorrelation(match) });
  const json = JSON.stringify({ alert: id, stream, entry: entryId, ...record });
  return { id, fields: ['alert_id', id, 'entry_id', entryId, 'rule_id', key, 'level', correlation.level ?? '', 'alert', json] };
}
