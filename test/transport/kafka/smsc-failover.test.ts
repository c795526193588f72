// Several SMSC connections (spec §7, ours): routing by recipient prefix, and fail-over to the
// next matching connection while one SMSC is down. Two simulators over real TCP.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { GatewayConfig } from '../../../src/config/index.ts'
import { SmscSimulator } from '../../../src/smpp/simulator/index.ts'
import type { RunningGateway } from '../../../src/app/kafka-gateway.ts'
import { isolatedKafkaConfig, produceValues, sealedRequest, startTestGateway, StatusCollector, testConfig } from '../../harness/gateway-fixture.ts'
import { eventually } from '../../harness/eventually.ts'

describe('SMSC fail-over integration', { timeout: 120_000 }, () => {
  let tanzania: SmscSimulator | undefined
  let backup: SmscSimulator | undefined
  let kenya: SmscSimulator | undefined
  let config: GatewayConfig
  let running: RunningGateway
  let statuses: StatusCollector

  before(async () => {
    ;[tanzania, backup, kenya] = await Promise.all([0, 1, 2].map(async () => await SmscSimulator.start({ port: 0, receiptDelayMs: 20 })))
    config = await testConfig(await isolatedKafkaConfig(), {
      clients: { allowed: ['acme'] },
      smpp: {
        name: 'tz-primary',
        host: '127.0.0.1',
        port: tanzania?.address.port,
        systemId: 'smsgw',
        password: 'secret',
        prefixes: ['+255'],
        reconnectDelayMs: 200,
        responseTimeoutMs: 1_000,
        connections: [
          { name: 'tz-backup', port: backup?.address.port },
          { name: 'kenya', port: kenya?.address.port, prefixes: ['+254'] }
        ]
      }
    })
    ;({ running } = await startTestGateway(config))
    statuses = new StatusCollector(config)
    await statuses.start()
    await eventually('every SMSC simulator to have a bound session', () => [tanzania, backup, kenya].every(simulator => simulator !== undefined && simulator.boundSessions > 0), 10_000)
  })

  after(async () => {
    await running?.shutdown()
    await statuses?.close()
    await Promise.all([tanzania, backup, kenya].map(async simulator => await simulator?.close()))
  })

  const request = async (correlId: string, to: string): Promise<string> => await sealedRequest({ clientId: 'acme', correlId, body: correlId, to })
  const carried = (simulator: SmscSimulator | undefined, text: string): number => simulator?.submitted.filter(message => message.shortMessage.toString('latin1') === text).length ?? 0

  test('gateway routes by prefix to the first matching SMSC', async () => {
    await produceValues(config, [await request('to-tz', '+255712345678'), await request('to-ke', '+254712345678'), await request('to-nl', '+31629845432')])
    await statuses.waitFor(() => statuses.of('to-tz').length >= 2 && statuses.of('to-ke').length >= 2 && statuses.of('to-nl').length > 0, 20_000)
    assert.deepEqual([carried(tanzania, 'to-tz'), carried(backup, 'to-tz'), carried(kenya, 'to-ke')], [1, 0, 1])
    assert.deepEqual([statuses.of('to-tz'), statuses.of('to-ke'), statuses.of('to-nl')], [['SENT', 'DELIVERED'], ['SENT', 'DELIVERED'], ['INVALID Gateway disallows foreign SMS recipient: +31629845432']])
  })

  test('gateway fails over to the backup SMSC while the primary is down', async () => {
    await tanzania?.close()
    await produceValues(config, [await request('during-outage', '+255799000001')])
    await statuses.waitFor(() => statuses.of('during-outage').length >= 2, 20_000)
    assert.deepEqual([statuses.of('during-outage'), carried(backup, 'during-outage')], [['SENT', 'DELIVERED'], 1])
  })
})
