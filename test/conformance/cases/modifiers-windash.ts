import type { ConformanceGroup } from '../types.js';
import { det } from './_helpers.js';

// The five dash characters of SIGMA.md 1.6 windash: - / U+2013 U+2014 U+2015.
const EN = '\u2013';
const EM = '\u2014';
const BAR = '\u2015';
// Look-alikes that are NOT windash variants.
const MINUS = '\u2212';
const HYPHEN = '\u2010';
const FIGURE = '\u2012';

export const group: ConformanceGroup = {
  group: 'modifiers/windash',
  cases: [
    {
      name: 'dash-gives-five-variants',
      spec: 'SIGMA.md 1.6 windash: - or / becomes each of - / U+2013 U+2014 U+2015',
      rule: det`
        selection:
          CommandLine|contains|windash: ' -enc '
        condition: selection
      `,
      events: [
        { CommandLine: 'ps -enc AA' },
        { CommandLine: 'ps /enc AA' },
        { CommandLine: `ps ${EN}enc AA` },
        { CommandLine: `ps ${EM}enc AA` },
        { CommandLine: `ps ${BAR}enc AA` },
        { CommandLine: 'ps enc AA' },
        { CommandLine: `ps ${MINUS}enc AA` },
        { CommandLine: `ps ${HYPHEN}enc AA` },
        { CommandLine: `ps ${FIGURE}enc AA` },
        { CommandLine: 'ps \\enc AA' },
      ],
      matches: [0, 1, 2, 3, 4],
    },
    {
      name: 'slash-in-rule-value-expands-too',
      spec: 'SIGMA.md 1.6 windash: each - or / matching \\B[-/]\\b',
      rule: det`
        selection:
          CommandLine|contains|windash: ' /c '
        condition: selection
      `,
      events: [
        { CommandLine: 'cmd /c whoami' },
        { CommandLine: 'cmd -c whoami' },
        { CommandLine: `cmd ${EM}c whoami` },
        { CommandLine: 'cmd \\c whoami' },
        { CommandLine: 'cmd c whoami' },
      ],
      matches: [0, 1, 2],
    },
    {
      name: 'double-dash-expands-only-second',
      spec: 'SIGMA.md 1.6 windash: --user expands only its second dash',
      rule: det`
        selection:
          CommandLine|contains|windash: ' --user'
        condition: selection
      `,
      events: [
        { CommandLine: 'tool --user bob' },
        { CommandLine: 'tool -/user bob' },
        { CommandLine: `tool -${EN}user bob` },
        { CommandLine: 'tool //user bob' },
        { CommandLine: 'tool /-user bob' },
        { CommandLine: 'tool -user bob' },
        { CommandLine: `tool ${EN}${EN}user bob` },
      ],
      matches: [0, 1, 2],
    },
    {
      name: 'inner-dash-after-word-character-untouched',
      spec: 'SIGMA.md 1.6 windash: -param-1 keeps the inner -1',
      rule: det`
        selection:
          CommandLine|contains|windash: ' -param-1'
        condition: selection
      `,
      events: [
        { CommandLine: 'x -param-1' },
        { CommandLine: 'x /param-1' },
        { CommandLine: `x ${BAR}param-1` },
        { CommandLine: 'x -param/1' },
        { CommandLine: 'x /param/1' },
      ],
      matches: [0, 1, 2],
    },
    {
      name: 'two-expandable-dashes-give-25-variants',
      spec: 'SIGMA.md 1.6 windash: -param-1 -param2 gives 25 variants (cartesian product)',
      rule: det`
        selection:
          CommandLine|contains|windash: '-param-1 -param2'
        condition: selection
      `,
      events: [
        { CommandLine: `x /param-1 ${EN}param2` },
        { CommandLine: 'x -param-1 /param2' },
        { CommandLine: `x ${EM}param-1 ${BAR}param2` },
        { CommandLine: 'x -param-1 -param2' },
        { CommandLine: 'x /param/1 /param2' },
        { CommandLine: 'x -param-1 param2' },
        { CommandLine: 'x -param-1 -param3' },
      ],
      matches: [0, 1, 2, 3],
    },
    {
      name: 'dash-between-word-characters-untouched',
      spec: 'SIGMA.md 1.6 windash: \\B before the dash fails after a word character',
      rule: det`
        selection:
          CommandLine|contains|windash: 'x-y'
        condition: selection
      `,
      events: [{ CommandLine: 'ax-yb' }, { CommandLine: 'ax/yb' }, { CommandLine: `ax${EN}yb` }],
      matches: [0],
    },
    {
      name: 'dash-followed-by-space-untouched',
      spec: 'SIGMA.md 1.6 windash: \\b after the dash needs a following word character',
      rule: det`
        selection:
          CommandLine|contains|windash: 'a - b'
        condition: selection
      `,
      events: [{ CommandLine: 'a - b' }, { CommandLine: 'a / b' }, { CommandLine: `a ${EN} b` }],
      matches: [0],
    },
    {
      name: 'dash-before-wildcard-untouched',
      spec: 'SIGMA.md 1.6 windash: applied to each plain part; a dash at the end of a part is not followed by a word character',
      rule: det`
        selection:
          CommandLine|windash: 'cmd -*'
        condition: selection
      `,
      events: [{ CommandLine: 'cmd -x' }, { CommandLine: 'cmd /x' }, { CommandLine: 'cmd -' }, { CommandLine: `cmd ${EN}x` }],
      matches: [0, 2],
    },
    {
      name: 'dash-at-start-of-part-after-wildcard-expands',
      spec: 'SIGMA.md 1.6 windash: preceded by the start of a plain part between wildcards',
      rule: det`
        selection:
          CommandLine|windash: '*tool*-x'
        condition: selection
      `,
      events: [{ CommandLine: 'tool/x' }, { CommandLine: 'mytool.exe /x' }, { CommandLine: `tool${EM}x` }, { CommandLine: 'mytool.exe x' }, { CommandLine: 'tool-x' }],
      matches: [0, 1, 2, 4],
    },
    {
      name: 'dashes-in-several-parts-between-wildcards',
      spec: 'SIGMA.md 1.6 windash: wildcards between parts; each part expands',
      rule: det`
        selection:
          CommandLine|contains|windash: '-a*-b'
        condition: selection
      `,
      events: [{ CommandLine: `x /a foo ${EN}b` }, { CommandLine: 'x -a -b' }, { CommandLine: 'x /a b' }, { CommandLine: 'x a /b' }],
      matches: [0, 1],
    },
    {
      name: 'windash-without-contains-is-exact',
      spec: 'SIGMA.md 1.6 windash; 1.4 anchored match',
      rule: det`
        selection:
          Flag|windash: '-quiet'
        condition: selection
      `,
      events: [{ Flag: '/quiet' }, { Flag: `${EN}quiet` }, { Flag: '-quiet' }, { Flag: ' -quiet' }, { Flag: '-quiet2' }],
      matches: [0, 1, 2],
    },
    {
      name: 'endswith-windash',
      spec: 'SIGMA.md 1.6: corpus chain endswith|windash',
      rule: det`
        selection:
          CommandLine|endswith|windash: ' -s'
        condition: selection
      `,
      events: [{ CommandLine: 'cmd /s' }, { CommandLine: 'cmd -s' }, { CommandLine: `cmd ${BAR}s` }, { CommandLine: 'cmd -s x' }, { CommandLine: 'cmd-s' }],
      matches: [0, 1, 2],
    },
    {
      name: 'windash-output-is-case-insensitive',
      spec: 'SIGMA.md 1.7: outputs of windash match case-insensitively',
      rule: det`
        selection:
          CommandLine|contains|windash: ' /C '
        condition: selection
      `,
      events: [{ CommandLine: 'cmd -c whoami' }, { CommandLine: 'cmd /C whoami' }, { CommandLine: 'cmd /d whoami' }],
      matches: [0, 1],
    },
    {
      name: 'contains-all-windash-ors-variants-ands-values',
      spec: 'SIGMA.md decisions: contains|all|windash (dash variants ORed, values ANDed); 1.6 expansions stay OR-grouped',
      rule: det`
        selection:
          CommandLine|contains|all|windash:
            - ' -nop '
            - ' -w hidden'
        condition: selection
      `,
      events: [
        { CommandLine: `powershell /nop ${EN}w hidden` },
        { CommandLine: 'powershell -w hidden -nop x' },
        { CommandLine: 'powershell -nop x' },
        { CommandLine: 'powershell /w hidden' },
        { CommandLine: 'powershell -nop -w hidden' },
      ],
      matches: [0, 1, 4],
    },
    {
      name: 'en-dash-in-rule-is-not-expanded',
      spec: 'SIGMA.md 1.6 windash: only - and / in the rule value are expanded',
      rule: det`
        selection:
          CommandLine|contains|windash: " \u2013x"
        condition: selection
      `,
      events: [{ CommandLine: `a ${EN}x` }, { CommandLine: 'a -x' }, { CommandLine: 'a /x' }],
      matches: [0],
    },
    {
      name: 'three-dashes-mixed-variants',
      spec: 'SIGMA.md 1.6 windash: 5^n cartesian product',
      rule: det`
        selection:
          CommandLine|contains|windash: '-a -b -c'
        condition: selection
      `,
      events: [
        { CommandLine: `x ${EM}a /b ${BAR}c` },
        { CommandLine: `x /a /b /c` },
        { CommandLine: `x -a -b c` },
        { CommandLine: `x ${MINUS}a -b -c` },
      ],
      matches: [0, 1],
    },
    {
      name: 'dash-before-digit-and-underscore-expands',
      spec: 'SIGMA.md 1.6 windash: digits and _ are word characters for \\b',
      rule: det`
        digit:
          CommandLine|contains|windash: ' -1'
        underscore:
          Args|contains|windash: ' -_x'
        condition: digit or underscore
      `,
      events: [{ CommandLine: 'ping /1' }, { CommandLine: 'ping 1' }, { Args: 'run /_x' }, { Args: 'run _x' }],
      matches: [0, 2],
    },
    {
      name: 'windash-list-values',
      spec: 'SIGMA.md 1.2/1.6: value list ORed, each value expanded',
      rule: det`
        selection:
          CommandLine|contains|windash:
            - ' -decode '
            - ' -urlcache '
        condition: selection
      `,
      events: [{ CommandLine: 'certutil /urlcache -f' }, { CommandLine: `certutil ${EN}decode a b` }, { CommandLine: 'certutil -encode a b' }],
      matches: [0, 1],
    },
  ],
};
