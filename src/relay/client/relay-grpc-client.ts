import { credentials, status, type ChannelCredentials, type Client, type ServiceError } from '@grpc/grpc-js'
import { readFile } from 'node:fs/promises'
import { SmsgwError, errorCodes } from '../../errors.ts'
import { loadVaultPackage } from '../grpc/entity-proto.ts'
import { loadPublisherPackage } from '../grpc/publisher-proto.ts'

// The app's gRPC clients of vault.v1.Entity and publisher.v1.Publisher, made from the same .proto
// files as our servers (and, field for field, the app's generated stubs: relay-wire.md §1, §3).
// A refusal becomes an SmsgwError naming the RPC and carrying the server's status and details, the
// contract's text the app would show.

const CALL_TIMEOUT_MS = 30_000
const statusNames = Object.fromEntries(Object.entries(status).map(([name, code]) => [code, name])) as Record<number, string>

export type RelayService = 'Entity' | 'Publisher'

export interface RelayClient {
  call: (rpc: string, request: Record<string, unknown>) => Promise<Record<string, unknown>>
  close: () => void
}

export interface ChannelOptions {
  /** host:port */
  readonly address: string
  readonly tls: boolean
  /** PEM roots instead of the system's, for a server with a private CA or a self-signed certificate. */
  readonly caFile?: string | undefined
}

type Stub = Client & Record<string, (request: unknown, options: { deadline: number }, callback: (error: ServiceError | null, response: Record<string, unknown>) => void) => void>

export async function openRelayClient (service: RelayService, options: ChannelOptions): Promise<RelayClient> {
  const Service = serviceConstructor(service)
  const client = new Service(options.address, await credentialsOf(options))
  return {
    call: async (rpc, request) => await new Promise((resolve, reject) => {
      const method = client[rpc]
      if (typeof method !== 'function') throw new Error(`${service} has no RPC ${rpc}`)
      method.call(client, request, { deadline: Date.now() + CALL_TIMEOUT_MS }, (error, response) => {
        if (error === null) resolve(response)
        else reject(new SmsgwError(errorCodes.relayAppCall, `${rpc} at ${options.address}: ${statusNames[error.code] ?? error.code} ${error.details}`, { retryable: error.code === status.UNAVAILABLE }))
      })
    }),
    close: () => { client.close() }
  }
}

function serviceConstructor (service: RelayService): new (address: string, creds: ChannelCredentials) => Stub {
  const loaded = service === 'Entity' ? (loadVaultPackage().vault as any).v1.Entity : (loadPublisherPackage().publisher as any).v1.Publisher
  return loaded
}

async function credentialsOf (options: ChannelOptions): Promise<ChannelCredentials> {
  if (!options.tls) return credentials.createInsecure()
  if (options.caFile === undefined) return credentials.createSsl()
  const roots = await readFile(options.caFile).catch((cause: unknown) => {
    throw new SmsgwError(errorCodes.relayAppCall, `cannot read the CA file ${options.caFile}`, { cause })
  })
  return credentials.createSsl(roots)
}
