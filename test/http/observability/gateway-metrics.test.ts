import assert from 'node:assert/strict'
import { test } from 'node:test'
import { register } from 'prom-client'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import { commandStatusLabel, GatewayMetrics } from '../../../src/http/observability/gateway-metrics.ts'

const status = (clientId: string, value: StatusEvent['status']): StatusEvent => ({ clientId, correlId: 'C1', timestamp: new Date('2026-11-21T10:00:00Z'), status: value })

/** The sample lines of the metric `name` (and its _bucket/_sum/_count), comments left out. */
async function samples (metrics: GatewayMetrics, name: string): Promise<string[]> {
  return (await metrics.exposition()).split('\n').filter(line => line.startsWith(`${name}{`) || line.startsWith(`${name} `) || line.startsWith(`${name}_`))
}

test('GatewayMetrics counts requests, statuses and decrypt failures in exact exposition lines', async () => {
  const metrics = new GatewayMetrics({ clients: ['acme'], processMetrics: false })
  metrics.requestIn()
  metrics.requestIn()
  metrics.status(status('acme', 'SENT'))
  metrics.status(status('acme', 'DELIVERED'))
  metrics.status(status('acme', 'SENT'))
  metrics.decryptFailure('acme')
  assert.deepStrictEqual(await samples(metrics, 'smsgw_requests_total'), ['smsgw_requests_total 2'])
  assert.deepStrictEqual(await samples(metrics, 'smsgw_statuses_total'), [
    'smsgw_statuses_total{status="SENT",client="acme"} 2',
    'smsgw_statuses_total{status="DELIVERED",client="acme"} 1',
    'smsgw_statuses_total{status="EXPIRED",client="acme"} 0',
    'smsgw_statuses_total{status="INVALID",client="acme"} 0',
    'smsgw_statuses_total{status="FAILED",client="acme"} 0'
  ])
  assert.deepStrictEqual(await samples(metrics, 'smsgw_decrypt_failures_total'), ['smsgw_decrypt_failures_total{client="acme"} 1'])
})

test('GatewayMetrics labels every client outside the tenant list other', async () => {
  const metrics = new GatewayMetrics({ clients: ['acme'], processMetrics: false })
  // A stranger sending garbage earns INVALID (spec §5): one series in all, however many strangers.
  for (let n = 0; n < 1000; n++) metrics.status(status(`stranger-${n}`, 'INVALID'))
  metrics.decryptFailure('stranger-1')
  metrics.decryptFailure('stranger-2')
  assert.deepStrictEqual((await samples(metrics, 'smsgw_statuses_total')).filter(line => line.includes('INVALID')), [
    'smsgw_statuses_total{status="INVALID",client="acme"} 0',
    'smsgw_statuses_total{status="INVALID",client="other"} 1000'
  ])
  assert.deepStrictEqual(await samples(metrics, 'smsgw_decrypt_failures_total'), [
    'smsgw_decrypt_failures_total{client="acme"} 0',
    'smsgw_decrypt_failures_total{client="other"} 2'
  ])
})

test('GatewayMetrics caps clients allowed by a predicate at maxClientLabels', async () => {
  const metrics = new GatewayMetrics({ clients: id => id.startsWith('t-'), maxClientLabels: 2, processMetrics: false })
  for (const id of ['t-1', 't-2', 't-3', 'x', 't-1']) metrics.status(status(id, 'SENT'))
  assert.deepStrictEqual(await samples(metrics, 'smsgw_statuses_total'), [
    'smsgw_statuses_total{status="SENT",client="t-1"} 2',
    'smsgw_statuses_total{status="SENT",client="t-2"} 1',
    'smsgw_statuses_total{status="SENT",client="other"} 2'
  ])
})

