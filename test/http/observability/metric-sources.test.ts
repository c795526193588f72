import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { test } from 'node:test'
import { StatusFanOut } from '../../../src/gateway/status/status-sink.ts'
import { GatewayMetrics } from '../../../src/http/observability/gateway-metrics.ts'
import { metricsStatusSink, watchGateway, watchSession } from '../../../src/http/observability/metric-sources.ts'
import type { ReconnectingSessionEvents, ReconnectingSessionState } from '../../../src/smpp/session/index.ts'

/** A stand-in for ReconnectingSession: its typed events, its state and its window, no socket. */
class FakeSession extends EventEmitter<ReconnectingSessionEvents> {
  state: ReconnectingSessionState = 'connecting'
  inFlight = 0
}

test('metricsStatusSink counts each status the gateway\'s fan-out reports', async () => {
  const metrics = new GatewayMetrics({ clients: ['acme'], processMetrics: false })
  const fanOut = new StatusFanOut({ report: async () => {} }, [metricsStatusSink(metrics)], () => assert.fail('the metrics sink does not fail'))
  await fanOut.report({ clientId: 'acme', correlId: 'C1', timestamp: new Date(), status: 'SENT' })
  await fanOut.report({ clientId: 'acme', correlId: 'C1', timestamp: new Date(), status: 'DELIVERED' })
  assert.deepStrictEqual(metrics.view().statuses, 2)
})

test('watchSession follows a session\'s state, throttling, reconnects and window until stopped', async () => {
  const metrics = new GatewayMetrics({ clients: [], processMetrics: false })
  const session = new FakeSession()
  const stop = watchSession(metrics, 'smsc-a', session)
  const connection = (): unknown => metrics.view().connections[0]
  assert.deepStrictEqual(connection(), { name: 'smsc-a', state: 'connecting', bound: false, windowInUse: 0, submits: 0, throttled: 0, reconnects: 0 })
  session.emit('state', 'bound')
  session.inFlight = 4
  session.emit('throttled', { commandStatus: 0x58, delayMs: 100 })
  assert.deepStrictEqual(connection(), { name: 'smsc-a', state: 'bound', bound: true, windowInUse: 4, submits: 0, throttled: 1, reconnects: 0 })
  assert.match(await metrics.exposition(), /^smsgw_smsc_bound\{connection="smsc-a"\} 1$/m)
  session.emit('state', 'reconnecting')
  session.emit('reconnecting', { attempt: 1, delayMs: 1000, reason: new Error('peer closed') })
  session.inFlight = 0
  assert.deepStrictEqual(connection(), { name: 'smsc-a', state: 'reconnecting', bound: false, windowInUse: 0, submits: 0, throttled: 1, reconnects: 1 })
  assert.match(await metrics.exposition(), /^smsgw_smsc_bound\{connection="smsc-a"\} 0$/m)
  stop()
  session.emit('state', 'bound')
  session.inFlight = 9
  assert.deepStrictEqual(connection(), { name: 'smsc-a', state: 'reconnecting', bound: false, windowInUse: 0, submits: 0, throttled: 1, reconnects: 1 })
  assert.deepStrictEqual([session.listenerCount('state'), session.listenerCount('throttled'), session.listenerCount('reconnecting')], [0, 0, 0])
})

test('watchGateway reads the gateway\'s in-flight count on every scrape', async () => {
  const metrics = new GatewayMetrics({ clients: [], processMetrics: false })
  const gateway = { inFlight: 3 }
  const stop = watchGateway(metrics, gateway)
  assert.match(await metrics.exposition(), /^smsgw_in_flight 3$/m)
  gateway.inFlight = 8
  assert.deepStrictEqual(metrics.view().inFlight, 8)
  stop()
  gateway.inFlight = 1
  assert.deepStrictEqual(metrics.view().inFlight, 8)
})
