import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../log/logger.ts'
import { publishIngressOutcome } from '../relay-diagnostics.ts'
import type { SealingKeyRing } from '../vault/sealing-key-ring.ts'
import type { Forward } from './forward.ts'
import type { ForwardIngress } from './forward-ingress.ts'
import { processForward, type ForwardResult, type IngressOrigin, type ProcessingParts } from './forward-processing.ts'
import { ingressTexts } from './ingress-texts.ts'
import { openForward, openResult, sealForward, sealResult } from './sealed-forward.ts'

// The ingress of a Kafka deployment (docs/relay.md, "Several instances (Kafka and PostgreSQL)"):
// a forward is produced, sealed, to the ingress topic (acks=all) before it is answered or
// acknowledged; the consumer group of every instance processes the topic's partitions, each
// record committed once its outcome is known (at-least-once in); the publisher's records in the
// shared store make the publish at-most-once per payload. The instance that accepted a forward over
// HTTP waits for its answer: in process when it consumed the record itself, else from the reply
// topic, where the consuming instance produces the answer, sealed, for it.

/** The records as they travel: ids and the accepting instance in clear, the forward and its answer sealed. */
interface ForwardRecord {
  readonly id: string
  /** The instance waiting for the answer (its reply id); none for an SMPP forward, which nobody waits for. */
  readonly replyTo?: string
  /** base64 of the sealed forward (sealForward) or answer (sealResult). */
  readonly sealed: string
}

/** What the topic ingress needs of Kafka (src/app/kafka-relay-ingress.ts): two producers, durable once resolved. */
export interface IngressTopics {
  /** Produces a forward record, keyed by its id, to the ingress topic; resolves once all in-sync replicas have it. */
  readonly produceForward: (id: string, value: string) => Promise<void>
  /** Produces an answer record to the reply topic. */
  readonly produceReply: (value: string) => Promise<void>
}

export interface TopicIngressOptions extends ProcessingParts {
  readonly topics: IngressTopics
  readonly keys: SealingKeyRing
  /** Attempts after which a forward that keeps failing inside is given up (logged, counted `failed`). */
  readonly maxAttempts: number
  /** The first wait between two attempts, doubled each time up to `retryMaxDelayMs`. */
  readonly retryBaseDelayMs: number
  readonly retryMaxDelayMs: number
  /** How long an HTTP forward waits for its answer before it is answered 500 (it stays on the topic and is processed still). */
  readonly answerTimeoutMs: number
  readonly log: Logger
}

export class TopicIngress implements ForwardIngress {
  /** This instance's reply id: the answers for it on the reply topic carry it. */
  readonly replyId = randomBytes(8).toString('hex')
  readonly #options: TopicIngressOptions
  readonly #waiting = new Map<string, (result: ForwardResult) => void>()
  readonly #stopping = new AbortController()

  constructor (options: TopicIngressOptions) {
    this.#options = options
  }

  /** HTTP forwards waiting for their answer in this instance. */
  get waiting (): number {
    return this.#waiting.size
  }