test('GatewayMetrics counts SMPP submits, responses by command_status name, throttling and receipts by state', async () => {
  const metrics = new GatewayMetrics({ clients: [], processMetrics: false, maxConnectionLabels: 1 })
  metrics.submit('smsc-a')
  metrics.submit('smsc-a')
  metrics.response('smsc-a', 0)
  metrics.response('smsc-a', 0x58)
  metrics.throttled('smsc-a')
  metrics.receipt('smsc-a', 'DELIVRD')
  metrics.receipt('smsc-a', ' undeliv ')
  metrics.receipt('smsc-a', 'made-up')
  metrics.submit('smsc-b')
  assert.deepStrictEqual(await samples(metrics, 'smsgw_smpp_submits_total'), [
    'smsgw_smpp_submits_total{connection="smsc-a"} 2',
    'smsgw_smpp_submits_total{connection="other"} 1'
  ])
  assert.deepStrictEqual(await samples(metrics, 'smsgw_smpp_responses_total'), [
    'smsgw_smpp_responses_total{connection="smsc-a",command_status="ESME_ROK"} 1',
    'smsgw_smpp_responses_total{connection="smsc-a",command_status="ESME_RTHROTTLED"} 1'
  ])
  assert.deepStrictEqual(await samples(metrics, 'smsgw_smpp_throttled_total'), ['smsgw_smpp_throttled_total{connection="smsc-a"} 1'])
  assert.deepStrictEqual(await samples(metrics, 'smsgw_receipts_total'), [
    'smsgw_receipts_total{connection="smsc-a",state="DELIVRD"} 1',
    'smsgw_receipts_total{connection="smsc-a",state="UNDELIV"} 1',
    'smsgw_receipts_total{connection="smsc-a",state="other"} 1'
  ])
})

test('commandStatusLabel names defined codes, keeps vendor codes in hex and folds the rest into reserved', () => {
  assert.deepStrictEqual([0, 0x0b, 0x58, 0x400, 0x4ff, 0x500, 0xdeadbeef].map(commandStatusLabel),
    ['ESME_ROK', 'ESME_RINVDSTADR', 'ESME_RTHROTTLED', '0x00000400', '0x000004ff', 'reserved', 'reserved'])
})

test('GatewayMetrics sets bound, window, in-flight and lag gauges, and reads tracked ones on scrape', async () => {
  const metrics = new GatewayMetrics({ clients: [], processMetrics: false })
  metrics.connectionState('smsc-a', 'bound')
  metrics.connectionState('smsc-b', 'reconnecting')
  metrics.bound('smsc-c', true)
  metrics.bound('smsc-c', false)
  let window = 3
  const untrack = metrics.trackWindow('smsc-a', () => window)
  metrics.windowInUse('smsc-b', 7)
  let inFlight = 11
  metrics.track({ inFlight: () => inFlight })
  metrics.lag(42)
  assert.deepStrictEqual(await samples(metrics, 'smsgw_smsc_bound'), [
    'smsgw_smsc_bound{connection="smsc-a"} 1', 'smsgw_smsc_bound{connection="smsc-b"} 0', 'smsgw_smsc_bound{connection="smsc-c"} 0'
  ])
  assert.deepStrictEqual(await samples(metrics, 'smsgw_smpp_window_in_use'), [
    'smsgw_smpp_window_in_use{connection="smsc-a"} 3', 'smsgw_smpp_window_in_use{connection="smsc-b"} 7', 'smsgw_smpp_window_in_use{connection="smsc-c"} 0'
  ])
  assert.deepStrictEqual([await samples(metrics, 'smsgw_in_flight'), await samples(metrics, 'smsgw_consumer_lag')], [['smsgw_in_flight 11'], ['smsgw_consumer_lag 42']])
  window = 5
  inFlight = 12
  assert.deepStrictEqual((await samples(metrics, 'smsgw_smpp_window_in_use'))[0], 'smsgw_smpp_window_in_use{connection="smsc-a"} 5')
  assert.deepStrictEqual(await samples(metrics, 'smsgw_in_flight'), ['smsgw_in_flight 12'])
  untrack()
  window = 9
  assert.deepStrictEqual((await samples(metrics, 'smsgw_smpp_window_in_use'))[0], 'smsgw_smpp_window_in_use{connection="smsc-a"} 5')
  assert.deepStrictEqual(metrics.view().connections.map(c => [c.name, c.state, c.bound]), [
    ['smsc-a', 'bound', true], ['smsc-b', 'reconnecting', false], ['smsc-c', 'unbound', false]
  ])
})

