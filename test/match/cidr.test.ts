/**
 * IP parsing and CIDR membership in the VM against src/net/ip.ts: named grammar cases, random strings over the
 * grammar's alphabet and mutations of valid addresses (fast-check), and membership in random networks.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import * as C from '../../src/compiler/encode/cidr.js';
import { cidrContains, parseCidr, parseIPv4, parseIPv6, type CidrNetwork } from '../../src/net/ip.js';
import { assemblyConstants, loadMatchVm, Rng, type MatchVm } from './support.js';

let m: MatchVm;

beforeAll(async () => {
  m = await loadMatchVm();
});

const bytes = (a: Uint8Array | null): number[] | null => (a ? [...a] : null);

function checkParse(text: string): void {
  expect(bytes(m.parseIPv4(text)), `v4 ${JSON.stringify(text)}`).toEqual(bytes(parseIPv4(text)));
  expect(bytes(m.parseIPv6(text, true)), `v6+zone ${JSON.stringify(text)}`).toEqual(bytes(parseIPv6(text, true)));
  expect(bytes(m.parseIPv6(text, false)), `v6 ${JSON.stringify(text)}`).toEqual(bytes(parseIPv6(text, false)));
}

function network(text: string): CidrNetwork {
  const n = parseCidr(text);
  if (!n) throw new Error(`bad network ${text}`);
  return n;
}

const ADDRESSES = [
  '0.0.0.0', '1.2.3.4', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..3.4', '1.2.3.4.',
  '.1.2.3', '1.2.3.04', '1.2.3.0', '١.2.3.4', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.4%eth0', '1.2.3.-4', '+1.2.3.4', '1.2.3.1000',
  '::', '::1', '1::', ':', ':::', '1:::2', '1::2::3', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7',
  '1:2:3:4:5:6::7:8', '1:2:3:4:5:6:7::', '::1:2:3:4:5:6:7', '::1:2:3:4:5:6:7:8', 'fe80::1%12', 'fe80::1%', 'fe80::1%%',
  'FE80::ABCD:ef01', 'fe80::12345', 'fe80::g', '::ffff:1.2.3.4', '::ffff:1.2.3', '::1.2.3.4', '1.2.3.4::',
  '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3.4:1', '1:2::3:4.5.6.7',
  '::ffff:01.2.3.4', ':1::', '1::2:', '1:2', 'é::1', '::é', '::1%zoné', '2001:db8::/32', '[::1]', '0:0:0:0:0:0:0:0',
  '1:2:3:4:5:6:7:8%z', '1:2:3:4:5:6:7:8%', '%z', '::%z', ':%z', 'a:b%c:d', '1.2.3.4%a:b', '00000::1', '0000::1',
];

describe('parsing', () => {
  test('the AssemblyScript constants mirror the encoder', () => {
    const as = assemblyConstants('assembly/match/cidr.ts');
    for (const name of ['CIDR_VERSION_OFFSET', 'CIDR_PREFIX_OFFSET', 'CIDR_HEADER_BYTES'] as const) {
      expect(as.get(name), name).toBe(C[name]);
    }
  });

  test.each(ADDRESSES)('%j', (text) => checkParse(text));

  test('random strings over the grammar alphabet (fast-check)', () => {
    const alphabet = [...'0123456789abcdefABCDEFg:.%'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 45 }), (chars) => checkParse(chars.join(''))),
      { numRuns: 30000 },
    );
  });

  test('mutations of valid addresses (fast-check)', () => {
    const valid = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.tuple(fc.ipV6(), fc.stringMatching(/^[a-z0-9]{0,3}$/)).map(([a, z]) => `${a}%${z}`),
    );
    const pieces = ['', '0', '1', '00', ':', '::', '.', '%', 'f', 'F', '255', '256', 'é'];
    fc.assert(
      fc.property(valid, fc.nat(), fc.nat(), fc.constantFrom(...pieces), (address, at, cut, piece) => {
        checkParse(address);
        const i = at % (address.length + 1);
        checkParse(address.slice(0, i) + piece + address.slice(i + (cut % 3)));
      }),
      { numRuns: 30000 },
    );
  });
});

const NAMED: readonly [string, string, boolean][] = [
  ['10.0.0.0/8', '10.1.2.3', true],
  ['10.0.0.0/8', '11.1.2.3', false],
  ['10.0.0.0/8', '10.1.2.3%eth0', false],
  ['192.168.1.0/24', '192.168.1.255', true],
  ['192.168.1.0/25', '192.168.1.128', false],
  ['192.168.1.7/31', '192.168.1.6', true],
  ['0.0.0.0/0', '8.8.8.8', true],
  ['0.0.0.0/0', '::1', false],
  ['1.2.3.4', '1.2.3.4', true],
  ['1.2.3.4', '1.2.3.5', false],
  ['::1/128', '::1', true],
  ['::/0', '1.2.3.4', false],
  ['::/0', '::ffff:1.2.3.4', true],
  ['fe80::/10', 'fe80::1%12', true],
  ['fe80::/10', 'FEBF::1', true],
  ['fe80::/10', 'fec0::1', false],
  ['2001:db8::/32', '2001:0db8:ffff::1', true],
  ['2001:db8::/33', '2001:db8:8000::1', false],
  ['::ffff:0:0/96', '::ffff:10.0.0.1', true],
];

describe('membership', () => {
  test.each(NAMED)('%s contains %s: %s', (net, value, expected) => {
    const n = network(net);
    expect(cidrContains(n, value)).toBe(expected);
    expect(m.cidr(C.encodeCidr(n), value)).toBe(expected);
  });

  test('encoded layout', () => {
    const encoded = C.encodeCidr(network('192.168.1.77/20'));
    expect([...encoded]).toEqual([4, 20, 0, 0, 192, 168, 0, 0]);
    expect(C.encodeCidr(network('2001:db8::/32')).length).toBe(C.CIDR_HEADER_BYTES + 16);
  });

  test('random networks and addresses near them (fast-check)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat(128), fc.integer(), (v4, raw, p, seed) => {
        const rng = new Rng(seed);
        const size = v4 ? 4 : 16;
        const prefix = p % (size * 8 + 1);
        const text = v4
          ? [...raw.slice(0, 4)].join('.')
          : Array.from({ length: 8 }, (_, k) => ((raw[2 * k] << 8) | raw[2 * k + 1]).toString(16)).join(':');
        const n = network(`${text}/${prefix}`);
        const encoded = C.encodeCidr(n);
        for (let k = 0; k < 12; k++) {
          // Flip a few bits of the network address, often below the prefix, and print it in assorted forms.
          const addr = raw.slice(0, size);
          const flips = rng.int(3);
          for (let f = 0; f < flips; f++) {
            const bit = rng.int(size * 8);
            addr[bit >> 3] ^= 0x80 >> (bit & 7);
          }
          let value: string;
          if (v4) value = [...addr].join('.');
          else {
            const groups = Array.from({ length: 8 }, (_, g) => ((addr[2 * g] << 8) | addr[2 * g + 1]).toString(16));
            value = rng.next() < 0.5 ? groups.join(':') : groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
            if (rng.next() < 0.3) value = value.toUpperCase();
            if (rng.next() < 0.2) value += '%eth0';
          }
          expect(m.cidr(encoded, value), `${n.text} ${value}`).toBe(cidrContains(n, value));
        }
      }),
      { numRuns: 5000 },
    );
  });
});
