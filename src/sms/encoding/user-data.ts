import { userDataEncodingOf, userDataEncodings, type UserDataEncoding } from './data-coding.ts'
import { decodeGsm7 } from './gsm7.ts'
import { decodeUcs2 } from './ucs2.ts'
import { decodeUserDataHeader, type ConcatInfo } from './udh.ts'

// Reads the short_message of a deliver_sm (or any submit_sm we made) into text, for the inbound
// side and its reassembly of concatenated parts.

/** The text of one short message. Holds plaintext: never log it, never persist it. */
export interface DecodedUserData {
  readonly text: string
  /** How `text` was read; for `binary` it is the payload in lower-case hex. */
  readonly encoding: UserDataEncoding
  /**
   * The user data after the header, undecoded. Reassembly may join the payloads of all parts
   * and decode once, which also heals a GSM escape sequence a sender split across parts.
   */
  readonly payload: Buffer
  /** Where this part sits, when the header holds a concatenation element. */
  readonly concat?: ConcatInfo
}

const REPLACEMENT_CHARACTER = '\ufffd'

/**
 * Reads `shortMessage` as `dataCoding` (SMPP 3.4 §5.2.19), after its user data header when
 * `udhi` (esm_class 0x40) is set. Never throws; null only when the header is malformed (it runs
 * past the end of the message). GSM 7-bit user data is taken unpacked, one septet per byte, as
 * SMPP carries it. 8-bit data (0x02, 0x04, 8-bit message class) and unknown data codings give
 * the payload as lower-case hex, which loses nothing and never passes control bytes on as text.
 */
export function decodeUserData (shortMessage: Buffer, dataCoding: number, udhi: boolean): DecodedUserData | null {
  let payload = shortMessage
  let concat: ConcatInfo | undefined
  if (udhi) {
    const header = decodeUserDataHeader(shortMessage)
    if (header === null) return null
    payload = header.payload
    concat = header.concat
  }
  const encoding = userDataEncodingOf(dataCoding)
  const text = decodePayload(payload, encoding)
  return concat === undefined ? { text, encoding, payload } : { text, encoding, payload, concat }
}

/** The text of a payload (user data without header) in `encoding`. Never throws. */
export function decodePayload (payload: Uint8Array, encoding: UserDataEncoding): string {
  switch (encoding) {
    case userDataEncodings.gsm7: return decodeGsm7(payload)
    case userDataEncodings.ucs2: return decodeUcs2(payload)
    case userDataEncodings.latin1: return bufferView(payload).toString('latin1')
    case userDataEncodings.ascii: return decodeAscii(payload)
    case userDataEncodings.binary: return bufferView(payload).toString('hex')
  }
}

function bufferView (bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** IA5 is 7-bit: a byte above 0x7F is none of its characters and gives U+FFFD. */
function decodeAscii (payload: Uint8Array): string {
  let text = ''
  for (const byte of payload) text += byte > 0x7f ? REPLACEMENT_CHARACTER : String.fromCharCode(byte)
  return text
}
