import assert from 'node:assert/strict'
import { agree, generateX25519KeyPair, initInitiatorState, ratchetDecrypt, ratchetEncrypt, type X25519KeyPair } from '../../../src/relay/ratchet/index.ts'
import { unwrap } from '../relaysms-vectors.ts'

/** An app of our own (the ratchet's initiator) for an account whose server publish key pair is `server`. */
export function appFor (server: X25519KeyPair, client: X25519KeyPair): { send: (content: string | Buffer) => Buffer, receive: (message: Buffer) => string } {
  const sk = agree(server.privateKey, client.publicKey)
  assert.ok(sk !== undefined)
  let state = unwrap(initInitiatorState(sk, server.publicKey, generateX25519KeyPair))
  return {
    send: content => {
      const sent = unwrap(ratchetEncrypt(state, Buffer.from(content), server.publicKey))
      state = sent.state
      return sent.message
    },
    receive: message => {
      const opened = unwrap(ratchetDecrypt(state, message, client.publicKey, { generateKeyPair: generateX25519KeyPair }))
      state = opened.state
      return opened.plaintext.toString()
    }
  }
}
