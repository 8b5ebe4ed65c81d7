import type { ConformanceGroup } from '../types.js';
import { det, r } from './_helpers.js';

const wildcards: ConformanceGroup = {
  group: 'values/wildcards',
  cases: [
    {
      name: 'star-in-middle-after-escaped-backslash',
      spec: 'SIGMA.md 1.4: \\\\ is a literal backslash, the following * stays a wildcard',
      rule: det`
        selection:
          Image: 'C:\Windows\\*\cmd.exe'
        condition: selection
      `,
      events: [
        { Image: r`C:\Windows\System32\cmd.exe` },
        { Image: r`C:\Windows\cmd.exe` },
        { Image: r`C:\Windows\a\b\cmd.exe` },
        { Image: r`C:\Windows\System32\cmd.exe.bak` },
        { Image: r`C:\Windows\\cmd.exe` },
      ],
      matches: [0, 2, 4],
    },
    {
      name: 'star-matches-empty-run',
      spec: 'SIGMA.md 1.4: * matches any run, including empty',
      rule: det`
        selection:
          Name: 'ab*cd'
        condition: selection
      `,
      events: [{ Name: 'abcd' }, { Name: 'abXYZcd' }, { Name: 'abc' }, { Name: 'xabcd' }, { Name: 'abcdx' }],
      matches: [0, 1],
    },
    {
      name: 'several-stars-keep-order',
      spec: 'SIGMA.md 1.4',
      rule: det`
        selection:
          Name: '*a*b*c*'
        condition: selection
      `,
      events: [{ Name: 'xaybzc' }, { Name: 'cba' }, { Name: 'abc' }, { Name: 'ab' }],
      matches: [0, 2],
    },
    {
      name: 'leading-star-only',
      spec: 'SIGMA.md 1.4',
      rule: det`
        selection:
          TargetFilename: '*.ps1'
        condition: selection
      `,
      events: [{ TargetFilename: 'run.ps1' }, { TargetFilename: '.ps1' }, { TargetFilename: 'run.ps1 ' }, { TargetFilename: 'run.PS1' }, { TargetFilename: 'run.ps1x' }],
      matches: [0, 1, 3],
    },
    {
      name: 'lone-star-matches-any-string',
      spec: 'SIGMA.md 1.4; 1.8 (missing field makes comparisons false)',
      rule: det`
        selection:
          ParentImage: '*'
        condition: selection
      `,
      events: [{ ParentImage: 'x' }, { ParentImage: '' }, {}, { ParentImage: r`C:\a b\c` }],
      matches: [0, 1, 3],
    },
    {
      name: 'question-mark-exactly-one-character',
      spec: 'SIGMA.md 1.4: ? is WILDCARD_SINGLE (exactly one character)',
      rule: det`
        selection:
          Name: 'a?c'
        condition: selection
      `,
      events: [{ Name: 'abc' }, { Name: 'ac' }, { Name: 'abbc' }, { Name: 'a?c' }, { Name: 'A.C' }],
      matches: [0, 3, 4],
    },
    {
      name: 'only-question-marks',
      spec: 'SIGMA.md 1.4',
      rule: det`
        selection:
          Code: '???'
        condition: selection
      `,
      events: [{ Code: 'abc' }, { Code: 'ab' }, { Code: 'abcd' }, { Code: '' }, { Code: 123 }],
      matches: [0, 4],
    },
    {
      name: 'url-question-mark-is-a-wildcard',
      spec: 'SIGMA.md 1.4: most ? come from URLs such as adlog.php? and still match the literal ?',
      rule: det`
        selection:
          c-uri|contains: 'adlog.php?'
        condition: selection
      `,
      events: [{ 'c-uri': '/x/adlog.php?id=1' }, { 'c-uri': '/adlog.phpX' }, { 'c-uri': '/adlog.php' }, { 'c-uri': '/adlog.ph?' }],
      matches: [0, 1],
    },
    {
      name: 'question-then-star-means-non-empty',
      spec: 'SIGMA.md 1.4',
      rule: det`
        selection:
          Value: '?*'
        condition: selection
      `,
      events: [{ Value: '' }, { Value: 'a' }, { Value: 'abc' }, {}],
      matches: [1, 2],
    },
    {
      name: 'wildcards-are-case-insensitive',
      spec: 'SIGMA.md 1.7: strings and wildcards match case-insensitively',
      rule: det`
        selection:
          Image: '*system32*.exe'
        condition: selection
      `,
      events: [{ Image: r`C:\Windows\SYSTEM32\Cmd.EXE` }, { Image: r`C:\Windows\SysWOW64\cmd.exe` }, { Image: r`C:\Windows\System32\cmd.dll` }],
      matches: [0],
    },
    {
      name: 'wildcard-values-in-list',
      spec: 'SIGMA.md 1.2/1.4',
      rule: det`
        selection:
          TargetFilename:
            - '*.bat'
            - '*.cmd'
            - 'C:\Temp\\*'
        condition: selection
      `,
      events: [{ TargetFilename: 'x.bat' }, { TargetFilename: 'y.CMD' }, { TargetFilename: r`C:\Temp\z.txt` }, { TargetFilename: r`C:\Tmp\z.txt` }, { TargetFilename: 'x.bat.txt' }],
      matches: [0, 1, 2],
    },
    {
      name: 'two-stars-between-path-parts',
      spec: 'SIGMA.md 1.4 (the \\\\* idiom)',
      rule: det`
        selection:
          TargetFilename: 'C:\Users\\*\AppData\\*'
        condition: selection
      `,
      events: [
        { TargetFilename: r`C:\Users\bob\AppData\Local\x.dll` },
        { TargetFilename: r`C:\Users\bob\Documents\x.dll` },
        { TargetFilename: r`C:\Users\AppData\x` },
        { TargetFilename: 'c:\\users\\ALICE\\appdata\\' },
      ],
      matches: [0, 3],
    },
    {
      name: 'question-mark-as-drive-letter',
      spec: 'SIGMA.md 1.4',
      rule: det`
        selection:
          Image|startswith: '?:\ProgramData\'
        condition: selection
      `,
      events: [{ Image: r`C:\ProgramData\x.exe` }, { Image: r`D:\programdata\y.exe` }, { Image: r`CD:\ProgramData\x.exe` }, { Image: r`:\ProgramData\x.exe` }],
      matches: [0, 1],
    },
  ],
};

