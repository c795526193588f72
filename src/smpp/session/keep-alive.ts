export interface KeepAliveSettings {
  /** Milliseconds between enquire_link PDUs; 0 for none. */
  readonly enquireLinkIntervalMs: number
  /** Milliseconds without any PDU from the SMSC before it counts as gone; 0 for never. */
  readonly inactivityTimeoutMs: number
}

export interface KeepAliveHooks {
  /** Sends one enquire_link; settles when it is answered or given up. */
  readonly enquire: () => Promise<unknown>
  /** Nothing came from the SMSC for `quietMs` (at least the inactivity timeout). */
  readonly silent: (quietMs: number) => void
}

/**
 * The session's two clocks: enquire_link on a fixed interval while bound (§4.11), and the
 * inactivity watch over every PDU received. The watch is one timer re-armed for the rest of the
 * quiet time when it fires, which is cheaper than re-arming a timer per PDU at thousands a second.
 */
export class KeepAlive {
  readonly #settings: KeepAliveSettings
  readonly #hooks: KeepAliveHooks
  #enquireTimer: NodeJS.Timeout | undefined
  #enquiring = false
  #watchTimer: NodeJS.Timeout | undefined
  #lastHeardAtMs = 0

  constructor (settings: KeepAliveSettings, hooks: KeepAliveHooks) {
    this.#settings = settings
    this.#hooks = hooks
  }

  /** Starts the inactivity watch, counting from now. */
  watch (): void {
    this.#lastHeardAtMs = Date.now()
    this.#armWatch(this.#settings.inactivityTimeoutMs)
  }

  /** A PDU arrived from the SMSC. */
  heard (): void {
    this.#lastHeardAtMs = Date.now()
  }

  /** Sends enquire_link every interval until stopEnquiring(). */
  startEnquiring (): void {
    const intervalMs = this.#settings.enquireLinkIntervalMs
    if (intervalMs === 0 || this.#enquireTimer !== undefined) return
    this.#enquireTimer = setTimeout(() => {
      this.#enquireTimer = undefined
      // One at a time: a missing answer is the inactivity watch's business, not a pile of requests.
      if (!this.#enquiring) {
        this.#enquiring = true
        void this.#hooks.enquire().catch(() => {}).finally(() => { this.#enquiring = false })
      }
      this.startEnquiring()
    }, intervalMs)
  }

  stopEnquiring (): void {
    clearTimeout(this.#enquireTimer)
    this.#enquireTimer = undefined
  }

  stop (): void {
    this.stopEnquiring()
    clearTimeout(this.#watchTimer)
    this.#watchTimer = undefined
  }

  #armWatch (delayMs: number): void {
    const timeoutMs = this.#settings.inactivityTimeoutMs
    if (timeoutMs === 0) return
    this.#watchTimer = setTimeout(() => {
      this.#watchTimer = undefined
      const quietMs = Date.now() - this.#lastHeardAtMs
      if (quietMs < timeoutMs) this.#armWatch(timeoutMs - quietMs)
      else this.#hooks.silent(quietMs)
    }, delayMs)
  }
}
