/**
 * How a back-off delay is spread. `full`: anywhere from 0 to the delay, which spreads many clients
 * the most (reconnecting after an SMSC restart). `equal`: from half the delay to all of it, so a
 * retry never comes at once (throttling, where the SMSC has just said "too fast").
 */
export const jitterKinds = { full: 'full', equal: 'equal' } as const
export type JitterKind = typeof jitterKinds[keyof typeof jitterKinds]

export interface BackoffOptions {
  /** The delay of the first attempt before jitter, in milliseconds. */
  readonly initialMs: number
  /** The cap of the delay before jitter, in milliseconds. */
  readonly maxMs: number
  readonly jitter: JitterKind
  /** A number in [0, 1); Math.random by default. */
  readonly random?: () => number
}

/**
 * The delay before attempt `attempt` (1 for the first retry): `initialMs` doubled per attempt up
 * to `maxMs`, then spread by the jitter. Whole milliseconds.
 */
export function backoffDelayMs (attempt: number, options: BackoffOptions): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30))
  const ceilingMs = Math.min(options.maxMs, options.initialMs * 2 ** exponent)
  const random = (options.random ?? Math.random)()
  const delayMs = options.jitter === jitterKinds.full ? ceilingMs * random : ceilingMs / 2 + (ceilingMs / 2) * random
  return Math.round(delayMs)
}
