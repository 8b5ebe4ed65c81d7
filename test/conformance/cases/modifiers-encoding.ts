import type { ConformanceGroup } from '../types.js';
import { det } from './_helpers.js';

// Event payloads below are standard base64 of the stated plain text (computed once with Node's Buffer and pasted).

const base64: ConformanceGroup = {
  group: 'modifiers/base64',
  cases: [
    {
      name: 'base64-exact',
      spec: 'SIGMA.md 1.6 base64: standard base64 of the UTF-8 bytes ("cmd" -> Y21k)',
      rule: det`
        selection:
          Payload|base64: 'cmd'
        condition: selection
      `,
      events: [{ Payload: 'Y21k' }, { Payload: 'xY21k' }, { Payload: 'cmd' }, { Payload: 'Y21kIC9j' }],
      matches: [0],
    },
    {
      name: 'base64-output-is-case-insensitive',
      spec: 'SIGMA.md 1.7: outputs of base64 match case-insensitively unless cased',
      rule: det`
        selection:
          Payload|base64: 'cmd'
        condition: selection
      `,
      events: [{ Payload: 'y21K' }, { Payload: 'Y21K' }, { Payload: 'Y21l' }],
      matches: [0, 1],
    },
    {
      name: 'base64-contains-keeps-padding',
      spec: 'SIGMA.md 1.6 base64 (with = padding); corpus chain base64|contains',
      rule: det`
        selection:
          CommandLine|base64|contains: 'whoami /all'
        condition: selection
      `,
      events: [
        { CommandLine: 'powershell -e d2hvYW1pIC9hbGw= x' },
        { CommandLine: 'powershell -e d2hvYW1pIC9hbGw x' },
        { CommandLine: 'whoami /all' },
        { CommandLine: 'D2HVYW1PIC9HBGW=' },
      ],
      matches: [0, 3],
    },
    {
      name: 'base64-padding-two-characters',
      spec: 'SIGMA.md 1.6 base64 ("ab" -> YWI=)',
      rule: det`
        selection:
          Data|base64|contains: 'ab'
        condition: selection
      `,
      events: [{ Data: 'xxYWI=yy' }, { Data: 'xxYWIyy' }, { Data: 'YWJj' }],
      matches: [0],
    },
    {
      name: 'base64-of-utf8-non-ascii',
      spec: 'SIGMA.md 1.6 base64 of the UTF-8 bytes ("héllo" -> aMOpbGxv)',
      rule: det`
        selection:
          Data|base64|contains: 'héllo'
        condition: selection
      `,
      events: [{ Data: 'ZWNobyBow6lsbG8gd29ybGQ=' }, { Data: 'aMOpbGxv' }, { Data: 'aGVsbG8=' }, { Data: 'héllo' }],
      matches: [1],
    },
    {
      name: 'base64-value-list',
      spec: 'SIGMA.md 1.2/1.6',
      rule: det`
        selection:
          Data|base64:
            - 'cmd'
            - 'IEX'
        condition: selection
      `,
      events: [{ Data: 'Y21k' }, { Data: 'SUVY' }, { Data: 'SUVYY21k' }],
      matches: [0, 1],
    },
    {
      name: 'base64-contains-cased',
      spec: 'SIGMA.md 1.6 cased: case-sensitive match of the base64 output',
      rule: det`
        selection:
          Data|base64|contains|cased: 'cmd'
        condition: selection
      `,
      events: [{ Data: 'xY21kx' }, { Data: 'xy21kx' }, { Data: 'xY21Kx' }],
      matches: [0],
    },
  ],
};

