import { Writable } from 'node:stream'
import { requestValuePrefix, type RequestIngress } from '../../../src/gateway/request-ingress.ts'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import type { StatusFeed } from '../../../src/gateway/status/status-feed.ts'
import { createLogger, type Logger } from '../../../src/log/logger.ts'

export { temporaryFolder } from '../../harness/temporary-folder.ts'

// In-memory stand-ins for the two interfaces the HTTP API sits on. The API's tests use fakes
// (against "real parts in tests") because the real parts are a whole pipeline away: the embedded
// store that implements both is tested on its own, and the composition test runs the API on the
// real one. The fakes let these tests reach every answer, a failing ingress included.

/** Records what it accepted; `failWith` makes the next accept() reject. */
export class IngressFake implements RequestIngress {
  readonly accepted: string[][] = []
  failWith: Error | undefined

  async accept (values: readonly string[]): Promise<void> {
    if (this.failWith !== undefined) {
      const error = this.failWith
      this.failWith = undefined
      throw error
    }
    this.accepted.push([...values])
  }

  queued (clientId: string, correlId: string): boolean {
    return this.accepted.flat().some(value => value.startsWith(requestValuePrefix(clientId, correlId)))
  }
}

/** A StatusFeed over a list: history filters it, report() appends and tells the subscribers. */
export class StatusFeedFake implements StatusFeed {
  readonly events: StatusEvent[] = []
  readonly #listeners = new Set<{ clientId: string | undefined, listener: (event: StatusEvent) => void }>()

  get subscribers (): number {
    return this.#listeners.size
  }

  report (event: StatusEvent): void {
    this.events.push(event)
    for (const { clientId, listener } of this.#listeners) {
      if (clientId === undefined || clientId === event.clientId) listener(event)
    }
  }

  async history (clientId: string, correlId: string): Promise<StatusEvent[]> {
    return this.events.filter(event => event.clientId === clientId && event.correlId === correlId)
  }

  subscribe (clientId: string | undefined, listener: (event: StatusEvent) => void): () => void {
    const entry = { clientId, listener }
    this.#listeners.add(entry)
    return () => { this.#listeners.delete(entry) }
  }
}

/** A logger at `level` whose lines are kept, to check what was (not) logged. */
export function capturingLogger (level: 'debug' | 'info' = 'info'): { log: Logger, lines: () => string } {
  const chunks: string[] = []
  const destination = new Writable({
    write (chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'))
      done()
    }
  })
  return { log: createLogger({ level, destination }), lines: () => chunks.join('') }
}

/** A status of `clientId`'s request `correlId`. */
export function statusOf (clientId: string, correlId: string, status: StatusEvent['status'], seconds = 0, extra: Partial<StatusEvent> = {}): StatusEvent {
  return { clientId, correlId, status, timestamp: new Date(Date.UTC(2026, 10, 21, 10, 0, seconds)), ...extra }
}
