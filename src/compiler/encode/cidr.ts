/**
 * CIDR networks in the binary form the VM's matcher (assembly/match/cidr.ts) tests event values against.
 *
 * Layout (CIDR_HEADER_BYTES, then the address; 8 bytes for IPv4, 20 for IPv6, a multiple of 4 either way):
 *   0  u8   version   4 or 6
 *   1  u8   prefix    0-32 or 0-128
 *   2  u16  0
 *   4  address bytes, network order, host bits already cleared (parseCidr clears them): 4 or 16 bytes
 */
import { IPV4_BYTES, IPV6_BYTES, type CidrNetwork } from '../../net/ip.js';

export const CIDR_VERSION_OFFSET = 0;
export const CIDR_PREFIX_OFFSET = 1;
export const CIDR_HEADER_BYTES = 4;

export function encodeCidr(network: CidrNetwork): Uint8Array {
  const size = network.version === 4 ? IPV4_BYTES : IPV6_BYTES;
  if (network.bytes.length !== size || network.prefix < 0 || network.prefix > size * 8) {
    throw new RangeError(`malformed IPv${network.version} network ${network.text}`);
  }
  const out = new Uint8Array(CIDR_HEADER_BYTES + size);
  out[CIDR_VERSION_OFFSET] = network.version;
  out[CIDR_PREFIX_OFFSET] = network.prefix;
  out.set(network.bytes, CIDR_HEADER_BYTES);
  return out;
}
