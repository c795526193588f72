import { DEFAULT_SMPP_PORT } from '../../config/defaults.ts'
import { errorCodes, SmsgwError } from '../../errors.ts'
import { mergeFaults, noFaults } from './faults.ts'
import type { SmscFaults } from './faults.ts'
import { allowedMessageIdFormats, DEFAULT_ZERO_PADDED_WIDTH, messageIdFormats } from './message-id-format.ts'
import type { MessageIdFormat } from './message-id-format.ts'
import { compileReceiptRules, DEFAULT_RECEIPT_DELAY_MS } from './receipt-rules.ts'
import type { ReceiptRule, ReceiptRules } from './receipt-rules.ts'

export const DEFAULT_SIMULATOR_HOST = '127.0.0.1'
/** The system_id the simulator gives in its bind responses. */
export const DEFAULT_SMSC_SYSTEM_ID = 'smsc-sim'
export const DEFAULT_ACCOUNT: SmscAccount = Object.freeze({ systemId: 'smsgw', password: 'secret' })
/** How long a deliver_sm (receipt or MO) waits for deliver_sm_resp. */
export const DEFAULT_DELIVER_TIMEOUT_MS = 10_000
/** How long `close()` waits for unbind_resp before it closes a connection anyway. */
export const DEFAULT_UNBIND_TIMEOUT_MS = 1000
/** Submit records kept in `submitted`; older ones are dropped, so a long run stays flat in memory. */
export const DEFAULT_RETAINED_SUBMITS = 10_000

/** An ESME account: the system_id and password a bind must present. */
export interface SmscAccount {
  readonly systemId: string
  readonly password: string
  /** The most sessions bound with this system_id at once; more binds get ESME_RBINDFAIL. Absent: no limit. */
  readonly maxBinds?: number
}

export interface SmscSimulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string
  /** Default 2775; 0 picks a free port (read it from `address`). */
  readonly port?: number
  /** Default one account, smsgw / secret. */
  readonly accounts?: readonly SmscAccount[]
  /** The system_id in bind responses; default `smsc-sim`. */
  readonly systemId?: string
  /** How submit_sm_resp writes message ids; default `decimal`. */
  readonly idFormat?: MessageIdFormat
  /** How receipts write message ids (`id:` and receipted_message_id); default the same as `idFormat`. */
  readonly receiptIdFormat?: MessageIdFormat
  /** Digits of `zero-padded` ids; default 10. */
  readonly idWidth?: number
  /** The first message id's number; default 1. */
  readonly firstMessageId?: number
  /** The receipt delay when no rule gives one, in milliseconds; default 100. */
  readonly receiptDelayMs?: number
  /** The receipt table, first match wins; default none (every receipt DELIVRD). */
  readonly rules?: readonly ReceiptRule[]
  /** Faults on from the start; default none. */
  readonly faults?: Partial<SmscFaults>
  /** How long a deliver_sm waits for its response, in milliseconds; default 10 000. */
  readonly deliverTimeoutMs?: number
  /** How long `close()` waits for each unbind_resp, in milliseconds; default 1000. */
  readonly unbindTimeoutMs?: number
  /** How many submit records `submitted` keeps, newest last; default 10 000. */
  readonly retainSubmitted?: number
  /**
   * After a bind, also send again the receipts this system_id acknowledged in the last this
   * many milliseconds, as an SMSC that lost the deliver_sm_resp does; default 0 (only those
   * never acknowledged).
   */
  readonly resendAnsweredReceiptsMs?: number
  /** For the `percent` of receipt rules: a number in [0, 1); default Math.random. */
  readonly random?: () => number
}

/** The options with every default filled in, checked. */
export interface SimulatorSettings {
  readonly host: string
  readonly port: number
  readonly accounts: readonly SmscAccount[]
  readonly systemId: string
  readonly idFormat: MessageIdFormat
  readonly receiptIdFormat: MessageIdFormat
  readonly idWidth: number
  readonly firstMessageId: number
  readonly receiptDelayMs: number
  readonly rules: ReceiptRules
  readonly faults: SmscFaults
  readonly deliverTimeoutMs: number
  readonly unbindTimeoutMs: number
  readonly retainSubmitted: number
  readonly resendAnsweredReceiptsMs: number
  readonly random: () => number
}

/**
 * Fills in the defaults and checks every option, without changing `options`.
 * @throws SmsgwError SMSGW_CONFIG naming the first option that is wrong.
 */
