import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { agree, generateX25519KeyPair, initInitiatorState, type GenerateKeyPair, type RatchetState, type X25519KeyPair } from '../ratchet/index.ts'
import { computeDeviceId, openLongLivedTokenResponse } from '../vault/index.ts'

// The app's side of the handshake (relay.md §2): two fresh key pairs go with the completing call;
// from the server's two public keys the app derives the device secret (which opens the long-lived
// token and makes the device id) and the publish secret SK (the ratchet's root key, relay.md §3).

export interface AppKeys {
  readonly publish: X25519KeyPair
  readonly deviceId: X25519KeyPair
}

export function newAppKeys (generateKeyPair: GenerateKeyPair = generateX25519KeyPair): AppKeys {
  return { publish: generateKeyPair(), deviceId: generateKeyPair() }
}

/** The request fields that carry the app's public keys: standard base64 of the raw 32 bytes. */
export function keyFieldsOf (keys: AppKeys): { client_publish_pub_key: string, client_device_id_pub_key: string } {
  return { client_publish_pub_key: keys.publish.publicKey.toString('base64'), client_device_id_pub_key: keys.deviceId.publicKey.toString('base64') }
}

/** What the app keeps after a completed sign-up or login: enough to compose payloads offline and to call the vault and publisher. */
export interface AppSession {
  /** The phone number (E.164) or e-mail address the account is known by. */
  readonly identifier: string
  readonly keys: AppKeys
  /** "<eid>:<jwt>", what later requests carry as long_lived_token. */
  readonly longLivedToken: string
  readonly serverPublishPublicKey: Buffer
  /** HMAC-SHA256(device secret, identifier ‖ device-id public key): carried in each payload. */
  readonly deviceId: Buffer
  /** The initiator's ratchet, advanced by every payload composed. */
  readonly ratchet: RatchetState
}

/** The completing answer's fields the app reads (relay-wire.md §1, CreateEntityResponse). */
export interface CompletedLogin {
  readonly long_lived_token?: unknown
  readonly server_publish_pub_key?: unknown
  readonly server_device_id_pub_key?: unknown
}

export function completeLogin (keys: AppKeys, identifier: string, response: CompletedLogin, generateKeyPair: GenerateKeyPair = generateX25519KeyPair): Outcome<AppSession> {
  const serverPublishPublicKey = Buffer.from(String(response.server_publish_pub_key ?? ''), 'base64')
  const serverDeviceIdPublicKey = Buffer.from(String(response.server_device_id_pub_key ?? ''), 'base64')
  const deviceSecret = agree(keys.deviceId.privateKey, serverDeviceIdPublicKey)
  const publishSecret = agree(keys.publish.privateKey, serverPublishPublicKey)
  if (deviceSecret === undefined || publishSecret === undefined) return fail(errorCodes.relayMalformed, 'the server\'s public keys are not usable X25519 keys')
  const longLivedToken = openLongLivedTokenResponse(String(response.long_lived_token ?? ''), deviceSecret)
  if (!longLivedToken.ok) return longLivedToken
  const ratchet = initInitiatorState(publishSecret, serverPublishPublicKey, generateKeyPair)
  if (!ratchet.ok) return ratchet
  return succeed({
    identifier,
    keys,
    longLivedToken: longLivedToken.value,
    serverPublishPublicKey,
    deviceId: computeDeviceId(deviceSecret, identifier, keys.deviceId.publicKey),
    ratchet: ratchet.value
  })
}
