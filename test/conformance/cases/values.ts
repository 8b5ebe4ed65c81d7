import type { ConformanceGroup } from '../types.js';
import { det, r } from './_helpers.js';

const strings: ConformanceGroup = {
  group: 'values/strings',
  cases: [
    {
      name: 'exact-match-is-anchored-to-whole-value',
      spec: 'SIGMA.md 1.4: wildcard matching is anchored to the whole field value',
      rule: det`
        selection:
          Image: 'C:\Windows\System32\cmd.exe'
        condition: selection
      `,
      events: [
        { Image: r`C:\Windows\System32\cmd.exe` },
        { Image: r`C:\Windows\System32\cmd.exe.bak` },
        { Image: r`D:\C:\Windows\System32\cmd.exe` },
        { Image: r`c:\windows\system32\CMD.EXE` },
        { Image: r`C:\Windows\System32\cmd.ex` },
      ],
      matches: [0, 3],
    },
    {
      name: 'plain-unquoted-scalar',
      spec: 'SIGMA.md 1.3 string values; case-insensitive by default',
      rule: det`
        selection:
          OriginalFileName: Cmd.Exe
        condition: selection
      `,
      events: [{ OriginalFileName: 'cmd.exe' }, { OriginalFileName: 'cmd' }, { OriginalFileName: 'CMD.EXE' }, {}],
      matches: [0, 2],
    },
    {
      name: 'double-quoted-yaml-decodes-escapes',
      spec: 'SIGMA.md 1.4 table row 1 (rule text is the YAML-decoded string)',
      rule: det`
        selection:
          Image: "C:\\Windows\\explorer.exe"
        condition: selection
      `,
      events: [
        { Image: r`C:\Windows\explorer.exe` },
        { Image: r`C:\\Windows\\explorer.exe` },
        { Image: 'C:Windowsexplorer.exe' },
      ],
      matches: [0],
    },
    {
      name: 'value-list-is-or',
      spec: 'SIGMA.md 1.2: the values in a list are ORed',
      rule: det`
        selection:
          User:
            - alice
            - bob
        condition: selection
      `,
      events: [{ User: 'alice' }, { User: 'Bob' }, { User: 'carol' }, { User: 'alice bob' }],
      matches: [0, 1],
    },
    {
      name: 'inner-and-edge-whitespace-is-significant',
      spec: 'SIGMA.md 1.4: literal characters must match exactly (modulo case)',
      rule: det`
        selection:
          Description: ' Windows  Command Processor'
        condition: selection
      `,
      events: [
        { Description: ' Windows  Command Processor' },
        { Description: 'Windows  Command Processor' },
        { Description: ' Windows Command Processor' },
        { Description: ' windows  command processor' },
        { Description: ' Windows  Command Processor ' },
      ],
      matches: [0, 3],
    },
    {
      name: 'yaml-comment-ends-plain-scalar',
      spec: 'SIGMA.md 1.1: a file is YAML; " #" starts a comment after a plain scalar',
      rule: det`
        selection:
          Product: Contoso Agent # vendor tool
        condition: selection
      `,
      events: [{ Product: 'Contoso Agent' }, { Product: 'Contoso Agent # vendor tool' }, { Product: 'contoso agent' }],
      matches: [0, 2],
    },
    {
      name: 'quoted-hash-and-colon-are-literal',
      spec: 'SIGMA.md 1.3 string values',
      rule: det`
        selection:
          Note: 'key: value # not a comment'
        condition: selection
      `,
      events: [{ Note: 'key: value # not a comment' }, { Note: 'key: value' }, { Note: 'key' }],
      matches: [0],
    },
    {
      name: 'literal-block-scalar-keeps-newline',
      spec: 'SIGMA.md 1.1/1.3: YAML-decoded string is the value; newline is an ordinary character',
      rule: det`
        selection:
          Data: |-
            first line
            second line
        condition: selection
      `,
      events: [
        { Data: 'first line\nsecond line' },
        { Data: 'first line second line' },
        { Data: 'first line\nsecond line\n' },
        { Data: 'FIRST LINE\nSECOND LINE' },
      ],
      matches: [0, 3],
    },
    {
      name: 'string-rule-does-not-match-other-number',
      spec: 'SIGMA.md decisions: numbers; a string compares against the decimal text of a number',
      rule: det`
        selection:
          DestinationPort: 'http'
        condition: selection
      `,
      events: [{ DestinationPort: 80 }, { DestinationPort: 'http' }, { DestinationPort: 'HTTP' }, { DestinationPort: 'https' }],
      matches: [1, 2],
    },
    {
      name: 'two-fields-in-map-both-required',
      spec: 'SIGMA.md 1.2: map entries are ANDed',
      rule: det`
        selection:
          Image: 'C:\Windows\System32\whoami.exe'
          User: 'CORP\alice'
        condition: selection
      `,
      events: [
        { Image: r`C:\Windows\System32\whoami.exe`, User: r`CORP\alice` },
        { Image: r`C:\Windows\System32\whoami.exe`, User: r`CORP\bob` },
        { Image: r`C:\Windows\System32\whoami.exe` },
        { User: r`CORP\alice` },
        { Image: r`c:\windows\system32\WHOAMI.EXE`, User: r`corp\ALICE` },
      ],
      matches: [0, 4],
    },
    {
      name: 'single-quoted-doubled-quote',
      spec: "YAML single-quoted scalar: '' is one quote character",
      rule: det`
        selection:
          CommandLine|contains: 'it''s'
        condition: selection
      `,
      events: [{ CommandLine: "echo it's here" }, { CommandLine: "echo it''s here" }, { CommandLine: 'echo its here' }],
      matches: [0],
    },
  ],
};

