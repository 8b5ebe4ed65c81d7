/**
 * Disagreements between engines found by differential and corpus testing, shrunk to their essence and kept here so
 * they never return. Each case names what went wrong.
 */
import type { ConformanceGroup } from '../types.js';

export const group: ConformanceGroup = {
  group: 'regressions/engines',
  cases: [
    {
      name: 'empty-literal-constant-does-not-alias-another-constant',
      spec: 'compiler: a zero-length constant once shared its offset with the next constant and took its length',
      rule: `title: Star Value
logsource: {product: kubernetes}
detection:
  selection:
    hostPath: '*'
  condition: selection
---
title: Empty Contains In A Filter
logsource: {product: windows}
detection:
  selection:
    Image|endswith: '\\wmic.exe'
  filter:
    CommandLine|contains:
      - 'qfe list'
      - ''
  condition: selection and not filter
`,
      events: [
        { Image: 'C:\\Windows\\System32\\wbem\\WMIC.exe', CommandLine: 'wmic useraccount get /ALL' },
        { hostPath: '' },
        { hostPath: '/var/run' },
      ],
      matchesByRule: { 'Star Value': [1, 2], 'Empty Contains In A Filter': [] },
    },
  ],
};
