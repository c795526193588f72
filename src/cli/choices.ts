import { allowedPayloadFormats, type PayloadFormat } from '../crypto/payload/index.ts'
import { allowedKeyTypes, type KeyType } from '../crypto/vault/index.ts'
import { SmsgwError, errorCodes } from '../errors.ts'

/** Checks an option against a closed set of values, naming the allowed ones when it fails. */
function checkChoice<T extends string> (what: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new SmsgwError(errorCodes.usage, `unknown ${what} '${value}': use ${allowed.join(' or ')}`)
  }
  return value as T
}

export function checkFormat (format: string): PayloadFormat {
  return checkChoice('format', format, allowedPayloadFormats)
}

export function checkKeyType (type: string): KeyType {
  return checkChoice('key type', type, allowedKeyTypes)
}
