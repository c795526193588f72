import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect } from 'node:net'
import { test } from 'node:test'
import { commandStatus, createPdu, encodePdu, findTlv } from '../../../src/smpp/codec/index.ts'
import type { Pdu, PduOf } from '../../../src/smpp/codec/index.ts'
import { normaliseMessageId, parseReceiptText } from '../../../src/smpp/receipts/index.ts'
import { SmscSimulator } from '../../../src/smpp/simulator/index.ts'
import type { ReceiptEvent, SubmittedMessage } from '../../../src/smpp/simulator/index.ts'
import { decodeUserData, encodeUcs2 } from '../../../src/sms/encoding/index.ts'
import { isSmsgwError } from '../../../src/errors.ts'
import { submitBody } from './smpp-test-client.ts'
import type { SmppTestClient } from './smpp-test-client.ts'
import { bindClient, connectClient, startSimulator } from './simulator-fixtures.ts'
import { eventually } from '../../harness/eventually.ts'

const s = commandStatus

function messageIdOf (pdu: Pdu): string {
  assert.equal(pdu.command, 'submit_sm_resp')
  return (pdu as PduOf<'submit_sm_resp'>).body.messageId
}

async function receiptFor (client: SmppTestClient, timeoutMs = 2000): Promise<PduOf<'deliver_sm'>> {
  return await client.waitFor(pdu => pdu.command === 'deliver_sm' && (pdu.body.esmClass & 0x04) !== 0, timeoutMs) as PduOf<'deliver_sm'>
}

test('simulator acknowledges submit_sm with decimal ids from a counter', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  const ids = [messageIdOf(await client.submit()), messageIdOf(await client.submit()), messageIdOf(await client.submit())]
  assert.deepStrictEqual(ids, ['1', '2', '3'])
})

test('simulator writes ids in hex and zero-padded formats', async t => {
  const hex = await startSimulator(t, { idFormat: 'hex', firstMessageId: 4095 })
  const hexClient = await bindClient(t, hex)
  assert.deepStrictEqual([messageIdOf(await hexClient.submit()), messageIdOf(await hexClient.submit())], ['fff', '1000'])
  const padded = await startSimulator(t, { idFormat: 'zero-padded', firstMessageId: 42 })
  const paddedClient = await bindClient(t, padded)
  assert.equal(messageIdOf(await paddedClient.submit()), '0000000042')
  const narrow = await startSimulator(t, { idFormat: 'zero-padded', idWidth: 4 })
  assert.equal(messageIdOf(await (await bindClient(t, narrow)).submit()), '0001')
})

test('simulator records each accepted submit_sm and emits submit', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator, 'transmitter')
  const events: SubmittedMessage[] = []
  simulator.on('submit', record => events.push(record))
  const before = Date.now()
  const body = submitBody({ destinationAddr: '447911123456', registeredDelivery: 0, esmClass: 0 })
  await client.submit(body)
  const [record] = await simulator.waitForSubmits(1, 1000)
  assert.ok(record !== undefined)
  assert.deepStrictEqual({ ...record, receivedAt: undefined }, {
    messageId: '1',
    systemId: 'smsgw',
    source: 'SMSGW',
    sourceAddrTon: 5,
    sourceAddrNpi: 0,
    destination: '447911123456',
    destAddrTon: 1,
    destAddrNpi: 1,
    dataCoding: 0,
    esmClass: 0,
    shortMessage: body.shortMessage,
    registeredDelivery: 0,
    validityPeriod: '',
    tlvs: [],
    receivedAt: undefined
  })
  assert.ok(record.receivedAt.getTime() >= before - 1000 && record.receivedAt.getTime() <= Date.now())
  assert.deepStrictEqual(events, [record])
})

test('simulator waitForSubmits rejects with SMSGW_TIMEOUT when too few arrive', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  await client.submit()
  await assert.rejects(simulator.waitForSubmits(2, 50), error => isSmsgwError(error, 'SMSGW_TIMEOUT'))
})

