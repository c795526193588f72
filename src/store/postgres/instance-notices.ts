import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import type { Awaitable } from '../../async/awaitable.ts'
import { KeyedListeners } from '../../async/keyed-listeners.ts'
import { NotificationListener } from './notification-listener.ts'

/** Where the notices of one table's rows are heard: the store's database and schema. */
export interface InstanceNoticeOptions {
  /** How the listener for other instances' notices reaches the database. */
  connection: pg.ClientConfig
  /** The schema the store's tables are in: notices of other schemas are not ours. */
  schema: string
  onError?: (error: unknown) => void
}

/**
 * The notices by which the instances sharing one database tell each other of the rows they
 * store on `channel`. A notice is `<schema> TAB <instance> TAB <body>`: the table NOTIFYs it in
 * the statement that stores (so at its commit), with `instance` in it; `onElsewhere` hears the
 * notices of the other instances in the same schema, each turned into a value by `read` (which
 * may read the row back; undefined when there is nothing to hand on).
 */
export class InstanceNotices<T> {
  /** This instance's id, for the notices it sends: its own are not heard back. */
  readonly instance = randomUUID()
  readonly #options: InstanceNoticeOptions
  readonly #channel: string
  readonly #read: (body: string) => Awaitable<T | undefined>
  readonly #elsewhere = new KeyedListeners<T, 'all'>()
  #listener: NotificationListener | undefined

  constructor (channel: string, read: (body: string) => Awaitable<T | undefined>, options: InstanceNoticeOptions) {
    this.#channel = channel
    this.#read = read
    this.#options = options
  }

  /** Listens (on a connection of its own, from the first call on) for the other instances' notices. */
  onElsewhere (listener: (value: T) => void): () => void {
    this.#listener ??= new NotificationListener({
      connection: this.#options.connection,
      channel: this.#channel,
      onNotification: payload => { this.#heard(payload) },
      ...(this.#options.onError === undefined ? {} : { onError: this.#options.onError })
    })
    return this.#elsewhere.add('all', listener)
  }

  /** Stops listening. */
  async close (): Promise<void> {
    await this.#listener?.close()
  }

  #heard (payload: string): void {
    const [schema, instance, body] = payload.split('\t', 3)
    if (schema !== this.#options.schema || instance === this.instance || body === undefined) return
    const value = this.#read(body)
    // A body read at once is handed on at once; one read from the database when it comes.
    if (value instanceof Promise) value.then(read => { this.#notify(read) }).catch((error: unknown) => this.#options.onError?.(error))
    else this.#notify(value)
  }

  #notify (value: T | undefined): void {
    if (value !== undefined) this.#elsewhere.notify('all', value, error => { this.#options.onError?.(error) })
  }
}
