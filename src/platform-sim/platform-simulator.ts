import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import { controlRoutes } from './control-routes.ts'
import { openGrantsFile } from './grants-file.ts'
import { ActiveFaults, faultKinds, type Fault } from './faults.ts'
import { OAuthAuthority, type SimClient } from './oauth-authority.ts'
import { oauthRoutes } from './oauth-routes.ts'
import { KeptByKey } from './kept-by-key.ts'
import { DEFAULT_MAX_RECORDED_POSTS, RecordedPosts, type RecordedPost } from './recorded-posts.ts'
import type { ApiRoute, PlatformContext, SimulatedPlatform } from './simulated-platform.ts'
import { simulatedPlatforms } from './simulated-platforms.ts'
import { bearerToken, json, readBody, type PlainRoute, type SimRequest, type SimResponse } from './sim-http.ts'

// The platform simulator (docs/relay.md, "Platform simulator"): one HTTP server with a local
// OAuth 2.0 authorization server and the publish endpoints of each simulated platform, recording
// what is posted, with faults switched at run time. Tests, the demo and the bench point the
// platforms' real client libraries at it.

export const DEFAULT_PLATFORM_SIMULATOR_HOST = '127.0.0.1'

export interface PlatformSimulatorOptions {
  readonly host?: string
  /** 0 (the default) picks a free port. */
  readonly port?: number
  /** The OAuth clients accepted; default `defaultSimClients()`, one per platform. */
  readonly clients?: readonly SimClient[]
  /** How long an access token lives; short ones exercise the adapters' refresh. */
  readonly tokenLifetimeSeconds?: number
  /** How many of the latest posts are kept (a ring). */
  readonly maxRecordedPosts?: number
  /** GET /oauth/authorize redirects at once, as if the default account had approved. */
  readonly autoApprove?: boolean
  /** The clock of token expiry, in milliseconds since the epoch (tests). */
  readonly now?: () => number
  /** A file the live grants are kept in, so tokens issued stay good across restarts (the demo); none, memory only. */
  readonly grantsFile?: string
}

export interface PlatformSimulator {
  /** `http://host:port`, no trailing slash. */
  readonly url: string
  readonly clients: readonly SimClient[]
  /** The posts kept, oldest first. */
  posts (): RecordedPost[]
  /** Stops listening, ends every connection (a slow answer too) and resolves once closed. */
  close (): Promise<void>
  [Symbol.asyncDispose] (): Promise<void>
}

/** The client each simulated platform accepts by default: public values, printed by `smsgw platform-sim`. */
export function defaultSimClients (): SimClient[] {
  return simulatedPlatforms.map(platform => ({ platform: platform.name, clientId: `smsgw-${platform.name}`, clientSecret: `${platform.name}-simulator-secret` }))
}

/** Starts the simulator; resolves once it listens. */
export async function startPlatformSimulator (options: PlatformSimulatorOptions = {}): Promise<PlatformSimulator> {
  const clients = options.clients ?? defaultSimClients()
  const now = options.now ?? Date.now
  const grantsFile = options.grantsFile === undefined ? undefined : await openGrantsFile(options.grantsFile)
  const authority: OAuthAuthority = new OAuthAuthority({
    clients,
    now,
    ...(options.tokenLifetimeSeconds === undefined ? {} : { tokenLifetimeSeconds: options.tokenLifetimeSeconds }),
    ...(grantsFile === undefined ? {} : { grants: grantsFile.grants, onGrantsChanged: () => { grantsFile.keep(() => authority.grants()) } })
  })
  const posts = new RecordedPosts(options.maxRecordedPosts)
  const faults = new ActiveFaults()
  const closing = new AbortController()
  let lastPostId = BigInt(now()) * 1000n
  const kept = options.maxRecordedPosts ?? DEFAULT_MAX_RECORDED_POSTS
  const context: PlatformContext = {
    posts,
    idempotentAnswers: new KeptByKey(kept),
    records: new KeptByKey(kept),
    nextPostId: () => String(++lastPostId),
    now: () => new Date(now())
  }
  const routes = routeTable([
    ...oauthRoutes(authority, oauthPaths(simulatedPlatforms), { autoApprove: options.autoApprove === true }),
    ...controlRoutes(posts, faults, simulatedPlatforms.map(platform => platform.name)),
    ...simulatedPlatforms.flatMap(platform => platform.routes.map(route => apiRoute(platform, route, { authority, faults, context })))
  ])

  const server = createServer((message, response) => { void answer(routes, message, response, closing.signal) })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? DEFAULT_PLATFORM_SIMULATOR_HOST, () => { server.off('error', reject); resolve() })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const close = async (): Promise<void> => {
    closing.abort()
    const closed = new Promise<void>(resolve => { server.close(() => { resolve() }) })
    server.closeAllConnections()
    await closed
    await grantsFile?.flushed()
  }
  return {
    url: `http://${host}:${address.port}`,
    clients,
    posts: () => posts.list(),
    close,
    [Symbol.asyncDispose]: close
  }
}

