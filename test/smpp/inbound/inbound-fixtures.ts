import { createPdu, shortMessageBody, type PduOf, type ShortMessageBody } from '../../../src/smpp/codec/index.ts'
import { moPartOf, type MoPart } from '../../../src/smpp/inbound/mo-part.ts'

/** A mobile-originated deliver_sm as an SMSC sends it: international sender, national short code. */
export const moBody: ShortMessageBody = shortMessageBody({
  sourceAddrTon: 1,
  sourceAddrNpi: 1,
  sourceAddr: '4915112345678',
  destAddrTon: 0,
  destAddrNpi: 1,
  destinationAddr: '40404'
})

export const receivedAt = new Date('2026-11-21T10:00:00.250Z')

export const bytes = (hex: string): Buffer => Buffer.from(hex.replaceAll(' ', ''), 'hex')

export function deliverSm (body: Partial<ShortMessageBody>, sequenceNumber = 1): PduOf<'deliver_sm'> {
  return createPdu('deliver_sm', sequenceNumber, { ...moBody, ...body })
}

/** The MO part of a deliver_sm built from `body`; fails the test for a receipt. */
export function moPart (body: Partial<ShortMessageBody>, connectionId = 'smsc-a', at = receivedAt): MoPart {
  const part = moPartOf(deliverSm(body), connectionId, at)
  if (part === null) throw new Error('expected an MO part, got a receipt')
  return part
}

/** A UDH with an 8-bit reference concatenation element: `05 00 03 ref total seq`. */
export const udh8 = (ref: number, total: number, seq: number): Buffer => Buffer.from([5, 0, 3, ref, total, seq])

/** A UDH with a 16-bit reference concatenation element: `06 08 04 refHi refLo total seq`. */
export const udh16 = (ref: number, total: number, seq: number): Buffer => Buffer.from([6, 8, 4, ref >> 8, ref & 0xff, total, seq])

/** A GSM 7-bit part (data_coding 0) with an 8-bit reference header. */
export const gsmPart = (ref: number, total: number, seq: number, septets: string, overrides: Partial<ShortMessageBody> = {}): MoPart =>
  moPart({ esmClass: 0x40, shortMessage: Buffer.concat([udh8(ref, total, seq), bytes(septets)]), ...overrides })

/** A UCS-2 part (data_coding 8) with an 8-bit reference header. */
export const ucs2Part = (ref: number, total: number, seq: number, utf16be: string): MoPart =>
  moPart({ esmClass: 0x40, dataCoding: 8, shortMessage: Buffer.concat([udh8(ref, total, seq), bytes(utf16be)]) })
