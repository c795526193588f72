import { commandIds } from './constants.ts'
import type { Tlv } from './tlv.ts'

/** The body of a PDU that is all header: unbind, enquire_link, generic_nack and their responses. */
export type EmptyBody = Record<string, never>

/** bind_transmitter, bind_receiver, bind_transceiver (§4.1.1, §4.1.3, §4.1.5). */
export interface BindBody {
  readonly systemId: string
  readonly password: string
  readonly systemType: string
  /** 0x34 for SMPP 3.4 (`SMPP_VERSION_3_4`). */
  readonly interfaceVersion: number
  readonly addrTon: number
  readonly addrNpi: number
  readonly addressRange: string
}

/** bind_*_resp (§4.1.2, §4.1.4, §4.1.6): the SMSC's id, and sc_interface_version when it sends one. */
export interface BindRespBody {
  readonly systemId: string
  readonly tlvs: readonly Tlv[]
}

/** outbind (§4.1.7): the SMSC asks the ESME to bind_receiver. */
export interface OutbindBody {
  readonly systemId: string
  readonly password: string
}

/** The service type and the two addresses that submit_sm, deliver_sm and data_sm begin with. */
export interface AddressedBody {
  readonly serviceType: string
  readonly sourceAddrTon: number
  readonly sourceAddrNpi: number
  readonly sourceAddr: string
  readonly destAddrTon: number
  readonly destAddrNpi: number
  readonly destinationAddr: string
}

/**
 * submit_sm (§4.4.1) and deliver_sm (§4.6.1) share one grammar. In deliver_sm the SMSC leaves
 * schedule_delivery_time, validity_period, replace_if_present_flag and sm_default_msg_id empty.
 * `shortMessage` and the message_payload TLV are plaintext: never log them.
 */
export interface ShortMessageBody extends AddressedBody {
  /** Bits in `esmClass` (constants): UDHI 0x40, delivery receipt 0x04. */
  readonly esmClass: number
  readonly protocolId: number
  readonly priorityFlag: number
  /** Empty, or the 16-character absolute or relative time of §7.1.1. */
  readonly scheduleDeliveryTime: string
  /** Empty, or the 16-character absolute or relative time of §7.1.1. */
  readonly validityPeriod: string
  /** Bits in `registeredDelivery` (constants). */
  readonly registeredDelivery: number
  readonly replaceIfPresentFlag: number
  readonly dataCoding: number
  readonly smDefaultMsgId: number
  /** 0–254 octets; sm_length is its length. */
  readonly shortMessage: Buffer
  readonly tlvs: readonly Tlv[]
}

/**
 * A submit_sm or deliver_sm body with `fields` set and every other field empty: empty strings,
 * zeros, an empty short_message and no TLVs.
 */
export function shortMessageBody (fields: Partial<ShortMessageBody>): ShortMessageBody {
  return {
    serviceType: '',
    sourceAddrTon: 0,
    sourceAddrNpi: 0,
    sourceAddr: '',
    destAddrTon: 0,
    destAddrNpi: 0,
    destinationAddr: '',
    esmClass: 0,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: 0,
    replaceIfPresentFlag: 0,
    dataCoding: 0,
    smDefaultMsgId: 0,
    shortMessage: Buffer.alloc(0),
    tlvs: [],
    ...fields
  }
}

/**
 * submit_sm_resp, deliver_sm_resp (§4.4.2, §4.6.2). deliver_sm_resp leaves message_id empty.
 * SMPP 3.4 has no TLVs here; SMPP 5.0 adds some and we keep those that arrive.
 */
export interface MessageIdBody {
  readonly messageId: string
  readonly tlvs: readonly Tlv[]
}

/** data_sm (§4.7.1): submit and deliver in one, the message in the message_payload TLV. */
export interface DataSmBody extends AddressedBody {
  readonly esmClass: number
  readonly registeredDelivery: number
  readonly dataCoding: number
  readonly tlvs: readonly Tlv[]
}

/** The body type of each PDU the codec reads and writes, by command name. */
export interface PduBodies {
  generic_nack: EmptyBody
  bind_receiver: BindBody
  bind_receiver_resp: BindRespBody
  bind_transmitter: BindBody
  bind_transmitter_resp: BindRespBody
  bind_transceiver: BindBody
  bind_transceiver_resp: BindRespBody
  outbind: OutbindBody
  unbind: EmptyBody
  unbind_resp: EmptyBody
  submit_sm: ShortMessageBody
  submit_sm_resp: MessageIdBody
  deliver_sm: ShortMessageBody
  deliver_sm_resp: MessageIdBody
  enquire_link: EmptyBody
  enquire_link_resp: EmptyBody
  data_sm: DataSmBody
  data_sm_resp: MessageIdBody
}

/** A command the codec reads and writes. query_sm, cancel_sm, replace_sm, submit_multi and alert_notification are not. */
export type SupportedCommand = keyof PduBodies

/** One PDU: the header fields other than command_length, and the body. */
export interface PduOf<C extends SupportedCommand> {
  readonly command: C
  readonly commandId: typeof commandIds[C]
  /** ESME_ROK in requests; the outcome in responses. */
  readonly commandStatus: number
  /** 1 to 0x7FFFFFFF (§3.2.1.4); the response echoes the request's. */
  readonly sequenceNumber: number
  readonly body: PduBodies[C]
}

/** Any PDU the codec handles, discriminated by `command`. */
export type Pdu = { [C in SupportedCommand]: PduOf<C> }[SupportedCommand]

/** A PDU with its command_id filled in from the command name. */
export function createPdu<C extends SupportedCommand> (
  command: C, sequenceNumber: number, body: PduBodies[C], commandStatus = 0
): PduOf<C> {
  return { command, commandId: commandIds[command], commandStatus, sequenceNumber, body }
}