test('simulator sends a DELIVRD receipt after the default delay, as text and TLVs', async t => {
  const simulator = await startSimulator(t, { receiptDelayMs: 30 })
  const client = await bindClient(t, simulator)
  const response = await client.submit()
  const receipt = await receiptFor(client)
  assert.equal(receipt.body.esmClass, 0x04)
  assert.deepStrictEqual(
    [receipt.body.sourceAddr, receipt.body.sourceAddrTon, receipt.body.destinationAddr, receipt.body.destAddrTon],
    ['31612345678', 1, 'SMSGW', 5]
  )
  const text = receipt.body.shortMessage.toString('latin1')
  assert.match(text, /^id:1 sub:001 dlvrd:001 submit date:\d{10} done date:\d{10} stat:DELIVRD err:000 text:Hello from the tests$/)
  const fields = parseReceiptText(text)
  assert.equal(fields?.id, messageIdOf(response))
  assert.deepStrictEqual(receipt.body.tlvs, [{ name: 'receipted_message_id', value: '1' }, { name: 'message_state', value: 2 }])
})

test('simulator chooses the receipt by the first matching rule, with its outcome, err and delay', async t => {
  const simulator = await startSimulator(t, {
    rules: [
      { destination: '+4479', outcome: 'UNDELIV', delayMs: 150, err: '012' },
      { destination: /^33/, outcome: 'EXPIRED', delayMs: 10 },
      { destination: '44', outcome: 'REJECTD', delayMs: 10 }
    ]
  })
  const client = await bindClient(t, simulator)
  const long = 'A message longer than twenty characters'
  const started = Date.now()
  const first = messageIdOf(await client.submit({ destinationAddr: '447911000001', shortMessage: Buffer.from(long, 'latin1'), dataCoding: 3 }))
  const receipt = await receiptFor(client)
  assert.ok(Date.now() - started >= 140, `the receipt came after ${Date.now() - started} ms, not 150`)
  const fields = parseReceiptText(receipt.body.shortMessage.toString('latin1'))
  assert.deepStrictEqual([fields?.id, fields?.stat, fields?.err, fields?.dlvrd, fields?.text], [first, 'UNDELIV', '012', 0, long.slice(0, 20)])
  assert.equal(findTlv(receipt.body.tlvs, 'message_state'), 5)
  await client.submit({ destinationAddr: '33611223344' })
  assert.equal(findTlv((await receiptFor(client)).body.tlvs, 'message_state'), 3)
  await client.submit({ destinationAddr: '441234' })
  assert.equal(findTlv((await receiptFor(client)).body.tlvs, 'message_state'), 8)
})

test('simulator applies a rule\'s percent with its random source', async t => {
  const draws = [0.05, 0.95]
  const simulator = await startSimulator(t, {
    receiptDelayMs: 0,
    random: () => draws.shift() ?? 0,
    rules: [{ percent: 10, outcome: 'UNKNOWN', delayMs: 0 }]
  })
  const client = await bindClient(t, simulator)
  await client.submit()
  assert.equal(parseReceiptText((await receiptFor(client)).body.shortMessage.toString('latin1'))?.stat, 'UNKNOWN')
  await client.submit()
  assert.equal(parseReceiptText((await receiptFor(client)).body.shortMessage.toString('latin1'))?.stat, 'DELIVRD')
})

test('simulator setRules changes the receipts of later submits', async t => {
  const simulator = await startSimulator(t, { receiptDelayMs: 0 })
  const client = await bindClient(t, simulator)
  simulator.setRules([{ outcome: 'DELETED', delayMs: 0 }])
  await client.submit()
  assert.equal(findTlv((await receiptFor(client)).body.tlvs, 'message_state'), 4)
})

