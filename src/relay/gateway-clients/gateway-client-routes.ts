import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { gatewayClientLimits, type GatewayClientFilter, type GatewayClientRegistryStore, type ReliabilityTestFilter } from '../../store/gateway-clients.ts'
import { addV3Preflight, applyV3Conventions } from '../http/v3-conventions.ts'
import { paginationHeaders, windowOf, type Page } from './pagination.ts'
import { firstValue, isoInstantMs, pythonInt } from './query-values.ts'
import { gatewayClientJson, reliabilityTestPageJson, startedTestJson } from './registry-json.ts'
import { sweepTimedOut } from './reliability.ts'

// The gateway-client registry's HTTP routes (relay-wire.md §5.1), with upstream's texts:
// GET /v3/clients, GET /v3/clients/countries, GET /v3/clients/<country>/operators, and
// POST and GET /v3/clients/<msisdn>/tests. Also the CORS preflight of every /v3 path.

export interface GatewayClientRoutesOptions {
  readonly registry: GatewayClientRegistryStore
  /** The clock of test starts and the timeout sweep (tests inject one). */
  readonly now?: () => number
}

const DAY_MS = 86_400_000

export const clientsTexts = Object.freeze({
  badPage: 'Invalid page or per_page parameter. Must be positive integers.',
  badLastPublished: 'Invalid last_published_date. Please provide a valid ISO format datetime (YYYY-MM-DD).'
})

export const testsTexts = Object.freeze({
  badPage: 'Page and per_page must be positive integers.',
  badStartTime: 'Invalid start_time format. Use ISO format (YYYY-MM-DDTHH:MM:SS).',
  badEndTime: 'Invalid end_time format. Use ISO format (YYYY-MM-DDTHH:MM:SS).',
  unknownClient: 'Gateway client not found'
})

type Query = Record<string, unknown>

// The RelaySMS routes are not the smsgw API: kept out of its OpenAPI document (docs/relay.md describes them).
const notInOpenApi = { schema: { hide: true } }

/** The routes as a Fastify plugin, for the HTTP front's relayRoutes. */
export function gatewayClientRoutes (options: GatewayClientRoutesOptions): FastifyPluginAsync {
  const { registry } = options
  const now = options.now ?? Date.now
  return async (app: FastifyInstance) => {
    applyV3Conventions(app)
    addV3Preflight(app)
    // Upstream never reads the body of these routes (the app sends one with POST .../tests): any
    // body, of any type, is taken and ignored, within the front's size limit.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => { done(null, undefined) })

    app.get('/v3/clients', notInOpenApi, async (request, reply) => {
      const query = request.query as Query
      // Upstream's `int(args.get("page") or 1)`: an empty value is the default.
      const page = pageOf(firstValue(query.page) || '1', firstValue(query.per_page) || '10')
      if (page === undefined) return await badRequest(reply, clientsTexts.badPage)
      const filter: { -readonly [K in keyof GatewayClientFilter]: GatewayClientFilter[K] } = {}
      for (const name of ['country', 'operator', 'protocols'] as const) {
        const value = firstValue(query[name])
        if (value !== undefined && value !== '') filter[name] = value
      }
      const lastPublished = firstValue(query.last_published_date)
      if (lastPublished !== undefined && lastPublished !== '') {
        const instantMs = isoInstantMs(lastPublished)
        if (instantMs === undefined) return await badRequest(reply, clientsTexts.badLastPublished)
        // Upstream compares the stored date truncated to its day with the instant given: only a
        // midnight matches anything (UTC here).
        filter.lastPublished = { fromMs: instantMs, toMs: instantMs % DAY_MS === 0 ? instantMs + DAY_MS : instantMs }
      }
      const { clients, total } = await registry.clients.list(filter, windowOf(page))
      return await reply.headers(paginationHeaders(baseUrlOf(request), page, total)).send(clients.map(gatewayClientJson))
    })

    app.get('/v3/clients/countries', notInOpenApi, async () => await registry.clients.countries())

    app.get<{ Params: { country: string } }>('/v3/clients/:country/operators', notInOpenApi, async request => await registry.clients.operators(request.params.country))

    app.post<{ Params: { msisdn: string } }>('/v3/clients/:msisdn/tests', notInOpenApi, async request => {
      const { msisdn } = request.params
      const nowMs = now()
      await sweepTimedOut(registry.tests, nowMs)
      const test = Buffer.byteLength(msisdn) > gatewayClientLimits.msisdnBytes ? undefined : await registry.tests.start(msisdn, nowMs)
      // A 200, as upstream answers it.
      return test === undefined ? { error: testsTexts.unknownClient } : startedTestJson(test)
    })

    app.get<{ Params: { msisdn: string } }>('/v3/clients/:msisdn/tests', notInOpenApi, async (request, reply) => {
      await sweepTimedOut(registry.tests, now())
      const query = request.query as Query
      // Upstream's `int(args.get("page", 1))`: an empty value is not a number.
      const page = pageOf(firstValue(query.page) ?? '1', firstValue(query.per_page) ?? '10')
      if (page === undefined) return await badRequest(reply, testsTexts.badPage)
      const filter: { -readonly [K in keyof ReliabilityTestFilter]: ReliabilityTestFilter[K] } = {}
      const status = firstValue(query.status)
      if (status !== undefined && status !== '') filter.status = status
      for (const [name, key, text] of [['start_time', 'startedFromMs', testsTexts.badStartTime], ['end_time', 'startedToMs', testsTexts.badEndTime]] as const) {
        const value = firstValue(query[name])
        if (value === undefined || value === '') continue
        const instantMs = isoInstantMs(value)
        if (instantMs === undefined) return await badRequest(reply, text)
        filter[key] = instantMs
      }
      const tests = await registry.tests.list(request.params.msisdn, filter, windowOf(page))
      return await reply.headers(paginationHeaders(baseUrlOf(request), page, tests.total)).send(reliabilityTestPageJson(tests))
    })
  }
}

/** Both numbers as Python's int() reads them, each at least 1; undefined otherwise. */
function pageOf (pageText: string, perPageText: string): Page | undefined {
  const page = pythonInt(pageText)
  const perPage = pythonInt(perPageText)
  if (page === undefined || perPage === undefined || page < 1n || perPage < 1n) return undefined
  return { page, perPage }
}

async function badRequest (reply: FastifyReply, text: string): Promise<FastifyReply> {
  return await reply.code(400).send({ error: text })
}

/** Flask's request.base_url: scheme, host and path, without the query. */
function baseUrlOf (request: FastifyRequest): string {
  const path = request.url.split('?')[0] as string
  return `${request.protocol}://${request.host}${path}`
}
