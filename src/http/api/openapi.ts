import type { FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

/** The version of the /v1 API described, not of smsgw. */
export const API_VERSION = '1.0.0'

/**
 * @fastify/swagger, which builds the OpenAPI 3.1 document from the route schemas (so register
 * it before the routes: it collects them as they are added), served at /openapi.json, and
 * @fastify/swagger-ui's page at /docs.
 */
export async function registerOpenApi (app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'smsgw HTTP API',
        version: API_VERSION,
        description: 'Sealed SMS in, statuses out. See docs/http-api.md for authentication, rate limits and webhooks.'
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key, `smsgw_<id>_<secret>`, made by `smsgw api-key create CLIENT`' },
          operatorKey: { type: 'http', scheme: 'bearer', description: 'An operator key, `smsgw_op_<id>_<secret>`, made by `smsgw api-key operator create` (or printed by the first `smsgw run`)' }
        }
      },
      tags: [
        { name: 'messages', description: 'Send sealed SMS; read their statuses' },
        { name: 'statuses', description: 'Statuses as they are reported' },
        { name: 'inbound', description: 'SMS sent to the client\'s numbers, sealed to its key (embedded mode)' },
        { name: 'operator', description: 'Requests whose outcome is unknown, to reconcile with the SMSC' }
      ]
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
