import { accountOfToken, type EntityContext } from './entity-context.ts'

// ListEntityStoredTokens (relay-wire.md §1): the platform tokens stored for the account. The app
// calls it to check its long-lived token too (UNAUTHENTICATED = "logged in on another device").
// No platform token is stored yet (the publisher, next issue, stores them), so the list is empty
// and `migrate_to_device` has nothing to hand over or drop.

export interface ListEntityStoredTokensRequest {
  readonly long_lived_token: string
  readonly migrate_to_device: boolean
}

export interface StoredToken {
  readonly platform: string
  readonly account_identifier: string
  readonly account_tokens: Readonly<Record<string, string>>
  readonly is_stored_on_device: boolean
}

export interface ListEntityStoredTokensResponse {
  readonly stored_tokens: readonly StoredToken[]
  readonly message: string
}

export async function listEntityStoredTokens (context: EntityContext, request: ListEntityStoredTokensRequest): Promise<ListEntityStoredTokensResponse> {
  await accountOfToken(context, request.long_lived_token)
  return { stored_tokens: [], message: 'Tokens retrieved successfully.' }
}
