import { tracingChannel } from 'node:diagnostics_channel'
import { errorCodes, isSmsgwError } from '../../../errors.ts'
import type { Logger } from '../../../log/logger.ts'
import { diagnosticsChannels } from '../../diagnostics-channels.ts'
import { normaliseMessageId } from '../../../smpp/receipts/index.ts'
import { SmppSubmitError } from '../../../smpp/session/index.ts'
import type { CorrelationRecord } from '../../../domain/correlation-record.ts'
import { isPastDeadline } from '../../stages/deadline.ts'
import { backendErrorTexts, validateForBackend, type SubmittableSms } from '../../stages/validate-for-backend.ts'
import { statusVerdict } from '../../stages/verdict.ts'
import { smsStatuses } from '../../../domain/status-event.ts'
import type { Backend, StatusReport } from '../backend.ts'
import { SMSC_BACKEND, SMSC_FAILURE_TEXT } from '../unconfigured-smsc.ts'
import { linksFor, type SmscLink } from './smsc-link.ts'
import { submitParts } from './submit-parts.ts'

// Tracing channel of submit_sm (STYLE: diagnostics_channel; the metrics subscribe): ids only.
const submitChannel = tracingChannel<string, Record<string, unknown>>(diagnosticsChannels.submit)

/** Where the backend records which request an SMSC message id belongs to (the `correl-id` topic). */
export interface CorrelationWriter {
  /** Stores `record` under its key, replacing what was there; resolves once durable. */
  put: (record: CorrelationRecord) => Promise<void>
  /**
   * Marks the SENT of `record` (as put, with pendingSent) as out: stores it without
   * pendingSent, so a receipt reaching any instance stops waiting for it. Absent where the
   * status store keeps each status once (the embedded store): there a receipt reports the
   * pending SENT itself, and the store drops the copy.
   */
  confirmSent?: (record: CorrelationRecord) => Promise<void>
}

export interface SmppBackendOptions {
  links: readonly SmscLink[]
  /** Requests handed over at once at most (Backend.handOvers): a little over the windows' sum. */
  handOvers?: number
  correlations: CorrelationWriter
  log: Logger
  now?: () => Date
}

/**
 * The SMPP backend (spec §7): picks the SMSC connection by recipient prefix (fail-over to the
 * next when one is down), submits the parts, and reports SENT with the last part's message id.
 * The correlation record is written before SENT, carrying it (pendingSent): a receipt finds
 * its request after any crash, and reports that SENT first unless it is known to be out, so
 * SENT precedes anything a receipt reports (spec §4, ours; docs/delivery-guarantees.md).
 */