test('simulator sends receipts only when registered_delivery asks', async t => {
  const simulator = await startSimulator(t, { receiptDelayMs: 0, rules: [{ destination: '99', outcome: 'UNDELIV', delayMs: 0 }] })
  const client = await bindClient(t, simulator)
  await client.submit({ registeredDelivery: 0 })
  await client.submit({ registeredDelivery: 2 })
  const failure = messageIdOf(await client.submit({ registeredDelivery: 2, destinationAddr: '991234' }))
  const final = messageIdOf(await client.submit({ registeredDelivery: 1 }))
  const ids = [await receiptFor(client), await receiptFor(client)].map(pdu => findTlv(pdu.body.tlvs, 'receipted_message_id'))
  assert.deepStrictEqual(ids, [failure, final])
  assert.ok(await client.staysQuiet(pdu => pdu.command === 'deliver_sm', 100))
})

test('simulator writes the receipt id in its own format when asked', async t => {
  const simulator = await startSimulator(t, { idFormat: 'decimal', receiptIdFormat: 'hex', firstMessageId: 1000, receiptDelayMs: 0 })
  const client = await bindClient(t, simulator)
  const id = messageIdOf(await client.submit())
  const receipt = await receiptFor(client)
  assert.equal(id, '1000')
  assert.equal(findTlv(receipt.body.tlvs, 'receipted_message_id'), '3e8')
  assert.equal(parseReceiptText(receipt.body.shortMessage.toString('latin1'))?.id, '3e8')
  assert.equal(normaliseMessageId('3e8', 'hex'), normaliseMessageId(id, 'decimal'))
})

test('simulator sends the receipt before the submit_sm_resp when receiptBeforeResponse is on', async t => {
  const simulator = await startSimulator(t, { faults: { receiptBeforeResponse: true }, receiptDelayMs: 500 })
  const client = await bindClient(t, simulator)
  const response = await client.submit()
  const responseIndex = client.received.indexOf(response)
  const receiptIndex = client.received.findIndex(pdu => pdu.command === 'deliver_sm')
  assert.ok(receiptIndex >= 0 && receiptIndex < responseIndex, `receipt at ${receiptIndex}, response at ${responseIndex}`)
})

test('simulator sends receipts of a transmitter to a receiver of the same system_id, and keeps them until one binds', async t => {
  const simulator = await startSimulator(t, { receiptDelayMs: 0 })
  const transmitter = await bindClient(t, simulator, 'transmitter')
  const id = messageIdOf(await transmitter.submit())
  await eventually('the receipt kept for a receiver', () => simulator.pendingReceipts === 1)
  const receiver = await bindClient(t, simulator, 'receiver')
  const receipt = await receiptFor(receiver)
  assert.equal(findTlv(receipt.body.tlvs, 'receipted_message_id'), id)
  assert.ok(!transmitter.received.some(pdu => pdu.command === 'deliver_sm'))
})

test('simulator sends again after a rebind the receipts answered within resendAnsweredReceiptsMs, and only those', async t => {
  // Receipts before responses: the transmitter's receipt is kept for a receiver by the time its
  // submit is answered, not on a timer that a busy machine may fire after the receiver's bind.
  const simulator = await startSimulator(t, { faults: { receiptBeforeResponse: true }, receiptDelayMs: 0, resendAnsweredReceiptsMs: 60_000 })
  const first = await bindClient(t, simulator)
  const answered = once(simulator, 'receipt') as Promise<[ReceiptEvent]>
  const id = messageIdOf(await first.submit())
  await answered
  first.close()
  await first.closed()
  const again = await bindClient(t, simulator)
  const receipt = await receiptFor(again)
  assert.equal(findTlv(receipt.body.tlvs, 'receipted_message_id'), id)

  // Without the option, an answered receipt is not sent again.
  const plain = await startSimulator(t, { receiptDelayMs: 0 })
  const before = await bindClient(t, plain)
  const plainAnswered = once(plain, 'receipt') as Promise<[ReceiptEvent]>
  await before.submit()
  await plainAnswered
  before.close()
  await before.closed()
  const after = await bindClient(t, plain)
  assert.ok(await after.staysQuiet(pdu => pdu.command === 'deliver_sm', 300))
})

