import assert from 'node:assert/strict'
import { test } from 'node:test'
import { gatewayClientRow, MAX_PANEL_GATEWAY_CLIENTS, relayPanelOf } from '../../../src/http/dashboard/relay-panel.ts'
import type { RelayMetricsView } from '../../../src/http/observability/relay-view.ts'
import { sqliteStoreKind } from '../../store/store-kind.ts'

// The relay panel's data: the metrics' view and the gateway-client registry's first page (a real
// SQLite store), each client without its number or key.

const QUIET: RelayMetricsView = {
  ingress: [],
  publishes: [],
  decryptions: 0,
  decryptFailures: [],
  publishLatency: { count: 0, p50Seconds: null, p90Seconds: null, p99Seconds: null },
  accounts: 0,
  unknownPublications: 0,
  segmentsPending: 0
}

test('gatewayClientRow keeps what an operator needs of a gateway client and leaves its number out', () => {
  assert.deepStrictEqual(gatewayClientRow({
    msisdn: '+237650000001', country: 'Cameroon', operator: 'MTN Cameroon', operatorCode: '62401', protocols: ['https', 'smtp'], reliabilityHundredths: 9_750, lastPublishedAtMs: 1_700_000_000_000, hasForwarderKey: true
  }), { country: 'Cameroon', operator: 'MTN Cameroon', operatorCode: '62401', protocols: ['https', 'smtp'], reliabilityHundredths: 9_750, lastPublishedAtMs: 1_700_000_000_000, forwarderKey: true })
})

test('relayPanelOf joins the metrics\' view and the registry\'s first page, with the number of clients in all and none of their numbers', async t => {
  const store = await (await sqliteStoreKind('relay-panel')).open()
  t.after(async () => { await store.close() })
  const clients = store.gatewayClients.clients
  const count = MAX_PANEL_GATEWAY_CLIENTS + 2
  for (let index = 0; index < count; index++) {
    assert.ok(await clients.add({ msisdn: `+2376500${String(index).padStart(5, '0')}`, country: 'Cameroon', operator: 'MTN Cameroon', operatorCode: '62401', protocols: ['https'], registeredAtMs: 1_700_000_000_000 + index }))
  }
  const panel = await relayPanelOf({ view: { view: async () => QUIET }, gatewayClients: clients })
  assert.deepStrictEqual([panel.accounts, panel.gatewayClients.total, panel.gatewayClients.listed.length], [0, count, MAX_PANEL_GATEWAY_CLIENTS])
  assert.deepStrictEqual(panel.gatewayClients.listed[0], { country: 'Cameroon', operator: 'MTN Cameroon', operatorCode: '62401', protocols: ['https'], reliabilityHundredths: 0, lastPublishedAtMs: 1_700_000_000_000, forwarderKey: false })
  assert.doesNotMatch(JSON.stringify(panel), /2376500|\+237/)
})
