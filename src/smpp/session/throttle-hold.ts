import { backoffDelayMs, jitterKinds } from './backoff.ts'

export interface ThrottleHoldOptions {
  /** The first hold, in milliseconds, doubled on each new refusal. */
  readonly initialMs: number
  readonly maxMs: number
}

/**
 * The session-wide pause after ESME_RTHROTTLED or ESME_RMSGQFUL: while it holds, no submit_sm
 * is written. Its length grows with each new refusal (equal jitter, so a retry never comes at
 * once) and starts over after an accepted submit.
 *
 * Each hold has an epoch. An attempt remembers the epoch it was written in; a refusal of an
 * attempt written before the current hold began is part of the burst that caused it, and joins
 * that hold instead of growing it, so a full window of refusals counts as one step.
 */
export class ThrottleHold {
  readonly #options: ThrottleHoldOptions
  readonly #onEnd: () => void
  #timer: NodeJS.Timeout | undefined
  #epoch = 0
  #level = 0

  /** `onEnd` runs when a hold ends by itself (not when cancelled). */
  constructor (options: ThrottleHoldOptions, onEnd: () => void) {
    this.#options = options
    this.#onEnd = onEnd
  }

  get holding (): boolean {
    return this.#timer !== undefined
  }

  /** The epoch to stamp on an attempt written now. */
  get epoch (): number {
    return this.#epoch
  }

  /**
   * A refusal of an attempt written in `attemptEpoch`. Returns the length of the new hold in
   * milliseconds, or undefined when the refusal joins the current one.
   */
  refused (attemptEpoch: number): number | undefined {
    if (attemptEpoch !== this.#epoch) return undefined
    this.#epoch++
    this.#level++
    const delayMs = backoffDelayMs(this.#level, { initialMs: this.#options.initialMs, maxMs: this.#options.maxMs, jitter: jitterKinds.equal })
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#onEnd()
    }, delayMs)
    return delayMs
  }

  /** An accepted submit: the next refusal starts from the first step again. */
  accepted (): void {
    this.#level = 0
  }

  cancel (): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
