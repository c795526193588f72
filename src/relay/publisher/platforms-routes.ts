import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import type { Platform } from '../payload/platforms.ts'
import { manifestOf } from './platform-manifests.ts'

// GET /v1/platforms and GET /v1/platforms/{platform_name} (relay-wire.md §5.3), answered as
// upstream's FastAPI routes answer: the manifests of the platforms this publisher serves (those
// with an adapter, as upstream lists its installed adapters), a name matched case-insensitively,
// 404 {"detail": "Platform not found"}, and FastAPI's 422 validation body for a name outside the
// path pattern.

const NAME_PATTERN_TEXT = '^[a-zA-Z0-9_-]+$'
const NAME_PATTERN = new RegExp(NAME_PATTERN_TEXT)

export function platformsRoutes (available: readonly Platform[]): FastifyPluginAsync {
  const manifests = available.map(manifestOf)
  return async (app: FastifyInstance) => {
    app.get('/v1/platforms', async () => manifests)
    app.get<{ Params: { platform_name: string } }>('/v1/platforms/:platform_name', async (request, reply) => {
      const name = request.params.platform_name
      if (!NAME_PATTERN.test(name)) {
        return await reply.code(422).send({ detail: [{ type: 'string_pattern_mismatch', loc: ['path', 'platform_name'], msg: `String should match pattern '${NAME_PATTERN_TEXT}'`, input: name, ctx: { pattern: NAME_PATTERN_TEXT } }] })
      }
      const manifest = manifests.find(candidate => candidate.name.toLowerCase() === name.toLowerCase())
      if (manifest === undefined) return await reply.code(404).send({ detail: 'Platform not found' })
      return manifest
    })
  }
}