  async publish (forward: Forward, origin: IngressOrigin): Promise<ForwardResult> {
    const id = randomBytes(16).toString('hex')
    let timer: NodeJS.Timeout | undefined
    const answered = new Promise<ForwardResult>(resolve => {
      this.#waiting.set(id, resolve)
      timer = setTimeout(() => {
        this.#options.log.warn({ ingress: origin, waitedMs: this.#options.answerTimeoutMs }, 'relay forward not answered in time; it stays on the ingress topic and is processed still')
        resolve({ ok: false, refusal: { status: 500, error: ingressTexts.internal }, outcome: 'failed' })
      }, this.#options.answerTimeoutMs)
    })
    try {
      await this.#produce(id, forward, origin, this.replyId)
      return await answered
    } finally {
      clearTimeout(timer)
      this.#waiting.delete(id)
    }
  }

  async accept (forward: Forward, origin: IngressOrigin): Promise<void> {
    await this.#produce(randomBytes(16).toString('hex'), forward, origin, undefined)
  }

  /** The consumer group's work is started by the app (kafka-relay-ingress.ts), which calls `process`. */
  start (): void {}

  /** Ends the waits between attempts: a forward not finished stays uncommitted, for the instance taking its partition. */
  async close (): Promise<void> {
    this.#stopping.abort()
  }

  /**
   * Processes one record of the ingress topic; resolves once its outcome is known (the record may
   * be committed), rejects when this instance stops before (it must not be). A failure inside is
   * answered 500 at once and tried again after a wait, up to maxAttempts.
   */
  async process (value: Buffer): Promise<void> {
    const record = recordOf(value)
    const opened = record === undefined ? undefined : openForward(this.#options.keys, record.id, Buffer.from(record.sealed, 'base64'))
    if (record === undefined || opened === undefined || !opened.ok) {
      // Not ours, or under a key taken out of the ring too early: it never opens. Logged by its code only.
      this.#options.log.error({ code: opened?.ok === false ? opened.error.code : 'not a forward record' }, 'a relay forward record does not open; skipped')
      return
    }
    const { forward, origin } = opened.value
    let result: ForwardResult | undefined
    for (let attempt = 1; result === undefined; attempt++) {
      try {
        result = await processForward(forward, origin, this.#options)
      } catch (error) {
        const failed: ForwardResult = { ok: false, refusal: { status: 500, error: ingressTexts.internal }, outcome: 'failed' }
        if (attempt === 1) await this.#answer(record, failed)
        if (attempt >= this.#options.maxAttempts) {
          this.#options.log.error({ ingress: origin, attempts: attempt }, 'relay forward given up after its last attempt')
          result = failed
          break
        }
        // Names no field of the forward: the error is the store's or the publisher's.
        this.#options.log.warn({ err: error, ingress: origin, attempts: attempt }, 'relay forward not processed; it is tried again')
        publishIngressOutcome(origin, 'failed')
        const delayMs = Math.min(this.#options.retryMaxDelayMs, this.#options.retryBaseDelayMs * 2 ** (attempt - 1))
        await sleep(delayMs, undefined, { signal: this.#stopping.signal })
      }
    }
    publishIngressOutcome(origin, result.outcome)
    await this.#answer(record, result)
  }

  /** An answer on the reply topic: resolves the HTTP forward of this instance it is for. */
  reply (value: Buffer): void {
    const record = recordOf(value)
    if (record?.replyTo !== this.replyId) return
    const waiter = this.#waiting.get(record.id)
    if (waiter === undefined) return
    const opened = openResult(this.#options.keys, record.id, Buffer.from(record.sealed, 'base64'))
    if (!opened.ok) {
      this.#options.log.error({ code: opened.error.code }, 'a relay forward\'s answer does not open')
      return
    }
    waiter(opened.value)
  }

  async #produce (id: string, forward: Forward, origin: IngressOrigin, replyTo: string | undefined): Promise<void> {
    const record: ForwardRecord = { id, ...(replyTo === undefined ? {} : { replyTo }), sealed: sealForward(this.#options.keys, id, forward, origin).toString('base64') }
    await this.#options.topics.produceForward(id, JSON.stringify(record))
  }

  /** Hands `result` to whoever waits for it: this instance's HTTP handler, or another's over the reply topic. */
  async #answer (record: ForwardRecord, result: ForwardResult): Promise<void> {
    if (record.replyTo === undefined) return
    if (record.replyTo === this.replyId) {
      this.#waiting.get(record.id)?.(result)
      return
    }
    const reply: ForwardRecord = { id: record.id, replyTo: record.replyTo, sealed: sealResult(this.#options.keys, record.id, result).toString('base64') }
    // The answer is a courtesy to a waiting phone: the forward's outcome stands without it.
    await this.#options.topics.produceReply(JSON.stringify(reply)).catch((error: unknown) => { this.#options.log.warn({ err: error }, 'relay forward\'s answer not produced') })
  }
}

function recordOf (value: Buffer): ForwardRecord | undefined {
  try {
    const record = JSON.parse(value.toString('utf8')) as Partial<ForwardRecord>
    return typeof record.id === 'string' && typeof record.sealed === 'string' && (record.replyTo === undefined || typeof record.replyTo === 'string') ? record as ForwardRecord : undefined
  } catch {
    return undefined
  }
}
