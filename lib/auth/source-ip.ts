/**
 * The source-IP allowlist (CALLBACK_ALLOWED_CIDRS): IPv4 and IPv6 CIDRs, pure and
 * dependency-free. An IPv4-mapped IPv6 address (`::ffff:203.0.113.7`) is the IPv4 address
 * it carries, both as a source and in a CIDR, so one IPv4 rule covers both spellings.
 */

export interface Cidr {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

interface Address {
  family: 4 | 6;
  value: bigint;
}

const BITS = { 4: 32, 6: 128 } as const;
const MAPPED_PREFIX = 0xffffn << 32n;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/** Parses `203.0.113.0/24`, `2001:db8::/32` or a single address; throws on anything else. */
export function parseCidr(text: string): Cidr {
  const [ip, prefixText, ...rest] = text.trim().split('/');
  const address = parseIp(ip);
  if (!address || rest.length > 0) throw new Error(`"${text}" is not an IPv4 or IPv6 CIDR`);
  const mapped = address.family === 4 && ip.includes(':');
  const bits = mapped ? 128 : BITS[address.family];
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) throw new Error(`"${text}" has an invalid prefix length`);
  let prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) throw new Error(`"${text}" has a prefix longer than ${bits} bits`);
  if (mapped) {
    if (prefix < 96) throw new Error(`"${text}" reaches beyond the IPv4-mapped range; write an IPv4 CIDR`);
    prefix -= 96;
  }
  if (address.value !== masked(address.value, BITS[address.family], prefix)) {
    throw new Error(`"${text}" has host bits set; the network is ${formatNetwork(address, prefix)}`);
  }
  return { family: address.family, network: address.value, prefix };
}

/** Whether `ip` lies in one of the CIDRs; an unreadable address is never allowed. */
export function isAllowedSource(ip: string, cidrs: readonly Cidr[]): boolean {
  const address = parseIp(ip);
  if (!address) return false;
  const bits = BITS[address.family];
  return cidrs.some((c) => c.family === address.family && masked(address.value, bits, c.prefix) === c.network);
}

/** An IPv4 or IPv6 address as a number; IPv4-mapped IPv6 becomes IPv4; null when not an address. */
export function parseIp(text: string): Address | null {
  if (text.includes(':')) {
    const value = ipv6Value(text);
    if (value === null) return null;
    return value >> 32n === 0xffffn ? { family: 4, value: value - MAPPED_PREFIX } : { family: 6, value };
  }
  const value = ipv4Value(text);
  return value === null ? null : { family: 4, value };
}

function ipv4Value(text: string): bigint | null {
  const m = IPV4.exec(text);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  // A leading zero reads as octal to some tools: refuse the ambiguity.
  if (octets.some((o, i) => o > 255 || (m[i + 1].length > 1 && m[i + 1][0] === '0'))) return null;
  return octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

function ipv6Value(text: string): bigint | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = ipv6Groups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? ipv6Groups(halves[1], true) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Colon-separated hex groups; at the end of the address, the last may be dotted IPv4 (two groups). */
function ipv6Groups(part: string, endsAddress: boolean): number[] | null {
  if (part === '') return [];
  const groups: number[] = [];
  const items = part.split(':');
  for (const [i, item] of items.entries()) {
    if (HEX_GROUP.test(item)) {
      groups.push(parseInt(item, 16));
      continue;
    }
    const v4 = endsAddress && i === items.length - 1 ? ipv4Value(item) : null;
    if (v4 === null) return null;
    groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
  }
  return groups;
}

function masked(value: bigint, bits: number, prefix: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (value >> hostBits) << hostBits;
}

function formatNetwork(address: Address, prefix: number): string {
  const value = masked(address.value, BITS[address.family], prefix);
  if (address.family === 4) return `${[24n, 16n, 8n, 0n].map((s) => (value >> s) & 0xffn).join('.')}/${prefix}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return `${groups.join(':')}/${prefix}`;
}
