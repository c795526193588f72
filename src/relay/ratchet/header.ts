import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { X25519_KEY_BYTES } from './dh.ts'

// relay.md §3: the 40-byte header is PN (int32 LE) ‖ N (int32 LE) ‖ the sender's current ratchet
// public key (32 raw bytes), as upstream libsig HEADERS.serialize packs it ("<ii" + dh).

export const HEADER_BYTES = 8 + X25519_KEY_BYTES
const MAX_COUNTER = 0x7fff_ffff

export interface RatchetHeader {
  /** Messages in the sender's previous sending chain. */
  readonly previousChainLength: number
  /** This message's number in the sender's current chain. */
  readonly messageNumber: number
  /** The sender's current ratchet public key, raw 32 bytes. */
  readonly ratchetPublicKey: Buffer
}

export function encodeHeader (header: RatchetHeader): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES)
  bytes.writeInt32LE(header.previousChainLength, 0)
  bytes.writeInt32LE(header.messageNumber, 4)
  header.ratchetPublicKey.copy(bytes, 8)
  return bytes
}

/**
 * The ratchet key is a view into `bytes`; a caller that keeps it copies it. Upstream packs the counters as signed int32; a genuine sender never reaches a negative one,
 * so a negative PN or N is refused here as malformed instead of being fed to the ratchet.
 */
export function decodeHeader (bytes: Buffer): Outcome<RatchetHeader> {
  if (bytes.length !== HEADER_BYTES) return fail(errorCodes.relayMalformed, `ratchet header is ${bytes.length} bytes, not ${HEADER_BYTES}`)
  const previousChainLength = bytes.readInt32LE(0)
  const messageNumber = bytes.readInt32LE(4)
  if (previousChainLength < 0 || messageNumber < 0) return fail(errorCodes.relayMalformed, 'ratchet header has a negative message counter')
  return succeed({ previousChainLength, messageNumber, ratchetPublicKey: bytes.subarray(8) })
}

export function isCounter (value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_COUNTER
}
