import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { errorCodes } from '../../../src/errors.ts'
import { decodeContent, decodePlatformPayload, encodePlatformPayload, MAX_PLATFORM_PAYLOAD_BYTES, platformByShortcode } from '../../../src/relay/payload/index.ts'
import { hex, readVectors, unwrap } from '../relaysms-vectors.ts'

// payloads.json: envelopes made by upstream's client encoders and decoded by the Publisher (relay.md §4).
const vectors = readVectors('payloads.json')
const session = readVectors('ratchet-session.json')

test('decodePlatformPayload reads every upstream envelope as the Publisher did, and the encoder rebuilds it', () => {
  for (const envelope of vectors.envelopes) {
    const bytes = Buffer.from(envelope.payload_b64, 'base64')
    assert.equal(bytes.toString('hex'), envelope.payload_hex)
    const payload = unwrap(decodePlatformPayload(bytes))
    const expected = envelope.decoded_by_publisher
    assert.deepEqual({
      version: payload.version === 0 ? null : `v${payload.version}`,
      platform_shortcode: payload.platformShortcode,
      len_ciphertext: payload.encryptedMessage.length,
      ciphertext_hex: payload.encryptedMessage.toString('hex'),
      device_id_hex: payload.deviceId.toString('hex'),
      language: payload.version === 0 ? null : payload.language
    }, {
      version: expected.version,
      platform_shortcode: expected.platform_shortcode,
      len_ciphertext: expected.len_ciphertext,
      ciphertext_hex: expected.ciphertext_hex,
      device_id_hex: expected.device_id_hex,
      language: expected.language
    }, envelope.name)
    assert.deepEqual(encodePlatformPayload(payload), bytes, envelope.name)
  }
})

test('decodePlatformPayload agrees with the envelope vectors quoted in relay.md §4', () => {
  const decoded = vectors.spec_envelope_vectors_checked.map((vector: any) => {
    const payload = unwrap(decodePlatformPayload(hex(vector.payload_hex)))
    return [payload.version, payload.platformShortcode, payload.encryptedMessage.toString(), payload.deviceId.toString(), payload.language]
  })
  assert.deepEqual(decoded, [[0, 'k', 'ey1', '', ''], [0, 'k', 'ey123', 'extra', ''], [1, 'e', 'abcde', '', ''], [1, 't', 'xyz', '11223', 'fr']])
})

test('a ready /v3/publish text carries the session message, the device id and a v2 content', () => {
  for (const vector of vectors.end_to_end_v2) {
    const payload = unwrap(decodePlatformPayload(Buffer.from(vector.v3_publish_text, 'base64')))
    const message = session.messages.find((item: any) => item.id === vector.message)
    assert.deepEqual([payload.version, payload.platformShortcode, payload.encryptedMessage.toString('hex'), payload.deviceId.toString('hex'), payload.language],
      [2, vector.shortcode, message.framed_hex, vector.device_id_hex, 'en'])
    const platform = platformByShortcode(payload.platformShortcode)
    assert.ok(platform !== undefined)
    assert.equal(platform.name, vector.platform)
    assert.equal(message.plaintext_hex, vector.content_v2_hex)
    assert.ok(decodeContent(2, platform.serviceType, hex(vector.content_v2_hex)).ok)
  }
})

test('missing trailing fields are empty; a cut-off message, other versions and oversize are refused', () => {
  const code = (bytes: Buffer): string => { const result = decodePlatformPayload(bytes); return result.ok ? 'decoded' : result.error.code }
  // v2, message "abc", device id of 32 announced but only 3 bytes follow: device id and language empty.
  const cut = unwrap(decodePlatformPayload(hex('0203002074616263787979')))
  assert.deepEqual([cut.encryptedMessage.toString(), cut.deviceId.length, cut.language], ['abc', 0, ''])
  // v1 with one language byte only: language empty.
  assert.equal(unwrap(decodePlatformPayload(hex('010300007461626366'))).language, '')
  assert.deepEqual([
    code(hex('01ff0000746162')),
    code(hex('0303000074616263')),
    code(Buffer.alloc(0)),
    code(Buffer.concat([hex('01ffff0074'), Buffer.alloc(MAX_PLATFORM_PAYLOAD_BYTES)])),
    code(hex('0103000080616263'))
  ], Array(5).fill(errorCodes.relayMalformed))
})

test('decodePlatformPayload never throws on hostile bytes: a payload or SMSGW_RELAY_MALFORMED', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), bytes => {
    const result = decodePlatformPayload(Buffer.from(bytes))
    assert.ok(result.ok || result.error.code === errorCodes.relayMalformed)
  }), { numRuns: 5000 })
  fc.assert(fc.property(fc.constantFrom(1, 2), fc.uint8Array({ maxLength: 120 }), (version, rest) => {
    const result = decodePlatformPayload(Buffer.concat([Buffer.from([version]), rest]))
    assert.ok(result.ok || result.error.code === errorCodes.relayMalformed)
  }), { numRuns: 3000 })
})
