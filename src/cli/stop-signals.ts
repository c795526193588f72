import type { ProgramIo } from './program-io.ts'

/**
 * How long after a first SIGINT or SIGTERM another one is taken as the same request to stop.
 * One Ctrl-C often arrives twice: from the terminal, to the whole process group, and again from
 * a parent that forwards it to its child (npm does). Only a signal after this is a second one.
 */
export const REPEATED_SIGNAL_MS = 1_000
/** The exit code of a stop cut short by a second signal (128 + SIGINT), as shells report Ctrl-C. */
export const INTERRUPTED_EXIT_CODE = 130
/**
 * How long after the first signal a stopped process may end. Node's teardown closes the signal
 * handlers before the process is gone, and a signal in that window takes the default action: the
 * copy of a Ctrl-C that a parent forwards late (npm, on a loaded machine) killed a `smsgw run`
 * that had stopped cleanly (seen once in CI: `npm start` ended by SIGINT, not with 0).
 */
export const FORWARDED_SIGNAL_GRACE_MS = 500

export interface StopSignals {
  /** Resolves once FORWARDED_SIGNAL_GRACE_MS have passed since the first signal (at once if none came): awaited last, before the process ends. */
  readonly graceOver: () => Promise<void>
}

/**
 * Calls `stop` once, on the first SIGINT or SIGTERM of `io.signals`. A second signal
 * (REPEATED_SIGNAL_MS or more after the first) means "now": `io.exit(INTERRUPTED_EXIT_CODE)`.
 *
 * The handlers stay until the process ends: the copy of a Ctrl-C that a parent forwards (npm
 * does) may arrive after the stop has finished, and with no handler left the default action
 * would kill the process that was about to exit 0; for the same reason a command awaits
 * `graceOver()` before it ends.
 */
export function onStopSignals (io: Pick<ProgramIo, 'signals' | 'exit'>, stop: (signal: NodeJS.Signals) => void): StopSignals {
  let firstAtMs: number | undefined
  const onSignal = (signal: NodeJS.Signals): void => {
    const nowMs = Date.now()
    if (firstAtMs === undefined) {
      firstAtMs = nowMs
      stop(signal)
    } else if (nowMs - firstAtMs >= REPEATED_SIGNAL_MS) {
      io.exit(INTERRUPTED_EXIT_CODE)
    }
  }
  io.signals.on('SIGINT', onSignal)
  io.signals.on('SIGTERM', onSignal)
  return {
    graceOver: async () => {
      const leftMs = firstAtMs === undefined ? 0 : firstAtMs + FORWARDED_SIGNAL_GRACE_MS - Date.now()
      if (leftMs > 0) await new Promise(resolve => setTimeout(resolve, leftMs))
    }
  }
}