const numbers: ConformanceGroup = {
  group: 'values/numbers',
  cases: [
    {
      name: 'integer-matches-number-and-decimal-string',
      spec: 'SIGMA.md decisions: numbers; 1.3 integer',
      rule: det`
        selection:
          EventID: 4688
        condition: selection
      `,
      events: [
        { EventID: 4688 },
        { EventID: '4688' },
        { EventID: '04688' },
        { EventID: 46880 },
        { EventID: 468 },
        { EventID: '4688 ' },
        { EventID: 4689 },
        {},
      ],
      matches: [0, 1],
    },
    {
      name: 'quoted-string-rule-matches-number-event',
      spec: 'project decision: a rule string "4688" also matches event number 4688',
      rule: det`
        selection:
          EventID: '4688'
        condition: selection
      `,
      events: [{ EventID: 4688 }, { EventID: '4688' }, { EventID: 4689 }, { EventID: 46880 }],
      matches: [0, 1],
    },
    {
      name: 'string-rule-with-leading-zero-is-text',
      spec: 'project decision: numbers compare by decimal text, "04688" is not 4688',
      rule: det`
        selection:
          Port: '0080'
        condition: selection
      `,
      events: [{ Port: 80 }, { Port: '0080' }, { Port: '80' }],
      matches: [1],
    },
    {
      name: 'number-list-is-or',
      spec: 'SIGMA.md 1.2 value lists; 1.3 integers',
      rule: det`
        selection:
          EventID:
            - 1
            - 4688
        condition: selection
      `,
      events: [{ EventID: 1 }, { EventID: '1' }, { EventID: 4688 }, { EventID: 10 }, { EventID: 0 }, { EventID: 11 }],
      matches: [0, 1, 2],
    },
    {
      name: 'one-is-not-boolean-true',
      spec: 'SIGMA.md decisions: numbers/booleans are distinct types',
      rule: det`
        selection:
          Flag: 1
        condition: selection
      `,
      events: [{ Flag: 1 }, { Flag: true }, { Flag: '1' }, { Flag: 'true' }, { Flag: 2 }],
      matches: [0, 2],
    },
    {
      name: 'zero-is-not-false-null-or-empty',
      spec: 'SIGMA.md decisions: numbers; 1.8 null/empty',
      rule: det`
        selection:
          Status: 0
        condition: selection
      `,
      events: [{ Status: 0 }, { Status: '0' }, { Status: false }, { Status: null }, { Status: '' }, {}],
      matches: [0, 1],
    },
    {
      name: 'negative-integer',
      spec: 'SIGMA.md decisions: numbers',
      rule: det`
        selection:
          Offset: -5
        condition: selection
      `,
      events: [{ Offset: -5 }, { Offset: '-5' }, { Offset: 5 }, { Offset: '- 5' }, { Offset: '5' }],
      matches: [0, 1],
    },
    {
      name: 'float-matches-number-and-decimal-string',
      spec: 'project decision: floats compare like integers (number or its decimal text)',
      rule: det`
        selection:
          Score: 0.75
        condition: selection
      `,
      events: [{ Score: 0.75 }, { Score: '0.75' }, { Score: 0.7 }, { Score: 75 }, { Score: '0.7' }],
      matches: [0, 1],
    },
    {
      name: 'number-text-is-canonical-decimal',
      spec: 'project decision: "04688" is not 4688, so neither are "4688.0" or "0.750"',
      rule: det`
        integer:
          EventID: 4688
        float:
          Score: 0.75
        condition: integer or float
      `,
      events: [{ EventID: '4688.0' }, { Score: '0.750' }, { EventID: '+4688' }, { EventID: 4688 }, { Score: '.75' }],
      matches: [3],
    },
    {
      name: 'large-integer',
      spec: 'SIGMA.md decisions: numbers',
      rule: det`
        selection:
          Size: 4294967296
        condition: selection
      `,
      events: [{ Size: 4294967296 }, { Size: '4294967296' }, { Size: 4294967295 }, { Size: 0 }],
      matches: [0, 1],
    },
    {
      name: 'wildcard-string-applies-to-number-text',
      spec: 'project decision: string comparisons see a number event value as its decimal text',
      rule: det`
        selection:
          EventID: '46*'
        condition: selection
      `,
      events: [{ EventID: 4688 }, { EventID: 5688 }, { EventID: '4600' }, { EventID: 46 }, { EventID: 1 }],
      matches: [0, 2, 3],
    },
    {
      name: 'number-in-event-array',
      spec: 'SIGMA.md decisions: event arrays; numbers',
      rule: det`
        selection:
          Ports: 4
        condition: selection
      `,
      events: [{ Ports: [1, 4] }, { Ports: [1, 44] }, { Ports: ['4'] }, { Ports: [] }],
      matches: [0, 2],
    },
    {
      name: 'mixed-number-and-string-list',
      spec: 'SIGMA.md 1.2/1.3',
      rule: det`
        selection:
          Code:
            - 4688
            - 'access-denied'
        condition: selection
      `,
      events: [{ Code: 4688 }, { Code: 'Access-Denied' }, { Code: 'access' }, { Code: 4687 }],
      matches: [0, 1],
    },
    {
      name: 'status-code-field-with-hyphen',
      spec: 'SIGMA.md corpus fields sc-status; numbers',
      rule: det`
        selection:
          sc-status: 404
          cs-method: GET
        condition: selection
      `,
      events: [
        { 'sc-status': '404', 'cs-method': 'GET' },
        { 'sc-status': 404, 'cs-method': 'get' },
        { 'sc-status': 4040, 'cs-method': 'GET' },
        { 'sc-status': 404, 'cs-method': 'POST' },
      ],
      matches: [0, 1],
    },
  ],
};

