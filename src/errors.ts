/**
 * The one error class of smsgw. Callers branch on `code` (a closed list) and `retryable`,
 * never on the message text. Messages and fields never hold a decrypted recipient or body.
 */
export const errorCodes = {
  badBase64: 'SMSGW_BAD_BASE64',
  badMagic: 'SMSGW_BAD_MAGIC',
  truncated: 'SMSGW_TRUNCATED',
  wrongKey: 'SMSGW_WRONG_KEY',
  badPadding: 'SMSGW_BAD_PADDING',
  tampered: 'SMSGW_TAMPERED',
  unknownKey: 'SMSGW_UNKNOWN_KEY',
  unsupportedKey: 'SMSGW_UNSUPPORTED_KEY',
  vaultUnreadable: 'SMSGW_VAULT_UNREADABLE',
  vaultPassword: 'SMSGW_VAULT_PASSWORD',
  vaultUnwritable: 'SMSGW_VAULT_UNWRITABLE',
  vaultEntryExists: 'SMSGW_VAULT_ENTRY_EXISTS',
  vaultEntryMissing: 'SMSGW_VAULT_ENTRY_MISSING',
  vaultUnsupported: 'SMSGW_VAULT_UNSUPPORTED',
  badAsn1: 'SMSGW_BAD_ASN1',
  badPublicKey: 'SMSGW_BAD_PUBLIC_KEY',
  badSmsText: 'SMSGW_BAD_SMS_TEXT',
  usage: 'SMSGW_USAGE',
  timeout: 'SMSGW_TIMEOUT',
  config: 'SMSGW_CONFIG',
  tooManyParts: 'SMSGW_TOO_MANY_PARTS',
  unencodableText: 'SMSGW_UNENCODABLE_TEXT',
  smppFraming: 'SMSGW_SMPP_FRAMING',
  smppMalformed: 'SMSGW_SMPP_MALFORMED',
  smppEncoding: 'SMSGW_SMPP_ENCODING',
  smppBind: 'SMSGW_SMPP_BIND',
  smppSubmit: 'SMSGW_SMPP_SUBMIT',
  smppResponseTimeout: 'SMSGW_SMPP_RESPONSE_TIMEOUT',
  smppConnection: 'SMSGW_SMPP_CONNECTION',
  smppInactivity: 'SMSGW_SMPP_INACTIVITY',
  smppPeerUnbind: 'SMSGW_SMPP_PEER_UNBIND',
  smppNotBound: 'SMSGW_SMPP_NOT_BOUND',
  smppClosed: 'SMSGW_SMPP_CLOSED',
  smscSimDelivery: 'SMSGW_SMSC_SIM_DELIVERY',
  inboundRefused: 'SMSGW_INBOUND_REFUSED',
  webhookDestination: 'SMSGW_WEBHOOK_DESTINATION',
  relayMalformed: 'SMSGW_RELAY_MALFORMED',
  ratchetAuth: 'SMSGW_RATCHET_AUTH',
  ratchetReplay: 'SMSGW_RATCHET_REPLAY',
  ratchetSkipLimit: 'SMSGW_RATCHET_SKIP_LIMIT',
  ratchetState: 'SMSGW_RATCHET_STATE',
  relayInvalidInput: 'SMSGW_RELAY_INVALID_INPUT',
  relayTokenInvalid: 'SMSGW_RELAY_TOKEN_INVALID',
  relayKeyFile: 'SMSGW_RELAY_KEY_FILE',
  ledgerFenced: 'SMSGW_LEDGER_FENCED',
  relaySealed: 'SMSGW_RELAY_SEALED',
  relayAccountMissing: 'SMSGW_RELAY_ACCOUNT_MISSING',
  relayBusy: 'SMSGW_RELAY_BUSY',
  relayGatewayClient: 'SMSGW_RELAY_GATEWAY_CLIENT',
  smppDeadline: 'SMSGW_SMPP_DEADLINE',
  listen: 'SMSGW_LISTEN',
  kafkaUnreachable: 'SMSGW_KAFKA_UNREACHABLE',
  storeUnavailable: 'SMSGW_STORE_UNAVAILABLE',
  storeSchemaNewer: 'SMSGW_STORE_SCHEMA_NEWER',
  storeClosed: 'SMSGW_STORE_CLOSED',
  storeLeaseLost: 'SMSGW_STORE_LEASE_LOST',
  relayAppState: 'SMSGW_RELAY_APP_STATE',
  relayAppCall: 'SMSGW_RELAY_APP_CALL'
} as const

export type ErrorCode = typeof errorCodes[keyof typeof errorCodes]
export const allowedErrorCodes: readonly ErrorCode[] = Object.values(errorCodes)

export interface SmsgwErrorOptions {
  cause?: unknown
  /** Whether trying the same operation again may succeed. */
  retryable?: boolean
}

export class SmsgwError extends Error {
  readonly code: ErrorCode
  readonly retryable: boolean

  constructor (code: ErrorCode, message: string, options: SmsgwErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'SmsgwError'
    this.code = code
    this.retryable = options.retryable ?? false
  }
}

/** True when `value` is an SmsgwError with the given code (or any code when none is given). */
export function isSmsgwError (value: unknown, code?: ErrorCode): value is SmsgwError {
  return value instanceof SmsgwError && (code === undefined || value.code === code)
}
