import assert from 'node:assert/strict'
import { afterEach, mock, test } from 'node:test'
import type { TestContext } from 'node:test'
import { errorCodes, SmsgwError } from '../../../src/errors.ts'
import { commandStatus, createPdu, encodePdu } from '../../../src/smpp/codec/index.ts'
import type { PduOf } from '../../../src/smpp/codec/index.ts'
import { sessionSettings, SmppSessionError, SmppSubmitError, SmscSession } from '../../../src/smpp/session/index.ts'
import type { SmscSessionOptions, SmscSessionState } from '../../../src/smpp/session/index.ts'
import { MemoryLink, receiptPdu, settle, submitBody, submitFields } from './memory-link.ts'

afterEach(() => { mock.timers.reset() })

type Overrides = Partial<Omit<SmscSessionOptions, 'connect'>>

function newSession (t: TestContext, overrides: Overrides = {}): { session: SmscSession, link: MemoryLink, states: SmscSessionState[] } {
  const link = new MemoryLink()
  const session = new SmscSession({
    connect: link.connect,
    systemId: 'esme',
    password: 'secret',
    onDeliver: async () => {},
    ...overrides
  })
  const states: SmscSessionState[] = []
  session.on('state', state => { states.push(state) })
  t.after(() => { session.destroy() })
  return { session, link, states }
}

async function boundSession (t: TestContext, overrides: Overrides = {}): Promise<{ session: SmscSession, link: MemoryLink, states: SmscSessionState[] }> {
  const opened = newSession(t, overrides)
  await opened.link.acceptBind()
  await opened.session.bound()
  return opened
}

/** The rejection of `promise`, which must reject. */
async function rejection (promise: Promise<unknown>): Promise<SmppSubmitError> {
  const outcome = await promise.then(() => undefined, (error: unknown) => error)
  assert.ok(outcome instanceof SmppSubmitError, `expected an SmppSubmitError, got ${String(outcome)}`)
  return outcome
}

function useFakeTime (): void {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_700_000_000_000 })
}

test('SmscSession binds as a transceiver with system type smpp and SMPP 3.4 when the SMSC answers one octet at a time', async t => {
  const { session, link, states } = newSession(t)
  const bind = await link.expect('bind_transceiver')
  assert.deepStrictEqual(bind.body, {
    systemId: 'esme', password: 'secret', systemType: 'smpp', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: ''
  })
  assert.equal(session.state, 'binding')
  link.send(createPdu('bind_transceiver_resp', bind.sequenceNumber, { systemId: 'SMSC-1', tlvs: [] }), { byteByByte: true })
  await session.bound()
  assert.deepStrictEqual({ state: session.state, peer: session.peerSystemId, states, busy: session.busy }, {
    state: 'bound', peer: 'SMSC-1', states: ['binding', 'bound'], busy: false
  })
})

test('SmscSession fails the bind with SMSGW_SMPP_BIND and the command_status and closes when the SMSC refuses it', async t => {
  const { session, link } = newSession(t)
  const bind = await link.expect('bind_transceiver')
  link.respond(bind, { systemId: '', tlvs: [] }, commandStatus.ESME_RINVPASWD)
  const error = await session.bound().then(() => undefined, (failure: unknown) => failure)
  assert.ok(error instanceof SmppSessionError)
  assert.deepStrictEqual({ code: error.code, commandStatus: error.commandStatus, retryable: error.retryable, sessionSurvives: error.sessionSurvives }, {
    code: 'SMSGW_SMPP_BIND', commandStatus: commandStatus.ESME_RINVPASWD, retryable: false, sessionSurvives: false
  })
  assert.equal(await session.closed(), error)
  assert.deepStrictEqual({ state: session.state, link: link.state }, { state: 'closed', link: 'destroyed' })
})

test('SmscSession fails the bind when no bind_transceiver_resp comes within the response timeout', async t => {
  useFakeTime()
  const { session, link } = newSession(t, { responseTimeoutMs: 5_000 })
  await link.expect('bind_transceiver')
  mock.timers.tick(5_000)
  const reason = await session.closed()
  assert.ok(reason instanceof SmppSessionError)
  assert.equal(reason.code, 'SMSGW_SMPP_BIND')
  assert.match(reason.message, /no bind_transceiver_resp within 5000 ms/)
})

