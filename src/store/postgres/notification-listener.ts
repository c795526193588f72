import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { ABORTED, untilAborted } from './until-aborted.ts'

/** How long to wait before listening again after the connection broke. */
const RECONNECT_MS = 1_000

/**
 * A connection of its own that LISTENs on one channel and hands each notification's payload to
 * `onNotification`, connecting again (after RECONNECT_MS) whenever the connection breaks, until
 * closed. Notifications sent while it is not connected are not heard: what it serves (live
 * status streams) falls back on the stored history.
 */
export class NotificationListener {
  readonly #connection: pg.ClientConfig
  readonly #channel: string
  readonly #onNotification: (payload: string) => void
  readonly #onError: ((error: unknown) => void) | undefined
  readonly #closing = new AbortController()
  readonly #running: Promise<void>
  #client: pg.Client | undefined

  constructor (options: { connection: pg.ClientConfig, channel: string, onNotification: (payload: string) => void, onError?: (error: unknown) => void }) {
    this.#connection = options.connection
    this.#channel = options.channel
    this.#onNotification = options.onNotification
    this.#onError = options.onError
    this.#running = this.#listenUntilClosed()
  }

  /** Stops listening and ends the connection. */
  async close (): Promise<void> {
    this.#closing.abort()
    await this.#client?.end().catch(() => {})
    await this.#running
  }

  async #listenUntilClosed (): Promise<void> {
    const closing = this.#closing.signal
    while (!closing.aborted) {
      const client = new pg.Client(this.#connection)
      this.#client = client
      const ended = new Promise<void>(resolve => {
        client.on('error', error => {
          if (!closing.aborted) this.#onError?.(error)
          resolve()
        })
        client.on('end', () => { resolve() })
      })
      client.on('notification', message => { this.#onNotification(message.payload ?? '') })
      try {
        if (await untilAborted(client.connect(), closing) === ABORTED) break
        await client.query(`LISTEN ${this.#channel}`)
        await ended
      } catch (error) {
        if (!closing.aborted) this.#onError?.(error)
      }
      await client.end().catch(() => {})
      await sleep(RECONNECT_MS, undefined, { signal: closing }).catch(() => {})
    }
  }
}
