import { BlockList, isIP } from 'node:net';

/**
 * Which addresses the service may send webhooks and robot messages to. A tenant types the URL, so without this
 * the service POSTs wherever a tenant points it — its own loopback, the cloud metadata endpoint, the intranet —
 * and the delivery log turns it into a port scanner. Public addresses are fine; a few kinds are never reachable;
 * private ranges only when the operator lists them in WEBHOOK_ALLOWED_CIDRS (an on-premise CRM on the intranet).
 */
export type AddressVerdict = { allowed: true } | { allowed: false; reason: 'never' | 'private' | 'invalid' };

type Range = [address: string, prefix: number, family: 'ipv4' | 'ipv6'];

/** Loopback, unspecified, link-local (169.254.169.254 and the other metadata services), multicast, broadcast. */
const NEVER: Range[] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['255.255.255.255', 32, 'ipv4'],
  // Alibaba Cloud's metadata service sits inside the carrier-grade NAT range.
  ['100.100.100.200', 32, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
  ['fd00:ec2::254', 128, 'ipv6'],
];

/** Not on the public internet: private, carrier-grade NAT, benchmarking, documentation, reserved. */
const PRIVATE: Range[] = [
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  // NAT64 and 6to4 carry an IPv4 address we cannot vouch for.
  ['64:ff9b::', 96, 'ipv6'],
  ['2002::', 16, 'ipv6'],
];

function blockList(ranges: Range[]): BlockList {
  const list = new BlockList();
  for (const [address, prefix, family] of ranges) list.addSubnet(address, prefix, family);
  return list;
}

const never = blockList(NEVER);
const privateRanges = blockList(PRIVATE);

/** `::ffff:127.0.0.1` (and its hex form) is 127.0.0.1: judge the IPv4 address it carries. */
export function unmapIpv4(address: string): string {
  const m = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!m) return address;
  if (m[1]) return m[1];
  const hi = parseInt(m[2], 16);
  const lo = parseInt(m[3], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

export class OutboundPolicy {
  private readonly allowed = new BlockList();
  readonly allowedCidrs: string[];

  /** `cidrs`: WEBHOOK_ALLOWED_CIDRS, comma-separated `address/prefix` (a bare address means just that one). */
  constructor(cidrs: string) {
    this.allowedCidrs = cidrs.split(',').map((s) => s.trim()).filter(Boolean);
    for (const entry of this.allowedCidrs) {
      const [address, prefixText] = entry.split('/');
      const family = isIP(address);
      const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
      const max = family === 6 ? 128 : 32;
      if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
        throw new Error(`WEBHOOK_ALLOWED_CIDRS: "${entry}" is not an address/prefix (e.g. 10.0.0.0/8)`);
      }
      this.allowed.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
  }

  /** The verdict for one resolved address (never a host name). */
  check(rawAddress: string): AddressVerdict {
    const address = unmapIpv4(rawAddress.replace(/^\[|\]$/g, '').split('%')[0]);
    const family = isIP(address);
    if (!family) return { allowed: false, reason: 'invalid' };
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (never.check(address, type)) return { allowed: false, reason: 'never' };
    if (privateRanges.check(address, type) && !this.allowed.check(address, type)) return { allowed: false, reason: 'private' };
    return { allowed: true };
  }
}