test('SmscSession refuses options that do not fit, naming each one', () => {
  const link = new MemoryLink()
  assert.throws(() => new SmscSession({
    connect: link.connect, systemId: 'esme', password: 'secret', onDeliver: async () => {}, windowSize: 0, inactivityTimeoutMs: 1000
  }), (error: Error) => {
    assert.match(error.message, /windowSize: must be a positive integer, got 0/)
    assert.match(error.message, /inactivityTimeoutMs \(1000\) must be longer than enquireLinkIntervalMs \(30000\)/)
    return true
  })
  assert.throws(() => new SmscSession({
    connect: link.connect, systemId: 'a-system-id-too-long', password: 'secret', onDeliver: async () => {}
  }), { code: 'SMSGW_CONFIG' })
})

test('SmscSession submit resolves with the message id of submit_sm_resp ESME_ROK', async t => {
  const { session, link } = await boundSession(t)
  const result = session.submit(submitBody('hi there'))
  const submit = await link.expect('submit_sm')
  assert.deepStrictEqual(submit.body, submitBody('hi there'))
  assert.equal(session.inFlight, 1)
  link.send(createPdu('submit_sm_resp', submit.sequenceNumber, { messageId: '0A1B2C', tlvs: [] }), { byteByByte: true })
  assert.deepStrictEqual(await result, { messageId: '0A1B2C' })
  assert.equal(session.inFlight, 0)
})

test('SmscSession submit rejects with the command_status when the SMSC refuses it, and the session lives on', async t => {
  const { session, link } = await boundSession(t)
  const result = session.submit(submitBody())
  link.respond(await link.expect('submit_sm'), { messageId: '', tlvs: [] }, commandStatus.ESME_RINVDSTADR)
  assert.deepStrictEqual(submitFields(await rejection(result)), {
    code: 'SMSGW_SMPP_SUBMIT', commandStatus: 0x0b, written: true, outcomeUnknown: false, retryable: false, sessionSurvives: true
  })
  assert.equal(session.state, 'bound')
  // generic_nack answers a submit the SMSC could not read: a refusal too.
  const nacked = session.submit(submitBody())
  const submit = await link.expect('submit_sm')
  link.send(createPdu('generic_nack', submit.sequenceNumber, {}, commandStatus.ESME_RINVCMDLEN))
  assert.deepStrictEqual(submitFields(await rejection(nacked)), {
    code: 'SMSGW_SMPP_SUBMIT', commandStatus: 0x02, written: true, outcomeUnknown: false, retryable: false, sessionSurvives: true
  })
})

test('SmscSession submit rejects as not written when the body does not encode', async t => {
  const { session, link } = await boundSession(t)
  const error = await rejection(session.submit(submitBody('x', '1'.repeat(30))))
  assert.deepStrictEqual(submitFields(error), {
    code: 'SMSGW_SMPP_ENCODING', commandStatus: undefined, written: false, outcomeUnknown: false, retryable: false, sessionSurvives: true
  })
  assert.deepStrictEqual(link.unread, [])
})

test('SmscSession holds the 11th submit until a response frees a window slot', async t => {
  const { session, link } = await boundSession(t)
  let drains = 0
  session.on('drain', () => { drains++ })
  const results = Array.from({ length: 11 }, (_, index) => session.submit(submitBody(`m${index}`)))
  const submits: Array<PduOf<'submit_sm'>> = []
  for (let index = 0; index < 10; index++) submits.push(await link.expect('submit_sm'))
  await settle()
  assert.deepStrictEqual({ unread: link.unread, busy: session.busy, inFlight: session.inFlight }, { unread: [], busy: true, inFlight: 10 })
  let ready = false
  void session.ready().then(() => { ready = true })
  const first = submits[0]
  assert.ok(first !== undefined)
  link.respond(first, { messageId: 'id-0', tlvs: [] })
  const eleventh = await link.expect('submit_sm')
  assert.equal(eleventh.body.shortMessage.toString(), 'm10')
  // The freed slot went to the waiting submit: still full.
  assert.deepStrictEqual({ busy: session.busy, ready, drains }, { busy: true, ready: false, drains: 0 })
  const second = submits[1]
  assert.ok(second !== undefined)
  link.respond(second, { messageId: 'id-1', tlvs: [] })
  await results[1]
  await settle()
  assert.deepStrictEqual({ busy: session.busy, ready, drains }, { busy: false, ready: true, drains: 1 })
  for (const submit of [...submits.slice(2), eleventh]) link.respond(submit, { messageId: `id-${submit.sequenceNumber}`, tlvs: [] })
  assert.equal((await Promise.all(results)).length, 11)
})

