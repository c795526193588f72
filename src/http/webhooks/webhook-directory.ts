/** Where one client's statuses are posted, and the secret their signatures are made with. */
export interface Webhook {
  readonly clientId: string
  /** An http: or https: URL. */
  readonly url: string
  /** The HMAC-SHA256 key of `X-Smsgw-Signature`; the client keeps a copy to verify with. */
  readonly secret: string
}

/** The webhooks of the clients that have one. Implemented by the API key file (ApiKeyFile). */
export interface WebhookDirectory {
  /** The client's webhook, or undefined when it has none. */
  webhookOf: (clientId: string) => Promise<Webhook | undefined>
}
