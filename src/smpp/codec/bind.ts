import { fields } from './fields.ts'
import type { PduReader } from './pdu-reader.ts'
import type { PduWriter } from './pdu-writer.ts'
import type { BindBody, BindRespBody, OutbindBody } from './pdu.ts'
import { decodeTlvs, encodeTlvs } from './tlv.ts'

// bind_transmitter (§4.1.1), bind_receiver (§4.1.3) and bind_transceiver (§4.1.5):
//   system_id          C-Octet String  Var. max 16
//   password           C-Octet String  Var. max 9
//   system_type        C-Octet String  Var. max 13
//   interface_version  Integer         1
//   addr_ton           Integer         1
//   addr_npi           Integer         1
//   address_range      C-Octet String  Var. max 41
export function encodeBind (writer: PduWriter, body: BindBody): void {
  writer.writeCString(body.systemId, fields.systemId)
  writer.writeCString(body.password, fields.password)
  writer.writeCString(body.systemType, fields.systemType)
  writer.writeUint8(body.interfaceVersion, fields.interfaceVersion)
  writer.writeUint8(body.addrTon, fields.addrTon)
  writer.writeUint8(body.addrNpi, fields.addrNpi)
  writer.writeCString(body.addressRange, fields.addressRange)
}

export function decodeBind (reader: PduReader): BindBody {
  return {
    systemId: reader.readCString(fields.systemId),
    password: reader.readCString(fields.password),
    systemType: reader.readCString(fields.systemType),
    interfaceVersion: reader.readUint8(fields.interfaceVersion),
    addrTon: reader.readUint8(fields.addrTon),
    addrNpi: reader.readUint8(fields.addrNpi),
    addressRange: reader.readCString(fields.addressRange)
  }
}

// bind_transmitter_resp (§4.1.2), bind_receiver_resp (§4.1.4), bind_transceiver_resp (§4.1.6):
//   system_id             C-Octet String  Var. max 16
//   sc_interface_version  TLV             optional
// The body is left out when command_status is not ESME_ROK (see encodePdu).
export function encodeBindResp (writer: PduWriter, body: BindRespBody): void {
  writer.writeCString(body.systemId, fields.systemId)
  encodeTlvs(writer, body.tlvs)
}

export function decodeBindResp (reader: PduReader): BindRespBody {
  return {
    systemId: reader.readCString(fields.systemId),
    tlvs: decodeTlvs(reader)
  }
}

// outbind (§4.1.7.1):
//   system_id  C-Octet String  Var. max 16
//   password   C-Octet String  Var. max 9
export function encodeOutbind (writer: PduWriter, body: OutbindBody): void {
  writer.writeCString(body.systemId, fields.systemId)
  writer.writeCString(body.password, fields.password)
}

export function decodeOutbind (reader: PduReader): OutbindBody {
  return {
    systemId: reader.readCString(fields.systemId),
    password: reader.readCString(fields.password)
  }
}