test('SmscSession submit fails with an unknown outcome (written) when no response comes in time', async t => {
  useFakeTime()
  const { session, link } = await boundSession(t)
  const result = session.submit(submitBody())
  await link.expect('submit_sm')
  mock.timers.tick(9_999)
  await settle()
  assert.equal(session.inFlight, 1)
  mock.timers.tick(1)
  assert.deepStrictEqual(submitFields(await rejection(result)), {
    code: 'SMSGW_SMPP_RESPONSE_TIMEOUT', commandStatus: undefined, written: true, outcomeUnknown: true, retryable: false, sessionSurvives: true
  })
  assert.deepStrictEqual({ state: session.state, inFlight: session.inFlight }, { state: 'bound', inFlight: 0 })
})

test('SmscSession fails a submit as not written when the connection drops before its bytes were handed over', async t => {
  const { session, link } = await boundSession(t)
  link.holdWrites()
  const first = session.submit(submitBody('first'))
  const second = session.submit(submitBody('second'))
  await link.expect('submit_sm')
  await settle()
  assert.deepStrictEqual(link.unread, [], 'the second waits for the first write to drain')
  link.closeFromPeer()
  assert.deepStrictEqual(submitFields(await rejection(first)), {
    code: 'SMSGW_SMPP_CLOSED', commandStatus: undefined, written: true, outcomeUnknown: true, retryable: false, sessionSurvives: false
  })
  assert.deepStrictEqual(submitFields(await rejection(second)), {
    code: 'SMSGW_SMPP_CLOSED', commandStatus: undefined, written: false, outcomeUnknown: false, retryable: true, sessionSurvives: false
  })
  const reason = await session.closed()
  assert.ok(reason instanceof SmppSessionError)
  assert.equal(reason.code, 'SMSGW_SMPP_CONNECTION')
})

test('SmscSession closes when the SMSC takes no bytes for the response timeout, failing queued submits as not written', async t => {
  useFakeTime()
  const { session, link } = await boundSession(t)
  link.holdWrites()
  const first = session.submit(submitBody('first'))
  const second = session.submit(submitBody('second'))
  await link.expect('submit_sm')
  mock.timers.tick(10_000)
  assert.deepStrictEqual(submitFields(await rejection(first)), {
    code: 'SMSGW_SMPP_RESPONSE_TIMEOUT', commandStatus: undefined, written: true, outcomeUnknown: true, retryable: false, sessionSurvives: true
  })
  assert.equal((await rejection(second)).written, false)
  assert.match(String(await session.closed()), /took no bytes for 10000 ms/)
})

test('SmscSession submits again after a back-off when the SMSC throttles, and the caller sees one result', async t => {
  useFakeTime()
  t.mock.method(Math, 'random', () => 0.5)
  const { session, link } = await boundSession(t)
  const throttles: unknown[] = []
  session.on('throttled', info => { throttles.push(info) })
  const result = session.submit(submitBody('again'))
  const first = await link.expect('submit_sm')
  link.respond(first, { messageId: '', tlvs: [] }, commandStatus.ESME_RTHROTTLED)
  await settle()
  // Equal jitter of the first back-off (1 s): 500 + 0.5 × 500.
  assert.deepStrictEqual(throttles, [{ commandStatus: 0x58, delayMs: 750 }])
  assert.deepStrictEqual({ busy: session.busy, unread: link.unread, inFlight: session.inFlight }, { busy: true, unread: [], inFlight: 1 })
  const held = session.submit(submitBody('held'))
  await settle()
  assert.deepStrictEqual(link.unread, [], 'the whole session holds submits while backing off')
  mock.timers.tick(749)
  await settle()
  assert.deepStrictEqual(link.unread, [])
  mock.timers.tick(1)
  const retry = await link.expect('submit_sm')
  assert.notEqual(retry.sequenceNumber, first.sequenceNumber)
  assert.deepStrictEqual(retry.body, first.body)
  link.respond(retry, { messageId: 'ok-1', tlvs: [] })
  assert.deepStrictEqual(await result, { messageId: 'ok-1' })
  link.respond(await link.expect('submit_sm'), { messageId: 'ok-2', tlvs: [] })
  assert.deepStrictEqual(await held, { messageId: 'ok-2' })
})

