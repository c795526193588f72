export { backoffDelayMs, jitterKinds } from './backoff.ts'
export type { BackoffOptions, JitterKind } from './backoff.ts'
export {
  DEFAULT_MAX_RECONNECT_DELAY_MS, DEFAULT_SUBMIT_WAIT_MS,
  ReconnectingSession, reconnectingSessionStates
} from './reconnecting-session.ts'
export type { ReconnectingSessionEvents, ReconnectingSessionOptions, ReconnectingSessionState } from './reconnecting-session.ts'
export { MAX_SEQUENCE_NUMBER, SequenceNumbers } from './sequence-numbers.ts'
export { SmppSessionError, SmppSubmitError } from './session-errors.ts'
export type { SmppSessionErrorOptions, SmppSubmitErrorOptions } from './session-errors.ts'
export {
  DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_INACTIVITY_ENQUIRE_LINK_ROUNDS, DEFAULT_MAX_DELIVERS_IN_FLIGHT, DEFAULT_MAX_THROTTLE_BACKOFF_MS,
  DEFAULT_MAX_THROTTLE_RETRIES, DEFAULT_THROTTLE_BACKOFF_MS, sessionSettings
} from './session-options.ts'
export type { DeliverHandler, SessionSettings, SmscSessionOptions } from './session-options.ts'
export { smscSessionStates } from './session-events.ts'
export type { SmscSessionEvents, SmscSessionState, SubmitOptions, SubmitResult, ThrottleInfo, UnexpectedPdu } from './session-events.ts'
export { SmscSession } from './smsc-session.ts'
export { connectSocket, DEFAULT_CONNECT_TIMEOUT_MS, socketConnector, socketTransport } from './socket-transport.ts'
export type { SmppSocketOptions, SmppTlsOptions } from './socket-transport.ts'
export { TokenBucket } from './token-bucket.ts'
export type { SmppConnector, SmppTransport } from './transport.ts'
