import { Server, ServerCredentials } from '@grpc/grpc-js'
import type { EntityContext } from './entity-context.ts'
import { entityServiceDefinition } from './entity-proto.ts'
import { entityServiceHandlers } from './entity-service.ts'

// The vault's gRPC server (relay-wire.md §1): vault.v1.Entity on a plaintext port.

/** Ours: the largest request the server reads; the vault's requests are well under 4 KiB. */
export const MAX_REQUEST_BYTES = 64 * 1024

export interface RelayGrpcServerOptions {
  readonly host: string
  /** 0 picks a free port (tests). */
  readonly port: number
  /** Called with what made an RPC answer INTERNAL; it never holds request fields. */
  readonly onInternalError: (error: unknown) => void
}

export interface RelayGrpcServer {
  /** The port it listens on. */
  readonly port: number
  /** Stops taking calls, lets running ones finish for up to `graceMs`, then cuts them off. */
  close: (graceMs?: number) => Promise<void>
}

export async function startRelayGrpcServer (context: EntityContext, options: RelayGrpcServerOptions): Promise<RelayGrpcServer> {
  const server = new Server({ 'grpc.max_receive_message_length': MAX_REQUEST_BYTES })
  server.addService(entityServiceDefinition(), entityServiceHandlers(context, options.onInternalError))
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) => {
      if (error === null) resolve(bound)
      else reject(error)
    })
  })
  return {
    port,
    close: async (graceMs = 5000) => {
      const timer = setTimeout(() => { server.forceShutdown() }, graceMs)
      await new Promise<void>(resolve => { server.tryShutdown(() => { resolve() }) })
      clearTimeout(timer)
    }
  }
}
