import assert from 'node:assert/strict'
import { test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import { computeDeviceId, completeHandshake, deviceSecretOf } from '../../../src/relay/vault/index.ts'
import { encodeRatchetState, initResponderState } from '../../../src/relay/ratchet/index.ts'
import { hex, keyPairOf, readVectors, replayKeys } from '../relaysms-vectors.ts'

// x25519-agree.json (the publish and device-id pairs) and device-id.json: the server side of the
// handshake of relay.md §2 gives upstream's SK, device secret and device id.
const agreeVectors = readVectors('x25519-agree.json')
const deviceIds = readVectors('device-id.json')
const publish = agreeVectors.cases.find((vector: any) => vector.a.label === 'server-publish')
const deviceIdPair = agreeVectors.cases.find((vector: any) => vector.a.label === 'server-device-id')

test('completeHandshake with upstream keys gives upstream SK, device secret, device id and a responder state', () => {
  for (const vector of deviceIds.cases) {
    const result = completeHandshake({
      identifier: vector.identifier,
      clientPublishPublicKey: hex(publish.b.public),
      clientDeviceIdPublicKey: hex(vector.client_device_id_pub_key)
    }, replayKeys([publish.a, deviceIdPair.a]))
    assert.ok(result.ok)
    const handshake = result.value
    assert.deepEqual([handshake.serverPublishKeyPair.publicKey.toString('hex'), handshake.serverDeviceIdKeyPair.publicKey.toString('hex')], [publish.a.public, deviceIdPair.a.public])
    assert.equal(handshake.publishSecret.toString('hex'), publish.shared_key)
    assert.equal(handshake.deviceSecret.toString('hex'), vector.device_id_shared_key)
    assert.equal(handshake.deviceId.toString('hex'), vector.device_id_hex, vector.identifier)
    assert.deepEqual(encodeRatchetState(handshake.ratchetState), encodeRatchetState(initResponderState(hex(publish.shared_key), keyPairOf(publish.a))))
    assert.equal(deviceSecretOf(handshake.serverDeviceIdKeyPair, hex(vector.client_device_id_pub_key))?.toString('hex'), vector.device_id_shared_key)
  }
})

test('computeDeviceId is HMAC-SHA256 over the identifier as given and the raw public key', () => {
  for (const vector of deviceIds.cases) {
    assert.equal(Buffer.concat([Buffer.from(vector.identifier), hex(vector.client_device_id_pub_key)]).toString('hex'), vector.hmac_message_hex)
    assert.equal(computeDeviceId(hex(vector.device_id_shared_key), vector.identifier, hex(vector.client_device_id_pub_key)).toString('hex'), vector.device_id_hex)
  }
  // E-mail addresses are not lower-cased (upstream): another case is another device id.
  const secret = hex(deviceIds.cases[1].device_id_shared_key)
  const key = hex(deviceIds.cases[1].client_device_id_pub_key)
  assert.notDeepEqual(computeDeviceId(secret, 'Alice@example.com', key), computeDeviceId(secret, 'alice@example.com', key))
})

test('completeHandshake refuses a low-order client key', () => {
  const result = completeHandshake({ identifier: '+1', clientPublishPublicKey: Buffer.alloc(32), clientDeviceIdPublicKey: hex(deviceIds.cases[0].client_device_id_pub_key) }, replayKeys([publish.a, deviceIdPair.a]))
  assert.equal(result.ok ? 'completed' : result.error.code, errorCodes.relayInvalidInput)
})
