import { readFileSync } from 'node:fs'
import type { GatewayConfig } from '../../config/index.ts'
import { errorCodes } from '../../errors.ts'
import type { RelayAccountStore } from '../../store/relay-accounts.ts'
import type { RelayLimitStore } from '../../store/relay-limits.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { generateX25519KeyPair } from '../ratchet/index.ts'
import { identifierKeyFromKeyFile, loadSealingKeyRing, pepperFromFile } from '../vault/index.ts'
import { developmentOtpSender } from './development-otp-sender.ts'
import { composeEntityContext, type EntityContext } from './entity-context.ts'
import { unavailableOtpSender } from './otp-sender.ts'

// The composition of the Entity service from the configuration (docs/configuration.md, `relay`):
// the store's accounts and rate limits, the sealing key ring, the identifier key and the pepper, each from its
// file, and the OTP sender. A missing or malformed secret is SMSGW_RELAY_KEY_FILE naming the
// setting, never the secret.

export function entityContextFromConfig (relay: GatewayConfig['relay'], store: { readonly relay: RelayAccountStore, readonly relayLimits: RelayLimitStore }): Outcome<EntityContext> {
  const keys = loadSealingKeyRing({ keyFile: relay.sealingKeyFile, key: relay.sealingKey })
  if (!keys.ok) return keys
  const identifierKey = fromFile(relay.identifierKeyFile, 'relay.identifierKeyFile', identifierKeyFromKeyFile)
  if (!identifierKey.ok) return identifierKey
  const pepper = fromFile(relay.pepperFile, 'relay.pepperFile', pepperFromFile)
  if (!pepper.ok) return pepper
  // The configuration refuses these outside development (config-rules.ts).
  const otpSender = relay.environment === 'development' && relay.otpDevelopmentCode !== undefined
    ? developmentOtpSender({ code: relay.otpDevelopmentCode, identifiers: relay.otpDevelopmentIdentifiers })
    : unavailableOtpSender
  const vault = { accounts: store.relay, keys: keys.value, identifierKey: identifierKey.value, generateKeyPair: generateX25519KeyPair }
  return succeed(composeEntityContext({ vault, pepper: pepper.value, otpSender, limitStore: store.relayLimits }))
}

function fromFile (path: string | undefined, setting: string, parse: (text: string) => Outcome<Buffer>): Outcome<Buffer> {
  if (path === undefined) return fail(errorCodes.relayKeyFile, `${setting} is not set: the relay gRPC server needs it`)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    return fail(errorCodes.relayKeyFile, `cannot read ${setting} (${path}): ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
  const parsed = parse(text)
  return parsed.ok ? parsed : fail(errorCodes.relayKeyFile, `${setting} (${path}): ${parsed.error.message}`)
}
