import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** How long a dashboard login lasts. */
export const DEFAULT_OPERATOR_SESSION_MS = 12 * 60 * 60 * 1000
const SECRET_BYTES = 32
const SESSION = /^([0-9a-f]{12})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/

/**
 * The dashboard's login sessions, kept in nothing but the cookie: `<operator key id>.<expiry
 * ms>.<HMAC-SHA256 of both>`, under a secret made at start and held in memory only. So a
 * session costs no memory on the server, cannot be forged or stretched, holds no key, and ends
 * when it expires, when the process restarts, or (checked by the guard) when its key is revoked.
 * Sessions of one instance do not open another's dashboard; operators log in to each.
 */
export class OperatorSessions {
  readonly #secret: Buffer
  readonly #lifetimeMs: number
  readonly #now: () => number

  constructor (options: { lifetimeMs?: number, now?: () => number } = {}) {
    this.#secret = randomBytes(SECRET_BYTES)
    this.#lifetimeMs = options.lifetimeMs ?? DEFAULT_OPERATOR_SESSION_MS
    this.#now = options.now ?? Date.now
  }

  /** Seconds a session lasts: the cookie's Max-Age. */
  get lifetimeSeconds (): number {
    return Math.floor(this.#lifetimeMs / 1000)
  }

  /** A new session of the operator key `keyId`: the cookie's value. */
  issue (keyId: string): string {
    const payload = `${keyId}.${this.#now() + this.#lifetimeMs}`
    return `${payload}.${this.#sign(payload)}`
  }

  /** The operator key id of session `value`, or undefined when it is malformed, forged or expired. */
  verify (value: string): string | undefined {
    const match = SESSION.exec(value)
    if (match === null) return undefined
    const [, keyId = '', expiresAtMs = '', signature = ''] = match
    const expected = Buffer.from(this.#sign(`${keyId}.${expiresAtMs}`))
    if (!timingSafeEqual(expected, Buffer.from(signature))) return undefined
    return Number(expiresAtMs) > this.#now() ? keyId : undefined
  }

  #sign (payload: string): string {
    return createHmac('sha256', this.#secret).update(payload).digest('base64url')
  }
}
