import type { ConformanceGroup } from '../types.js';
import { det } from './_helpers.js';

export const group: ConformanceGroup = {
  group: 'modifiers/cidr',
  cases: [
    {
      name: 'ipv4-slash-8-boundaries',
      spec: 'SIGMA.md 1.6 cidr',
      rule: det`
        selection:
          DestinationIp|cidr: '10.0.0.0/8'
        condition: selection
      `,
      events: [
        { DestinationIp: '10.0.0.0' },
        { DestinationIp: '10.255.255.255' },
        { DestinationIp: '10.1.2.3' },
        { DestinationIp: '11.0.0.0' },
        { DestinationIp: '9.255.255.255' },
        { DestinationIp: '110.0.0.1' },
        {},
      ],
      matches: [0, 1, 2],
    },
    {
      name: 'ipv4-slash-24-boundaries',
      spec: 'SIGMA.md 1.6 cidr',
      rule: det`
        selection:
          SourceIp|cidr: '192.168.1.0/24'
        condition: selection
      `,
      events: [
        { SourceIp: '192.168.1.0' },
        { SourceIp: '192.168.1.255' },
        { SourceIp: '192.168.2.0' },
        { SourceIp: '192.168.0.255' },
        { SourceIp: '192.168.1.77' },
      ],
      matches: [0, 1, 4],
    },
    {
      name: 'ipv4-slash-12-boundaries',
      spec: 'SIGMA.md 1.6 cidr',
      rule: det`
        selection:
          SourceIp|cidr: '172.16.0.0/12'
        condition: selection
      `,
      events: [
        { SourceIp: '172.16.0.0' },
        { SourceIp: '172.31.255.255' },
        { SourceIp: '172.32.0.0' },
        { SourceIp: '172.15.255.255' },
        { SourceIp: '172.20.10.5' },
      ],
      matches: [0, 1, 4],
    },
    {
      name: 'ipv4-slash-32-is-one-address',
      spec: 'SIGMA.md 1.6 cidr',
      rule: det`
        selection:
          DestinationIp|cidr: '203.0.113.7/32'
        condition: selection
      `,
      events: [{ DestinationIp: '203.0.113.7' }, { DestinationIp: '203.0.113.6' }, { DestinationIp: '203.0.113.8' }, { DestinationIp: '203.0.113.70' }],
      matches: [0],
    },
    {
      name: 'ipv4-slash-0-matches-only-ipv4-text',
      spec: 'project decision: an IPv4 network matches only IPv4 text; non-IP text never matches',
      rule: det`
        selection:
          Ip|cidr: '0.0.0.0/0'
        condition: selection
      `,
      events: [
        { Ip: '0.0.0.0' },
        { Ip: '255.255.255.255' },
        { Ip: '8.8.8.8' },
        { Ip: '::1' },
        { Ip: 'localhost' },
        { Ip: '' },
        { Ip: '2001:db8::1' },
      ],
      matches: [0, 1, 2],
    },
    {
      name: 'ipv4-non-ip-text-never-matches',
      spec: 'project decision: non-IP text never matches a network',
      rule: det`
        selection:
          Ip|cidr: '10.0.0.0/8'
        condition: selection
      `,
      events: [
        { Ip: '10.0.0.256' },
        { Ip: '10.0.0' },
        { Ip: '10.0.0.1:443' },
        { Ip: '10.0.0.1.5' },
        { Ip: 'ten' },
        { Ip: '10.0.0.1 ' },
        { Ip: '10.0.0.1' },
      ],
      matches: [6],
    },
    {
      name: 'ipv6-link-local-slash-10',
      spec: 'SIGMA.md 1.6 cidr (fe80::/10); project decision: compressed forms, any hex case',
      rule: det`
        selection:
          Ip|cidr: 'fe80::/10'
        condition: selection
      `,
      events: [
        { Ip: 'fe80::1' },
        { Ip: 'FE80::ABCD:1' },
        { Ip: 'febf:ffff::1' },
        { Ip: 'fec0::1' },
        { Ip: 'fe7f::1' },
        { Ip: '10.0.0.1' },
        { Ip: 'fe80:0:0:0:0:0:0:1' },
      ],
      matches: [0, 1, 2, 6],
    },
    {
      name: 'ipv6-loopback-slash-128',
      spec: 'SIGMA.md 1.6 cidr; project decision: IPv6 text in any valid form',
      rule: det`
        selection:
          Ip|cidr: '::1/128'
        condition: selection
      `,
      events: [{ Ip: '::1' }, { Ip: '0:0:0:0:0:0:0:1' }, { Ip: '0000:0000::0001' }, { Ip: '::2' }, { Ip: '127.0.0.1' }, { Ip: '::' }],
      matches: [0, 1, 2],
    },
    {
      name: 'ipv6-slash-0-matches-only-ipv6-text',
      spec: 'project decision: an IPv6 network matches only IPv6 text',
      rule: det`
        selection:
          Ip|cidr: '::/0'
        condition: selection
      `,
      events: [{ Ip: '2001:db8::1' }, { Ip: '::' }, { Ip: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' }, { Ip: '1.2.3.4' }, { Ip: 'hello' }, { Ip: '2001:db8::g' }],
      matches: [0, 1, 2],
    },
    {
      name: 'ipv6-documentation-prefix',
      spec: 'SIGMA.md 1.6 cidr',
      rule: det`
        selection:
          Ip|cidr: '2001:db8::/32'
        condition: selection
      `,
      events: [{ Ip: '2001:DB8:0:0:8:800:200C:417A' }, { Ip: '2001:db8:ffff::1' }, { Ip: '2001:db9::1' }, { Ip: '2001:db7:ffff::1' }],
      matches: [0, 1],
    },
    {
      name: 'ipv6-slash-64-boundary',
      spec: 'SIGMA.md 1.6 cidr',
      rule: det`
        selection:
          Ip|cidr: '2001:DB8:0:1::/64'
        condition: selection
      `,
      events: [
        { Ip: '2001:db8:0:1::' },
        { Ip: '2001:db8:0:1:ffff:ffff:ffff:ffff' },
        { Ip: '2001:db8:0:2::' },
        { Ip: '2001:db8:0:0:ffff:ffff:ffff:ffff' },
      ],
      matches: [0, 1],
    },
    {
      name: 'network-list-is-or',
      spec: 'SIGMA.md 1.2/1.6 cidr (value lists, IPv4 and IPv6 mixed)',
      rule: det`
        selection:
          DestinationIp|cidr:
            - '10.0.0.0/8'
            - '172.16.0.0/12'
            - '192.168.0.0/16'
            - 'fc00::/7'
        condition: selection
      `,
      events: [
        { DestinationIp: '10.9.9.9' },
        { DestinationIp: '172.20.0.1' },
        { DestinationIp: '192.168.50.1' },
        { DestinationIp: 'fd12:3456::1' },
        { DestinationIp: '8.8.8.8' },
        { DestinationIp: '2606:4700::1111' },
      ],
      matches: [0, 1, 2, 3],
    },
    {
      name: 'not-private-network-filter',
      spec: 'SIGMA.md 1.6 cidr with 1.5 not',
      rule: det`
        selection:
          Initiated: 'true'
          Image|endswith: '\rundll32.exe'
        filter_private:
          DestinationIp|cidr:
            - '10.0.0.0/8'
            - '127.0.0.0/8'
        condition: selection and not filter_private
      `,
      events: [
        { Initiated: 'true', Image: 'C:\\Windows\\rundll32.exe', DestinationIp: '93.184.216.34' },
        { Initiated: 'true', Image: 'C:\\Windows\\rundll32.exe', DestinationIp: '10.1.1.1' },
        { Initiated: 'true', Image: 'C:\\Windows\\rundll32.exe', DestinationIp: '127.0.0.1' },
        { Initiated: 'true', Image: 'C:\\Windows\\rundll32.exe' },
        { Initiated: 'false', Image: 'C:\\Windows\\rundll32.exe', DestinationIp: '93.184.216.34' },
      ],
      matches: [0, 3],
    },
    {
      name: 'cidr-on-array-field',
      spec: 'SIGMA.md decisions: event arrays',
      rule: det`
        selection:
          Addresses|cidr: '100.64.0.0/10'
        condition: selection
      `,
      events: [{ Addresses: ['8.8.8.8', '100.100.1.1'] }, { Addresses: ['8.8.8.8', '100.128.0.1'] }, { Addresses: [] }],
      matches: [0],
    },
  ],
};
