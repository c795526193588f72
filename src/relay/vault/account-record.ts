import { errorCodes } from '../../errors.ts'
import type { RelayAccount, RelaySealedFields } from '../../store/relay-accounts.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { X25519_KEY_BYTES, type X25519KeyPair } from '../ratchet/dh.ts'
import type { RatchetState } from '../ratchet/ratchet-state.ts'
import { decodeRatchetState, encodeRatchetState } from '../ratchet/state-codec.ts'
import { deviceSecretOf, type Handshake } from './handshake.ts'
import type { RelayVault } from './relay-vault.ts'
import { open, seal } from './sealing.ts'

// An account's fields between their open form and the sealed bytes the store keeps (relay.md §7).
// Each is sealed under its own name and the entity id (sealing.ts).

/** The device-bound fields a completed handshake sets: everything sealed but the country code. */
export function sealHandshake (vault: RelayVault, entityId: string, handshake: Handshake, client: { readonly clientPublishPublicKey: Buffer, readonly clientDeviceIdPublicKey: Buffer }): Omit<RelaySealedFields, 'countryCode'> {
  const sealField = (field: keyof RelaySealedFields, value: Buffer): Buffer => seal(vault.keys, field, entityId, value)
  return {
    serverPublishKeyPair: sealField('serverPublishKeyPair', keyPairBytes(handshake.serverPublishKeyPair)),
    serverDeviceIdKeyPair: sealField('serverDeviceIdKeyPair', keyPairBytes(handshake.serverDeviceIdKeyPair)),
    clientPublishPublicKey: sealField('clientPublishPublicKey', client.clientPublishPublicKey),
    clientDeviceIdPublicKey: sealField('clientDeviceIdPublicKey', client.clientDeviceIdPublicKey),
    deviceId: sealField('deviceId', handshake.deviceId),
    ratchetState: sealRatchetState(vault, entityId, handshake.ratchetState)
  }
}

export function sealRatchetState (vault: RelayVault, entityId: string, state: RatchetState): Buffer {
  return seal(vault.keys, 'ratchetState', entityId, encodeRatchetState(state))
}

export function openRatchetState (vault: RelayVault, account: RelayAccount): Outcome<RatchetState> {
  const bytes = open(vault.keys, 'ratchetState', account.entityId, account.sealed.ratchetState)
  return bytes.ok ? decodeRatchetState(bytes.value) : bytes
}

export function openCountryCode (vault: RelayVault, account: RelayAccount): Outcome<string> {
  const bytes = open(vault.keys, 'countryCode', account.entityId, account.sealed.countryCode)
  return bytes.ok ? succeed(bytes.value.toString('utf8')) : bytes
}

/** A sealed server key pair; its public half is stored beside the private one, not derived again. */
export function openKeyPair (vault: RelayVault, account: RelayAccount, field: 'serverPublishKeyPair' | 'serverDeviceIdKeyPair'): Outcome<X25519KeyPair> {
  const bytes = open(vault.keys, field, account.entityId, account.sealed[field])
  if (!bytes.ok) return bytes
  if (bytes.value.length !== 2 * X25519_KEY_BYTES) return fail(errorCodes.relaySealed, `the sealed ${field} is not a key pair`)
  return succeed({ privateKey: bytes.value.subarray(0, X25519_KEY_BYTES), publicKey: bytes.value.subarray(X25519_KEY_BYTES) })
}

export function openPublicKey (vault: RelayVault, account: RelayAccount, field: 'clientPublishPublicKey' | 'clientDeviceIdPublicKey'): Outcome<Buffer> {
  return open(vault.keys, field, account.entityId, account.sealed[field])
}

function keyPairBytes (pair: X25519KeyPair): Buffer {
  return Buffer.concat([pair.privateKey, pair.publicKey])
}

/**
 * The account's device secret again (relay.md §2: the key of the long-lived token), from its sealed
 * server device-id key pair and client device-id public key: for verifying a long-lived token.
 */
export function deviceSecretOfAccount (vault: RelayVault, account: RelayAccount): Outcome<Buffer> {
  const server = openKeyPair(vault, account, 'serverDeviceIdKeyPair')
  if (!server.ok) return server
  const client = openPublicKey(vault, account, 'clientDeviceIdPublicKey')
  if (!client.ok) return client
  const secret = deviceSecretOf(server.value, client.value)
  return secret === undefined ? fail(errorCodes.relaySealed, 'the stored client device-id key is not a usable X25519 public key') : succeed(secret)
}
