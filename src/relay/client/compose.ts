import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { encodeContent, encodePlatformPayload, type Content, type Platform } from '../payload/index.ts'
import { ratchetEncrypt, type RatchetState } from '../ratchet/index.ts'

// Composing as the app does (relay.md §3-4): the content v2 of the platform's service type,
// encrypted by the initiator's ratchet (associated data: the server publish key ‖ header), in a v2
// platform payload with the device id and a language; the SMS text is its standard base64, no wrap.

export interface ComposeFields {
  /** The linked account the platform posts as (text, message, email) or the test id (test). */
  readonly from: string
  readonly to?: string | undefined
  readonly cc?: string | undefined
  readonly bcc?: string | undefined
  readonly subject?: string | undefined
  readonly body?: string | undefined
}

/** The content of `fields` for the platform's service type; a field that type needs but lacks is refused. */
export function contentFor (platform: Platform, fields: ComposeFields): Outcome<Content> {
  const body = fields.body ?? ''
  const tokens = { accessToken: '', refreshToken: '' }
  switch (platform.serviceType) {
    case 'email':
      if (fields.to === undefined || fields.to === '') return missing(platform, 'a recipient (to)')
      return succeed({ serviceType: 'email', from: fields.from, to: fields.to, cc: fields.cc ?? '', bcc: fields.bcc ?? '', subject: fields.subject ?? '', body, ...tokens })
    case 'text':
      return succeed({ serviceType: 'text', from: fields.from, body, ...tokens })
    case 'message':
      if (fields.to === undefined || fields.to === '') return missing(platform, 'a recipient (to)')
      return succeed({ serviceType: 'message', from: fields.from, to: fields.to, body, ...tokens })
    case 'test':
      return succeed({ serviceType: 'test', testId: fields.from })
  }
}

export interface Sender {
  readonly ratchet: RatchetState
  readonly serverPublishPublicKey: Buffer
  readonly deviceId: Buffer
}

export interface Composed {
  /** The SMS text: standard base64 of the v2 platform payload. */
  readonly text: string
  /** The ratchet after this message: keep it, or the next payload reuses a message key. */
  readonly ratchet: RatchetState
}

export function composeSms (sender: Sender, platform: Platform, content: Content, language: string): Outcome<Composed> {
  if (!/^[a-z]{2}$/.test(language)) return fail(errorCodes.relayInvalidInput, `the language must be two lower-case letters (ISO 639-1), not '${language}'`)
  const plaintext = encodeContent(2, content)
  if (!plaintext.ok) return plaintext
  const encrypted = ratchetEncrypt(sender.ratchet, plaintext.value, sender.serverPublishPublicKey)
  if (!encrypted.ok) return encrypted
  if (encrypted.value.message.length > 0xffff) return fail(errorCodes.relayInvalidInput, `the encrypted message is ${encrypted.value.message.length} bytes, over the 65,535 a v2 payload can carry`)
  const payload = encodePlatformPayload({ version: 2, platformShortcode: platform.shortcode, encryptedMessage: encrypted.value.message, deviceId: sender.deviceId, language })
  return succeed({ text: payload.toString('base64'), ratchet: encrypted.value.state })
}

function missing (platform: Platform, what: string): Outcome<never> {
  return fail(errorCodes.relayInvalidInput, `${platform.name} content needs ${what}`)
}