const booleans: ConformanceGroup = {
  group: 'values/booleans',
  cases: [
    {
      name: 'true-matches-json-true-and-true-strings',
      spec: 'SIGMA.md decisions: booleans',
      rule: det`
        selection:
          Signed: true
        condition: selection
      `,
      events: [
        { Signed: true },
        { Signed: 'true' },
        { Signed: 'True' },
        { Signed: 'TRUE' },
        { Signed: 'tRuE' },
        { Signed: false },
        { Signed: 1 },
        { Signed: 'yes' },
        { Signed: 'truex' },
        { Signed: ' true' },
        {},
      ],
      matches: [0, 1, 2, 3, 4],
    },
    {
      name: 'false-matches-json-false-and-false-strings',
      spec: 'SIGMA.md decisions: booleans (also false); 1.3 boolean',
      rule: det`
        selection:
          Initiated: false
        condition: selection
      `,
      events: [
        { Initiated: false },
        { Initiated: 'false' },
        { Initiated: 'False' },
        { Initiated: 'FALSE' },
        { Initiated: true },
        { Initiated: 0 },
        { Initiated: 'no' },
        { Initiated: null },
        {},
      ],
      matches: [0, 1, 2, 3],
    },
    {
      name: 'capitalised-yaml-true-is-boolean',
      spec: 'YAML 1.2 core schema: True is a boolean; SIGMA.md decisions: booleans',
      rule: det`
        selection:
          HasFullTrust: True
        condition: selection
      `,
      events: [{ HasFullTrust: true }, { HasFullTrust: 'true' }, { HasFullTrust: false }, { HasFullTrust: 'False' }],
      matches: [0, 1],
    },
    {
      name: 'quoted-true-string-matches-json-true',
      spec: 'project decision: a rule string compares with the text form of a scalar (like numbers); string match is case-insensitive',
      rule: det`
        selection:
          Signed: 'true'
        condition: selection
      `,
      events: [{ Signed: true }, { Signed: 'TRUE' }, { Signed: false }, { Signed: 'false' }],
      matches: [0, 1],
    },
    {
      name: 'boolean-in-event-array',
      spec: 'SIGMA.md decisions: event arrays; booleans',
      rule: det`
        selection:
          Flags: true
        condition: selection
      `,
      events: [{ Flags: [false, true] }, { Flags: [false, 'no'] }, { Flags: ['True'] }, { Flags: [] }],
      matches: [0, 2],
    },
    {
      name: 'boolean-combined-with-string-field',
      spec: 'SIGMA.md 1.3 (Sysmon carries Signed as a string)',
      rule: det`
        selection:
          ImageLoaded|endswith: '\evil.dll'
          Signed: true
        condition: selection
      `,
      events: [
        { ImageLoaded: r`C:\x\evil.dll`, Signed: 'true' },
        { ImageLoaded: r`C:\x\evil.dll`, Signed: 'false' },
        { ImageLoaded: r`C:\x\good.dll`, Signed: true },
        { ImageLoaded: r`C:\x\EVIL.DLL`, Signed: true },
      ],
      matches: [0, 3],
    },
    {
      name: 'not-boolean-true-includes-absent',
      spec: 'SIGMA.md 1.8: not is plain negation, a missing field makes the comparison false',
      rule: det`
        selection:
          Image|endswith: '.exe'
        signed:
          Signed: true
        condition: selection and not signed
      `,
      events: [
        { Image: 'a.exe', Signed: 'true' },
        { Image: 'a.exe', Signed: 'false' },
        { Image: 'a.exe' },
        { Image: 'a.exe', Signed: null },
        { Image: 'a.dll' },
      ],
      matches: [1, 2, 3],
    },
  ],
};

