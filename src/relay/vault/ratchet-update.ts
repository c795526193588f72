import { errorCodes, SmsgwError } from '../../errors.ts'
import type { RelayAccount } from '../../store/relay-accounts.ts'
import { succeed, type Outcome } from '../outcome.ts'
import type { RatchetState } from '../ratchet/ratchet-state.ts'
import { openRatchetState, sealRatchetState } from './account-record.ts'
import { findAccount } from './find-account.ts'
import type { AccountSelector, RelayVault } from './relay-vault.ts'

/**
 * How often a step is redone after losing the compare-and-set to another writer of the same
 * account. One account's SMS come one after another, so a second attempt is already rare;
 * losing this many times means a storm, and the caller is told to retry later.
 */
export const MAX_RATCHET_ATTEMPTS = 16

/** One ratchet step's result: the state to store and what the caller gets. */
export interface RatchetStep<T> {
  readonly state: RatchetState
  readonly result: T
}

/**
 * Runs `step` on the account's stored ratchet state and stores the state it returns, sealed,
 * under the store's compare-and-set (relay.md §3: "persisted after every successful decryption,
 * sealed at rest, and updated under a lock"). When another writer changed the account in between,
 * the step is redone on what that writer stored, so two instances never fork the state and a
 * message is decrypted on the state that includes every message decrypted before it. A step that
 * fails (bad MAC, replay, malformed) writes nothing: the stored state stays byte for byte as it was.
 */
export async function updateRatchet<T> (vault: RelayVault, selector: AccountSelector, step: (state: RatchetState, account: RelayAccount) => Outcome<RatchetStep<T>>): Promise<Outcome<T>> {
  let current = selector
  for (let attempt = 0; attempt < MAX_RATCHET_ATTEMPTS; attempt++) {
    const account = await findAccount(vault, current)
    if (!account.ok) return account
    const state = openRatchetState(vault, account.value)
    if (!state.ok) return state
    const stepped = step(state.value, account.value)
    if (!stepped.ok) return stepped
    const sealed = sealRatchetState(vault, account.value.entityId, stepped.value.state)
    const version = await vault.accounts.update(account.value.entityId, account.value.stateVersion, { sealed: { ratchetState: sealed } })
    if (version !== undefined) return succeed(stepped.value.result)
    // Lost to another writer: what it stored is read again, the same way (an account the caller
    // handed in, as EntityInternal's calls do, by its entity id, as they did before they handed it in).
    if ('account' in current) current = { entityId: account.value.entityId }
  }
  return { ok: false, error: new SmsgwError(errorCodes.relayBusy, `the account's ratchet state changed under ${MAX_RATCHET_ATTEMPTS} attempts in a row`, { retryable: true }) }
}
