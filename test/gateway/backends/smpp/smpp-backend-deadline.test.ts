// The request's deadline against an SMSC that throttles or is down (issue 9, item 8): the SMPP
// backend over a real ReconnectingSession, over TCP, to the SMSC simulator. Before the fix, the
// session retried throttled submits past the deadline and the last one was SENT with a validity
// period already in the past.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import type { StatusReport } from '../../../../src/gateway/backends/backend.ts'
import { smppBackend } from '../../../../src/gateway/backends/smpp/smpp-backend.ts'
import type { SmscLink } from '../../../../src/gateway/backends/smpp/smsc-link.ts'
import { createLogger } from '../../../../src/log/logger.ts'
import { commandStatus } from '../../../../src/smpp/codec/index.ts'
import { ReconnectingSession, socketConnector } from '../../../../src/smpp/session/index.ts'
import type { SmscSimulator } from '../../../../src/smpp/simulator/index.ts'
import { startSimulator } from '../../../smpp/simulator/simulator-fixtures.ts'

const log = createLogger({ level: 'silent' })
const DEADLINE_IN_MS = 700

/** A session to `simulator` that backs off briefly and retries throttled submits many times. */
function sessionTo (t: TestContext, simulator: SmscSimulator): ReconnectingSession {
  const session = new ReconnectingSession({
    connect: socketConnector({ host: '127.0.0.1', port: simulator.address.port }),
    systemId: 'smsgw',
    password: 'secret',
    onDeliver: async () => {},
    reconnectDelayMs: 20,
    maxReconnectDelayMs: 50,
    throttleBackoffMs: 20,
    maxThrottleBackoffMs: 60,
    maxThrottleRetries: 10_000
  })
  t.after(async () => { await session.close() })
  return session
}

function backendOver (session: ReconnectingSession): ReturnType<typeof smppBackend> {
  const link: SmscLink = {
    name: 'main',
    prefixes: [],
    dataCoding: 'auto',
    maxParts: 4,
    numericSenderTon: 1,
    messageIds: { resp: 'strip-leading-zeros', receipt: 'strip-leading-zeros' },
    sendValidityPeriod: true,
    channel: {
      get bound () { return session.state === 'bound' },
      submit: async (body, options) => await session.submit(body, options)
    }
  }
  return smppBackend({ links: [link], correlations: { put: async () => {} }, log })
}

async function submit (backend: ReturnType<typeof smppBackend>, deadline: Date, body = 'hello'): Promise<StatusReport[]> {
  const reports: StatusReport[] = []
  await backend.submit({ clientId: 'acme', correlId: 'c1', deadline, message: { to: '+255712345678', sender: 'ACME', body, headers: new Map() } }, async report => { reports.push(report) })
  return reports
}

/** Stops the fault a little after the deadline, so a retry that ignored it would be accepted. */
function clearAfter (t: TestContext, simulator: SmscSimulator, deadline: Date): void {
  const timer = setTimeout(() => { simulator.setFaults({ throttleNextSubmits: 0, refuseBindsWith: null }) }, deadline.getTime() - Date.now() + 300)
  t.after(() => { clearTimeout(timer) })
}

test('smppBackend reports EXPIRED, and the SMSC takes nothing, when it throttles until after the deadline', async t => {
  const simulator = await startSimulator(t)
  const session = sessionTo(t, simulator)
  await session.ready()
  let throttled = 0
  simulator.on('submitRefused', event => { if (event.commandStatus === commandStatus.ESME_RTHROTTLED) throttled++ })
  simulator.setFaults({ throttleNextSubmits: 1_000_000 })
  const deadline = new Date(Date.now() + DEADLINE_IN_MS)
  clearAfter(t, simulator, deadline)

  const reports = await submit(backendOver(session), deadline)

  assert.deepStrictEqual(reports, [{ status: 'EXPIRED' }])
  assert.ok(Date.now() >= deadline.getTime(), 'EXPIRED comes once the deadline passed')
  assert.ok(throttled >= 2, `the SMSC throttled the attempts before the deadline (${throttled})`)
  // Nothing is left in the session to be written later, and the SMSC accepted nothing.
  assert.equal(session.inFlight, 0)
  assert.equal(simulator.submitCount, 0)
})

test('smppBackend stops a long message at the deadline: EXPIRED naming the parts sent, none after it', async t => {
  const simulator = await startSimulator(t)
  const session = sessionTo(t, simulator)
  await session.ready()
  const deadline = new Date(Date.now() + DEADLINE_IN_MS)
  // The first part is accepted; from then on the SMSC throttles until after the deadline.
  simulator.once('submit', () => { simulator.setFaults({ throttleNextSubmits: 1_000_000 }) })
  clearAfter(t, simulator, deadline)

  const reports = await submit(backendOver(session), deadline, 'x'.repeat(400))

  assert.deepStrictEqual(reports, [{ status: 'EXPIRED', errorText: 'Expired after 1 of 3 parts were sent' }])
  assert.equal(session.inFlight, 0)
  assert.deepStrictEqual(simulator.submitted.map(part => part.receivedAt.getTime() <= deadline.getTime()), [true])
})

test('smppBackend reports EXPIRED, not FAILED, when no session binds before the deadline', async t => {
  const simulator = await startSimulator(t)
  simulator.setFaults({ refuseBindsWith: commandStatus.ESME_RBINDFAIL })
  const session = sessionTo(t, simulator)
  // The deadline comes long before the session's wait for a bind (10 s) ends.
  const deadline = new Date(Date.now() + DEADLINE_IN_MS)
  clearAfter(t, simulator, deadline)

  const reports = await submit(backendOver(session), deadline)

  assert.deepStrictEqual(reports, [{ status: 'EXPIRED' }])
  assert.ok(Date.now() < deadline.getTime() + 5_000, 'EXPIRED at the deadline, not at the end of the wait for a bind')
  assert.equal(simulator.submitCount, 0)
})
