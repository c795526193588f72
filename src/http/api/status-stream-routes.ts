import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { encodeStatusEvent } from '../../domain/status-event.ts'
import { apiClientOf, apiGuard } from './api-guard.ts'
import { EventStreams, MAX_STREAMS_PER_CLIENT } from './event-streams.ts'
import { ProblemSchema } from './problem.ts'

export const DEFAULT_HEARTBEAT_MS = 15_000
/** Open status streams in all at most, whatever the number of clients: with MAX_STREAM_BUFFER_BYTES each, 16 MiB at worst. */
export const MAX_STREAMS = 64

/**
 * GET /v1/statuses/stream: the statuses of the key's client from now on, as server-sent events
 * (`event: status`, `data: <status JSON of spec §4>`), with a comment line every heartbeatMs so
 * proxies keep the connection open. Register with prefix /v1.
 */
export const statusStreamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { statuses, heartbeatMs } = app.smsgw
  const streams = new EventStreams({ kind: 'status', heartbeatMs, maxStreams: MAX_STREAMS })
  app.addHook('onRequest', apiGuard(app.smsgw))
  app.addHook('preClose', async () => { streams.endAll() })

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
    const refused = streams.refuse(reply, clientId)
    if (refused !== undefined) return refused
    const { response, write } = streams.open(request, reply, clientId)
    const unsubscribe = statuses.subscribe(clientId, event => { write(`event: status\ndata: ${encodeStatusEvent(event)}\n\n`) })
    response.on('close', unsubscribe)
    return reply
  })
}
