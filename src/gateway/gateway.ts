import type { Logger } from '../log/logger.ts'
import { InFlightLimit } from './in-flight-limit.ts'
import { PartitionProgress } from './partition-progress.ts'
import type { IncomingRequest, RequestSource } from './request-source.ts'

/** What handling one request left to do once its offset is committed. */
export interface HandledRequest {
  /** The ledger key to forget after the commit, if the request reached the ledger. */
  readonly ledgerKey?: string
}

export interface GatewayOptions {
  source: RequestSource
  /** Runs one request through the pipeline. Resolves when all its statuses are out; never rejects. */
  handle: (request: IncomingRequest) => Promise<HandledRequest>
  /** Called with the outcomes whose offsets were committed. */
  onCommitted?: (outcomes: readonly HandledRequest[]) => void
  maxInFlight: number
  /** How long finished requests wait to be committed together; default 100 ms. */
  commitIntervalMs?: number
  log: Logger
}

export const DEFAULT_COMMIT_INTERVAL_MS = 100

type Progress = PartitionProgress<{ request: IncomingRequest, outcome: HandledRequest }>

/**
 * The orchestrator: pulls requests while the in-flight limit allows, runs each through the
 * pipeline concurrently, and commits a stream's offset once every request up to it is done.
 * Pulling stops when the limit is reached, which stops the reading from the source.
 */
export class Gateway {
  readonly #options: GatewayOptions
  readonly #limit: InFlightLimit
  readonly #progress = new Map<string, Progress>()
  readonly #commits = new Map<string, Promise<void>>()
  readonly #pendingCommits = new Map<string, { request: IncomingRequest, outcomes: HandledRequest[] }>()
  #commitTimer: NodeJS.Timeout | undefined
  #stopping = false
  #handled = 0

  constructor (options: GatewayOptions) {
    this.#options = options
    this.#limit = new InFlightLimit(options.maxInFlight)
  }

  /** Runs until the source ends or `stop` is called; resolves once in-flight work has settled. */
  async run (): Promise<void> {
    for await (const request of this.#options.source) {
      await this.#limit.acquire()
      // Pulled while waiting for a slot, and stop came meanwhile: not started, so redelivered.
      if (this.#stopping) {
        this.#limit.release()
        break
      }
      void this.#handle(request, this.#startProgress(request))
      if (this.#stopping) break
    }
    await this.#limit.idle()
    this.#flushCommits()
    await Promise.all(this.#commits.values())
  }

  /**
   * Stops pulling, waits up to `timeoutMs` for in-flight requests to settle and their offsets
   * to be committed. What does not settle in time is redelivered on the next start, where the
   * ledger keeps it from reaching a backend twice.
   */
  async stop (timeoutMs: number): Promise<boolean> {
    this.#stopping = true
    this.#flushCommits()
    await this.#options.source.close()
    let timer: NodeJS.Timeout | undefined
    const settled = await Promise.race([
      this.#limit.idle().then(async () => {
        this.#flushCommits()
        await Promise.all(this.#commits.values())
      }).then(() => true),
      new Promise<boolean>(resolve => { timer = setTimeout(() => resolve(false), timeoutMs) })
    ])
    clearTimeout(timer)
    return settled
  }

  get inFlight (): number {
    return this.#limit.used
  }

  get handled (): number {
    return this.#handled
  }

  async #handle (request: IncomingRequest, progress: Progress): Promise<void> {
    let outcome: HandledRequest
    try {
      outcome = await this.#options.handle(request)
    } catch (error) {
      // Shutdown aborted it, or a bug. Either way it is not done: it stays uncommitted (and so
      // does the rest of its stream) and comes back on the next start.
      this.#limit.release()
      if (!this.#stopping) this.#options.log.error({ err: error, stream: request.stream, offset: String(request.offset) }, 'request handling failed; it stays uncommitted')
      return
    }
    this.#handled++
    const committable = progress.finish(request.offset, { request, outcome })
    this.#limit.release()
    const last = committable.at(-1)
    if (last !== undefined) this.#commit(request.stream, last.note.request, committable.map(item => item.note.outcome))
  }

  // Commits are gathered for `commitIntervalMs` and sent as one per stream: committing after
  // every request would cost the broker a round trip per SMS. Waiting longer only delays the
  // commit; the statuses are already out.
  #commit (stream: string, request: IncomingRequest, outcomes: HandledRequest[]): void {
    const pending = this.#pendingCommits.get(stream)
    if (pending === undefined) this.#pendingCommits.set(stream, { request, outcomes })
    else {
      // After a rebalance two trackers may feed one stream: never move its commit backwards.
      if (request.offset > pending.request.offset) pending.request = request
      pending.outcomes.push(...outcomes)
    }
    if (this.#stopping) this.#flushCommits()
    else this.#commitTimer ??= setTimeout(() => this.#flushCommits(), this.#options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS)
  }

  // Commits of one stream run one after another, so an older offset never lands after a newer one.
  #flushCommits (): void {
    clearTimeout(this.#commitTimer)
    this.#commitTimer = undefined
    for (const [stream, { request, outcomes }] of this.#pendingCommits) {
      const previous = this.#commits.get(stream) ?? Promise.resolve()
      const next = previous.then(async () => {
        try {
          await request.commit()
          this.#options.onCommitted?.(outcomes)
        } catch (error) {
          // After a rebalance the partition may belong to another instance: it redelivers, and
          // the ledger keeps those requests from reaching a backend twice.
          this.#options.log.warn({ err: error, stream, offset: String(request.offset) }, 'offset commit failed')
        }
      })
      this.#commits.set(stream, next)
      void next.finally(() => { if (this.#commits.get(stream) === next) this.#commits.delete(stream) })
    }
    this.#pendingCommits.clear()
  }

  // Requests keep the tracker they started in: after a rebalance hands a partition back at an
  // earlier offset, the new reads get a new tracker and the old one only finishes its own.
  #startProgress (request: IncomingRequest): Progress {
    const current = this.#progress.get(request.stream)
    if (current?.start(request.offset) === true) return current
    const fresh: Progress = new PartitionProgress()
    fresh.start(request.offset)
    this.#progress.set(request.stream, fresh)
    return fresh
  }
}
