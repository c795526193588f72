import { channel } from 'node:diagnostics_channel'
import type { Logger } from '../../../log/logger.ts'
import type { Awaitable } from '../../../async/awaitable.ts'
import { findTlv, type PduOf } from '../../../smpp/codec/index.ts'
import { normaliseMessageId, parseReceiptText, receiptStatus, statOfMessageState, type MessageIdStyle } from '../../../smpp/receipts/index.ts'
import type { CorrelationRecord } from '../../../domain/correlation-record.ts'
import { isFinalStatus, smsStatuses, type StatusEvent } from '../../../domain/status-event.ts'
import { DUPLICATE_STATUS } from '../../status/status-sink.ts'
import type { CorrelationWriter } from './smpp-backend.ts'

/** The correlation table as the receipt handler needs it. */
export interface CorrelationLookup {
  /** The record of a message id given by the SMSC connection `connection`. */
  get: (recallId: string, connection: string) => Awaitable<CorrelationRecord | undefined>
  /** Resolves with the record once it appears, or undefined after `timeoutMs`. */
  waitFor: (recallId: string, timeoutMs: number, connection: string) => Promise<CorrelationRecord | undefined>
  remove: (recallId: string, connection: string) => Promise<void>
  /**
   * Resolves true once the SENT of `record` (which has pendingSent) is known to be out, or
   * false when it is not after `timeoutMs` (its submitter may have died before reporting it).
   * Where the status store keeps each status once, it may answer at once (a SENT reported again
   * is dropped there); absent, the handler always reports the SENT.
   */
  sentOut?: (record: CorrelationRecord, timeoutMs: number) => Promise<boolean>
}

export interface ReceiptHandlerOptions {
  correlations: CorrelationLookup & Pick<CorrelationWriter, 'confirmSent'>
  /** Resolves when the status is durable; DUPLICATE_STATUS when the sink held it already. */
  report: (event: StatusEvent) => Promise<void | typeof DUPLICATE_STATUS>
  log: Logger
  /** How long a receipt waits for its request's record: the race with the submit response. */
  raceWaitMs: number
  now?: () => Date
}

export const DEFAULT_RECEIPT_RACE_WAIT_MS = 5_000

// One message per receipt (STYLE: diagnostics_channel; the metrics subscribe): ids only.
const receiptChannel = channel('smsgw:smpp:receipt')
const finalChannel = channel('smsgw:gateway:final')

/** What became of one receipt, for counting. `duplicate`: its status was reported already (a re-sent receipt). */
export type ReceiptOutcome = 'reported' | 'duplicate' | 'unmatched' | 'not-a-receipt'

/**
 * Handles a delivery receipt (spec §7): reads the id and state from the text or the TLVs,
 * normalises the id the way this SMSC writes it, finds the request (waiting a little for a
 * receipt that overtook its submit response), reports the record's pending SENT unless it is
 * known to be out, reports the mapped status, and forgets the request once the state is final.
 * Resolves when the status is durable, so the session acknowledges the receipt only then. A
 * receipt re-sent after a crash finds its status held already (DUPLICATE_STATUS) and is
 * acknowledged without a second report (docs/delivery-guarantees.md, "Receipts across
 * crashes"). The receipt's `text:` field is plaintext: never logged.
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
    const { pendingSent } = record
    if (pendingSent !== undefined && await correlations.sentOut?.(record, options.raceWaitMs) !== true) {
      // Its submitter may have died after writing the record, before SENT was out: SENT comes
      // before anything the receipt reports (spec §4, ours).
      await report({ clientId: record.clientId, correlId: record.correlId, timestamp: new Date(pendingSent.atMs), status: smsStatuses.sent, recallId: pendingSent.recallId })
      await correlations.confirmSent?.(record)
    }
    const mapped = receiptStatus(stat, fields?.err)
    const reported = await report({ clientId: record.clientId, correlId: record.correlId, timestamp: now(), status: mapped.status, recallId, ...(mapped.errorText === undefined ? {} : { errorText: mapped.errorText }) })
    if (reported === DUPLICATE_STATUS) log.info({ connection, recallId, clientId: record.clientId, correlId: record.correlId }, 'receipt reported already (re-sent by the SMSC); acknowledged')
    if (isFinalStatus(mapped.status)) {
      if (reported !== DUPLICATE_STATUS && record.takenInAtMs !== undefined && finalChannel.hasSubscribers) finalChannel.publish({ seconds: (Date.now() - record.takenInAtMs) / 1000 })
      // After the status, so a crash between the two leaves the record to the re-sent receipt.
      await correlations.remove(recallId, connection)
    }
    return reported === DUPLICATE_STATUS ? 'duplicate' : 'reported'
  }
}
