import { createHash, randomBytes } from 'node:crypto'
import type { GatewayClientStore } from '../../store/gateway-clients.ts'

// A gateway client's forwarding key (ours; relay.md §5): with relay.requireForwarderKey, a
// forward to /v3/publish carries it in FORWARDER_KEY_HEADER, and only forwards from registered
// phones are taken. `smsgw_gc_` and 32 random bytes in base64url; printed once by
// `smsgw relay gateway-client set-key` and stored only as its SHA-256 digest. Unlike the HTTP API's
// keys (scrypt, src/http/api-keys), a fast digest is enough here: 256 random bits cannot be
// searched for, and each forward is checked by one indexed lookup of the digest, with no cache.

/** The request header a forward carries its key in (a header, so the key is in no URL, and so in no access log). */
export const FORWARDER_KEY_HEADER = 'x-smsgw-forwarder-key'

const FORWARDER_KEY_PREFIX = 'smsgw_gc_'
const FORWARDER_KEY = /^smsgw_gc_[A-Za-z0-9_-]{43}$/

/** A new forwarding key. */
export function newForwarderKey (): string {
  return `${FORWARDER_KEY_PREFIX}${randomBytes(32).toString('base64url')}`
}

/** What the store keeps of a key: SHA-256, hex. */
export function forwarderKeyDigest (key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** The gateway client a forward comes from, as its key names it. */
export interface Forwarder {
  readonly msisdn: string
}

/**
 * The check the ingress makes of a forward's FORWARDER_KEY_HEADER: resolves with the registered
 * client whose key it is, or undefined for no key, a malformed one or one no client has (then,
 * with relay.requireForwarderKey, the forward is refused). Rejects only when the store fails.
 */
export function forwarderAuthorization (clients: GatewayClientStore): (key: string | undefined) => Promise<Forwarder | undefined> {
  return async key => {
    if (key === undefined || !FORWARDER_KEY.test(key)) return undefined
    const msisdn = await clients.clientOfForwarderKey(forwarderKeyDigest(key))
    return msisdn === undefined ? undefined : { msisdn }
  }
}
