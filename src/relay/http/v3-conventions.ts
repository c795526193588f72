import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

// What every /v3 answer of the Gateway Server carries (relay-wire.md §5): upstream's security
// headers, open CORS (Flask-Cors' defaults: the request's Origin echoed, `*` without one), and
// errors as `{"error": "<text>"}`, an unexpected one as a 500 with upstream's text. Applied to
// each /v3 route group (an encapsulated Fastify plugin) by calling applyV3Conventions in it.

/** Upstream's after_request headers (src/api_v3.py), the same on every /v3 answer. */
export const v3SecurityHeaders: Readonly<Record<string, string>> = Object.freeze({
  'Strict-Transport-Security': 'max-age=63072000; includeSubdomains',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': 'script-src \'self\'; object-src \'self\'',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cache-Control': 'no-cache',
  'Permissions-Policy': 'accelerometer=(), ambient-light-sensor=(), autoplay=(), battery=(), camera=(), ' +
    'clipboard-read=(), clipboard-write=(), cross-origin-isolated=(), display-capture=(), ' +
    'document-domain=(), encrypted-media=(), execution-while-not-rendered=(), ' +
    'execution-while-out-of-viewport=(), fullscreen=(), gamepad=(), geolocation=(), ' +
    'gyroscope=(), magnetometer=(), microphone=(), midi=(), navigation-override=(), ' +
    'payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), ' +
    'speaker=(), speaker-selection=(), sync-xhr=(), usb=(), web-share=(), ' +
    'xr-spatial-tracking=()'
})

/** The headers a browser may read from a /v3 answer (upstream's CORS expose_headers). */
export const V3_EXPOSED_HEADERS = 'X-Total-Count, X-Page, X-Per-Page, Link'

/** Upstream's text for an unexpected failure (relay-wire.md §5). */
export const UNEXPECTED_ERROR_TEXT = 'Oops! Something went wrong. Please try again later.'

/** Flask-Cors' default methods, answered to a preflight. */
const PREFLIGHT_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT'

/**
 * Adds the /v3 headers to every answer of the route group `app`, and answers its failures as
 * `{"error": …}`: a client error Fastify raised (an oversized body) with its status, anything
 * else as a 500 with UNEXPECTED_ERROR_TEXT (logged, never shown).
 */
export function applyV3Conventions (app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.headers(v3SecurityHeaders)
    reply.headers(corsHeaders(request))
    if (request.method !== 'OPTIONS') reply.header('Access-Control-Expose-Headers', V3_EXPOSED_HEADERS)
  })
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) return await reply.code(status).send({ error: error.message })
    request.log.error({ err: error }, 'unexpected failure of a /v3 route')
    return await reply.code(500).send({ error: UNEXPECTED_ERROR_TEXT })
  })
}

/** Answers a CORS preflight (OPTIONS) of any /v3 path, as Flask-Cors does. Register once, in one /v3 route group. */
export function addV3Preflight (app: FastifyInstance): void {
  app.options('/v3/*', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const asked = request.headers['access-control-request-headers']
    reply.header('Access-Control-Allow-Methods', PREFLIGHT_METHODS)
    if (typeof asked === 'string') reply.header('Access-Control-Allow-Headers', asked)
    return await reply.code(200).send()
  })
}

function corsHeaders (request: FastifyRequest): Record<string, string> {
  const origin = request.headers.origin
  return typeof origin === 'string' && origin !== ''
    ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' }
    : { 'Access-Control-Allow-Origin': '*' }
}
