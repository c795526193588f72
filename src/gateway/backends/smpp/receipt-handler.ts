import { channel } from 'node:diagnostics_channel'
import type { Logger } from '../../../log/logger.ts'
import type { Awaitable } from '../../awaitable.ts'
import { findTlv, type PduOf } from '../../../smpp/codec/index.ts'
import { normaliseMessageId, parseReceiptText, receiptStatus, statOfMessageState, type MessageIdStyle } from '../../../smpp/receipts/index.ts'
import type { CorrelationRecord } from './correlation-record.ts'
import { isFinalStatus, type StatusEvent } from '../../status/status-event.ts'

/** The correlation table as the receipt handler needs it. */
export interface CorrelationLookup {
  /** The record of a message id given by the SMSC connection `connection`. */
  get: (recallId: string, connection: string) => Awaitable<CorrelationRecord | undefined>
  /** Resolves with the record once it appears, or undefined after `timeoutMs`. */
  waitFor: (recallId: string, timeoutMs: number, connection: string) => Promise<CorrelationRecord | undefined>
  remove: (recallId: string, connection: string) => Promise<void>
}

export interface ReceiptHandlerOptions {
  correlations: CorrelationLookup
  report: (event: StatusEvent) => Promise<void>
  log: Logger
  /** How long a receipt waits for its request's record: the race with the submit response. */
  raceWaitMs: number
  now?: () => Date
}

export const DEFAULT_RECEIPT_RACE_WAIT_MS = 5_000

// One message per receipt (STYLE: diagnostics_channel; the metrics subscribe): ids only.
const receiptChannel = channel('smsgw:smpp:receipt')
const finalChannel = channel('smsgw:gateway:final')

/** What became of one receipt, for counting. */
export type ReceiptOutcome = 'reported' | 'unmatched' | 'not-a-receipt'

/**
 * Handles a delivery receipt (spec §7): reads the id and state from the text or the TLVs,
 * normalises the id the way this SMSC writes it, finds the request (waiting a little for a
 * receipt that overtook its submit response), reports the mapped status, and forgets the
 * request once the state is final. Resolves when the status is durable, so the session
 * acknowledges the receipt only then. The receipt's `text:` field is plaintext: never logged.
 */
export function createReceiptHandler (options: ReceiptHandlerOptions): (pdu: PduOf<'deliver_sm'>, connection: string, receiptIds: MessageIdStyle) => Promise<ReceiptOutcome> {
  const { correlations, report, log } = options
  const now = options.now ?? (() => new Date())
  return async (pdu, connection, receiptIds) => {
    const fields = parseReceiptText(pdu.body.shortMessage.toString('latin1'))
    const tlvId = findTlv(pdu.body.tlvs, 'receipted_message_id')
    const tlvState = findTlv(pdu.body.tlvs, 'message_state')
    const rawId = tlvId ?? fields?.id
    if (rawId === undefined) return 'not-a-receipt'
    const stat = fields?.stat ?? (tlvState === undefined ? undefined : statOfMessageState(tlvState))
    if (receiptChannel.hasSubscribers) receiptChannel.publish({ connection, state: stat ?? 'UNKNOWN' })
    const recallId = normaliseMessageId(rawId, receiptIds)
    const record = await correlations.get(recallId, connection) ?? await correlations.waitFor(recallId, options.raceWaitMs, connection)
    if (record === undefined) {
      log.info({ connection, recallId }, 'receipt for no known request (an earlier part, or another gateway); acknowledged')
      return 'unmatched'
    }
    const mapped = receiptStatus(stat, fields?.err)
    await report({ clientId: record.clientId, correlId: record.correlId, timestamp: now(), status: mapped.status, recallId, ...(mapped.errorText === undefined ? {} : { errorText: mapped.errorText }) })
    if (isFinalStatus(mapped.status)) {
      if (record.takenInAtMs !== undefined && finalChannel.hasSubscribers) finalChannel.publish({ seconds: (Date.now() - record.takenInAtMs) / 1000 })
      await correlations.remove(recallId, connection)
    }
    return 'reported'
  }
}