const base64offset: ConformanceGroup = {
  group: 'modifiers/base64offset',
  cases: [
    {
      name: 'foobar-three-offsets',
      spec: 'SIGMA.md 1.6 base64offset: foobar gives Zm9vYmFy, Zvb2Jhc, mb29iYX',
      rule: det`
        selection:
          Payload|base64offset|contains: 'foobar'
        condition: selection
      `,
      events: [
        { Payload: 'Zm9vYmFyIQ==' }, // "foobar!"
        { Payload: 'WGZvb2JhciE=' }, // "Xfoobar!"
        { Payload: 'WFlmb29iYXIh' }, // "XYfoobar!"
        { Payload: 'Zm9vYmF6IQ==' }, // "foobaz!"
        { Payload: 'foobar' },
      ],
      matches: [0, 1, 2],
    },
    {
      name: 'variants-are-the-bare-fragments',
      spec: 'SIGMA.md 1.6 base64offset: each variant alone is enough',
      rule: det`
        selection:
          Payload|base64offset|contains: 'foobar'
        condition: selection
      `,
      events: [{ Payload: '..Zm9vYmFy..' }, { Payload: '..Zvb2Jhc..' }, { Payload: '..mb29iYX..' }, { Payload: '..Zm9vYmF..' }, { Payload: '..vb2Jhc..' }],
      matches: [0, 1, 2],
    },
    {
      name: 'truncated-variant-matches-near-miss',
      spec: 'SIGMA.md 1.6 base64offset: offset-2 variant of foobar is mb29iYX (its last bits are cut), so "XYfoobaz!" also contains it',
      rule: det`
        selection:
          Payload|base64offset|contains: 'foobar'
        condition: selection
      `,
      events: [{ Payload: 'WFlmb29iYXoh' }, { Payload: 'Zm9vYmF6IQ==' }],
      matches: [0],
    },
    {
      name: 'own-value-three-offsets',
      spec: 'SIGMA.md 1.6 base64offset',
      rule: det`
        selection:
          CommandLine|base64offset|contains: 'Invoke-Mimikatz'
        condition: selection
      `,
      events: [
        { CommandLine: 'powershell -e SW52b2tlLU1pbWlrYXR6IC14' }, // "Invoke-Mimikatz -x"
        { CommandLine: 'powershell -e WEludm9rZS1NaW1pa2F0eg==' }, // "XInvoke-Mimikatz"
        { CommandLine: 'powershell -e YSBJbnZva2UtTWltaWthdHo=' }, // "a Invoke-Mimikatz"
        { CommandLine: 'powershell -e YWIgSW52b2tlLU1pbWlrYXR6' }, // "ab Invoke-Mimikatz"
        { CommandLine: 'powershell -e SW52b2tlLU1pbWlrYXR4' }, // "Invoke-Mimikatx"
        { CommandLine: 'Invoke-Mimikatz' },
      ],
      matches: [0, 1, 2, 3],
    },
    {
      name: 'base64offset-output-is-case-insensitive',
      spec: 'SIGMA.md 1.7: base64 outputs match case-insensitively',
      rule: det`
        selection:
          Payload|base64offset|contains: 'foobar'
        condition: selection
      `,
      events: [{ Payload: 'zm9vymfyiq==' }, { Payload: 'ZM9VYMFY' }, { Payload: 'zm9vymf6' }],
      matches: [0, 1],
    },
    {
      name: 'base64offset-value-list',
      spec: 'SIGMA.md 1.2/1.6',
      rule: det`
        selection:
          Payload|base64offset|contains:
            - 'secret'
            - 'http://'
        condition: selection
      `,
      events: [
        { Payload: 'eCBzZWNyZXQgb25seQ==' }, // "x secret only"
        { Payload: 'aXdyIGh0dHA6Ly9ldmls' }, // "iwr http://evil"
        { Payload: 'Zm9vYmFyIGFsb25l' }, // "foobar alone"
      ],
      matches: [0, 1],
    },
    {
      name: 'base64offset-under-all-stays-or-grouped',
      spec: 'SIGMA.md 1.6: an expansion stays OR-grouped even under all',
      rule: det`
        selection:
          Payload|base64offset|contains|all:
            - 'secret'
            - 'foobar'
        condition: selection
      `,
      events: [
        { Payload: 'c2VjcmV0IGFuZCBmb29iYXI=' }, // "secret and foobar"
        { Payload: 'eCBzZWNyZXQgb25seQ==' }, // "x secret only"
        { Payload: 'Zm9vYmFyIGFsb25l' }, // "foobar alone"
      ],
      matches: [0],
    },
    {
      name: 'wide-base64offset-contains',
      spec: 'SIGMA.md 1.6: corpus chain wide|base64offset|contains (UTF-16LE, then base64offset)',
      rule: det`
        selection:
          CommandLine|wide|base64offset|contains: 'whoami'
        condition: selection
      `,
      events: [
        { CommandLine: '-enc YwBtAGQAIAAvAGMAIAB3AGgAbwBhAG0AaQA=' }, // UTF-16LE "cmd /c whoami"
        { CommandLine: '-enc eAAgAHcAaABvAGEAbQBpACAALwBhAGwAbAA=' }, // UTF-16LE "x whoami /all"
        { CommandLine: '-enc eAB5ACAAdwBoAG8AYQBtAGkA' }, // UTF-16LE "xy whoami"
        { CommandLine: '-enc Y21kIC9jIHdob2FtaQ==' }, // UTF-8 "cmd /c whoami"
        { CommandLine: 'cmd /c whoami' },
      ],
      matches: [0, 1, 2],
    },
  ],
};