const escapes: ConformanceGroup = {
  group: 'values/escapes',
  cases: [
    {
      name: 'backslash-before-ordinary-character-is-kept',
      spec: 'SIGMA.md 1.4 table row 1: C:\\Windows -> C:\\Windows',
      rule: det`
        selection:
          Path: 'C:\Windows'
        condition: selection
      `,
      events: [{ Path: r`C:\Windows` }, { Path: r`C:\\Windows` }, { Path: 'C:Windows' }, { Path: r`c:\windows` }],
      matches: [0, 3],
    },
    {
      name: 'double-backslash-before-ordinary-character',
      spec: 'SIGMA.md 1.4 table row 1: C:\\\\Windows -> C:\\Windows',
      rule: det`
        selection:
          Path: 'C:\\Windows'
        condition: selection
      `,
      events: [{ Path: r`C:\Windows` }, { Path: r`C:\\Windows` }, { Path: 'C:Windows' }],
      matches: [0],
    },
    {
      name: 'double-quoted-yaml-double-backslash',
      spec: 'SIGMA.md 1.4 table row 1 after YAML decoding ("C:\\\\Windows" decodes to C:\\Windows)',
      rule: det`
        selection:
          Path: "C:\\Windows"
        condition: selection
      `,
      events: [{ Path: r`C:\Windows` }, { Path: r`C:\\Windows` }],
      matches: [0],
    },
    {
      name: 'escaped-star-is-literal',
      spec: 'SIGMA.md 1.4 table row 2: a\\*b -> literal a*b',
      rule: det`
        selection:
          Value: 'a\*b'
        condition: selection
      `,
      events: [{ Value: 'a*b' }, { Value: 'axb' }, { Value: r`a\*b` }, { Value: 'ab' }, { Value: 'A*B' }],
      matches: [0, 4],
    },
    {
      name: 'escaped-backslash-then-wildcard',
      spec: 'SIGMA.md 1.4 table row 3: a\\\\*b -> a\\ + WILDCARD + b',
      rule: det`
        selection:
          Value: 'a\\*b'
        condition: selection
      `,
      events: [{ Value: r`a\b` }, { Value: r`a\xyzb` }, { Value: 'ab' }, { Value: 'axb' }, { Value: r`a\*b` }, { Value: 'a*b' }],
      matches: [0, 1, 4],
    },
    {
      name: 'escaped-backslash-then-escaped-star',
      spec: 'SIGMA.md 1.4 table row 4: a\\\\\\*b -> literal a\\*b',
      rule: det`
        selection:
          Value: 'a\\\*b'
        condition: selection
      `,
      events: [{ Value: r`a\*b` }, { Value: r`a\xb` }, { Value: 'a*b' }, { Value: r`a\\*b` }],
      matches: [0],
    },
    {
      name: 'three-backslashes-before-ordinary-character',
      spec: 'SIGMA.md 1.4 table row 5: a\\\\\\b -> a\\\\b',
      rule: det`
        selection:
          Value: 'a\\\b'
        condition: selection
      `,
      events: [{ Value: r`a\\b` }, { Value: r`a\b` }, { Value: r`a\\\b` }],
      matches: [0],
    },
    {
      name: 'four-backslashes-before-ordinary-character',
      spec: 'SIGMA.md 1.4 table row 5: a\\\\\\\\b -> a\\\\b',
      rule: det`
        selection:
          Value: 'a\\\\b'
        condition: selection
      `,
      events: [{ Value: r`a\\b` }, { Value: r`a\b` }, { Value: r`a\\\\b` }],
      matches: [0],
    },
    {
      name: 'trailing-lone-backslash-is-literal',
      spec: 'SIGMA.md 1.4 table row 6: end\\ -> end\\',
      rule: det`
        selection:
          Value: 'end\'
        condition: selection
      `,
      events: [{ Value: 'end\\' }, { Value: 'end' }, { Value: 'end\\\\' }],
      matches: [0],
    },
    {
      name: 'trailing-double-backslash',
      spec: 'SIGMA.md 1.4 table row 6: end\\\\ -> end\\',
      rule: det`
        selection:
          Value: 'end\\'
        condition: selection
      `,
      events: [{ Value: 'end\\' }, { Value: 'end' }, { Value: 'end\\\\' }],
      matches: [0],
    },
    {
      name: 'path-with-trailing-backslash-star-is-literal-star',
      spec: 'SIGMA.md 1.4 table row 7: C:\\Windows\\* -> literal C:\\Windows* (the star is escaped)',
      rule: det`
        selection:
          Path: 'C:\Windows\*'
        condition: selection
      `,
      events: [{ Path: 'C:\\Windows*' }, { Path: r`C:\Windows\System32` }, { Path: r`C:\Windows\*` }, { Path: r`C:\Windows` }],
      matches: [0],
    },
    {
      name: 'double-quoted-yaml-backslash-star-is-escaped',
      spec: 'SIGMA.md 1.4 table row 7 after YAML decoding ("C:\\\\Windows\\\\*" decodes to C:\\Windows\\*)',
      rule: det`
        selection:
          Path: "C:\\Windows\\*"
        condition: selection
      `,
      events: [{ Path: 'C:\\Windows*' }, { Path: r`C:\Windows\x` }],
      matches: [0],
    },
    {
      name: 'escaped-question-mark-is-literal',
      spec: 'SIGMA.md 1.4: escaped ? is emitted as a literal',
      rule: det`
        selection:
          Value: 'what\?'
        condition: selection
      `,
      events: [{ Value: 'what?' }, { Value: 'whatx' }, { Value: r`what\?` }],
      matches: [0],
    },
    {
      name: 'contains-escaped-star',
      spec: 'SIGMA.md 1.4/1.6: contains adds wildcards around a literal *',
      rule: det`
        selection:
          CommandLine|contains: '\*'
        condition: selection
      `,
      events: [{ CommandLine: 'dir *.txt' }, { CommandLine: 'dir x.txt' }],
      matches: [0],
    },
    {
      name: 'startswith-after-escaped-trailing-star',
      spec: 'SIGMA.md 1.6: startswith adds * unless a WILDCARD is already there; an escaped * is a literal',
      rule: det`
        selection:
          Value|startswith: 'foo\*'
        condition: selection
      `,
      events: [{ Value: 'foo*bar' }, { Value: 'foobar' }, { Value: 'foo*' }, { Value: 'foo' }],
      matches: [0, 2],
    },
    {
      name: 'endswith-escaped-question-mark',
      spec: 'SIGMA.md 1.4/1.6',
      rule: det`
        selection:
          Value|endswith: '\?'
        condition: selection
      `,
      events: [{ Value: 'what?' }, { Value: 'whatx' }, { Value: '?' }],
      matches: [0, 2],
    },
    {
      name: 'four-backslashes-then-star',
      spec: 'SIGMA.md 1.4: each \\\\ pair is one literal backslash; the * after them is a wildcard',
      rule: det`
        selection:
          Value: 'a\\\\*'
        condition: selection
      `,
      events: [{ Value: r`a\\xyz` }, { Value: r`a\xyz` }, { Value: r`a\\` }, { Value: 'a' }],
      matches: [0, 2],
    },
    {
      name: 'escaped-backslash-then-question-mark',
      spec: 'SIGMA.md 1.4',
      rule: det`
        selection:
          Value: 'a\\?'
        condition: selection
      `,
      events: [{ Value: r`a\x` }, { Value: 'a\\' }, { Value: r`a\xy` }, { Value: 'ax' }],
      matches: [0],
    },
    {
      name: 'plain-scalar-path-keeps-backslashes',
      spec: 'SIGMA.md 1.4 table row 1 (plain YAML scalar)',
      rule: det`
        selection:
          Image: C:\Windows\System32\calc.exe
        condition: selection
      `,
      events: [{ Image: r`C:\Windows\System32\calc.exe` }, { Image: 'C:WindowsSystem32calc.exe' }],
      matches: [0],
    },
    {
      name: 'backslash-percent-without-expand-keeps-backslash',
      spec: 'SIGMA.md 1.4: an escaped ordinary character keeps both (only expand gives \\% a meaning)',
      rule: det`
        selection:
          Data: '100\%'
        condition: selection
      `,
      events: [{ Data: r`100\%` }, { Data: '100%' }],
      matches: [0],
    },
    {
      name: 'percent-is-literal-without-expand',
      spec: 'SIGMA.md 1.6 expand: without expand, %x% is literal',
      rule: det`
        selection:
          Image|startswith: '%TEMP%\'
        condition: selection
      `,
      events: [{ Image: r`%temp%\x.exe` }, { Image: r`C:\Temp\x.exe` }, { Image: r`%TMP%\x.exe` }],
      matches: [0],
    },
  ],
};

