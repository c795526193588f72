// SMPP 3.4 §5.2.19 data_coding values and the esm_class UDHI flag (§5.2.12) that the encoding
// layer reads and writes.

/** The data_coding values we send or understand on receipt. */
export const dataCodings = {
  /** SMSC default alphabet; we send and read it as the GSM 7-bit default alphabet. */
  smscDefault: 0x00,
  /** IA5 (CCITT T.50), that is ASCII. */
  ia5: 0x01,
  /** Octet unspecified (8-bit binary), the older value. */
  octetUnspecified: 0x02,
  /** Latin 1 (ISO-8859-1). */
  latin1: 0x03,
  /** Octet unspecified (8-bit binary). */
  binary: 0x04,
  /** UCS-2 (ISO/IEC-10646), sent as UTF-16BE. */
  ucs2: 0x08
} as const

export type DataCoding = typeof dataCodings[keyof typeof dataCodings]

/** esm_class bit 6 (UDHI): short_message starts with a user data header (§5.2.12). */
export const ESM_CLASS_UDHI = 0x40

/** How a short_message's user data is read into text. */
export const userDataEncodings = {
  gsm7: 'gsm7',
  ascii: 'ascii',
  latin1: 'latin1',
  ucs2: 'ucs2',
  /** 8-bit data or an unknown data coding: the text is the payload in lower-case hex. */
  binary: 'binary'
} as const

export type UserDataEncoding = typeof userDataEncodings[keyof typeof userDataEncodings]
export const allowedUserDataEncodings: readonly UserDataEncoding[] = Object.values(userDataEncodings)

// GSM 03.38 coding group 1111xxxx (3GPP TS 23.038 §4), which SMPP 3.4 passes through as
// "message class control": bit 2 chooses 8-bit data (1) or the GSM 7-bit alphabet (0).
const MESSAGE_CLASS_GROUP_MASK = 0xf0
const MESSAGE_CLASS_GROUP = 0xf0
const MESSAGE_CLASS_8BIT = 0x04

/** The encoding that reads user data of `dataCoding`; binary for a value we do not know. */
export function userDataEncodingOf (dataCoding: number): UserDataEncoding {
  switch (dataCoding) {
    case dataCodings.smscDefault: return userDataEncodings.gsm7
    case dataCodings.ia5: return userDataEncodings.ascii
    case dataCodings.latin1: return userDataEncodings.latin1
    case dataCodings.ucs2: return userDataEncodings.ucs2
  }
  if ((dataCoding & MESSAGE_CLASS_GROUP_MASK) === MESSAGE_CLASS_GROUP) {
    return (dataCoding & MESSAGE_CLASS_8BIT) === 0 ? userDataEncodings.gsm7 : userDataEncodings.binary
  }
  return userDataEncodings.binary
}
