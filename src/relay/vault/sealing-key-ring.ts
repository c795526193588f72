import { readFileSync } from 'node:fs'
import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'

// The keys that seal the relay's account fields at rest (relay.md §7, ours: AES-256-GCM with a key
// id for rotation). They come from a file or an environment variable, never from the database
// they protect. The text holds one key per entry, `<id> <base64 of 32 bytes>` (or `<id>:<base64>`),
// entries on separate lines or separated by commas, `#` starting a comment line. The FIRST entry is
// the current key: it seals everything new. The others are old keys, kept so that values sealed
// under them still open until a re-seal pass (resealAccounts) has moved every value to the current.

export const SEALING_KEY_BYTES = 32
/** A key id travels in every sealed value: short, and plain ASCII so it is the same everywhere. */
export const SEALING_KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/

export interface SealingKey {
  readonly id: string
  readonly key: Buffer
}

export interface SealingKeyRing {
  /** Seals every new value. */
  readonly current: SealingKey
  /** Every key by id, the current one included: any of them opens what it sealed. */
  readonly byId: ReadonlyMap<string, SealingKey>
}

/** Reads a key ring text; a malformed entry, a repeated id or no entry at all is SMSGW_RELAY_KEY_FILE. */
export function parseSealingKeyRing (text: string): Outcome<SealingKeyRing> {
  const entries = text.split(/[\r\n,]+/).map(entry => entry.trim()).filter(entry => entry !== '' && !entry.startsWith('#'))
  const keys: SealingKey[] = []
  for (const [index, entry] of entries.entries()) {
    const match = /^(\S+)(?:\s+|:)([A-Za-z0-9+/]+={0,2})$/.exec(entry)
    // The message names the entry's place, never its text: the text holds the key.
    if (match === null) return fail(errorCodes.relayKeyFile, `sealing key entry ${index + 1} is not "<id> <base64 of ${SEALING_KEY_BYTES} bytes>"`)
    const id = match[1] as string
    const key = Buffer.from(match[2] as string, 'base64')
    if (!SEALING_KEY_ID_PATTERN.test(id)) return fail(errorCodes.relayKeyFile, `sealing key entry ${index + 1}: the id must be 1 to 32 of A-Z a-z 0-9 _ . -`)
    if (key.length !== SEALING_KEY_BYTES) return fail(errorCodes.relayKeyFile, `sealing key ${id} is not base64 of ${SEALING_KEY_BYTES} bytes`)
    if (keys.some(known => known.id === id)) return fail(errorCodes.relayKeyFile, `sealing key id ${id} is given twice`)
    keys.push(Object.freeze({ id, key }))
  }
  const current = keys[0]
  if (current === undefined) return fail(errorCodes.relayKeyFile, 'the sealing key ring holds no key')
  return succeed(Object.freeze({ current, byId: new Map(keys.map(key => [key.id, key])) }))
}

/**
 * The key ring of the configuration (relay.sealingKeyFile or relay.sealingKey, docs/configuration.md):
 * the file when one is named, else the value itself. Neither is SMSGW_RELAY_KEY_FILE.
 */
export function loadSealingKeyRing (source: { readonly keyFile?: string | undefined, readonly key?: string | undefined }): Outcome<SealingKeyRing> {
  if (source.keyFile !== undefined) {
    let text: string
    try {
      text = readFileSync(source.keyFile, 'utf8')
    } catch (error) {
      return fail(errorCodes.relayKeyFile, `cannot read the sealing key file ${source.keyFile}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`)
    }
    return parseSealingKeyRing(text)
  }
  if (source.key !== undefined) return parseSealingKeyRing(source.key)
  return fail(errorCodes.relayKeyFile, 'no sealing key: set relay.sealingKeyFile (SMSGW_RELAY_SEALING_KEY_FILE) or relay.sealingKey (SMSGW_RELAY_SEALING_KEY)')
}
