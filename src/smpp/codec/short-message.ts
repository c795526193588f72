import { commandStatus, MAX_SHORT_MESSAGE_BYTES } from './constants.ts'
import { malformedPdu, unencodable } from './codec-error.ts'
import { decodeAddressed, encodeAddressed, type AddressFields } from './addressed.ts'
import { fields } from './fields.ts'
import type { PduReader } from './pdu-reader.ts'
import type { PduWriter } from './pdu-writer.ts'
import type { MessageIdBody, ShortMessageBody } from './pdu.ts'
import { decodeTlvs, encodeTlvs } from './tlv.ts'

/** The address fields of submit_sm and deliver_sm: 21 octets at most. */
const addresses: AddressFields = { source: fields.sourceAddr, destination: fields.destinationAddr }

// submit_sm (§4.4.1) and deliver_sm (§4.6.1):
//   service_type             C-Octet String  Var. max 6
//   source_addr_ton          Integer         1
//   source_addr_npi          Integer         1
//   source_addr              C-Octet String  Var. max 21
//   dest_addr_ton            Integer         1
//   dest_addr_npi            Integer         1
//   destination_addr         C-Octet String  Var. max 21
//   esm_class                Integer         1
//   protocol_id              Integer         1
//   priority_flag            Integer         1
//   schedule_delivery_time   C-Octet String  Fixed 1 or 17
//   validity_period          C-Octet String  Fixed 1 or 17
//   registered_delivery      Integer         1
//   replace_if_present_flag  Integer         1
//   data_coding              Integer         1
//   sm_default_msg_id        Integer         1
//   sm_length                Integer         1      0 to 254
//   short_message            Octet String    sm_length octets
//   TLVs                     optional (§4.4.1: user_message_reference, sar_*, message_payload, …)
export function encodeShortMessage (writer: PduWriter, body: ShortMessageBody): void {
  encodeAddressed(writer, body, addresses)
  writer.writeUint8(body.esmClass, fields.esmClass)
  writer.writeUint8(body.protocolId, fields.protocolId)
  writer.writeUint8(body.priorityFlag, fields.priorityFlag)
  writer.writeCString(body.scheduleDeliveryTime, fields.scheduleDeliveryTime)
  writer.writeCString(body.validityPeriod, fields.validityPeriod)
  writer.writeUint8(body.registeredDelivery, fields.registeredDelivery)
  writer.writeUint8(body.replaceIfPresentFlag, fields.replaceIfPresentFlag)
  writer.writeUint8(body.dataCoding, fields.dataCoding)
  writer.writeUint8(body.smDefaultMsgId, fields.smDefaultMsgId)
  if (body.shortMessage.length > MAX_SHORT_MESSAGE_BYTES) {
    throw unencodable(fields.shortMessage.name, fields.shortMessage.status,
      `${body.shortMessage.length} octets, over the maximum of ${MAX_SHORT_MESSAGE_BYTES}; use message_payload`)
  }
  writer.writeUint8(body.shortMessage.length, fields.smLength)
  writer.writeOctets(body.shortMessage)
  encodeTlvs(writer, body.tlvs)
}

export function decodeShortMessage (reader: PduReader): ShortMessageBody {
  const head = {
    ...decodeAddressed(reader, addresses),
    esmClass: reader.readUint8(fields.esmClass),
    protocolId: reader.readUint8(fields.protocolId),
    priorityFlag: reader.readUint8(fields.priorityFlag),
    scheduleDeliveryTime: reader.readCString(fields.scheduleDeliveryTime),
    validityPeriod: reader.readCString(fields.validityPeriod),
    registeredDelivery: reader.readUint8(fields.registeredDelivery),
    replaceIfPresentFlag: reader.readUint8(fields.replaceIfPresentFlag),
    dataCoding: reader.readUint8(fields.dataCoding),
    smDefaultMsgId: reader.readUint8(fields.smDefaultMsgId)
  }
  const smLength = reader.readUint8(fields.smLength)
  if (smLength > MAX_SHORT_MESSAGE_BYTES) {
    throw malformedPdu(fields.smLength.name, commandStatus.ESME_RINVMSGLEN, `${smLength}, over the maximum of ${MAX_SHORT_MESSAGE_BYTES}`)
  }
  return { ...head, shortMessage: reader.readOctets(smLength, fields.shortMessage), tlvs: decodeTlvs(reader) }
}

// submit_sm_resp (§4.4.2), deliver_sm_resp (§4.6.2) and data_sm_resp (§4.7.2):
//   message_id  C-Octet String  Var. max 65   (deliver_sm_resp: unused, NULL)
//   TLVs        data_sm_resp: delivery_failure_reason, network_error_code, …; the others
//               have none in 3.4 but may carry SMPP 5.0 ones, which we keep
// The body is left out when command_status is not ESME_ROK (see encodePdu).
export function encodeMessageIdResp (writer: PduWriter, body: MessageIdBody): void {
  writer.writeCString(body.messageId, fields.messageId)
  encodeTlvs(writer, body.tlvs)
}

export function decodeMessageIdResp (reader: PduReader): MessageIdBody {
  return {
    messageId: reader.readCString(fields.messageId),
    tlvs: decodeTlvs(reader)
  }
}
