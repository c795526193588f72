import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import { createLogger } from '../../../src/log/logger.ts'
import { logSimulatorEvents, maskAddress } from '../../../src/smpp/simulator/simulator-log.ts'
import { encodeGsm7 } from '../../../src/sms/encoding/index.ts'
import { bindClient, connectClient, startSimulator } from './simulator-fixtures.ts'

test('maskAddress keeps only the last two characters', () => {
  assert.equal(maskAddress('31612345678'), '*********78')
  assert.equal(maskAddress('12'), '**')
  assert.equal(maskAddress(''), '')
})

test('logSimulatorEvents logs binds, submits and receipts without message text or full recipients', async t => {
  const lines: string[] = []
  const log = createLogger({ level: 'info', destination: { write: (line: string) => { lines.push(line) } } })
  const simulator = await startSimulator(t, { receiptDelayMs: 0 })
  logSimulatorEvents(simulator, log)
  const refused = await connectClient(t, simulator)
  await refused.bind('transceiver', 'smsgw', 'wrong')
  const client = await bindClient(t, simulator)
  const secretText = 'Secret words for nobody'
  const receipt = once(simulator, 'receipt')
  await client.submit({ destinationAddr: '31687654321', shortMessage: encodeGsm7(secretText) as Buffer })
  await receipt
  const records = lines.map(line => JSON.parse(line) as Record<string, unknown>)
  const byEvent = (event: string): Record<string, unknown> | undefined => records.find(record => record.event === event)
  assert.deepStrictEqual(
    records.filter(record => record.event === 'bind').map(record => [record.msg, record.status]),
    [['bind refused', 'ESME_RINVPASWD'], ['bound', undefined]]
  )
  assert.deepStrictEqual(
    [byEvent('submit')?.messageId, byEvent('submit')?.destination, byEvent('submit')?.octets],
    ['1', '*********21', secretText.length]
  )
  assert.deepStrictEqual(
    [byEvent('receipt')?.messageId, byEvent('receipt')?.destination, byEvent('receipt')?.stat, byEvent('receipt')?.status],
    ['1', '*********21', 'DELIVRD', 'ESME_ROK']
  )
  const all = lines.join('')
  assert.ok(!all.includes('Secret') && !all.includes('nobody'), 'no message text in the log')
  assert.ok(!all.includes('31687654321'), 'no full recipient in the log')
})
