export {
  commandIds, commandName, commandStatus, commandStatusName,
  commandStatusTable, dataCodings, describeCommandStatus, esmClass, HEADER_BYTES, isResponseId, MAX_PDU_BYTES,
  MAX_SHORT_MESSAGE_BYTES, messageStates, MIN_PDU_BYTES, npis, registeredDelivery, responseOf, SMPP_VERSION_3_4,
  tlvDefinitions, tlvTags, tons
} from './constants.ts'
export type {
  AnsweredCommand, CommandName, CommandStatusName, MessageState, Npi, ResponseCommand, ResponseTo, TlvName, Ton
} from './constants.ts'
export { SmppCodecError } from './codec-error.ts'
export type { SmppCodecErrorOptions } from './codec-error.ts'
export { createPdu, shortMessageBody } from './pdu.ts'
export type {
  BindBody, BindRespBody, DataSmBody, EmptyBody, MessageIdBody, OutbindBody, Pdu, PduBodies, PduOf, ShortMessageBody,
  SupportedCommand
} from './pdu.ts'
export { findTlv } from './tlv.ts'
export type { KnownTlv, NetworkErrorCode, Tlv, TlvValue, UnknownTlv } from './tlv.ts'
export { decodePdu, encodePdu, failureResponse, isSupportedCommand } from './pdu-codec.ts'
export type { DecodedPdu, DecodeFailure, DecodeResult, ReplyCommand } from './pdu-codec.ts'
export { framePdus, PduFramer } from './framer.ts'
export type { PduFramerOptions } from './framer.ts'
