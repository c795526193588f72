import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'

// The state file of `smsgw relay app`, sealed with a password: a key of 32 bytes derived by scrypt
// (RFC 7914; N = 2^15, r = 8, p = 1: about 32 MiB and 0.1 s, so each guess costs as much) from the
// password and a fresh 16-byte salt, then AES-256-GCM with a fresh 12-byte nonce over the state.
// The file is JSON naming its format and the scrypt parameters; the parameters and the format line
// are the associated data, so a file edited to weaker parameters does not open.

export const STATE_FILE_FORMAT = 'smsgw-relay-app-state'

export interface ScryptParameters {
  readonly N: number
  readonly r: number
  readonly p: number
}

export const DEFAULT_SCRYPT: ScryptParameters = Object.freeze({ N: 2 ** 15, r: 8, p: 1 })
/** Above what the defaults need (128 · N · r = 32 MiB), below what a forged file could make us allocate. */
const MAX_SCRYPT_MEMORY_BYTES = 256 * 1024 * 1024
const KEY_BYTES = 32
const SALT_BYTES = 16
const NONCE_BYTES = 12
const TAG_BYTES = 16

export function sealState (plaintext: Buffer, password: string, scrypt: ScryptParameters = DEFAULT_SCRYPT): Buffer {
  const salt = randomBytes(SALT_BYTES)
  const nonce = randomBytes(NONCE_BYTES)
  const header = { format: STATE_FILE_FORMAT, version: 1, kdf: { name: 'scrypt', N: scrypt.N, r: scrypt.r, p: scrypt.p, salt: salt.toString('base64') } }
  const cipher = createCipheriv('aes-256-gcm', keyOf(password, salt, scrypt), nonce)
  cipher.setAAD(associatedData(header))
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
  return Buffer.from(`${JSON.stringify({ ...header, nonce: nonce.toString('base64'), sealed: sealed.toString('base64') })}\n`, 'utf8')
}

export function openState (file: Buffer, password: string): Outcome<Buffer> {
  let parsed: any
  try {
    parsed = JSON.parse(file.toString('utf8'))
  } catch {
    return notState('it is not JSON')
  }
  if (parsed?.format !== STATE_FILE_FORMAT || parsed.version !== 1) return notState(`it is not a ${STATE_FILE_FORMAT} file of version 1`)
  const kdf = parsed.kdf
  const { N, r, p } = kdf ?? {}
  if (kdf?.name !== 'scrypt' || ![N, r, p].every(Number.isSafeInteger) || typeof kdf.salt !== 'string' || typeof parsed.nonce !== 'string' || typeof parsed.sealed !== 'string') return notState('its key derivation or sealed fields are missing')
  if (128 * N * r > MAX_SCRYPT_MEMORY_BYTES || p > 16) return notState('its scrypt parameters are beyond what this program accepts')
  const nonce = Buffer.from(parsed.nonce, 'base64')
  const sealed = Buffer.from(parsed.sealed, 'base64')
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) return notState('its nonce or sealed text is cut short')
  let key: Buffer
  try {
    key = keyOf(password, Buffer.from(kdf.salt, 'base64'), { N, r, p })
  } catch {
    return notState('its scrypt parameters are invalid')
  }
  const header = { format: parsed.format, version: parsed.version, kdf: { name: kdf.name, N, r, p, salt: kdf.salt } }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce)
    decipher.setAAD(associatedData(header))
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
    return succeed(Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]))
  } catch {
    return fail(errorCodes.relayAppState, 'the state file does not open: wrong password, or the file was changed')
  }
}

function keyOf (password: string, salt: Buffer, { N, r, p }: ScryptParameters): Buffer {
  return scryptSync(password.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem: MAX_SCRYPT_MEMORY_BYTES })
}

function associatedData (header: object): Buffer {
  return Buffer.from(JSON.stringify(header), 'utf8')
}

function notState (reason: string): Outcome<never> {
  return fail(errorCodes.relayAppState, `not a state file of smsgw relay app: ${reason}`)
}
