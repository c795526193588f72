import type { GatewayConfig } from '../../config/index.ts'
import { errorCodes } from '../../errors.ts'
import type { RelayAccountStore } from '../../store/relay-accounts.ts'
import type { RelayLimitStore } from '../../store/relay-limits.ts'
import type { RelayOtpStore } from '../../store/relay-otps.ts'
import type { RelayTokenStore } from '../../store/relay-tokens.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { generateX25519KeyPair } from '../ratchet/index.ts'
import { identifierKeyFromKeyFile, loadSealingKeyRing, pepperFromFile, type RelayVault } from '../vault/index.ts'
import { rangeApiBreachLookup } from './breach-lookup.ts'
import { captchaServiceVerifier, type CaptchaVerifier } from './captcha.ts'
import { composeEntityContext, type EntityContext } from './entity-context.ts'
import type { OtpChannel } from './otp-sender.ts'
import { firstLineOf, readSettingFile } from './setting-file.ts'
import { otpSenderFromConfig, type OutboundSide } from './otp-sender-from-config.ts'

// The composition of the Entity service from the configuration (docs/configuration.md, `relay`):
// the store's accounts, platform tokens, rate limits and one-time codes, the sealing key ring, the identifier key and the pepper, each from its
// file, and the OTP sender (otp-sender-from-config.ts). A missing or malformed secret is SMSGW_RELAY_KEY_FILE naming the
// setting, never the secret.

export interface RelayStoreParts {
  readonly relay: RelayAccountStore
  readonly relayLimits: RelayLimitStore
  readonly relayOtps: RelayOtpStore
  readonly relayTokens: RelayTokenStore
}

export interface EntityConfigParts {
  /** The gateway the OTP SMS go out through (relay.otpSmsClient); the composition root's to give. */
  readonly outbound?: OutboundSide | undefined
  readonly onDeliveryError?: ((channel: OtpChannel, error: unknown) => void) | undefined
}

export function entityContextFromConfig (relay: GatewayConfig['relay'], store: RelayStoreParts, parts: EntityConfigParts = {}): Outcome<EntityContext> {
  const vault = relayVaultFromConfig(relay, store)
  if (!vault.ok) return vault
  const identifierKey = vault.value.identifierKey
  const pepper = fromFile(relay.pepperFile, 'relay.pepperFile', pepperFromFile)
  if (!pepper.ok) return pepper
  const otpSender = otpSenderFromConfig(relay, { store: store.relayOtps, identifierKey, ...parts })
  if (!otpSender.ok) return otpSender
  const captcha = captchaOfConfig(relay)
  if (!captcha.ok) return captcha
  const breachLookup = relay.breachLookupUrl === undefined ? undefined : rangeApiBreachLookup({ baseUrl: relay.breachLookupUrl })
  return succeed(composeEntityContext({ vault: vault.value, pepper: pepper.value, otpSender: otpSender.value, limitStore: store.relayLimits, breachLookup, captcha: captcha.value }))
}

/** The vault over the store with the sealing key ring and the identifier key of the configuration (the Entity services' and the publisher's). */
export function relayVaultFromConfig (relay: GatewayConfig['relay'], store: Pick<RelayStoreParts, 'relay' | 'relayTokens'>): Outcome<RelayVault> {
  const keys = loadSealingKeyRing({ keyFile: relay.sealingKeyFile, key: relay.sealingKey })
  if (!keys.ok) return keys
  const identifierKey = identifierKeyOfConfig(relay)
  if (!identifierKey.ok) return identifierKey
  return succeed({ accounts: store.relay, tokens: store.relayTokens, keys: keys.value, identifierKey: identifierKey.value, generateKeyPair: generateX25519KeyPair })
}

/** The identifier key from relay.identifierKeyFile; missing or malformed, SMSGW_RELAY_KEY_FILE naming the setting. */
export function identifierKeyOfConfig (relay: GatewayConfig['relay']): Outcome<Buffer> {
  return fromFile(relay.identifierKeyFile, 'relay.identifierKeyFile', identifierKeyFromKeyFile)
}

/** The captcha verifier of relay.captchaUrl with the first line of relay.captchaSecretFile; none without a URL. */
function captchaOfConfig (relay: GatewayConfig['relay']): Outcome<CaptchaVerifier | undefined> {
  if (relay.captchaUrl === undefined) return succeed(undefined)
  const secret = fromFile(relay.captchaSecretFile, 'relay.captchaSecretFile', text => {
    const line = firstLineOf(text)
    return line === '' ? fail(errorCodes.relayKeyFile, 'the first line is empty') : succeed(Buffer.from(line, 'utf8'))
  })
  if (!secret.ok) return secret
  return succeed(captchaServiceVerifier({ baseUrl: relay.captchaUrl, clientSecret: secret.value.toString('utf8') }))
}

function fromFile (path: string | undefined, setting: string, parse: (text: string) => Outcome<Buffer>): Outcome<Buffer> {
  if (path === undefined) return fail(errorCodes.relayKeyFile, `${setting} is not set: the relay vault needs it`)
  const bytes = readSettingFile(path, setting)
  if (!bytes.ok) return bytes
  const text = bytes.value.toString('utf8')
  const parsed = parse(text)
  return parsed.ok ? parsed : fail(errorCodes.relayKeyFile, `${setting} (${path}): ${parsed.error.message}`)
}
