// The HTTP API on a Kafka deployment: accepted requests are produced to send-sms, the gateway
// consumes them, and the API serves the statuses this instance reported.
import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { startKafkaApp } from '../../src/app/kafka-app.ts'
import type { GatewayConfig } from '../../src/config/index.ts'
import { ApiKeyFile } from '../../src/http/api-keys/index.ts'
import { createLogger } from '../../src/log/logger.ts'
import { isolatedKafkaConfig, sealedRequest, StatusCollector, testConfig } from '../harness/gateway-fixture.ts'
import { eventually } from './app-fixtures.ts'

describe('Kafka app integration', { timeout: 90_000 }, () => {
  let config: GatewayConfig
  let app: Awaited<ReturnType<typeof startKafkaApp>>
  let key: string
  let statuses: StatusCollector

  before(async () => {
    config = await testConfig(await isolatedKafkaConfig())
    const keysFile = join(await mkdtemp(join(tmpdir(), 'smsgw-keys-')), 'keys.json')
    key = (await (await ApiKeyFile.open(keysFile)).create('test')).key
    app = await startKafkaApp(config, config.vault.password ?? '', createLogger({ level: 'silent' }), { host: '127.0.0.1', port: 0, apiKeysFile: keysFile })
    statuses = new StatusCollector(config)
    await statuses.start()
  })

  after(async () => {
    await app?.close()
    await statuses?.close()
  })

  test('gateway with --http-port produces accepted requests to send-sms and serves their statuses', async () => {
    const response = await fetch(`${app.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: await sealedRequest({ correlId: 'via-http', body: 'S1D1 over HTTP' })
    })
    assert.deepEqual([response.status, await response.json()], [202, { 'correl-id': 'via-http', accepted: true }])
    await statuses.waitFor(() => statuses.of('via-http').length >= 2, 15_000)
    assert.deepEqual(statuses.of('via-http'), ['SENT', 'DELIVERED'])
    // The API's history is a secondary sink, fed after sms-status took the status: it may lag
    // the topic's follower by a moment.
    const history = async (): Promise<string[]> => ((await (await fetch(`${app.url}/v1/messages/via-http`, { headers: { authorization: `Bearer ${key}` } })).json()) as { statuses: Array<{ 'sms-status': string }> }).statuses.map(status => status['sms-status'])
    await eventually('the history to hold both statuses', async () => (await history()).length >= 2, 5_000)
    assert.deepEqual(await history(), ['SENT', 'DELIVERED'])
    const metrics = await (await fetch(`${app.url}/metrics`)).text()
    assert.match(metrics, /smsgw_statuses_total\{status="DELIVERED",client="test"\} 1/)
  })
})
