import Type from 'typebox'
import type { TString } from 'typebox'

// `relay.platforms.<name>`: where each platform the relay publishes to is reached and the
// credentials of our app there (docs/configuration.md, "relay.platforms"; docs/relay.md,
// "Platforms"). A platform is in use once its client id (Telegram: its api id) is set; each URL
// can point at the platform simulator (`smsgw platform-sim`) instead of the platform.

/** An http or https URL. */
export const HTTP_URL_PATTERN = '^https?://[^\\s/?#]+[^\\s]*$'

const closed = { additionalProperties: false } as const

function url (): TString {
  return Type.String({ pattern: HTTP_URL_PATTERN })
}

function text (): TString {
  return Type.String({ minLength: 1 })
}

/** The OAuth 2.0 app of a platform: its client id, the file of its client secret, where the platform sends the user back. */
function oauth2App () {
  return {
    clientId: Type.Optional(text()),
    /** The client secret's file (its first line), so the secret is in no configuration. */
    clientSecretFile: Type.Optional(text()),
    /** The redirect URI registered with the platform; the app catches it (relay-wire.md §3). */
    redirectUrl: url()
  }
}

export const relayPlatformsSchema = Type.Object({
  gmail: Type.Object({
    /** The Gmail REST API. */
    baseUrl: url(),
    authorizationUrl: url(),
    tokenUrl: url(),
    revokeUrl: url(),
    ...oauth2App()
  }, closed),
  twitter: Type.Object({
    /** X's API (api.x.com); its OAuth 2.0 token and revoke paths are under it too. */
    baseUrl: url(),
    /** X's authorize page (x.com/i/oauth2/authorize), the one URL not under the API. */
    authorizationUrl: url(),
    ...oauth2App()
  }, closed),
  mastodon: Type.Object({
    /** The instance: its API and its /oauth/authorize, /oauth/token and /oauth/revoke. */
    baseUrl: url(),
    ...oauth2App()
  }, closed),
  bluesky: Type.Object({
    /** The PDS or entryway the accounts live on. */
    baseUrl: url(),
    ...oauth2App()
  }, closed),
  telegram: Type.Object({
    /** The app's api_id from my.telegram.org. */
    apiId: Type.Optional(Type.Integer({ minimum: 1 })),
    /** The file of its api_hash (the first line). */
    apiHashFile: Type.Optional(text())
  }, closed)
}, closed)

/** Where the RelaySMS app catches the OAuth 2.0 redirect (upstream's adapters' registered redirect). */
export const DEFAULT_RELAY_REDIRECT_URL = 'https://relay.smswithoutborders.com/android'

/** The platforms' own endpoints. */
export const defaultRelayPlatforms = {
  gmail: {
    baseUrl: 'https://gmail.googleapis.com',
    authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    revokeUrl: 'https://oauth2.googleapis.com/revoke',
    redirectUrl: DEFAULT_RELAY_REDIRECT_URL
  },
  twitter: { baseUrl: 'https://api.x.com', authorizationUrl: 'https://x.com/i/oauth2/authorize', redirectUrl: DEFAULT_RELAY_REDIRECT_URL },
  // Upstream's adapter's default instance.
  mastodon: { baseUrl: 'https://mastodon.social', redirectUrl: DEFAULT_RELAY_REDIRECT_URL },
  bluesky: { baseUrl: 'https://bsky.social', redirectUrl: DEFAULT_RELAY_REDIRECT_URL },
  telegram: {}
} as const
