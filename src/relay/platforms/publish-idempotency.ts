import { createHash } from 'node:crypto'

// What lets a platform tell a repeated post from a new one (docs/relay.md, "Retries"): a call that
// timed out, or whose connection broke, after the platform received it may have been carried out,
// and the publisher's retry sends it again. Where the platform's API takes a key of the caller's
// for a post, the adapter sends one derived from the publication (per part of a thread), so the
// platform answers the repeat with the first post instead of making a second: Mastodon's
// Idempotency-Key header, Bluesky's record key, Telegram's random_id. Derived by one-way hashes of
// the publication's key, itself an HMAC of the payload under a key of the server's: nothing of the
// content, and nothing that links a post to our record of it.

export interface PublishIdempotency {
  /** The publication's own key for platforms (publisher/publication-key.ts), hex. */
  readonly key: string
  /** When the publication was claimed (ms since the epoch): the time Bluesky's record keys carry. */
  readonly claimedAtMs: number
}

/** The digest of part `index` (0 for a single post), which every platform's key below is made of. */
function partDigest (idempotency: PublishIdempotency, index: number): Buffer {
  return createHash('sha256').update(`smsgw publish part\0${idempotency.key}\0${index}`).digest()
}

/** Mastodon's Idempotency-Key of a part: 64 hex characters (the server keeps it an hour, per account). */
export function idempotencyKeyOf (idempotency: PublishIdempotency, index: number): string {
  return partDigest(idempotency, index).toString('hex')
}

const TID_ALPHABET = '234567abcdefghijklmnopqrstuvwxyz'

/**
 * Bluesky's record key of a part: a TID (atproto.com/specs/tid: 13 base32-sortable characters of
 * a 64-bit number, its top bit 0, 53 bits of microseconds since the epoch, 10 of a clock id), as
 * Bluesky's AppView indexes posts with TID keys only. The microseconds are the claim's, offset by
 * up to 999 from the digest plus the part's index, so a thread's parts sort in order and two
 * publications of one account claimed in the same millisecond still differ (with the 10 bits of
 * clock id, also from the digest: one chance in about a million).
 */
export function recordKeyOf (idempotency: PublishIdempotency, index: number): string {
  const digest = partDigest(idempotency, 0)
  const micros = BigInt(idempotency.claimedAtMs) * 1000n + BigInt(digest.readUInt16BE(0) % 1000) + BigInt(index)
  const clockId = BigInt(digest.readUInt16BE(2) & 0x3ff)
  let value = ((micros & ((1n << 53n) - 1n)) << 10n) | clockId
  let text = ''
  for (let position = 0; position < 13; position += 1) {
    text = TID_ALPHABET[Number(value & 31n)] + text
    value >>= 5n
  }
  return text
}

/** Telegram's random_id of a message: a signed 64-bit integer (MTProto's `long`). */
export function randomIdOf (idempotency: PublishIdempotency, index: number): bigint {
  return partDigest(idempotency, index).readBigInt64BE(0)
}
