// Faults switchable at run time (POST /_sim/faults): the next calls of a platform's API answer as
// the platform does when a token expired, when it rate-limits, when it fails, or slowly. They hit
// the platform's API routes only; the OAuth server keeps working, so that a refresh can succeed.
// Two lose the answer of a call the platform carried out (the post recorded): `slow-after-post`
// answers only after `delayMs` (a client that gives up first gets nothing), `drop-after-post`
// closes the connection instead of answering; what a client's retry then meets is the platform's.

export const faultKinds = {
  expiredToken: 'expired-token',
  rateLimit: 'rate-limit',
  serverError: 'server-error',
  slow: 'slow',
  slowAfterPost: 'slow-after-post',
  dropAfterPost: 'drop-after-post'
} as const

export type FaultKind = typeof faultKinds[keyof typeof faultKinds]

export const allowedFaultKinds: readonly FaultKind[] = Object.values(faultKinds)

export interface Fault {
  readonly platform: string
  readonly kind: FaultKind
  /** How many API calls it hits; none, every call until the faults are cleared. */
  readonly count?: number
  /** How many API calls go through before it hits (0: the next one): a fault aimed at a thread's second part. */
  readonly after: number
  /** rate-limit: the Retry-After header's seconds. */
  readonly retryAfterSeconds: number
  /** slow, slow-after-post: how long each call waits before it is answered. */
  readonly delayMs: number
}

export const DEFAULT_RETRY_AFTER_SECONDS = 30
export const DEFAULT_SLOW_DELAY_MS = 2000
const MAX_COUNT = 1_000_000
const MAX_RETRY_AFTER_SECONDS = 86_400
const MAX_DELAY_MS = 120_000

/** A fault from its JSON, or the reason it is none. */
export function parseFault (body: unknown, platforms: readonly string[]): Fault | { problem: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: 'the body must be a JSON object {platform, kind, count?, after?, retryAfterSeconds?, delayMs?}' }
  const { platform, kind, count, after, retryAfterSeconds, delayMs, ...rest } = body as Record<string, unknown>
  const unknown = Object.keys(rest)
  if (unknown.length > 0) return { problem: `unknown field ${unknown[0] as string}` }
  if (typeof platform !== 'string' || !platforms.includes(platform)) return { problem: `platform must be one of ${platforms.join(', ')}` }
  if (typeof kind !== 'string' || !(allowedFaultKinds as readonly string[]).includes(kind)) return { problem: `kind must be one of ${allowedFaultKinds.join(', ')}` }
  for (const [name, value, max] of [['count', count, MAX_COUNT], ['after', after, MAX_COUNT], ['retryAfterSeconds', retryAfterSeconds, MAX_RETRY_AFTER_SECONDS], ['delayMs', delayMs, MAX_DELAY_MS]] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || (value as number) < (name === 'count' ? 1 : 0) || (value as number) > max)) {
      return { problem: `${name} must be a whole number from ${name === 'count' ? 1 : 0} to ${max}` }
    }
  }
  return {
    platform,
    kind: kind as FaultKind,
    ...(count === undefined ? {} : { count: count as number }),
    after: (after as number | undefined) ?? 0,
    retryAfterSeconds: (retryAfterSeconds as number | undefined) ?? DEFAULT_RETRY_AFTER_SECONDS,
    delayMs: (delayMs as number | undefined) ?? DEFAULT_SLOW_DELAY_MS
  }
}

/** The faults switched on, one per platform (a new one replaces the platform's previous). */
export class ActiveFaults {
  readonly #faults = new Map<string, { fault: Fault, passing: number, remaining: number }>()

  set (fault: Fault): void {
    this.#faults.set(fault.platform, { fault, passing: fault.after, remaining: fault.count ?? Number.POSITIVE_INFINITY })
  }

  clear (): void {
    this.#faults.clear()
  }

  list (): Fault[] {
    return [...this.#faults.values()].map(({ fault }) => fault)
  }

  /** The fault that hits this call of the platform's API, counted; none, the call goes through. */
  take (platform: string): Fault | undefined {
    const active = this.#faults.get(platform)
    if (active === undefined) return undefined
    if (active.passing > 0) {
      active.passing -= 1
      return undefined
    }
    active.remaining -= 1
    if (active.remaining <= 0) this.#faults.delete(platform)
    return active.fault
  }
}
