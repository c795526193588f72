import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { errorCodes, isSmsgwError } from '../../errors.ts'
import type { SmscSimulator } from './smsc-simulator.ts'

// The simulator's control port (`smsgw smsc-sim --control-port`): an MO injected from outside the
// process, as a phone sending an SMS to a number the gateway binds for (docs/smsc-simulator.md,
// "Injecting MO from another process"). One route, POST /mo with {from, to, text[, systemId]};
// the answer comes once the ESME answered every part. Loopback by default, no authentication: a
// test and demo tool, like the simulator itself.

const MAX_BODY_BYTES = 64 * 1024
const MAX_FIELD_CHARS = 16 * 1024

export interface MoControl {
  /** http://host:port */
  readonly url: string
  close: () => Promise<void>
}

export async function startMoControl (simulator: Pick<SmscSimulator, 'injectMo'>, options: { host: string, port: number }): Promise<MoControl> {
  const server = createServer((request, response) => { void answer(simulator, request, response) })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => { server.off('error', reject); resolve() })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    close: async () => { await new Promise<void>(resolve => { server.close(() => { resolve() }); server.closeAllConnections() }) }
  }
}

async function answer (simulator: Pick<SmscSimulator, 'injectMo'>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.url !== '/mo') return reply(response, 404, { error: 'the control port has one route: POST /mo' })
  if (request.method !== 'POST') return reply(response, 405, { error: 'POST /mo with {"from", "to", "text"}' })
  const body = await bodyOf(request)
  if (body === undefined) return reply(response, 413, { error: `the body is over ${MAX_BODY_BYTES} bytes` })
  let mo: Record<string, unknown>
  try {
    mo = JSON.parse(body.toString('utf8')) as Record<string, unknown>
  } catch {
    return reply(response, 400, { error: 'the body is not JSON' })
  }
  const fields = ['from', 'to', 'text'] as const
  const bad = fields.find(name => typeof mo?.[name] !== 'string' || (mo[name] as string).length > MAX_FIELD_CHARS || (name !== 'text' && mo[name] === ''))
  if (bad !== undefined || (mo.systemId !== undefined && typeof mo.systemId !== 'string')) return reply(response, 400, { error: `${bad ?? 'systemId'} must be a string (from and to not empty, at most ${MAX_FIELD_CHARS} characters)` })
  try {
    const delivery = await simulator.injectMo({ from: mo.from as string, to: mo.to as string, text: mo.text as string, ...(mo.systemId === undefined ? {} : { systemId: mo.systemId as string }) })
    reply(response, 200, { sessionId: delivery.sessionId, systemId: delivery.systemId, commandStatuses: delivery.commandStatuses })
  } catch (error) {
    // The simulator's own failures (no bound receiver, a text that does not fit) are the caller's to act on.
    const status = isSmsgwError(error, errorCodes.smscSimDelivery) ? 503 : isSmsgwError(error) ? 422 : 500
    reply(response, status, { error: error instanceof Error ? error.message : String(error), ...(isSmsgwError(error) ? { code: error.code } : {}) })
  }
}

async function bodyOf (request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of request) {
    bytes += (chunk as Buffer).length
    if (bytes > MAX_BODY_BYTES) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function reply (response: ServerResponse, status: number, body: Record<string, unknown>): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}
