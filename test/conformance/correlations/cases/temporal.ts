import type { CorrelationGroup } from '../types.js';
import { at, commandRule, correlation, docs, run, yml } from './_helpers.js';

const WHOAMI_ID = '3a0a3c1e-6f43-4c52-b1b5-1e0c9a7e8d21';
const RULES = docs(commandRule('whoami', WHOAMI_ID), commandRule('net'), commandRule('ipconfig'));

const temporal = (type: string, rules: string, extra = '', timespan = '1m'): string =>
  docs(RULES, correlation('Recon burst', `type: ${type}\nrules: ${rules}\ngroup-by: [Host]\ntimespan: ${timespan}${extra ? `\n${extra}` : ''}`));

const unordered: CorrelationGroup = {
  group: 'correlations/temporal',
  cases: [
    {
      name: 'all-rules-in-window-any-order',
      spec: 'issue 15: temporal without a condition requires all referenced rules (specification, pySigma)',
      rules: temporal('temporal', '[recon_whoami, recon_net]'),
      events: [run(0, 'h1', 'net user'), run(10, 'h1', 'whoami /all')],
      alerts: [{ title: 'Recon burst', event: 1, value: 2, group: { Host: 'h1' } }],
    },
    {
      name: 'one-rule-missing-does-not-fire',
      spec: 'issue 15: all referenced rules (rsigma would fire on any one)',
      rules: temporal('temporal', '[recon_whoami, recon_net]'),
      events: [run(0, 'h1', 'whoami'), run(1, 'h1', 'whoami /priv')],
      alerts: [],
    },
    {
      name: 'rules-must-share-the-window',
      spec: 'issue 15: [t - timespan, t]',
      rules: temporal('temporal', '[recon_whoami, recon_net]'),
      events: [run(0, 'h1', 'whoami'), run(60.001, 'h1', 'net user'), run(61, 'h1', 'whoami')],
      alerts: [{ title: 'Recon burst', event: 2, value: 2 }],
    },
    {
      name: 'rules-must-share-the-group',
      spec: 'SIGMA.md 1.12: for the same group',
      rules: temporal('temporal', '[recon_whoami, recon_net]'),
      events: [run(0, 'h1', 'whoami'), run(1, 'h2', 'net user')],
      alerts: [],
    },
    {
      name: 'gte-counts-distinct-rules',
      spec: 'SIGMA.md 1.12: a temporal condition compares the number of referenced rules seen',
      rules: temporal('temporal', '[recon_whoami, recon_net, recon_ipconfig]', 'condition: {gte: 2}'),
      events: [run(0, 'h1', 'whoami'), run(1, 'h1', 'whoami'), run(2, 'h1', 'ipconfig'), run(3, 'h1', 'net view')],
      alerts: [
        { title: 'Recon burst', event: 2, value: 2 },
        { title: 'Recon burst', event: 3, value: 3 },
      ],
    },
    {
      name: 'expression-condition',
      spec: 'SIGMA.md 1.12: pySigma\'s boolean expression over rule names',
      rules: temporal('temporal', '[recon_whoami, recon_net, recon_ipconfig]', 'condition: recon_whoami and (recon_net or recon_ipconfig)'),
      events: [run(0, 'h1', 'net user'), run(1, 'h1', 'ipconfig'), run(2, 'h2', 'whoami'), run(3, 'h1', 'whoami')],
      alerts: [{ title: 'Recon burst', event: 3, value: 3 }],
    },
    {
      name: 'expression-with-not',
      spec: 'SIGMA.md 1.12: pySigma\'s boolean expression, not included',
      rules: temporal('temporal', '[recon_whoami, recon_net]', 'condition: recon_whoami and not recon_net'),
      events: [run(0, 'h1', 'whoami'), run(1, 'h1', 'net user'), run(2, 'h1', 'whoami'), run(70, 'h1', 'whoami')],
      alerts: [
        { title: 'Recon burst', event: 0, value: 1 },
        { title: 'Recon burst', event: 3, value: 1 },
      ],
    },
    {
      name: 'aliases-map-group-by-per-rule',
      spec: 'SIGMA.md 1.12: aliases map one group-by name to a field per rule',
      rules: docs(
        yml`
          title: Internal error
          name: internal_error
          logsource:
            category: application
          detection:
            selection:
              http.status: 500
            condition: selection
        `,
        yml`
          title: New connection
          name: new_connection
          logsource:
            category: network_connection
          detection:
            selection:
              event.action: connect
            condition: selection
        `,
        correlation(
          'Error then connection',
          `
          type: temporal
          rules: [internal_error, new_connection]
          group-by: [ip]
          timespan: 10s
          aliases:
            ip:
              internal_error: destination.ip
              new_connection: source.ip
          `,
        ),
      ),
      events: [
        at(0, { 'http.status': 500, 'destination.ip': '10.0.0.1', 'source.ip': '10.9.9.9' }),
        at(1, { 'event.action': 'connect', 'source.ip': '10.0.0.2', 'destination.ip': '10.0.0.1' }),
        at(2, { 'event.action': 'connect', 'source.ip': '10.0.0.1' }),
      ],
      alerts: [{ title: 'Error then connection', event: 2, value: 2, group: { ip: '10.0.0.1' } }],
    },
    {
      name: 'aliases-name-rules-by-id-or-name',
      spec: 'README Semantics: an alias lists a rule by the reference as written, or by the rule\'s id or name',
      rules: docs(
        RULES,
        correlation(
          'Recon burst',
          `
          type: temporal
          rules: [recon_whoami, recon_net]
          group-by: [machine]
          timespan: 1m
          aliases:
            machine:
              ${WHOAMI_ID}: Host
              recon_net: Workstation
          `,
        ),
      ),
      events: [run(0, 'h1', 'whoami'), at(1, { Workstation: 'h1', Host: 'other', CommandLine: 'net user' })],
      alerts: [{ title: 'Recon burst', event: 1, value: 2, group: { machine: 'h1' } }],
    },
    {
      name: 'references-by-id-and-name-mixed',
      spec: 'issue 15: references by name work everywhere ids do (temporal types included)',
      rules: temporal('temporal', `[${WHOAMI_ID}, recon_net]`),
      events: [run(0, 'h1', 'whoami'), run(1, 'h1', 'net user')],
      alerts: [{ title: 'Recon burst', event: 1, value: 2 }],
    },
    {
      name: 'one-event-counts-for-every-rule-it-matches',
      spec: 'README Semantics: an event counts for each referenced rule it matches',
      rules: temporal('temporal', '[recon_whoami, recon_net]'),
      events: [run(0, 'h1', 'whoami & net user')],
      alerts: [{ title: 'Recon burst', event: 0, value: 2 }],
    },
  ],
};

