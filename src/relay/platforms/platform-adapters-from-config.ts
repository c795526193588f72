import type { GatewayConfig } from '../../config/index.ts'
import { errorCodes } from '../../errors.ts'
import { firstLineOf, readSettingFile } from '../grpc/setting-file.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { mastodonAdapter } from './mastodon-adapter.ts'
import type { PlatformAdapter } from './platform-adapter.ts'
import { twitterAdapter } from './twitter-adapter.ts'

// The adapters of the platforms configured (relay.platforms; docs/relay.md, "Platforms"): one
// builder per platform, each giving its adapter once the platform's client id is set, with the
// secrets read from their files. A secret that cannot be read is SMSGW_RELAY_KEY_FILE naming the
// setting, never the secret.

export type PlatformsConfig = GatewayConfig['relay']['platforms']

/** What every adapter may be given besides its configuration: the timeout of one call, the clock (tests). */
export interface AdapterOptions {
  readonly timeoutMs?: number
  readonly now?: () => number
}

type AdapterBuilder = (platforms: PlatformsConfig, options: AdapterOptions) => Outcome<PlatformAdapter | undefined>

/** One entry per platform, by the name of payload/platforms.ts. */
const builders: ReadonlyArray<readonly [string, AdapterBuilder]> = [
  ['mastodon', ({ mastodon }, options) => {
    if (mastodon.clientId === undefined) return succeed(undefined)
    const clientSecret = secretOf(mastodon.clientSecretFile, 'relay.platforms.mastodon.clientSecretFile')
    if (!clientSecret.ok) return clientSecret
    return succeed(mastodonAdapter({ baseUrl: mastodon.baseUrl, clientId: mastodon.clientId, clientSecret: clientSecret.value, redirectUrl: mastodon.redirectUrl, ...options }))
  }],
  ['twitter', ({ twitter }, options) => {
    if (twitter.clientId === undefined) return succeed(undefined)
    const clientSecret = secretOf(twitter.clientSecretFile, 'relay.platforms.twitter.clientSecretFile')
    if (!clientSecret.ok) return clientSecret
    return succeed(twitterAdapter({ baseUrl: twitter.baseUrl, authorizationUrl: twitter.authorizationUrl, clientId: twitter.clientId, clientSecret: clientSecret.value, redirectUrl: twitter.redirectUrl, ...options }))
  }]
]

/** The adapter of each platform configured, by platform name; a platform without its client id is left out. */
export function platformAdaptersFromConfig (platforms: PlatformsConfig, options: AdapterOptions = {}): Outcome<ReadonlyMap<string, PlatformAdapter>> {
  const adapters = new Map<string, PlatformAdapter>()
  for (const [name, build] of builders) {
    const adapter = build(platforms, options)
    if (!adapter.ok) return adapter
    if (adapter.value !== undefined) adapters.set(name, adapter.value)
  }
  return succeed(adapters)
}

/** A secret setting's file's first line; unset, unreadable or empty, SMSGW_RELAY_KEY_FILE naming the setting. */
export function secretOf (path: string | undefined, setting: string): Outcome<string> {
  if (path === undefined) return fail(errorCodes.relayKeyFile, `${setting} is not set`)
  const bytes = readSettingFile(path, setting)
  if (!bytes.ok) return bytes
  const line = firstLineOf(bytes.value.toString('utf8'))
  return line === '' ? fail(errorCodes.relayKeyFile, `${setting} (${path}): the first line is empty`) : succeed(line)
}
