import { isAllowedSource, parseCidr, parseIp } from '../lib/auth/source-ip';

const allowed = (ip: string, ...cidrs: string[]) => isAllowedSource(ip, cidrs.map(parseCidr));

describe('reading addresses', () => {
  test.each([
    ['203.0.113.7', 4, 0xcb007107n],
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['2001:db8::1', 6, 0x20010db8000000000000000000000001n],
    ['2001:DB8:0:0:0:0:0:1', 6, 0x20010db8000000000000000000000001n],
    ['1:2:3:4:5:6:7::', 6, 0x00010002000300040005000600070000n],
    ['64:ff9b::192.0.2.33', 6, 0x0064ff9b0000000000000000c0000221n],
    // IPv4-mapped IPv6, dotted or in hex, is the IPv4 address it carries.
    ['::ffff:203.0.113.7', 4, 0xcb007107n],
    ['::ffff:cb00:7107', 4, 0xcb007107n],
    ['0:0:0:0:0:ffff:203.0.113.7', 4, 0xcb007107n],
  ])('%s is IPv%d %s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });

  test.each([
    '',
    'localhost',
    '256.0.0.1',
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    '1.2.3.4 ',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    ':1',
    '1:',
    '1:2:3:4:5:6:7:8::',
    '1.2.3.4::',
    '::1.2.3.4:5',
    'fe80::1%eth0',
    'g::1',
  ])('"%s" is not an address', (text) => {
    expect(parseIp(text)).toBeNull();
  });
});

describe('reading CIDRs', () => {
  test('a network, and a bare address as a single host', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ family: 4, network: 0x0a000000n, prefix: 8 });
    expect(parseCidr(' 203.0.113.7 ')).toEqual({ family: 4, network: 0xcb007107n, prefix: 32 });
    expect(parseCidr('2001:db8::/32')).toEqual({ family: 6, network: 0x20010db8n << 96n, prefix: 32 });
    expect(parseCidr('::/0')).toEqual({ family: 6, network: 0n, prefix: 0 });
  });

  test('an IPv4-mapped IPv6 CIDR is the IPv4 CIDR it covers', () => {
    expect(parseCidr('::ffff:10.0.0.0/104')).toEqual(parseCidr('10.0.0.0/8'));
    expect(parseCidr('::ffff:203.0.113.7')).toEqual(parseCidr('203.0.113.7/32'));
  });

  test.each([
    ['10.0.0.0/33', /longer than 32 bits/],
    ['2001:db8::/129', /longer than 128 bits/],
    ['10.0.0.0/', /invalid prefix/],
    ['10.0.0.0/-1', /invalid prefix/],
    ['10.0.0.0/8/8', /not an IPv4 or IPv6 CIDR/],
    ['10.0.0.0/0x8', /invalid prefix/],
    ['example.com/24', /not an IPv4 or IPv6 CIDR/],
    ['10.1.2.3/8', /host bits set; the network is 10\.0\.0\.0\/8/],
    ['2001:db8::1/32', /host bits set; the network is 2001:db8:0:0:0:0:0:0\/32/],
    ['::ffff:0:0/95', /beyond the IPv4-mapped range/],
  ])('"%s" is refused: %s', (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
  });
});

describe('the allowlist', () => {
  test('an IPv4 source inside or outside a network', () => {
    expect(allowed('203.0.113.7', '203.0.113.0/24')).toBe(true);
    expect(allowed('203.0.114.7', '203.0.113.0/24')).toBe(false);
    expect(allowed('203.0.113.7', '203.0.113.7')).toBe(true);
    expect(allowed('203.0.113.8', '203.0.113.7')).toBe(false);
    expect(allowed('198.51.100.1', '0.0.0.0/0')).toBe(true);
  });

  test('an IPv6 source inside or outside a network', () => {
    expect(allowed('2001:db8:1::5', '2001:db8::/32')).toBe(true);
    expect(allowed('2001:db9::5', '2001:db8::/32')).toBe(false);
    expect(allowed('2001:db8::1', '2001:db8::1/128')).toBe(true);
    expect(allowed('2001:db8::2', '2001:db8::1/128')).toBe(false);
  });

  test('an IPv4-mapped source matches the IPv4 rule, and an IPv4 source the mapped rule', () => {
    expect(allowed('::ffff:203.0.113.7', '203.0.113.0/24')).toBe(true);
    expect(allowed('::ffff:cb00:7107', '203.0.113.0/24')).toBe(true);
    expect(allowed('::ffff:198.51.100.1', '203.0.113.0/24')).toBe(false);
    expect(allowed('203.0.113.7', '::ffff:203.0.113.0/120')).toBe(true);
  });

  test('families do not mix: ::/0 admits no IPv4 source and 0.0.0.0/0 no IPv6 source', () => {
    expect(allowed('203.0.113.7', '::/0')).toBe(false);
    expect(allowed('2001:db8::1', '0.0.0.0/0')).toBe(false);
  });

  test('any one of several networks admits', () => {
    const cidrs = ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'];
    expect(allowed('10.200.0.1', ...cidrs)).toBe(true);
    expect(allowed('2001:db8::abcd', ...cidrs)).toBe(true);
    expect(allowed('192.0.2.1', ...cidrs)).toBe(true);
    expect(allowed('192.0.2.2', ...cidrs)).toBe(false);
  });

  test('a missing or unreadable source address is never admitted', () => {
    expect(allowed('', '0.0.0.0/0', '::/0')).toBe(false);
    expect(allowed('unknown', '0.0.0.0/0', '::/0')).toBe(false);
    expect(isAllowedSource('203.0.113.7', [])).toBe(false);
  });
});
