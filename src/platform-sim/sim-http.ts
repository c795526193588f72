import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'

// The simulator's HTTP values: a request read in full (bounded) and an answer as plain data, so
// each route is a function from one to the other and the server alone touches sockets.

/** Ours: no client of a simulated platform sends more than this in one request. */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024

export interface SimRequest {
  readonly method: string
  readonly url: URL
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  /** Aborted when the client goes away before its answer, or the simulator closes. */
  readonly signal: AbortSignal
}

export interface SimResponse {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  /** A JSON body, or an HTML or text one; none, an empty body. */
  readonly json?: unknown
  readonly html?: string
  readonly text?: string
  /** Ours: the connection is dropped instead of answered (a fault: the answer lost after the work was done). */
  readonly dropConnection?: boolean
}

/** A route of the simulator: the exact path, the method, the answer. */
export interface PlainRoute {
  readonly method: 'GET' | 'POST' | 'DELETE'
  readonly path: string
  handle (request: SimRequest): SimResponse | Promise<SimResponse>
}

/**
 * The request's body, refused past `MAX_REQUEST_BODY_BYTES` (null then).
 * Read from its 'data' events rather than an async iterator: the iterator's machinery was ~5 % of
 * the simulator's CPU a post in the relay bench (--cpu-prof, session 7).
 */
export async function readBody (message: IncomingMessage): Promise<Buffer | null> {
  return await new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= MAX_REQUEST_BODY_BYTES) {
        chunks.push(chunk)
        return
      }
      // The rest is drained, not kept; the 413 closes the connection.
      message.off('data', onData)
      message.resume()
      resolve(null)
    }
    message.on('data', onData)
    message.once('end', () => { resolve(chunks.length === 1 ? chunks[0] as Buffer : Buffer.concat(chunks, size)) })
    message.once('error', reject)
  })
}

/**
 * The body's fields, whichever way the client encodes them: JSON (masto), a URL-encoded form
 * (twitter-api-v2, browsers) or multipart (masto for some calls). Non-text values are dropped; an
 * unreadable body has no fields.
 */
export async function formFields (request: SimRequest): Promise<Record<string, string>> {
  const type = request.headers['content-type'] ?? ''
  if (request.body.length === 0) return {}
  if (type.startsWith('application/json')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(request.body.toString('utf8'))
    } catch {
      return {}
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
    return Object.fromEntries(Object.entries(parsed).filter(([, value]) => typeof value === 'string'))
  }
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    try {
      // undici's own form parser, through a Response: no multipart parser of ours.
      const form = await new Response(request.body, { headers: { 'content-type': type } }).formData()
      const fields: Record<string, string> = {}
      for (const [name, value] of form) if (typeof value === 'string') fields[name] = value
      return fields
    } catch {
      return {}
    }
  }
  return {}
}

/** The JSON body as an object, or undefined when it is none. */
export function jsonObject (request: SimRequest): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(request.body.toString('utf8'))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

/** The bearer token of the Authorization header, if any. */
export function bearerToken (request: SimRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')
  return match?.[1]
}

/** The client id and secret of a Basic Authorization header (RFC 6749 §2.3.1: form-encoded, then base64), if any. */
export function basicCredentials (request: SimRequest): { id: string, secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')
  if (match === null) return undefined
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon === -1) return undefined
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) }
  } catch {
    return undefined
  }
}

export function json (status: number, body: unknown, headers?: Record<string, string>): SimResponse {
  return headers === undefined ? { status, json: body } : { status, json: body, headers }
}

export function html (status: number, body: string): SimResponse {
  return { status, html: body }
}

export function redirect (location: string): SimResponse {
  return { status: 303, headers: { location } }
}

/** Text for an HTML page: the five characters that could break out of an element or attribute. */
export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, character => `&#${character.charCodeAt(0)};`)
}