test('simulator sends after a rebind the receipts never answered before those it sends again', async t => {
  // Receipts before responses: the transmitter's receipt is kept for a receiver by the time its
  // submit is answered, not on a timer that a busy machine may fire after the receiver's bind.
  const simulator = await startSimulator(t, { faults: { receiptBeforeResponse: true }, receiptDelayMs: 0, resendAnsweredReceiptsMs: 60_000 })
  const first = await bindClient(t, simulator)
  const answered = once(simulator, 'receipt') as Promise<[ReceiptEvent]>
  const repeated = messageIdOf(await first.submit())
  await answered
  first.close()
  await first.closed()
  // Submitted through a transmitter: its receipt waits, never sent, for a session that can receive.
  const transmitter = await bindClient(t, simulator, 'transmitter')
  const owed = messageIdOf(await transmitter.submit())
  assert.equal(simulator.pendingReceipts, 1, 'the receipt kept for a receiver')
  const receiver = await bindClient(t, simulator, 'receiver')
  const ids = [await receiptFor(receiver), await receiptFor(receiver)].map(pdu => findTlv(pdu.body.tlvs, 'receipted_message_id'))
  assert.deepStrictEqual(ids, [owed, repeated])
})

test('simulator emits receipt with the ESME\'s answer', async t => {
  const simulator = await startSimulator(t, { receiptDelayMs: 0 })
  const client = await bindClient(t, simulator, 'transceiver', { deliverStatus: s.ESME_RX_T_APPN })
  const receipts = once(simulator, 'receipt') as Promise<[ReceiptEvent]>
  await client.submit()
  const [event] = await receipts
  assert.deepStrictEqual(event, {
    messageId: '1', receiptId: '1', systemId: 'smsgw', destination: '31612345678', outcome: 'DELIVRD', err: '000', commandStatus: s.ESME_RX_T_APPN
  })
})

test('simulator throttles the next K submits with ESME_RTHROTTLED', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  simulator.setFaults({ throttleNextSubmits: 2 })
  const statuses = [await client.submit(), await client.submit(), await client.submit()].map(pdu => pdu.commandStatus)
  assert.deepStrictEqual(statuses, [s.ESME_RTHROTTLED, s.ESME_RTHROTTLED, s.ESME_ROK])
  assert.equal(simulator.faults.throttleNextSubmits, 0)
  assert.equal(simulator.submitCount, 1)
})

test('simulator throttles submits above N per second', async t => {
  // The simulator counts submits per second of Date.now(): a mocked Date moves the second on.
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() })
  const simulator = await startSimulator(t, { faults: { throttlePerSecond: 3 } })
  const client = await bindClient(t, simulator)
  const responses = await Promise.all(Array.from({ length: 5 }, async () => await client.submit()))
  assert.deepStrictEqual(responses.map(pdu => pdu.commandStatus), [0, 0, 0, s.ESME_RTHROTTLED, s.ESME_RTHROTTLED])
  t.mock.timers.tick(1050)
  assert.equal((await client.submit()).commandStatus, s.ESME_ROK)
})

test('simulator delays every response by responseDelayMs', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  simulator.setFaults({ responseDelayMs: 150 })
  const started = Date.now()
  await client.submit()
  await client.request('enquire_link', {})
  assert.ok(Date.now() - started >= 290, `two answers took ${Date.now() - started} ms`)
  simulator.setFaults({ responseDelayMs: 0 })
  const quick = Date.now()
  await client.submit()
  assert.ok(Date.now() - quick < 100)
})

test('simulator never answers submits when neverAnswerSubmits is on, but answers enquire_link', async t => {
  const simulator = await startSimulator(t, { faults: { neverAnswerSubmits: true } })
  const client = await bindClient(t, simulator)
  const refused = once(simulator, 'submitRefused')
  await assert.rejects(client.submit({}, 200), /no matching PDU/)
  assert.deepStrictEqual(await refused, [{ systemId: 'smsgw', commandStatus: null }])
  assert.equal((await client.request('enquire_link', {})).commandStatus, s.ESME_ROK)
  assert.equal(simulator.submitCount, 0)
})

