import { credentials, status, type ChannelCredentials, type Client, type ServiceError } from '@grpc/grpc-js'
import { encodeContent } from '../../../src/relay/payload/content.ts'
import { randomBytes } from 'node:crypto'
import type { EntityInternal } from '../../../src/relay/grpc/entity-internal/entity-internal.ts'
import type { RelayGrpcServer } from '../../../src/relay/grpc/grpc-server.ts'
import { loadPublisherPackage } from '../../../src/relay/grpc/publisher-proto.ts'
import { INVALID_TOKEN_DETAILS, RpcFailure } from '../../../src/relay/grpc/rpc-failure.ts'
import type { RelaySms } from '../../../src/relay/outbound/relay-sms.ts'
import { PlatformFailure, type OAuth2Adapter, type PlatformAdapter, type PlatformToken, type PnbaAdapter } from '../../../src/relay/platforms/platform-adapter.ts'
import { publicationKeyOf } from '../../../src/relay/publisher/publication-key.ts'
import { publisherOf } from '../../../src/relay/publisher/publisher.ts'
import type { PublisherOptions } from '../../../src/relay/publisher/publisher-parts.ts'
import { startPublisherGrpcServer } from '../../../src/relay/publisher/publisher-service.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'

// publisher.v1.Publisher on port 0 over a real store, with a grpc-js client from the same .proto.
// Stand-ins, said so where they are used: the vault's EntityInternal (branch relay-internal's),
// answering as relay-wire.md §2 and §4 say with a "ratchet" that hands the message back as it
// came, and adapters scripted per test (the real ones are branch platform-sim's; the pipeline test
// publishes through the real Mastodon adapter to the platform simulator).

export const VALID_LLT = 'eid:valid-long-lived-token'
export const SENDER = '+237650000001'
export const DEVICE_ID = Buffer.alloc(32, 0xd1)

type StubClient = Client & Record<string, (request: unknown, callback: (error: ServiceError | null, response: Record<string, unknown>) => void) => void>

/** A grpc-js client of publisher.v1.Publisher on 127.0.0.1:`port`. */
export function publisherClient (port: number, creds: ChannelCredentials = credentials.createInsecure()): { call: (rpc: string, request: unknown) => Promise<Record<string, unknown>>, failure: (rpc: string, request: unknown) => Promise<{ code: number, details: string }>, close: () => void } {
  const Publisher = (loadPublisherPackage().publisher as any).v1.Publisher as new (address: string, creds: ChannelCredentials) => StubClient
  const client = new Publisher(`127.0.0.1:${port}`, creds)
  const call = async (rpc: string, request: unknown): Promise<Record<string, unknown>> => await new Promise((resolve, reject) => {
    const method = client[rpc]
    if (method === undefined) throw new Error(`no RPC ${rpc}`)
    method.call(client, request, (error, response) => { if (error === null) resolve(response); else reject(error) })
  })
  return {
    call,
    failure: async (rpc, request) => {
      try {
        await call(rpc, request)
      } catch (error) {
        const { code, details } = error as ServiceError
        return { code, details }
      }
      throw new Error(`${rpc} succeeded where it should fail`)
    },
    close: () => { client.close() }
  }
}

/** Stand-in of the vault's EntityInternal (branch relay-internal's), with relay-wire.md §4's texts. */
export class StandInEntityInternal implements EntityInternal {
  readonly tokens = new Map<string, string>()
  readonly calls: string[] = []
  /** Set to make the next call of that name fail. */
  failNext: { method: string, failure: Error } | undefined

  async storeEntityToken (request: Parameters<EntityInternal['storeEntityToken']>[0]): ReturnType<EntityInternal['storeEntityToken']> {
    this.#enter('storeEntityToken')
    this.#checkToken(request.long_lived_token)
    this.tokens.set(`${request.platform}/${request.account_identifier}`, request.token)
    return { message: 'Token stored successfully.', success: true }
  }