/** Every platform's OAuth paths beside the simulator's own. */
function oauthPaths (platforms: readonly SimulatedPlatform[]): { authorize: string[], token: string[], revoke: string[] } {
  return {
    authorize: ['/oauth/authorize', ...platforms.flatMap(platform => platform.oauthPaths?.authorize ?? [])],
    token: ['/oauth/token', ...platforms.flatMap(platform => platform.oauthPaths?.token ?? [])],
    revoke: ['/oauth/revoke', ...platforms.flatMap(platform => platform.oauthPaths?.revoke ?? [])]
  }
}

/** An API route behind its platform's faults and a live access token of that platform. */
function apiRoute (platform: SimulatedPlatform, route: ApiRoute, parts: { authority: OAuthAuthority, faults: ActiveFaults, context: PlatformContext }): PlainRoute {
  return {
    method: route.method,
    path: route.path,
    handle: async (request: SimRequest) => {
      const fault = parts.faults.take(platform.name)
      // A client that gives up waiting leaves nothing done: a late post would land in another test's record.
      if (fault?.kind === faultKinds.slow) await delay(fault.delayMs, undefined, { signal: request.signal })
      else if (fault !== undefined && fault.kind !== faultKinds.slowAfterPost && fault.kind !== faultKinds.dropAfterPost) return faultResponse(platform, fault)
      const token = bearerToken(request)
      const grant = token === undefined ? undefined : parts.authority.grantOf(platform.name, token)
      if (grant === undefined) return platform.errorResponse({ status: 401, message: 'The access token is invalid' })
      const answer = await route.handle(request, grant, parts.context)
      // Done, and its answer lost: late (a client that gave up waiting gets none), or never.
      if (fault?.kind === faultKinds.slowAfterPost) await delay(fault.delayMs, undefined, { signal: request.signal })
      return fault?.kind === faultKinds.dropAfterPost ? { ...answer, dropConnection: true } : answer
    }
  }
}

function faultResponse (platform: SimulatedPlatform, fault: Fault): SimResponse {
  if (fault.kind === faultKinds.expiredToken) return platform.errorResponse({ status: 401, message: 'The access token expired' })
  if (fault.kind === faultKinds.serverError) return platform.errorResponse({ status: 503, message: 'Service Unavailable' })
  const answer = platform.errorResponse({ status: 429, message: 'Too many requests', retryAfterSeconds: fault.retryAfterSeconds })
  return { ...answer, headers: { ...answer.headers, 'retry-after': String(fault.retryAfterSeconds) } }
}

type RouteTable = ReadonlyMap<string, ReadonlyMap<string, PlainRoute['handle']>>

/** Path, then method: a path known under another method is a 405, an unknown one a 404. */
function routeTable (routes: readonly PlainRoute[]): RouteTable {
  const table = new Map<string, Map<string, PlainRoute['handle']>>()
  for (const route of routes) {
    const methods = table.get(route.path) ?? new Map<string, PlainRoute['handle']>()
    if (methods.has(route.method)) throw new Error(`two routes for ${route.method} ${route.path}`)
    methods.set(route.method, route.handle.bind(route))
    table.set(route.path, methods)
  }
  return table
}

async function answer (routes: RouteTable, message: IncomingMessage, response: ServerResponse, closing: AbortSignal): Promise<void> {
  const gone = new AbortController()
  response.once('close', () => { if (!response.writableFinished) gone.abort() })
  try {
    const url = new URL(message.url ?? '/', 'http://simulator')
    const methods = routes.get(url.pathname)
    const handle = methods?.get(message.method ?? 'GET')
    if (handle === undefined) {
      message.resume()
      write(response, methods === undefined ? json(404, { error: `no route ${url.pathname}` }) : json(405, { error: `${message.method ?? ''} not allowed on ${url.pathname}` }))
      return
    }
    const body = await readBody(message)
    if (body === null) {
      write(response, json(413, { error: 'request body too large' }), true)
      return
    }
    write(response, await handle({ method: message.method ?? 'GET', url, headers: message.headers, body, signal: AbortSignal.any([gone.signal, closing]) }))
  } catch (error) {
    // The simulator closing while an answer waits (a slow fault), or a client gone: no answer.
    if ((error as Error).name === 'AbortError' || response.destroyed) {
      response.destroy()
      return
    }
    write(response, json(500, { error: 'simulator error' }))
  }
}

function write (response: ServerResponse, answer: SimResponse, close = false): void {
  if (answer.dropConnection === true) {
    response.destroy()
    return
  }
  const headers: Record<string, string> = { ...answer.headers }
  let body = ''
  if (answer.json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8'
    body = JSON.stringify(answer.json)
  } else if (answer.html !== undefined) {
    headers['content-type'] = 'text/html; charset=utf-8'
    body = answer.html
  } else if (answer.text !== undefined) {
    headers['content-type'] = 'text/plain; charset=utf-8'
    body = answer.text
  }
  if (close) headers.connection = 'close'
  // With its length the answer goes out in one write; without, as chunks (a writev of several).
  headers['content-length'] = String(Buffer.byteLength(body))
  response.writeHead(answer.status, headers)
  response.end(body)
}
