import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import { commandStatus, createPdu, encodePdu } from '../../../src/smpp/codec/index.ts'
import type { Pdu } from '../../../src/smpp/codec/index.ts'
import type { BindEvent, DisconnectEvent, UnbindEvent } from '../../../src/smpp/simulator/index.ts'
import { submitBody } from './smpp-test-client.ts'
import { bindClient, connectClient, startSimulator } from './simulator-fixtures.ts'

// The session's own rules over real TCP: binds and their statuses, the bind state of
// SMPP 3.4 §2.3, and what a PDU it cannot read earns.

const s = commandStatus

test('session binds as transceiver, transmitter and receiver with the right account', async t => {
  const simulator = await startSimulator(t)
  for (const type of ['transceiver', 'transmitter', 'receiver'] as const) {
    const client = await connectClient(t, simulator)
    const response = await client.bind(type)
    assert.deepStrictEqual(response, createPdu(`bind_${type}_resp`, response.sequenceNumber, {
      systemId: 'smsc-sim', tlvs: [{ name: 'sc_interface_version', value: 0x34 }]
    }))
  }
  assert.equal(simulator.boundSessions, 3)
  assert.equal(simulator.connections, 3)
})

test('session answers a bad password with ESME_RINVPASWD and an unknown system_id with ESME_RINVSYSID, and stays open', async t => {
  const simulator = await startSimulator(t, { accounts: [{ systemId: 'alpha', password: 'pw-alpha' }] })
  const client = await connectClient(t, simulator)
  const events: BindEvent[] = []
  simulator.on('bind', event => events.push(event))
  const badPassword = await client.bind('transceiver', 'alpha', 'wrong')
  assert.equal(badPassword.command, 'bind_transceiver_resp')
  assert.equal(badPassword.commandStatus, s.ESME_RINVPASWD)
  assert.deepStrictEqual(badPassword.body, { systemId: '', tlvs: [] })
  const unknown = await client.bind('transceiver', 'beta', 'pw-alpha')
  assert.equal(unknown.commandStatus, s.ESME_RINVSYSID)
  assert.equal(simulator.boundSessions, 0)
  const good = await client.bind('transceiver', 'alpha', 'pw-alpha')
  assert.equal(good.commandStatus, s.ESME_ROK)
  assert.deepStrictEqual(events.map(event => [event.systemId, event.commandStatus]), [
    ['alpha', s.ESME_RINVPASWD], ['beta', s.ESME_RINVSYSID], ['alpha', s.ESME_ROK]
  ])
})

test('session answers a second bind with ESME_RALYBND', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  const again = await client.bind('transmitter')
  assert.equal(again.command, 'bind_transmitter_resp')
  assert.equal(again.commandStatus, s.ESME_RALYBND)
})

test('session refuses binds past an account\'s maxBinds with ESME_RBINDFAIL', async t => {
  const simulator = await startSimulator(t, { accounts: [{ systemId: 'smsgw', password: 'secret', maxBinds: 1 }] })
  await bindClient(t, simulator)
  const second = await connectClient(t, simulator)
  assert.equal((await second.bind('transceiver')).commandStatus, s.ESME_RBINDFAIL)
})

test('session rejects PDUs before bind with ESME_RINVBNDSTS but answers enquire_link', async t => {
  const simulator = await startSimulator(t)
  const client = await connectClient(t, simulator)
  const submit = await client.submit()
  assert.deepStrictEqual([submit.command, submit.commandStatus], ['submit_sm_resp', s.ESME_RINVBNDSTS])
  const unbind = await client.request('unbind', {})
  assert.deepStrictEqual([unbind.command, unbind.commandStatus], ['unbind_resp', s.ESME_RINVBNDSTS])
  const dataSm = await client.request('data_sm', {
    serviceType: '', sourceAddrTon: 5, sourceAddrNpi: 0, sourceAddr: 'SMSGW', destAddrTon: 1, destAddrNpi: 1, destinationAddr: '31612345678', esmClass: 0, registeredDelivery: 0, dataCoding: 0, tlvs: []
  })
  assert.deepStrictEqual([dataSm.command, dataSm.commandStatus], ['data_sm_resp', s.ESME_RINVBNDSTS])
  const enquire = await client.request('enquire_link', {})
  assert.deepStrictEqual([enquire.command, enquire.commandStatus], ['enquire_link_resp', s.ESME_ROK])
  assert.equal(simulator.submitCount, 0)
})

