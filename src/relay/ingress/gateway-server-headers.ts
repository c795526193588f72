import type { FastifyReply, FastifyRequest } from 'fastify'

// The headers upstream's Gateway Server puts on every answer of its blueprints (relay-wire.md §5:
// api_v3.set_security_headers, the same in api_v2) and its CORS (flask-cors with its defaults:
// every origin, the request's Origin echoed when there is one, `*` otherwise; /v3 also exposes
// its pagination headers). Preflights answer with every method and the headers asked for.

const securityHeaders = {
  'strict-transport-security': 'max-age=63072000; includeSubdomains',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "script-src 'self'; object-src 'self'",
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cache-control': 'no-cache',
  'permissions-policy': 'accelerometer=(), ambient-light-sensor=(), autoplay=(), battery=(), camera=(), ' +
    'clipboard-read=(), clipboard-write=(), cross-origin-isolated=(), display-capture=(), ' +
    'document-domain=(), encrypted-media=(), execution-while-not-rendered=(), ' +
    'execution-while-out-of-viewport=(), fullscreen=(), gamepad=(), geolocation=(), ' +
    'gyroscope=(), magnetometer=(), microphone=(), midi=(), navigation-override=(), ' +
    'payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), ' +
    'speaker=(), speaker-selection=(), sync-xhr=(), usb=(), web-share=(), ' +
    'xr-spatial-tracking=()'
} as const

/** /v3's exposed headers (api_v3: expose_headers), as flask-cors writes them: sorted, comma-separated. */
export const V3_EXPOSED_HEADERS = 'Link, X-Page, X-Per-Page, X-Total-Count'

/** flask-cors's default methods, which a preflight is answered with. */
const ALLOWED_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT'

/** Sets the security and CORS headers of an answer; `exposed` for /v3 routes. */
export function setGatewayServerHeaders (request: FastifyRequest, reply: FastifyReply, exposed?: string): void {
  reply.headers(securityHeaders)
  const origin = request.headers.origin
  if (origin === undefined) {
    reply.header('access-control-allow-origin', '*')
  } else {
    reply.header('access-control-allow-origin', origin)
    reply.header('vary', 'Origin')
  }
  if (exposed !== undefined) reply.header('access-control-expose-headers', exposed)
}

/** The answer to a CORS preflight (OPTIONS): the methods, and the headers the request asked for. */
export function answerPreflight (request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('access-control-allow-methods', ALLOWED_METHODS)
  const asked = request.headers['access-control-request-headers']
  if (typeof asked === 'string') reply.header('access-control-allow-headers', asked)
  return reply.code(200).type('text/html; charset=utf-8').send('')
}
