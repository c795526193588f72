import type { RelayAccount, RelaySealedFields } from '../../store/relay-accounts.ts'
import { relaySealedFieldNames } from '../../store/relay-accounts.ts'
import { resealPlatformTokens, type TokenResealCounts } from './platform-tokens.ts'
import type { RelayVault } from './relay-vault.ts'
import { open, seal, sealingKeyIdOf } from './sealing.ts'

// The re-seal pass of a key rotation (docs/relay.md, "Rotating the sealing key"): every sealed
// value under an old key is opened and sealed again under the current one, account by account,
// each account in one compare-and-set, then the account's platform tokens, each row in one
// compare-and-set (platform-tokens.ts). Once a pass reports nothing left, old keys can leave the ring.

const PAGE = 200

/** What a re-seal pass needs of the vault: the accounts, their tokens and the key ring, no identifier key. */
export type ResealingVault = Pick<RelayVault, 'accounts' | 'tokens' | 'keys'>

export interface ResealReport {
  /** Accounts whose values were sealed again. */
  readonly resealed: number
  /** Accounts already all under the current key. */
  readonly current: number
  /** Accounts with a value that does not open under any key of the ring: left as they are. */
  readonly unopenable: string[]
  /** The accounts' platform tokens: sealed again, already current, not opening under any key (left as they are). */
  readonly tokens: TokenResealCounts
}

export async function resealAccounts (vault: ResealingVault): Promise<ResealReport> {
  let resealed = 0
  let current = 0
  const unopenable: string[] = []
  const tokens = { resealed: 0, current: 0, unopenable: 0 }
  for (let after = ''; ;) {
    const ids = await vault.accounts.entityIdsAfter(after, PAGE)
    if (ids.length === 0) return { resealed, current, unopenable, tokens }
    for (const entityId of ids) {
      const outcome = await resealOne(vault, entityId)
      if (outcome === 'resealed') resealed++
      else if (outcome === 'current') current++
      else if (outcome === 'unopenable') unopenable.push(entityId)
      if (outcome === 'gone') continue
      const counts = await resealPlatformTokens(vault, entityId)
      tokens.resealed += counts.resealed
      tokens.current += counts.current
      tokens.unopenable += counts.unopenable
    }
    after = ids[ids.length - 1] as string
  }
}

/** Re-seals one account, reading it again when a concurrent write (a decryption) won the race. */
async function resealOne (vault: ResealingVault, entityId: string): Promise<'resealed' | 'current' | 'unopenable' | 'gone'> {
  for (;;) {
    const account = await vault.accounts.get(entityId)
    if (account === undefined) return 'gone'
    const changes = resealedFields(vault, account)
    if (changes === undefined) return 'unopenable'
    if (Object.keys(changes).length === 0) return 'current'
    if (await vault.accounts.update(entityId, account.stateVersion, { sealed: changes }) !== undefined) return 'resealed'
  }
}

function resealedFields (vault: ResealingVault, account: RelayAccount): Partial<RelaySealedFields> | undefined {
  const changes: Partial<Record<keyof RelaySealedFields, Buffer>> = {}
  for (const field of relaySealedFieldNames) {
    const sealed = account.sealed[field]
    if (sealingKeyIdOf(sealed) === vault.keys.current.id) continue
    const opened = open(vault.keys, field, account.entityId, sealed)
    if (!opened.ok) return undefined
    changes[field] = seal(vault.keys, field, account.entityId, opened.value)
  }
  return changes
}
