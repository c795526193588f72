import { errorCodes, SmsgwError } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { sealHandshake } from './account-record.ts'
import { findAccount } from './find-account.ts'
import { completeHandshake, type Handshake, type HandshakeRequest } from './handshake.ts'
import { entityIdOf, hashIdentifier } from './identifiers.ts'
import { MAX_RATCHET_ATTEMPTS } from './ratchet-update.ts'
import { deviceLookupOf, type RelayVault } from './relay-vault.ts'
import { seal } from './sealing.ts'

// The account writes of a completed CreateEntity or login (relay.md §2): the handshake's keys,
// device id and ratchet state, sealed (account-record.ts), and for a new account its country
// code and password hash. Checking the input, the OTP and the password is the caller's (gRPC).

/** Country codes are ISO 3166 alpha-2 ("CM"); the bound keeps a hostile value out of the store. */
export const MAX_COUNTRY_CODE_BYTES = 8

export interface NewAccountRequest extends HandshakeRequest {
  /** The country code as the app sent it (checked by the caller); sealed. */
  readonly countryCode: string
  /** The PHC string of hashPassword. */
  readonly passwordHash: string
}

export interface CreatedAccount {
  readonly entityId: string
  /** The server's side of the handshake: its public keys go back to the app, the device secret signs the token. */
  readonly handshake: Handshake
}

/**
 * Creates the account; a country code out of bounds, or an account that exists already for the
 * identifier, is SMSGW_RELAY_INVALID_INPUT and nothing is written.
 */
export async function createAccount (vault: RelayVault, request: NewAccountRequest): Promise<Outcome<CreatedAccount>> {
  const countryCode = Buffer.from(request.countryCode, 'utf8')
  if (countryCode.length === 0 || countryCode.length > MAX_COUNTRY_CODE_BYTES) return fail(errorCodes.relayInvalidInput, `the country code must be 1 to ${MAX_COUNTRY_CODE_BYTES} bytes`)
  const identifierHash = hashIdentifier(vault.identifierKey, request.identifier)
  const entityId = entityIdOf(identifierHash)
  const handshake = completeHandshake(request, vault.generateKeyPair)
  if (!handshake.ok) return handshake
  const created = await vault.accounts.create({
    entityId,
    identifierHash,
    deviceLookup: deviceLookupOf(vault.identifierKey, handshake.value.deviceId),
    passwordHash: request.passwordHash,
    sealed: {
      countryCode: seal(vault.keys, 'countryCode', entityId, countryCode),
      ...sealHandshake(vault, entityId, handshake.value, request)
    }
  })
  return created ? succeed({ entityId, handshake: handshake.value }) : fail(errorCodes.relayInvalidInput, 'an account exists for this identifier')
}

/**
 * A completed login (relay.md §2, ours: only a completed one invalidates the old device): fresh
 * server keys, a new device id and a new ratchet state replace the old device's, in one
 * compare-and-set, so a decryption racing with it either ran on the old state before or fails after.
 * A completed ResetPassword also gives the new `passwordHash`, written in the same step.
 */
export async function replaceDevice (vault: RelayVault, request: HandshakeRequest & { readonly passwordHash?: string }): Promise<Outcome<CreatedAccount>> {
  for (let attempt = 0; attempt < MAX_RATCHET_ATTEMPTS; attempt++) {
    const account = await findAccount(vault, { identifier: request.identifier })
    if (!account.ok) return account
    const handshake = completeHandshake(request, vault.generateKeyPair)
    if (!handshake.ok) return handshake
    const { entityId, stateVersion } = account.value
    const changes = {
      deviceLookup: deviceLookupOf(vault.identifierKey, handshake.value.deviceId),
      sealed: sealHandshake(vault, entityId, handshake.value, request),
      ...(request.passwordHash === undefined ? {} : { passwordHash: request.passwordHash })
    }
    if (await vault.accounts.update(entityId, stateVersion, changes) !== undefined) return succeed({ entityId, handshake: handshake.value })
  }
  return { ok: false, error: new SmsgwError(errorCodes.relayBusy, `the account changed under ${MAX_RATCHET_ATTEMPTS} attempts in a row`, { retryable: true }) }
}

/**
 * A password change (relay-wire.md §1, UpdateEntityPassword: "the server also clears the device ID
 * and all keys"): the new password hash, and the device replaced by one nobody holds (a handshake
 * with throwaway client keys), so every device's token and ratchet stop working and each must log
 * in again. The store keeps every field present, hence a retired device rather than empty ones.
 */
export async function retireDevice (vault: RelayVault, entityId: string, passwordHash: string): Promise<Outcome<void>> {
  for (let attempt = 0; attempt < MAX_RATCHET_ATTEMPTS; attempt++) {
    const account = await findAccount(vault, { entityId })
    if (!account.ok) return account
    const throwaway = { identifier: '', clientPublishPublicKey: vault.generateKeyPair().publicKey, clientDeviceIdPublicKey: vault.generateKeyPair().publicKey }
    const handshake = completeHandshake(throwaway, vault.generateKeyPair)
    if (!handshake.ok) return handshake
    const changes = { passwordHash, deviceLookup: deviceLookupOf(vault.identifierKey, handshake.value.deviceId), sealed: sealHandshake(vault, entityId, handshake.value, throwaway) }
    if (await vault.accounts.update(entityId, account.value.stateVersion, changes) !== undefined) return succeed(undefined)
  }
  return { ok: false, error: new SmsgwError(errorCodes.relayBusy, `the account changed under ${MAX_RATCHET_ATTEMPTS} attempts in a row`, { retryable: true }) }
}
