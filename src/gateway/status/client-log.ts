import { appendFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { formatClientLogLine } from './client-log-line.ts'
import { clientLogFileName } from './client-log-name.ts'
import type { StatusSink } from './status-sink.ts'
import type { StatusEvent } from '../../domain/status-event.ts'

/** The per-client TSV log (spec §9): one line per status in `<dir>/<client-id>.log`. */
export class ClientLog implements StatusSink {
  readonly #dir: string
  #ready: Promise<unknown> | undefined
  // Appends to one file run one after another, so lines keep the order statuses were reported.
  readonly #tails = new Map<string, Promise<void>>()

  constructor (dir: string) {
    this.#dir = dir
  }

  async report (event: StatusEvent): Promise<void> {
    const name = clientLogFileName(event.clientId)
    if (name === null) return
    this.#ready ??= mkdir(this.#dir, { recursive: true })
    await this.#ready
    const file = join(this.#dir, name)
    const previous = this.#tails.get(file) ?? Promise.resolve()
    const next = previous.then(async () => { await appendFile(file, formatClientLogLine(event)) })
    const tail = next.catch(() => {})
    this.#tails.set(file, tail)
    try {
      await next
    } finally {
      if (this.#tails.get(file) === tail) this.#tails.delete(file)
    }
  }
}
