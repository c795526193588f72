import {
  DEFAULT_ENQUIRE_LINK_INTERVAL_MS, DEFAULT_SMPP_MAX_SUBMITS_PER_SECOND, DEFAULT_SMPP_RESPONSE_TIMEOUT_MS, DEFAULT_SMPP_SYSTEM_TYPE,
  DEFAULT_SMPP_WINDOW_SIZE
} from '../../config/defaults.ts'
import { errorCodes, SmsgwError } from '../../errors.ts'
import { createPdu, encodePdu, SMPP_VERSION_3_4 } from '../codec/index.ts'
import type { BindBody, PduOf } from '../codec/index.ts'
import type { SmppConnector } from './transport.ts'

// The options the configuration also sets default to its values (config/defaults.ts), so a
// session built without them behaves as a configured gateway's.

/**
 * Keep-alive rounds without any PDU from the SMSC before the link counts as dead: the default
 * inactivity timeout is this many enquire_link intervals (90 s for 30 s; none without keep-alive).
 */
export const DEFAULT_INACTIVITY_ENQUIRE_LINK_ROUNDS = 3
/** The first back-off after ESME_RTHROTTLED / ESME_RMSGQFUL; doubles on each new refusal. */
export const DEFAULT_THROTTLE_BACKOFF_MS = 1_000
export const DEFAULT_MAX_THROTTLE_BACKOFF_MS = 30_000
/** Throttled answers to one submit before it fails with the SMSC's status. */
export const DEFAULT_MAX_THROTTLE_RETRIES = 5
/** How long close() waits for outstanding submits and deliver_sm handlers before it unbinds. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000
/** deliver_sm handlers running at once; past it the session stops reading from the SMSC. */
export const DEFAULT_MAX_DELIVERS_IN_FLIGHT = 10

/** Receives each deliver_sm (receipt or mobile-originated SMS). Its short_message is plaintext. */
export type DeliverHandler = (pdu: PduOf<'deliver_sm'>) => Promise<void>

export interface SmscSessionOptions {
  /** Opens the connection: `socketConnector({ host, port, tls })`, or an in-memory pair in tests. */
  connect: SmppConnector
  /** bind_transceiver system_id, at most 15 characters. */
  systemId: string
  /** bind_transceiver password, at most 8 characters. */
  password: string
  /** bind_transceiver system_type; 'smpp' by default. */
  systemType?: string
  /** bind_transceiver address_range; empty by default. */
  addressRange?: string
  /**
   * Called for each deliver_sm. deliver_sm_resp ESME_ROK goes out after it resolves (so a receipt
   * is acknowledged only once it is recorded), ESME_RX_T_APPN after it rejects (the SMSC retries),
   * ESME_RX_R_APPN after it rejects with SMSGW_INBOUND_REFUSED (refused for good: no retry).
   */
  onDeliver: DeliverHandler
  /** Outstanding submits at once (1 or more); 10 by default. */
  windowSize?: number
  /** Milliseconds to wait for each response; 10 000 by default. */
  responseTimeoutMs?: number
  /** Milliseconds between enquire_link PDUs while bound; 30 000 by default, 0 for none. */
  enquireLinkIntervalMs?: number
  /**
   * Milliseconds without any PDU from the SMSC before the session is destroyed; 0 for never. By
   * default three enquire_link intervals (90 000 with the default interval, 0 without keep-alive).
   */
  inactivityTimeoutMs?: number
  /** First back-off after a throttled submit, in milliseconds; 1 000 by default. */
  throttleBackoffMs?: number
  /** Cap of the throttle back-off, in milliseconds; 30 000 by default. */
  maxThrottleBackoffMs?: number
  /** Throttled answers to one submit before it fails; 5 by default. */
  maxThrottleRetries?: number
  /** submit_sm PDUs a second on this bind, retries included; 0 (the default) for no limit. */
  maxSubmitsPerSecond?: number
  /** Milliseconds close() waits for the window to empty; 10 000 by default. */
  closeTimeoutMs?: number
  /** deliver_sm handlers running at once before reading pauses; 10 by default. */
  maxDeliversInFlight?: number
}

export type SessionSettings = Readonly<Required<SmscSessionOptions>>

/**
 * Validates the options and fills in the defaults, in a new frozen object.
 * @throws SmsgwError SMSGW_CONFIG naming every bad option.
 */
