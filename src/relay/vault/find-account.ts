import { errorCodes } from '../../errors.ts'
import { ENTITY_ID_PATTERN, type RelayAccount } from '../../store/relay-accounts.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { entityIdOf, hashIdentifier } from './identifiers.ts'
import { deviceLookupOf, type AccountSelector, type RelayVault } from './relay-vault.ts'

/** The account a selector names, as stored now; none is SMSGW_RELAY_ACCOUNT_MISSING (naming no identifier). */
export async function findAccount (vault: RelayVault, selector: AccountSelector): Promise<Outcome<RelayAccount>> {
  if ('account' in selector) return succeed(selector.account)
  let account: RelayAccount | undefined
  if ('deviceId' in selector) account = await vault.accounts.findByDeviceLookup(deviceLookupOf(vault.identifierKey, selector.deviceId))
  else {
    const entityId = 'entityId' in selector ? selector.entityId : entityIdOf(hashIdentifier(vault.identifierKey, selector.identifier))
    if (ENTITY_ID_PATTERN.test(entityId)) account = await vault.accounts.get(entityId)
  }
  return account === undefined ? fail(errorCodes.relayAccountMissing, 'no relay account matches') : succeed(account)
}

/**
 * The entity id of the account a device id names, reading no sealed field of it: what a caller
 * that only needs to know which account it is (a platform token's) reads; none is
 * SMSGW_RELAY_ACCOUNT_MISSING, as findAccount's.
 */
export async function findEntityIdByDevice (vault: RelayVault, deviceId: Buffer): Promise<Outcome<string>> {
  const entityId = await vault.accounts.entityIdByDeviceLookup(deviceLookupOf(vault.identifierKey, deviceId))
  return entityId === undefined ? fail(errorCodes.relayAccountMissing, 'no relay account matches') : succeed(entityId)
}
