import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { agree, type GenerateKeyPair, type X25519KeyPair } from '../ratchet/dh.ts'
import { initResponderState, type RatchetState } from '../ratchet/ratchet-state.ts'
import { computeDeviceId } from './device-id.ts'

// The server's half of the key handshake that completes a login (relay.md §2): two fresh server
// key pairs, the publish secret SK (the ratchet's root key) and the device secret (the key of the
// long-lived token and of the device id), each the DH of relay.md §2.

export interface HandshakeRequest {
  /** The login identifier exactly as given: an E.164 number or an e-mail address. */
  readonly identifier: string
  /** Raw 32-byte X25519 public keys from the app (already checked by input-checks.ts). */
  readonly clientPublishPublicKey: Buffer
  readonly clientDeviceIdPublicKey: Buffer
}

export interface Handshake {
  readonly serverPublishKeyPair: X25519KeyPair
  readonly serverDeviceIdKeyPair: X25519KeyPair
  /** SK: the responder's first root key. */
  readonly publishSecret: Buffer
  readonly deviceSecret: Buffer
  /** Raw device id (store its hex). */
  readonly deviceId: Buffer
  /** The account's new ratchet state: it replaces the old device's (one device per account). */
  readonly ratchetState: RatchetState
}

/** Fresh server keys per completed login; `generateKeyPair` is injectable for the vectors. */
export function completeHandshake (request: HandshakeRequest, generateKeyPair: GenerateKeyPair): Outcome<Handshake> {
  const serverPublishKeyPair = generateKeyPair()
  const serverDeviceIdKeyPair = generateKeyPair()
  const publishSecret = agree(serverPublishKeyPair.privateKey, request.clientPublishPublicKey)
  const deviceSecret = agree(serverDeviceIdKeyPair.privateKey, request.clientDeviceIdPublicKey)
  if (publishSecret === undefined || deviceSecret === undefined) return fail(errorCodes.relayInvalidInput, 'a client public key is not a usable X25519 public key')
  return succeed({
    serverPublishKeyPair,
    serverDeviceIdKeyPair,
    publishSecret,
    deviceSecret,
    deviceId: computeDeviceId(deviceSecret, request.identifier, request.clientDeviceIdPublicKey),
    ratchetState: initResponderState(publishSecret, serverPublishKeyPair)
  })
}

/** The device secret again, from the stored server device-id key pair (LLT verification). */
export function deviceSecretOf (serverDeviceIdKeyPair: X25519KeyPair, clientDeviceIdPublicKey: Buffer): Buffer | undefined {
  return agree(serverDeviceIdKeyPair.privateKey, clientDeviceIdPublicKey)
}
