import assert from 'node:assert/strict'
import { inNetwork, lowIpv4, parseIpNetwork, type IpAddress, type IpNetwork } from './ip-address.ts'

// The addresses a webhook must not reach unless an operator allows them: everything in the IANA
// IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and successors) that is not
// globally reachable, multicast, and the deprecated transition ranges. A webhook URL is chosen
// by whoever registers it; without this, a status could be posted to the loop-back interface,
// the cloud's metadata service (169.254.169.254) or a host of the internal network.

interface SpecialRange {
  readonly network: IpNetwork
  readonly name: string
  /** The range carries an IPv4 address in its low 32 bits: that address decides. */
  readonly embedsIpv4?: boolean
}

function range (cidr: string, name: string, embedsIpv4 = false): SpecialRange {
  const network = parseIpNetwork(cidr)
  // The ranges are this file's own constants: a bad one is a bug found at load, never a user's failure (STYLE: node:assert).
  assert.ok(network !== null, `bad special-use range ${cidr}`)
  return embedsIpv4 ? { network, name, embedsIpv4 } : { network, name }
}

/** Searched in order: `::` and `::1` come before the `::/96` that holds them, so their own names are given. */
const SPECIAL_USE_RANGES: readonly SpecialRange[] = [
  range('0.0.0.0/8', '"this network" (0.0.0.0/8)'),
  range('10.0.0.0/8', 'private (10.0.0.0/8)'),
  range('100.64.0.0/10', 'shared address space, carrier-grade NAT (100.64.0.0/10)'),
  range('127.0.0.0/8', 'loopback (127.0.0.0/8)'),
  range('169.254.0.0/16', 'link-local, cloud metadata (169.254.0.0/16)'),
  range('172.16.0.0/12', 'private (172.16.0.0/12)'),
  range('192.0.0.0/24', 'IETF protocol assignments (192.0.0.0/24)'),
  range('192.0.2.0/24', 'documentation (192.0.2.0/24)'),
  range('192.88.99.0/24', '6to4 relay anycast (192.88.99.0/24)'),
  range('192.168.0.0/16', 'private (192.168.0.0/16)'),
  range('198.18.0.0/15', 'benchmarking (198.18.0.0/15)'),
  range('198.51.100.0/24', 'documentation (198.51.100.0/24)'),
  range('203.0.113.0/24', 'documentation (203.0.113.0/24)'),
  range('224.0.0.0/4', 'multicast (224.0.0.0/4)'),
  range('240.0.0.0/4', 'reserved, broadcast (240.0.0.0/4)'),
  range('::/128', 'unspecified (::)'),
  range('::1/128', 'loopback (::1)'),
  range('::ffff:0:0/96', 'IPv4-mapped', true),
  range('::/96', 'IPv4-compatible, deprecated (::/96)'),
  range('64:ff9b::/96', 'NAT64', true),
  range('64:ff9b:1::/48', 'local-use NAT64 (64:ff9b:1::/48)'),
  range('100::/64', 'discard-only (100::/64)'),
  range('2001::/23', 'IETF protocol assignments, Teredo (2001::/23)'),
  range('2001:db8::/32', 'documentation (2001:db8::/32)'),
  range('2002::/16', '6to4 (2002::/16)'),
  range('3fff::/20', 'documentation (3fff::/20)'),
  range('fc00::/7', 'unique-local (fc00::/7)'),
  range('fe80::/10', 'link-local (fe80::/10)'),
  range('fec0::/10', 'site-local, deprecated (fec0::/10)'),
  range('ff00::/8', 'multicast (ff00::/8)')
]

/**
 * The special-use range `address` lies in, described (`loopback (127.0.0.0/8)`), or undefined
 * for a globally reachable unicast address. An IPv4-mapped or NAT64 IPv6 address is judged by
 * the IPv4 address it carries: `::ffff:127.0.0.1` is loopback, `64:ff9b::8.8.8.8` is not.
 */
export function specialUseOf (address: IpAddress): string | undefined {
  for (const special of SPECIAL_USE_RANGES) {
    if (!inNetwork(address, special.network)) continue
    if (special.embedsIpv4 !== true) return special.name
    const carried = specialUseOf(lowIpv4(address))
    return carried === undefined ? undefined : `${special.name} ${carried}`
  }
  return undefined
}

/**
 * Host names that never leave the local network: `localhost` (RFC 6761), `.local` (mDNS, RFC
 * 6762), `.home.arpa` (RFC 8375) and `.internal` (reserved for private use by ICANN, 2024; the
 * cloud metadata service answers at `metadata.google.internal`).
 */
export function specialUseNameOf (hostname: string): string | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, '')
  if (name === 'localhost' || name.endsWith('.localhost')) return 'the loopback name localhost'
  if (name === 'local' || name.endsWith('.local')) return 'a multicast-DNS name (.local)'
  if (name === 'home.arpa' || name.endsWith('.home.arpa')) return 'a home-network name (.home.arpa)'
  if (name === 'internal' || name.endsWith('.internal')) return 'a private-use name (.internal)'
  return undefined
}
