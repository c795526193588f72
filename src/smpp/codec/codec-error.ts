import { errorCodes, SmsgwError } from '../../errors.ts'
import type { ErrorCode } from '../../errors.ts'
import { commandStatus, commandStatusName } from './constants.ts'

export interface SmppCodecErrorOptions {
  /** The command_status that describes the failure, to answer the peer with. */
  commandStatus: number
  /** False when the byte stream can no longer be trusted and the session must close. */
  sessionSurvives: boolean
  /** The SMPP field that failed (`destination_addr`), when one did. */
  field?: string
  retryable?: boolean
  cause?: unknown
}

/**
 * An SmsgwError from the SMPP codec, with what the session must decide: the command_status to
 * answer with and whether the session survives. Messages name fields and sizes, never values:
 * a destination_addr or short_message is plaintext.
 */
export class SmppCodecError extends SmsgwError {
  readonly commandStatus: number
  readonly sessionSurvives: boolean
  readonly field: string | undefined

  constructor (code: ErrorCode, message: string, options: SmppCodecErrorOptions) {
    super(code, message, options)
    this.commandStatus = options.commandStatus
    this.sessionSurvives = options.sessionSurvives
    this.field = options.field
  }
}

/** A field or TLV of a received PDU breaks the grammar; the PDU is answered, the session lives on. */
export function malformedPdu (field: string, status: number, reason: string): SmppCodecError {
  return new SmppCodecError(errorCodes.smppMalformed, `SMPP ${field}: ${reason} (${commandStatusName(status)})`, {
    commandStatus: status,
    sessionSurvives: true,
    field
  })
}

/** A value handed to encodePdu does not fit its field; the PDU is not sent. */
export function unencodable (field: string, status: number, reason: string): SmppCodecError {
  return new SmppCodecError(errorCodes.smppEncoding, `SMPP ${field}: ${reason} (${commandStatusName(status)})`, {
    commandStatus: status,
    sessionSurvives: true,
    field
  })
}

/**
 * The byte stream cannot be cut into PDUs any more (command_length out of bounds, input ended
 * inside a PDU): nothing after this point can be trusted, so the session closes. Reconnecting
 * may succeed.
 */
export function framingError (reason: string): SmppCodecError {
  return new SmppCodecError(errorCodes.smppFraming, `SMPP framing: ${reason}`, {
    commandStatus: commandStatus.ESME_RINVCMDLEN,
    sessionSurvives: false,
    retryable: true
  })
}
