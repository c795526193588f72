import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PduOf } from '../../../src/smpp/codec/index.ts'
import { startMoControl } from '../../../src/smpp/simulator/index.ts'
import { decodeUserData } from '../../../src/sms/encoding/index.ts'
import { bindClient, startSimulator } from './simulator-fixtures.ts'

// The simulator's control port: POST /mo from another process reaches a bound receiver as a
// deliver_sm, answered once the ESME answered; its refusals are JSON with a status, never a crash.

test('POST /mo injects an MO into a bound session and answers its parts\' statuses; bad requests and no receiver are refused clearly', async t => {
  const simulator = await startSimulator(t)
  const control = await startMoControl(simulator, { host: '127.0.0.1', port: 0 })
  t.after(async () => { await control.close() })
  const post = async (body: string, path = '/mo'): Promise<[number, unknown]> => {
    const response = await fetch(`${control.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    return [response.status, await response.json()]
  }
  const mo = JSON.stringify({ from: '+237650000001', to: '15505', text: 'AnwAIHQoAAAA/+payload=' })
  assert.deepEqual(await post(mo), [503, { error: 'no session is bound to receive', code: 'SMSGW_SMSC_SIM_DELIVERY' }])

  const client = await bindClient(t, simulator, 'receiver')
  const [status, answer] = await post(mo)
  assert.deepEqual([status, (answer as { commandStatuses: number[] }).commandStatuses], [200, [0]])
  const deliver = await client.waitFor(pdu => pdu.command === 'deliver_sm') as PduOf<'deliver_sm'>
  assert.deepEqual([deliver.body.sourceAddr, deliver.body.destinationAddr, decodeUserData(deliver.body.shortMessage, deliver.body.dataCoding, false)?.text], ['237650000001', '15505', 'AnwAIHQoAAAA/+payload='])

  assert.deepEqual(await post('{'), [400, { error: 'the body is not JSON' }])
  assert.deepEqual((await post(JSON.stringify({ from: '+1', text: 'x' })))[0], 400)
  assert.deepEqual((await post(mo, '/other'))[0], 404)
  assert.deepEqual((await fetch(`${control.url}/mo`)).status, 405)
  assert.deepEqual((await post(JSON.stringify({ from: '+1', to: '2', text: 'x'.repeat(70_000) })))[0], 413)
  assert.equal(simulator.connections, 1, 'the simulator kept running')
})
