import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import type { ServiceType } from './platforms.ts'
import type { PlatformPayloadVersion } from './platform-payload.ts'

// The decrypted content of relay.md §4, as the Publisher's content_parser.extract_content_v0/v1/v2
// reads it. The content version is the envelope's version.
//
//   v1, v2: lengths of from (u8), to (u16), cc (u16), bcc (u16), subject (u8), body (u16), access
//           token (u8 in v1, u16 in v2), refresh token (idem), little-endian; then those fields'
//           UTF-8 bytes in that order. A field that does not fit is empty, and so is every field
//           after it; bytes after the last field are ignored (upstream parse_payload).
//   v0:     colon-separated text, split at most as many times as the service has fields, so a
//           ':' inside a field cuts it there (upstream's str.split(":", n), kept on purpose: a v0
//           tweet "a: b" with tokens arrives as body "a", access " b").
//
// Which fields matter depends on the platform's service type. A token is absent (undefined) where
// upstream returns None (v0 content without it) and empty where upstream returns "".

export interface EmailContent {
  readonly serviceType: 'email'
  readonly from: string
  readonly to: string
  readonly cc: string
  readonly bcc: string
  readonly subject: string
  readonly body: string
  readonly accessToken: string | undefined
  readonly refreshToken: string | undefined
}

export interface TextContent {
  readonly serviceType: 'text'
  readonly from: string
  readonly body: string
  readonly accessToken: string | undefined
  readonly refreshToken: string | undefined
}

export interface MessageContent {
  readonly serviceType: 'message'
  readonly from: string
  readonly to: string
  readonly body: string
  readonly accessToken: string | undefined
  readonly refreshToken: string | undefined
}

export interface TestContent {
  readonly serviceType: 'test'
  /** The reliability test id. */
  readonly testId: string
}

export type Content = EmailContent | TextContent | MessageContent | TestContent

const FIELD_NAMES = ['from', 'to', 'cc', 'bcc', 'subject', 'body', 'accessToken', 'refreshToken'] as const
type FieldName = typeof FIELD_NAMES[number]
/** Bytes of each length in the header, per content version. */
const LENGTH_BYTES: Record<1 | 2, readonly number[]> = { 1: [1, 2, 2, 2, 1, 2, 1, 1], 2: [1, 2, 2, 2, 1, 2, 2, 2] }
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

export function decodeContent (version: PlatformPayloadVersion, serviceType: ServiceType, bytes: Buffer): Outcome<Content> {
  if (version === 0) {
    const text = decodeUtf8(bytes)
    return text === undefined ? malformed('it is not UTF-8') : decodeContentV0(serviceType, text)
  }
  const fields = decodeFields(LENGTH_BYTES[version], bytes)
  if (!fields.ok) return fields
  const field = fields.value
  switch (serviceType) {
    case 'email': return succeed({ serviceType, from: field.from, to: field.to, cc: field.cc, bcc: field.bcc, subject: field.subject, body: field.body, accessToken: field.accessToken, refreshToken: field.refreshToken })
    case 'text': return succeed({ serviceType, from: field.from, body: field.body, accessToken: field.accessToken, refreshToken: field.refreshToken })
    case 'message': return succeed({ serviceType, from: field.from, to: field.to, body: field.body, accessToken: field.accessToken, refreshToken: field.refreshToken })
    case 'test': return succeed({ serviceType, testId: field.from })
  }
}

/**
 * The app's encoder (upstream create_message_v1/v2, RelaySMS-Android's composers): the fields of
 * the content's service type in header order, every other field empty. Refused when a field is
 * longer than its length can say (from and subject 255 bytes, the rest 65,535; v1 tokens 255).
 */
