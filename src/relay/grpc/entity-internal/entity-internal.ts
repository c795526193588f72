// vault.v1.EntityInternal (relay-wire.md §2) as the publisher calls it: the wire's request and
// response shapes (field names as in the .proto, proto-loader's keepCase), failing with RpcFailure
// (code and details exactly as relay-wire.md §4 has them, which the publisher passes through).
// In one process the publisher calls the handlers directly; the gRPC service serves the same
// handlers to a publisher elsewhere.

export interface StoreEntityTokenRequest {
  readonly long_lived_token: string
  /** The platform token as JSON text. */
  readonly token: string
  readonly platform: string
  readonly account_identifier: string
}

export interface GetEntityAccessTokenRequest {
  /** Hex of the 32-byte device id; the lookup order is long_lived_token, device_id, phone_number. */
  readonly device_id: string
  readonly long_lived_token: string
  readonly platform: string
  readonly account_identifier: string
  readonly phone_number: string
}

export interface GetEntityAccessTokenResponse {
  /** The token as JSON text. */
  readonly token: string
  readonly message: string
  readonly success: boolean
}

export interface DecryptPayloadRequest {
  readonly device_id: string
  /** Base64 of the framed ratchet message. */
  readonly payload_ciphertext: string
  readonly phone_number: string
}

export interface DecryptPayloadResponse {
  /** Base64 of the decrypted content bytes. */
  readonly payload_plaintext: string
  readonly message: string
  readonly success: boolean
  readonly country_code: string
}

export interface EncryptPayloadRequest {
  readonly device_id: string
  readonly payload_plaintext: string
  readonly phone_number: string
}

export interface EncryptPayloadResponse {
  /** Base64 of the framed ratchet message. */
  readonly payload_ciphertext: string
  readonly message: string
  readonly success: boolean
}

export interface UpdateEntityTokenRequest {
  readonly device_id: string
  readonly token: string
  readonly platform: string
  readonly account_identifier: string
  readonly phone_number: string
}

export interface DeleteEntityTokenRequest {
  readonly long_lived_token: string
  readonly platform: string
  readonly account_identifier: string
}

export interface TokenChangeResponse {
  readonly message: string
  readonly success: boolean
}

export interface EntityInternal {
  storeEntityToken (request: StoreEntityTokenRequest): Promise<TokenChangeResponse>
  getEntityAccessToken (request: GetEntityAccessTokenRequest): Promise<GetEntityAccessTokenResponse>
  decryptPayload (request: DecryptPayloadRequest): Promise<DecryptPayloadResponse>
  encryptPayload (request: EncryptPayloadRequest): Promise<EncryptPayloadResponse>
  updateEntityToken (request: UpdateEntityTokenRequest): Promise<TokenChangeResponse>
  deleteEntityToken (request: DeleteEntityTokenRequest): Promise<TokenChangeResponse>
}
