import { setTimeout as sleep } from 'node:timers/promises'
import type { Pool, QueryResult, QueryResultRow } from 'pg'

/** How long a statement is retried while the database cannot be reached. */
const RETRY_FOR_MS = 30_000
const FIRST_DELAY_MS = 50
const MAX_DELAY_MS = 2_000

// SQLSTATE classes and codes that say "the connection went away", not "the statement is wrong":
// class 08 (connection exception), 57P01-57P03 (the server shut down or is starting), and the
// errors Node and pg raise when a socket breaks or a connection cannot be made in time.
const TRANSIENT_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'])
const TRANSIENT_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/

/** Whether `error` came from losing the connection (worth retrying), not from the statement. */
function isTransient (error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (code.startsWith('08') || TRANSIENT_CODES.has(code))) return true
  return error instanceof Error && TRANSIENT_MESSAGES.test(error.message)
}

/**
 * The store's statements, over a pool, retried with back-off while the database cannot be
 * reached: a server restart or a broken connection costs the pipeline a delay, not a request.
 * Every statement given to it must be safe to run twice, because a commit may have happened
 * before the connection broke: reads, upserts, compare-and-set writes, deletes, and inserts
 * that carry an id of their own (enqueued requests, statuses) and skip a row already there.
 */
export class RetryingPool {
  readonly #pool: Pool

  constructor (pool: Pool) {
    this.#pool = pool
  }

  async query<R extends QueryResultRow = QueryResultRow> (text: string, values?: unknown[]): Promise<QueryResult<R>> {
    const giveUpAtMs = Date.now() + RETRY_FOR_MS
    for (let delayMs = FIRST_DELAY_MS; ; delayMs = Math.min(MAX_DELAY_MS, delayMs * 2)) {
      try {
        return await this.#pool.query<R>(text, values)
      } catch (error) {
        if (!isTransient(error) || Date.now() + delayMs > giveUpAtMs) throw error
        await sleep(delayMs)
      }
    }
  }
}
