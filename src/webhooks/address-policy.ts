import { isIP } from 'node:net';

/** [first address as bytes, prefix length] of every range a webhook may not reach. */
const V4_BLOCKED: Array<[number[], number]> = [
  [[0, 0, 0, 0], 8], // "this network", unspecified
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10], // CGNAT
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16], // link-local, cloud metadata
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation (TEST-NET-1..3)
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[192, 88, 99, 0], 24], // deprecated 6to4 relay anycast
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15], // benchmarking
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

const V6_BLOCKED: Array<[number[], number]> = [
  [v6('::'), 96], // unspecified, loopback and the deprecated IPv4-compatible range
  [v6('fc00::'), 7], // unique local
  [v6('fe80::'), 10], // link-local
  [v6('fec0::'), 10], // site-local (deprecated)
  [v6('ff00::'), 8], // multicast
  [v6('100::'), 64], // discard
  [v6('2001:db8::'), 32], // documentation
  [v6('64:ff9b:1::'), 48], // local-use NAT64: translates to private IPv4
];

/**
 * Whether an outbound webhook may connect to `address`: not loopback, private, link-local,
 * multicast, unspecified, CGNAT or reserved, IPv4 embedded in IPv6 (mapped, NAT64, 6to4) included.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !V4_BLOCKED.some(([net, bits]) => inRange(v4(address), net, bits));
  if (family !== 6) return false;
  const bytes = v6(address);
  const embedded = embeddedV4(bytes);
  if (embedded) return isPublicAddress(embedded.join('.'));
  return !V6_BLOCKED.some(([net, bits]) => inRange(bytes, net, bits));
}

function embeddedV4(b: number[]): number[] | undefined {
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated)
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12);
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return b.slice(12);
  // 64:ff9b::/96 (NAT64)
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return b.slice(12);
  // 2002::/16 (6to4) carries the IPv4 address in bytes 2..5
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6);
  // 2001::/32 (Teredo) carries the client's IPv4 address inverted in the last 4 bytes
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) return b.slice(12).map((x) => x ^ 0xff);
  return undefined;
}

function inRange(bytes: number[], net: number[], bits: number): boolean {
  for (let i = 0; i < net.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) !== (net[i] & mask)) return false;
  }
  return true;
}

function v4(address: string): number[] {
  return address.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address (isIP-valid), a trailing dotted quad and a zone id allowed. */
function v6(address: string): number[] {
  let text = address.split('%')[0].toLowerCase();
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = v4(quad[1]);
    text = text.slice(0, -quad[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}
