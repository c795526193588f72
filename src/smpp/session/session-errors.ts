import { errorCodes, SmsgwError } from '../../errors.ts'
import type { ErrorCode } from '../../errors.ts'
import { commandStatus, commandStatusName } from '../codec/index.ts'

export interface SmppSessionErrorOptions {
  /** The command_status the SMSC answered with, when the failure is its answer (a refused bind). */
  commandStatus?: number
  retryable?: boolean
  cause?: unknown
}

/**
 * Why a session closed or could not open: SMSGW_SMPP_CONNECTION, SMSGW_SMPP_BIND,
 * SMSGW_SMPP_INACTIVITY, SMSGW_SMPP_PEER_UNBIND. The session never survives it.
 */
export class SmppSessionError extends SmsgwError {
  /** The SMSC's command_status (bind_transceiver_resp of a refused bind); undefined when it did not answer. */
  readonly commandStatus: number | undefined
  readonly sessionSurvives: false

  constructor (code: ErrorCode, message: string, options: SmppSessionErrorOptions = {}) {
    super(code, message, { cause: options.cause, retryable: options.retryable ?? true })
    this.name = 'SmppSessionError'
    this.commandStatus = options.commandStatus
    this.sessionSurvives = false
  }
}

export interface SmppSubmitErrorOptions {
  /** The command_status of submit_sm_resp or generic_nack; undefined when the SMSC did not answer. */
  commandStatus?: number
  /** Whether the PDU's bytes were handed to the connection. */
  written: boolean
  sessionSurvives: boolean
  retryable: boolean
  cause?: unknown
}

/**
 * A submit that did not end in ESME_ROK, with what the gateway needs to choose a status
 * (spec §7):
 * - `commandStatus` set: the SMSC answered and refused it; nothing went out.
 * - `written` false: the PDU never reached the connection; nothing went out.
 * - `outcomeUnknown` (written, and no answer): the SMSC may have taken it. Reporting FAILED
 *   could be wrong, and submitting again could send it twice.
 */
export class SmppSubmitError extends SmsgwError {
  readonly commandStatus: number | undefined
  readonly written: boolean
  readonly sessionSurvives: boolean
  /** True when the PDU was written and no answer came: the message may have gone out. */
  readonly outcomeUnknown: boolean

  constructor (code: ErrorCode, message: string, options: SmppSubmitErrorOptions) {
    super(code, message, { cause: options.cause, retryable: options.retryable })
    this.name = 'SmppSubmitError'
    this.commandStatus = options.commandStatus
    this.written = options.written
    this.sessionSurvives = options.sessionSurvives
    this.outcomeUnknown = options.written && options.commandStatus === undefined
  }
}

/**
 * Refusals after which the same submit may succeed later: the SMSC is overloaded
 * (ESME_RTHROTTLED, ESME_RMSGQFUL; the session retries these itself first), has a passing fault
 * (ESME_RSYSERR), or lost our bind (ESME_RINVBNDSTS; a new bind may succeed).
 */
const retryableSubmitStatuses: ReadonlySet<number> = new Set([
  commandStatus.ESME_RTHROTTLED,
  commandStatus.ESME_RMSGQFUL,
  commandStatus.ESME_RSYSERR,
  commandStatus.ESME_RINVBNDSTS
])

/** The statuses the session answers by backing off and submitting again (§5.1.3). */
export const throttleStatuses: ReadonlySet<number> = new Set([commandStatus.ESME_RTHROTTLED, commandStatus.ESME_RMSGQFUL])

/**
 * ESME_RINVBNDSTS to a submit: the SMSC no longer counts us as bound, so the session is no use
 * any more and closes.
 */
export function endsSession (status: number): boolean {
  return status === commandStatus.ESME_RINVBNDSTS
}

