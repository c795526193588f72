import type { StatusEvent } from './status-event.ts'

/** Where statuses go. Resolves once the status is durable wherever it must be. */
export interface StatusSink {
  report: (event: StatusEvent) => Promise<void>
}

/** Counts of statuses reported, by status: for logs, the bench and (later) metrics. */
export type StatusCounts = Record<string, number>

/**
 * The one sink every status flows through (ARCHITECTURE: one way through): the primary
 * target first (`sms-status`), then the secondary ones (client log), then the counters.
 * A secondary failure is logged, not fatal: the client's status is already out.
 */
export class StatusFanOut implements StatusSink {
  readonly #primary: StatusSink
  readonly #secondary: readonly StatusSink[]
  readonly #onSecondaryError: (error: unknown, event: StatusEvent) => void
  readonly counts: StatusCounts = {}

  constructor (primary: StatusSink, secondary: readonly StatusSink[], onSecondaryError: (error: unknown, event: StatusEvent) => void) {
    this.#primary = primary
    this.#secondary = secondary
    this.#onSecondaryError = onSecondaryError
  }

  async report (event: StatusEvent): Promise<void> {
    await this.#primary.report(event)
    await Promise.all(this.#secondary.map(async sink => {
      try {
        await sink.report(event)
      } catch (error) {
        this.#onSecondaryError(error, event)
      }
    }))
    this.counts[event.status] = (this.counts[event.status] ?? 0) + 1
  }
}
