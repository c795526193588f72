import type { StatusEvent } from '../../domain/status-event.ts'

/**
 * What a sink that keeps each status once (the embedded store, statusOnceKey) answers when it
 * held the status already and stored nothing: the status is not passed on.
 */
export const DUPLICATE_STATUS = 'duplicate'

/**
 * Where statuses go. Resolves once the status is durable wherever it must be, with
 * DUPLICATE_STATUS when the sink held it already (a re-sent receipt).
 */
export interface StatusSink {
  report: (event: StatusEvent) => Promise<void | typeof DUPLICATE_STATUS>
}

/** Counts of statuses reported, by status: for logs, the bench and (later) metrics. */
export type StatusCounts = Record<string, number>

/**
 * The one sink every status flows through (ARCHITECTURE: one way through): the primary
 * target first (`sms-status`), then the secondary ones (client log), then the counters. A
 * status the primary held already goes no further.
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

  /** Resolves with DUPLICATE_STATUS, telling no secondary sink, when the primary held the status already. */
  async report (event: StatusEvent): Promise<void | typeof DUPLICATE_STATUS> {
    if (await this.#primary.report(event) === DUPLICATE_STATUS) return DUPLICATE_STATUS
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
