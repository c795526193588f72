import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { drainOrClose } from '../../async/drain-or-close.ts'
import { inboundJsonOf, type InboundFeed } from '../../gateway/inbound/inbound-feed.ts'
import type { StoredInbound } from '../../domain/stored-inbound.ts'
import { apiClientOf, apiGuard } from './api-guard.ts'
import { EventStreams, MAX_STREAM_BUFFER_BYTES, MAX_STREAMS_PER_CLIENT } from './event-streams.ts'
import { ProblemSchema, sendProblem } from './problem.ts'

/** Messages per page of GET /v1/inbound at most, and by default. */
export const MAX_INBOUND_PAGE = 500
export const DEFAULT_INBOUND_PAGE = 100

// A cursor is a message id: digits, at most 15 so it stays a safe integer.
const CURSOR_PATTERN = '^[0-9]{1,15}$'
const CURSOR = new RegExp(CURSOR_PATTERN)
const Cursor = Type.String({ pattern: CURSOR_PATTERN, description: 'a message id: the messages after it come (`0`, the default: from the first kept)' })

export const InboundSchema = Type.Object({
  id: Type.String({ description: 'ascending in storing order, never reused: the cursor to continue after' }),
  received: Type.String({ description: 'when its first part arrived: UTC, whole seconds, Z', examples: ['2026-11-21T10:00:00Z'] }),
  connection: Type.String({ description: 'the SMSC connection it came in on' }),
  parts: Type.Integer({ minimum: 1, maximum: 255 }),
  incomplete: Type.Boolean({ description: 'true when parts never arrived; the sealed JSON names them' }),
  payload: Type.String({ description: 'the inbound JSON (sender, recipient, text, …) sealed to the client\'s key as a v2 payload, base64' })
}, { description: 'A mobile-originated SMS sent to one of the client\'s numbers' })

const InboundPageSchema = Type.Object({
  messages: Type.Array(InboundSchema, { description: 'oldest first' }),
  next: Type.String({ description: 'the cursor for the next page: the last id here, or `after` when the page is empty' })
})

const ListQuery = Type.Object({
  after: Type.Optional(Cursor),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INBOUND_PAGE, description: `default ${DEFAULT_INBOUND_PAGE}` }))
})
const StreamQuery = Type.Object({ after: Type.Optional(Cursor) })

const security = [{ apiKey: [] }]

/**
 * GET /v1/inbound (pages of the key's client's inbound SMS, after a cursor) and
 * GET /v1/inbound/stream (the same as server-sent events, replaying from `Last-Event-ID` or
 * `after`, then live). Each message is served sealed to the client's key. Register with prefix
 * /v1, only where inbound SMS are stored (embedded mode).
 */
export function inboundRoutes (feed: InboundFeed): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { heartbeatMs } = app.smsgw
    const streams = new EventStreams({ kind: 'inbound', heartbeatMs })
    app.addHook('onRequest', apiGuard(app.smsgw))
    app.addHook('preClose', async () => { streams.endAll() })

    app.get('/inbound', {
      schema: {
        summary: 'The client\'s inbound SMS, a page at a time',
        description: 'The mobile-originated SMS sent to numbers the client owns (config `inbound.owners`), oldest first, ' +
          'after the cursor `after`. Continue with `after` = `next` until a page comes back empty. Messages are kept ' +
          'for the store\'s retention (7 days by default). Each is sealed to the client\'s key: `smsgw decrypt VAULT CLIENT` opens it.',
        tags: ['inbound'],
        security,
        querystring: ListQuery,
        response: { 200: InboundPageSchema, 400: ProblemSchema, 401: ProblemSchema, 429: ProblemSchema }
      }
    }, async (request) => {
      const { clientId } = apiClientOf(request)
      const after = request.query.after ?? '0'
      const messages = await feed.list(clientId, Number(after), request.query.limit ?? DEFAULT_INBOUND_PAGE)
      return { messages: messages.map(inboundJsonOf), next: messages.length === 0 ? after : String(messages.at(-1)?.id) }
    })

    app.get('/inbound/stream', {
      exposeHeadRoute: false,
      schema: {
        summary: 'The client\'s inbound SMS as they arrive (server-sent events)',
        description: 'Each message is an event `inbound` with `id:` its id and the message JSON as data. With a ' +
          '`Last-Event-ID` header (as EventSource sends on reconnecting) or `after`, the messages stored after that id come ' +
          `first, so a reconnecting reader misses none. A comment line \`: heartbeat\` comes every ${heartbeatMs / 1000} s. ` +
          `At most ${MAX_STREAMS_PER_CLIENT} open streams per client.`,
        tags: ['inbound'],
        security,
        querystring: StreamQuery,
        response: {
          200: {
            description: 'An event stream that lasts until either side closes it',
            content: { 'text/event-stream': { schema: Type.String({ examples: ['id: 7\nevent: inbound\ndata: {"id":"7",…}\n\n'] }) } }
          },
          400: ProblemSchema,
          401: ProblemSchema,
          429: ProblemSchema
        }
      }
    }, async (request, reply) => {
      const { clientId } = apiClientOf(request)
      const lastEventId = request.headers['last-event-id']
      const resumeFrom = typeof lastEventId === 'string' ? lastEventId : request.query.after
      if (resumeFrom !== undefined && !CURSOR.test(resumeFrom)) return sendProblem(reply, 400, 'Last-Event-ID must be a message id (digits)')
      const refused = streams.refuse(reply, clientId)
      if (refused !== undefined) return refused
      const { response, write } = streams.open(request, reply, clientId)
      const send = (message: StoredInbound): void => {
        write(`id: ${message.id}\nevent: inbound\ndata: ${JSON.stringify(inboundJsonOf(message))}\n\n`)
      }
      // Subscribed before the replay, so that nothing stored meanwhile falls between the two;
      // what arrives during the replay waits, and what the replay sent already is not sent again.
      let held: StoredInbound[] | undefined = resumeFrom === undefined ? undefined : []
      let heldBytes = 0
      const unsubscribe = feed.subscribe(clientId, message => {
        if (held === undefined) {
          send(message)
          return
        }
        // Held in memory while the replay runs, within the bound a live stream's buffer has.
        held.push(message)
        heldBytes += Buffer.byteLength(message.sealed)
        if (heldBytes > MAX_STREAM_BUFFER_BYTES) response.destroy()
      })
      response.on('close', unsubscribe)
      if (held !== undefined) {
        let cursor = Number(resumeFrom)
        try {
          for (let page = await feed.list(clientId, cursor, DEFAULT_INBOUND_PAGE); page.length > 0 && !response.destroyed; page = await feed.list(clientId, cursor, DEFAULT_INBOUND_PAGE)) {
            for (const message of page) {
              send(message)
              cursor = message.id
            }
            // A replay may be days of messages: a page at a time, as fast as the reader reads.
            if (response.writableNeedDrain && !response.destroyed) await drainOrClose(response)
          }
        } catch (error) {
          request.log.error({ err: error, clientId }, 'inbound stream replay failed: closing the stream')
          response.destroy()
        }
        const waiting: StoredInbound[] = held
        held = undefined
        for (const message of waiting) if (message.id > cursor) send(message)
      }
      return reply
    })
  }
}