const nullEmpty: ConformanceGroup = {
  group: 'values/null-empty',
  cases: [
    {
      name: 'null-matches-absent-or-json-null',
      spec: 'SIGMA.md decisions: F: null; 1.8',
      rule: det`
        selection:
          CommandLine: null
        condition: selection
      `,
      events: [{}, { CommandLine: null }, { CommandLine: '' }, { CommandLine: 'null' }, { CommandLine: 'x' }, { CommandLine: 0 }, { CommandLine: false }, { Other: 'x' }],
      matches: [0, 1, 7],
    },
    {
      name: 'null-only-json-null-when-option-off',
      spec: 'SIGMA.md decisions: F: null (configurable); option nullMatchesAbsent: false',
      options: { nullMatchesAbsent: false },
      rule: det`
        selection:
          CommandLine: null
        condition: selection
      `,
      events: [{}, { CommandLine: null }, { CommandLine: '' }, { CommandLine: 'null' }, { Other: 'x' }],
      matches: [1],
    },
    {
      name: 'yaml-tilde-is-null',
      spec: 'YAML 1.2 core schema: ~ is null; SIGMA.md decisions: F: null',
      rule: det`
        selection:
          ParentImage: ~
        condition: selection
      `,
      events: [{}, { ParentImage: null }, { ParentImage: '~' }, { ParentImage: '' }],
      matches: [0, 1],
    },
    {
      name: 'empty-list-is-null',
      spec: 'SIGMA.md 1.2: [pySigma] field: [] is treated as field: null',
      rule: det`
        selection:
          OriginalFileName: []
        condition: selection
      `,
      events: [{}, { OriginalFileName: null }, { OriginalFileName: '' }, { OriginalFileName: 'x.exe' }],
      matches: [0, 1],
    },
    {
      name: 'empty-list-is-null-option-off',
      spec: 'SIGMA.md 1.2 field: [] = null; option nullMatchesAbsent: false',
      options: { nullMatchesAbsent: false },
      rule: det`
        selection:
          OriginalFileName: []
        condition: selection
      `,
      events: [{}, { OriginalFileName: null }, { OriginalFileName: '' }],
      matches: [1],
    },
    {
      name: 'empty-string-means-present-and-empty',
      spec: "SIGMA.md decisions: F: ''",
      rule: det`
        selection:
          Description: ''
        condition: selection
      `,
      events: [{ Description: '' }, {}, { Description: null }, { Description: ' ' }, { Description: 'x' }, { Description: 0 }],
      matches: [0],
    },
    {
      name: 'empty-string-in-value-list',
      spec: "SIGMA.md decisions: F: ''; 1.2 value lists",
      rule: det`
        selection:
          Description:
            - ''
            - '-'
        condition: selection
      `,
      events: [{ Description: '' }, { Description: '-' }, {}, { Description: null }, { Description: '--' }],
      matches: [0, 1],
    },
    {
      name: 'filter-main-null-and-empty-pattern',
      spec: 'SIGMA.md 1.3 (filter_main_null + filter_main_empty with not 1 of filter_main_*)',
      rule: det`
        selection:
          Image|endswith: '\rundll32.exe'
        filter_main_null:
          CommandLine: null
        filter_main_empty:
          CommandLine: ''
        condition: selection and not 1 of filter_main_*
      `,
      events: [
        { Image: r`C:\Windows\rundll32.exe`, CommandLine: 'rundll32 x.dll,Entry' },
        { Image: r`C:\Windows\rundll32.exe` },
        { Image: r`C:\Windows\rundll32.exe`, CommandLine: null },
        { Image: r`C:\Windows\rundll32.exe`, CommandLine: '' },
        { Image: r`C:\Windows\notepad.exe`, CommandLine: 'x' },
      ],
      matches: [0],
    },
    {
      name: 'filter-main-null-option-off-keeps-absent',
      spec: 'SIGMA.md 1.8 (null configurable); option nullMatchesAbsent: false',
      options: { nullMatchesAbsent: false },
      rule: det`
        selection:
          Image|endswith: '\rundll32.exe'
        filter_main_null:
          CommandLine: null
        filter_main_empty:
          CommandLine: ''
        condition: selection and not 1 of filter_main_*
      `,
      events: [
        { Image: r`C:\Windows\rundll32.exe`, CommandLine: 'rundll32 x.dll,Entry' },
        { Image: r`C:\Windows\rundll32.exe` },
        { Image: r`C:\Windows\rundll32.exe`, CommandLine: null },
        { Image: r`C:\Windows\rundll32.exe`, CommandLine: '' },
      ],
      matches: [0, 1],
    },
    {
      name: 'not-null-means-present-and-not-null',
      spec: 'SIGMA.md 1.8: not is plain negation',
      rule: det`
        nothing:
          Hashes: null
        condition: not nothing
      `,
      events: [{ Hashes: 'SHA256=ab' }, {}, { Hashes: null }, { Hashes: '' }, { Hashes: 0 }],
      matches: [0, 3, 4],
    },
    {
      name: 'object-value-is-not-null',
      spec: 'project decision: an object-valued field is present and not null',
      rule: det`
        selection:
          Details: null
        condition: selection
      `,
      events: [{ Details: { a: 1 } }, { Details: {} }, { Details: null }, {}],
      matches: [2, 3],
    },
    {
      name: 'nested-path-null',
      spec: 'SIGMA.md decisions: F: null, dotted names as nested paths',
      rule: det`
        selection:
          process.parent.name: null
        condition: selection
      `,
      events: [
        { process: { parent: { name: 'explorer.exe' } } },
        { process: { parent: { name: null } } },
        { process: { parent: {} } },
        { process: {} },
        {},
        { process: { parent: { name: '' } } },
      ],
      matches: [1, 2, 3, 4],
    },
    {
      name: 'star-matches-empty-but-not-null-or-absent',
      spec: 'SIGMA.md 1.4 (* matches any run including empty); project decision: null is not a string',
      rule: det`
        selection:
          User: '*'
        condition: selection
      `,
      events: [{ User: '' }, { User: 'x' }, { User: null }, {}, { User: { name: 'x' } }],
      matches: [0, 1],
    },
    {
      name: 'null-and-other-field-in-same-map',
      spec: 'SIGMA.md 1.2 map AND; decisions F: null',
      rule: det`
        selection:
          EventID: 4688
          ParentProcessName: null
        condition: selection
      `,
      events: [
        { EventID: 4688 },
        { EventID: 4688, ParentProcessName: null },
        { EventID: 4688, ParentProcessName: r`C:\x.exe` },
        { EventID: 1 },
      ],
      matches: [0, 1],
    },
  ],
};

