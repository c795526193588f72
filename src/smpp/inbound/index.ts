export { decodeInboundSms, encodeInboundSms } from './inbound-sms.ts'
export type { InboundSms } from './inbound-sms.ts'
export { addressOf, concatSchemes, isReceipt, moPartOf } from './mo-part.ts'
export type { ConcatScheme, MoConcat, MoPart } from './mo-part.ts'
export {
  DEFAULT_MAX_PENDING, DEFAULT_MAX_PENDING_BYTES, MoReassembler
} from './reassembler.ts'
export type { MoReassemblerOptions, ReassemblerTimers } from './reassembler.ts'
