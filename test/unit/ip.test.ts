import fc from 'fast-check';
import { isIP } from 'node:net';
import { describe, expect, test } from 'vitest';
import { cidrContains, parseCidr, parseIPv4, parseIPv6 } from '../../src/net/ip.js';

const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));

describe('parseIPv4', () => {
  test.each<[string, string | null]>([
    ['0.0.0.0', '00000000'],
    ['10.1.2.3', '0a010203'],
    ['255.255.255.255', 'ffffffff'],
    ['256.0.0.1', null],
    ['1.2.3', null],
    ['1.2.3.4.5', null],
    ['01.2.3.4', null], // no leading zeros
    ['1.2.3.04', null],
    ['1..3.4', null],
    ['1.2.3.', null],
    [' 1.2.3.4', null],
    ['1.2.3.4 ', null],
    ['1.2.3.-4', null],
    ['1.2.3.0x1', null],
    ['1.2.3.1000', null],
    ['', null],
  ])('%j', (text, expected) => {
    expect(hex(parseIPv4(text))).toBe(expected);
  });
});

describe('parseIPv6', () => {
  test.each<[string, boolean, string | null]>([
    ['::', false, '0'.repeat(32)],
    ['::1', false, '0'.repeat(31) + '1'],
    ['1::', false, '0001' + '0'.repeat(28)],
    ['fe80::1', false, 'fe80' + '0'.repeat(27) + '1'],
    ['FE80::ABCD', false, 'fe80' + '0'.repeat(24) + 'abcd'],
    ['1:2:3:4:5:6:7:8', false, '00010002000300040005000600070008'],
    ['1:2:3:4:5:6:7::', false, '00010002000300040005000600070000'],
    ['::2:3:4:5:6:7:8', false, '00000002000300040005000600070008'],
    ['::ffff:10.0.0.1', false, '00000000000000000000ffff0a000001'],
    ['1:2:3:4:5:6:1.2.3.4', false, '00010002000300040005000601020304'],
    ['::1.2.3.4', false, '00000000000000000000000001020304'],
    ['fe80::1%12', true, 'fe80' + '0'.repeat(27) + '1'],
    ['fe80::1%eth0', true, 'fe80' + '0'.repeat(27) + '1'],
    ['fe80::1%12', false, null], // no zone in rule values
    ['fe80::1%', true, null],
    ['1:2:3:4:5:6:7:8:9', false, null],
    ['1:2:3:4:5:6:7', false, null],
    ['1:2:3:4:5:6:7:8::', false, null],
    ['1::2::3', false, null],
    [':::', false, null],
    [':1:2:3:4:5:6:7', false, null],
    ['1:2:3:4:5:6:7:', false, null],
    ['12345::', false, null],
    ['g::', false, null],
    ['::1.2.3', false, null],
    ['1.2.3.4::', false, null],
    ['1:2:3:4:5:6:7:1.2.3.4', false, null],
    [':', false, null],
    ['', false, null],
  ])('%j (zone allowed: %s)', (text, allowZone, expected) => {
    expect(hex(parseIPv6(text, allowZone))).toBe(expected);
  });
  test('property: agrees with node:net on validity of addresses it prints', () => {
    fc.assert(
      fc.property(fc.ipV6(), (addr) => {
        expect(parseIPv6(addr, false)).not.toBeNull();
      }),
      { numRuns: 500 },
    );
  });
  test('property: whatever it accepts (without zone) node:net accepts', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('0', '1', 'f', 'F', ':', '.', 'g'), maxLength: 20 }), (text) => {
        if (parseIPv6(text, false) !== null) expect(isIP(text)).toBe(6);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseCidr', () => {
  test.each<[string, object | null]>([
    ['10.0.0.0/8', { version: 4, prefix: 8 }],
    ['10.1.2.3/8', { version: 4, prefix: 8 }], // host bits are cleared
    ['192.168.1.1', { version: 4, prefix: 32 }],
    ['0.0.0.0/0', { version: 4, prefix: 0 }],
    ['fe80::/10', { version: 6, prefix: 10 }],
    ['::1', { version: 6, prefix: 128 }],
    ['::/0', { version: 6, prefix: 0 }],
    ['10.0.0.0/33', null],
    ['::/129', null],
    ['10.0.0.0/', null],
    ['10.0.0.0/-1', null],
    ['10.0.0.0/8/8', null],
    ['10.0.0.0/a', null],
    ['fe80::1%1/64', null],
    ['example.com/8', null],
    ['', null],
  ])('%j', (text, expected) => {
    const n = parseCidr(text);
    if (expected === null) expect(n).toBeNull();
    else expect(n).toMatchObject({ ...expected, text });
  });
  test('host bits are cleared', () => {
    expect(hex(parseCidr('10.1.2.3/8')!.bytes)).toBe('0a000000');
    expect(hex(parseCidr('10.255.255.255/9')!.bytes)).toBe('0a800000');
    expect(hex(parseCidr('fe80::ffff/10')!.bytes)).toBe('fe80' + '0'.repeat(28));
  });
});

