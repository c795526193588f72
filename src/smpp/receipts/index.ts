export { normaliseMessageId } from './message-id.ts'
export {
  allowedReceiptStats, messageStates, receiptStats, receiptStatus, statOfMessageState
} from './receipt-status.ts'
export type { MessageState, ReceiptStat, ReceiptStatus } from './receipt-status.ts'
export { parseReceiptDate, parseReceiptText, receiptDateToDate } from './receipt-text.ts'
export type { ReceiptDate, ReceiptFields } from './receipt-text.ts'
