import { errorCodes, SmsgwError } from '../errors.ts'

// The failures both stores report alike, worded once (docs/errors.md, SMSGW_STORE_*).

/** A store's schema is newer than this code: a later smsgw wrote it, and reading it could lose what that version keeps. */
export function schemaNewer (found: number, supported: number): SmsgwError {
  return new SmsgwError(errorCodes.storeSchemaNewer, `the store's schema version ${found} is newer than this smsgw's (${supported}); run a newer smsgw`)
}

/** A write to a store that has been closed. */
export function storeClosed (): SmsgwError {
  return new SmsgwError(errorCodes.storeClosed, 'the store is closed')
}

/** The queue's consumer lease is gone: another holder reads the requests this one read again. */
export function leaseLost (reason: string): SmsgwError {
  return new SmsgwError(errorCodes.storeLeaseLost, reason)
}
