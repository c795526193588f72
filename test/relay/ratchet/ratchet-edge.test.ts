import assert from 'node:assert/strict'
import { test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import {
  encodeRatchetState, generateX25519KeyPair, initInitiatorState, initResponderState, MAX_STORED_SKIPPED_KEYS, ratchetDecrypt, ratchetEncrypt, type RatchetState
} from '../../../src/relay/ratchet/index.ts'
import { hex, keyPairOf, readVectors, replayKeys, unwrap } from '../relaysms-vectors.ts'

// ratchet-edge.json: upstream's per-message skip limit (Nr + 100 < N refused, exactly 100 accepted),
// a flipped tag bit, a late message from the stored keys and its replay (relay.md §3).
const edge = readVectors('ratchet-edge.json')
const serverPublish = keyPairOf(edge.initial.server_publish_keypair)

// Upstream raises "MAX_SKIP Exceeded" and "MAC check failed" for all of these; we tell the replay
// apart (the key for n = 0 is gone, so it is refused before any crypto) but change no state either way.
const expectedCodes = [errorCodes.ratchetSkipLimit, undefined, errorCodes.ratchetAuth, undefined, errorCodes.ratchetReplay]

test('the responder follows the upstream edge steps, each from the last successful state', () => {
  let state = initResponderState(hex(edge.initial.SK), serverPublish)
  edge.steps.forEach((step: any, index: number) => {
    const before = encodeRatchetState(state)
    const result = ratchetDecrypt(state, hex(step.framed_hex), serverPublish.publicKey, { generateKeyPair: replayKeys(step.server_generated_ratchet_keys) })
    assert.deepEqual(encodeRatchetState(state), before, `step ${index} leaves its input state alone`)
    assert.equal(result.ok, step.ok, step.what)
    if (result.ok) {
      assert.equal(result.value.plaintext.toString('hex'), step.plaintext_hex)
      assert.equal(result.value.state.skippedMessageKeys.length, step.skipped_keys_stored_after)
      state = result.value.state
    } else {
      assert.equal(result.error.code, expectedCodes[index], step.what)
    }
  })
})

test('the skip limit also bounds PN when a new ratchet key arrives', () => {
  // A client that sent 102 messages on its first chain, then got a reply and ratchets: PN = 102.
  const sk = Buffer.alloc(32, 9)
  let client = unwrap(initInitiatorState(sk, serverPublish.publicKey, generateX25519KeyPair))
  let server = initResponderState(sk, serverPublish)
  const options = { generateKeyPair: generateX25519KeyPair }
  const first = unwrap(ratchetEncrypt(client, Buffer.from('first'), serverPublish.publicKey))
  server = unwrap(ratchetDecrypt(server, first.message, serverPublish.publicKey, options)).state
  client = first.state
  for (let index = 0; index < 101; index++) client = unwrap(ratchetEncrypt(client, Buffer.from('lost'), serverPublish.publicKey)).state
  const reply = unwrap(ratchetEncrypt(server, Buffer.from('reply'), Buffer.alloc(32)))
  client = unwrap(ratchetDecrypt(client, reply.message, Buffer.alloc(32), options)).state
  const late = unwrap(ratchetEncrypt(client, Buffer.from('after 101 lost'), serverPublish.publicKey))
  const result = ratchetDecrypt(reply.state, late.message, serverPublish.publicKey, options)
  assert.equal(result.ok ? 'accepted' : result.error.code, errorCodes.ratchetSkipLimit)
})

test('stored skipped keys are capped in total, oldest dropped first, and a dropped key is a replay', () => {
  const sk = Buffer.alloc(32, 3)
  let client = unwrap(initInitiatorState(sk, serverPublish.publicKey, generateX25519KeyPair))
  let server: RatchetState = initResponderState(sk, serverPublish)
  const options = { generateKeyPair: generateX25519KeyPair }
  const sent: Buffer[] = []
  for (let index = 0; index < 601; index++) {
    const message = unwrap(ratchetEncrypt(client, Buffer.from(`m${index}`), serverPublish.publicKey))
    sent.push(message.message)
    client = message.state
  }
  // Deliver every hundredth message only: 6 × 100 skipped keys would be stored without the cap.
  for (let index = 100; index <= 600; index += 100) {
    server = unwrap(ratchetDecrypt(server, sent[index] as Buffer, serverPublish.publicKey, options)).state
  }
  assert.equal(server.skippedMessageKeys.length, MAX_STORED_SKIPPED_KEYS)
  assert.deepEqual(server.skippedMessageKeys.map(key => key.messageNumber).slice(0, 2), [95, 96])
  const dropped = ratchetDecrypt(server, sent[94] as Buffer, serverPublish.publicKey, options)
  assert.equal(dropped.ok ? 'accepted' : dropped.error.code, errorCodes.ratchetReplay)
  assert.equal(unwrap(ratchetDecrypt(server, sent[95] as Buffer, serverPublish.publicKey, options)).plaintext.toString(), 'm95')
})

test('the responder cannot encrypt before its first message, and refuses a low-order ratchet key', () => {
  const server = initResponderState(Buffer.alloc(32), serverPublish)
  const reply = ratchetEncrypt(server, Buffer.from('x'), Buffer.alloc(32))
  assert.equal(reply.ok ? 'encrypted' : reply.error.code, errorCodes.ratchetState)
  // The header of a framed message whose ratchet key is the all-zero (low-order) point.
  const framed = Buffer.concat([Buffer.from('28000000', 'hex'), Buffer.alloc(40), Buffer.alloc(48)])
  const result = ratchetDecrypt(server, framed, serverPublish.publicKey, { generateKeyPair: generateX25519KeyPair })
  assert.equal(result.ok ? 'accepted' : result.error.code, errorCodes.relayMalformed)
})
