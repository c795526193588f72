import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { commandStatus } from '../../../src/smpp/codec/index.ts'
import { ReconnectingSession, SmppSubmitError, socketConnector } from '../../../src/smpp/session/index.ts'
import type { ReconnectingSessionOptions, ReconnectingSessionState } from '../../../src/smpp/session/index.ts'
import { submitBody } from './memory-link.ts'
import { TestSmsc } from './test-smsc.ts'
import type { TestSmscBehaviour } from './test-smsc.ts'

async function startSmsc (t: TestContext, behaviour: TestSmscBehaviour = {}): Promise<TestSmsc> {
  const smsc = await TestSmsc.start(behaviour)
  t.after(async () => { await smsc.close() })
  return smsc
}

function supervise (t: TestContext, smsc: TestSmsc, overrides: Partial<ReconnectingSessionOptions> = {}): ReconnectingSession {
  const supervisor = new ReconnectingSession({
    connect: socketConnector({ host: '127.0.0.1', port: smsc.port }),
    systemId: 'esme',
    password: 'pw',
    onDeliver: async () => {},
    reconnectDelayMs: 20,
    ...overrides
  })
  t.after(async () => { await supervisor.close() })
  return supervisor
}

async function nextEvent (supervisor: ReconnectingSession, event: 'bound' | 'reconnecting'): Promise<void> {
  await once(supervisor, event)
}

test('ReconnectingSession reconnects with growing delays while binds fail, and starts over after a bind', async t => {
  t.mock.method(Math, 'random', () => 0.5)
  let binds = 0
  const smsc = await startSmsc(t, { bind: () => ++binds <= 3 ? { status: commandStatus.ESME_RBINDFAIL } : { status: 0 } })
  const supervisor = supervise(t, smsc)
  const attempts: Array<{ attempt: number, delayMs: number, code: unknown }> = []
  const states: ReconnectingSessionState[] = []
  supervisor.on('reconnecting', info => { attempts.push({ attempt: info.attempt, delayMs: info.delayMs, code: (info.reason as { code?: string }).code }) })
  supervisor.on('state', state => { states.push(state) })
  await nextEvent(supervisor, 'bound')
  // Full jitter at 0.5 of 20, 40, 80 ms.
  assert.deepStrictEqual(attempts, [
    { attempt: 1, delayMs: 10, code: 'SMSGW_SMPP_BIND' },
    { attempt: 2, delayMs: 20, code: 'SMSGW_SMPP_BIND' },
    { attempt: 3, delayMs: 40, code: 'SMSGW_SMPP_BIND' }
  ])
  assert.equal(supervisor.state, 'bound')
  smsc.dropAll()
  await nextEvent(supervisor, 'bound')
  assert.deepStrictEqual(attempts[3], { attempt: 1, delayMs: 10, code: 'SMSGW_SMPP_CONNECTION' })
  assert.deepStrictEqual(states.slice(0, 4), ['binding', 'reconnecting', 'connecting', 'binding'])
  assert.equal(smsc.connections.length, 5)
})

test('ReconnectingSession caps the reconnect delay at maxReconnectDelayMs', async t => {
  t.mock.method(Math, 'random', () => 0.999)
  const smsc = await startSmsc(t, { bind: () => ({ status: commandStatus.ESME_RBINDFAIL }) })
  const supervisor = supervise(t, smsc, { reconnectDelayMs: 5, maxReconnectDelayMs: 12 })
  const delays: number[] = []
  supervisor.on('reconnecting', info => { delays.push(info.delayMs) })
  while (delays.length < 4) await nextEvent(supervisor, 'reconnecting')
  assert.deepStrictEqual(delays.slice(0, 4), [5, 10, 12, 12])
})

test('ReconnectingSession submit waits for the bind', async t => {
  const smsc = await startSmsc(t)
  const supervisor = supervise(t, smsc)
  assert.equal(supervisor.busy, true)
  assert.deepStrictEqual(await supervisor.submit(submitBody()), { messageId: 'm1' })
  await supervisor.ready()
  assert.equal(supervisor.busy, false)
})

test('ReconnectingSession submit fails as not written when no session binds within submitWaitMs', async t => {
  const smsc = await startSmsc(t, { bind: () => ({ status: commandStatus.ESME_RBINDFAIL }) })
  const supervisor = supervise(t, smsc, { submitWaitMs: 100 })
  const error = await supervisor.submit(submitBody()).then(() => undefined, (failure: unknown) => failure)
  assert.ok(error instanceof SmppSubmitError)
  assert.deepStrictEqual({ code: error.code, written: error.written, retryable: error.retryable }, {
    code: 'SMSGW_SMPP_NOT_BOUND', written: false, retryable: true
  })
  assert.equal(smsc.received.filter(pdu => pdu.command === 'submit_sm').length, 0)
})