test('SmscSession fails a submit with the SMSC status after maxThrottleRetries refusals, growing the hold each time', async t => {
  useFakeTime()
  t.mock.method(Math, 'random', () => 0)
  const { session, link } = await boundSession(t, { maxThrottleRetries: 2, throttleBackoffMs: 100 })
  const delays: number[] = []
  session.on('throttled', info => { delays.push(info.delayMs) })
  const failure = rejection(session.submit(submitBody()))
  for (let attempt = 0; attempt < 3; attempt++) {
    link.respond(await link.expect('submit_sm'), { messageId: '', tlvs: [] }, commandStatus.ESME_RMSGQFUL)
    await settle()
    mock.timers.tick(1_000)
  }
  assert.deepStrictEqual(submitFields(await failure), {
    code: 'SMSGW_SMPP_SUBMIT', commandStatus: 0x14, written: true, outcomeUnknown: false, retryable: true, sessionSurvives: true
  })
  assert.deepStrictEqual(delays, [50, 100])
})

test('SmscSession counts a burst of throttled answers to submits written before the hold as one back-off step', async t => {
  useFakeTime()
  t.mock.method(Math, 'random', () => 0)
  const { session, link } = await boundSession(t)
  const delays: number[] = []
  session.on('throttled', info => { delays.push(info.delayMs) })
  const results = [session.submit(submitBody('a')), session.submit(submitBody('b')), session.submit(submitBody('c'))]
  const firsts = [await link.expect('submit_sm'), await link.expect('submit_sm'), await link.expect('submit_sm')]
  for (const submit of firsts) link.respond(submit, { messageId: '', tlvs: [] }, commandStatus.ESME_RTHROTTLED)
  await settle()
  assert.deepStrictEqual(delays, [500])
  mock.timers.tick(500)
  const retries = [await link.expect('submit_sm'), await link.expect('submit_sm'), await link.expect('submit_sm')]
  assert.deepStrictEqual(retries.map(pdu => pdu.body.shortMessage.toString()), ['a', 'b', 'c'])
  for (const submit of retries) link.respond(submit, { messageId: `id-${submit.body.shortMessage.toString()}`, tlvs: [] })
  assert.deepStrictEqual(await Promise.all(results), [{ messageId: 'id-a' }, { messageId: 'id-b' }, { messageId: 'id-c' }])
})

test('SmscSession spaces submits by maxSubmitsPerSecond', async t => {
  useFakeTime()
  const { session, link } = await boundSession(t, { maxSubmitsPerSecond: 4 })
  const results = Array.from({ length: 3 }, () => session.submit(submitBody()))
  await link.expect('submit_sm')
  await settle()
  assert.deepStrictEqual(link.unread, [], 'a burst of one token at 4 a second')
  mock.timers.tick(249)
  await settle()
  assert.deepStrictEqual(link.unread, [])
  mock.timers.tick(1)
  await link.expect('submit_sm')
  mock.timers.tick(250)
  await link.expect('submit_sm')
  for (const pdu of link.written.filter(pdu => pdu.command === 'submit_sm')) {
    link.respond(pdu as PduOf<'submit_sm'>, { messageId: String(pdu.sequenceNumber), tlvs: [] })
  }
  assert.equal((await Promise.all(results)).length, 3)
})

test('SmscSession sends enquire_link on schedule while bound and lives on when it is answered', async t => {
  useFakeTime()
  const { session, link } = await boundSession(t)
  for (let round = 0; round < 4; round++) {
    mock.timers.tick(29_999)
    await settle()
    assert.deepStrictEqual(link.unread, [])
    mock.timers.tick(1)
    link.respond(await link.expect('enquire_link'), {})
    await settle()
  }
  assert.equal(session.state, 'bound')
})

test('SmscSession answers the SMSC enquire_link with enquire_link_resp of the same sequence number', async t => {
  const { link } = await boundSession(t)
  link.send(createPdu('enquire_link', 77, {}), { byteByByte: true })
  const answer = await link.expect('enquire_link_resp')
  assert.deepStrictEqual({ sequenceNumber: answer.sequenceNumber, commandStatus: answer.commandStatus }, { sequenceNumber: 77, commandStatus: 0 })
})

