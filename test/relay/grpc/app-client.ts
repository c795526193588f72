import assert from 'node:assert/strict'
import { agree, generateX25519KeyPair, initInitiatorState, ratchetDecrypt, ratchetEncrypt, type RatchetState, type X25519KeyPair } from '../../../src/relay/ratchet/index.ts'
import { openLongLivedTokenResponse } from '../../../src/relay/vault/index.ts'
import { unwrap } from '../relaysms-vectors.ts'

// The app's side of a completed step (relay.md §2): its two key pairs, and from the server's
// public keys the device secret (which opens the long-lived token) and the ratchet's initiator.

export interface AppKeys {
  readonly publish: X25519KeyPair
  readonly deviceId: X25519KeyPair
}

export function newAppKeys (): AppKeys {
  return { publish: generateX25519KeyPair(), deviceId: generateX25519KeyPair() }
}

/** The key fields as Android's Base64.DEFAULT writes them: with a trailing line feed. */
export function keyFields (keys: AppKeys): { client_publish_pub_key: string, client_device_id_pub_key: string } {
  return { client_publish_pub_key: `${keys.publish.publicKey.toString('base64')}\n`, client_device_id_pub_key: `${keys.deviceId.publicKey.toString('base64')}\n` }
}

export interface LoggedIn {
  readonly deviceSecret: Buffer
  /** "<eid>:<jwt>", what later requests carry. */
  readonly token: string
  readonly serverPublishPublicKey: Buffer
  send: (content: string | Buffer) => Buffer
  /** Opens a reply of the server (associated data: the app's publish public key). */
  receive: (message: Buffer) => Buffer
}

export function completeOnApp (keys: AppKeys, response: Record<string, unknown>): LoggedIn {
  const serverDeviceId = Buffer.from(String(response.server_device_id_pub_key), 'base64')
  const serverPublishPublicKey = Buffer.from(String(response.server_publish_pub_key), 'base64')
  const deviceSecret = agree(keys.deviceId.privateKey, serverDeviceId)
  const sk = agree(keys.publish.privateKey, serverPublishPublicKey)
  assert.ok(deviceSecret !== undefined && sk !== undefined)
  const token = unwrap(openLongLivedTokenResponse(String(response.long_lived_token), deviceSecret))
  let state: RatchetState = unwrap(initInitiatorState(sk, serverPublishPublicKey, generateX25519KeyPair))
  return {
    deviceSecret,
    token,
    serverPublishPublicKey,
    send: content => {
      const sent = unwrap(ratchetEncrypt(state, Buffer.from(content), serverPublishPublicKey))
      state = sent.state
      return sent.message
    },
    receive: message => {
      const opened = unwrap(ratchetDecrypt(state, message, keys.publish.publicKey, { generateKeyPair: generateX25519KeyPair }))
      state = opened.state
      return opened.plaintext
    }
  }
}