test('ReconnectingSession reports a submit in flight at a drop as unknown, and moves one that was not written to the next session', async t => {
  let submits = 0
  const smsc = await startSmsc(t, { submit: () => ++submits === 1 ? 'hold' : { status: 0 } })
  const supervisor = supervise(t, smsc, { windowSize: 1 })
  await nextEvent(supervisor, 'bound')
  const inFlight = supervisor.submit(submitBody('in flight')).then(() => undefined, (failure: unknown) => failure)
  await smsc.until(received => received.some(pdu => pdu.command === 'submit_sm'))
  // The window is full: this one waits for a slot and is not written before the drop.
  const waiting = supervisor.submit(submitBody('waiting'))
  ;(await smsc.connection(0)).drop()
  const error = await inFlight
  assert.ok(error instanceof SmppSubmitError)
  assert.deepStrictEqual({ code: error.code, written: error.written, outcomeUnknown: error.outcomeUnknown }, {
    code: 'SMSGW_SMPP_CLOSED', written: true, outcomeUnknown: true
  })
  assert.deepStrictEqual(await waiting, { messageId: 'm1' })
  const texts = smsc.received.flatMap(pdu => pdu.command === 'submit_sm' ? [pdu.body.shortMessage.toString()] : [])
  assert.deepStrictEqual(texts, ['in flight', 'waiting'])
  assert.equal(smsc.connections.length, 2)
})

test('ReconnectingSession close unbinds and stops reconnecting', async t => {
  const smsc = await startSmsc(t)
  const supervisor = supervise(t, smsc)
  await nextEvent(supervisor, 'bound')
  let closedEvents = 0
  supervisor.on('closed', () => { closedEvents++ })
  await supervisor.close()
  assert.deepStrictEqual({ state: supervisor.state, closedEvents }, { state: 'closed', closedEvents: 1 })
  assert.deepStrictEqual(smsc.received.map(pdu => pdu.command), ['bind_transceiver', 'unbind'])
  await assert.rejects(supervisor.submit(submitBody()), { code: 'SMSGW_SMPP_NOT_BOUND', written: false })
  await new Promise(resolve => setTimeout(resolve, 60))
  assert.equal(smsc.connections.length, 1)
})

test('ReconnectingSession close during the back-off ends at once', async t => {
  const smsc = await startSmsc(t, { bind: () => 'drop' })
  const supervisor = supervise(t, smsc, { reconnectDelayMs: 60_000 })
  await nextEvent(supervisor, 'reconnecting')
  const started = Date.now()
  await supervisor.close()
  assert.ok(Date.now() - started < 1_000)
  assert.equal(supervisor.state, 'closed')
})

test('ReconnectingSession destroy drops the session at once and stops reconnecting', async t => {
  const smsc = await startSmsc(t, { submit: () => 'hold' })
  const supervisor = supervise(t, smsc)
  await nextEvent(supervisor, 'bound')
  const pending = supervisor.submit(submitBody()).then(() => undefined, (failure: unknown) => failure)
  await smsc.until(received => received.some(pdu => pdu.command === 'submit_sm'))
  supervisor.destroy(new Error('stop'))
  await supervisor.closed()
  const error = await pending
  assert.ok(error instanceof SmppSubmitError)
  assert.deepStrictEqual({ code: error.code, outcomeUnknown: error.outcomeUnknown }, { code: 'SMSGW_SMPP_CLOSED', outcomeUnknown: true })
  assert.deepStrictEqual(smsc.received.map(pdu => pdu.command), ['bind_transceiver', 'submit_sm'])
  assert.equal(supervisor.state, 'closed')
})

test('ReconnectingSession refuses options that do not fit before it connects', () => {
  let connects = 0
  const options = { connect: async () => { connects++; throw new Error('unused') }, password: 'pw', onDeliver: async () => {} }
  assert.throws(() => new ReconnectingSession({ ...options, systemId: 'a-system-id-too-long' }), { code: 'SMSGW_CONFIG', message: /bind: SMPP system_id/ })
  assert.throws(() => new ReconnectingSession({ ...options, systemId: 'esme', reconnectDelayMs: 0 }), { code: 'SMSGW_CONFIG', message: /reconnectDelayMs/ })
  assert.equal(connects, 0)
})
