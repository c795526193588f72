import { SmsgwError, type ErrorCode } from '../errors.ts'

/**
 * What a relay core returns for input a client controls: a value, or the typed error that says
 * why not. The cores never throw on hostile bytes, so a caller (the gRPC layer, the publisher)
 * maps every failure to its contract status without a try/catch around decoding.
 */
export type Outcome<T> = { readonly ok: true, readonly value: T } | { readonly ok: false, readonly error: SmsgwError }

export function succeed<T> (value: T): Outcome<T> {
  return { ok: true, value }
}

export function fail<T = never> (code: ErrorCode, message: string): Outcome<T> {
  return { ok: false, error: new SmsgwError(code, message) }
}
