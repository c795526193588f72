import { hash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { inboundJsonOf, type InboundFeed } from '../../gateway/inbound/inbound-feed.ts'
import type { StoredInbound } from '../../domain/stored-inbound.ts'
import type { StatusFeed } from '../../gateway/status/status-feed.ts'
import { encodeStatusEvent, type StatusEvent } from '../../domain/status-event.ts'
import { formatTimestamp } from '../../domain/timestamp.ts'
import { errorCodes, isSmsgwError } from '../../errors.ts'
import type { Logger } from '../../log/logger.ts'
import { DestinationPolicy } from './destination-policy.ts'
import { guardedFetch } from './guarded-fetch.ts'
import { DEFAULT_WEBHOOK_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry-policy.ts'
import type { Webhook, WebhookDirectory } from './webhook-directory.ts'
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhookBody } from './webhook-signature.ts'

/** One POST may take this long, response headers included, before it counts as failed. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000
/** Posts (statuses, inbound SMS) waiting per client; past it the oldest waiting one is dropped. */
export const DEFAULT_WEBHOOK_QUEUE_LIMIT = 1_000
/**
 * Bytes waiting per client (estimated); past it the oldest waiting post is dropped too. A
 * status's error text may echo a recipient of some 60 KB a client sealed (spec §5 rows 11-12),
 * so the count alone would let one client's queue hold 1,000 of them.
 */
export const DEFAULT_WEBHOOK_QUEUE_BYTES = 1024 * 1024
/** What a waiting post costs beyond its body (estimated to err high). */
const QUEUED_POST_OVERHEAD_BYTES = 300
/**
 * Statuses remembered for de-duplication, over all clients; the oldest are forgotten first.
 * Each takes about 100 bytes of heap (a 32-character delivery id in a Set), 10 MB in all.
 */
export const DEFAULT_WEBHOOK_DEDUPE_ENTRIES = 100_000
const DROP_LOG_INTERVAL_MS = 10_000

export interface WebhookDeliveryOptions {
  readonly statuses: StatusFeed
  /** Where inbound SMS are stored (embedded mode): each is posted to its owner's webhook too. */
  readonly inbound?: InboundFeed
  readonly directory: WebhookDirectory
  readonly log: Logger
  /** Overrides of DEFAULT_WEBHOOK_RETRY_POLICY. */
  readonly retry?: Partial<RetryPolicy>
  readonly timeoutMs?: number
  readonly maxQueuedPerClient?: number
  readonly maxQueuedBytesPerClient?: number
  readonly dedupeEntries?: number
  /** Where statuses may be posted: DestinationPolicy.strict (nothing internal) by default. */
  readonly destinations?: DestinationPolicy
  /** Default: guardedFetch under `destinations`. */
  readonly fetch?: typeof globalThis.fetch
}

export interface WebhookDeliveryCounters {
  /** Statuses a webhook answered with 2xx. */
  delivered: number
  /** Statuses given up: every attempt failed, the webhook refused one (a 4xx other than 408 and 429, or a redirect), or its destination is refused. */
  failed: number
  /** Statuses dropped unsent because their client's queue was full. */
  dropped: number
  /** Statuses reported again and therefore not queued again. */
  duplicates: number
}

export interface WebhookDelivery {
  counters: () => WebhookDeliveryCounters
  /** Resolves once nothing is queued or in flight (at once when nothing is). */
  idle: () => Promise<void>
  /** Stops listening, aborts what is in flight and forgets what waits; resolves once every queue has stopped. */
  close: () => Promise<void>
  [Symbol.asyncDispose]: () => Promise<void>
}

/** What a post carries: `X-Smsgw-Event` tells the receiver which JSON the body is. */
const webhookEvents = { status: 'status', inbound: 'inbound' } as const
type WebhookEvent = typeof webhookEvents[keyof typeof webhookEvents]

interface QueuedPost {
  readonly clientId: string
  readonly kind: WebhookEvent
  /** What logs may say of it: ids, never a number or a text. */
  readonly context: Readonly<Record<string, string>>
  /**
   * The status JSON (spec §4), or an inbound SMS's JSON (sealed payload inside): the exact bytes
   * that are signed and sent. A status's is written only when its client has a webhook: most
   * statuses go to none, and writing each one's JSON cost ~1 µs of the main thread.
   */
  readonly body: () => string
  /** The characters it holds until it is sent (its body, or a status's texts): for the queue's bound in bytes. */
  readonly characters: number
  /** The same for every attempt and every report of this status, so a receiver can de-duplicate too. */
  readonly deliveryId: string
  /** The heap it takes, estimated to err high: its body at 4 bytes a character, and some. */
  readonly bytes: number
}

interface ClientQueue {
  readonly waiting: QueuedPost[]
  /** The bytes of `waiting`. */
  bytes: number
  running: boolean
}

type Outcome = { readonly kind: 'delivered' } | { readonly kind: 'retry' | 'refused', readonly reason: string }

/**
 * Posts each status of each client that has a webhook to it, from now on (spec §4 JSON, signed:
 * docs/http-api.md). Driven by StatusFeed.subscribe.
 *
 * - One status at a time per client, in the order reported, so SENT arrives before DELIVERED;
 *   clients do not wait for one another.
 * - A status is delivered once: one reported again (same client-id, correl-id, status and
 *   timestamp) is not queued again, as long as it is among the last `dedupeEntries` seen.
 * - A failed attempt (a network error, a timeout, 408, 429 or 5xx) is tried again after an
 *   exponential back-off (RetryPolicy), up to maxAttempts; then the status is given up and logged.
 * - Each client's queue is bounded: past maxQueuedPerClient statuses or maxQueuedBytesPerClient
 *   bytes the oldest waiting status is dropped and counted, with a warning logged at most every
 *   10 s. This holds memory flat when a webhook is down for long; the statuses stay available
 *   through GET /v1/messages/{correlId}.
 * - Nothing is persisted: statuses queued when the process stops are not sent.
 */
export function startWebhookDelivery (options: WebhookDeliveryOptions): WebhookDelivery {
  return new WebhookDispatcher(options)
}

class WebhookDispatcher implements WebhookDelivery {
  readonly #directory: WebhookDirectory
  readonly #log: Logger
  readonly #retry: RetryPolicy
  readonly #timeoutMs: number
  readonly #maxQueued: number
  readonly #maxQueuedBytes: number
  readonly #dedupeEntries: number
  readonly #fetch: typeof globalThis.fetch
  readonly #queues = new Map<string, ClientQueue>()
  /** Delivery ids in the order seen (a Set keeps insertion order), oldest first. */
  readonly #seen = new Set<string>()
  readonly #abort = new AbortController()
  readonly #counters: WebhookDeliveryCounters = { delivered: 0, failed: 0, dropped: 0, duplicates: 0 }
  readonly #unsubscribe: Array<() => void>
  #running = 0
  #idleWaiters: Array<() => void> = []
  #lastDropLogMs = Number.NEGATIVE_INFINITY

  constructor (options: WebhookDeliveryOptions) {
    this.#directory = options.directory
    this.#log = options.log
    this.#retry = { ...DEFAULT_WEBHOOK_RETRY_POLICY, ...options.retry }
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS
    this.#maxQueued = options.maxQueuedPerClient ?? DEFAULT_WEBHOOK_QUEUE_LIMIT
    this.#maxQueuedBytes = options.maxQueuedBytesPerClient ?? DEFAULT_WEBHOOK_QUEUE_BYTES
    this.#dedupeEntries = options.dedupeEntries ?? DEFAULT_WEBHOOK_DEDUPE_ENTRIES
    this.#fetch = options.fetch ?? guardedFetch(options.destinations ?? DestinationPolicy.strict)
    this.#unsubscribe = [
      options.statuses.subscribe(undefined, event => { this.#enqueue(event) }, { reportedHere: true }),
      ...(options.inbound === undefined ? [] : [options.inbound.subscribe(undefined, message => { this.#enqueueInbound(message) }, { storedHere: true })])
    ]
  }

  counters (): WebhookDeliveryCounters {
    return { ...this.#counters }
  }

  async idle (): Promise<void> {
    if (this.#running === 0) return
    await new Promise<void>(resolve => { this.#idleWaiters.push(resolve) })
  }

  async close (): Promise<void> {
    if (!this.#abort.signal.aborted) {
      for (const unsubscribe of this.#unsubscribe) unsubscribe()
      this.#abort.abort()
    }
    await this.idle()
  }

  async [Symbol.asyncDispose] (): Promise<void> {
    await this.close()
  }

  #enqueue (event: StatusEvent): void {
    if (this.#abort.signal.aborted) return
    const key = JSON.stringify([event.clientId, event.correlId, event.status, formatTimestamp(event.timestamp)])
    const deliveryId = hash('sha256', key, 'hex').slice(0, 32)
    // The delivery id (128 bits of the key's hash) stands for the key: the memory takes the
    // same few bytes per status whatever the length of the ids.
    if (this.#seen.has(deliveryId)) {
      this.#counters.duplicates++
      return
    }
    this.#remember(deliveryId)
    this.#queue({
      clientId: event.clientId,
      kind: webhookEvents.status,
      context: { clientId: event.clientId, correlId: event.correlId, status: event.status },
      body: () => encodeStatusEvent(event),
      characters: statusCharacters(event),
      deliveryId
    })
  }

  // The store announces each inbound SMS once, when it is stored: nothing to de-duplicate.
  #enqueueInbound (message: StoredInbound): void {
    if (this.#abort.signal.aborted) return
    const body = JSON.stringify(inboundJsonOf(message))
    this.#queue({
      clientId: message.owner,
      kind: webhookEvents.inbound,
      context: { clientId: message.owner, inboundId: String(message.id) },
      body: () => body,
      characters: body.length,
      deliveryId: hash('sha256', JSON.stringify([webhookEvents.inbound, message.id]), 'hex').slice(0, 32)
    })
  }

  #queue (post: Omit<QueuedPost, 'bytes'>): void {
    let queue = this.#queues.get(post.clientId)
    if (queue === undefined) {
      queue = { waiting: [], bytes: 0, running: false }
      this.#queues.set(post.clientId, queue)
    }
    const queued: QueuedPost = { ...post, bytes: QUEUED_POST_OVERHEAD_BYTES + 4 * post.characters }
    queue.waiting.push(queued)
    queue.bytes += queued.bytes
    // The newest post stays, even one larger than the bound on its own.
    while (queue.waiting.length > 1 && (queue.waiting.length > this.#maxQueued || queue.bytes > this.#maxQueuedBytes)) {
      queue.bytes -= (queue.waiting.shift() as QueuedPost).bytes
      this.#counters.dropped++
      this.#logDrop(post.clientId)
    }
    if (!queue.running) {
      queue.running = true
      this.#running++
      void this.#drain(post.clientId, queue)
    }
  }

  #remember (key: string): void {
    this.#seen.add(key)
    if (this.#seen.size > this.#dedupeEntries) {
      const oldest = this.#seen.values().next()
      if (oldest.done !== true) this.#seen.delete(oldest.value)
    }
  }

  #logDrop (clientId: string): void {
    const now = Date.now()
    if (now - this.#lastDropLogMs < DROP_LOG_INTERVAL_MS) return
    this.#lastDropLogMs = now
    this.#log.warn({ clientId, dropped: this.#counters.dropped, queueLimit: this.#maxQueued, queueLimitBytes: this.#maxQueuedBytes },
      'webhook queue full: dropped the oldest waiting status')
  }

  async #drain (clientId: string, queue: ClientQueue): Promise<void> {
    try {
      for (let item = queue.waiting.shift(); item !== undefined; item = queue.waiting.shift()) {
        queue.bytes -= item.bytes
        if (this.#abort.signal.aborted) break
        await this.#deliver(item)
      }
    } finally {
      queue.running = false
      // Empty queues go, so that client-ids seen once do not stay in memory.
      if (queue.waiting.length === 0 && this.#queues.get(clientId) === queue) this.#queues.delete(clientId)
      if (--this.#running === 0) {
        const waiters = this.#idleWaiters
        this.#idleWaiters = []
        for (const resolve of waiters) resolve()
      }
    }
  }

  async #deliver (item: QueuedPost): Promise<void> {
    const clientId = item.clientId
    const context = { ...item.context, deliveryId: item.deliveryId }
    let body: string | undefined
    for (let attempt = 1; ; attempt++) {
      let webhook: Webhook | undefined
      let outcome: Outcome
      try {
        webhook = await this.#directory.webhookOf(clientId)
        // A client without a webhook (or whose webhook was removed meanwhile): nothing to do.
        if (webhook === undefined) return
        outcome = await this.#post(webhook, item, body ??= item.body())
      } catch (error) {
        outcome = { kind: 'retry', reason: `webhook lookup failed: ${(error as Error).message}` }
      }
      if (this.#abort.signal.aborted) return
      const where = webhook === undefined ? {} : { origin: originOf(webhook.url) }
      if (outcome.kind === 'delivered') {
        this.#counters.delivered++
        this.#log.debug({ ...context, ...where, attempt }, 'webhook delivered')
        return
      }
      if (outcome.kind === 'refused' || attempt >= this.#retry.maxAttempts) {
        this.#counters.failed++
        this.#log.warn({ ...context, ...where, attempts: attempt, reason: outcome.reason }, 'webhook delivery given up')
        return
      }
      const delayMs = retryDelayMs(this.#retry, attempt)
      this.#log.info({ ...context, ...where, attempt, reason: outcome.reason, retryInMs: delayMs }, 'webhook delivery failed; will retry')
      try {
        await sleep(delayMs, undefined, { signal: this.#abort.signal })
      } catch {
        return
      }
    }
  }

  async #post (webhook: Webhook, item: QueuedPost, body: string): Promise<Outcome> {
    let response: Response
    try {
      response = await this.#fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'smsgw-webhook',
          [SIGNATURE_HEADER]: signWebhookBody(webhook.secret, body),
          [DELIVERY_HEADER]: item.deliveryId,
          [EVENT_HEADER]: item.kind
        },
        body,
        // A redirect is the receiver's mistake, and following it would send the status elsewhere.
        redirect: 'manual',
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#timeoutMs)])
      })
    } catch (error) {
      // An internal destination stays refused on a retry; the operator's allow-list is the way in.
      if (isSmsgwError(error, errorCodes.webhookDestination)) return { kind: 'refused', reason: error.message }
      return { kind: 'retry', reason: describeFetchError(error, this.#timeoutMs) }
    }
    // The answer's body means nothing to us; cancelling it frees the connection without reading an unbounded amount.
    await response.body?.cancel().catch(() => {})
    if (response.status >= 200 && response.status < 300) return { kind: 'delivered' }
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500
    return { kind: retryable ? 'retry' : 'refused', reason: `HTTP ${response.status}` }
  }
}

/** What a waiting status holds, in characters: its texts, and 120 for the rest (as much as its JSON adds to them). */
function statusCharacters (event: StatusEvent): number {
  return STATUS_FRAME_CHARACTERS + event.clientId.length + event.correlId.length + (event.recallId?.length ?? 0) + (event.errorText?.length ?? 0)
}
const STATUS_FRAME_CHARACTERS = 120

/** Only the origin of a webhook URL is logged: its path or query may hold the receiver's own token. */
function originOf (url: string): string {
  return new URL(url).origin
}

function describeFetchError (error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`
  const cause = (error as { cause?: { code?: string, message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message
}