/** The SMSC refused a submit_sm (submit_sm_resp or generic_nack with an error status). */
export function submitRefused (command: string, status: number): SmppSubmitError {
  return new SmppSubmitError(errorCodes.smppSubmit, `SMSC refused submit_sm: ${command} ${commandStatusName(status)}`, {
    commandStatus: status,
    written: true,
    sessionSurvives: !endsSession(status),
    retryable: retryableSubmitStatuses.has(status)
  })
}

/** No submit_sm_resp within the response timeout. Written: the outcome is unknown. */
export function submitTimedOut (written: boolean, timeoutMs: number): SmppSubmitError {
  const when = written ? 'after it was written' : 'before it could be written'
  return new SmppSubmitError(errorCodes.smppResponseTimeout, `no submit_sm_resp within ${timeoutMs} ms, ${when}`, {
    written,
    sessionSurvives: true,
    retryable: !written
  })
}

/** The session closed while the submit was in it. Written: the outcome is unknown. */
export function submitCutOff (written: boolean, reason: Error | undefined): SmppSubmitError {
  const when = written ? 'after submit_sm was written, before its response' : 'before submit_sm was written'
  return new SmppSubmitError(errorCodes.smppClosed, `the SMPP session closed ${when}`, {
    written,
    sessionSurvives: false,
    retryable: !written,
    cause: reason
  })
}

/** A submit offered to a session that is not bound (binding, unbinding or closed). */
export function submitNotBound (state: string, cause?: unknown): SmppSubmitError {
  return new SmppSubmitError(errorCodes.smppNotBound, `the SMPP session is not bound (${state}); submit_sm was not written`, {
    written: false,
    sessionSurvives: false,
    retryable: true,
    cause
  })
}

/**
 * The submit's deadline passed before submit_sm could be written (checked before each attempt:
 * the first, every one after a throttled answer, every one on a new session): it was not written.
 */
export function submitPastDeadline (deadline: Date): SmppSubmitError {
  return new SmppSubmitError(errorCodes.smppDeadline, `the submit's deadline ${deadline.toISOString()} passed; submit_sm was not written`, {
    written: false,
    sessionSurvives: true,
    retryable: false
  })
}

/** A response arrived for the submit but could not be read: the SMSC's verdict is unknown. */
export function submitAnswerUnreadable (reason: string): SmppSubmitError {
  return new SmppSubmitError(errorCodes.smppMalformed, `submit_sm_resp could not be read: ${reason}`, {
    written: true,
    sessionSurvives: true,
    retryable: false
  })
}

/** The submit_sm body does not encode (a field too long): it was never written. */
export function submitUnencodable (cause: unknown): SmppSubmitError {
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new SmppSubmitError(errorCodes.smppEncoding, `submit_sm could not be encoded: ${reason}`, {
    written: false,
    sessionSurvives: true,
    retryable: false,
    cause
  })
}

/**
 * A refused bind (§4.1.6): credentials and system type will not get better by retrying; other
 * refusals (ESME_RBINDFAIL, ESME_RALYBND, ESME_RSYSERR) may.
 */
const permanentBindStatuses: ReadonlySet<number> = new Set([
  commandStatus.ESME_RINVPASWD,
  commandStatus.ESME_RINVSYSID,
  commandStatus.ESME_RINVSYSTYP
])

export function bindRefused (command: string, status: number): SmppSessionError {
  return new SmppSessionError(errorCodes.smppBind, `SMSC refused bind_transceiver: ${command} ${commandStatusName(status)}`, {
    commandStatus: status,
    retryable: !permanentBindStatuses.has(status)
  })
}

export function bindFailed (cause: unknown): SmppSessionError {
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new SmppSessionError(errorCodes.smppBind, `bind_transceiver failed: ${reason}`, { cause })
}

export function connectionError (message: string, cause?: unknown): SmppSessionError {
  return new SmppSessionError(errorCodes.smppConnection, message, { cause })
}

/** A PDU for a session that has closed (or never connected): nothing was written. */
export function sessionClosed (): SmppSessionError {
  return new SmppSessionError(errorCodes.smppClosed, 'the session is closed')
}
