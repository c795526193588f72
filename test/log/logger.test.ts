import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { createLogger } from '../../src/log/logger.ts'

function capture (): { log: ReturnType<typeof createLogger>, lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = []
  const destination = new Writable({
    write (chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'))
      done()
    }
  })
  return { log: createLogger({ level: 'debug', destination }), lines: () => chunks.join('').trim().split('\n').map(line => JSON.parse(line)) }
}

test('createLogger redacts credentials in fields, URLs, messages and errors, wherever a request is logged', () => {
  const { log, lines } = capture()
  log.info({ req: { method: 'GET', url: '/v1/messages/C1?api_key=SECRET1&x=1' } }, 'incoming request')
  log.info({ url: 'https://hooks.example.org/h?token=SECRET2', authorization: 'Bearer SECRET3', request: { cookie: 'smsgw_dashboard=SECRET4', 'x-api-key': 'SECRET5' } })
  log.info('Route GET:/nowhere?password=SECRET6 not found')
  log.warn({ err: new Error('Reply was already sent in the "/v1/x?api_key=SECRET7" route') }, 'reply')
  log.info({ headers: { authorization: 'Bearer SECRET8' } })
  // What is not an Error passes as it is.
  log.info({ err: undefined }, 'no error')
  log.info({ err: { code: 'E1' } }, 'plain error')
  const text = JSON.stringify(lines())
  assert.doesNotMatch(text, /SECRET\d/)
  const [request, fields, notFound, failed, , noError, plain] = lines()
  assert.deepStrictEqual([noError?.err, plain?.err], [undefined, { code: 'E1' }])
  assert.deepStrictEqual([
    (request?.req as { url: string }).url, fields?.url, fields?.authorization, fields?.request, notFound?.msg,
    (failed?.err as { message: string }).message
  ], [
    '/v1/messages/C1?api_key=[redacted]&x=1', 'https://hooks.example.org/h?token=[redacted]', '[redacted]',
    { cookie: '[redacted]', 'x-api-key': '[redacted]' }, 'Route GET:/nowhere?password=[redacted] not found',
    'Reply was already sent in the "/v1/x?api_key=[redacted]" route'
  ])
})
