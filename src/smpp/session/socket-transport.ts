import net from 'node:net'
import tls from 'node:tls'
import { drainOrClose } from '../../async/drain-or-close.ts'
import { connectionError } from './session-errors.ts'
import type { SmppConnector, SmppTransport } from './transport.ts'

/** The wait for TCP (and TLS) to connect; an SMSC that takes longer is as good as down. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000

export interface SmppTlsOptions {
  /** PEM certificates to trust instead of Node's bundled CAs (an SMSC with a private CA). */
  ca?: string | Buffer | Array<string | Buffer>
  /** Check the SMSC's certificate; true by default. Turn off only for a test SMSC. */
  rejectUnauthorized?: boolean
  /** The name to verify and send in SNI, when it is not `host` (connecting by IP address). */
  servername?: string
}

export interface SmppSocketOptions {
  host: string
  port: number
  /** Connect with TLS when given (SMPP over TLS, usually port 3550 or the SMSC's choice). */
  tls?: SmppTlsOptions
  /** Milliseconds to wait for the connection (and the TLS handshake); 10 000 by default. */
  connectTimeoutMs?: number
}

/** A connector for SmscSession and ReconnectingSession: each call opens a new socket. */
export function socketConnector (options: SmppSocketOptions): SmppConnector {
  const settings = { ...options, tls: options.tls === undefined ? undefined : { ...options.tls } }
  return async signal => await connectSocket(settings, signal)
}

/**
 * Opens a TCP or TLS connection to an SMSC.
 * @throws SmppSessionError SMSGW_SMPP_CONNECTION when it cannot connect within
 * connectTimeoutMs, the TLS handshake fails, or `signal` aborts.
 */
export async function connectSocket (options: SmppSocketOptions, signal?: AbortSignal): Promise<SmppTransport> {
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const where = `${options.host}:${options.port}`
  signal?.throwIfAborted()
  const socket = options.tls === undefined
    ? net.connect({ host: options.host, port: options.port })
    : tls.connect({
      host: options.host,
      port: options.port,
      ca: options.tls.ca,
      rejectUnauthorized: options.tls.rejectUnauthorized ?? true,
      // Node sends the host as SNI unless it is an IP address; an explicit name wins.
      ...(options.tls.servername === undefined ? {} : { servername: options.tls.servername })
    })
  const connectEvent = options.tls === undefined ? 'connect' : 'secureConnect'
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { fail(new Error(`no connection within ${timeoutMs} ms`)) }, timeoutMs)
    const onConnect = (): void => {
      cleanUp()
      resolve()
    }
    const onError = (error: Error): void => { fail(error) }
    const onAbort = (): void => { fail(new Error('connecting was aborted')) }
    function cleanUp (): void {
      clearTimeout(timer)
      socket.off(connectEvent, onConnect)
      socket.off('error', onError)
      signal?.removeEventListener('abort', onAbort)
    }
    function fail (error: Error): void {
      cleanUp()
      socket.destroy()
      reject(connectionError(`could not connect to ${where}: ${error.message}`, error))
    }
    socket.once(connectEvent, onConnect)
    socket.once('error', onError)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
  // SMPP PDUs are small and each waits for its answer: Nagle's delay would only add latency.
  socket.setNoDelay(true)
  return socketTransport(socket)
}

/**
 * The transport over a connected socket. Errors reach the session through the chunks (the
 * socket's async iterator throws them); the listener below keeps an error that comes after the
 * session stopped reading from crashing the process.
 */
export function socketTransport (socket: net.Socket): SmppTransport {
  socket.on('error', () => {})
  return {
    chunks: socket,
    send: async bytes => {
      // Decided at the call: a socket that cannot take bytes writes nothing.
      if (!socket.writable) throw connectionError('the SMSC connection is closed')
      if (socket.write(bytes)) return
      await drainOrClose(socket)
    },
    end: async () => {
      if (socket.closed) return
      await new Promise<void>(resolve => {
        socket.once('close', () => { resolve() })
        socket.end()
      })
    },
    destroy: () => { socket.destroy() }
  }
}
