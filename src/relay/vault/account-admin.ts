import { errorCodes } from '../../errors.ts'
import type { RelayAccountStore } from '../../store/relay-accounts.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { entityIdOf, hashIdentifier } from './identifiers.ts'
import { normalizePhoneNumber } from './input-checks.ts'

// What operators do to accounts (`smsgw relay accounts`, docs/cli.md): count them, list them by
// entity id (the identifier is only ever a digest), delete one named by its identifier, which is
// hashed here and never stored, printed or put in an error.

/** Accounts read per page of a listing. */
const LISTING_PAGE = 500

export interface AccountListing {
  readonly entityId: string
  readonly createdAtMs: number
  readonly updatedAtMs: number
}

/** Every account in entity-id order, a page at a time; an account deleted meanwhile is skipped. */
export async function * listAccounts (accounts: RelayAccountStore): AsyncGenerator<AccountListing> {
  for (let after = ''; ;) {
    const ids = await accounts.entityIdsAfter(after, LISTING_PAGE)
    for (const entityId of ids) {
      const account = await accounts.get(entityId)
      if (account !== undefined) yield { entityId, createdAtMs: account.createdAtMs, updatedAtMs: account.updatedAtMs }
    }
    const last = ids[ids.length - 1]
    if (last === undefined || ids.length < LISTING_PAGE) return
    after = last
  }
}

/**
 * Deletes the account of a phone number (whitespace removed, as the RPCs take it) or an e-mail
 * address (anything with an `@`, as given); resolves with its entity id, or
 * SMSGW_RELAY_ACCOUNT_MISSING naming no identifier.
 */
export async function removeAccountOf (accounts: RelayAccountStore, identifierKey: Buffer, identifier: string): Promise<Outcome<string>> {
  const normalized = identifier.includes('@') ? identifier : normalizePhoneNumber(identifier)
  const entityId = entityIdOf(hashIdentifier(identifierKey, normalized))
  return await accounts.remove(entityId) ? succeed(entityId) : fail(errorCodes.relayAccountMissing, 'no relay account has that identifier')
}
