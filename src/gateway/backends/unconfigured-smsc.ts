import { smsStatuses } from '../../domain/status-event.ts'
import { passEveryMessage, type Backend } from './backend.ts'

/** The name of the backend that real recipients are routed to by default. */
export const SMSC_BACKEND = 'smsc'
export const SMSC_FAILURE_TEXT = 'Failed to send SMS through SMSC'

/**
 * The backend for real recipients while no SMSC connection is configured: every request
 * fails cleanly (spec §7's text, with the reason) instead of waiting for a bind that never comes.
 */
export function unconfiguredSmscBackend (): Backend {
  return {
    name: SMSC_BACKEND,
    replayable: true,
    check: passEveryMessage,
    submit: async (_submission, report) => {
      await report({ status: smsStatuses.failed, errorText: `${SMSC_FAILURE_TEXT}: no SMSC connection is configured` })
    },
    close: async () => {}
  }
}
