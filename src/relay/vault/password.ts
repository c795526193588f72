import { argon2, randomBytes, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'

// Password hashing of relay.md §7, as upstream Vault crypto.hash_password_argon2id does it with
// argon2-cffi's defaults: Argon2id, t = 3, m = 64 MiB, p = 2, 32-byte hash, 16-byte salt, over
// pepper ‖ password (UTF-8), kept as a PHC string. node:crypto's Argon2 (Node 24) runs it on the
// libuv thread pool, off the event loop.

const argon2Async = promisify(argon2)

export const passwordHashParameters = Object.freeze({ memoryKiB: 65_536, passes: 3, parallelism: 2, hashBytes: 32, saltBytes: 16 })
const ARGON2_VERSION = 19
/** Ours: the most work a stored PHC string may ask of a verification (upstream's, at most 4x). */
const MAX_MEMORY_KIB = 4 * 65_536
const MAX_PASSES = 12
const MAX_PARALLELISM = 8
const MAX_PHC_CHARS = 256
const PHC_PATTERN = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,64})\$([A-Za-z0-9+/]{22,128})$/

/**
 * Upstream's pepper file (utils.load_and_decode_key): the first line, stripped, strict base64 of
 * exactly 32 bytes.
 */
export function pepperFromFile (fileText: string): Outcome<Buffer> {
  const firstLine = (fileText.split(/\r\n|\r|\n/, 1)[0] ?? '').trim()
  const pepper = /^[A-Za-z0-9+/]*={0,2}$/.test(firstLine) && firstLine.length % 4 === 0 ? Buffer.from(firstLine, 'base64') : Buffer.alloc(0)
  if (pepper.length !== 32) return fail(errorCodes.relayKeyFile, 'the pepper file\'s first line must be base64 of 32 bytes')
  return succeed(pepper)
}

/** The PHC string of Argon2id over pepper ‖ password; `salt` is random unless a test pins it. */
export async function hashPassword (pepper: Buffer, password: string, salt: Buffer = randomBytes(passwordHashParameters.saltBytes)): Promise<string> {
  const { memoryKiB, passes, parallelism, hashBytes } = passwordHashParameters
  const hash = await argon2Async('argon2id', { message: secretOf(pepper, password), nonce: salt, memory: memoryKiB, passes, parallelism, tagLength: hashBytes })
  return `$argon2id$v=${ARGON2_VERSION}$m=${memoryKiB},t=${passes},p=${parallelism}$${unpadded(salt)}$${unpadded(hash)}`
}

export interface PasswordCheck {
  readonly matches: boolean
  /** The hash was made with other parameters than ours: store a new one (upstream check_needs_rehash). */
  readonly needsRehash: boolean
}

/** Verifies a password against a stored PHC string in constant time; a malformed string never matches. */
export async function verifyPassword (pepper: Buffer, password: string, phc: string): Promise<PasswordCheck> {
  // Upstream answers an empty password with "no match" before hashing anything.
  const parsed = password !== '' && phc.length <= MAX_PHC_CHARS ? PHC_PATTERN.exec(phc) : null
  if (parsed === null) return { matches: false, needsRehash: false }
  const [memoryKiB, passes, parallelism] = [parsed[1], parsed[2], parsed[3]].map(Number) as [number, number, number]
  const salt = Buffer.from(parsed[4] as string, 'base64')
  const expected = Buffer.from(parsed[5] as string, 'base64')
  if (memoryKiB > MAX_MEMORY_KIB || passes < 1 || passes > MAX_PASSES || parallelism < 1 || parallelism > MAX_PARALLELISM || memoryKiB < 8 * parallelism || expected.length < 4) {
    return { matches: false, needsRehash: false }
  }
  const actual = await argon2Async('argon2id', { message: secretOf(pepper, password), nonce: salt, memory: memoryKiB, passes, parallelism, tagLength: expected.length })
  const ours = passwordHashParameters
  return {
    matches: timingSafeEqual(actual, expected),
    needsRehash: memoryKiB !== ours.memoryKiB || passes !== ours.passes || parallelism !== ours.parallelism || expected.length !== ours.hashBytes || salt.length !== ours.saltBytes
  }
}

function secretOf (pepper: Buffer, password: string): Buffer {
  return Buffer.concat([pepper, Buffer.from(password, 'utf8')])
}

/** PHC strings use standard base64 without padding. */
function unpadded (bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '')
}