export function encodeContent (version: 1 | 2, content: Content): Outcome<Buffer> {
  const field = fieldsOf(content)
  const texts = FIELD_NAMES.map(name => Buffer.from(field[name] ?? '', 'utf8'))
  const sizes = LENGTH_BYTES[version]
  const header = Buffer.alloc(sizes.reduce((sum, size) => sum + size, 0))
  let offset = 0
  for (const [index, size] of sizes.entries()) {
    const length = (texts[index] as Buffer).length
    if (length >= 2 ** (8 * size)) return fail(errorCodes.relayInvalidInput, `the ${FIELD_NAMES[index] as FieldName} is ${length} bytes, over the ${2 ** (8 * size) - 1} a v${version} content can carry`)
    if (size === 1) header.writeUInt8(length, offset)
    else header.writeUInt16LE(length, offset)
    offset += size
  }
  return succeed(Buffer.concat([header, ...texts]))
}

function fieldsOf (content: Content): Partial<Record<FieldName, string | undefined>> {
  switch (content.serviceType) {
    case 'email': return content
    case 'text': return { from: content.from, body: content.body, accessToken: content.accessToken, refreshToken: content.refreshToken }
    case 'message': return { from: content.from, to: content.to, body: content.body, accessToken: content.accessToken, refreshToken: content.refreshToken }
    case 'test': return { from: content.testId }
  }
}

function decodeFields (lengthBytes: readonly number[], bytes: Buffer): Outcome<Record<FieldName, string>> {
  const headerBytes = lengthBytes.reduce((sum, size) => sum + size, 0)
  if (bytes.length < headerBytes) return malformed(`it is shorter than its ${headerBytes}-byte header`)
  let offset = 0
  const lengths = lengthBytes.map(size => {
    const length = size === 1 ? bytes.readUInt8(offset) : bytes.readUInt16LE(offset)
    offset += size
    return length
  })
  const fields = Object.fromEntries(FIELD_NAMES.map(name => [name, ''])) as Record<FieldName, string>
  for (const [index, name] of FIELD_NAMES.entries()) {
    const length = lengths[index] as number
    if (offset + length > bytes.length) break
    const text = decodeUtf8(bytes.subarray(offset, offset + length))
    if (text === undefined) return malformed(`its ${name} is not UTF-8`)
    fields[name] = text
    offset += length
  }
  return succeed(fields)
}

function decodeContentV0 (serviceType: ServiceType, text: string): Outcome<Content> {
  switch (serviceType) {
    case 'email': {
      const parts = splitAtMost(text, 7)
      if (parts.length < 6) return malformed('Email content must have at least 6 parts.')
      const [from, to, cc, bcc, subject, body, accessToken, refreshToken] = parts as [string, string, string, string, string, string, string?, string?]
      return succeed({ serviceType, from, to, cc, bcc, subject, body, accessToken, refreshToken })
    }
    case 'text': {
      const parts = splitAtMost(text, 3)
      if (parts.length < 2) return malformed('Text content must have at least 2 parts.')
      const [from, body, accessToken, refreshToken] = parts as [string, string, string?, string?]
      return succeed({ serviceType, from, body, accessToken, refreshToken })
    }
    case 'message': {
      const parts = splitAtMost(text, 2)
      if (parts.length !== 3) return malformed('Message content must have exactly 3 parts.')
      const [from, to, body] = parts as [string, string, string]
      return succeed({ serviceType, from, to, body, accessToken: undefined, refreshToken: undefined })
    }
    case 'test': return succeed({ serviceType, testId: text })
  }
}

/** Python's text.split(':', maxSplits): the last part keeps every later ':'. */
function splitAtMost (text: string, maxSplits: number): string[] {
  const parts: string[] = []
  let rest = text
  while (parts.length < maxSplits) {
    const at = rest.indexOf(':')
    if (at < 0) break
    parts.push(rest.slice(0, at))
    rest = rest.slice(at + 1)
  }
  parts.push(rest)
  return parts
}

function decodeUtf8 (bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes)
  } catch {
    return undefined
  }
}

function malformed (reason: string): Outcome<never> {
  return fail(errorCodes.relayMalformed, `content does not decode: ${reason}`)
}