test('SmscSession destroys itself with SMSGW_SMPP_INACTIVITY when the SMSC sends nothing for the inactivity timeout', async t => {
  useFakeTime()
  const { session, link } = await boundSession(t, { enquireLinkIntervalMs: 30_000, inactivityTimeoutMs: 90_000 })
  mock.timers.tick(60_000)
  await settle()
  // An answered keep-alive counts as life, and moves the deadline.
  const enquiries = link.unread.filter(pdu => pdu.command === 'enquire_link')
  assert.equal(enquiries.length, 1)
  const firstEnquiry = enquiries[0]
  assert.ok(firstEnquiry !== undefined && firstEnquiry.command === 'enquire_link')
  link.respond(firstEnquiry, {})
  await settle()
  mock.timers.tick(89_999)
  await settle()
  assert.equal(session.state, 'bound')
  mock.timers.tick(1)
  const reason = await session.closed()
  assert.ok(reason instanceof SmppSessionError)
  assert.equal(reason.code, 'SMSGW_SMPP_INACTIVITY')
  assert.equal(link.state, 'destroyed')
})

test('SmscSession acknowledges a deliver_sm only after the handler resolves', async t => {
  const delivered: Array<PduOf<'deliver_sm'>> = []
  let release!: () => void
  const { link } = await boundSession(t, {
    onDeliver: async pdu => {
      delivered.push(pdu)
      await new Promise<void>(resolve => { release = resolve })
    }
  })
  const receipt = receiptPdu(501)
  link.send(receipt, { byteByByte: true })
  await settle()
  assert.deepStrictEqual({ delivered, unread: link.unread }, { delivered: [receipt], unread: [] })
  release()
  const answer = await link.expect('deliver_sm_resp')
  assert.deepStrictEqual(answer, createPdu('deliver_sm_resp', 501, { messageId: '', tlvs: [] }))
})

test('SmscSession answers ESME_RX_T_APPN when the deliver handler rejects, so the SMSC delivers again', async t => {
  const { link } = await boundSession(t, { onDeliver: async () => { throw new Error('store down') } })
  link.send(receiptPdu(502))
  const answer = await link.expect('deliver_sm_resp')
  assert.deepStrictEqual({ sequenceNumber: answer.sequenceNumber, commandStatus: answer.commandStatus }, { sequenceNumber: 502, commandStatus: 0x64 })
})

test('SmscSession answers ESME_RX_R_APPN when the deliver handler refuses the message for good, so the SMSC does not deliver it again', async t => {
  const { link } = await boundSession(t, { onDeliver: async () => { throw new SmsgwError(errorCodes.inboundRefused, 'no client owns the recipient') } })
  link.send(receiptPdu(503))
  const answer = await link.expect('deliver_sm_resp')
  assert.deepStrictEqual({ sequenceNumber: answer.sequenceNumber, commandStatus: answer.commandStatus }, { sequenceNumber: 503, commandStatus: commandStatus.ESME_RX_R_APPN })
})

test('SmscSession stops reading while maxDeliversInFlight handlers run', async t => {
  const releases: Array<() => void> = []
  const { link } = await boundSession(t, {
    maxDeliversInFlight: 2,
    onDeliver: async () => { await new Promise<void>(resolve => { releases.push(resolve) }) }
  })
  link.send(receiptPdu(1))
  link.send(receiptPdu(2))
  link.send(receiptPdu(3))
  await settle()
  assert.equal(releases.length, 2)
  releases[0]?.()
  await link.expect('deliver_sm_resp')
  await settle()
  assert.equal(releases.length, 3)
  for (const release of releases.slice(1)) release()
  await link.expect('deliver_sm_resp')
  await link.expect('deliver_sm_resp')
})

test('SmscSession answers a malformed PDU with the codec failure response and goes on', async t => {
  let handled = 0
  const { session, link } = await boundSession(t, { onDeliver: async () => { handled++ } })
  const unexpected: unknown[] = []
  session.on('unexpected', info => { unexpected.push(info) })
  const valid = encodePdu(receiptPdu(9))
  // Turn the first octet of destination_addr's NULL into a digit: 21 characters and no end.
  const withLongDestination = encodePdu(createPdu('deliver_sm', 10, { ...receiptPdu(10).body, destinationAddr: '1'.repeat(20) }))
  const nullAt = withLongDestination.indexOf(Buffer.from('1'.repeat(20) + '\0', 'latin1')) + 20
  withLongDestination[nullAt] = 0x31
  link.sendBytes(withLongDestination)
  const answer = await link.expect('deliver_sm_resp')
  assert.deepStrictEqual({ sequenceNumber: answer.sequenceNumber, commandStatus: answer.commandStatus }, { sequenceNumber: 10, commandStatus: 0x0b })
  // An unknown command_id earns generic_nack ESME_RINVCMDID.
  const unknown = Buffer.alloc(16)
  unknown.writeUInt32BE(16, 0)
  unknown.writeUInt32BE(0x00000777, 4)
  unknown.writeUInt32BE(11, 12)
  link.sendBytes(unknown)
  const nack = await link.expect('generic_nack')
  assert.deepStrictEqual({ sequenceNumber: nack.sequenceNumber, commandStatus: nack.commandStatus }, { sequenceNumber: 11, commandStatus: 0x03 })
  link.sendBytes(valid)
  await link.expect('deliver_sm_resp')
  assert.deepStrictEqual({ handled, state: session.state, unexpected: unexpected.length }, { handled: 1, state: 'bound', unexpected: 2 })
})

