/** Whom a verified API key belongs to. */
export interface ApiKeyOwner {
  /** The key's public id (the part between `smsgw_` and the secret). */
  readonly keyId: string
  readonly clientId: string
}

/** A stored key as listed: never the key or its hash. */
export interface ApiKeyInfo {
  readonly id: string
  readonly clientId: string
  readonly createdAt: Date
}

/** A key just made: the only time its text is known. */
export interface CreatedApiKey extends ApiKeyInfo {
  /** `smsgw_<id>_<secret>`; show it once, it cannot be recovered. */
  readonly key: string
}

/**
 * The API keys of the HTTP API. Each key belongs to one client and may act for that client
 * only. Implemented by the key file (ApiKeyFile); tests may use their own.
 */
export interface ApiKeyStore {
  /**
   * The owner of `key`, or undefined when it is malformed, unknown or revoked. Compares in
   * constant time. Rejects only when the store cannot be consulted at all.
   */
  verify: (key: string) => Promise<ApiKeyOwner | undefined>
  /** Makes a key for `clientId`. Rejects with SMSGW_USAGE for an unusable client-id, SMSGW_CONFIG when the store cannot be written. */
  create: (clientId: string) => Promise<CreatedApiKey>
  /** The keys, oldest first. */
  list: () => Promise<ApiKeyInfo[]>
  /** Removes the key with this id; resolves to false when there is none. */
  revoke: (id: string) => Promise<boolean>
}
