import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'x-smsgw-signature'
export const DELIVERY_HEADER = 'x-smsgw-delivery'
/** `status` or `inbound`: which JSON the body is. */
export const EVENT_HEADER = 'x-smsgw-event'
const SCHEME = 'sha256='

/** The `X-Smsgw-Signature` value of `body`: `sha256=` and the hex HMAC-SHA256 of its bytes under `secret`. */
export function signWebhookBody (secret: string, body: string | Buffer): string {
  return `${SCHEME}${createHmac('sha256', secret).update(body).digest('hex')}`
}

/**
 * Whether `signature` (the header as received) signs `body` under `secret`; compares in
 * constant time. What a receiver runs (docs/http-api.md shows it without smsgw).
 */
export function verifyWebhookSignature (secret: string, body: string | Buffer, signature: string | undefined): boolean {
  if (signature === undefined) return false
  const expected = Buffer.from(signWebhookBody(secret, body), 'latin1')
  const received = Buffer.from(signature, 'latin1')
  return expected.length === received.length && timingSafeEqual(expected, received)
}
