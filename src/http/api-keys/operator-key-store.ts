/** An operator key as listed: never the key or its hash. */
export interface OperatorKeyInfo {
  readonly id: string
  readonly createdAt: Date
}

/** An operator key just made: the only time its text is known. */
export interface CreatedOperatorKey extends OperatorKeyInfo {
  /** `smsgw_op_<id>_<secret>`; show it once, it cannot be recovered. */
  readonly key: string
}

/**
 * The operator keys: who may see the dashboard (every client's requests) and, when it is
 * protected, /metrics. A client's API key is never an operator key. Implemented by the key
 * file (ApiKeyFile).
 */
export interface OperatorKeyStore {
  /** The id of operator key `key`, or undefined when it is malformed, unknown or revoked. Compares in constant time. */
  verifyOperator: (key: string) => Promise<string | undefined>
  /** Whether the operator key with this id is still stored (a session made with a revoked key ends). */
  hasOperatorKey: (id: string) => Promise<boolean>
}
