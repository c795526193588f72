import { fields, type CStringField } from './fields.ts'
import type { PduReader } from './pdu-reader.ts'
import type { PduWriter } from './pdu-writer.ts'
import type { AddressedBody } from './pdu.ts'

// The fields submit_sm, deliver_sm (§4.4.1, §4.6.1) and data_sm (§4.7.1) begin with, in this
// order: service_type, source_addr_ton, source_addr_npi, source_addr, dest_addr_ton,
// dest_addr_npi, destination_addr. The PDUs differ only in how long an address may be (21
// octets, data_sm 65), so each gives its two address fields.

export interface AddressFields {
  readonly source: CStringField
  readonly destination: CStringField
}

export function encodeAddressed (writer: PduWriter, body: AddressedBody, addresses: AddressFields): void {
  writer.writeCString(body.serviceType, fields.serviceType)
  writer.writeUint8(body.sourceAddrTon, fields.sourceAddrTon)
  writer.writeUint8(body.sourceAddrNpi, fields.sourceAddrNpi)
  writer.writeCString(body.sourceAddr, addresses.source)
  writer.writeUint8(body.destAddrTon, fields.destAddrTon)
  writer.writeUint8(body.destAddrNpi, fields.destAddrNpi)
  writer.writeCString(body.destinationAddr, addresses.destination)
}

export function decodeAddressed (reader: PduReader, addresses: AddressFields): AddressedBody {
  return {
    serviceType: reader.readCString(fields.serviceType),
    sourceAddrTon: reader.readUint8(fields.sourceAddrTon),
    sourceAddrNpi: reader.readUint8(fields.sourceAddrNpi),
    sourceAddr: reader.readCString(addresses.source),
    destAddrTon: reader.readUint8(fields.destAddrTon),
    destAddrNpi: reader.readUint8(fields.destAddrNpi),
    destinationAddr: reader.readCString(addresses.destination)
  }
}
