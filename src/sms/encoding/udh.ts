// The user data header (3GPP TS 23.040 §9.2.3.24) at the start of short_message when esm_class
// has UDHI set:
//   UDHL (1 octet: length of what follows) then information elements, each
//   IEI (1) IEDL (1) IED (IEDL octets)
// Concatenated short messages (§9.2.3.24.1 and .8):
//   IEI 0x00, IEDL 3: reference (1), total parts (1), sequence number (1, from 1)
//   IEI 0x08, IEDL 4: reference (2, big-endian), total parts (1), sequence number (1)

export const IEI_CONCAT_8BIT_REFERENCE = 0x00
export const IEI_CONCAT_16BIT_REFERENCE = 0x08

/** Octets of our concatenation UDH: UDHL, IEI, IEDL and three octets of data. */
export const CONCAT_UDH_OCTETS = 6

/** Where one part sits in a concatenated message. */
export interface ConcatInfo {
  /** The reference shared by all parts of one message. */
  readonly ref: number
  /** 8 for IEI 0x00, 16 for IEI 0x08: references of different sizes never belong together. */
  readonly referenceBits: 8 | 16
  /** The number of parts, 1–255. */
  readonly total: number
  /** This part's number, 1–total. */
  readonly seq: number
}

/** A short_message split into its header and its user data. */
export interface UserDataHeader {
  /** The bytes after the header. */
  readonly payload: Buffer
  /** Present when the header holds a valid concatenation element. */
  readonly concat?: ConcatInfo
}

/** The concatenation UDH with an 8-bit reference: `05 00 03 ref total seq`. */
export function encodeConcatUdh (ref: number, total: number, seq: number): Buffer {
  return Buffer.from([CONCAT_UDH_OCTETS - 1, IEI_CONCAT_8BIT_REFERENCE, 3, ref, total, seq])
}

/**
 * Splits `shortMessage` into header and payload; null when the header runs past the end of the
 * message, or an element past the end of the header. Elements other than concatenation are
 * skipped. A concatenation element with a total or sequence number of 0, or a sequence number
 * above the total, is ignored as §9.2.3.24.1 prescribes; of several, the last one counts.
 */
export function decodeUserDataHeader (shortMessage: Buffer): UserDataHeader | null {
  if (shortMessage.length === 0) return null
  const headerEnd = 1 + (shortMessage[0] as number)
  if (headerEnd > shortMessage.length) return null
  let concat: ConcatInfo | undefined
  let offset = 1
  while (offset < headerEnd) {
    if (offset + 2 > headerEnd) return null
    const iei = shortMessage[offset] as number
    const dataLength = shortMessage[offset + 1] as number
    const dataStart = offset + 2
    offset = dataStart + dataLength
    if (offset > headerEnd) return null
    const data = shortMessage.subarray(dataStart, offset)
    const found = decodeConcatElement(iei, data)
    if (found !== undefined) concat = found
  }
  const payload = shortMessage.subarray(headerEnd)
  return concat === undefined ? { payload } : { payload, concat }
}

function decodeConcatElement (iei: number, data: Buffer): ConcatInfo | undefined {
  let ref: number
  let referenceBits: 8 | 16
  if (iei === IEI_CONCAT_8BIT_REFERENCE && data.length === 3) {
    ref = data[0] as number
    referenceBits = 8
  } else if (iei === IEI_CONCAT_16BIT_REFERENCE && data.length === 4) {
    ref = data.readUInt16BE(0)
    referenceBits = 16
  } else {
    return undefined
  }
  const total = data[data.length - 2] as number
  const seq = data[data.length - 1] as number
  if (total === 0 || seq === 0 || seq > total) return undefined
  return { ref, referenceBits, total, seq }
}
