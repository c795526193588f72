import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js'
import type { EntityContext } from './entity-context.ts'
import { entityInternalServiceHandlers } from './entity-internal/entity-internal-of.ts'
import { entityInternalServiceDefinition, entityServiceDefinition } from './entity-proto.ts'
import { entityServiceHandlers } from './entity-service.ts'

// The relay's gRPC servers: vault.v1.Entity (relay-wire.md §1, the app's) and, on ports of its
// own, vault.v1.EntityInternal (§2, server to server) and publisher.v1.Publisher (§3), each on a
// plaintext port and on a TLS port when a certificate is configured.

/** Ours: the largest request the Entity server reads; the vault's requests are well under 4 KiB. */
export const MAX_REQUEST_BYTES = 64 * 1024
/** Ours: the EntityInternal server's; a request holds at most a 16 KiB token or a framed ratchet message of 64 KiB in base64 (about 87.5 KiB). */
export const MAX_INTERNAL_REQUEST_BYTES = 128 * 1024

export interface RelayGrpcServerOptions {
  readonly host: string
  /** 0 picks a free port (tests). */
  readonly port: number
  /** A TLS port beside the plaintext one (relay-wire.md: the app's release builds speak TLS). */
  readonly tls?: { readonly port: number, readonly certChain: Buffer, readonly privateKey: Buffer }
  /** Called with what made an RPC answer INTERNAL; it never holds request fields. */
  readonly onInternalError: (error: unknown) => void
}

export interface RelayGrpcServer {
  /** The plaintext port it listens on. */
  readonly port: number
  /** The TLS port, when asked for. */
  readonly tlsPort: number | undefined
  /** Stops taking calls, lets running ones finish for up to `graceMs`, then cuts them off. */
  close: (graceMs?: number) => Promise<void>
}

/** vault.v1.Entity, the app's service. */
export async function startRelayGrpcServer (context: EntityContext, options: RelayGrpcServerOptions): Promise<RelayGrpcServer> {
  return await startGrpcServer(entityServiceDefinition(), entityServiceHandlers(context, options.onInternalError), MAX_REQUEST_BYTES, options)
}

/** vault.v1.EntityInternal, the publisher's service: never the app's, so on ports of its own (docs/relay.md, "EntityInternal"). */
export async function startEntityInternalGrpcServer (context: Pick<EntityContext, 'vault'>, options: RelayGrpcServerOptions): Promise<RelayGrpcServer> {
  return await startGrpcServer(entityInternalServiceDefinition(), entityInternalServiceHandlers(context, options.onInternalError), MAX_INTERNAL_REQUEST_BYTES, options)
}

/** One service on its ports. */
export async function startGrpcServer (definition: ServiceDefinition, handlers: UntypedServiceImplementation, maxRequestBytes: number, options: RelayGrpcServerOptions): Promise<RelayGrpcServer> {
  const server = new Server({ 'grpc.max_receive_message_length': maxRequestBytes })
  server.addService(definition, handlers)
  const bind = async (port: number, creds: ServerCredentials): Promise<number> => await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`, creds, (error, bound) => {
      if (error === null) resolve(bound)
      else reject(error)
    })
  })
  const port = await bind(options.port, ServerCredentials.createInsecure())
  const tlsPort = options.tls === undefined
    ? undefined
    : await bind(options.tls.port, ServerCredentials.createSsl(null, [{ cert_chain: options.tls.certChain, private_key: options.tls.privateKey }], false)).catch((error: unknown) => {
      server.forceShutdown()
      throw error
    })
  return {
    port,
    tlsPort,
    close: async (graceMs = 5000) => {
      const timer = setTimeout(() => { server.forceShutdown() }, graceMs)
      await new Promise<void>(resolve => { server.tryShutdown(() => { resolve() }) })
      clearTimeout(timer)
    }
  }
}