test('SmscSession closes with SMSGW_SMPP_FRAMING when command_length is out of bounds', async t => {
  const { session, link } = await boundSession(t)
  const pending = session.submit(submitBody())
  await link.expect('submit_sm')
  link.sendBytes(Buffer.from([0, 0, 0, 4]))
  const reason = await session.closed()
  assert.ok(reason instanceof Error && 'code' in reason)
  assert.equal(reason.code, 'SMSGW_SMPP_FRAMING')
  assert.equal((await rejection(pending)).outcomeUnknown, true)
})

test('SmscSession answers the SMSC unbind with unbind_resp and closes, failing outstanding submits as unknown', async t => {
  const { session, link, states } = await boundSession(t)
  const pending = session.submit(submitBody())
  await link.expect('submit_sm')
  link.send(createPdu('unbind', 900, {}))
  const answer = await link.expect('unbind_resp')
  assert.deepStrictEqual({ sequenceNumber: answer.sequenceNumber, commandStatus: answer.commandStatus }, { sequenceNumber: 900, commandStatus: 0 })
  const reason = await session.closed()
  assert.ok(reason instanceof SmppSessionError)
  assert.equal(reason.code, 'SMSGW_SMPP_PEER_UNBIND')
  assert.equal((await rejection(pending)).outcomeUnknown, true)
  assert.deepStrictEqual({ states, link: link.state }, { states: ['binding', 'bound', 'unbinding', 'closed'], link: 'ended' })
})

test('SmscSession close waits for the window to empty, then unbinds and ends the connection', async t => {
  const { session, link, states } = await boundSession(t)
  const pending = session.submit(submitBody())
  const submit = await link.expect('submit_sm')
  const closing = session.close()
  await settle()
  assert.equal(session.state, 'unbinding')
  const refused = await rejection(session.submit(submitBody()))
  assert.deepStrictEqual({ code: refused.code, written: refused.written }, { code: 'SMSGW_SMPP_NOT_BOUND', written: false })
  await assert.rejects(session.ready(), { code: 'SMSGW_SMPP_NOT_BOUND' })
  assert.deepStrictEqual(link.unread, [], 'no unbind while a submit is outstanding')
  link.respond(submit, { messageId: 'last', tlvs: [] })
  assert.deepStrictEqual(await pending, { messageId: 'last' })
  link.respond(await link.expect('unbind'), {})
  await closing
  assert.deepStrictEqual({ reason: await session.closed(), states, link: link.state }, {
    reason: undefined, states: ['binding', 'bound', 'unbinding', 'closed'], link: 'ended'
  })
})

test('SmscSession close unbinds after closeTimeoutMs even with submits outstanding, which then fail as unknown', async t => {
  useFakeTime()
  const { session, link } = await boundSession(t, { closeTimeoutMs: 2_000, responseTimeoutMs: 5_000 })
  const pending = session.submit(submitBody())
  await link.expect('submit_sm')
  const closing = session.close()
  mock.timers.tick(2_000)
  link.respond(await link.expect('unbind'), {})
  await closing
  assert.deepStrictEqual(submitFields(await rejection(pending)), {
    code: 'SMSGW_SMPP_CLOSED', commandStatus: undefined, written: true, outcomeUnknown: true, retryable: false, sessionSurvives: false
  })
})

test('SmscSession destroy fails everything pending at once and closed() gives the reason', async t => {
  const { session, link } = await boundSession(t, { windowSize: 1 })
  const written = session.submit(submitBody())
  await link.expect('submit_sm')
  const waiting = session.submit(submitBody())
  const cause = new Error('operator stop')
  session.destroy(cause)
  assert.equal((await rejection(written)).written, true)
  const notWritten = await rejection(waiting)
  assert.deepStrictEqual({ code: notWritten.code, written: notWritten.written }, { code: 'SMSGW_SMPP_NOT_BOUND', written: false })
  assert.equal(await session.closed(), cause)
  assert.equal(link.state, 'destroyed')
})

