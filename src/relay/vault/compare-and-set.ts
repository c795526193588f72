import { errorCodes, SmsgwError } from '../../errors.ts'
import type { Outcome } from '../outcome.ts'

/**
 * How often a step is redone after losing the compare-and-set to another writer of the same
 * account. One account's SMS come one after another, so a second attempt is already rare;
 * losing this many times means a storm, and the caller is told to retry later.
 */
export const MAX_RATCHET_ATTEMPTS = 16

/**
 * Runs `attempt` (a read of the account, a change and its compare-and-set write) until it has an
 * outcome: `undefined` means another writer changed the account in between and the attempt is
 * redone on what that writer stored. After MAX_RATCHET_ATTEMPTS lost in a row it is
 * SMSGW_RELAY_BUSY, retryable; `what` names what changed in its message.
 */
export async function retryCompareAndSet<T> (what: string, attempt: () => Promise<Outcome<T> | undefined>): Promise<Outcome<T>> {
  for (let attempts = 0; attempts < MAX_RATCHET_ATTEMPTS; attempts++) {
    const outcome = await attempt()
    if (outcome !== undefined) return outcome
  }
  return { ok: false, error: new SmsgwError(errorCodes.relayBusy, `${what} changed under ${MAX_RATCHET_ATTEMPTS} attempts in a row`, { retryable: true }) }
}
