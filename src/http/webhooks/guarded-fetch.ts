import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { isSmsgwError } from '../../errors.ts'
import { destinationRefused, type DestinationPolicy } from './destination-policy.ts'

/** How a host name becomes addresses: dns.lookup's shape, so a test can answer for names it owns. */
export type HostResolver = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void

const systemResolver: HostResolver = (hostname, callback) => { dnsLookup(hostname, { all: true }, callback) }

/**
 * A `fetch` for webhook posts that reaches only destinations `policy` allows, checked on the
 * address actually connected to: a literal host is checked before connecting; a host name is
 * resolved by the socket's own `lookup`, which checks every answer and hands the socket only
 * checked ones (so a DNS answer that changes after registration, or between two posts, cannot
 * slip through). It rejects with SMSGW_WEBHOOK_DESTINATION for a refused destination, and
 * like fetch otherwise (a TypeError whose cause is the socket's error; the signal's reason).
 *
 * It does what webhook delivery needs and no more: a string or URL, method, headers and a
 * string body; redirects are never followed (the answer is returned as it is, as with
 * `redirect: 'manual'`); the answer's body is discarded, so the Response has none. Each post
 * has a connection of its own.
 */
export function guardedFetch (policy: DestinationPolicy, resolve: HostResolver = systemResolver): typeof globalThis.fetch {
  return async (input, init = {}) => {
    if (typeof input !== 'string' && !(input instanceof URL)) throw new TypeError('guardedFetch takes a URL')
    const url = new URL(input)
    const literalRefusal = policy.refusalOfUrl(url)
    if (literalRefusal !== undefined) throw destinationRefused(literalRefusal)
    const lookup = checkedLookup(policy, resolve)
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const signal = init.signal ?? undefined
    signal?.throwIfAborted()
    return await new Promise<Response>((resolve, reject) => {
      const request = send(url, { method: init.method ?? 'GET', headers: headersOf(init.headers), lookup, agent: false })
      const abort = (): void => {
        reject(signal?.reason)
        request.destroy()
      }
      signal?.addEventListener('abort', abort, { once: true })
      request.on('response', (answer: IncomingMessage) => {
        signal?.removeEventListener('abort', abort)
        // The body means nothing to the caller; closing the connection frees it without reading an unbounded amount.
        answer.destroy()
        const status = answer.statusCode ?? 0
        if (status < 200 || status > 599) reject(new TypeError(`fetch failed: HTTP status ${status}`))
        else resolve(new Response(null, { status, statusText: answer.statusMessage ?? '' }))
      })
      request.on('error', error => {
        signal?.removeEventListener('abort', abort)
        reject(isSmsgwError(error) ? error : new TypeError('fetch failed', { cause: error }))
      })
      request.end(typeof init.body === 'string' ? init.body : undefined)
    })
  }
}

/** The socket's lookup: resolves, refuses the name when any answer is refused, else answers in the form asked for. */
function checkedLookup (policy: DestinationPolicy, resolve: HostResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (error, addresses) => {
      if (error !== null) {
        callback(error, '', 0)
        return
      }
      const wanted = addresses.filter(answer => options.family === undefined || options.family === 0 || answer.family === options.family)
      for (const answer of wanted) {
        const refusal = policy.refusalOfAddress(hostname, answer.address)
        if (refusal !== undefined) {
          callback(destinationRefused(refusal) as unknown as NodeJS.ErrnoException, '', 0)
          return
        }
      }
      const [first] = wanted
      if (first === undefined) {
        callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0)
        return
      }
      // With autoSelectFamily (Node's default) the socket asks for every address.
      if (options.all === true) (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, wanted)
      else callback(null, first.address, first.family)
    })
  }
}

function headersOf (headers: RequestInit['headers']): OutgoingHttpHeaders {
  const result: OutgoingHttpHeaders = {}
  new Headers(headers).forEach((value, name) => { result[name] = value })
  return result
}
