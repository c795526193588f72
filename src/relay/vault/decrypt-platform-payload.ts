import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { decodeContent, type Content } from '../payload/content.ts'
import { decodePlatformPayload } from '../payload/platform-payload.ts'
import { platformByShortcode, type Platform } from '../payload/platforms.ts'
import { decryptPayload } from './decrypt-payload.ts'
import type { AccountSelector, RelayVault } from './relay-vault.ts'

// A whole platform payload as an SMS carries it (relay.md §4), for the publisher: the envelope,
// the account it names, the decryption through the stored state (decrypt-payload.ts) and the
// content. The account is found as upstream's Publisher finds it: by the envelope's device id when
// it has one, else by the number the SMS came from.

export interface OpenedPlatformPayload {
  readonly entityId: string
  readonly countryCode: string
  readonly platform: Platform
  /** Plaintext: hand on to the platform, never log or store. */
  readonly content: Content
  /** ISO 639-1 of the delivery notice; empty in v0 and when absent. */
  readonly language: string
}

/**
 * Opens `payload` (the bytes of the SMS text's base64) sent from `sender` (an E.164 number as the
 * account was made with, when known). A payload that does not decode, names an unknown platform
 * or no account changes nothing stored; a genuine message whose content then does not decode has
 * advanced the state (its key is used up, as with upstream) and is SMSGW_RELAY_MALFORMED.
 */
export async function decryptPlatformPayload (vault: RelayVault, payload: Buffer, sender?: string): Promise<Outcome<OpenedPlatformPayload>> {
  const envelope = decodePlatformPayload(payload)
  if (!envelope.ok) return envelope
  const { version, platformShortcode, encryptedMessage, deviceId, language } = envelope.value
  const platform = platformByShortcode(platformShortcode)
  if (platform === undefined) return fail(errorCodes.relayMalformed, 'the platform payload names no known platform')
  let selector: AccountSelector
  if (deviceId.length > 0) selector = { deviceId }
  else if (sender !== undefined) selector = { identifier: sender }
  else return fail(errorCodes.relayAccountMissing, 'the platform payload carries no device id and the sender is unknown')
  const decrypted = await decryptPayload(vault, selector, encryptedMessage)
  if (!decrypted.ok) return decrypted
  const content = decodeContent(version, platform.serviceType, decrypted.value.plaintext)
  if (!content.ok) return content
  return succeed({ entityId: decrypted.value.entityId, countryCode: decrypted.value.countryCode, platform, content: content.value, language })
}