test('GatewayMetrics observes end-to-end seconds in the histogram and in the view\'s percentiles', async () => {
  const metrics = new GatewayMetrics({ clients: [], processMetrics: false, endToEndBucketsSeconds: [1, 10], clock: () => 1_000 })
  metrics.endToEnd(0.5)
  metrics.endToEnd(4)
  metrics.endToEnd(-1)
  metrics.endToEnd(Number.NaN)
  assert.deepStrictEqual(await samples(metrics, 'smsgw_end_to_end_seconds'), [
    'smsgw_end_to_end_seconds_bucket{le="1"} 1',
    'smsgw_end_to_end_seconds_bucket{le="10"} 2',
    'smsgw_end_to_end_seconds_bucket{le="+Inf"} 2',
    'smsgw_end_to_end_seconds_sum 4.5',
    'smsgw_end_to_end_seconds_count 2'
  ])
  assert.deepStrictEqual(metrics.view().endToEnd, { count: 2, p50Seconds: 0.5, p90Seconds: 4, p99Seconds: 4 })
})

test('GatewayMetrics view gives the totals and each connection\'s counts', () => {
  const metrics = new GatewayMetrics({ clients: ['acme'], processMetrics: false })
  metrics.requestIn()
  metrics.status(status('acme', 'SENT'))
  metrics.decryptFailure('nobody')
  metrics.submit('smsc-a')
  metrics.throttled('smsc-a')
  metrics.reconnecting('smsc-a')
  metrics.inFlight(1)
  metrics.inboundSms('smsc-a', 'acme', 'stored')
  metrics.inboundSms('smsc-a', undefined, 'refused')
  assert.deepStrictEqual(metrics.view(), {
    requests: 1,
    statuses: 1,
    decryptFailures: 1,
    inFlight: 1,
    consumerLag: 0,
    connections: [{ name: 'smsc-a', state: 'unknown', bound: false, windowInUse: 0, submits: 1, throttled: 1, reconnects: 1 }],
    endToEnd: { count: 0, p50Seconds: null, p90Seconds: null, p99Seconds: null },
    inbound: { stored: 1, duplicate: 0, refused: 1 }
  })
})

test('GatewayMetrics counts inbound SMS by connection, owner and outcome, owners past the configured ones as other', async () => {
  const metrics = new GatewayMetrics({ clients: ['acme'], inboundOwners: ['acme'], processMetrics: false })
  metrics.inboundSms('smsc-a', 'acme', 'stored')
  metrics.inboundSms('smsc-a', 'acme', 'duplicate')
  metrics.inboundSms('smsc-a', 'stranger', 'stored')
  metrics.inboundSms('smsc-b', undefined, 'refused')
  const lines = (await metrics.exposition()).split('\n').filter(line => line.startsWith('smsgw_inbound_sms_total{'))
  assert.deepStrictEqual(lines.sort(), [
    'smsgw_inbound_sms_total{connection="smsc-a",owner="acme",outcome="duplicate"} 1',
    'smsgw_inbound_sms_total{connection="smsc-a",owner="acme",outcome="stored"} 1',
    'smsgw_inbound_sms_total{connection="smsc-a",owner="other",outcome="stored"} 1',
    'smsgw_inbound_sms_total{connection="smsc-b",owner="none",outcome="refused"} 1'
  ])
})

test('GatewayMetrics keeps its series off prom-client\'s global registry and adds process metrics to its own', async () => {
  const metrics = new GatewayMetrics({ clients: ['acme'] })
  metrics.requestIn()
  const text = await metrics.exposition()
  assert.match(text, /^process_cpu_user_seconds_total \d/m)
  assert.match(text, /^nodejs_eventloop_lag_seconds /m)
  assert.deepStrictEqual((await register.metrics()).includes('smsgw_'), false)
  assert.deepStrictEqual((await new GatewayMetrics({ clients: [], processMetrics: false }).exposition()).includes('process_'), false)
})