export function sessionSettings (options: SmscSessionOptions): SessionSettings {
  const enquireLinkIntervalMs = options.enquireLinkIntervalMs ?? DEFAULT_ENQUIRE_LINK_INTERVAL_MS
  const settings: Required<SmscSessionOptions> = {
    connect: options.connect,
    systemId: options.systemId,
    password: options.password,
    systemType: options.systemType ?? DEFAULT_SMPP_SYSTEM_TYPE,
    addressRange: options.addressRange ?? '',
    onDeliver: options.onDeliver,
    windowSize: options.windowSize ?? DEFAULT_SMPP_WINDOW_SIZE,
    responseTimeoutMs: options.responseTimeoutMs ?? DEFAULT_SMPP_RESPONSE_TIMEOUT_MS,
    enquireLinkIntervalMs,
    inactivityTimeoutMs: options.inactivityTimeoutMs ?? enquireLinkIntervalMs * DEFAULT_INACTIVITY_ENQUIRE_LINK_ROUNDS,
    throttleBackoffMs: options.throttleBackoffMs ?? DEFAULT_THROTTLE_BACKOFF_MS,
    maxThrottleBackoffMs: options.maxThrottleBackoffMs ?? DEFAULT_MAX_THROTTLE_BACKOFF_MS,
    maxThrottleRetries: options.maxThrottleRetries ?? DEFAULT_MAX_THROTTLE_RETRIES,
    maxSubmitsPerSecond: options.maxSubmitsPerSecond ?? DEFAULT_SMPP_MAX_SUBMITS_PER_SECOND,
    closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
    maxDeliversInFlight: options.maxDeliversInFlight ?? DEFAULT_MAX_DELIVERS_IN_FLIGHT
  }
  const problems: string[] = []
  if (typeof settings.connect !== 'function') problems.push('connect: must be a function')
  if (typeof settings.onDeliver !== 'function') problems.push('onDeliver: must be a function')
  for (const name of ['windowSize', 'responseTimeoutMs', 'throttleBackoffMs', 'maxThrottleBackoffMs', 'closeTimeoutMs', 'maxDeliversInFlight'] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 1) problems.push(`${name}: must be a positive integer, got ${settings[name]}`)
  }
  for (const name of ['enquireLinkIntervalMs', 'inactivityTimeoutMs', 'maxThrottleRetries'] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 0) problems.push(`${name}: must be 0 or a positive integer, got ${settings[name]}`)
  }
  if (!Number.isFinite(settings.maxSubmitsPerSecond) || settings.maxSubmitsPerSecond < 0) {
    problems.push(`maxSubmitsPerSecond: must be 0 or a positive number, got ${settings.maxSubmitsPerSecond}`)
  }
  // A link that is idle but alive answers enquire_link; the inactivity timeout must leave room for that.
  if (settings.inactivityTimeoutMs > 0 && settings.enquireLinkIntervalMs > 0 && settings.inactivityTimeoutMs <= settings.enquireLinkIntervalMs) {
    problems.push(`inactivityTimeoutMs (${settings.inactivityTimeoutMs}) must be longer than enquireLinkIntervalMs (${settings.enquireLinkIntervalMs})`)
  }
  if (settings.inactivityTimeoutMs > 0 && settings.enquireLinkIntervalMs === 0) {
    problems.push('inactivityTimeoutMs needs enquireLinkIntervalMs: without keep-alives an idle SMSC looks dead')
  }
  try {
    encodePdu(createPdu('bind_transceiver', 1, bindBody(settings)))
  } catch (error) {
    problems.push(`bind: ${(error as Error).message}`)
  }
  if (problems.length > 0) throw new SmsgwError(errorCodes.config, `invalid SMPP session options:\n${problems.join('\n')}`)
  return Object.freeze(settings)
}

/** The body of our bind_transceiver (§4.1.5): SMPP 3.4, no address TON or NPI. */
export function bindBody (settings: SessionSettings): BindBody {
  return {
    systemId: settings.systemId,
    password: settings.password,
    systemType: settings.systemType,
    interfaceVersion: SMPP_VERSION_3_4,
    addrTon: 0,
    addrNpi: 0,
    addressRange: settings.addressRange
  }
}
