import { succeed, type Outcome } from '../outcome.ts'
import { publishDecryption } from '../relay-diagnostics.ts'
import { ratchetDecrypt, ratchetEncrypt } from '../ratchet/ratchet.ts'
import { openCountryCode, openKeyPair, openPublicKey } from './account-record.ts'
import { updateRatchet } from './ratchet-update.ts'
import type { AccountSelector, RelayVault } from './relay-vault.ts'

// The vault's DecryptPayload and EncryptPayload (relay-wire.md §2, vault.v1.EntityInternal) over
// the stored, sealed account: the ratchet of relay.md §3 with its state read, advanced and written
// back sealed under the store's compare-and-set (ratchet-update.ts).

export interface DecryptedPayload {
  readonly entityId: string
  /** The decrypted content bytes, for decodeContent (relay.md §4); never log or store them. */
  readonly plaintext: Buffer
  readonly countryCode: string
}

/**
 * Decrypts one framed ratchet message (a platform payload's `encryptedMessage`) for the account
 * `selector` names. Associated data: the server publish public key (relay.md §3). A message that
 * fails its MAC, is replayed, skips too far or is malformed comes back as that error and changes
 * nothing stored.
 */
export async function decryptPayload (vault: RelayVault, selector: AccountSelector, framedMessage: Buffer): Promise<Outcome<DecryptedPayload>> {
  const decrypted = await decryptStored(vault, selector, framedMessage)
  publishDecryption(decrypted.ok ? 'decrypted' : decrypted.error.code)
  return decrypted
}

async function decryptStored (vault: RelayVault, selector: AccountSelector, framedMessage: Buffer): Promise<Outcome<DecryptedPayload>> {
  return await updateRatchet(vault, selector, (state, account) => {
    const serverPublish = openKeyPair(vault, account, 'serverPublishKeyPair')
    if (!serverPublish.ok) return serverPublish
    const countryCode = openCountryCode(vault, account)
    if (!countryCode.ok) return countryCode
    const decrypted = ratchetDecrypt(state, framedMessage, serverPublish.value.publicKey, { generateKeyPair: vault.generateKeyPair })
    if (!decrypted.ok) return decrypted
    return succeed({ state: decrypted.value.state, result: { entityId: account.entityId, plaintext: decrypted.value.plaintext, countryCode: countryCode.value } })
  })
}

/** Encrypts a reply (server to app; associated data: the client publish public key), advancing the stored state. */
export async function encryptPayload (vault: RelayVault, selector: AccountSelector, plaintext: Buffer): Promise<Outcome<Buffer>> {
  return await updateRatchet(vault, selector, (state, account) => {
    const clientPublish = openPublicKey(vault, account, 'clientPublishPublicKey')
    if (!clientPublish.ok) return clientPublish
    const encrypted = ratchetEncrypt(state, plaintext, clientPublish.value)
    return encrypted.ok ? succeed({ state: encrypted.value.state, result: encrypted.value.message }) : encrypted
  })
}