test('simulator rejects submits with the chosen command_status', async t => {
  const simulator = await startSimulator(t, { faults: { rejectSubmitsWith: s.ESME_RMSGQFUL } })
  const client = await bindClient(t, simulator)
  const response = await client.submit()
  assert.deepStrictEqual([response.commandStatus, response.body], [s.ESME_RMSGQFUL, { messageId: '', tlvs: [] }])
  simulator.setFaults({ rejectSubmitsWith: null })
  assert.equal((await client.submit()).commandStatus, s.ESME_ROK)
})

test('simulator refuses binds with the chosen command_status', async t => {
  const simulator = await startSimulator(t, { faults: { refuseBindsWith: s.ESME_RBINDFAIL } })
  const client = await connectClient(t, simulator)
  assert.equal((await client.bind('transceiver')).commandStatus, s.ESME_RBINDFAIL)
  simulator.setFaults({ refuseBindsWith: null })
  assert.equal((await client.bind('transceiver')).commandStatus, s.ESME_ROK)
})

test('simulator drops the connection after the next N PDUs, answering them first', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  simulator.setFaults({ dropAfterPdus: 2 })
  const first = client.submit()
  const second = client.submit()
  const third = client.submit({}, 300)
  assert.equal((await first).commandStatus, s.ESME_ROK)
  assert.equal((await second).commandStatus, s.ESME_ROK)
  await assert.rejects(third, /no matching PDU/)
  await client.closed()
  assert.equal(simulator.faults.dropAfterPdus, null)
  assert.equal(simulator.submitCount, 2)
  // The fault fired once: a new connection works.
  const next = await bindClient(t, simulator)
  assert.equal((await next.submit()).commandStatus, s.ESME_ROK)
})

test('simulator dropConnections closes every connection at once', async t => {
  const simulator = await startSimulator(t)
  const clients = [await bindClient(t, simulator), await bindClient(t, simulator, 'receiver')]
  simulator.dropConnections()
  await Promise.all(clients.map(async client => { await client.closed() }))
  await eventually('no connection left', () => simulator.connections === 0)
})

test('simulator injects a short MO message as one deliver_sm', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator, 'receiver')
  const delivery = await simulator.injectMo({ from: '+31612345678', to: '1234', text: 'Hello gateway' })
  assert.deepStrictEqual(delivery.commandStatuses, [s.ESME_ROK])
  const deliver = await client.waitFor(pdu => pdu.command === 'deliver_sm') as PduOf<'deliver_sm'>
  assert.deepStrictEqual(
    [deliver.body.esmClass, deliver.body.sourceAddr, deliver.body.sourceAddrTon, deliver.body.destinationAddr, deliver.body.dataCoding],
    [0, '31612345678', 1, '1234', 0]
  )
  assert.equal(decodeUserData(deliver.body.shortMessage, deliver.body.dataCoding, false)?.text, 'Hello gateway')
})

test('simulator injects a long MO message in parts with a concatenation UDH that reassemble to the text', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  const text = 'Long message from a phone. '.repeat(12).trim()
  const delivery = await simulator.injectMo({ from: '31612345678', to: '1234', text })
  assert.deepStrictEqual(delivery.commandStatuses, [0, 0, 0])
  const parts = client.received.filter((pdu): pdu is PduOf<'deliver_sm'> => pdu.command === 'deliver_sm')
  const decoded = parts.map(part => {
    assert.equal(part.body.esmClass, 0x40)
    return decodeUserData(part.body.shortMessage, part.body.dataCoding, true)
  })
  assert.deepStrictEqual(decoded.map(part => [part?.concat?.seq, part?.concat?.total]), [[1, 3], [2, 3], [3, 3]])
  assert.equal(new Set(decoded.map(part => part?.concat?.ref)).size, 1)
  assert.equal(decoded.map(part => part?.text).join(''), text)
})

