export { encodeReceiptBody, formatReceiptDate, formatReceiptText, RECEIPT_TEXT_CHARACTERS } from './delivery-receipt.ts'
export type { ReceiptContent } from './delivery-receipt.ts'
export { mergeFaults, noFaults } from './faults.ts'
export type { SmscFaults } from './faults.ts'
export {
  allowedMessageIdFormats, DEFAULT_ZERO_PADDED_WIDTH, formatMessageId, messageIdFormats
} from './message-id-format.ts'
export type { MessageIdFormat } from './message-id-format.ts'
export { concatenations, encodeMoBodies } from './mobile-originated.ts'
export type { Concatenation, MobileOriginated } from './mobile-originated.ts'
export { startMoControl } from './mo-control.ts'
export type { MoControl } from './mo-control.ts'
export { MAX_QUEUED_RECEIPTS } from './receipt-desk.ts'
export type { ReceiptEvent } from './receipt-desk.ts'
export {
  chooseReceipt, compileReceiptRules, DEFAULT_RECEIPT_DELAY_MS, DEFAULT_RECEIPT_ERR, parseReceiptRules
} from './receipt-rules.ts'
export type { ReceiptPlan, ReceiptRule, ReceiptRules } from './receipt-rules.ts'
export {
  DEFAULT_ACCOUNT, DEFAULT_DELIVER_TIMEOUT_MS, DEFAULT_RETAINED_SUBMITS, DEFAULT_SIMULATOR_HOST,
  DEFAULT_SMSC_SYSTEM_ID, DEFAULT_UNBIND_TIMEOUT_MS, parseAccounts
} from './simulator-options.ts'
export type { SmscAccount, SmscSimulatorOptions } from './simulator-options.ts'
export { bindTypes, sessionStates } from './simulator-session.ts'
export type { BindType, SessionState } from './simulator-session.ts'
export { SmscSimulator } from './smsc-simulator.ts'
export type {
  BindEvent, DisconnectEvent, MoDelivery, MoInjection, SmscSimulatorEvents, SubmitRefusedEvent, UnbindEvent
} from './smsc-simulator.ts'
export type { SubmittedMessage } from './submitted-message.ts'
export { logSimulatorEvents, maskAddress } from './simulator-log.ts'