test('SmscSession reports a response nobody waits for as unexpected', async t => {
  const { session, link } = await boundSession(t)
  const unexpected: unknown[] = []
  session.on('unexpected', info => { unexpected.push(info) })
  link.send(createPdu('submit_sm_resp', 4242, { messageId: 'late', tlvs: [] }))
  await settle()
  assert.deepStrictEqual(unexpected, [{ command: 'submit_sm_resp', sequenceNumber: 4242, reason: 'no request outstanding with this sequence_number' }])
})

test('SmscSession closes when the SMSC answers a submit with ESME_RINVBNDSTS', async t => {
  const { session, link } = await boundSession(t)
  const result = session.submit(submitBody())
  link.respond(await link.expect('submit_sm'), { messageId: '', tlvs: [] }, commandStatus.ESME_RINVBNDSTS)
  const error = await rejection(result)
  assert.deepStrictEqual({ retryable: error.retryable, sessionSurvives: error.sessionSurvives }, { retryable: true, sessionSurvives: false })
  link.respond(await link.expect('unbind'), {}, commandStatus.ESME_RINVBNDSTS)
  assert.equal(await session.closed(), undefined)
})

test('SmscSession is closed by await using', async t => {
  const link = new MemoryLink()
  let closed: Promise<Error | undefined> | undefined
  {
    await using session = new SmscSession({ connect: link.connect, systemId: 'esme', password: 'pw', onDeliver: async () => {} })
    t.after(() => { session.destroy() })
    closed = session.closed()
    await link.acceptBind()
    await session.bound()
    void link.expect('unbind').then(unbind => { link.respond(unbind, {}) })
  }
  assert.equal(await closed, undefined)
  assert.equal(link.state, 'ended')
})

test('SmscSession closes with SMSGW_SMPP_CONNECTION when it cannot connect', async () => {
  const session = new SmscSession({
    connect: async () => { throw new Error('ECONNREFUSED') }, systemId: 'esme', password: 'pw', onDeliver: async () => {}
  })
  await assert.rejects(session.bound(), { code: 'SMSGW_SMPP_CONNECTION' })
  assert.equal(session.state, 'closed')
})

test('SmscSession ready() waits through the bind and resolves once bound', async t => {
  const { session, link } = newSession(t)
  let ready = false
  const waiting = session.ready().then(() => { ready = true })
  await link.expect('bind_transceiver').then(bind => {
    assert.equal(ready, false)
    link.respond(bind, { systemId: 'SMSC', tlvs: [] })
  })
  await waiting
  assert.equal(session.busy, false)
})

test('SmscSession answers a request an ESME does not serve with generic_nack ESME_RINVCMDID', async t => {
  const { session, link } = await boundSession(t)
  link.send(createPdu('submit_sm', 31, submitBody()))
  const nack = await link.expect('generic_nack')
  assert.deepStrictEqual({ sequenceNumber: nack.sequenceNumber, commandStatus: nack.commandStatus }, { sequenceNumber: 31, commandStatus: 0x03 })
  assert.equal(session.state, 'bound')
})

test('SmscSession fails a submit as not written when the transport refuses its bytes, and closes', async t => {
  const { session, link } = await boundSession(t)
  link.refuseWrites()
  assert.deepStrictEqual(submitFields(await rejection(session.submit(submitBody()))), {
    code: 'SMSGW_SMPP_CLOSED', commandStatus: undefined, written: false, outcomeUnknown: false, retryable: true, sessionSurvives: false
  })
  assert.match(String(await session.closed()), /could not write to the SMSC/)
})

test('SmscSession fails a submit with an unknown outcome when its submit_sm_resp cannot be read', async t => {
  const { session, link } = await boundSession(t)
  const result = session.submit(submitBody())
  const submit = await link.expect('submit_sm')
  // message_id without its NULL: the SMSC answered, but what it said is lost.
  const answer = Buffer.concat([Buffer.alloc(16), Buffer.from('abc', 'latin1')])
  answer.writeUInt32BE(answer.length, 0)
  answer.writeUInt32BE(0x80000004, 4)
  answer.writeUInt32BE(submit.sequenceNumber, 12)
  link.sendBytes(answer)
  assert.deepStrictEqual(submitFields(await rejection(result)), {
    code: 'SMSGW_SMPP_MALFORMED', commandStatus: undefined, written: true, outcomeUnknown: true, retryable: false, sessionSurvives: true
  })
  assert.deepStrictEqual({ state: session.state, unread: link.unread }, { state: 'bound', unread: [] })
})

