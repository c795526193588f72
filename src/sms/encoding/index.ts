export {
  allowedUserDataEncodings, dataCodings, ESM_CLASS_UDHI, userDataEncodingOf, userDataEncodings
} from './data-coding.ts'
export type { DataCoding, UserDataEncoding } from './data-coding.ts'
export { decodeGsm7, encodeGsm7, gsmSeptetLength } from './gsm7.ts'
export { decodeUcs2, encodeUcs2 } from './ucs2.ts'
export { CONCAT_UDH_OCTETS, decodeUserDataHeader, encodeConcatUdh } from './udh.ts'
export type { ConcatInfo, UserDataHeader } from './udh.ts'
export { decodePayload, decodeUserData } from './user-data.ts'
export type { DecodedUserData } from './user-data.ts'
export {
  CONCAT_PART_SEPTETS,
  CONCAT_PART_UCS2_UNITS,
  MAX_CONCAT_PARTS,
  planSms,
  SINGLE_PART_SEPTETS,
  SINGLE_PART_UCS2_UNITS,
  smsEncodings
} from './sms-plan.ts'
export type { PlanSmsOptions, SmsEncoding, SmsPart, SmsPlan } from './sms-plan.ts'
