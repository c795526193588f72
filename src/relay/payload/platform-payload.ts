import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'

// Platform payload envelopes of relay.md §4 (the SMS text is standard base64 of these bytes), as
// the Publisher's content_parser.decode_content reads them:
//
//   v1, v2: version (1) ‖ L uint16 LE ‖ D uint8 ‖ shortcode (1) ‖ encrypted message (L)
//           ‖ device id (D) ‖ language (2, ISO 639-1 ASCII)
//   v0:     L int32 LE ‖ shortcode (1) ‖ encrypted message (L) ‖ device id (the rest)
//
// Upstream quirks kept: v0 is recognised first (at least 5 bytes, the first 4 a signed LE int
// >= 0 and the payload at least 5 + that long), so v1/v2 are whatever is not v0; a trailing field
// that does not fit is empty, and so is every field after it; the device id may have any length
// (the app sends 0 or 32). Ours: an encrypted message that does not fit is refused here (upstream
// carries on with an empty one that cannot decrypt), versions other than 1 and 2 are refused
// (3 and 4 are not in use; 0x00 is a bridge payload routed before this decoder), and the whole
// payload is bounded.

export const platformPayloadVersions = { v0: 0, v1: 1, v2: 2 } as const
export type PlatformPayloadVersion = typeof platformPayloadVersions[keyof typeof platformPayloadVersions]

/** Ours: above the 65,535-byte message v1/v2 can carry plus their fields. */
export const MAX_PLATFORM_PAYLOAD_BYTES = 65_536 + 64
export const DEVICE_ID_BYTES = 32
const V1_HEAD_BYTES = 5
const LANGUAGE_BYTES = 2

export interface PlatformPayload {
  readonly version: PlatformPayloadVersion
  /** One ASCII letter naming the platform (platforms.ts). */
  readonly platformShortcode: string
  /** The ratchet message in its framing (relay.md §3). */
  readonly encryptedMessage: Buffer
  /** Raw device id bytes: empty, or 32 (HMAC-SHA256, relay.md §2). */
  readonly deviceId: Buffer
  /** ISO 639-1 language of the delivery notice; empty in v0 and when absent. */
  readonly language: string
}

export function isV0Payload (bytes: Buffer): boolean {
  if (bytes.length < 5) return false
  const length = bytes.readInt32LE(0)
  return length >= 0 && bytes.length >= 5 + length
}

export function decodePlatformPayload (bytes: Buffer): Outcome<PlatformPayload> {
  if (bytes.length === 0) return malformed('it is empty')
  if (bytes.length > MAX_PLATFORM_PAYLOAD_BYTES) return malformed(`it is ${bytes.length} bytes, over ${MAX_PLATFORM_PAYLOAD_BYTES}`)
  if (isV0Payload(bytes)) {
    const length = bytes.readInt32LE(0)
    const shortcode = asciiOf(bytes.subarray(4, 5))
    if (shortcode === undefined) return malformed('its platform shortcode is not ASCII')
    return succeed({ version: 0, platformShortcode: shortcode, encryptedMessage: Buffer.from(bytes.subarray(5, 5 + length)), deviceId: Buffer.from(bytes.subarray(5 + length)), language: '' })
  }
  const version = bytes[0] as number
  if (version !== 1 && version !== 2) return malformed(`version ${version} is not in use`)
  if (bytes.length < 1 + V1_HEAD_BYTES) return malformed('it is shorter than its header')
  const length = bytes.readUInt16LE(1)
  const deviceIdLength = bytes[3] as number
  const shortcode = asciiOf(bytes.subarray(4, 5))
  if (shortcode === undefined) return malformed('its platform shortcode is not ASCII')
  const messageEnd = 5 + length
  if (bytes.length < messageEnd) return malformed(`its encrypted message of ${length} bytes is cut off`)
  const deviceIdEnd = messageEnd + deviceIdLength
  const deviceIdFits = bytes.length >= deviceIdEnd
  const languageBytes = deviceIdFits && bytes.length >= deviceIdEnd + LANGUAGE_BYTES ? bytes.subarray(deviceIdEnd, deviceIdEnd + LANGUAGE_BYTES) : Buffer.alloc(0)
  const language = asciiOf(languageBytes)
  if (language === undefined) return malformed('its language is not ASCII')
  return succeed({
    version,
    platformShortcode: shortcode,
    encryptedMessage: Buffer.from(bytes.subarray(5, messageEnd)),
    deviceId: deviceIdFits ? Buffer.from(bytes.subarray(messageEnd, deviceIdEnd)) : Buffer.alloc(0),
    language
  })
}

/** The app's encoders (upstream create_payload_v0/v1/v2); used by tests and a client of ours. */
export function encodePlatformPayload (payload: PlatformPayload): Buffer {
  const shortcode = Buffer.from(payload.platformShortcode, 'ascii')
  if (payload.version === 0) {
    const length = Buffer.alloc(4)
    length.writeInt32LE(payload.encryptedMessage.length)
    return Buffer.concat([length, shortcode, payload.encryptedMessage, payload.deviceId])
  }
  const head = Buffer.alloc(4)
  head.writeUInt8(payload.version, 0)
  head.writeUInt16LE(payload.encryptedMessage.length, 1)
  head.writeUInt8(payload.deviceId.length, 3)
  return Buffer.concat([head, shortcode, payload.encryptedMessage, payload.deviceId, Buffer.from(payload.language, 'ascii')])
}

function asciiOf (bytes: Buffer): string | undefined {
  return bytes.every(byte => byte < 0x80) ? bytes.toString('latin1') : undefined
}

function malformed (reason: string): Outcome<PlatformPayload> {
  return fail(errorCodes.relayMalformed, `platform payload does not decode: ${reason}`)
}