const caseFolding: ConformanceGroup = {
  group: 'values/case-folding',
  cases: [
    {
      name: 'ascii-case-insensitive-both-directions',
      spec: 'SIGMA.md 1.7: case-insensitive unless cased',
      rule: det`
        upper:
          Image|endswith: '\POWERSHELL.EXE'
        lower:
          ParentImage|endswith: '\explorer.exe'
        condition: upper and lower
      `,
      events: [
        { Image: r`C:\x\powershell.exe`, ParentImage: r`C:\Windows\EXPLORER.EXE` },
        { Image: r`C:\x\PowerShell.Exe`, ParentImage: r`C:\Windows\Explorer.exe` },
        { Image: r`C:\x\pwsh.exe`, ParentImage: r`C:\Windows\explorer.exe` },
      ],
      matches: [0, 1],
    },
    {
      name: 'latin-umlaut',
      spec: 'project decision: per-code-point simple lowercasing (Ä matches ä); no accent stripping',
      rule: det`
        selection:
          Subject|contains: 'ÄNDERUNG'
        condition: selection
      `,
      events: [{ Subject: 'Passwortänderung' }, { Subject: 'PASSWORTÄNDERUNG' }, { Subject: 'Passwortanderung' }, { Subject: 'PasswortÄnderung' }],
      matches: [0, 1, 3],
    },
    {
      name: 'greek-sigma-but-not-final-sigma',
      spec: 'project decision: simple lowercasing, Σ -> σ; final ς is a different code point',
      rule: det`
        selection:
          Name|contains: 'ΣΟΦ'
        condition: selection
      `,
      events: [{ Name: 'σοφία' }, { Name: 'ΣΟΦΊΑ' }, { Name: 'ςοφ' }, { Name: 'σοφ' }],
      matches: [0, 1, 3],
    },
    {
      name: 'cyrillic',
      spec: 'project decision: per-code-point simple lowercasing',
      rule: det`
        selection:
          Message: 'ПРИВЕТ МИР'
        condition: selection
      `,
      events: [{ Message: 'привет мир' }, { Message: 'Привет Мир' }, { Message: 'привет  мир' }, { Message: 'PRIVET MIR' }],
      matches: [0, 1],
    },
    {
      name: 'no-full-case-folding-sharp-s',
      spec: 'project decision: per-code-point simple lowercasing, no multi-character folding (ß is not ss)',
      rule: det`
        selection:
          Street: 'STRASSE'
        condition: selection
      `,
      events: [{ Street: 'straße' }, { Street: 'strasse' }, { Street: 'Strasse' }],
      matches: [1, 2],
    },
    {
      name: 'capital-sharp-s-lowercases-to-sharp-s',
      spec: 'project decision: simple lowercase of U+1E9E is U+00DF',
      rule: det`
        selection:
          Street: 'GROẞ'
        condition: selection
      `,
      events: [{ Street: 'groß' }, { Street: 'GROẞ' }, { Street: 'gross' }],
      matches: [0, 1],
    },
    {
      name: 'no-unicode-normalisation',
      spec: 'SIGMA.md 1.7: compare by code point (precomposed é is not e + U+0301)',
      rule: det`
        selection:
          Name: 'CAFÉ'
        condition: selection
      `,
      events: [{ Name: 'café' }, { Name: 'cafe\u0301' }, { Name: 'CAFE' }, { Name: 'Café' }],
      matches: [0, 3],
    },
    {
      name: 'fullwidth-letters',
      spec: 'project decision: per-code-point simple lowercasing (Ａ U+FF21 -> ａ U+FF41)',
      rule: det`
        selection:
          Name: 'ＡＤＭＩＮ'
        condition: selection
      `,
      events: [{ Name: 'ａｄｍｉｎ' }, { Name: 'admin' }, { Name: 'ＡＤＭＩＮ' }],
      matches: [0, 2],
    },
    {
      name: 'supplementary-plane-case-pair',
      spec: 'project decision: per-code-point simple lowercasing also outside the BMP (U+10400 -> U+10428)',
      rule: det`
        selection:
          Name|contains: '𐐀'
        condition: selection
      `,
      events: [{ Name: 'x𐐨y' }, { Name: 'x𐐀y' }, { Name: 'xy' }],
      matches: [0, 1],
    },
    {
      name: 'dotless-i-is-not-i',
      spec: 'project decision: per-code-point simple lowercasing (I -> i, never ı)',
      rule: det`
        selection:
          Name: 'WIN'
        condition: selection
      `,
      events: [{ Name: 'win' }, { Name: 'wın' }, { Name: 'Win' }],
      matches: [0, 2],
    },
    {
      name: 'kelvin-sign-lowercases-to-k',
      spec: 'project decision: same simple lowercasing on both sides; U+212A KELVIN SIGN lowercases to k',
      rule: det`
        selection:
          Unit: 'k'
        condition: selection
      `,
      events: [{ Unit: '\u212A' }, { Unit: 'K' }, { Unit: 'k' }, { Unit: 'x' }],
      matches: [0, 1, 2],
    },
    {
      name: 'question-mark-on-non-ascii-letter-ignores-case',
      spec: 'SIGMA.md 1.7; project decision: ? is one code point',
      rule: det`
        selection:
          Name: 'Ä?Ö'
        condition: selection
      `,
      events: [{ Name: 'äxö' }, { Name: 'ÄßÖ' }, { Name: 'aXo' }, { Name: 'äö' }],
      matches: [0, 1],
    },
    {
      name: 'emoji-exact',
      spec: 'SIGMA.md 1.7: non-ASCII (emoji) compared by code point',
      rule: det`
        selection:
          CommandLine|contains: '🔥'
        condition: selection
      `,
      events: [{ CommandLine: 'echo 🔥 done' }, { CommandLine: 'echo 🔔 done' }, { CommandLine: 'echo fire' }],
      matches: [0],
    },
  ],
};

export const groups: ConformanceGroup[] = [wildcards, escapes, caseFolding];
