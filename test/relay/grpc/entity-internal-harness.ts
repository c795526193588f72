import type { ServiceError } from '@grpc/grpc-js'
import { startEntityInternalGrpcServer, type RelayGrpcServer } from '../../../src/relay/grpc/grpc-server.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { completeOnApp, keyFields, newAppKeys, type AppKeys, type LoggedIn } from './app-client.ts'
import { OTP_CODE, startEntityHarness, TEST_PHONE, vaultClient, type EntityHarness, type HarnessOptions } from './entity-harness.ts'

// The vault's two gRPC servers over one store and context, as smsgw starts them
// (relay-vault-server.ts): vault.v1.Entity (the app's) and vault.v1.EntityInternal on a port of
// its own, each with a grpc-js client made from the same .proto.

export const PASSWORD = 'Str0ng!pass'

export interface InternalHarness {
  readonly entity: EntityHarness
  readonly internal: RelayGrpcServer
  readonly call: (rpc: string, request: Record<string, unknown>) => Promise<Record<string, unknown>>
  /** Rejects with the ServiceError; resolves with its code and details. */
  readonly failure: (rpc: string, request: Record<string, unknown>) => Promise<{ code: number, details: string }>
  readonly internalErrors: unknown[]
  close: () => Promise<void>
}

export async function startInternalHarness (store: EmbeddedStore, options: HarnessOptions = {}): Promise<InternalHarness> {
  const entity = await startEntityHarness(store, undefined, options)
  const internalErrors: unknown[] = []
  const internal = await startEntityInternalGrpcServer({ vault: entity.vault }, { host: '127.0.0.1', port: 0, onInternalError: error => { internalErrors.push(error) } })
  const client = vaultClient('EntityInternal', internal.port)
  return {
    entity,
    internal,
    call: client.call,
    failure: async (rpc, request) => {
      try {
        await client.call(rpc, request)
      } catch (error) {
        const { code, details } = error as ServiceError
        return { code, details }
      }
      throw new Error(`${rpc} succeeded where it should fail`)
    },
    internalErrors,
    close: async () => {
      client.close()
      await internal.close()
      await entity.close()
    }
  }
}

/** Signs TEST_PHONE up through the Entity service; the app's keys and its side of the session. */
export async function signUp (harness: InternalHarness, phoneNumber = TEST_PHONE): Promise<{ keys: AppKeys, app: LoggedIn }> {
  const keys = newAppKeys()
  const app = completeOnApp(keys, await harness.entity.call.CreateEntity({ country_code: 'CM', phone_number: phoneNumber, password: PASSWORD, ...keyFields(keys), ownership_proof_response: OTP_CODE }))
  return { keys, app }
}
