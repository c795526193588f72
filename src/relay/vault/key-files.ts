import { randomBytes } from 'node:crypto'
import { errorCodes } from '../../errors.ts'
import { IDENTIFIER_KEY_BYTES } from './identifiers.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { parseSealingKeyRing, SEALING_KEY_BYTES } from './sealing-key-ring.ts'

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

/** A sealing key id that tells keys apart and says when each was made: `k` and the UTC time to the millisecond. */
export function newSealingKeyId (now: Date): string {
  return `k${now.toISOString().replace(/[-:.]/g, '')}`
}

/** Fresh texts for the three files, each ending with a line feed. */
export function newRelayKeyTexts (now: Date): Record<RelayKeyFile, string> {
  return {
    identifierKeyFile: `${randomBytes(IDENTIFIER_KEY_BYTES * 3 / 4).toString('base64')}\n`,
    pepperFile: `${randomBytes(32).toString('base64')}\n`,
    sealingKeyFile: newSealingKeyEntry(now)
  }
}

/**
 * The key ring text with a fresh key put first, so it seals everything new, and every old entry
 * kept below it, so what they sealed still opens (until a re-seal pass has moved it). Refuses a
 * text that is no key ring, and a new id that is taken (two rotations within one millisecond).
 */
export function rotatedKeyRingText (text: string, now: Date): Outcome<string> {
  const ring = parseSealingKeyRing(text)
  if (!ring.ok) return ring
  const entry = newSealingKeyEntry(now)
  const id = entry.split(' ', 1)[0] as string
  if (ring.value.byId.has(id)) return fail(errorCodes.relayKeyFile, `the sealing key ring already holds a key ${id}: rotate again`)
  return succeed(`${entry}${text.endsWith('\n') || text === '' ? text : `${text}\n`}`)
}

function newSealingKeyEntry (now: Date): string {
  return `${newSealingKeyId(now)} ${randomBytes(SEALING_KEY_BYTES).toString('base64')}\n`
}
