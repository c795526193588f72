import type { ServerResponse } from 'node:http'
import type { Awaitable } from '../../async/awaitable.ts'

/** How often a frame goes out. */
export const DEFAULT_FRAME_INTERVAL_MS = 1_000
/** Most open event streams; one more is refused (each costs a socket and a serialisation share). */
export const DEFAULT_MAX_VIEWERS = 32
/** A viewer whose unsent frames exceed this is dropped: it reconnects, and memory stays flat. */
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024
/** What EventSource waits before reconnecting. */
const RECONNECT_MS = 2_000

export interface SnapshotBroadcastOptions {
  /**
   * The frame to send, as a JSON-able value (or a promise of one: a part read from the store);
   * called once per interval whatever the number of viewers, never again while one is pending.
   */
  frame: () => Awaitable<unknown>
  /** Called when `frame` throws or rejects; that interval sends nothing. */
  onError: (error: unknown) => void
  intervalMs?: number
  maxViewers?: number
  maxBufferedBytes?: number
}

/**
 * Server-sent events: the same frame to every viewer once per interval, and one at once to a
 * viewer who just came. The timer runs only while someone watches.
 */
export class SnapshotBroadcast {
  readonly #options: SnapshotBroadcastOptions
  readonly #viewers = new Set<ServerResponse>()
  #timer: NodeJS.Timeout | undefined
  #closed = false
  /**
   * The frame being made, shared by a tick and viewers who come meanwhile: a slow frame (one read
   * from the store) skips ticks instead of piling them up.
   */
  #making: Promise<string | undefined> | undefined

  constructor (options: SnapshotBroadcastOptions) {
    this.#options = options
  }

  get viewers (): number {
    return this.#viewers.size
  }

  /** Starts an event stream on `response`; false (and nothing written) when closed or full. */
  add (response: ServerResponse): boolean {
    if (this.#closed || this.#viewers.size >= (this.#options.maxViewers ?? DEFAULT_MAX_VIEWERS)) return false
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
      // Proxies such as nginx would otherwise hold the frames back.
      'x-accel-buffering': 'no'
    })
    response.write(`retry: ${RECONNECT_MS}\n\n`)
    this.#viewers.add(response)
    response.once('close', () => { this.#remove(response) })
    void this.#frame().then(data => { if (data !== undefined && this.#viewers.has(response)) this.#send(response, data) })
    this.#timer ??= setInterval(() => { this.#tick() }, this.#options.intervalMs ?? DEFAULT_FRAME_INTERVAL_MS)
    return true
  }

  /** Ends every stream and refuses new ones. */
  close (): void {
    this.#closed = true
    clearInterval(this.#timer)
    this.#timer = undefined
    for (const viewer of this.#viewers) viewer.end()
    this.#viewers.clear()
  }

  #tick (): void {
    if (this.#making !== undefined) return
    // Those watching now; one who comes while the frame is made gets it through add().
    const audience = [...this.#viewers]
    void this.#frame().then(data => {
      if (data === undefined) return
      for (const viewer of audience) if (this.#viewers.has(viewer)) this.#send(viewer, data)
    })
  }

  #frame (): Promise<string | undefined> {
    this.#making ??= this.#serialise().finally(() => { this.#making = undefined })
    return this.#making
  }

  /** The frame as an event; undefined (and onError told) when making it failed. Never rejects. */
  async #serialise (): Promise<string | undefined> {
    try {
      // JSON has no raw line breaks, so one `data:` line carries the whole frame.
      return `data: ${JSON.stringify(await this.#options.frame())}\n\n`
    } catch (error) {
      this.#options.onError(error)
      return undefined
    }
  }

  #send (viewer: ServerResponse, data: string): void {
    if (viewer.writableLength > (this.#options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES)) {
      viewer.destroy()
      this.#remove(viewer)
      return
    }
    viewer.write(data)
  }

  #remove (viewer: ServerResponse): void {
    this.#viewers.delete(viewer)
    if (this.#viewers.size === 0) {
      clearInterval(this.#timer)
      this.#timer = undefined
    }
  }
}
