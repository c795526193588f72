import { Worker } from 'node:worker_threads'
import type { OpenVerdict } from '../stages/open-request.ts'
import { statusVerdict } from '../stages/verdict.ts'
import { smsStatuses } from '../../domain/status-event.ts'
import type { OpenedTask, OpenTask, OpenWorkerData } from './open-worker.ts'
import type { PayloadOpener } from './payload-opener.ts'

// A crashed worker is a server error, not a client's: FAILED (spec §4), and the pipeline goes on.
export const WORKER_FAILURE_TEXT = 'Failed to open request payload: the opening worker stopped'

const WORKER_YOUNG_GENERATION_MB = 4
/**
 * Tasks go to a worker in batches: those asked for in one turn of the event loop, at most this
 * many. One message per batch instead of one per task cut the CPU of an X25519 open, both
 * threads, from ~237 to ~200 µs (the opener alone, medians of eight interleaved bursts of 2,000).
 */
export const MAX_OPEN_BATCH = 16

interface PoolWorker {
  readonly worker: Worker
  readonly pending: Map<number, (verdict: OpenVerdict) => void>
  /** Tasks not yet posted to the worker: they go at the end of this turn of the event loop. */
  outbox: OpenTask[]
}

/**
 * Opens payloads on a pool of worker threads; each task goes to the worker with the fewest
 * tasks pending. A worker that dies is replaced, and its pending tasks end FAILED.
 */
export class WorkerOpener implements PayloadOpener {
  readonly #data: OpenWorkerData
  #pool: PoolWorker[] = []
  #nextId = 0
  #closing = false

  private constructor (data: OpenWorkerData) {
    this.#data = data
  }

  /** Resolves once every worker has loaded the vault; rejects if one cannot. */
  static async start (options: OpenWorkerData & { workers: number }): Promise<WorkerOpener> {
    const { workers, ...data } = options
    const opener = new WorkerOpener(data)
    opener.#pool = await Promise.all(Array.from({ length: workers }, async () => await opener.#startWorker()))
    return opener
  }

  async open (clientId: string, payload: string): Promise<OpenVerdict> {
    if (this.#pool.length === 0) return statusVerdict(smsStatuses.failed, WORKER_FAILURE_TEXT)
    const target = this.#pool.reduce((best, candidate) => candidate.pending.size < best.pending.size ? candidate : best)
    const id = this.#nextId++
    return await new Promise<OpenVerdict>(resolve => {
      target.pending.set(id, resolve)
      target.outbox.push({ id, clientId, payload })
      if (target.outbox.length >= MAX_OPEN_BATCH) this.#post(target)
      else if (target.outbox.length === 1) setImmediate(() => this.#post(target))
    })
  }

  #post (entry: PoolWorker): void {
    if (entry.outbox.length === 0) return
    entry.worker.postMessage(entry.outbox)
    entry.outbox = []
  }

  async close (): Promise<void> {
    this.#closing = true
    await Promise.all(this.#pool.map(async ({ worker }) => await worker.terminate()))
  }

  async #startWorker (): Promise<PoolWorker> {
    // Opening allocates little and briefly: a small young generation keeps each worker's memory low.
    const worker = new Worker(new URL('./open-worker.ts', import.meta.url), { workerData: this.#data, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } })
    const entry: PoolWorker = { worker, pending: new Map(), outbox: [] }
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject)
      worker.once('message', () => { worker.off('error', reject); resolve() })
    })
    worker.on('message', ({ id, verdict }: OpenedTask) => {
      entry.pending.get(id)?.(verdict)
      entry.pending.delete(id)
    })
    // Without a listener, a worker's uncaught exception (or ERR_WORKER_OUT_OF_MEMORY) would be
    // thrown in this thread and end the process; 'exit' follows and replaces the worker.
    worker.on('error', () => {})
    worker.on('exit', () => { void this.#replace(entry) })
    return entry
  }

  async #replace (dead: PoolWorker): Promise<void> {
    this.#pool = this.#pool.filter(entry => entry !== dead)
    for (const resolve of dead.pending.values()) resolve(statusVerdict(smsStatuses.failed, WORKER_FAILURE_TEXT))
    dead.pending.clear()
    dead.outbox = []
    if (this.#closing) return
    let fresh: PoolWorker
    try {
      fresh = await this.#startWorker()
    } catch {
      // The vault cannot be read just now: go on with one worker fewer (none left: open() is FAILED).
      return
    }
    // close() may have come while it started: it must not outlive the opener.
    if (this.#closing) await fresh.worker.terminate()
    else this.#pool.push(fresh)
  }
}
