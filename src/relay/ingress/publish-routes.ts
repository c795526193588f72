import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { publishIngressOutcome } from '../relay-diagnostics.ts'
import { readForward, type JsonValue, type Refusal } from './forward.ts'
import { answerPreflight, setGatewayServerHeaders } from '../http/v3-conventions.ts'
import { ingressTexts } from './ingress-texts.ts'
import type { ForwardIngress } from './forward-ingress.ts'

// POST /v3/publish and its old alias POST /sms/platform/<platform> (relay-wire.md §5.1), as an
// encapsulated Fastify plugin the HTTP front registers (relayRoutes). Answers are upstream's:
// 200 {"publisher_response": …}, or {"error": …} with 400 and the rule's text, 500 with the
// catch-all text. Ours: the body is bounded (MAX_PUBLISH_BODY_BYTES; 413 beyond it).

/**
 * A forward is one SMS: its text is at most a few kilobytes of base64 (a long concatenated SMS of
 * 255 parts is ~40 KB), plus the DekuSMS fields. 64 KiB holds any of them and bounds every field.
 */
export const MAX_PUBLISH_BODY_BYTES = 64 * 1024

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/**
 * The gateway-client registry's forwarding keys as the routes use them (ours, relay.md §5; the
 * registry's, docs/relay.md "Gateway clients"): the forward's key header names a registered client,
 * whose last published date a published forward moves on.
 */
export interface ForwarderKeys {
  /** Whether a forward without a registered client's key is refused (relay.requireForwarderKey). */
  readonly required: boolean
  /** The request header the key travels in (lower case). */
  readonly header: string
  /** The registered client whose key `key` is; undefined for none. Rejects only when the store fails. */
  readonly authorize: (key: string | undefined) => Promise<{ readonly msisdn: string } | undefined>
  /** Records that a forward of the client `msisdn` was published at `atMs`. */
  readonly recordPublished: (msisdn: string, atMs: number) => Promise<unknown>
}

export interface PublishRoutesOptions {
  readonly ingress: Pick<ForwardIngress, 'publish'>
  /** The forwarding keys, where the registry runs; none, every forward is taken as upstream takes it. */
  readonly forwarders?: ForwarderKeys | undefined
}

export function publishRoutes (options: PublishRoutesOptions): (app: FastifyInstance) => Promise<void> {
  return async app => {
    // The body is read as bytes whatever its type, and judged in the handler as Flask does.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_PUBLISH_BODY_BYTES }, (_request, body, done) => { done(null, body) })
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const tooLarge = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      publishIngressOutcome('http', tooLarge ? 'refused' : 'failed')
      if (!tooLarge) request.log.error({ err: error }, 'relay publish failed')
      answer(request, reply, tooLarge ? 413 : 500, { error: tooLarge ? ingressTexts.tooLarge : ingressTexts.internal })
    })
    const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      // A forward that must name its phone and does not is refused before its body is looked at.
      const forwarder = await forwarderOf(options.forwarders, request)
      if (forwarder === undefined && options.forwarders?.required === true) {
        publishIngressOutcome('http', 'refused')
        return answer(request, reply, 401, { error: ingressTexts.forwarderKeyRequired })
      }
      const body = jsonBodyOf(request)
      const reading = body.ok ? readForward(body.value) : { ok: false as const, refusal: body.refusal }
      if (!reading.ok) {
        publishIngressOutcome('http', reading.refusal.status === 400 ? 'refused' : 'failed')
        return answer(request, reply, reading.refusal.status, { error: reading.refusal.error })
      }
      const result = await options.ingress.publish(reading.forward, 'http')
      if (forwarder !== undefined && result.outcome === 'published') {
        // The answer stands whatever becomes of the record: the post is made.
        await options.forwarders?.recordPublished(forwarder.msisdn, Date.now()).catch((error: unknown) => { request.log.warn({ err: error }, 'gateway client\'s last published date not recorded') })
      }
      return result.ok
        ? answer(request, reply, 200, { publisher_response: result.publisherResponse })
        : answer(request, reply, result.refusal.status, { error: result.refusal.error })
    }
    app.post('/v3/publish', handle)
    app.post('/sms/platform/:platform', handle)
    app.options('/v3/publish', async (request, reply) => answerPreflight(request, setGatewayServerHeaders(request, reply)))
    app.options('/sms/platform/:platform', async (request, reply) => answerPreflight(request, setGatewayServerHeaders(request, reply)))
  }
}

async function forwarderOf (forwarders: ForwarderKeys | undefined, request: FastifyRequest): Promise<{ readonly msisdn: string } | undefined> {
  if (forwarders === undefined) return undefined
  const key = request.headers[forwarders.header]
  return await forwarders.authorize(typeof key === 'string' ? key : undefined)
}

function answer (request: FastifyRequest, reply: FastifyReply, status: number, body: Record<string, string>): FastifyReply {
  return setGatewayServerHeaders(request, reply).code(status).type('application/json').send(body)
}

/**
 * The body as Flask's request.json reads it: a JSON media type (application/json, or
 * application/…+json) or the catch-all 500; bytes that are not UTF-8 JSON, werkzeug's BadRequest text.
 */
function jsonBodyOf (request: FastifyRequest): { ok: true, value: JsonValue } | { ok: false, refusal: Refusal } {
  const mediaType = (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? ''
  const isJson = mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'))
  if (!isJson) return { ok: false, refusal: { status: 500, error: ingressTexts.internal } }
  try {
    return { ok: true, value: JSON.parse(utf8.decode(request.body as Buffer | undefined ?? Buffer.alloc(0))) as JsonValue }
  } catch {
    return { ok: false, refusal: { status: 400, error: ingressTexts.malformedJson } }
  }
}
