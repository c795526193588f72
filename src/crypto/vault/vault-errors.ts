import { errorCodes, SmsgwError } from '../../errors.ts'
import { describeOid } from '../der/oids.ts'

// The vault's failures, worded once. None of them carries key material or the password.

export function wrongPassword (detail: string, cause?: unknown): SmsgwError {
  return new SmsgwError(errorCodes.vaultPassword, `Wrong vault password: ${detail}`, { cause })
}

export function unsupported (detail: string, cause?: unknown): SmsgwError {
  return new SmsgwError(errorCodes.vaultUnsupported, `Unsupported vault content: ${detail}`, { cause })
}

/** The table's entry for `oid`, or SMSGW_VAULT_UNSUPPORTED naming what was asked for. */
export function lookupAlgorithm<T> (table: Readonly<Record<string, T>>, oid: string, what: string): T {
  const found = table[oid]
  if (found === undefined) throw unsupported(`${what} ${describeOid(oid)}`)
  return found
}