const utf16: ConformanceGroup = {
  group: 'modifiers/utf16',
  cases: [
    {
      name: 'wide-base64-contains',
      spec: 'SIGMA.md 1.6 wide: UTF-16LE ("cmd" -> 63 00 6d 00 64 00 -> YwBtAGQA)',
      rule: det`
        selection:
          Payload|wide|base64|contains: 'cmd'
        condition: selection
      `,
      events: [{ Payload: 'xxYwBtAGQAyy' }, { Payload: 'Y21k' }, { Payload: 'cmd' }],
      matches: [0],
    },
    {
      name: 'utf16le-is-wide',
      spec: 'SIGMA.md 1.6 utf16le / wide',
      rule: det`
        selection:
          Payload|utf16le|base64offset|contains: 'cmd'
        condition: selection
      `,
      events: [
        { Payload: 'eAB4ACAAYwBtAGQALgBlAHgAZQA=' }, // UTF-16LE "xx cmd.exe"
        { Payload: 'eAAgAGMAbQBkAA==' }, // UTF-16LE "x cmd"
        { Payload: 'eCBjbWQ=' }, // UTF-8 "x cmd"
      ],
      matches: [0, 1],
    },
    {
      name: 'utf16be-base64-exact',
      spec: 'SIGMA.md 1.6 utf16be: big-endian ("cmd" -> 00 63 00 6d 00 64 -> AGMAbQBk)',
      rule: det`
        selection:
          Payload|utf16be|base64: 'cmd'
        condition: selection
      `,
      events: [{ Payload: 'AGMAbQBk' }, { Payload: 'YwBtAGQA' }, { Payload: 'Y21k' }],
      matches: [0],
    },
    {
      name: 'utf16be-base64offset-contains',
      spec: 'SIGMA.md 1.6 utf16be then base64offset',
      rule: det`
        selection:
          Payload|utf16be|base64offset|contains: 'whoami'
        condition: selection
      `,
      events: [
        { Payload: 'AGMAbQBkACAALwBjACAAdwBoAG8AYQBtAGk=' }, // UTF-16BE "cmd /c whoami"
        { Payload: 'AHgAeQAgAHcAaABvAGEAbQBp' }, // UTF-16BE "xy whoami"
        { Payload: 'Y21kIC9jIHdob2FtaQ==' }, // UTF-8 "cmd /c whoami"
      ],
      matches: [0, 1],
    },
    {
      name: 'utf16-bom-then-little-endian-base64',
      spec: 'SIGMA.md 1.6 utf16: byte-order mark FF FE then LE ("cmd" -> FF FE 63 00 6D 00 64 00 -> //5jAG0AZAA=)',
      rule: det`
        selection:
          Payload|utf16|base64: 'cmd'
        condition: selection
      `,
      events: [{ Payload: '//5jAG0AZAA=' }, { Payload: 'YwBtAGQA' }, { Payload: '77u/YwBtAGQA' }],
      matches: [0],
    },
    {
      name: 'utf16-base64offset-contains',
      spec: 'SIGMA.md 1.6 utf16 (BOM FF FE + LE) then base64offset',
      rule: det`
        selection:
          Payload|utf16|base64offset|contains: 'cmd'
        condition: selection
      `,
      events: [
        { Payload: '//5jAG0AZAAgAC8AYwAgAGQAaQByAA==' }, // FF FE + UTF-16LE "cmd /c dir"
        { Payload: 'YwBtAGQAIAAvAGMAIABkAGkAcgA=' }, // UTF-16LE "cmd /c dir" without BOM
      ],
      matches: [0],
    },
    {
      name: 'wide-contains-raw-text',
      spec: 'SIGMA.md 1.6 wide: the value becomes the UTF-16LE byte sequence; each byte compared as one character (ASCII only)',
      rule: det`
        selection:
          Blob|wide|contains: 'cmd'
        condition: selection
      `,
      events: [{ Blob: 'xc\u0000m\u0000d\u0000y' }, { Blob: 'xcmdy' }, { Blob: 'c\u0000m\u0000' }],
      matches: [0],
    },
  ],
};

export const groups: ConformanceGroup[] = [base64, base64offset, utf16];
