/**
 * IP address text and CIDR networks, strict and allocation-light: the reference evaluator parses event values with
 * these functions, and the WASM VM implements the same grammar over bytes, so both agree on every string.
 *
 * Grammar: IPv4 is four decimal octets 0-255 without leading zeros ("0" itself is fine). IPv6 is RFC 4291 text:
 * 1-4 hex digits per group in either case, at most one `::`, an optional dotted IPv4 tail, and in event values an
 * optional `%zone` suffix that is ignored (Windows writes link-local addresses as `fe80::1%12`).
 */

export const IPV4_BYTES = 4;
export const IPV6_BYTES = 16;

export interface CidrNetwork {
  version: 4 | 6;
  /** Network address with host bits cleared. */
  bytes: Uint8Array;
  prefix: number;
  /** The rule text, for explanations. */
  text: string;
}

export function parseIPv4(text: string, out: Uint8Array = new Uint8Array(IPV4_BYTES), offset = 0): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (p.length === 0 || p.length > 3 || !/^[0-9]+$/.test(p)) return null;
    if (p.length > 1 && p[0] === '0') return null;
    const n = Number(p);
    if (n > 255) return null;
    out[offset + i] = n;
  }
  return out;
}

export function parseIPv6(text: string, allowZone: boolean): Uint8Array | null {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) {
    if (!allowZone || zone === s.length - 1) return null;
    s = s.slice(0, zone);
  }
  if (s.length < 2) return null;
  const out = new Uint8Array(IPV6_BYTES);
  const doubleColon = s.indexOf('::');
  if (doubleColon >= 0 && s.indexOf('::', doubleColon + 1) >= 0) return null;
  const head = doubleColon >= 0 ? s.slice(0, doubleColon) : s;
  const tail = doubleColon >= 0 ? s.slice(doubleColon + 2) : '';
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = doubleColon >= 0 ? tailGroups : headGroups;
  // An IPv4 tail takes the place of the last two groups.
  let v4: Uint8Array | null = null;
  if (groups.length > 0 && groups[groups.length - 1].includes('.')) {
    v4 = parseIPv4(groups.pop()!);
    if (!v4) return null;
  }
  const words = (doubleColon >= 0 ? headGroups.length + tailGroups.length : headGroups.length) + (v4 ? 2 : 0);
  if (doubleColon >= 0 ? words > 7 : words !== 8) return null;
  const writeGroup = (g: string, index: number): boolean => {
    if (g.length === 0 || g.length > 4 || !/^[0-9a-fA-F]+$/.test(g)) return false;
    const n = parseInt(g, 16);
    out[index * 2] = n >> 8;
    out[index * 2 + 1] = n & 0xff;
    return true;
  };
  for (let i = 0; i < headGroups.length; i++) if (!writeGroup(headGroups[i], i)) return null;
  if (doubleColon >= 0) {
    const tailStart = 8 - tailGroups.length - (v4 ? 2 : 0);
    for (let i = 0; i < tailGroups.length; i++) if (!writeGroup(tailGroups[i], tailStart + i)) return null;
  }
  if (v4) out.set(v4, 12);
  return out;
}

/** Parse a rule's cidr value. Host bits are cleared; a bare address is a /32 or /128. */
export function parseCidr(text: string): CidrNetwork | null {
  const slash = text.indexOf('/');
  const addr = slash >= 0 ? text.slice(0, slash) : text;
  const prefixText = slash >= 0 ? text.slice(slash + 1) : null;
  let bytes: Uint8Array | null;
  let version: 4 | 6;
  if (addr.includes(':')) {
    bytes = parseIPv6(addr, false);
    version = 6;
  } else {
    bytes = parseIPv4(addr);
    version = 4;
  }
  if (!bytes) return null;
  const maxPrefix = bytes.length * 8;
  let prefix = maxPrefix;
  if (prefixText !== null) {
    if (!/^[0-9]{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (prefix > maxPrefix) return null;
  }
  for (let bit = prefix; bit < maxPrefix; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  return { version, bytes, prefix, text };
}

const scratchV4 = new Uint8Array(IPV4_BYTES);

/** Does the address text (an event value) lie inside the network? Non-IP text never does. */
export function cidrContains(network: CidrNetwork, text: string): boolean {
  const addr = network.version === 4 ? parseIPv4(text, scratchV4) : text.includes(':') ? parseIPv6(text, true) : null;
  if (!addr) return false;
  const full = network.prefix >> 3;
  for (let i = 0; i < full; i++) if (addr[i] !== network.bytes[i]) return false;
  const rest = network.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (addr[full] & mask) === network.bytes[full];
}
