import type { Logger } from '../../log/logger.ts'
import type { RelayIngressStore } from '../../store/relay-ingress.ts'
import { publishIngressOutcome } from '../relay-diagnostics.ts'
import { pooledRandomBytes } from '../vault/random-pool.ts'
import type { SealingKeyRing } from '../vault/sealing-key-ring.ts'
import { ingressTexts } from './ingress-texts.ts'
import type { Forward } from './forward.ts'
import type { ForwardIngress } from './forward-ingress.ts'
import { processForward, type ForwardResult, type IngressOrigin, type ProcessingParts } from './forward-processing.ts'
import { openForward, sealForward } from './sealed-forward.ts'

// The ingress, durable and at-least-once (docs/relay.md, "Ingress"): a forward that passed the
// field rules is stored, sealed, before anything is done with it, and deleted once its outcome is
// known. A forward whose holder crashed (or whose processing failed inside) comes due again when
// its hold ends and is taken up by whichever instance sharing the store claims it first: that is
// the recovery worker, which also runs at start. Publishing again what may have been published is
// safe because the publisher records what it posted (at most once per payload); the ingress calls
// it again with the same content and metadata.

/** Forwards a claim takes at once. */
const CLAIM_BATCH = 16
/**
 * MO forwards processed in the background at once; more arriving meanwhile are stored due at once
 * and left to the worker's claims (CLAIM_BATCH at a time), so an MO flood faster than the
 * platforms costs store rows, not memory.
 */
export const MAX_BACKGROUND_FORWARDS = 64
/** How long close waits for the forwards being processed; those left come due again. */
const CLOSE_GRACE_MS = 5_000

export interface RelayIngressOptions extends ProcessingParts {
  readonly store: RelayIngressStore
  readonly keys: SealingKeyRing
  /** How long a forward is left to the instance processing it before it comes due again (relay.ingressRetryMs). */
  readonly holdMs: number
  /** Attempts after which a forward that keeps failing inside is given up (logged, counted `failed`). */
  readonly maxAttempts: number
  readonly log: Logger
  readonly nowMs?: () => number
}

export class RelayIngress implements ForwardIngress {
  readonly #options: RelayIngressOptions
  readonly #nowMs: () => number
  readonly #running = new Set<Promise<void>>()
  #timer: NodeJS.Timeout | undefined
  #claiming: Promise<void> | undefined
  /** A claim was asked for while one ran: run another once it ends, so what was stored meanwhile does not wait for the timer. */
  #claimAgain = false
  #closed = false

  constructor (options: RelayIngressOptions) {
    this.#options = options
    this.#nowMs = options.nowMs ?? Date.now
  }

  /**
   * The HTTP path: stores `forward`, processes it and resolves with the answer once its outcome
   * is known and it is deleted. A failure inside (the store, or a publisher that fails other than
   * with an RpcFailure) answers 500 with upstream's catch-all text; the forward stays stored and
   * is tried again. Rejects only when the forward cannot be stored.
   */
  async publish (forward: Forward, origin: IngressOrigin): Promise<ForwardResult> {
    const id = await this.#store(forward, origin, this.#options.holdMs)
    return await this.#process(id, forward, origin, 1)
  }

  /**
   * The SMPP path: resolves once `forward` is stored (the deliver_sm_resp may go), and processes
   * it in the background, at most MAX_BACKGROUND_FORWARDS at once (beyond, the worker takes it up). Before `start` (the publisher is not there yet) it is stored due at
   * once, and the worker's first claim takes it. Rejects when it cannot be stored.
   */
  async accept (forward: Forward, origin: IngressOrigin): Promise<void> {
    const started = this.#timer !== undefined
    const inBackground = started && this.#running.size < MAX_BACKGROUND_FORWARDS
    const id = await this.#store(forward, origin, inBackground ? this.#options.holdMs : 0)
    if (inBackground) this.#track(this.#process(id, forward, origin, 1).then(() => {}))
    else if (started) this.#claimNow()
  }

  /** Starts the recovery worker: a claim now, then one every half hold. */
  start (): void {
    if (this.#timer !== undefined) return
    this.#claimNow()
    this.#timer = setInterval(() => { this.#claimNow() }, Math.max(1, Math.floor(this.#options.holdMs / 2)))
    this.#timer.unref()
  }

  /** Stops the worker and waits (a few seconds at most) for what is being processed; the rest comes due again. */
  async close (): Promise<void> {
    this.#closed = true
    clearInterval(this.#timer)
    const settled = Promise.allSettled([this.#claiming, ...this.#running])
    let timer: NodeJS.Timeout | undefined
    await Promise.race([settled, new Promise<void>(resolve => { timer = setTimeout(resolve, CLOSE_GRACE_MS) })])
    clearTimeout(timer)
  }

  /** Stores `forward`, due `holdMs` from now (when it is someone's to take up if its processing has not finished it). */
  async #store (forward: Forward, origin: IngressOrigin, holdMs: number): Promise<string> {
    const id = pooledRandomBytes(16).toString('hex')
    await this.#options.store.addForward(id, sealForward(this.#options.keys, id, forward, origin), this.#nowMs() + holdMs)
    return id
  }

  async #process (id: string, forward: Forward, origin: IngressOrigin, attempts: number): Promise<ForwardResult> {
    let result: ForwardResult
    try {
      result = await processForward(forward, origin, this.#options)
    } catch (error) {
      // Names no field of the forward: the error is the store's or the publisher's.
      this.#options.log.warn({ err: error, ingress: origin, attempts }, 'relay forward not processed; it is tried again')
      if (attempts < this.#options.maxAttempts) {
        publishIngressOutcome(origin, 'failed')
        return { ok: false, refusal: { status: 500, error: ingressTexts.internal }, outcome: 'failed' }
      }
      this.#options.log.error({ ingress: origin, attempts }, 'relay forward given up after its last attempt')
      result = { ok: false, refusal: { status: 500, error: ingressTexts.internal }, outcome: 'failed' }
    }
    await this.#options.store.finishForward(id)
    publishIngressOutcome(origin, result.outcome)
    return result
  }

  #claimNow (): void {
    if (this.#closed) return
    if (this.#claiming !== undefined) {
      this.#claimAgain = true
      return
    }
    this.#claimAgain = false
    this.#claiming = this.#claimAll().catch((error: unknown) => {
      this.#options.log.warn({ err: error }, 'relay forwards not claimed; trying again')
    }).finally(() => {
      this.#claiming = undefined
      if (this.#claimAgain) this.#claimNow()
    })
  }

  /** Claims and processes due forwards until none is left. */
  async #claimAll (): Promise<void> {
    while (!this.#closed) {
      const now = this.#nowMs()
      const claimed = await this.#options.store.claimDue(now, now + this.#options.holdMs, CLAIM_BATCH)
      await Promise.all(claimed.map(async row => {
        const opened = openForward(this.#options.keys, row.id, row.sealed)
        if (!opened.ok) {
          // A key taken out of the ring too early: it never opens. Logged by its code, and dropped.
          this.#options.log.error({ code: opened.error.code }, 'a stored relay forward does not open; dropped')
          await this.#options.store.finishForward(row.id)
          return
        }
        await this.#process(row.id, opened.value.forward, opened.value.origin, row.attempts)
      }))
      if (claimed.length < CLAIM_BATCH) return
    }
  }

  #track (work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => { this.#options.log.warn({ err: error }, 'relay forward not finished; it is tried again') })
      .finally(() => { this.#running.delete(tracked) })
    this.#running.add(tracked)
  }
}
