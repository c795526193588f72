import { randomBytes } from 'node:crypto'
import { IDENTIFIER_KEY_BYTES } from './identifiers.ts'
import { SEALING_KEY_BYTES } from './sealing-key-ring.ts'

// The texts of the relay's three key files (relay.md §7), fresh and random, in the forms their
// readers take: the identifier key as upstream's Vault reads its key file (the first 32
// characters of the first line, used as they are: 24 random bytes in base64 are exactly 32
// ASCII characters), the pepper as base64 of 32 bytes, the sealing key ring as one entry
// `<id> <base64 of 32 bytes>`, the current key first.

/** The file names `smsgw relay new-keys` writes, by the setting that names each. */
export const relayKeyFileNames = {
  identifierKeyFile: 'identifier.key',
  pepperFile: 'pepper.key',
  sealingKeyFile: 'sealing.keys'
} as const

export type RelayKeyFile = keyof typeof relayKeyFileNames

/** A sealing key id that tells keys made on different days apart: `k` and the UTC date and time. */
export function sealingKeyIdOf (now: Date): string {
  return `k${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`
}

/** Fresh texts for the three files, each ending with a line feed. */
export function newRelayKeyTexts (now: Date): Record<RelayKeyFile, string> {
  return {
    identifierKeyFile: `${randomBytes(IDENTIFIER_KEY_BYTES * 3 / 4).toString('base64')}\n`,
    pepperFile: `${randomBytes(32).toString('base64')}\n`,
    sealingKeyFile: `${sealingKeyIdOf(now)} ${randomBytes(SEALING_KEY_BYTES).toString('base64')}\n`
  }
}
