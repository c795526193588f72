export {
  correlationKey,
  decodeCorrelationRecord,
  encodeCorrelationRecord
} from './correlation-record.ts'
export type { CorrelationRecord, PendingSent } from './correlation-record.ts'
export { jsonFields } from './json-fields.ts'
export type { JsonFields } from './json-fields.ts'
export {
  applyLedgerRecord,
  decodeLedgerRecord,
  decodeLedgerSource,
  encodeLedgerRecord,
  encodeLedgerSource,
  isOutcomeOpen,
  isUnwrittenClaim,
  ledgerKey,
  ledgerStates,
  requestOfLedgerKey
} from './ledger-record.ts'
export type { LedgerEntry, LedgerRecord, LedgerSource, LedgerState } from './ledger-record.ts'
export { idProblem, MAX_CLIENT_ID_BYTES, MAX_CORREL_ID_BYTES } from './request-ids.ts'
export {
  allowedSmsStatuses,
  decodeStatusEvent,
  encodeStatusEvent,
  isFinalStatus,
  isSmsStatus,
  smsStatuses,
  statusKey
} from './status-event.ts'
export type { SmsStatus, StatusEvent } from './status-event.ts'
export { checkInboundRecord, MAX_INBOUND_NAME_BYTES, MAX_INBOUND_PARTS, MAX_INBOUND_SEALED_BYTES } from './stored-inbound.ts'
export type { InboundRecord, StoredInbound } from './stored-inbound.ts'
export { formatTimestamp, parseTimestamp, utcDate } from './timestamp.ts'
