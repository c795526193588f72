import type { ServerResponse } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendProblem } from './problem.ts'

/** Open streams of one kind per client at most; each costs a subscription and a socket. */
export const MAX_STREAMS_PER_CLIENT = 16
/**
 * A stream whose client reads this far behind is closed rather than buffered without bound;
 * the client reconnects and catches up (statuses through GET /v1/messages/{correlId}, inbound
 * SMS from their Last-Event-ID). Some 1,500 statuses.
 */
export const MAX_STREAM_BUFFER_BYTES = 256 * 1024
const STREAM_LIMIT_RETRY_AFTER_SECONDS = 5

export interface EventStreamsOptions {
  /** What the streams carry, for refusals and logs: `status`, `inbound`. */
  kind: string
  /** Between heartbeat comments. */
  heartbeatMs: number
  /** Open streams of this kind in all at most, whatever the number of clients; none by default. */
  maxStreams?: number
}

/** One open server-sent event stream. */
export interface EventStream {
  readonly response: ServerResponse
  /** Writes `text`, or closes the stream when its reader is MAX_STREAM_BUFFER_BYTES behind. */
  write: (text: string) => void
}

/**
 * The open server-sent event streams of one route, by client: the limits on how many, the
 * response head, the heartbeat comments, the bound on what a slow reader leaves buffered, and
 * ending them all when the server closes.
 */
export class EventStreams {
  readonly #options: EventStreamsOptions
  readonly #open = new Map<string, Set<ServerResponse>>()
  #count = 0

  constructor (options: EventStreamsOptions) {
    this.#options = options
  }

  /** Sends 429 (the client's limit) or 503 (the limit in all) when no stream may open, and returns the reply; undefined when one may. */
  refuse (reply: FastifyReply, clientId: string): FastifyReply | undefined {
    const { kind, maxStreams } = this.#options
    const streams = this.#open.get(clientId)
    if (streams !== undefined && streams.size >= MAX_STREAMS_PER_CLIENT) {
      reply.header('retry-after', String(STREAM_LIMIT_RETRY_AFTER_SECONDS))
      return sendProblem(reply, 429, `client ${clientId} has ${MAX_STREAMS_PER_CLIENT} ${kind} streams open already`)
    }
    if (maxStreams !== undefined && this.#count >= maxStreams) {
      reply.header('retry-after', String(STREAM_LIMIT_RETRY_AFTER_SECONDS))
      return sendProblem(reply, 503, `the gateway has ${maxStreams} ${kind} streams open already`)
    }
    return undefined
  }

  /**
   * Takes the response over from Fastify and opens the stream: its head, a first comment at
   * once (so that the client's fetch resolves before the first event), then a heartbeat
   * comment every heartbeatMs. On close it is forgotten; the caller adds what else to undo.
   */
  open (request: FastifyRequest, reply: FastifyReply, clientId: string): EventStream {
    const { kind, heartbeatMs } = this.#options
    let clientStreams = this.#open.get(clientId)
    if (clientStreams === undefined) {
      clientStreams = new Set()
      this.#open.set(clientId, clientStreams)
    }
    const streams = clientStreams
    reply.hijack()
    const response = reply.raw
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx would otherwise hold events back in its buffer.
      'x-accel-buffering': 'no'
    })
    const write = (text: string): void => {
      if (response.destroyed) return
      if (response.writableLength > MAX_STREAM_BUFFER_BYTES) {
        request.log.warn({ clientId, bufferedBytes: response.writableLength }, `${kind} stream reader too slow: closing the stream`)
        response.destroy()
        return
      }
      response.write(text)
    }
    write(': connected\n\n')
    const heartbeat = setInterval(() => { write(': heartbeat\n\n') }, heartbeatMs)
    streams.add(response)
    this.#count++
    response.on('close', () => {
      this.#count--
      clearInterval(heartbeat)
      streams.delete(response)
      if (streams.size === 0 && this.#open.get(clientId) === streams) this.#open.delete(clientId)
    })
    return { response, write }
  }

  /** Ends every open stream: an open one would keep the server's close waiting for ever. */
  endAll (): void {
    for (const streams of this.#open.values()) for (const response of streams) response.end()
  }
}
