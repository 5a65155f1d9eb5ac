import { describe, expect, it } from 'vitest';
import { OutboundPolicy } from './net-policy.ts';

describe('outbound address policy', () => {
  const closed = new OutboundPolicy('');
  const intranet = new OutboundPolicy('10.0.0.0/8, 192.168.7.20');

  it('never allows loopback, unspecified, link-local, metadata or multicast, whatever the allow-list says', () => {
    const all = new OutboundPolicy('0.0.0.0/0,::/0');
    for (const a of ['127.0.0.1', '127.255.0.9', '0.0.0.0', '169.254.169.254', '169.254.0.23', '100.100.100.200', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'ff02::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe']) {
      expect(all.check(a), a).toEqual({ allowed: false, reason: 'never' });
    }
  });

  it('refuses private ranges unless WEBHOOK_ALLOWED_CIDRS lists them', () => {
    for (const a of ['10.1.2.3', '172.16.0.1', '192.168.7.20', '100.64.0.1', 'fd12::1', '::ffff:10.0.0.1', '192.0.2.5']) {
      expect(closed.check(a), a).toEqual({ allowed: false, reason: 'private' });
    }
    expect(intranet.check('10.1.2.3')).toEqual({ allowed: true });
    expect(intranet.check('192.168.7.20')).toEqual({ allowed: true });
    expect(intranet.check('192.168.7.21')).toEqual({ allowed: false, reason: 'private' });
    expect(intranet.check('127.0.0.1')).toEqual({ allowed: false, reason: 'never' });
  });

  it('allows public addresses and rejects what is not an address', () => {
    expect(closed.check('8.8.8.8')).toEqual({ allowed: true });
    expect(closed.check('2001:4860:4860::8888')).toEqual({ allowed: true });
    expect(closed.check('localhost')).toEqual({ allowed: false, reason: 'invalid' });
  });

  it('names a bad allow-list entry at start-up', () => {
    expect(() => new OutboundPolicy('10.0.0.0/33')).toThrow(/WEBHOOK_ALLOWED_CIDRS: "10.0.0.0\/33"/);
    expect(() => new OutboundPolicy('intranet')).toThrow(/WEBHOOK_ALLOWED_CIDRS/);
  });
});
