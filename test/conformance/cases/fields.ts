import type { ConformanceGroup } from '../types.js';
import { det } from './_helpers.js';

export const group: ConformanceGroup = {
  group: 'fields/access',
  cases: [
    {
      name: 'field-names-are-case-sensitive',
      spec: 'SIGMA.md decisions: field names exact, case-sensitive',
      rule: det`
        selection:
          Image: 'x.exe'
        condition: selection
      `,
      events: [{ Image: 'x.exe' }, { image: 'x.exe' }, { IMAGE: 'x.exe' }, { ' Image': 'x.exe' }],
      matches: [0],
    },
    {
      name: 'dotted-name-as-literal-key',
      spec: 'SIGMA.md decisions: a dotted name is first one literal key',
      rule: det`
        selection:
          properties.message|contains: 'role assigned'
        condition: selection
      `,
      events: [{ 'properties.message': 'Role assigned to user' }, { 'properties.message': 'other' }, { properties: 'role assigned' }],
      matches: [0],
    },
    {
      name: 'dotted-name-as-nested-path',
      spec: 'SIGMA.md decisions: only when the event has no such key is it looked up as the nested path',
      rule: det`
        selection:
          properties.message|contains: 'role assigned'
        condition: selection
      `,
      events: [{ properties: { message: 'Role assigned to user' } }, { properties: { message: 'other' } }, { properties: { Message: 'role assigned' } }],
      matches: [0],
    },
    {
      name: 'literal-key-wins-over-nested-path',
      spec: 'SIGMA.md decisions: literal key "a.b" first; nested path only if the key is absent',
      rule: det`
        selection:
          a.b: 'nested'
        condition: selection
      `,
      events: [{ 'a.b': 'literal', a: { b: 'nested' } }, { a: { b: 'nested' } }, { 'a.b': 'nested', a: { b: 'literal' } }],
      matches: [1, 2],
    },
    {
      name: 'literal-key-with-null-still-wins',
      spec: 'project decision: the nested path is used only if the event has no key "a.b" (a null value is a key)',
      rule: det`
        selection:
          a.b: 'nested'
        condition: selection
      `,
      events: [{ 'a.b': null, a: { b: 'nested' } }, { a: { b: 'nested' } }],
      matches: [1],
    },
    {
      name: 'three-level-nested-path',
      spec: 'SIGMA.md decisions: dotted names as nested paths',
      rule: det`
        selection:
          process.parent.executable|endswith: '/bash'
        condition: selection
      `,
      events: [
        { process: { parent: { executable: '/bin/bash' } } },
        { process: { parent: { executable: '/bin/zsh' } } },
        { process: { executable: '/bin/bash' } },
        { 'process.parent.executable': '/usr/bin/bash' },
      ],
      matches: [0, 3],
    },
    {
      name: 'array-of-strings-any-element',
      spec: 'SIGMA.md decisions: event arrays, any element',
      rule: det`
        selection:
          Tags: 'malware'
        condition: selection
      `,
      events: [{ Tags: ['benign', 'malware'] }, { Tags: ['benign'] }, { Tags: 'malware' }, { Tags: ['MALWARE'] }, { Tags: [] }],
      matches: [0, 2, 3],
    },
    {
      name: 'array-of-objects-along-path',
      spec: 'project decision: arrays along a nested path are traversed (any element)',
      rule: det`
        selection:
          TargetResources.ModifiedProperties.NewValue|contains: 'Global Administrator'
        condition: selection
      `,
      events: [
        {
          TargetResources: [
            { ModifiedProperties: [{ NewValue: 'User' }] },
            { ModifiedProperties: [{ NewValue: 'x' }, { NewValue: '"Global Administrator"' }] },
          ],
        },
        { TargetResources: [{ ModifiedProperties: [{ NewValue: 'User' }] }] },
        { TargetResources: { ModifiedProperties: { NewValue: 'Global Administrator' } } },
        { TargetResources: [] },
      ],
      matches: [0, 2],
    },
    {
      name: 'object-valued-field-matches-no-string',
      spec: 'project decision: an object-valued field matches no string/number comparison but satisfies exists',
      rule: det`
        star:
          Details: '*'
        present:
          Details|exists: true
        condition: present and not star
      `,
      events: [{ Details: { a: 'b' } }, { Details: 'text' }, {}, { Details: [] }],
      matches: [0, 3],
    },
    {
      name: 'missing-field-comparison-false-not-true',
      spec: 'SIGMA.md 1.8: a missing field makes every other comparison false; not is plain negation',
      rule: det`
        selection:
          Image|endswith: '.exe'
        filter:
          ParentImage|contains: 'explorer'
        condition: selection and not filter
      `,
      events: [{ Image: 'a.exe' }, { Image: 'a.exe', ParentImage: 'explorer.exe' }, { Image: 'a.exe', ParentImage: 'services.exe' }],
      matches: [0, 2],
    },
    {
      name: 'intermediate-scalar-is-missing',
      spec: 'SIGMA.md decisions: nested path; a scalar has no children',
      rule: det`
        selection:
          user.name: 'root'
        condition: selection
      `,
      events: [{ user: 'root' }, { user: { name: 'root' } }, { user: ['root'] }],
      matches: [1],
    },
    {
      name: 'field-names-with-hyphens',
      spec: 'SIGMA.md corpus fields (cs-uri-query, c-useragent)',
      rule: det`
        selection:
          cs-uri-query|contains: 'cmd='
          c-useragent|startswith: 'curl/'
        condition: selection
      `,
      events: [
        { 'cs-uri-query': '?cmd=id', 'c-useragent': 'curl/8.0' },
        { 'cs-uri-query': '?cmd=id', 'c-useragent': 'Mozilla/5.0' },
        { cs_uri_query: '?cmd=id', 'c-useragent': 'curl/8.0' },
      ],
      matches: [0],
    },
    {
      name: 'field-name-with-space',
      spec: 'SIGMA.md decisions: field names exact',
      rule: det`
        selection:
          'Account Name': 'svc_backup'
        condition: selection
      `,
      events: [{ 'Account Name': 'svc_backup' }, { AccountName: 'svc_backup' }, { 'Account  Name': 'svc_backup' }],
      matches: [0],
    },
    {
      name: 'non-ascii-field-name',
      spec: 'SIGMA.md decisions: field names exact',
      rule: det`
        selection:
          Größe: 'groß'
        condition: selection
      `,
      events: [{ Größe: 'GROß' }, { Grösse: 'groß' }, { GRÖßE: 'groß' }],
      matches: [0],
    },
    {
      name: 'nested-path-is-case-sensitive',
      spec: 'SIGMA.md decisions: field names exact, case-sensitive',
      rule: det`
        selection:
          Properties.Message: 'x'
        condition: selection
      `,
      events: [{ properties: { message: 'x' } }, { Properties: { message: 'x' } }, { Properties: { Message: 'x' } }],
      matches: [2],
    },
    {
      name: 'array-of-numbers',
      spec: 'SIGMA.md decisions: event arrays; numbers',
      rule: det`
        selection:
          Ports:
            - 3389
            - 5985
        condition: selection
      `,
      events: [{ Ports: [80, 3389] }, { Ports: ['5985'] }, { Ports: [80, 443] }],
      matches: [0, 1],
    },
    {
      name: 'nested-arrays-along-path',
      spec: 'project decision: arrays along a nested path are traversed (any element)',
      rule: det`
        selection:
          a.b.c: 'v'
        condition: selection
      `,
      events: [{ a: [{ b: [{ c: 'x' }, { c: 'v' }] }] }, { a: [{ b: [{ c: 'x' }] }, { b: { c: 'v' } }] }, { a: [{ b: [{ d: 'v' }] }] }],
      matches: [0, 1],
    },
    {
      name: 'numeric-looking-key',
      spec: 'SIGMA.md decisions: field names exact (a0, a1 from auditd)',
      rule: det`
        selection:
          a0: 'chmod'
          a1|contains: '+x'
        condition: selection
      `,
      events: [{ a0: 'chmod', a1: 'u+x' }, { a0: 'chmod', a1: '644' }, { A0: 'chmod', a1: '+x' }],
      matches: [0],
    },
  ],
};
