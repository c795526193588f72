import type { RelayAccount, RelayAccountStore } from '../../store/relay-accounts.ts'
import type { RelayTokenStore } from '../../store/relay-tokens.ts'
import type { GenerateKeyPair } from '../ratchet/dh.ts'
import type { SealingKeyRing } from './sealing-key-ring.ts'
import { keyedHmac } from './keyed-hmac.ts'

// What the vault's storage functions work with (docs/relay.md, "What is stored and how it is
// sealed"): the accounts in the store, the key ring that seals them, the identifier key of
// relay.md §7 and the source of fresh key pairs. The gRPC layer builds one at start.

export interface RelayVault {
  readonly accounts: RelayAccountStore
  /** The accounts' platform tokens (platform-tokens.ts). */
  readonly tokens: RelayTokenStore
  readonly keys: SealingKeyRing
  /** The HMAC key of identifier hashes (identifierKeyFromKeyFile); also keys the device lookup. */
  readonly identifierKey: Buffer
  readonly generateKeyPair: GenerateKeyPair
}

/** Which account a call is about (relay-wire.md §2's lookup order is the caller's to choose). */
export type AccountSelector =
  | { readonly entityId: string }
  /** The raw 32-byte device id a payload carries. */
  | { readonly deviceId: Buffer }
  /** A phone number or e-mail address exactly as the account was made with it. */
  | { readonly identifier: string }
  /**
   * The account as the caller has just read it (an EntityInternal call found it by the request's
   * device id): a ratchet step starts on it instead of reading the row again, and reads it again
   * only when it lost the compare-and-set (updateRatchet). Saves a read of the row per decryption.
   */
  | { readonly account: RelayAccount }

/**
 * The digest the store finds an account by its device id with: HMAC-SHA512 under the identifier
 * key over a domain label and the raw id, so the device id itself stays sealed.
 */
export function deviceLookupOf (identifierKey: Buffer, deviceId: Buffer): string {
  return keyedHmac(identifierKey).update('smsgw-relay-device-id\0').update(deviceId).digest('hex')
}
