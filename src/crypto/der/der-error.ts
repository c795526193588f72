import { errorCodes, SmsgwError } from '../../errors.ts'

/**
 * The one way malformed ASN.1 is reported: SMSGW_BAD_ASN1 with the byte offset, so a broken
 * vault file never surfaces as a bare RangeError from a Buffer read past its end.
 */
export function badAsn1 (problem: string, offset: number): SmsgwError {
  return new SmsgwError(errorCodes.badAsn1, `Malformed DER: ${problem} at offset ${offset}`)
}
