import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { errorCodes } from '../../../src/errors.ts'
import { allowedServiceTypes, decodeContent, encodeContent, type Content, type PlatformPayloadVersion, type ServiceType } from '../../../src/relay/payload/index.ts'
import { hex, readVectors, unwrap } from '../relaysms-vectors.ts'

// content.json: content made by upstream's create_message_v0/v1/v2, read by the Publisher's
// extract_content_v0/v1/v2 (relay.md §4).
const vectors = readVectors('content.json')

/** The tuple the Publisher returns, absent tokens as None (null). */
function extracted (content: Content, version: number): Array<string | null> {
  const token = (value: string | undefined): string | null => value ?? null
  switch (content.serviceType) {
    case 'email': return [content.from, content.to, content.cc, content.bcc, content.subject, content.body, token(content.accessToken), token(content.refreshToken)]
    case 'text': return [content.from, content.body, token(content.accessToken), token(content.refreshToken)]
    case 'message': return version === 0 ? [content.from, content.to, content.body] : [content.from, content.to, content.body, token(content.accessToken), token(content.refreshToken)]
    case 'test': return [content.testId]
  }
}

function versionOf (name: string): PlatformPayloadVersion {
  return Number(name.slice(1)) as PlatformPayloadVersion
}

test('decodeContent extracts every upstream case as the Publisher did, the twitter v0 colon split included', () => {
  for (const vector of vectors.cases) {
    const version = versionOf(vector.content_version)
    const content = unwrap(decodeContent(version, vector.service_type, hex(vector.content_hex)))
    assert.deepEqual(extracted(content, version), vector.extracted, `${vector.platform} ${vector.content_version}`)
  }
  const tweet = vectors.cases.find((vector: any) => vector.platform === 'twitter' && vector.content_version === 'v0')
  assert.deepEqual(tweet.extracted, ['@alice', 'a tweet', ' with colon', 'tok:ref'])
})

test('decodeContent agrees with the content vectors quoted in relay.md §4', () => {
  for (const vector of vectors.spec_content_vectors_checked) {
    const version = versionOf(vector.content_version)
    assert.deepEqual(extracted(unwrap(decodeContent(version, vector.service_type, hex(vector.content_hex))), version), vector.extracted)
  }
})

test('decodeContent: fields that do not fit are empty; short headers, bad UTF-8 and short v0 text are refused', () => {
  // v2 text: from "ab", body announced as 9 bytes but 3 follow: body and tokens empty.
  const cut = unwrap(decodeContent(2, 'text', Buffer.concat([hex('0200000000000000090000000000'), Buffer.from('abxyz')])))
  assert.deepEqual(extracted(cut, 2), ['ab', '', '', ''])
  // A UTF-8 byte-order mark is kept, as Python's utf-8 codec keeps it.
  assert.deepEqual(extracted(unwrap(decodeContent(0, 'test', hex('efbbbf31'))), 0), ['\ufeff1'])
  const code = (version: PlatformPayloadVersion, type: ServiceType, bytes: Buffer): string => { const result = decodeContent(version, type, bytes); return result.ok ? 'decoded' : result.error.code }
  assert.deepEqual([
    code(1, 'email', hex('0102')),
    code(2, 'text', Buffer.concat([hex('0100000000000000000000000000'), hex('ff')])),
    code(0, 'text', Buffer.from('no colon')),
    code(0, 'message', Buffer.from('a:b')),
    code(0, 'email', Buffer.from('a:b:c:d:e')),
    code(0, 'test', hex('c0af'))
  ], Array(6).fill(errorCodes.relayMalformed))
})

test('decodeContent never throws on hostile bytes', () => {
  fc.assert(fc.property(fc.constantFrom<PlatformPayloadVersion>(0, 1, 2), fc.constantFrom(...allowedServiceTypes), fc.uint8Array({ maxLength: 200 }), (version, type, bytes) => {
    const result = decodeContent(version, type, Buffer.from(bytes))
    assert.ok(result.ok || result.error.code === errorCodes.relayMalformed)
  }), { numRuns: 5000 })
})

test('encodeContent writes every upstream v1 and v2 case byte for byte (create_message_v1/v2), and decodeContent reads it back', () => {
  const cases = vectors.cases.filter((vector: any) => vector.content_version !== 'v0')
  assert.equal(cases.length, 10)
  for (const vector of cases) {
    const version = versionOf(vector.content_version) as 1 | 2
    const fields = vector.fields_in
    const content: Content = vector.service_type === 'test'
      ? { serviceType: 'test', testId: fields.from }
      : { serviceType: vector.service_type, from: fields.from, to: fields.to ?? '', cc: fields.cc ?? '', bcc: fields.bcc ?? '', subject: fields.subject ?? '', body: fields.body ?? '', accessToken: fields.access_token ?? '', refreshToken: fields.refresh_token ?? '' } as Content
    const bytes = unwrap(encodeContent(version, content))
    assert.equal(bytes.toString('hex'), vector.content_hex, `${vector.platform} ${vector.content_version}`)
    assert.deepEqual(extracted(unwrap(decodeContent(version, vector.service_type, bytes)), version), vector.extracted)
  }
})

test('encodeContent refuses a field longer than its length can say; fields the service type does not carry stay empty', () => {
  const text = (from: string, body: string): Content => ({ serviceType: 'text', from, body, accessToken: '', refreshToken: '' })
  const refused = encodeContent(2, text('x'.repeat(256), 'body'))
  assert.deepEqual(refused.ok ? 'encoded' : [refused.error.code, refused.error.message], [errorCodes.relayInvalidInput, 'the from is 256 bytes, over the 255 a v2 content can carry'])
  assert.equal(encodeContent(1, { serviceType: 'text', from: 'a', body: 'b', accessToken: 't'.repeat(256), refreshToken: '' }).ok, false)
  assert.equal(encodeContent(2, { serviceType: 'text', from: 'a', body: 'b', accessToken: 't'.repeat(256), refreshToken: '' }).ok, true)
  // A message content leaves cc, bcc and subject empty.
  const message = unwrap(encodeContent(2, { serviceType: 'message', from: '+237600000001', to: '+237600000002', body: 'hi', accessToken: '', refreshToken: '' }))
  assert.deepEqual(extracted(unwrap(decodeContent(2, 'email', message)), 2), ['+237600000001', '+237600000002', '', '', '', 'hi', '', ''])
})
