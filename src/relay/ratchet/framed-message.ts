import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { decodeHeader, encodeHeader, HEADER_BYTES, type RatchetHeader } from './header.ts'
import { TAG_BYTES } from './message-cipher.ts'

// relay.md §3: one encrypted message travels as int32 LE header length (always 40) ‖ header ‖
// ciphertext ‖ tag: upstream's client test encrypt_message and Vault encode_relay_sms_payload.

const LENGTH_BYTES = 4
/** Ours: the largest ciphertext ‖ tag accepted, above anything an SMS-borne payload can carry. */
export const MAX_CIPHERTEXT_BYTES = 65_536

export interface FramedMessage {
  readonly header: RatchetHeader
  /** The header exactly as received: the MAC covers these bytes. */
  readonly headerBytes: Buffer
  readonly ciphertextAndTag: Buffer
}

export function encodeFramedMessage (header: RatchetHeader, ciphertextAndTag: Buffer): Buffer {
  const length = Buffer.alloc(LENGTH_BYTES)
  length.writeInt32LE(HEADER_BYTES)
  return Buffer.concat([length, encodeHeader(header), ciphertextAndTag])
}

export function decodeFramedMessage (bytes: Buffer): Outcome<FramedMessage> {
  if (bytes.length < LENGTH_BYTES + HEADER_BYTES + TAG_BYTES) return fail(errorCodes.relayMalformed, `ratchet message of ${bytes.length} bytes is too short`)
  const headerLength = bytes.readInt32LE(0)
  if (headerLength !== HEADER_BYTES) return fail(errorCodes.relayMalformed, `ratchet header length is ${headerLength}, not ${HEADER_BYTES}`)
  const ciphertextAndTag = bytes.subarray(LENGTH_BYTES + HEADER_BYTES)
  if (ciphertextAndTag.length > MAX_CIPHERTEXT_BYTES) return fail(errorCodes.relayMalformed, `ratchet ciphertext of ${ciphertextAndTag.length} bytes is over ${MAX_CIPHERTEXT_BYTES}`)
  const headerBytes = Buffer.from(bytes.subarray(LENGTH_BYTES, LENGTH_BYTES + HEADER_BYTES))
  const header = decodeHeader(headerBytes)
  if (!header.ok) return header
  // A view, not a copy: nothing writes into it, and nothing keeps it past the decryption.
  return succeed({ header: header.value, headerBytes, ciphertextAndTag })
}
