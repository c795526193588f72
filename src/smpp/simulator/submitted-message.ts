import type { ShortMessageBody, Tlv } from '../codec/index.ts'

/**
 * One submit_sm the simulator accepted, as the phone network saw it. `shortMessage` (and a
 * message_payload TLV) hold the message text and `destination` the recipient: the simulator
 * stands where plaintext is allowed, but never log them.
 */
export interface SubmittedMessage {
  /** The message_id of the submit_sm_resp, in the simulator's id format. */
  readonly messageId: string
  /** The system_id of the session that submitted it. */
  readonly systemId: string
  readonly source: string
  readonly sourceAddrTon: number
  readonly sourceAddrNpi: number
  readonly destination: string
  readonly destAddrTon: number
  readonly destAddrNpi: number
  readonly dataCoding: number
  readonly esmClass: number
  readonly shortMessage: Buffer
  readonly registeredDelivery: number
  /** Empty, or the 16-character time of SMPP 3.4 §7.1.1, as sent. */
  readonly validityPeriod: string
  readonly tlvs: readonly Tlv[]
  readonly receivedAt: Date
}

/** The record of an accepted submit_sm; `shortMessage` is copied, so the record does not pin the socket's chunk. */
export function recordSubmit (body: ShortMessageBody, messageId: string, systemId: string, receivedAt: Date): SubmittedMessage {
  return {
    messageId,
    systemId,
    source: body.sourceAddr,
    sourceAddrTon: body.sourceAddrTon,
    sourceAddrNpi: body.sourceAddrNpi,
    destination: body.destinationAddr,
    destAddrTon: body.destAddrTon,
    destAddrNpi: body.destAddrNpi,
    dataCoding: body.dataCoding,
    esmClass: body.esmClass,
    shortMessage: Buffer.from(body.shortMessage),
    registeredDelivery: body.registeredDelivery,
    validityPeriod: body.validityPeriod,
    tlvs: body.tlvs,
    receivedAt
  }
}