  async getEntityAccessToken (request: Parameters<EntityInternal['getEntityAccessToken']>[0]): ReturnType<EntityInternal['getEntityAccessToken']> {
    this.#enter('getEntityAccessToken')
    if (request.long_lived_token !== '') this.#checkToken(request.long_lived_token)
    else this.#account(request.device_id, request.phone_number)
    const token = this.tokens.get(`${request.platform}/${request.account_identifier}`)
    if (token === undefined) throw new RpcFailure(status.NOT_FOUND, `No token found with account identifier ${request.account_identifier} for ${request.platform}`)
    return { token, message: 'Successfully fetched tokens.', success: true }
  }

  async decryptPayload (request: Parameters<EntityInternal['decryptPayload']>[0]): ReturnType<EntityInternal['decryptPayload']> {
    this.#enter('decryptPayload')
    this.#account(request.device_id, request.phone_number)
    return { payload_plaintext: request.payload_ciphertext, message: 'Successfully decrypted payload', success: true, country_code: 'CM' }
  }

  async encryptPayload (): ReturnType<EntityInternal['encryptPayload']> {
    throw new Error('the publisher never encrypts')
  }

  async updateEntityToken (request: Parameters<EntityInternal['updateEntityToken']>[0]): ReturnType<EntityInternal['updateEntityToken']> {
    this.#enter('updateEntityToken')
    this.tokens.set(`${request.platform}/${request.account_identifier}`, request.token)
    return { message: 'Token updated successfully.', success: true }
  }

  async deleteEntityToken (request: Parameters<EntityInternal['deleteEntityToken']>[0]): ReturnType<EntityInternal['deleteEntityToken']> {
    this.#enter('deleteEntityToken')
    this.#checkToken(request.long_lived_token)
    const key = `${request.platform}/${request.account_identifier}`
    if (!this.tokens.has(key)) throw new RpcFailure(status.NOT_FOUND, `No token found with account identifier ${request.account_identifier} for ${request.platform}`)
    this.tokens.delete(key)
    return { message: 'Token deleted successfully.', success: true }
  }

  #enter (method: string): void {
    this.calls.push(method)
    if (this.failNext?.method === method) {
      const { failure } = this.failNext
      this.failNext = undefined
      throw failure
    }
  }

  #checkToken (token: string): void {
    if (token !== VALID_LLT) throw new RpcFailure(status.UNAUTHENTICATED, INVALID_TOKEN_DETAILS)
  }

  #account (deviceId: string, phoneNumber: string): void {
    if (deviceId !== '') {
      if (deviceId !== DEVICE_ID.toString('hex')) throw new RpcFailure(status.UNAUTHENTICATED, `Entity associated with device ID '${deviceId}' not found. Please log in again to obtain a valid device ID.`)
    } else if (phoneNumber !== SENDER) {
      throw new RpcFailure(status.UNAUTHENTICATED, `Entity associated with phone number '${phoneNumber}' not found. Please check your phone number and try again.`)
    }
  }
}

/** A scripted OAuth2 adapter (a stand-in of the port; the real ones are branch platform-sim's). */
export interface ScriptedOAuth2 extends OAuth2Adapter {
  readonly published: Array<{ token: PlatformToken, body: string, from: string }>
  readonly revoked: PlatformToken[]
  /** Failures the next publish calls throw, in order; then they succeed. */
  readonly failures: Error[]
  refreshedToken: PlatformToken | undefined
  failRevoke: boolean
}