const ordered: CorrelationGroup = {
  group: 'correlations/temporal-ordered',
  cases: [
    {
      name: 'in-order-fires',
      spec: 'SIGMA.md 1.12: temporal_ordered: in listed order',
      rules: temporal('temporal_ordered', '[recon_whoami, recon_net]'),
      events: [run(0, 'h1', 'whoami'), run(5, 'h1', 'net user')],
      alerts: [{ title: 'Recon burst', event: 1, value: 2 }],
    },
    {
      name: 'out-of-order-does-not-fire-until-the-order-happens',
      spec: 'SIGMA.md 1.12: temporal_ordered',
      rules: temporal('temporal_ordered', '[recon_whoami, recon_net]'),
      events: [run(0, 'h1', 'net user'), run(5, 'h1', 'whoami'), run(6, 'h1', 'net view')],
      alerts: [{ title: 'Recon burst', event: 2, value: 2 }],
    },
    {
      name: 'later-events-keep-the-order-alive',
      spec: 'issue 15: every counted event after which the condition holds alerts',
      rules: temporal('temporal_ordered', '[recon_whoami, recon_net]'),
      events: [run(0, 'h1', 'whoami'), run(1, 'h1', 'net user'), run(2, 'h1', 'whoami'), run(61, 'h1', 'whoami')],
      alerts: [
        { title: 'Recon burst', event: 1, value: 2 },
        { title: 'Recon burst', event: 2, value: 2 },
      ],
    },
    {
      name: 'one-event-fills-consecutive-steps',
      spec: 'README Semantics: order is processing order; one event may fill consecutive steps',
      rules: temporal('temporal_ordered', '[recon_whoami, recon_net]'),
      events: [run(0, 'h1', 'whoami & net user')],
      alerts: [{ title: 'Recon burst', event: 0, value: 2 }],
    },
    {
      name: 'equal-times-keep-arrival-order',
      spec: 'README Semantics: ties in time keep arrival order',
      rules: temporal('temporal_ordered', '[recon_whoami, recon_net]'),
      events: [run(3, 'h1', 'net user'), run(3, 'h1', 'whoami')],
      alerts: [],
    },
    {
      name: 'gte-compares-the-steps-reached',
      spec: 'README Semantics: a temporal_ordered condition compares how many leading steps happened in order',
      rules: temporal('temporal_ordered', '[recon_whoami, recon_net, recon_ipconfig]', 'condition: {gte: 2}'),
      events: [run(0, 'h1', 'whoami'), run(1, 'h1', 'ipconfig'), run(2, 'h1', 'net user'), run(3, 'h1', 'ipconfig')],
      alerts: [
        { title: 'Recon burst', event: 2, value: 2 },
        { title: 'Recon burst', event: 3, value: 3 },
      ],
    },
  ],
};

export const groups: CorrelationGroup[] = [unordered, ordered];