test('simulator injects a long UCS-2 MO message with SAR TLVs when asked', async t => {
  const simulator = await startSimulator(t)
  const client = await bindClient(t, simulator)
  const text = 'Привет из телефона! '.repeat(5)
  await simulator.injectMo({ from: '31612345678', to: '1234', text, concatenation: 'sar' })
  const parts = client.received.filter((pdu): pdu is PduOf<'deliver_sm'> => pdu.command === 'deliver_sm')
  assert.equal(parts.length, 2)
  assert.deepStrictEqual(parts.map(part => [
    part.body.esmClass, part.body.dataCoding, findTlv(part.body.tlvs, 'sar_total_segments'), findTlv(part.body.tlvs, 'sar_segment_seqnum')
  ]), [[0, 8, 2, 1], [0, 8, 2, 2]])
  assert.equal(findTlv(parts[0]?.body.tlvs ?? [], 'sar_msg_ref_num'), findTlv(parts[1]?.body.tlvs ?? [], 'sar_msg_ref_num'))
  assert.deepStrictEqual(Buffer.concat(parts.map(part => part.body.shortMessage)), encodeUcs2(text))
})

test('simulator injectMo rejects with SMSGW_SMSC_SIM_DELIVERY when no session can receive', async t => {
  const simulator = await startSimulator(t)
  await bindClient(t, simulator, 'transmitter')
  await assert.rejects(simulator.injectMo({ from: '31612345678', to: '1234', text: 'hi' }), error => isSmsgwError(error, 'SMSGW_SMSC_SIM_DELIVERY'))
  await bindClient(t, simulator, 'receiver')
  await assert.rejects(simulator.injectMo({ from: '31612345678', to: '1234', text: 'hi', systemId: 'other' }), error => isSmsgwError(error, 'SMSGW_SMSC_SIM_DELIVERY'))
  assert.deepStrictEqual((await simulator.injectMo({ from: '31612345678', to: '1234', text: 'hi', systemId: 'smsgw' })).commandStatuses, [0])
})

test('simulator close unbinds bound sessions and stops listening', async t => {
  const simulator = await SmscSimulator.start({ port: 0 })
  const client = await bindClient(t, simulator)
  const port = simulator.address.port
  await simulator.close()
  assert.ok(client.received.some(pdu => pdu.command === 'unbind'))
  await client.closed()
  await assert.rejects(connectClient(t, { address: { port } } as unknown as SmscSimulator), /ECONNREFUSED/)
})

test('simulator start rejects a wrong option with SMSGW_CONFIG', async () => {
  await assert.rejects(SmscSimulator.start({ port: 0, idFormat: 'octal' as 'hex' }), error => isSmsgwError(error, 'SMSGW_CONFIG'))
  await assert.rejects(SmscSimulator.start({ port: 0, rules: [{ outcome: 'LOST' as 'DELIVRD' }] }), /rules\[0\]\.outcome/)
})

test('simulator start rejects when the port is taken', async t => {
  const first = await startSimulator(t)
  await assert.rejects(SmscSimulator.start({ port: first.address.port }), /EADDRINUSE/)
})

test('simulator close gives up on an ESME that never answers unbind after unbindTimeoutMs', async t => {
  const simulator = await SmscSimulator.start({ port: 0, unbindTimeoutMs: 50 })
  // An ESME that binds and then answers nothing.
  const silent = await connectClient(t, simulator)
  await silent.bind('transceiver')
  const raw = connect(simulator.address.port, '127.0.0.1')
  t.after(() => { raw.destroy() })
  await once(raw, 'connect')
  raw.write(encodePdu(createPdu('bind_transceiver', 1, {
    systemId: 'smsgw', password: 'secret', systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: ''
  })))
  await eventually('both sessions bound', () => simulator.boundSessions >= 2)
  const started = Date.now()
  await simulator.close()
  assert.ok(Date.now() - started < 1000, `close took ${Date.now() - started} ms`)
  assert.equal(simulator.connections, 0)
})
