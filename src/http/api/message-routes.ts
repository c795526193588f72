import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { MAX_REQUEST_BYTES } from '../../gateway/stages/parse-request.ts'
import { MAX_CORREL_ID_BYTES, idProblem } from '../../domain/request-ids.ts'
import { apiClientOf, apiGuard } from './api-guard.ts'
import type { HttpServices } from './http-services.ts'
import { useJsonNumbersAsText } from './json-body.ts'
import { ProblemSchema, sendProblem } from './problem.ts'
import {
  BatchSchema, MAX_BATCH_BODY_BYTES, SendRequestSchema, checkSendRequests,
  type CheckedRequest, type SendRequestBody
} from './send-request-body.ts'
import { StatusSchema, statusJsonOf } from './status-json.ts'

const AcceptedSchema = Type.Object({
  'correl-id': Type.String(),
  accepted: Type.Literal(true)
}, { description: 'The request is stored durably and will be sent; its statuses follow' })

const BatchAcceptedSchema = Type.Object({
  accepted: Type.Integer({ description: 'how many requests were accepted: all of them' }),
  results: Type.Array(AcceptedSchema, { description: 'one per request, in the order sent' })
})

/** Where a request stands, for GET /v1/messages/{correlId} (docs/http-api.md, "Queued"). */
const requestStates = { queued: 'queued', reported: 'reported' } as const

const MessageStatusesSchema = Type.Object({
  'client-id': Type.String(),
  'correl-id': Type.String(),
  state: Type.Union([Type.Literal(requestStates.queued), Type.Literal(requestStates.reported)], {
    description: 'queued: accepted, waiting for the gateway, no status yet (statuses is empty); reported: statuses holds at least one'
  }),
  statuses: Type.Array(StatusSchema, { description: 'oldest first' })
})

const CorrelIdParams = Type.Object({
  correlId: Type.String({ minLength: 1, description: 'the request\'s correl-id (percent-encoded)' })
})

const security = [{ apiKey: [] }]
const problems = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
  429: ProblemSchema,
  503: ProblemSchema
}

/**
 * POST /v1/messages, POST /v1/messages/batch and GET /v1/messages/{correlId}: sealed requests
 * in, the statuses of one request out. Register with prefix /v1.
 */
export const messageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  useJsonNumbersAsText(app)
  app.addHook('onRequest', apiGuard(app.smsgw))

  app.post('/messages', {
    bodyLimit: MAX_REQUEST_BYTES,
    schema: {
      summary: 'Send one sealed SMS',
      description: 'Validates the request as the gateway would on send-sms, stores it durably, and answers 202. ' +
        'Its statuses follow: GET /v1/messages/{correlId}, the status stream, or the client\'s webhook.',
      tags: ['messages'],
      security,
      body: SendRequestSchema,
      response: { 202: AcceptedSchema, ...problems }
    }
  }, async (request, reply) => {
    const requests = await acceptRequests(app.smsgw, request, reply, [request.body], false)
    if (requests === undefined) return reply
    const [accepted] = requests
    return await reply.code(202).send({ 'correl-id': accepted?.correlId ?? '', accepted: true })
  })

  app.post('/messages/batch', {
    bodyLimit: MAX_BATCH_BODY_BYTES,
    schema: {
      summary: 'Send up to 500 sealed SMS at once',
      description: 'All or nothing: when any request is invalid (400) or of another client (403), none is accepted, ' +
        'and the problems name each bad request by its index, as in `[3].deadline is missing`. ' +
        'A batch of n requests takes n tokens of the client\'s rate limit.',
      tags: ['messages'],
      security,
      body: BatchSchema,
      response: { 202: BatchAcceptedSchema, ...problems }
    }
  }, async (request, reply) => {
    const requests = await acceptRequests(app.smsgw, request, reply, request.body, true)
    if (requests === undefined) return reply
    return await reply.code(202).send({
      accepted: requests.length,
      results: requests.map(accepted => ({ 'correl-id': accepted.correlId, accepted: true as const }))
    })
  })

  app.get('/messages/:correlId', {
    schema: {
      summary: 'The statuses of one request',
      description: 'Every status reported so far for the key\'s client and this correl-id, oldest first, and the request\'s state: ' +
        '`queued` from the moment it is accepted until its first status, `reported` after. ' +
        '404 when the request is neither queued nor has a status (and for correl-ids of other clients). ' +
        `400 for a correl-id no request can have (over ${MAX_CORREL_ID_BYTES} bytes, a control character, a lone surrogate).`,
      tags: ['messages'],
      security,
      params: CorrelIdParams,
      response: { 200: MessageStatusesSchema, 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema }
    }
  }, async (request, reply) => {
    const { clientId } = apiClientOf(request)
    const { correlId } = request.params
    // No request can have such a correl-id; and the 404 would echo it.
    const problem = idProblem(correlId, MAX_CORREL_ID_BYTES)
    if (problem !== undefined) return sendProblem(reply, 400, [`correl-id ${problem}`])
    // The history first: the queue is asked (a scan of the queued requests) only for a request
    // with no status yet. A request leaves the queue only once its status is stored, so one no
    // longer queued by then has its status in the history read again.
    let events = await app.smsgw.statuses.history(clientId, correlId)
    if (events.length === 0) {
      if (await app.smsgw.ingress.queued(clientId, correlId)) return { 'client-id': clientId, 'correl-id': correlId, state: requestStates.queued, statuses: [] }
      events = await app.smsgw.statuses.history(clientId, correlId)
    }
    if (events.length === 0) return sendProblem(reply, 404, `no request with correl-id ${JSON.stringify(correlId)} of client ${clientId} is queued or has a status`)
    return { 'client-id': clientId, 'correl-id': correlId, state: requestStates.reported, statuses: events.map(statusJsonOf) }
  })
}

/**
 * Checks `bodies` (already through the schema), checks they are all the key's client's, pays
 * for a batch's further messages and hands them to the ingress. Resolves to the accepted
 * requests, or to undefined once it has answered with a problem.
 */
async function acceptRequests (
  services: HttpServices, request: FastifyRequest, reply: FastifyReply, bodies: readonly SendRequestBody[], batch: boolean
): Promise<CheckedRequest[] | undefined> {
  const owner = apiClientOf(request)
  const checked = checkSendRequests(bodies, batch)
  if ('problems' in checked) {
    sendProblem(reply, 400, checked.problems)
    return undefined
  }
  const foreign = checked.requests.find(accepted => accepted.clientId !== owner.clientId)
  if (foreign !== undefined) {
    sendProblem(reply, 403, `an API key of client ${JSON.stringify(owner.clientId)} cannot send for client ${JSON.stringify(foreign.clientId)}`)
    return undefined
  }
  services.rateLimiter.charge(owner.clientId, checked.requests.length - 1)
  try {
    await services.ingress.accept(checked.requests.map(accepted => accepted.value))
  } catch (error) {
    // The ingress's error speaks of its store or broker, never of a payload.
    request.log.error({ err: error, clientId: owner.clientId, requests: checked.requests.length }, 'request ingress failed')
    reply.header('retry-after', '1')
    sendProblem(reply, 503, 'the request could not be stored; try again')
    return undefined
  }
  return checked.requests
}
