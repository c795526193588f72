import { status } from '@grpc/grpc-js'
import { parsePhoneNumberWithError, ParseError } from 'libphonenumber-js/max'
import { checkEmailAddress, checkX25519PublicKeyField, normalizePhoneNumber, passwordWeakness } from '../vault/index.ts'
import type { BreachLookup } from './breach-lookup.ts'
import type { OtpRecipient } from './otp-sender.ts'
import { invalidArgument, missingField, RpcFailure } from './rpc-failure.ts'

// The request field checks of the vault's Entity RPCs (relay-wire.md §1 and §4), each failing
// with the contract's status and exact details text.

/** Ours: far above any real value; a password is hashed whole, so it is bounded before that. */
export const MAX_PASSWORD_CHARS = 512
/** Ours: OTP codes are short; a longer one is simply wrong. */
const MAX_OTP_CHARS = 32
const MAX_PHONE_NUMBER_CHARS = 64
/** Why libphonenumber-js refused a number, worded as upstream's parser reasons. */
const parseReasons: Readonly<Record<string, string>> = {
  INVALID_COUNTRY: 'Missing or invalid default region.',
  NOT_A_NUMBER: 'The string supplied did not seem to be a phone number.',
  TOO_SHORT: 'The string supplied is too short to be a phone number.',
  TOO_LONG: 'The string supplied is too long to be a phone number.'
}

export interface IdentifierFields {
  readonly phone_number: string
  readonly email_address: string
}

/** relay-wire.md §1: a non-empty e-mail address is the identifier and the phone number is ignored. */
export function recipientOf (request: IdentifierFields): OtpRecipient {
  if (request.email_address !== '') {
    const checked = checkEmailAddress(request.email_address)
    if (!checked.ok) throw invalidArgument(checked.error.message)
    return { channel: 'email', identifier: checked.value }
  }
  const phoneNumber = normalizePhoneNumber(request.phone_number)
  if (phoneNumber === '') throw missingField('phone_number or email_address')
  if (phoneNumber.length > MAX_PHONE_NUMBER_CHARS) throw invalidArgument(`The phone number is invalid. ${parseReasons.TOO_LONG}`)
  return { channel: 'phone', identifier: phoneNumber }
}

/**
 * CreateEntity's country check (relay-wire.md §1): the number must parse as a valid E.164 number
 * whose region is the given country code; CA is accepted for US numbers (one numbering plan).
 */
export function checkPhoneCountry (phoneNumber: string, countryCode: string): void {
  let region: string | undefined
  try {
    const parsed = parsePhoneNumberWithError(phoneNumber)
    if (!parsed.isValid()) throw invalidArgument(`The phone number is invalid. ${parseReasons.NOT_A_NUMBER}`)
    region = parsed.country
  } catch (error) {
    if (error instanceof ParseError) throw invalidArgument(`The phone number is invalid. ${parseReasons[error.message] ?? parseReasons.NOT_A_NUMBER}`)
    throw error
  }
  const given = countryCode.toUpperCase()
  if (region === given || (region === 'US' && given === 'CA')) return
  throw invalidArgument(`The phone number does not match the provided country code ${countryCode}. Expected country code is ${region ?? 'unknown'}.`)
}

export const BREACHED_PASSWORD_DETAILS = 'This password has been found in a data breach and should not be used. Please choose a different password.'

/**
 * The strength rules of relay.md §7, first failing rule's text; the breach lookup last, when one is
 * configured (a failed lookup skips it).
 */
export async function checkPasswordStrength (password: string, breachLookup: BreachLookup | undefined): Promise<void> {
  if (password.length > MAX_PASSWORD_CHARS) throw invalidArgument(`Password must be at most ${MAX_PASSWORD_CHARS} characters long`)
  const weakness = passwordWeakness(password)
  if (weakness !== undefined) throw invalidArgument(weakness)
  if (breachLookup !== undefined && await breachLookup(password) === true) throw invalidArgument(BREACHED_PASSWORD_DETAILS)
}

export function requireField (value: string, field: string): void {
  if (value === '') throw missingField(field)
}

/** The two client X25519 public keys every completing step carries. */
export function clientKeysOf (request: { readonly client_publish_pub_key: string, readonly client_device_id_pub_key: string }): { clientPublishPublicKey: Buffer, clientDeviceIdPublicKey: Buffer } {
  requireField(request.client_publish_pub_key, 'client_publish_pub_key')
  requireField(request.client_device_id_pub_key, 'client_device_id_pub_key')
  const publish = checkX25519PublicKeyField('client_publish_pub_key', request.client_publish_pub_key)
  if (!publish.ok) throw invalidArgument(publish.error.message)
  const deviceId = checkX25519PublicKeyField('client_device_id_pub_key', request.client_device_id_pub_key)
  if (!deviceId.ok) throw invalidArgument(deviceId.error.message)
  return { clientPublishPublicKey: publish.value, clientDeviceIdPublicKey: deviceId.value }
}

/** A completing step's code, bounded; an oversized one is refused as incorrect. */
export function otpCodeOf (code: string): string {
  if (code.length > MAX_OTP_CHARS) throw new RpcFailure(status.UNAUTHENTICATED, 'Incorrect OTP. Try again.')
  return code
}
