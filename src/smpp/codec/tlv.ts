import { malformedPdu, unencodable } from './codec-error.ts'
import { commandStatus, tlvDefinitions } from './constants.ts'
import type { TlvName } from './constants.ts'
import type { PduReader } from './pdu-reader.ts'
import type { PduWriter } from './pdu-writer.ts'

/** network_error_code (§5.3.2.31): the network type (1 ANSI-136, 2 IS-95, 3 GSM, 4–8 others) and its error code. */
export interface NetworkErrorCode {
  readonly networkType: number
  readonly errorCode: number
}

interface TlvValueTypes {
  uint8: number
  uint16: number
  uint32: number
  cstring: string
  octets: Buffer
  networkErrorCode: NetworkErrorCode
}

export type TlvValue<N extends TlvName> = TlvValueTypes[typeof tlvDefinitions[N]['type']]

/** A TLV of §5.3.2, decoded by its type: `{ name: 'message_state', value: 2 }`. */
export type KnownTlv = { readonly [N in TlvName]: { readonly name: N, readonly value: TlvValue<N> } }[TlvName]

/** A TLV whose tag SMPP 3.4 does not define (vendor TLVs, SMPP 5.0 ones): kept as it came. */
export interface UnknownTlv {
  readonly tag: number
  readonly value: Buffer
}

export type Tlv = KnownTlv | UnknownTlv

const TLV_HEADER_BYTES = 4
const MAX_TLV_VALUE_BYTES = 0xffff
const fixedBytesByType = { uint8: 1, uint16: 2, uint32: 4, networkErrorCode: 3 } as const

const tlvNamesByTag: ReadonlyMap<number, TlvName> = new Map(
  (Object.keys(tlvDefinitions) as TlvName[]).map(name => [tlvDefinitions[name].tag, name])
)

/** The value of the first TLV called `name`, or undefined when there is none. */
export function findTlv<N extends TlvName> (tlvs: readonly Tlv[], name: N): TlvValue<N> | undefined {
  for (const tlv of tlvs) {
    if ('name' in tlv && tlv.name === name) return tlv.value as TlvValue<N>
  }
  return undefined
}

// TLV (§3.2.1.6, §5.3.1), repeated to the end of the body, in any order:
//   tag     Integer 2
//   length  Integer 2   octets in value
//   value   length octets, typed by the tag (§5.3.2)
// Order and repeats are kept as they came, so a decoded PDU encodes to the same octets.
export function encodeTlvs (writer: PduWriter, tlvs: readonly Tlv[]): void {
  for (const tlv of tlvs) {
    if ('name' in tlv) encodeKnownTlv(writer, tlv)
    else encodeRawTlv(writer, tlv.tag, `TLV 0x${hex4(tlv.tag)}`, tlv.value)
  }
}

export function decodeTlvs (reader: PduReader): Tlv[] {
  const tlvs: Tlv[] = []
  while (reader.remainingBytes > 0) {
    if (reader.remainingBytes < TLV_HEADER_BYTES) {
      throw malformedPdu('TLV', commandStatus.ESME_RINVOPTPARSTREAM, `${reader.remainingBytes} octets left, too few for a TLV header`)
    }
    const tag = reader.readUint16(tlvHeaderField)
    const name = tlvNamesByTag.get(tag)
    const label = name ?? `TLV 0x${hex4(tag)}`
    const value = reader.readOctets(reader.readUint16(tlvHeaderField), { name: label, status: commandStatus.ESME_RINVOPTPARSTREAM })
    tlvs.push(name === undefined ? { tag, value } : decodeKnownValue(name, value))
  }
  return tlvs
}

const tlvHeaderField = { name: 'TLV', status: commandStatus.ESME_RINVOPTPARSTREAM }

function decodeKnownValue (name: TlvName, value: Buffer): KnownTlv {
  const definition = tlvDefinitions[name]
  const type = definition.type
  if (type === 'octets') return { name, value } as KnownTlv
  if (type === 'cstring') return { name, value: decodeCStringValue(name, definition.maxBytes, value) } as KnownTlv
  const fixedBytes = fixedBytesByType[type]
  if (value.length !== fixedBytes) {
    throw malformedPdu(name, commandStatus.ESME_RINVPARLEN, `${value.length} octets, but must be ${fixedBytes}`)
  }
  switch (type) {
    case 'uint8': return { name, value: value.readUInt8(0) } as KnownTlv
    case 'uint16': return { name, value: value.readUInt16BE(0) } as KnownTlv
    case 'uint32': return { name, value: value.readUInt32BE(0) } as KnownTlv
    case 'networkErrorCode':
      return { name, value: { networkType: value.readUInt8(0), errorCode: value.readUInt16BE(1) } } as KnownTlv
  }
}

// Some SMSCs send receipted_message_id without its NULL; we take the octets as they are rather
// than lose the receipt. A NULL inside the value would hide what follows it, so that is refused.
function decodeCStringValue (name: TlvName, maxBytes: number, value: Buffer): string {
  const text = value.at(-1) === 0 ? value.subarray(0, -1) : value
  if (text.includes(0)) throw malformedPdu(name, commandStatus.ESME_RINVOPTPARAMVAL, 'a NULL inside the value')
  if (text.length + 1 > maxBytes) {
    throw malformedPdu(name, commandStatus.ESME_RINVPARLEN, `${text.length} octets, over the maximum of ${maxBytes - 1}`)
  }
  return text.toString('latin1')
}

function encodeKnownTlv (writer: PduWriter, tlv: KnownTlv): void {
  const definition = tlvDefinitions[tlv.name] as typeof tlvDefinitions[TlvName] | undefined
  if (definition === undefined) throw unencodable(String(tlv.name), commandStatus.ESME_RINVOPTPARAMVAL, 'not a TLV of SMPP 3.4')
  const field = { name: tlv.name, status: commandStatus.ESME_RINVOPTPARAMVAL }
  const header = (length: number): void => {
    writer.writeUint16(definition.tag, field)
    writer.writeUint16(length, field)
  }
  switch (definition.type) {
    case 'uint8':
      header(1)
      writer.writeUint8(tlv.value as number, field)
      return
    case 'uint16':
      header(2)
      writer.writeUint16(tlv.value as number, field)
      return
    case 'uint32':
      header(4)
      writer.writeUint32(tlv.value as number, field)
      return
    case 'networkErrorCode': {
      const value = tlv.value as NetworkErrorCode
      header(3)
      writer.writeUint8(value.networkType, field)
      writer.writeUint16(value.errorCode, field)
      return
    }
    case 'cstring': {
      const value = tlv.value as string
      header(value.length + 1)
      writer.writeCString(value, { ...field, maxBytes: definition.maxBytes })
      return
    }
    case 'octets':
      encodeRawTlv(writer, definition.tag, tlv.name, tlv.value as Buffer)
  }
}

function encodeRawTlv (writer: PduWriter, tag: number, label: string, value: Uint8Array): void {
  const field = { name: label, status: commandStatus.ESME_RINVOPTPARAMVAL }
  if (value.length > MAX_TLV_VALUE_BYTES) {
    throw unencodable(label, commandStatus.ESME_RINVPARLEN, `${value.length} octets, over the maximum of ${MAX_TLV_VALUE_BYTES}`)
  }
  writer.writeUint16(tag, field)
  writer.writeUint16(value.length, field)
  writer.writeOctets(value)
}

function hex4 (tag: number): string {
  return tag.toString(16).padStart(4, '0')
}