export function scriptedOAuth2 (): ScriptedOAuth2 {
  const adapter: ScriptedOAuth2 = {
    protocol: 'oauth2',
    published: [],
    revoked: [],
    failures: [],
    refreshedToken: undefined,
    failRevoke: false,
    authorizationUrl: ({ state, codeVerifier, redirectUrl }) => ({ url: `https://platform.example/authorize?state=${state}&verifier-length=${codeVerifier.length}`, scope: 'write:statuses', clientId: 'client-1', redirectUrl: redirectUrl ?? 'https://relay.example/callback' }),
    exchangeCode: async ({ code }) => {
      if (code !== 'good-code') throw new PlatformFailure('rejected', 'invalid_grant: the authorization code is invalid')
      return { token: { access_token: 'at-1', refresh_token: 'rt-1', id_token: 'id-1', scope: 'write:statuses' }, accountIdentifier: '@someone@platform.example' }
    },
    publish: async (token, content) => {
      const failure = adapter.failures.shift()
      if (failure !== undefined) throw failure
      adapter.published.push({ token, body: content.serviceType === 'email' ? content.body : content.body, from: content.from })
      return adapter.refreshedToken === undefined ? {} : { refreshedToken: adapter.refreshedToken }
    },
    revoke: async token => {
      adapter.revoked.push(token)
      if (adapter.failRevoke) throw new PlatformFailure('transient', 'revocation endpoint unavailable')
    }
  }
  return adapter
}

/** A scripted phone-number based adapter (Telegram's shape). */
export function scriptedPnba (): PnbaAdapter & { readonly published: string[] } {
  const published: string[] = []
  return {
    protocol: 'pnba',
    published,
    requestCode: async phoneNumber => {
      if (phoneNumber === '+10000000000') throw new PlatformFailure('rejected', 'The phone number is invalid')
      return { message: 'Code sent successfully' }
    },
    exchangeCode: async ({ code, password }) => {
      if (code !== '12345') throw new PlatformFailure('rejected', 'The phone code entered was invalid')
      if (password === undefined) return { twoStepVerificationRequired: true }
      if (password !== 'secret') throw new PlatformFailure('rejected', 'The password (and thus its hash value) you entered is invalid')
      return { token: { session: 'telegram-session' }, accountIdentifier: SENDER }
    },
    publish: async (_token, content) => {
      published.push(content.body)
      return {}
    },
    revoke: async () => {}
  }
}

/** SMS the publisher queued, as its relay SMS sender was asked to send them. */
export function recordedSms (): RelaySms & { readonly sent: Array<{ recipient: string, text: string, purpose: string }> } {
  const sent: Array<{ recipient: string, text: string, purpose: string }> = []
  return { sent, send: async (recipient, text, purpose) => { sent.push({ recipient, text, purpose }) } }
}

export interface PublisherHarness {
  readonly server: RelayGrpcServer
  readonly client: ReturnType<typeof publisherClient>
  readonly internalErrors: unknown[]
  close: () => Promise<void>
}

export async function startPublisherHarness (store: EmbeddedStore, options: Partial<PublisherOptions> & { entityInternal: EntityInternal, adapters: ReadonlyMap<string, PlatformAdapter> }): Promise<PublisherHarness> {
  const publisher = publisherOf({
    publications: store.relayPublications,
    publicationKey: publicationKeyOf(randomBytes(32)),
    checkLongLivedToken: async token => { if (token !== VALID_LLT) throw new RpcFailure(status.UNAUTHENTICATED, INVALID_TOKEN_DETAILS) },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 50 },
    ...options
  })
  const internalErrors: unknown[] = []
  const server = await startPublisherGrpcServer(publisher, { host: '127.0.0.1', port: 0, onInternalError: error => { internalErrors.push(error) } })
  const client = publisherClient(server.port)
  return {
    server,
    client,
    internalErrors,
    close: async () => {
      client.close()
      await server.close()
    }
  }
}

/** Decrypted content v2 (relay.md §4) of a text platform: from, body, and the tokens when the device keeps them. */
export function textContentV2 (from: string, body: string, access = '', refresh = ''): Buffer {
  const encoded = encodeContent(2, { serviceType: 'text', from, body, accessToken: access, refreshToken: refresh })
  if (!encoded.ok) throw encoded.error
  return encoded.value
}
