import type { ServerResponse } from 'node:http'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { encodeStatusEvent } from '../../gateway/status/status-event.ts'
import { apiClientOf, apiGuard } from './api-guard.ts'
import { ProblemSchema, sendProblem } from './problem.ts'

export const DEFAULT_HEARTBEAT_MS = 15_000
/** Open streams per client at most; each costs a subscription and a socket. */
export const MAX_STREAMS_PER_CLIENT = 16
/** Open streams in all at most, whatever the number of clients: with the buffer below, 16 MiB at worst. */
export const MAX_STREAMS = 64
/**
 * A stream whose client reads this far behind is closed rather than buffered without bound;
 * the client reconnects and catches up through GET /v1/messages/{correlId}. Some 1,500 statuses.
 */
export const MAX_STREAM_BUFFER_BYTES = 256 * 1024
const STREAM_LIMIT_RETRY_AFTER_SECONDS = 5

/**
 * GET /v1/statuses/stream: the statuses of the key's client from now on, as server-sent events
 * (`event: status`, `data: <status JSON of spec §4>`), with a comment line every heartbeatMs so
 * proxies keep the connection open. Register with prefix /v1.
 */
export const statusStreamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { statuses, heartbeatMs } = app.smsgw
  const openStreams = new Map<string, Set<ServerResponse>>()
  let streamCount = 0
  app.addHook('onRequest', apiGuard(app.smsgw))
  // An open stream would keep close() waiting for ever: end them all first.
  app.addHook('preClose', async () => {
    for (const streams of openStreams.values()) for (const response of streams) response.end()
  })

  app.get('/statuses/stream', {
    // A HEAD would open a stream that can carry nothing.
    exposeHeadRoute: false,
    schema: {
      summary: 'The client\'s statuses as they are reported (server-sent events)',
      description: 'Each status is an event `status` whose data is the status JSON. A comment line `: heartbeat` ' +
        `comes every ${DEFAULT_HEARTBEAT_MS / 1000} s. Statuses reported while no stream is open are not replayed. ` +
        `At most ${MAX_STREAMS_PER_CLIENT} open streams per client, ${MAX_STREAMS} in all (503 past it).`,
      tags: ['statuses'],
      security: [{ apiKey: [] }],
      response: {
        200: {
          description: 'An event stream that lasts until either side closes it',
          content: { 'text/event-stream': { schema: Type.String({ examples: ['event: status\ndata: {"client-id":"test",…}\n\n'] }) } }
        },
        401: ProblemSchema,
        429: ProblemSchema,
        503: ProblemSchema
      }
    }
  }, async (request, reply) => {
    const { clientId } = apiClientOf(request)
    let streams = openStreams.get(clientId)
    if (streams !== undefined && streams.size >= MAX_STREAMS_PER_CLIENT) {
      reply.header('retry-after', String(STREAM_LIMIT_RETRY_AFTER_SECONDS))
      return sendProblem(reply, 429, `client ${clientId} has ${MAX_STREAMS_PER_CLIENT} status streams open already`)
    }
    if (streamCount >= MAX_STREAMS) {
      reply.header('retry-after', String(STREAM_LIMIT_RETRY_AFTER_SECONDS))
      return sendProblem(reply, 503, `the gateway has ${MAX_STREAMS} status streams open already`)
    }
    if (streams === undefined) {
      streams = new Set()
      openStreams.set(clientId, streams)
    }
    const clientStreams = streams
    reply.hijack()
    const response = reply.raw
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx would otherwise hold events back in its buffer.
      'x-accel-buffering': 'no'
    })
    const write = (text: string): void => {
      if (response.writableLength > MAX_STREAM_BUFFER_BYTES) {
        request.log.warn({ clientId, bufferedBytes: response.writableLength }, 'status stream reader too slow: closing the stream')
        response.destroy()
        return
      }
      response.write(text)
    }
    // A first line at once, so that the client's fetch resolves before the first status.
    write(': connected\n\n')
    const unsubscribe = statuses.subscribe(clientId, event => { write(`event: status\ndata: ${encodeStatusEvent(event)}\n\n`) })
    const heartbeat = setInterval(() => { write(': heartbeat\n\n') }, heartbeatMs)
    clientStreams.add(response)
    streamCount++
    response.on('close', () => {
      streamCount--
      unsubscribe()
      clearInterval(heartbeat)
      clientStreams.delete(response)
      if (clientStreams.size === 0 && openStreams.get(clientId) === clientStreams) openStreams.delete(clientId)
    })
    return reply
  })
}
