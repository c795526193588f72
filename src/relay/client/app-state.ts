import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { decodeRatchetState, encodeRatchetState, keyPairFromPrivate, X25519_KEY_BYTES } from '../ratchet/index.ts'
import type { AppSession } from './app-session.ts'

// What `smsgw relay app` keeps between runs (sealed by sealed-state.ts): the session of the last
// sign-up or login, where the vault and publisher are, the accounts linked, and the code verifier
// of a link waiting for its authorization code. JSON with the binary fields in base64; the key
// pairs are kept as private keys (the public halves are derived again).

export interface Endpoints {
  /** host:port of vault.v1.Entity. */
  readonly vault?: string | undefined
  /** host:port of publisher.v1.Publisher. */
  readonly publisher?: string | undefined
  /** TLS to both (the server's certificate checked against the system's roots or `caFile`). */
  readonly tls: boolean
  readonly caFile?: string | undefined
}

export interface PendingLink {
  readonly codeVerifier: string
  readonly redirectUrl: string
}

export interface AppState {
  readonly session: AppSession
  readonly endpoints: Endpoints
  /** Linked accounts by platform name, as ListEntityStoredTokens last listed them. */
  readonly accounts: Readonly<Record<string, readonly string[]>>
  readonly pendingLinks: Readonly<Record<string, PendingLink>>
}

const STATE_VERSION = 1

export function encodeAppState (state: AppState): Buffer {
  const { session } = state
  return Buffer.from(JSON.stringify({
    version: STATE_VERSION,
    identifier: session.identifier,
    publishPrivateKey: session.keys.publish.privateKey.toString('base64'),
    deviceIdPrivateKey: session.keys.deviceId.privateKey.toString('base64'),
    longLivedToken: session.longLivedToken,
    serverPublishPublicKey: session.serverPublishPublicKey.toString('base64'),
    deviceId: session.deviceId.toString('base64'),
    ratchet: encodeRatchetState(session.ratchet).toString('base64'),
    endpoints: state.endpoints,
    accounts: state.accounts,
    pendingLinks: state.pendingLinks
  }), 'utf8')
}

export function decodeAppState (bytes: Buffer): Outcome<AppState> {
  let value: any
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    return damaged('it is not JSON')
  }
  if (value?.version !== STATE_VERSION) return damaged(`its version ${String(value?.version)} is not ${STATE_VERSION}`)
  const texts = ['identifier', 'publishPrivateKey', 'deviceIdPrivateKey', 'longLivedToken', 'serverPublishPublicKey', 'deviceId', 'ratchet']
  const notText = texts.find(name => typeof value[name] !== 'string')
  if (notText !== undefined) return damaged(`its ${notText} is missing`)
  const key = (name: string): Buffer | undefined => {
    const bytes = Buffer.from(value[name] as string, 'base64')
    return bytes.length === X25519_KEY_BYTES ? bytes : undefined
  }
  const [publish, deviceIdKey, serverPublishPublicKey, deviceId] = ['publishPrivateKey', 'deviceIdPrivateKey', 'serverPublishPublicKey', 'deviceId'].map(key)
  if (publish === undefined || deviceIdKey === undefined || serverPublishPublicKey === undefined || deviceId === undefined) return damaged('a key in it is not 32 bytes')
  const ratchet = decodeRatchetState(Buffer.from(value.ratchet as string, 'base64'))
  if (!ratchet.ok) return ratchet
  const endpoints = value.endpoints
  if (typeof endpoints !== 'object' || endpoints === null || typeof endpoints.tls !== 'boolean') return damaged('its endpoints are missing')
  return succeed({
    session: {
      identifier: value.identifier,
      keys: { publish: keyPairFromPrivate(publish), deviceId: keyPairFromPrivate(deviceIdKey) },
      longLivedToken: value.longLivedToken,
      serverPublishPublicKey,
      deviceId,
      ratchet: ratchet.value
    },
    endpoints,
    accounts: recordOf(value.accounts),
    pendingLinks: recordOf(value.pendingLinks)
  })
}

function recordOf<T> (value: unknown): Readonly<Record<string, T>> {
  return typeof value === 'object' && value !== null ? value as Record<string, T> : {}
}

function damaged (reason: string): Outcome<never> {
  return fail(errorCodes.relayAppState, `the state file's content does not decode: ${reason}`)
}
