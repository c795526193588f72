import { createHash } from 'node:crypto'

// RFC 9562 §5.5: UUIDv5 = SHA-1(namespace ‖ name), first 16 bytes, version 5, variant 10. Written
// here because upstream's entity id is Python's uuid.uuid5(NAMESPACE_DNS, name).hex (no dashes).

/** The DNS namespace, 6ba7b810-9dad-11d1-80b4-00c04fd430c8 (RFC 9562 §6.6). */
export const DNS_NAMESPACE = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex')

/** The UUIDv5 of `name` (UTF-8) as 32 lowercase hex characters without dashes. */
export function uuidV5Hex (namespace: Buffer, name: string): string {
  const bytes = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  return bytes.toString('hex')
}
