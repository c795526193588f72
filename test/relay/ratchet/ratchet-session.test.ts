import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  decodeRatchetState, encodeRatchetState, initInitiatorState, initResponderState, ratchetDecrypt, ratchetEncrypt
} from '../../../src/relay/ratchet/index.ts'
import { hex, keyPairOf, readVectors, replayKeys, unwrap, vectorState, type VectorKeyPair } from '../relaysms-vectors.ts'

// ratchet-session.json: a session run with upstream libsig (client) and the Vault's decrypt_payload /
// encrypt_payload (server), with out-of-order, late and cross-chain deliveries (relay.md §3).
const session = readVectors('ratchet-session.json')
const messages = new Map<string, any>(session.messages.map((message: any) => [message.id, message]))
const serverPublish = keyPairOf(session.initial.server_publish_keypair)
const clientPublish = keyPairOf(session.initial.client_publish_keypair)
const sk = hex(session.initial.SK)

test('the responder replays the upstream session: every plaintext, reply and state field', () => {
  let state = initResponderState(sk, serverPublish)
  for (const delivery of session.deliveries) {
    const message = messages.get(delivery.message)
    if (delivery.action === 'server_decrypt') {
      const before = encodeRatchetState(state)
      const result = unwrap(ratchetDecrypt(state, hex(message.framed_hex), serverPublish.publicKey, { generateKeyPair: replayKeys(delivery.server_generated_ratchet_keys) }))
      assert.deepEqual(encodeRatchetState(state), before, 'the input state is not changed')
      assert.equal(result.plaintext.toString('hex'), delivery.expected_plaintext_hex, delivery.message)
      state = result.state
    } else {
      // The Vault's encrypt_payload: a reply with AD = the client publish key, byte for byte.
      const before = encodeRatchetState(state)
      const reply = unwrap(ratchetEncrypt(state, hex(message.plaintext_hex), clientPublish.publicKey))
      assert.deepEqual(encodeRatchetState(state), before, 'the input state is not changed')
      assert.equal(reply.message.toString('hex'), message.framed_hex)
      state = reply.state
    }
    assert.deepEqual(vectorState(state), delivery.server_state_after, `state after ${delivery.message}`)
    // As the Vault stores it between messages: the state survives its serialization unchanged.
    state = unwrap(decodeRatchetState(encodeRatchetState(state)))
    assert.deepEqual(vectorState(state), delivery.server_state_after)
  }
})

test('the initiator reproduces every app message byte for byte and decrypts the server reply', () => {
  const clientKeys: VectorKeyPair[] = [session.initial.client_initial_ratchet_keypair]
  let state = unwrap(initInitiatorState(sk, serverPublish.publicKey, replayKeys(clientKeys)))
  const replyDelivery = session.deliveries.find((delivery: any) => delivery.message === 's0')
  for (const id of session.send_order) {
    const message = messages.get(id)
    if (id === 's0') {
      const before = encodeRatchetState(state)
      const result = unwrap(ratchetDecrypt(state, hex(message.framed_hex), clientPublish.publicKey, { generateKeyPair: replayKeys(replyDelivery.client_generated_ratchet_keys) }))
      assert.deepEqual(encodeRatchetState(state), before)
      assert.equal(result.plaintext.toString('hex'), message.plaintext_hex)
      state = result.state
      continue
    }
    const sent = unwrap(ratchetEncrypt(state, hex(message.plaintext_hex), serverPublish.publicKey))
    assert.equal(sent.message.toString('hex'), message.framed_hex, id)
    state = sent.state
  }
})

test('a round trip between our initiator and responder with fresh keys, both directions, several chains', () => {
  let client = unwrap(initInitiatorState(sk, serverPublish.publicKey, () => keyPairOf({ label: '', private: randomHex(), public: '' })))
  let server = initResponderState(sk, serverPublish)
  const fresh = { generateKeyPair: () => keyPairOf({ label: '', private: randomHex(), public: '' }) }
  for (let round = 0; round < 4; round++) {
    for (let index = 0; index < 3; index++) {
      const text = Buffer.from(`app ${round}.${index}`)
      const sent = unwrap(ratchetEncrypt(client, text, serverPublish.publicKey))
      client = sent.state
      const received = unwrap(ratchetDecrypt(server, sent.message, serverPublish.publicKey, fresh))
      assert.deepEqual(received.plaintext, text)
      server = received.state
    }
    const reply = unwrap(ratchetEncrypt(server, Buffer.from(`server ${round}`), clientPublish.publicKey))
    server = reply.state
    const opened = unwrap(ratchetDecrypt(client, reply.message, clientPublish.publicKey, fresh))
    assert.equal(opened.plaintext.toString(), `server ${round}`)
    client = opened.state
  }
})

function randomHex (): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex')
}
