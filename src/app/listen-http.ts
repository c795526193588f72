import type { FastifyInstance } from 'fastify'
import { errorCodes, SmsgwError } from '../errors.ts'

export interface ListenAddress {
  readonly host: string
  readonly port: number
  /** The command-line options that set the host and the port, named in the error. */
  readonly hostOption: string
  readonly portOption: string
}

/**
 * Listens on `address` and resolves to the URL. A refusal from the operating system becomes
 * one clear sentence naming the address and the option that changes it.
 * @throws SmsgwError SMSGW_LISTEN (cause: the system error).
 */
export async function listenHttp (app: FastifyInstance, address: ListenAddress): Promise<string> {
  try {
    return await app.listen({ host: address.host, port: address.port })
  } catch (error) {
    const where = `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`
    throw new SmsgwError(errorCodes.listen, `cannot listen on ${where}: ${reasonOf(error, address)}`, { cause: error })
  }
}

function reasonOf (error: unknown, address: ListenAddress): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE': return `the port is in use by another program; choose another with ${address.portOption}`
    case 'EACCES': return `no permission to use this port; choose one from 1024 with ${address.portOption}`
    case 'EADDRNOTAVAIL': return `the host is not an address of this machine; choose another with ${address.hostOption}`
    case 'ENOTFOUND': return `the host name does not resolve; choose another with ${address.hostOption}`
    default: return error instanceof Error ? error.message : String(error)
  }
}
