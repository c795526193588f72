import assert from 'node:assert/strict'
import { test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import { composeSms, contentFor, type ComposeFields } from '../../../src/relay/client/index.ts'
import { decodeContent, decodePlatformPayload, platforms, type Platform } from '../../../src/relay/payload/index.ts'
import { generateX25519KeyPair, initInitiatorState, initResponderState, ratchetDecrypt } from '../../../src/relay/ratchet/index.ts'
import { hex, keyPairOf, readVectors, replayKeys, unwrap } from '../relaysms-vectors.ts'

// payloads.json's end_to_end_v2: the /v3/publish texts of upstream's client (libsig's initiator,
// create_message_v2, create_payload_v2) for the session of ratchet-session.json. Our compose, from
// the same initiator state and fields, writes the same texts byte for byte.
const payloads = readVectors('payloads.json')
const session = readVectors('ratchet-session.json')
const serverPublish = keyPairOf(session.initial.server_publish_keypair)

function platformNamed (name: string): Platform {
  return platforms.find(platform => platform.name === name) ?? assert.fail(name)
}

/** The fields a vector's content carries, read back by the Publisher's decoder. */
function fieldsOf (platform: Platform, contentHex: string): ComposeFields {
  const content = unwrap(decodeContent(2, platform.serviceType, hex(contentHex)))
  switch (content.serviceType) {
    case 'email': return { from: content.from, to: content.to, cc: content.cc, bcc: content.bcc, subject: content.subject, body: content.body }
    case 'text': return { from: content.from, body: content.body }
    case 'message': return { from: content.from, to: content.to, body: content.body }
    case 'test': return { from: content.testId }
  }
}

test('composeSms writes upstream\'s /v3/publish texts byte for byte (c0 twitter, c1 gmail, c2 telegram), each opened by the responder', () => {
  let ratchet = unwrap(initInitiatorState(hex(session.initial.SK), serverPublish.publicKey, replayKeys([session.initial.client_initial_ratchet_keypair])))
  let server = initResponderState(hex(session.initial.SK), serverPublish)
  for (const vector of payloads.end_to_end_v2) {
    const platform = platformNamed(vector.platform)
    const content = unwrap(contentFor(platform, fieldsOf(platform, vector.content_v2_hex)))
    const composed = unwrap(composeSms({ ratchet, serverPublishPublicKey: serverPublish.publicKey, deviceId: hex(vector.device_id_hex) }, platform, content, 'en'))
    assert.equal(composed.text, vector.v3_publish_text, vector.message)
    ratchet = composed.ratchet
    const payload = unwrap(decodePlatformPayload(Buffer.from(composed.text, 'base64')))
    const opened = unwrap(ratchetDecrypt(server, payload.encryptedMessage, serverPublish.publicKey, { generateKeyPair: generateX25519KeyPair }))
    assert.equal(opened.plaintext.toString('hex'), vector.content_v2_hex)
    server = opened.state
  }
})

test('contentFor needs a recipient for e-mail and messages; composeSms refuses a language that is not ISO 639-1 and leaves the ratchet as it was', () => {
  const refused = (platform: string, fields: ComposeFields): string => { const result = contentFor(platformNamed(platform), fields); return result.ok ? 'built' : result.error.message }
  assert.deepEqual([refused('gmail', { from: 'a@b.c', body: 'x' }), refused('telegram', { from: '+1', to: '', body: 'x' }), refused('mastodon', { from: 'me', body: 'x' }), refused('reliability', { from: '42' })],
    ['gmail content needs a recipient (to)', 'telegram content needs a recipient (to)', 'built', 'built'])
  const ratchet = unwrap(initInitiatorState(hex(session.initial.SK), serverPublish.publicKey, replayKeys([session.initial.client_initial_ratchet_keypair])))
  const mastodon = platformNamed('mastodon')
  const result = composeSms({ ratchet, serverPublishPublicKey: serverPublish.publicKey, deviceId: Buffer.alloc(32) }, mastodon, unwrap(contentFor(mastodon, { from: 'me', body: 'x' })), 'EN')
  assert.deepEqual(result.ok ? 'composed' : result.error.code, errorCodes.relayInvalidInput)
  assert.equal(ratchet.sendingMessageNumber, 0)
})