export function settingsOf (options: SmscSimulatorOptions): SimulatorSettings {
  const idFormat = checkIdFormat('idFormat', options.idFormat ?? messageIdFormats.decimal)
  const accounts = checkAccounts(options.accounts ?? [DEFAULT_ACCOUNT], 'accounts')
  return {
    host: options.host ?? DEFAULT_SIMULATOR_HOST,
    port: checkWhole('port', options.port ?? DEFAULT_SMPP_PORT, 0, 65535),
    accounts,
    systemId: options.systemId ?? DEFAULT_SMSC_SYSTEM_ID,
    idFormat,
    receiptIdFormat: checkIdFormat('receiptIdFormat', options.receiptIdFormat ?? idFormat),
    idWidth: checkWhole('idWidth', options.idWidth ?? DEFAULT_ZERO_PADDED_WIDTH, 1, 64),
    firstMessageId: checkWhole('firstMessageId', options.firstMessageId ?? 1, 0, Number.MAX_SAFE_INTEGER),
    receiptDelayMs: checkWhole('receiptDelayMs', options.receiptDelayMs ?? DEFAULT_RECEIPT_DELAY_MS, 0, Number.MAX_SAFE_INTEGER),
    rules: compileReceiptRules(options.rules ?? []),
    faults: mergeFaults(noFaults, options.faults ?? {}),
    deliverTimeoutMs: checkWhole('deliverTimeoutMs', options.deliverTimeoutMs ?? DEFAULT_DELIVER_TIMEOUT_MS, 1, Number.MAX_SAFE_INTEGER),
    unbindTimeoutMs: checkWhole('unbindTimeoutMs', options.unbindTimeoutMs ?? DEFAULT_UNBIND_TIMEOUT_MS, 0, Number.MAX_SAFE_INTEGER),
    retainSubmitted: checkWhole('retainSubmitted', options.retainSubmitted ?? DEFAULT_RETAINED_SUBMITS, 0, Number.MAX_SAFE_INTEGER),
    resendAnsweredReceiptsMs: checkWhole('resendAnsweredReceiptsMs', options.resendAnsweredReceiptsMs ?? 0, 0, Number.MAX_SAFE_INTEGER),
    random: options.random ?? Math.random
  }
}

/**
 * The accounts of an accounts file: a JSON array of `{ "systemId", "password", "maxBinds"? }`.
 * @throws SmsgwError SMSGW_CONFIG naming the first account and field that is wrong.
 */
export function parseAccounts (json: unknown): SmscAccount[] {
  if (!Array.isArray(json)) throw invalid('accounts', 'must be a JSON array of { systemId, password }')
  return checkAccounts(json as SmscAccount[], 'accounts')
}

// system_id and password are C-Octet Strings of at most 16 and 9 octets with their NULL (§4.1.1).
const MAX_SYSTEM_ID_CHARACTERS = 15
const MAX_PASSWORD_CHARACTERS = 8
const accountKeys = ['systemId', 'password', 'maxBinds']

function checkAccounts (accounts: readonly SmscAccount[], path: string): SmscAccount[] {
  if (!Array.isArray(accounts) || accounts.length === 0) throw invalid(path, 'must list at least one account')
  return accounts.map((account: unknown, index) => {
    const at = `${path}[${index}]`
    if (typeof account !== 'object' || account === null) throw invalid(at, 'must be an object')
    const entry = account as Record<string, unknown>
    const unknownKey = Object.keys(entry).find(key => !accountKeys.includes(key))
    if (unknownKey !== undefined) throw invalid(`${at}.${unknownKey}`, `is not an account field; use ${accountKeys.join(', ')}`)
    const { systemId, password, maxBinds } = entry
    if (typeof systemId !== 'string' || systemId === '' || systemId.length > MAX_SYSTEM_ID_CHARACTERS) {
      throw invalid(`${at}.systemId`, `must be 1 to ${MAX_SYSTEM_ID_CHARACTERS} characters`)
    }
    if (typeof password !== 'string' || password.length > MAX_PASSWORD_CHARACTERS) {
      throw invalid(`${at}.password`, `must be at most ${MAX_PASSWORD_CHARACTERS} characters`)
    }
    if (maxBinds === undefined) return { systemId, password }
    return { systemId, password, maxBinds: checkWhole(`${at}.maxBinds`, maxBinds, 1, Number.MAX_SAFE_INTEGER) }
  })
}

function checkIdFormat (name: string, value: string): MessageIdFormat {
  if (!(allowedMessageIdFormats as readonly string[]).includes(value)) {
    throw invalid(name, `must be one of ${allowedMessageIdFormats.join(', ')}`)
  }
  return value as MessageIdFormat
}

function checkWhole (name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(name, `must be a whole number from ${min} to ${max}`)
  }
  return value
}

function invalid (name: string, reason: string): SmsgwError {
  return new SmsgwError(errorCodes.config, `SMSC simulator option ${name} ${reason}`)
}