export function smppBackend (options: SmppBackendOptions): Backend<SubmittableSms> {
  const { links, correlations, log } = options
  const now = options.now ?? (() => new Date())
  let referenceNumber = Math.floor(Math.random() * 256)

  return {
    name: SMSC_BACKEND,
    replayable: false,
    ...(options.handOvers === undefined ? {} : { handOvers: options.handOvers }),
    check: message => {
      const candidates = linksFor(message.to, links)
      const first = candidates[0]
      if (first === undefined) return statusVerdict(smsStatuses.invalid, backendErrorTexts.foreignRecipient(message.to))
      return validateForBackend(message, first.numberPattern === undefined ? { allowedPrefixes: [] } : { allowedPrefixes: [], numberPattern: first.numberPattern })
    },
    submit: async ({ clientId, correlId, deadline, message, takenInAtMs, markWriting }, report) => {
      // A request that waited for a window slot past its deadline is EXPIRED, not sent (spec §5).
      if (isPastDeadline(deadline, now())) return await report({ status: smsStatuses.expired })
      referenceNumber = (referenceNumber + 1) % 256
      const candidates = linksFor(message.to, links)
      for (const [index, link] of candidates.entries()) {
        let parts
        try {
          parts = submitParts(message, deadline, link, referenceNumber)
        } catch (error) {
          if (!isSmsgwError(error)) throw error
          return await report({ status: smsStatuses.invalid, errorText: error.message })
        }
        const messageIds: string[] = []
        // The ledger's `writing` mark, made once the first part has its window slot: from then
        // on the request may have left (spec §7), and a successor must not send it again.
        let markFailure: { readonly error: unknown } | undefined
        const beforeWrite = markWriting === undefined
          ? undefined
          : async (): Promise<void> => {
            try {
              await markWriting()
            } catch (error) {
              markFailure = { error }
              throw error
            }
          }
        try {
          for (const [partIndex, part] of parts.entries()) {
            const submitOptions = partIndex === 0 && beforeWrite !== undefined ? { beforeWrite, deadline } : { deadline }
            const submitted = await submitChannel.tracePromise(async () => await link.channel.submit(part, submitOptions), { operationId: `${clientId}/${correlId}`, connection: link.name })
            messageIds.push(submitted.messageId)
          }
        } catch (error) {
          if (markFailure !== undefined) throw markFailure.error
          // The session's error says whether the bytes may have left; any other (none is expected) counts as nothing written.
          const failure = error instanceof SmppSubmitError ? error : undefined
          if (failure?.code === errorCodes.smppDeadline) {
            // Not written: the deadline passed while the SMSC throttled or no session was bound.
            log.warn({ clientId, correlId, connection: link.name, partsAccepted: messageIds.length }, 'deadline passed before submit; expired')
            return await report(expiredReport(messageIds.length, parts.length))
          }
          if (failure?.outcomeUnknown === true) {
            // Spec §7: written but never answered; the PDU may have gone out, and an unknown
            // outcome gets no status. (An answer with an error status is a clear FAILED.)
            log.warn({ clientId, correlId, connection: link.name, partsAccepted: messageIds.length }, 'submit outcome unknown; no status')
            return
          }
          const nextLink = candidates[index + 1]
          if (messageIds.length === 0 && failure?.commandStatus === undefined && nextLink !== undefined) {
            log.warn({ clientId, correlId, connection: link.name, next: nextLink.name }, 'SMSC connection unavailable; failing over')
            continue
          }
          log.warn({ clientId, correlId, connection: link.name, commandStatus: failure?.commandStatus, partsAccepted: messageIds.length }, 'submit failed')
          return await report({ status: smsStatuses.failed, errorText: SMSC_FAILURE_TEXT })
        }
        const recallId = messageIds.at(-1) as string
        const record: CorrelationRecord = {
          recallId: normaliseMessageId(recallId, link.messageIds.resp),
          clientId,
          correlId,
          connection: link.name,
          ...(takenInAtMs === undefined ? {} : { takenInAtMs }),
          pendingSent: { recallId, atMs: now().getTime() }
        }
        // The record first: a crash between the two then leaves a receipt that finds its
        // request (and reports the SENT), never a SENT whose receipt finds nothing.
        const recorded = await correlations.put(record).then(() => true, (error: unknown) => {
          log.warn({ err: error, clientId, correlId, connection: link.name }, 'correlation record not stored; the receipt will find no request')
          return false
        })
        await report({ status: smsStatuses.sent, recallId })
        if (recorded) await correlations.confirmSent?.(record)
        return
      }
      return await report({ status: smsStatuses.failed, errorText: SMSC_FAILURE_TEXT })
    },
    close: async () => {}
  }
}

/**
 * EXPIRED for a request whose deadline passed before its next part could be written (spec §5:
 * "not sent"). Parts the SMSC took before that cannot be taken back; they carry the deadline as
 * validity period and no receipt request (only the last part has one), so no receipt follows.
 * The error text says how many went out: a handset may show a fragment, or nothing.
 */
function expiredReport (partsAccepted: number, parts: number): StatusReport {
  return partsAccepted === 0
    ? { status: smsStatuses.expired }
    : { status: smsStatuses.expired, errorText: `Expired after ${partsAccepted} of ${parts} parts were sent` }
}
