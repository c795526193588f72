import { decodeAddressed, encodeAddressed, type AddressFields } from './addressed.ts'
import { fields } from './fields.ts'
import type { PduReader } from './pdu-reader.ts'
import type { PduWriter } from './pdu-writer.ts'
import type { DataSmBody } from './pdu.ts'
import { decodeTlvs, encodeTlvs } from './tlv.ts'

/** The address fields of data_sm: 65 octets at most. */
const addresses: AddressFields = { source: fields.dataSmSourceAddr, destination: fields.dataSmDestinationAddr }

// data_sm (§4.7.1); data_sm_resp shares the message-id codec of short-message.ts:
//   service_type         C-Octet String  Var. max 6
//   source_addr_ton      Integer         1
//   source_addr_npi      Integer         1
//   source_addr          C-Octet String  Var. max 65
//   dest_addr_ton        Integer         1
//   dest_addr_npi        Integer         1
//   destination_addr     C-Octet String  Var. max 65
//   esm_class            Integer         1
//   registered_delivery  Integer         1
//   data_coding          Integer         1
//   TLVs                 optional (message_payload carries the message)
export function encodeDataSm (writer: PduWriter, body: DataSmBody): void {
  encodeAddressed(writer, body, addresses)
  writer.writeUint8(body.esmClass, fields.esmClass)
  writer.writeUint8(body.registeredDelivery, fields.registeredDelivery)
  writer.writeUint8(body.dataCoding, fields.dataCoding)
  encodeTlvs(writer, body.tlvs)
}

export function decodeDataSm (reader: PduReader): DataSmBody {
  return {
    ...decodeAddressed(reader, addresses),
    esmClass: reader.readUint8(fields.esmClass),
    registeredDelivery: reader.readUint8(fields.registeredDelivery),
    dataCoding: reader.readUint8(fields.dataCoding),
    tlvs: decodeTlvs(reader)
  }
}