describe('cidrContains', () => {
  test.each<[string, string, boolean]>([
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '9.255.255.255', false],
    ['192.168.0.0/16', '192.168.255.255', true],
    ['172.16.0.0/12', '172.31.255.255', true],
    ['172.16.0.0/12', '172.32.0.0', false],
    ['10.0.0.0/9', '10.127.0.1', true],
    ['10.0.0.0/9', '10.128.0.1', false],
    ['1.2.3.4/32', '1.2.3.4', true],
    ['1.2.3.4/32', '1.2.3.5', false],
    ['1.2.3.4', '1.2.3.4', true],
    ['10.0.0.0/8', 'not an ip', false],
    ['10.0.0.0/8', '010.0.0.1', false],
    ['10.0.0.0/8', '10.0.0.1 ', false],
    ['10.0.0.0/8', '::ffff:10.0.0.1', false], // an IPv6 text is not an IPv4 address
    ['fe80::/10', 'fe80::1', true],
    ['fe80::/10', 'FEBF::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['fe80::/10', 'fe80::1%12', true], // zone ignored in events
    ['fe80::/10', '10.0.0.1', false],
    ['::ffff:0:0/96', '::ffff:10.0.0.1', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::1/128', '::1', true],
    ['::1/128', '0:0:0:0:0:0:0:1', true],
  ])('%s contains %j: %s', (cidr, address, expected) => {
    expect(cidrContains(parseCidr(cidr)!, address)).toBe(expected);
  });

  const v4 = parseCidr('0.0.0.0/0')!;
  const v6 = parseCidr('::/0')!;
  test('property: /0 contains every address of its version, and none of the other', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV6(), (a4, a6) => {
        expect(cidrContains(v4, a4)).toBe(true);
        expect(cidrContains(v6, a6)).toBe(true);
        expect(cidrContains(v4, a6)).toBe(false);
        expect(cidrContains(v6, a4)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  const toBig = (b: Uint8Array) => b.reduce((n, x) => (n << 8n) | BigInt(x), 0n);
  test('property: containment is equality of the first prefix bits (IPv4)', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 }), (net, addr, prefix) => {
        const shift = BigInt(32 - prefix);
        const expected = toBig(parseIPv4(net)!) >> shift === toBig(parseIPv4(addr)!) >> shift;
        expect(cidrContains(parseCidr(`${net}/${prefix}`)!, addr)).toBe(expected);
        expect(cidrContains(parseCidr(`${addr}/${prefix}`)!, addr)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
  test('property: containment is equality of the first prefix bits (IPv6)', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.ipV6(), fc.integer({ min: 0, max: 128 }), (net, addr, prefix) => {
        const shift = BigInt(128 - prefix);
        const expected = toBig(parseIPv6(net, false)!) >> shift === toBig(parseIPv6(addr, false)!) >> shift;
        expect(cidrContains(parseCidr(`${net}/${prefix}`)!, addr)).toBe(expected);
        expect(cidrContains(parseCidr(`${addr}/${prefix}`)!, addr)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
