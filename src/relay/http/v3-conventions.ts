import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

// What every answer of the Gateway Server carries (relay-wire.md §5): upstream's security
// headers, open CORS (Flask-Cors' defaults: the request's Origin echoed, `*` without one; /v3
// exposes its pagination headers), and errors as `{"error": "<text>"}`, an unexpected one as a 500
// with upstream's text. Applied to a /v3 route group (an encapsulated Fastify plugin) by calling
// applyV3Conventions in it, or per answer with setGatewayServerHeaders (the ingress, whose legacy
// /sms/platform/<x> path shares them).

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

/** The headers a browser may read from a /v3 answer (upstream's CORS expose_headers, as Flask-Cors writes them: sorted). */
export const V3_EXPOSED_HEADERS = 'Link, X-Page, X-Per-Page, X-Total-Count'

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
  app.addHook('onSend', async (request, reply) => { setGatewayServerHeaders(request, reply) })
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) return await reply.code(status).send({ error: error.message })
    request.log.error({ err: error }, 'unexpected failure of a /v3 route')
    return await reply.code(500).send({ error: UNEXPECTED_ERROR_TEXT })
  })
}

/** Answers a CORS preflight (OPTIONS) of any /v3 path, as Flask-Cors does. Register once, in one /v3 route group. */
export function addV3Preflight (app: FastifyInstance): void {
  app.options('/v3/*', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => answerPreflight(request, reply))
}

/** Sets the security and CORS headers of one answer; a /v3 answer other than a preflight also exposes the pagination headers. */
export function setGatewayServerHeaders (request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.headers(v3SecurityHeaders)
  const origin = request.headers.origin
  if (typeof origin === 'string' && origin !== '') reply.headers({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' })
  else reply.header('Access-Control-Allow-Origin', '*')
  if (request.method !== 'OPTIONS' && request.url.startsWith('/v3/')) reply.header('Access-Control-Expose-Headers', V3_EXPOSED_HEADERS)
  return reply
}

/** The answer to a CORS preflight (OPTIONS): the methods, and the headers the request asked for, with an empty HTML body as Flask's. */
export function answerPreflight (request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('Access-Control-Allow-Methods', PREFLIGHT_METHODS)
  const asked = request.headers['access-control-request-headers']
  if (typeof asked === 'string') reply.header('Access-Control-Allow-Headers', asked)
  return reply.code(200).type('text/html; charset=utf-8').send('')
}
