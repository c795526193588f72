/** The states of a session, in the order it passes them; 'closed' is final. */
export const smscSessionStates = {
  connecting: 'connecting',
  binding: 'binding',
  bound: 'bound',
  unbinding: 'unbinding',
  closed: 'closed'
} as const
export type SmscSessionState = typeof smscSessionStates[keyof typeof smscSessionStates]

/** What a submit resolves to: the SMSC's id for the message, as submit_sm_resp gave it. */
export interface SubmitResult {
  readonly messageId: string
}

/** How one submit is made. */
export interface SubmitOptions {
  /**
   * Runs once the submit holds its window slot, before its bytes are written (once, not per
   * throttle retry): the caller's last word, such as a durable mark that the request may leave.
   * When it rejects, nothing is written, the slot is given back and submit rejects with its error.
   */
  readonly beforeWrite?: () => Promise<void>
  /**
   * No attempt of this submit is written after this instant (the request's deadline, spec §5):
   * past it, the submit fails with SMSGW_SMPP_DEADLINE, not written (and beforeWrite does not
   * run when it has passed already).
   */
  readonly deadline?: Date
}

/** Something from the SMSC that the session dropped (a late response, a PDU it could not read), for logs and metrics. */
export interface UnexpectedPdu {
  readonly command: string
  readonly sequenceNumber: number
  /** Names and sizes, never values. */
  readonly reason: string
}

export interface ThrottleInfo {
  /** ESME_RTHROTTLED or ESME_RMSGQFUL. */
  readonly commandStatus: number
  /** How long every submit of the session is held, in milliseconds. */
  readonly delayMs: number
}

/** The events of SmscSession, for its typed EventEmitter. */
export interface SmscSessionEvents {
  /** Every change of state, 'closed' last. */
  state: [state: SmscSessionState]
  /** bind_transceiver_resp ESME_ROK: `systemId` is the SMSC's. */
  bound: [info: { readonly systemId: string }]
  /** `busy` turned false: there is room for a submit. */
  drain: []
  /** A submit was refused with ESME_RTHROTTLED or ESME_RMSGQFUL and the session holds submits. */
  throttled: [info: ThrottleInfo]
  unexpected: [info: UnexpectedPdu]
  /** The session closed; undefined after close(), the reason otherwise. */
  closed: [reason: Error | undefined]
}
