import { isStandardBase64 } from '../../../crypto/base64.ts'
import { errorCodes, type ErrorCode, type SmsgwError } from '../../../errors.ts'
import { decodeFramedMessage, HEADER_BYTES, MAX_CIPHERTEXT_BYTES } from '../../ratchet/index.ts'
import { decryptPayload, encryptPayload } from '../../vault/index.ts'
import { invalidArgument } from '../rpc-failure.ts'
import { accountOfRequest, requireFields, type InternalContext } from './account-of-request.ts'
import type { DecryptPayloadRequest, DecryptPayloadResponse, EncryptPayloadRequest, EncryptPayloadResponse } from './entity-internal.ts'

// DecryptPayload and EncryptPayload of vault.v1.EntityInternal (relay-wire.md §2, §4) over the
// stored ratchet (src/relay/vault/decrypt-payload.ts). The payload is upstream's framing in
// base64: int32 LE header length ‖ header ‖ ciphertext. Failures are INVALID_ARGUMENT with
// upstream's prefixes; after the prefix upstream puts a Python exception's text, we put our
// decoder's or ratchet's reason (no key, state or content in it). A message that fails changes
// nothing stored.

/** The largest framed message accepted (framed-message.ts), and its base64 length. */
const MAX_FRAMED_BYTES = 4 + HEADER_BYTES + MAX_CIPHERTEXT_BYTES
const MAX_FRAMED_BASE64_CHARS = Math.ceil(MAX_FRAMED_BYTES / 3) * 4
/** Ours: a reply's plaintext; an SMS-borne reply is far shorter. */
export const MAX_REPLY_PLAINTEXT_BYTES = 16 * 1024

/** The ratchet's refusals of a message: the sender's fault, answered with the reason. */
const MESSAGE_FAULTS: ReadonlySet<ErrorCode> = new Set([errorCodes.relayMalformed, errorCodes.ratchetAuth, errorCodes.ratchetReplay, errorCodes.ratchetSkipLimit, errorCodes.ratchetState])

export async function decryptPayloadRpc (context: InternalContext, request: DecryptPayloadRequest): Promise<DecryptPayloadResponse> {
  requireFields(request, [['device_id', 'phone_number'], 'payload_ciphertext'])
  const account = await accountOfRequest(context, { device_id: request.device_id, phone_number: request.phone_number })
  const framed = framedMessageOf(request.payload_ciphertext)
  const decrypted = await decryptPayload(context.vault, { account }, framed)
  if (!decrypted.ok) throw messageFault(decrypted.error, 'Error Decrypting Content')
  return { payload_plaintext: decrypted.value.plaintext.toString('base64'), message: 'Successfully decrypted payload', success: true, country_code: decrypted.value.countryCode }
}

export async function encryptPayloadRpc (context: InternalContext, request: EncryptPayloadRequest): Promise<EncryptPayloadResponse> {
  requireFields(request, [['device_id', 'phone_number'], 'payload_plaintext'])
  const account = await accountOfRequest(context, { device_id: request.device_id, phone_number: request.phone_number })
  // Upstream encrypts the field's text as UTF-8.
  const plaintext = Buffer.from(request.payload_plaintext, 'utf8')
  if (plaintext.length > MAX_REPLY_PLAINTEXT_BYTES) throw invalidArgument(`Error Encrypting Content: the plaintext is longer than ${MAX_REPLY_PLAINTEXT_BYTES} bytes.`)
  const encrypted = await encryptPayload(context.vault, { account }, plaintext)
  if (!encrypted.ok) throw messageFault(encrypted.error, 'Error Encrypting Content')
  return { payload_ciphertext: encrypted.value.toString('base64'), message: 'Successfully encrypted payload.', success: true }
}

/** The framed message of the field: lenient base64 (whitespace ignored) whose framing decodes. */
function framedMessageOf (text: string): Buffer {
  const compact = text.replace(/\s+/g, '')
  if (compact.length > MAX_FRAMED_BASE64_CHARS) throw invalidArgument(`Error Decoding Content: the payload is longer than ${MAX_FRAMED_BYTES} bytes.`)
  if (!isStandardBase64(compact)) throw invalidArgument('Error Decoding Content: Invalid base64-encoded string.')
  const bytes = Buffer.from(compact, 'base64')
  const framed = decodeFramedMessage(bytes)
  if (!framed.ok) throw invalidArgument(`Error Decoding Content: ${framed.error.message}`)
  return bytes
}

/** The sender's fault is INVALID_ARGUMENT with the prefix; ours (a sealed value that does not open, a storm of writers) the catch-all. */
function messageFault (error: SmsgwError, prefix: string): Error {
  return MESSAGE_FAULTS.has(error.code) ? invalidArgument(`${prefix}: ${error.message}`) : error
}
