import { credentials, type Client, type ServiceError } from '@grpc/grpc-js'
import { randomBytes } from 'node:crypto'
import { loadVaultPackage } from '../../../src/relay/grpc/entity-proto.ts'
import { developmentOtpSender } from '../../../src/relay/grpc/development-otp-sender.ts'
import { startRelayGrpcServer, type RelayGrpcServer } from '../../../src/relay/grpc/grpc-server.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { newRing, vaultOver, type TestVault } from '../vault/stored-vault.ts'

// The vault's gRPC server on port 0 over a real store, and a grpc-js client made from the same
// .proto, as the app's generated stubs are.

export const OTP_CODE = '123456'
export const TEST_PHONE = '+237650000001'
export const TEST_EMAIL = 'relay.user@example.org'

type Call = (request: Record<string, unknown>) => Promise<Record<string, unknown>>

export interface EntityHarness {
  readonly vault: TestVault
  readonly server: RelayGrpcServer
  readonly call: Record<'CreateEntity' | 'AuthenticateEntity' | 'ListEntityStoredTokens' | 'DeleteEntity' | 'ResetPassword' | 'UpdateEntityPassword', Call>
  /** Rejects with the ServiceError; resolves with its code and details. */
  readonly failure: (rpc: keyof EntityHarness['call'], request: Record<string, unknown>) => Promise<{ code: number, details: string }>
  readonly internalErrors: unknown[]
  close: () => Promise<void>
}

export async function startEntityHarness (store: EmbeddedStore, testIdentifiers: readonly string[] = [TEST_PHONE, TEST_EMAIL]): Promise<EntityHarness> {
  const vault = vaultOver(store, newRing())
  const internalErrors: unknown[] = []
  const server = await startRelayGrpcServer(
    { vault, pepper: randomBytes(32), otp: developmentOtpSender({ code: OTP_CODE, identifiers: testIdentifiers }) },
    { host: '127.0.0.1', port: 0, onInternalError: error => { internalErrors.push(error) } }
  )
  const Entity = (loadVaultPackage().vault as any).v1.Entity as new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client & Record<string, (request: unknown, callback: (error: ServiceError | null, response: Record<string, unknown>) => void) => void>
  const client = new Entity(`127.0.0.1:${server.port}`, credentials.createInsecure())
  const rpc = (name: string): Call => async request => await new Promise((resolve, reject) => {
    client[name]?.(request, (error, response) => { if (error === null) resolve(response); else reject(error) })
  })
  const call = Object.fromEntries(['CreateEntity', 'AuthenticateEntity', 'ListEntityStoredTokens', 'DeleteEntity', 'ResetPassword', 'UpdateEntityPassword'].map(name => [name, rpc(name)])) as EntityHarness['call']
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