const jsonText: ConformanceGroup = {
  group: 'values/special-characters',
  cases: [
    {
      name: 'double-quotes-in-value',
      spec: 'SIGMA.md 1.4 literal characters; JSON string escapes in events',
      rule: det`
        selection:
          CommandLine|contains: '"evil"'
        condition: selection
      `,
      events: [{ CommandLine: 'say "evil" now' }, { CommandLine: 'say evil now' }, { CommandLine: "say 'evil' now" }],
      matches: [0],
    },
    {
      name: 'newline-in-rule-via-double-quoted-yaml',
      spec: 'SIGMA.md 1.4; YAML double-quoted \\n is a newline',
      rule: det`
        selection:
          Payload|contains: "line1\nline2"
        condition: selection
      `,
      events: [{ Payload: 'xx line1\nline2 yy' }, { Payload: 'line1 line2' }, { Payload: r`line1\nline2` }],
      matches: [0],
    },
    {
      name: 'single-quoted-backslash-n-is-two-characters',
      spec: 'SIGMA.md 1.4: escaped ordinary character keeps both backslash and character',
      rule: det`
        selection:
          Payload|contains: '\n'
        condition: selection
      `,
      events: [{ Payload: 'a\nb' }, { Payload: r`a\nb` }, { Payload: 'anb' }],
      matches: [1],
    },
    {
      name: 'star-spans-newlines',
      spec: 'SIGMA.md 1.4: * is any run of characters',
      rule: det`
        selection:
          Script: 'begin*end'
        condition: selection
      `,
      events: [{ Script: 'begin\nmiddle\nend' }, { Script: 'begin\nmiddle' }, { Script: 'beginend' }],
      matches: [0, 2],
    },
    {
      name: 'question-mark-matches-newline',
      spec: 'SIGMA.md 1.4: ? is exactly one character',
      rule: det`
        selection:
          Script: 'a?b'
        condition: selection
      `,
      events: [{ Script: 'a\nb' }, { Script: 'a\tb' }, { Script: 'ab' }, { Script: 'a\r\nb' }],
      matches: [0, 1],
    },
    {
      name: 'nul-character-in-value',
      spec: 'SIGMA.md 1.4 literal characters; YAML double-quoted \\0 is NUL',
      rule: det`
        selection:
          Blob|contains: "a\0b"
        condition: selection
      `,
      events: [{ Blob: 'xa\u0000by' }, { Blob: 'xaby' }, { Blob: 'xa0by' }],
      matches: [0],
    },
    {
      name: 'tab-via-yaml-escape',
      spec: 'SIGMA.md 1.4; YAML double-quoted \\t',
      rule: det`
        selection:
          Line: "col1\tcol2"
        condition: selection
      `,
      events: [{ Line: 'col1\tcol2' }, { Line: 'col1 col2' }, { Line: r`col1\tcol2` }],
      matches: [0],
    },
    {
      name: 'unicode-escape-in-double-quoted-yaml',
      spec: 'SIGMA.md 1.7 non-ASCII; YAML \\u escapes',
      rule: det`
        selection:
          FileName|contains: "\u202E"
        condition: selection
      `,
      events: [{ FileName: 'invoice\u202Egpj.exe' }, { FileName: 'invoice.jpg' }, { FileName: 'invoice\u202Dgpj.exe' }],
      matches: [0],
    },
  ],
};

export const groups: ConformanceGroup[] = [strings, numbers, booleans, nullEmpty, jsonText];
