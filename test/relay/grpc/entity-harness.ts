import { credentials, type ChannelCredentials, type Client, type ServiceError } from '@grpc/grpc-js'
import { randomBytes } from 'node:crypto'
import type { BreachLookup } from '../../../src/relay/grpc/breach-lookup.ts'
import type { CaptchaVerifier } from '../../../src/relay/grpc/captcha.ts'
import { loadVaultPackage } from '../../../src/relay/grpc/entity-proto.ts'
import { developmentOtpSender } from '../../../src/relay/grpc/development-otp-sender.ts'
import { startRelayGrpcServer, type RelayGrpcServer } from '../../../src/relay/grpc/grpc-server.ts'
import { composeEntityContext } from '../../../src/relay/grpc/entity-context.ts'
import type { OtpSender } from '../../../src/relay/grpc/otp-sender.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { newRing, vaultOver, type TestVault } from '../vault/stored-vault.ts'

// The vault's gRPC server on port 0 over a real store, and a grpc-js client made from the same
// .proto, as the app's generated stubs are.

export const OTP_CODE = '123456'
export const TEST_PHONE = '+237650000001'
export const TEST_EMAIL = 'relay.user@example.org'

type Call = (request: Record<string, unknown>) => Promise<Record<string, unknown>>
const RPC_NAMES = ['CreateEntity', 'AuthenticateEntity', 'ListEntityStoredTokens', 'DeleteEntity', 'ResetPassword', 'UpdateEntityPassword'] as const
type StubClient = Client & Record<string, (request: unknown, callback: (error: ServiceError | null, response: Record<string, unknown>) => void) => void>

/** A grpc-js client of vault.v1.Entity on 127.0.0.1:`port`, from the same .proto as the server. */
export function entityClient (port: number, creds: ChannelCredentials = credentials.createInsecure()): { call: (rpc: string, request: unknown) => Promise<Record<string, unknown>>, close: () => void } {
  return vaultClient('Entity', port, creds)
}

/** A grpc-js client of a vault.v1 service on 127.0.0.1:`port`, from the same .proto as the server. */
export function vaultClient (service: 'Entity' | 'EntityInternal', port: number, creds: ChannelCredentials = credentials.createInsecure()): { call: (rpc: string, request: unknown) => Promise<Record<string, unknown>>, close: () => void } {
  const Service = (loadVaultPackage().vault as any).v1[service] as new (address: string, creds: ChannelCredentials) => StubClient
  const client = new Service(`127.0.0.1:${port}`, creds)
  return {
    call: async (rpc, request) => await new Promise((resolve, reject) => {
      const method = client[rpc]
      if (method === undefined) throw new Error(`no RPC ${rpc}`)
      method.call(client, request, (error, response) => { if (error === null) resolve(response); else reject(error) })
    }),
    close: () => { client.close() }
  }
}

export interface EntityHarness {
  readonly vault: TestVault
  readonly server: RelayGrpcServer
  readonly call: Record<typeof RPC_NAMES[number], Call>
  /** Rejects with the ServiceError; resolves with its code and details. */
  readonly failure: (rpc: keyof EntityHarness['call'], request: Record<string, unknown>) => Promise<{ code: number, details: string }>
  readonly internalErrors: unknown[]
  close: () => Promise<void>
}

export interface HarnessOptions {
  /** The clock of the rate limits (tests move it instead of waiting). */
  readonly nowMs?: () => number
  /** The pepper; a second harness over the same store needs the first one's. */
  readonly pepper?: Buffer
  readonly keys?: TestVault['keys']
  /** The OTP sender; the development one with OTP_CODE for `testIdentifiers` by default. */
  readonly otpSender?: OtpSender
  readonly breachLookup?: BreachLookup
  readonly captcha?: CaptchaVerifier
}

export async function startEntityHarness (store: EmbeddedStore, testIdentifiers: readonly string[] = [TEST_PHONE, TEST_EMAIL], options: HarnessOptions = {}): Promise<EntityHarness> {
  const vault = vaultOver(store, options.keys ?? newRing())
  const internalErrors: unknown[] = []
  const server = await startRelayGrpcServer(
    composeEntityContext({ vault, pepper: options.pepper ?? randomBytes(32), otpSender: options.otpSender ?? developmentOtpSender({ code: OTP_CODE, identifiers: testIdentifiers }), limitStore: store.relayLimits, nowMs: options.nowMs, breachLookup: options.breachLookup, captcha: options.captcha }),
    { host: '127.0.0.1', port: 0, onInternalError: error => { internalErrors.push(error) } }
  )
  const client = entityClient(server.port)
  const call = Object.fromEntries(RPC_NAMES.map(name => [name, async (request: Record<string, unknown>) => await client.call(name, request)])) as EntityHarness['call']
  return {
    vault,
    server,
    call,
    internalErrors,
    failure: async (name, request) => {
      try {
        await call[name](request)
      } catch (error) {
        const { code, details } = error as ServiceError
        return { code, details }
      }
      throw new Error(`${name} succeeded where it should fail`)
    },
    /** Closes the client, the server and the store. */
    close: async () => {
      client.close()
      await server.close()
      await store.close()
    }
  }
}
