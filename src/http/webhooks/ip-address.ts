import { isIPv4, isIPv6 } from 'node:net'

/** An IP address as a number: 32 bits for IPv4, 128 for IPv6. */
export interface IpAddress {
  readonly family: 4 | 6
  readonly value: bigint
}

/** A network: the addresses that share the first `prefixBits` bits of `base`. */
export interface IpNetwork {
  readonly family: 4 | 6
  readonly base: bigint
  readonly prefixBits: number
}

const BITS = { 4: 32, 6: 128 } as const

/**
 * The address written in `text`: dotted-quad IPv4 or any IPv6 form (`::1`, `::ffff:127.0.0.1`,
 * with or without brackets); null for anything else. The other IPv4 forms (`2130706433`,
 * `0x7f000001`, `127.1`) reach us already normalised by the WHATWG URL parser.
 */
export function parseIpAddress (text: string): IpAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  if (isIPv4(bare)) return { family: 4, value: ipv4Value(bare) }
  if (!isIPv6(bare) || bare.includes('%')) return null
  return { family: 6, value: ipv6Value(bare) }
}

function ipv4Value (text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n)
}

function ipv6Value (text: string): bigint {
  let words = text
  // A trailing dotted quad (`::ffff:1.2.3.4`) is the last two 16-bit words.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(words)?.[1]
  if (quad !== undefined) {
    const value = ipv4Value(quad)
    words = `${words.slice(0, -quad.length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`
  }
  const [head = '', tail] = words.split('::')
  const headWords = head === '' ? [] : head.split(':')
  const tailWords = tail === undefined || tail === '' ? [] : tail.split(':')
  const all = tail === undefined ? headWords : [...headWords, ...Array<string>(8 - headWords.length - tailWords.length).fill('0'), ...tailWords]
  return all.reduce((value, word) => (value << 16n) | BigInt(Number.parseInt(word, 16)), 0n)
}

/** The network written as `address/prefix` (or a single address); null when `text` is not one. */
export function parseIpNetwork (text: string): IpNetwork | null {
  const [addressText = '', prefixText, extra] = text.split('/')
  if (extra !== undefined) return null
  const address = parseIpAddress(addressText)
  if (address === null) return null
  const maxBits = BITS[address.family]
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null
  const prefixBits = prefixText === undefined ? maxBits : Number(prefixText)
  if (prefixBits > maxBits) return null
  return { family: address.family, base: address.value & mask(address.family, prefixBits), prefixBits }
}

function mask (family: 4 | 6, prefixBits: number): bigint {
  const bits = BigInt(BITS[family])
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefixBits))) - 1n)
}

/** Whether `address` lies in `network` (an IPv4 address never lies in an IPv6 network, nor the other way). */
export function inNetwork (address: IpAddress, network: IpNetwork): boolean {
  return address.family === network.family && (address.value & mask(network.family, network.prefixBits)) === network.base
}

/** The IPv4 address in the low 32 bits of an IPv6 one. */
export function lowIpv4 (address: IpAddress): IpAddress {
  return { family: 4, value: address.value & 0xffffffffn }
}

const IPV4_MAPPED = parseIpNetwork('::ffff:0:0/96') as IpNetwork

/** The IPv4 address an IPv4-mapped IPv6 one (`::ffff:127.0.0.1`) stands for; any other address as it is. */
export function unmapped (address: IpAddress): IpAddress {
  return inNetwork(address, IPV4_MAPPED) ? lowIpv4(address) : address
}
