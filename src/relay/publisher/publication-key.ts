import { createHash } from 'node:crypto'
import { keyedHmac } from '../vault/keyed-hmac.ts'

// The key of a payload's publication record (src/store/relay-publications.ts): HMAC-SHA512 of the
// payload's bytes under a key of the server's, so the record says nothing about the content and
// nobody without the key can tell whether a given payload was published. Copies of one SMS
// (forwarded by two phones, re-sent by the ingress after a crash) have one key.

/** The publication key's own key, derived from the relay's identifier key so no new secret is needed. */
export function publicationKeyOf (identifierKey: Buffer): Buffer {
  return keyedHmac(identifierKey).update('smsgw relay publication key').digest()
}

export function publicationDigest (publicationKey: Buffer, payload: Buffer): string {
  return keyedHmac(publicationKey).update(payload).digest('hex')
}

/**
 * The publication's key for the platforms (platforms/publish-idempotency.ts): a hash of the
 * record's key under a label of its own, so what a platform is sent matches no record key of ours.
 */
export function platformIdempotencyKey (recordKey: string): string {
  return createHash('sha256').update(`smsgw platform idempotency\0${recordKey}`).digest('hex')
}