test('SmscSession close while binding closes at once without a reason', async t => {
  const { session, link } = newSession(t)
  await link.expect('bind_transceiver')
  await session.close()
  assert.equal(await session.closed(), undefined)
  await assert.rejects(session.bound(), { code: 'SMSGW_SMPP_CLOSED' })
  assert.equal(link.state, 'destroyed')
})

test('sessionSettings derives the inactivity timeout from the keep-alive interval unless it is given', () => {
  const base = { connect: new MemoryLink().connect, systemId: 'esme', password: 'pw', onDeliver: async () => {} }
  const pick = (options: Partial<SmscSessionOptions>): object => {
    const settings = sessionSettings({ ...base, ...options })
    return { enquireLinkIntervalMs: settings.enquireLinkIntervalMs, inactivityTimeoutMs: settings.inactivityTimeoutMs }
  }
  assert.deepStrictEqual([pick({}), pick({ enquireLinkIntervalMs: 60_000 }), pick({ enquireLinkIntervalMs: 0 }), pick({ inactivityTimeoutMs: 45_000 })], [
    { enquireLinkIntervalMs: 30_000, inactivityTimeoutMs: 90_000 },
    { enquireLinkIntervalMs: 60_000, inactivityTimeoutMs: 180_000 },
    { enquireLinkIntervalMs: 0, inactivityTimeoutMs: 0 },
    { enquireLinkIntervalMs: 30_000, inactivityTimeoutMs: 45_000 }
  ])
  assert.throws(() => sessionSettings({ ...base, enquireLinkIntervalMs: 0, inactivityTimeoutMs: 60_000 }), /needs enquireLinkIntervalMs/)
})

// beforeWrite: the request ledger's `writing` mark is made once a submit holds its window slot,
// just before its bytes are written (issue 9, item 9: requests waiting for a slot must not look
// as if they may have left).

test('SmscSession submit runs beforeWrite only once the submit holds a window slot, and writes nothing until it resolves', async t => {
  const { session, link } = await boundSession(t, { windowSize: 1 })
  const first = session.submit(submitBody('first'))
  const firstPdu = await link.expect('submit_sm')
  let marked = 0
  let markDone!: () => void
  const second = session.submit(submitBody('second'), { beforeWrite: async () => { marked++; await new Promise<void>(resolve => { markDone = resolve }) } })
  await settle()
  // The window is full: the second waits for its slot, not yet marked.
  assert.equal(marked, 0)
  link.respond(firstPdu, { messageId: 'id-1', tlvs: [] })
  await first
  await settle()
  assert.deepStrictEqual({ marked, unread: link.unread }, { marked: 1, unread: [] })
  markDone()
  const secondPdu = await link.expect('submit_sm')
  assert.equal(secondPdu.body.shortMessage.toString(), 'second')
  link.respond(secondPdu, { messageId: 'id-2', tlvs: [] })
  assert.deepStrictEqual(await second, { messageId: 'id-2' })
  assert.equal(marked, 1)
})

test('SmscSession submit rejects with the error of beforeWrite, writes nothing and gives its window slot back', async t => {
  const { session, link } = await boundSession(t, { windowSize: 1 })
  const fenced = new Error('taken over')
  await assert.rejects(session.submit(submitBody('never'), { beforeWrite: async () => { throw fenced } }), error => error === fenced)
  assert.deepStrictEqual({ inFlight: session.inFlight, busy: session.busy, unread: link.unread }, { inFlight: 0, busy: false, unread: [] })
  const next = session.submit(submitBody('next'))
  const pdu = await link.expect('submit_sm')
  assert.equal(pdu.body.shortMessage.toString(), 'next')
  link.respond(pdu, { messageId: 'id-3', tlvs: [] })
  assert.deepStrictEqual(await next, { messageId: 'id-3' })
})

test('SmscSession submit fails as not written when the session closes while beforeWrite runs', async t => {
  const { session, link } = await boundSession(t)
  let markDone!: () => void
  const result = session.submit(submitBody(), { beforeWrite: async () => { await new Promise<void>(resolve => { markDone = resolve }) } })
  await settle()
  session.destroy()
  markDone()
  assert.deepStrictEqual(submitFields(await rejection(result)), {
    code: 'SMSGW_SMPP_NOT_BOUND', commandStatus: undefined, written: false, outcomeUnknown: false, retryable: true, sessionSurvives: false
  })
  assert.deepStrictEqual(link.unread, [])
})