test('session rejects submit_sm from a receiver with ESME_RINVBNDSTS', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator, 'receiver')
  assert.equal((await client.submit()).commandStatus, s.ESME_RINVBNDSTS)
})

test('session answers unbind, then closes the connection', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  const unbound = once(simulator, 'unbind') as Promise<[UnbindEvent]>
  const disconnected = once(simulator, 'disconnect') as Promise<[DisconnectEvent]>
  const response = await client.request('unbind', {})
  assert.deepStrictEqual([response.command, response.commandStatus], ['unbind_resp', s.ESME_ROK])
  await client.closed()
  const [unbind] = await unbound
  assert.deepStrictEqual({ systemId: unbind.systemId, bindType: unbind.bindType }, { systemId: 'smsgw', bindType: 'transceiver' })
  const [disconnect] = await disconnected
  assert.equal(disconnect.reason, 'unbound by the ESME')
  assert.equal(simulator.connections, 0)
})

test('session answers an unknown command_id with generic_nack ESME_RINVCMDID', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  const frame = Buffer.alloc(16)
  frame.writeUInt32BE(16, 0)
  frame.writeUInt32BE(0x00000099, 4)
  frame.writeUInt32BE(0, 8)
  frame.writeUInt32BE(77, 12)
  client.writeRaw(frame)
  const nack = await client.waitFor(pdu => pdu.sequenceNumber === 77)
  assert.deepStrictEqual(nack, createPdu('generic_nack', 77, {}, s.ESME_RINVCMDID))
  // query_sm is SMPP 3.4 but not supported: the same answer.
  frame.writeUInt32BE(0x00000003, 4)
  frame.writeUInt32BE(78, 12)
  client.writeRaw(frame)
  assert.deepStrictEqual(await client.waitFor(pdu => pdu.sequenceNumber === 78), createPdu('generic_nack', 78, {}, s.ESME_RINVCMDID))
})

test('session answers a submit_sm that breaks the grammar with its submit_sm_resp and the field\'s status', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  // A destination_addr of 21 characters plus its NULL: one over the maximum of §4.4.1.
  const valid = encodePdu(createPdu('submit_sm', 5, submitBody({ destinationAddr: '12345678901234567890' })))
  const at = valid.indexOf(Buffer.from('12345678901234567890\0', 'latin1'))
  const broken = Buffer.concat([valid.subarray(0, at), Buffer.from('1'), valid.subarray(at)])
  broken.writeUInt32BE(broken.length, 0)
  client.writeRaw(broken)
  const response = await client.waitFor(pdu => pdu.sequenceNumber === 5)
  assert.deepStrictEqual(response, createPdu('submit_sm_resp', 5, { messageId: '', tlvs: [] }, s.ESME_RINVDSTADR))
  assert.equal(simulator.submitCount, 0)
})

test('session answers an enquire_link with octets past its body with enquire_link_resp ESME_RINVCMDLEN', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  const enquire = encodePdu(createPdu('enquire_link', 9, {}))
  const padded = Buffer.concat([enquire, Buffer.alloc(4)])
  padded.writeUInt32BE(padded.length, 0)
  client.writeRaw(padded)
  const answer: Pdu = await client.waitFor(pdu => pdu.sequenceNumber === 9)
  assert.deepStrictEqual([answer.command, answer.commandStatus], ['enquire_link_resp', s.ESME_RINVCMDLEN])
})

test('session closes the connection on a framing error', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  const disconnected = once(simulator, 'disconnect') as Promise<[DisconnectEvent]>
  // command_length 8: shorter than the header, the stream cannot be cut into PDUs any more.
  client.writeRaw(Buffer.from('0000000800000015', 'hex'))
  await client.closed()
  const [event] = await disconnected
  assert.match(event.reason, /framing/)
})
