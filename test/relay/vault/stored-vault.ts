import { randomBytes } from 'node:crypto'
import { generateX25519KeyPair, type GenerateKeyPair, type X25519KeyPair } from '../../../src/relay/ratchet/index.ts'
import { createAccount, parseSealingKeyRing, type RelayVault, type SealingKeyRing } from '../../../src/relay/vault/index.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { unwrap } from '../relaysms-vectors.ts'

// A vault over a real store for the storage tests: its key generator hands out queued keys
// first (the vectors' server keys, replayed) and fresh ones after.

export const PHONE_NUMBER = '+237650000001'
export const COUNTRY_CODE = 'CM'
/** A PHC string as hashPassword makes it (the storage does not look inside). */
export const PASSWORD_HASH = `$argon2id$v=19$m=65536,t=3,p=2$${'A'.repeat(22)}$${'B'.repeat(43)}`

export function newRing (id = 'k1'): SealingKeyRing {
  return unwrap(parseSealingKeyRing(`${id} ${randomBytes(32).toString('base64')}`))
}

export interface TestVault extends RelayVault {
  /** Keys the next key generations hand out, in order. */
  readonly queued: X25519KeyPair[]
}

export function vaultOver (store: EmbeddedStore, keys: SealingKeyRing, identifierKey: Buffer = Buffer.alloc(32, 7)): TestVault {
  const queued: X25519KeyPair[] = []
  const generateKeyPair: GenerateKeyPair = () => queued.shift() ?? generateX25519KeyPair()
  return { accounts: store.relay, tokens: store.relayTokens, keys, identifierKey, generateKeyPair, queued }
}

/** Creates the account of `identifier` with the given client publish key (and a fresh device-id key). */
export async function createTestAccount (vault: TestVault, clientPublishPublicKey: Buffer, identifier = PHONE_NUMBER): Promise<TestAccount> {
  const clientDeviceIdPublicKey = generateX25519KeyPair().publicKey
  const created = unwrap(await createAccount(vault, { identifier, countryCode: COUNTRY_CODE, passwordHash: PASSWORD_HASH, clientPublishPublicKey, clientDeviceIdPublicKey }))
  const { deviceId, serverPublishKeyPair, serverDeviceIdKeyPair } = created.handshake
  return { entityId: created.entityId, deviceId, serverPublishKeyPair, serverDeviceIdKeyPair, clientDeviceIdPublicKey }
}

export interface TestAccount {
  readonly entityId: string
  readonly deviceId: Buffer
  readonly serverPublishKeyPair: X25519KeyPair
  readonly serverDeviceIdKeyPair: X25519KeyPair
  readonly clientDeviceIdPublicKey: Buffer
}
